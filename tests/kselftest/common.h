/* SPDX-License-Identifier: GPL-2.0 */
/*
 * avfence kselftests: helpers shared by the *_test.c files.
 */
#ifndef AVF_TEST_COMMON_H
#define AVF_TEST_COMMON_H

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kselftest_harness.h"

/*
 * The VM sends stdout and stderr to one serial port: line-buffer stdout so
 * the harness's TAP lines and the TH_LOG() lines on stderr do not interleave
 * mid-line.
 */
static void __attribute__((constructor)) avf_line_buffered(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
}

#endif /* AVF_TEST_COMMON_H */
