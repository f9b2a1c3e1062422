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

#include "kselftest_harness.h"

#endif /* _AVF_UNIT_H */
