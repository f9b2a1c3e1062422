// SPDX-License-Identifier: GPL-2.0
/*
 * avfence unit tests: kmod/decide.c and avfencectl's parser and message
 * builder, in userspace, no kernel needed.  Output is TAP.
 */
#include "tap.h"
#include "unit.h"

int main(void)
{
	decide_tests();
	policy_parse_tests();
	policy_msg_tests();
	return tap_finish();
}
