// SPDX-License-Identifier: GPL-2.0
/*
 * avfence label tests: a file's level is its own label, else the label of
 * the nearest labelled directory above it on the same file system, else
 * the policy default.  Labels are read at each open.
 *
 * TMP (tmpfs)
 * ├── s1d1/                      SECRET
 * │   ├── s1d2/
 * │   │   ├── file1_s1d2         UNCLASSIFIED (own label wins)
 * │   │   ├── s1d3/
 * │   │   │   └── s1d4/
 * │   │   │       └── file1_s1d4 (inherits SECRET, four levels down)
 * │   │   └── s2d3/              OFFICIAL (nearest label wins)
 * │   │       └── file1_s2d3
 * │   └── mnt/                   another tmpfs: nothing inherited
 * │       └── file1_mnt
 * ├── s2d1/
 * │   └── file1_s2d1             (no label anywhere: the default)
 * └── bind/                      bind mount of s1d1/s1d2/s1d3
 *
 * SCANNER has clearance OFFICIAL.
 */
#include "common.h"

#define S1D1 TMP "/s1d1"
#define S1D2 S1D1 "/s1d2"
#define S1D3 S1D2 "/s1d3"
#define S1D4 S1D3 "/s1d4"
#define S2D3 S1D2 "/s2d3"
#define MNT S1D1 "/mnt"
#define S2D1 TMP "/s2d1"

static int make_tree(void)
{
	int err = mount_tmpfs(TMP);

	if (!err)
		err = mkdirs(S1D4);
	if (!err)
		err = mkdirs(S2D3);
	if (!err)
		err = mkdirs(S2D1);
	if (!err)
		err = set_label(S1D1, "SECRET");
	if (!err)
		err = write_file(S1D2 "/file1_s1d2", "x\n");
	if (!err)
		err = set_label(S1D2 "/file1_s1d2", "UNCLASSIFIED");
	if (!err)
		err = write_file(S1D4 "/file1_s1d4", "x\n");
	if (!err)
		err = set_label(S2D3, "OFFICIAL");
	if (!err)
		err = write_file(S2D3 "/file1_s2d3", "x\n");
	if (!err)
		err = write_file(S2D1 "/file1_s2d1", "x\n");
	if (!err)
		err = mount_tmpfs(MNT);
	if (!err)
		err = write_file(MNT "/file1_mnt", "x\n");
	return err;
}

FIXTURE(label) {
};

FIXTURE_SETUP(label)
{
	ASSERT_EQ(0, make_tree());
	ASSERT_EQ(0, load_scanner("enforce", "OFFICIAL"));
}

FIXTURE_TEARDOWN(label)
{
	load_no_subject();
	umount2(TMP "/bind", MNT_DETACH);
	umount2(MNT, MNT_DETACH);
	umount_tmpfs(TMP);
}

static int scan(const char *path, const char *flags)
{
	return run(SCANNER, "open", path, flags, NULL);
}

TEST_F(label, inherited_deep)
{
	EXPECT_EQ(EACCES, scan(S1D4 "/file1_s1d4", "r"));
	EXPECT_EQ(EACCES, scan(S1D4, "r+d"));
	EXPECT_EQ(EACCES, scan(S1D1, "r+d"));
	EXPECT_EQ(0, run(PLAIN, "open", S1D4 "/file1_s1d4", "r", NULL));
}

TEST_F(label, own_label_wins)
{
	EXPECT_EQ(0, scan(S1D2 "/file1_s1d2", "r"));
}

TEST_F(label, nearest_label_wins)
{
	EXPECT_EQ(0, scan(S2D3 "/file1_s2d3", "r"));
	EXPECT_EQ(0, scan(S2D3, "r+d"));
}

TEST_F(label, other_filesystem_not_inherited)
{
	EXPECT_EQ(0, scan(MNT "/file1_mnt", "r"));
}

TEST_F(label, unlabelled_tree_is_default)
{
	EXPECT_EQ(0, scan(S2D1 "/file1_s2d1", "r"));
	/* With a high default the subject's own binary needs a low label. */
	ASSERT_EQ(0, set_label(SCANNER, "UNCLASSIFIED"));
	ASSERT_EQ(0, load_policy(LEVELS "default SECRET\nmode enforce\n"
				 "subject " SCANNER " OFFICIAL\n"));
	EXPECT_EQ(EACCES, scan(S2D1 "/file1_s2d1", "r"));
	/* Labelled files keep their own level. */
	EXPECT_EQ(0, scan(S1D2 "/file1_s1d2", "r"));
	load_no_subject();
	removexattr(SCANNER, "security.avfence");
}

/* Labels are read at each open: changes apply at once. */
TEST_F(label, relabel_takes_effect)
{
	EXPECT_EQ(0, scan(S2D1 "/file1_s2d1", "r"));
	ASSERT_EQ(0, set_label(S2D1 "/file1_s2d1", "TOP-SECRET"));
	EXPECT_EQ(EACCES, scan(S2D1 "/file1_s2d1", "r"));
	ASSERT_EQ(0, removexattr(S2D1 "/file1_s2d1", "security.avfence"));
	EXPECT_EQ(0, scan(S2D1 "/file1_s2d1", "r"));
	/* Labelling the directory reaches the file below. */
	ASSERT_EQ(0, set_label(S2D1, "SECRET"));
	EXPECT_EQ(EACCES, scan(S2D1 "/file1_s2d1", "r"));
}

/* The inherited level follows the file's place in the tree. */
TEST_F(label, rename_out_of_classified_dir)
{
	ASSERT_EQ(0, rename(S1D4 "/file1_s1d4", S2D1 "/moved"));
	EXPECT_EQ(0, scan(S2D1 "/moved", "r"));
	/* An own label moves with the file. */
	ASSERT_EQ(0, set_label(S2D1 "/moved", "SECRET"));
	ASSERT_EQ(0, rename(S2D1 "/moved", TMP "/moved"));
	EXPECT_EQ(EACCES, scan(TMP "/moved", "r"));
}

/* The label of the target counts, not that of the link's directory. */
TEST_F(label, symlink_to_classified)
{
	ASSERT_EQ(0, symlink(S1D4 "/file1_s1d4", S2D1 "/link"));
	EXPECT_EQ(EACCES, scan(S2D1 "/link", "r"));
}

/* An own label is on the inode: every hard link carries it. */
TEST_F(label, hardlink_of_labelled_file)
{
	ASSERT_EQ(0, write_file(S2D1 "/file2_s2d1", "x\n"));
	ASSERT_EQ(0, set_label(S2D1 "/file2_s2d1", "SECRET"));
	ASSERT_EQ(0, link(S2D1 "/file2_s2d1", TMP "/hardlink"));
	EXPECT_EQ(EACCES, scan(TMP "/hardlink", "r"));
}

/* A bind mount shows the same dentries: the label above still applies. */
TEST_F(label, bind_mount_inherits)
{
	ASSERT_EQ(0, mkdirs(TMP "/bind"));
	ASSERT_EQ(0, mount(S1D3, TMP "/bind", NULL, MS_BIND, NULL));
	EXPECT_EQ(EACCES, scan(TMP "/bind/s1d4/file1_s1d4", "r"));
}

TEST_F(label, tmpfs_root_label)
{
	ASSERT_EQ(0, set_label(MNT, "SECRET"));
	EXPECT_EQ(EACCES, scan(MNT "/file1_mnt", "r"));
}

TEST_HARNESS_MAIN
