/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A minimal TAP producer for the avfence unit tests.
 *
 * Each test case is a function run by RUN(); inside it, EXPECT*() record
 * failures (with file:line on a "# " diagnostic line) and carry on.  A case
 * prints "ok N - name" or "not ok N - name"; tap_finish() prints the plan
 * and "unit: N passed, N failed" and returns the exit status.
 */
#ifndef _AVF_TAP_H
#define _AVF_TAP_H

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

void tap_begin(const char *name);
void tap_end(void);
void tap_fail(const char *file, int line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
int tap_finish(void);
bool tap_case_failed(void);

#define RUN(fn)				\
	do {				\
		tap_begin(#fn);		\
		fn();			\
		tap_end();		\
	} while (0)

#define EXPECT(cond)							\
	do {								\
		if (!(cond))						\
			tap_fail(__FILE__, __LINE__, "expected %s", #cond); \
	} while (0)

#define EXPECT_EQ(want, got)						\
	do {								\
		long long _w = (long long)(want), _g = (long long)(got); \
		if (_w != _g)						\
			tap_fail(__FILE__, __LINE__,			\
				 "%s == %s: want %lld, got %lld",	\
				 #want, #got, _w, _g);			\
	} while (0)

#define EXPECT_STREQ(want, got)						\
	do {								\
		const char *_w = (want), *_g = (got);			\
		if (!_g || strcmp(_w, _g))				\
			tap_fail(__FILE__, __LINE__,			\
				 "%s: want \"%s\", got \"%s\"",		\
				 #got, _w, _g ? _g : "(null)");		\
	} while (0)

#endif /* _AVF_TAP_H */
