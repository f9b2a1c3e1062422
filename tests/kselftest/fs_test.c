// SPDX-License-Identifier: GPL-2.0
/*
 * avfence file system tests: labels on ext4 (a loop-mounted image) and
 * through overlayfs, beside the tmpfs of the other tests.  The VM loads the
 * test kernel's own ext4, loop and overlay modules (tests/vm/modules.list).
 *
 * TMP (tmpfs)
 * ├── ext4.img
 * ├── ext4/                    SECRET on the tmpfs directory (mount point)
 * │   ├── (ext4 root)          (no label: labels do not cross mounts)
 * │   ├── secret               SECRET
 * │   ├── public               UNCLASSIFIED
 * │   └── dir/                 SECRET
 * │       └── inner            (inherits SECRET)
 * ├── lower/
 * │   ├── secret               SECRET
 * │   ├── public               UNCLASSIFIED
 * │   └── dir/                 SECRET
 * │       └── inner            (inherits SECRET)
 * ├── upper/, work/
 * └── merged/                  overlay of lower and upper
 *
 * SCANNER has clearance OFFICIAL.
 */
#include "common.h"

#define EXT4 TMP "/ext4"
#define LOWER TMP "/lower"
#define MERGED TMP "/merged"

static int scan(const char *path, const char *flags)
{
	return run(SCANNER, "open", path, flags, NULL);
}

static int make_files(const char *base)
{
	char p[256];
	int err;

	snprintf(p, sizeof(p), "%s/secret", base);
	err = write_file(p, "secret\n");
	if (!err)
		err = set_label(p, "SECRET");
	snprintf(p, sizeof(p), "%s/public", base);
	if (!err)
		err = write_file(p, "public\n");
	if (!err)
		err = set_label(p, "UNCLASSIFIED");
	snprintf(p, sizeof(p), "%s/dir", base);
	if (!err)
		err = mkdirs(p);
	if (!err)
		err = set_label(p, "SECRET");
	snprintf(p, sizeof(p), "%s/dir/inner", base);
	if (!err)
		err = write_file(p, "inner\n");
	return err;
}

FIXTURE(ext4) {
	int unavailable;
};

FIXTURE_SETUP(ext4)
{
	int fd;

	ASSERT_EQ(0, mount_tmpfs(TMP));
	ASSERT_EQ(0, mkdirs(EXT4));
	ASSERT_EQ(0, set_label(EXT4, "SECRET"));
	fd = open(TMP "/ext4.img", O_WRONLY | O_CREAT, 0600);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, ftruncate(fd, 16 << 20));
	close(fd);
	ASSERT_EQ(0, run("/bin/mke2fs", "-F", "-I", "256", TMP "/ext4.img", NULL));
	if (!has_fs("ext4") || access("/dev/loop-control", F_OK)) {
		/* The VM loads both; skip only where they are missing. */
		self->unavailable = 1;
		return;
	}
	ASSERT_EQ(0, run("/bin/mount", "-t", "ext4", "-o", "loop", TMP "/ext4.img",
			 EXT4, NULL));
	ASSERT_EQ(0, make_files(EXT4));
	ASSERT_EQ(0, load_scanner("enforce", "OFFICIAL"));
}

FIXTURE_TEARDOWN(ext4)
{
	load_no_subject();
	umount2(EXT4, 0);
	umount_tmpfs(TMP);
}

TEST_F(ext4, labels)
{
	if (self->unavailable)
		SKIP(return, "no ext4 or loop in this kernel");
	EXPECT_EQ(EACCES, scan(EXT4 "/secret", "r"));
	EXPECT_EQ(0, scan(EXT4 "/public", "r"));
	EXPECT_EQ(EACCES, scan(EXT4 "/dir/inner", "r"));
	EXPECT_EQ(EACCES, scan(EXT4 "/dir", "r+d"));
	EXPECT_EQ(0, run(PLAIN, "open", EXT4 "/secret", "r", NULL));
}

/* The label of the tmpfs directory under the mount does not reach ext4. */
TEST_F(ext4, mount_point_label_not_inherited)
{
	if (self->unavailable)
		SKIP(return, "no ext4 or loop in this kernel");
	ASSERT_EQ(0, write_file(EXT4 "/plain", "plain\n"));
	EXPECT_EQ(0, scan(EXT4 "/plain", "r"));
	EXPECT_EQ(0, scan(EXT4, "r+d"));
}

/* Labels persist on disk: unmount, mount again, still fenced. */
TEST_F(ext4, labels_persist_across_mount)
{
	if (self->unavailable)
		SKIP(return, "no ext4 or loop in this kernel");
	ASSERT_EQ(0, umount2(EXT4, 0));
	ASSERT_EQ(0, run("/bin/mount", "-t", "ext4", "-o", "loop", TMP "/ext4.img",
			 EXT4, NULL));
	EXPECT_EQ(EACCES, scan(EXT4 "/secret", "r"));
	EXPECT_EQ(EACCES, scan(EXT4 "/dir/inner", "r"));
}

FIXTURE(overlay) {
	int unavailable;
};

FIXTURE_SETUP(overlay)
{
	ASSERT_EQ(0, mount_tmpfs(TMP));
	ASSERT_EQ(0, mkdirs(LOWER));
	ASSERT_EQ(0, mkdirs(TMP "/upper"));
	ASSERT_EQ(0, mkdirs(TMP "/work"));
	ASSERT_EQ(0, mkdirs(MERGED));
	ASSERT_EQ(0, make_files(LOWER));
	if (!has_fs("overlay")) {
		self->unavailable = ENODEV;
		return;
	}
	ASSERT_EQ(0, mount("overlay", MERGED, "overlay", 0, "lowerdir=" LOWER
			   ",upperdir=" TMP "/upper,workdir=" TMP "/work"));
	ASSERT_EQ(0, load_scanner("enforce", "OFFICIAL"));
}

FIXTURE_TEARDOWN(overlay)
{
	load_no_subject();
	umount2(MERGED, MNT_DETACH);
	umount_tmpfs(TMP);
}

#define SKIP_NO_OVERLAY() do { if (self->unavailable) \
	SKIP(return, "cannot mount overlayfs (errno %d)", self->unavailable); } while (0)

TEST_F(overlay, lower_labels_apply)
{
	SKIP_NO_OVERLAY();
	EXPECT_EQ(EACCES, scan(MERGED "/secret", "r"));
	EXPECT_EQ(0, scan(MERGED "/public", "r"));
	EXPECT_EQ(EACCES, scan(MERGED "/dir/inner", "r"));
	EXPECT_EQ(0, run(PLAIN, "open", MERGED "/secret", "r", NULL));
}

/* After copy-up the upper copy is still classified. */
TEST_F(overlay, copy_up_keeps_label)
{
	SKIP_NO_OVERLAY();
	ASSERT_EQ(0, run(PLAIN, "open", MERGED "/secret", "w+a", NULL));
	ASSERT_EQ(0, run(PLAIN, "open", MERGED "/dir/inner", "w+a", NULL));
	ASSERT_EQ(0, access(TMP "/upper/secret", F_OK));
	EXPECT_EQ(EACCES, scan(MERGED "/secret", "r"));
	EXPECT_EQ(EACCES, scan(MERGED "/dir/inner", "r"));
}

TEST_HARNESS_MAIN
