// SPDX-License-Identifier: GPL-2.0
/*
 * avfence "label PATH LEVEL" tests: objects labelled by the policy alone,
 * without any xattr, on tmpfs here and on filesystems without xattrs
 * (vfat, FUSE, NFS) and overlayfs in the share_* fixtures below.
 *
 * TMP (tmpfs)
 * ├── srv/
 * │   ├── sec/            label SECRET (policy)
 * │   │   ├── file        inherits SECRET
 * │   │   └── pub/        label OFFICIAL (policy): nearest label wins
 * │   │       └── file
 * │   └── open/
 * │       └── file        no label: the default
 * ├── mnt/                label SECRET (policy), empty at load: covers
 * │                       what is mounted on it later
 * └── bind/               where a test bind-mounts things
 *
 * SCANNER has clearance OFFICIAL; the default is UNCLASSIFIED.
 */
#include "ctl.h"

#define SRV	TMP "/srv"
#define SEC	SRV "/sec"
#define PUB	SEC "/pub"
#define OPEN	SRV "/open"
#define MNT	TMP "/mnt"
#define BIND	TMP "/bind"

#define POLICY_HEAD LEVELS "default UNCLASSIFIED\nmode enforce\n" \
	"subject " SCANNER " OFFICIAL\n"

static int scan(const char *path, const char *flags)
{
	return run(SCANNER, "open", path, flags, NULL);
}

static int plain(const char *path, const char *flags)
{
	return run(PLAIN, "open", path, flags, NULL);
}

static int make_tree(void)
{
	int err = mount_tmpfs(TMP);

	if (!err)
		err = mkdirs(PUB);
	if (!err)
		err = mkdirs(OPEN);
	if (!err)
		err = mkdirs(MNT);
	if (!err)
		err = mkdirs(BIND);
	if (!err)
		err = write_file(SEC "/file", "secret\n");
	if (!err)
		err = write_file(PUB "/file", "official\n");
	if (!err)
		err = write_file(OPEN "/file", "open\n");
	return err;
}

FIXTURE(plabel) {
};

FIXTURE_SETUP(plabel)
{
	ASSERT_EQ(0, make_tree());
	ASSERT_EQ(0, load_policy(POLICY_HEAD "label " SEC " SECRET\n"
				 "label " PUB " OFFICIAL\n"
				 "label " MNT " SECRET\n"));
}

FIXTURE_TEARDOWN(plabel)
{
	load_no_subject();
	umount2(BIND, MNT_DETACH);
	umount2(MNT, MNT_DETACH);
	umount2(MNT, MNT_DETACH);
	umount_tmpfs(TMP);
}

TEST_F(plabel, tree_labelled_by_policy_only)
{
	struct avf_label_info li;

	EXPECT_EQ(EACCES, scan(SEC "/file", "r"));
	EXPECT_EQ(EACCES, scan(SEC, "r+d"));
	/* Nearest label wins: OFFICIAL below SECRET. */
	EXPECT_EQ(0, scan(PUB "/file", "r"));
	EXPECT_EQ(0, scan(OPEN "/file", "r"));
	/* Untagged: not fenced. */
	EXPECT_EQ(0, plain(SEC "/file", "r"));
	/* No xattr was set anywhere. */
	EXPECT_EQ(-1, getxattr(SEC, "security.avfence", NULL, 0));
	ASSERT_EQ(0, avf_get_label(SEC "/file", &li));
	EXPECT_EQ(0, li.has_label);
	EXPECT_EQ(AVFENCE_LABEL_POLICY_INHERITED, li.source);
	EXPECT_STREQ("SECRET", li.effective);
	ASSERT_EQ(0, avf_get_label(SEC, &li));
	EXPECT_EQ(AVFENCE_LABEL_POLICY, li.source);
}

/* On one object the higher of its xattr and its policy label counts. */
TEST_F(plabel, higher_of_xattr_and_policy)
{
	struct avf_label_info li;

	ASSERT_EQ(0, set_label(PUB, "UNCLASSIFIED"));
	EXPECT_EQ(0, scan(PUB "/file", "r"));
	ASSERT_EQ(0, avf_get_label(PUB, &li));
	EXPECT_STREQ("OFFICIAL", li.effective);
	EXPECT_EQ(AVFENCE_LABEL_POLICY, li.source);
	ASSERT_EQ(0, set_label(PUB, "TOP-SECRET"));
	EXPECT_EQ(EACCES, scan(PUB "/file", "r"));
	ASSERT_EQ(0, avf_get_label(PUB, &li));
	EXPECT_EQ(AVFENCE_LABEL_OWN, li.source);
	/* A file's own xattr below a policy-labelled directory still wins. */
	ASSERT_EQ(0, removexattr(PUB, "security.avfence"));
	ASSERT_EQ(0, set_label(SEC "/file", "UNCLASSIFIED"));
	EXPECT_EQ(0, scan(SEC "/file", "r"));
}

/* The label follows the directory, not its name. */
TEST_F(plabel, rename_keeps_label)
{
	ASSERT_EQ(0, rename(SEC, SRV "/moved"));
	EXPECT_EQ(EACCES, scan(SRV "/moved/file", "r"));
	EXPECT_EQ(0, scan(SRV "/moved/pub/file", "r"));
	/* Whatever now has the old name is not labelled by it. */
	ASSERT_EQ(0, mkdirs(SEC));
	ASSERT_EQ(0, write_file(SEC "/file", "x\n"));
	EXPECT_EQ(0, scan(SEC "/file", "r"));
}

