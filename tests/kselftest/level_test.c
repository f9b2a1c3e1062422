// SPDX-License-Identifier: GPL-2.0
/*
 * avfence level tests: a tagged subject opens a file iff the file's level is
 * at or below its clearance, at every boundary of the ladder
 * UNCLASSIFIED < OFFICIAL < SECRET < TOP-SECRET.
 *
 * TMP (tmpfs)
 * ├── file_u        UNCLASSIFIED
 * ├── file_o        OFFICIAL
 * ├── file_s        SECRET
 * ├── file_t        TOP-SECRET
 * ├── file_none     (no label: the policy default)
 * ├── file_unknown  BOGUS (no such level: the highest)
 * ├── file_nl       "SECRET\n"
 * └── file_nul      "SECRET\0"
 */
#include "common.h"

static const struct {
	const char *path;
	const char *label;
} files[] = {
	{ TMP "/file_u", "UNCLASSIFIED" },
	{ TMP "/file_o", "OFFICIAL" },
	{ TMP "/file_s", "SECRET" },
	{ TMP "/file_t", "TOP-SECRET" },
};

static int make_tree(void)
{
	size_t i;
	int err = mount_tmpfs(TMP);

	for (i = 0; !err && i < sizeof(files) / sizeof(files[0]); i++) {
		err = write_file(files[i].path, "data\n");
		if (!err)
			err = set_label(files[i].path, files[i].label);
	}
	if (!err)
		err = write_file(TMP "/file_none", "data\n");
	if (!err)
		err = write_file(TMP "/file_unknown", "data\n");
	if (!err)
		err = set_label(TMP "/file_unknown", "BOGUS");
	if (!err)
		err = write_file(TMP "/file_nl", "data\n");
	if (!err)
		err = set_label_raw(TMP "/file_nl", "SECRET\n", 7);
	if (!err)
		err = write_file(TMP "/file_nul", "data\n");
	if (!err)
		err = set_label_raw(TMP "/file_nul", "SECRET", 7);
	return err;
}

FIXTURE(levels) {
};

FIXTURE_VARIANT(levels) {
	const char *clearance;
	int rank;
};

FIXTURE_VARIANT_ADD(levels, unclassified) { .clearance = "UNCLASSIFIED", .rank = 0 };
FIXTURE_VARIANT_ADD(levels, official) { .clearance = "OFFICIAL", .rank = 1 };
FIXTURE_VARIANT_ADD(levels, secret) { .clearance = "SECRET", .rank = 2 };
FIXTURE_VARIANT_ADD(levels, top_secret) { .clearance = "TOP-SECRET", .rank = 3 };

FIXTURE_SETUP(levels)
{
	ASSERT_EQ(0, make_tree());
	ASSERT_EQ(0, load_scanner("enforce", variant->clearance));
}

FIXTURE_TEARDOWN(levels)
{
	teardown_tree();
}

/* Allowed at and below the clearance, denied above it. */
TEST_F(levels, boundaries)
{
	size_t i;

	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		int expected = (int)i <= variant->rank ? 0 : EACCES;

		EXPECT_EQ(expected, run(SCANNER, "open", files[i].path, "r", NULL)) {
			TH_LOG("clearance %s, file %s", variant->clearance,
			       files[i].label);
		}
	}
}

TEST_F(levels, unlabelled_is_default)
{
	EXPECT_EQ(0, run(SCANNER, "open", TMP "/file_none", "r", NULL));
}

TEST_F(levels, unknown_label_is_highest)
{
	int expected = variant->rank == 3 ? 0 : EACCES;

	EXPECT_EQ(expected, run(SCANNER, "open", TMP "/file_unknown", "r", NULL));
}

TEST_F(levels, trailing_newline_and_nul_ignored)
{
	int expected = variant->rank >= 2 ? 0 : EACCES;

	EXPECT_EQ(expected, run(SCANNER, "open", TMP "/file_nl", "r", NULL));
	EXPECT_EQ(expected, run(SCANNER, "open", TMP "/file_nul", "r", NULL));
}

TEST_F(levels, untagged_never_denied)
{
	size_t i;

	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++)
		EXPECT_EQ(0, run(PLAIN, "open", files[i].path, "r", NULL));
	EXPECT_EQ(0, run(PLAIN, "open", TMP "/file_unknown", "r", NULL));
	/* The test itself is untagged too. */
	EXPECT_EQ(0, access(TMP "/file_t", R_OK));
	EXPECT_EQ(0, close(open(TMP "/file_t", O_RDONLY)));
}

/*
 * The policy's default level classifies unlabelled files.  That includes
 * the subject's own binary, which the kernel reads after the exec has
 * tagged the task: label it at or below the subject's clearance, as an
 * administrator with a high default must.
 */
TEST(default_level_applies)
{
	ASSERT_EQ(0, make_tree());
	ASSERT_EQ(0, set_label(SCANNER, "UNCLASSIFIED"));
	ASSERT_EQ(0, load_policy(LEVELS "default SECRET\nmode enforce\n"
				 "subject " SCANNER " OFFICIAL\n"));
	EXPECT_EQ(EACCES, run(SCANNER, "open", TMP "/file_none", "r", NULL));
	EXPECT_EQ(0, run(SCANNER, "open", TMP "/file_u", "r", NULL));
	EXPECT_EQ(0, run(PLAIN, "open", TMP "/file_none", "r", NULL));
	load_no_subject();
	removexattr(SCANNER, "security.avfence");
	umount_tmpfs(TMP);
}

TEST_HARNESS_MAIN
