// SPDX-License-Identifier: GPL-2.0
/*
 * avfence base tests: the module is loaded, answers on netlink, and pins
 * the ABI version.
 */
#include "common.h"

TEST(module_is_loaded)
{
	struct stat st;

	ASSERT_EQ(0, stat("/sys/module/avfence", &st));
	ASSERT_TRUE(S_ISDIR(st.st_mode));
}

TEST(abi_version)
{
	struct avf_status st;

	ASSERT_EQ(0, avf_get_status(&st));
	EXPECT_EQ(AVFENCE_GENL_VERSION, st.abi_version);
	EXPECT_NE(0, strlen(st.module_version));
}

/* Right after insmod: no policy, nothing tagged, nothing enforced. */
TEST(no_policy_after_insmod)
{
	struct avf_status st;

	ASSERT_EQ(0, avf_get_status(&st));
	EXPECT_EQ(0, st.policy_loaded);
	EXPECT_EQ(0, st.tagged);
	EXPECT_EQ(-ENOENT, avf_set_mode(AVFENCE_MODE_ENFORCE));
}

TEST(avfencectl_status_runs)
{
	ASSERT_EQ(0, avfencectl("status", NULL));
}

TEST(avfencectl_loads_policy)
{
	struct avf_status st;

	ASSERT_EQ(0, load_scanner("enforce", "OFFICIAL"));
	ASSERT_EQ(0, avf_get_status(&st));
	EXPECT_EQ(1, st.policy_loaded);
	EXPECT_EQ(AVFENCE_MODE_ENFORCE, st.mode);
	EXPECT_EQ(4, st.levels);
	EXPECT_EQ(1, st.subject_count);
	EXPECT_STREQ("UNCLASSIFIED", st.default_level);
	EXPECT_EQ(0, load_no_subject());
}

TEST_HARNESS_MAIN