/* A label on a directory covers a filesystem mounted on it later. */
TEST_F(plabel, mount_point_covers_later_mounts)
{
	ASSERT_EQ(0, mount("tmpfs", MNT, "tmpfs", 0, "mode=0755"));
	ASSERT_EQ(0, write_file(MNT "/file", "x\n"));
	EXPECT_EQ(EACCES, scan(MNT "/file", "r"));
	EXPECT_EQ(0, plain(MNT "/file", "r"));
	/* Seen there once, the filesystem is covered in a bind mount too. */
	ASSERT_EQ(0, mount(MNT, BIND, NULL, MS_BIND, NULL));
	EXPECT_EQ(EACCES, scan(BIND "/file", "r"));
	ASSERT_EQ(0, umount2(BIND, 0));
	/* Unmounted and a new one mounted: covered, no reload. */
	ASSERT_EQ(0, umount2(MNT, 0));
	ASSERT_EQ(0, mount("tmpfs", MNT, "tmpfs", 0, "mode=0755"));
	ASSERT_EQ(0, mkdirs(MNT "/deep/er"));
	ASSERT_EQ(0, write_file(MNT "/deep/er/file", "x\n"));
	EXPECT_EQ(EACCES, scan(MNT "/deep/er/file", "r"));
	/* The directory underneath stays SECRET once uncovered. */
	ASSERT_EQ(0, umount2(MNT, 0));
	ASSERT_EQ(0, write_file(MNT "/under", "x\n"));
	EXPECT_EQ(EACCES, scan(MNT "/under", "r"));
}

/* A label on a mount root at load: the same after unmount and remount. */
TEST_F(plabel, mount_root_at_load_and_remount)
{
	struct output *o = malloc(sizeof(*o));

	ASSERT_NE(NULL, o);
	ASSERT_EQ(0, mount_tmpfs(TMP "/share"));
	ASSERT_EQ(0, write_file(TMP "/share/file", "x\n"));
	ASSERT_EQ(0, mkdirs(TMP "/share/in"));
	ASSERT_EQ(0, load_policy(POLICY_HEAD "label " TMP "/share SECRET\n"
				 "label " TMP "/share/in OFFICIAL\n"));
	EXPECT_EQ(EACCES, scan(TMP "/share/file", "r"));
	ASSERT_EQ(0, ctl(o, "status", "--json", NULL));
	EXPECT_NE(NULL, strstr(o->out, "\"mount_root\":true"));
	EXPECT_NE(NULL, strstr(o->out, "\"labels\":2"));
	ASSERT_EQ(0, umount2(TMP "/share", 0));
	/*
	 * Another file system takes the device number just freed (covered
	 * too: reuse can only deny), so the new mount has a new one and is
	 * known only by where it is mounted.
	 */
	ASSERT_EQ(0, mount_tmpfs(TMP "/other"));
	ASSERT_EQ(0, mount("tmpfs", TMP "/share", "tmpfs", 0, "mode=0755"));
	ASSERT_EQ(0, write_file(TMP "/share/file", "x\n"));
	EXPECT_EQ(EACCES, scan(TMP "/share/file", "r"));
	umount2(TMP "/share", MNT_DETACH);
	umount2(TMP "/other", MNT_DETACH);
	free(o);
}

/* Fail closed: a label naming nothing refuses the whole load. */
TEST_F(plabel, missing_path_refuses_load)
{
	struct output *o = malloc(sizeof(*o));
	uint64_t gen = generation();

	ASSERT_NE(NULL, o);
	ASSERT_EQ(0, write_file(POLICY_FILE, POLICY_HEAD
				"label " TMP "/absent SECRET\n"));
	EXPECT_NE(0, ctl(o, "load", POLICY_FILE, NULL));
	EXPECT_NE(NULL, strstr(o->err, POLICY_FILE ":5: label " TMP
			       "/absent: label path does not resolve"));
	EXPECT_EQ(gen, generation());
	/* Two paths to one object: also refused, with the line. */
	ASSERT_EQ(0, write_file(POLICY_FILE, POLICY_HEAD
				"label " SEC " SECRET\n"
				"label " SRV "/../srv/sec OFFICIAL\n"));
	EXPECT_NE(0, ctl(o, "load", POLICY_FILE, NULL));
	EXPECT_NE(NULL, strstr(o->err, "same object as an earlier label"));
	EXPECT_EQ(gen, generation());
	/* The policy in force is untouched. */
	EXPECT_EQ(EACCES, scan(SEC "/file", "r"));
	free(o);
}

/* The label lines are in the canonical form, whose digest the kernel
 * reports: the same as avfencectl computes from the file.
 */
TEST_F(plabel, canonical_form_and_digest)
{
	struct output *o = malloc(sizeof(*o));
	char canon[8192];
	int fd;

	ASSERT_NE(NULL, o);
	ASSERT_EQ(0, mount_securityfs());
	fd = open(SECFS_POLICY, O_RDONLY);
	ASSERT_LE(0, fd);
	read_fd_all(fd, canon, sizeof(canon));
	EXPECT_NE(NULL, strstr(canon, "\nlabel " MNT " SECRET\nlabel " SEC
			       " SECRET\nlabel " PUB " OFFICIAL\n"));
	/* avfencectl load compares its digest with the kernel's. */
	ASSERT_EQ(0, write_file(POLICY_FILE, POLICY_HEAD
				"label " PUB " OFFICIAL\nlabel " SEC " SECRET\n"));
	ASSERT_EQ(0, ctl(o, "load", POLICY_FILE, NULL));
	EXPECT_EQ(NULL, strstr(o->err, "warning"));
	free(o);
}

TEST_HARNESS_MAIN
