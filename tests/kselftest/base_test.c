// SPDX-License-Identifier: GPL-2.0
/*
 * avfence base tests: the module is loaded and answers on netlink.
 */
#include "common.h"

TEST(module_loaded)
{
	struct stat st;

	ASSERT_EQ(0, stat("/sys/module/avfence", &st));
	ASSERT_TRUE(S_ISDIR(st.st_mode));
}

TEST_HARNESS_MAIN
