// SPDX-License-Identifier: GPL-2.0
/*
 * avfencectl mode [enforce|audit]
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <netlink/attr.h>

#include "avfencectl.h"
#include "nl.h"
#include "policy_parse.h"
#include "status.h"

static int print_mode(void)
{
	struct avf_status st;

	if (avf_status_fetch(&st))
		return 1;
	if (!st.policy_loaded || !st.has_mode) {
		fprintf(stderr, "%s: mode: no policy loaded\n", prog);
		return 1;
	}
	printf("%s\n", policy_mode_name(st.mode));
	return 0;
}

static const struct option mode_options[] = { OPT_END };

int mode_main(int argc, char **argv)
{
	struct avf_nl_ack ack;
	struct nl_msg *msg;
	struct avf_nl nl;
	u32 mode;
	int ret;

	while (command_getopt(argc, argv, "", mode_options) != -1)
		;
	if (optind == argc)
		return print_mode();
	if (argc - optind > 1)
		return command_usage_error("mode", "too many arguments");
	if (!strcmp(argv[optind], "enforce"))
		mode = AVFENCE_MODE_ENFORCE;
	else if (!strcmp(argv[optind], "audit"))
		mode = AVFENCE_MODE_AUDIT;
	else
		return command_usage_error("mode",
					   "unknown mode '%s' (expected 'enforce' or 'audit')",
					   argv[optind]);

	ret = avf_nl_open(&nl);
	if (ret) {
		avf_nl_report_open(ret);
		return 1;
	}
	msg = avf_nl_msg(&nl, AVFENCE_CMD_SET_MODE, 64);
	if (!msg || nla_put_u32(msg, AVFENCE_A_MODE, mode)) {
		if (msg)
			nlmsg_free(msg);
		fprintf(stderr, "%s: mode: out of memory\n", prog);
		avf_nl_close(&nl);
		return 1;
	}
	ret = avf_nl_transact(&nl, msg, NULL, NULL, &ack);
	avf_nl_close(&nl);
	if (ret == -ENOENT) {
		fprintf(stderr, "%s: mode: no policy loaded\n", prog);
		return 1;
	}
	if (ret) {
		avf_nl_report("set mode", ret, &ack);
		return 1;
	}
	if (ack.msg[0])
		fprintf(stderr, "%s: mode: kernel: %s\n", prog, ack.msg);
	return 0;
}
