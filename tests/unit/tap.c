// SPDX-License-Identifier: GPL-2.0
/*
 * TAP output and counters for the unit tests, see tap.h.
 */
#include <stdarg.h>

#include "tap.h"

static int nr_run, nr_passed, nr_failed;
static const char *current;
static bool current_failed;

void tap_begin(const char *name)
{
	if (!nr_run)
		printf("TAP version 13\n");
	current = name;
	current_failed = false;
}

bool tap_case_failed(void)
{
	return current_failed;
}

void tap_fail(const char *file, int line, const char *fmt, ...)
{
	va_list ap;

	current_failed = true;
	printf("# %s: %s:%d: ", current, file, line);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
}

void tap_end(void)
{
	nr_run++;
	if (current_failed) {
		nr_failed++;
		printf("not ok %d - %s\n", nr_run, current);
	} else {
		nr_passed++;
		printf("ok %d - %s\n", nr_run, current);
	}
	fflush(stdout);
}

int tap_finish(void)
{
	printf("1..%d\n", nr_run);
	printf("unit: %d passed, %d failed\n", nr_passed, nr_failed);
	return nr_failed ? 1 : 0;
}
