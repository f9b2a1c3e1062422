// SPDX-License-Identifier: GPL-2.0
/*
 * avfence unit tests: kmod/decide.c and avfencectl's parser and message
 * builder, in userspace, no kernel needed.  Output is TAP.
 */
#include "tap.h"
#include "unit.h"

/* userspace/policy_file.c prints as avfencectl. */
const char *prog = "avfencectl";

int main(void)
{
	decide_tests();
	policy_parse_tests();
	policy_msg_tests();
	sha256_tests();
	digest_tests();
	event_tests();
	return tap_finish();
}
