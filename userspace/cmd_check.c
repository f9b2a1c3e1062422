// SPDX-License-Identifier: GPL-2.0
/*
 * avfencectl check [--canonical] FILE
 *
 * Validate a policy without a kernel: every problem as FILE:LINE:COL:
 * message, or on success a summary and the digest the kernel will report
 * once the policy is loaded.  Subject paths are not looked up (that is
 * load --dry-run), so a policy can be checked on another host.
 */
#include <stdio.h>
#include <string.h>

#include "avfencectl.h"
#include "digest.h"
#include "policy_file.h"

enum { OPT_CANONICAL = OPT_LONG };

static const struct option check_options[] = {
	{ "canonical", no_argument, NULL, OPT_CANONICAL },
	OPT_END
};

int check_main(int argc, char **argv)
{
	char hex[DIGEST_HEX_SIZE];
	bool canonical = false;
	const char *file;
	struct policy pol;
	int ret;

	while ((ret = command_getopt(argc, argv, "", check_options)) != -1)
		if (ret == OPT_CANONICAL)
			canonical = true;
	file = command_one_operand(argc, argv, "policy file");
	if (!file)
		return 1;
	ret = policy_file_get(file, false, "policy not valid", &pol);
	if (ret)
		goto out;
	if (canonical) {
		ret = policy_canon_print(&pol, stdout);
		if (ret) {
			fprintf(stderr, "%s: %s: no canonical form: %s\n",
				prog, file, strerror(-ret));
			ret = 1;
		}
	} else {
		ret = policy_digest_hex(file, &pol, hex);
	}
	if (!ret && !canonical) {
		printf("%s: valid: %u level%s, %zu subject%s, mode %s\n", file,
		       pol.levels.count, pol.levels.count == 1 ? "" : "s",
		       pol.nr_subjects, pol.nr_subjects == 1 ? "" : "s",
		       policy_mode_name(pol.mode));
		printf("digest: %s\n", hex);
	}
out:
	policy_free(&pol);
	return ret;
}
