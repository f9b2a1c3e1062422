/* SPDX-License-Identifier: GPL-2.0 */
/*
 * avfence unit tests: each *_test.c is one program of TEST()s on the
 * kernel's kselftest_harness.h (the one tests/kselftest/ uses, extracted
 * by scripts/deps.sh), so unit and VM tests read alike.  Each test runs
 * in a child process; EXPECT_*() record a failure and carry on, ASSERT_*()
 * end the test; TH_LOG() after either adds a diagnostic.  Output is TAP.
 */
#ifndef _AVF_UNIT_H
#define _AVF_UNIT_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kselftest_harness.h"

/* Text collected from an avf_emit_fn (kmod/canon.c), NUL-terminated. */
struct text {
	char buf[8192];
	size_t len;
};

/* An avf_emit_fn appending to the struct text @ctx (what fits). */
static inline void emit_text(void *ctx, const char *s, size_t len)
{
	struct text *t = ctx;

	if (t->len + len < sizeof(t->buf)) {
		memcpy(t->buf + t->len, s, len);
		t->len += len;
		t->buf[t->len] = '\0';
	}
}

/*
 * @head, then @fmt (one int conversion) for each of 0 .. @n - 1, in a
 * string malloc'd for the caller to free.
 */
static inline char * __attribute__((format(printf, 2, 0)))
numbered_text(const char *head, const char *fmt, int n)
{
	size_t size = strlen(head) + n * (strlen(fmt) + 16) + 1, o;
	char *s = malloc(size);
	int i;

	if (!s)
		abort();
	o = snprintf(s, size, "%s", head);
	for (i = 0; i < n; i++)
		o += snprintf(s + o, size - o, fmt, i);
	return s;
}

#endif /* _AVF_UNIT_H */
