// SPDX-License-Identifier: GPL-2.0
/*
 * avfencectl lock
 *
 * AVFENCE_CMD_LOCK: the policy in force stays until reboot.  There is no
 * unlock; the message says so.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>

#include "avfencectl.h"
#include "nl.h"
#include "policy_parse.h"
#include "status.h"

static const struct option lock_options[] = { OPT_END };

int lock_main(int argc, char **argv)
{
	struct avf_status before, after;
	struct avf_nl_ack ack;
	struct nl_msg *msg;
	struct avf_nl nl;
	int ret;

	while (command_getopt(argc, argv, "", lock_options) != -1)
		;
	if (optind < argc)
		return command_usage_error("lock", "unexpected argument '%s'",
					   argv[optind]);
	ret = avf_nl_open(&nl);
	if (ret) {
		avf_nl_report_open(ret);
		return 1;
	}
	ret = avf_status_get(&nl, &before, &ack);
	if (ret) {
		avf_nl_report("get status", ret, &ack);
		goto out;
	}
	msg = avf_nl_msg(&nl, AVFENCE_CMD_LOCK, 0);
	if (!msg) {
		fprintf(stderr, "%s: lock: out of memory\n", prog);
		ret = -ENOMEM;
		goto out;
	}
	ret = avf_nl_transact(&nl, msg, NULL, NULL, &ack);
	if (ret == -ENOENT) {
		fprintf(stderr, "%s: lock: no policy loaded: nothing to lock\n",
			prog);
		goto out;
	}
	if (ret) {
		avf_nl_report("lock", ret, &ack);
		goto out;
	}
	if (avf_status_get(&nl, &after, &ack) || !after.has_locked ||
	    !after.locked) {
		fprintf(stderr,
			"%s: lock: the kernel accepted the lock but does not report it as locked\n",
			prog);
		ret = -EIO;
		goto out;
	}
	printf("%s policy generation %" PRIu64 " (mode %s) until reboot:\n"
	       "no policy can be loaded, the mode cannot change, and the avfence module\n"
	       "cannot be unloaded (not even with rmmod -f).  Only a reboot undoes this.\n",
	       before.has_locked && before.locked ? "already locked:" :
	       "locked", after.generation, policy_mode_name(after.mode));
out:
	avf_nl_close(&nl);
	return ret ? 1 : 0;
}
