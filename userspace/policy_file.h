/* SPDX-License-Identifier: GPL-2.0 */
/*
 * avfencectl: read a policy file, parse it, optionally check its subjects
 * on disk, and print every problem as FILE:LINE:COL: message.  Shared by
 * load, load --dry-run and check.
 */
#ifndef _AVFENCECTL_POLICY_FILE_H
#define _AVFENCECTL_POLICY_FILE_H

#include <stdbool.h>
#include <stddef.h>

#include "policy_parse.h"

/* Far above the largest sensible policy; protects against reading /dev/zero. */
#define POLICY_FILE_MAX (256UL << 20)

int policy_file_read(const char *file, char **bufp, size_t *lenp);
int policy_check_subjects(const struct policy *pol,
			  struct policy_errors *errs);
int policy_file_report_subjects(const char *file, const struct policy *pol,
				const char *outcome);
int policy_file_get(const char *file, bool resolve, const char *outcome,
		    struct policy *pol);

#endif /* _AVFENCECTL_POLICY_FILE_H */
