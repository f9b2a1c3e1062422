// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target for avfencectl's policy parser:
 *
 *	make -C tests/unit fuzz && tests/unit/fuzz_policy -max_total_time=60
 *
 * Besides memory safety (ASan, UBSan), check the parser's promises: a
 * policy without diagnostics is complete and self-consistent, and every
 * diagnostic has a position inside the input.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "policy_parse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct policy_errors errs = { 0 };
	unsigned int lines = 1;
	struct policy pol;
	size_t i;
	int ret;

	for (i = 0; i < size; i++)
		lines += data[i] == '\n';
	ret = policy_parse((const char *)data, size, &pol, &errs);
	if (ret == 0) {
		if (errs.nr || !pol.levels.count ||
		    pol.levels.count > AVFENCE_LEVELS_MAX ||
		    pol.default_level >= pol.levels.count ||
		    !avf_mode_valid(pol.mode) ||
		    pol.nr_subjects > AVFENCE_SUBJECTS_MAX)
			abort();
		for (i = 0; i < pol.levels.count; i++)
			if (!avf_level_name_valid(pol.levels.name[i],
						  strlen(pol.levels.name[i])))
				abort();
		for (i = 0; i < pol.nr_subjects; i++)
			if (pol.subjects[i].path[0] != '/' ||
			    strlen(pol.subjects[i].path) >= AVFENCE_PATH_MAX ||
			    pol.subjects[i].clearance >= pol.levels.count ||
			    (pol.subjects[i].allow & ~__AVFENCE_ALLOW_ALL))
				abort();
	} else if (ret == -EINVAL) {
		if (!errs.nr)
			abort();
		for (i = 0; i < errs.nr; i++)
			if (!errs.v[i].line || errs.v[i].line > lines ||
			    !errs.v[i].col || errs.v[i].col > size + 1)
				abort();
	} else if (ret != -ENOMEM) {
		abort();
	}
	policy_errors_free(&errs);
	policy_free(&pol);
	return 0;
}
