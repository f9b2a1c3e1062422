// SPDX-License-Identifier: GPL-2.0
/*
 * avfence "label PATH LEVEL" tests: objects labelled by the policy alone,
 * without any xattr, on tmpfs here and on filesystems without xattrs
 * (vfat, FUSE, NFS) and overlayfs in the fixtures below.
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
 *
 * The share fixtures: TMP/share labelled SECRET and TMP/pub labelled
 * OFFICIAL by the policy only, each a vfat image on loop, a FUSE file
 * system (tinyfuse.h, whose daemon may lie about labels), an NFS export of
 * this host mounted over loopback or an overlay.
 */
#include <arpa/inet.h>
#include <dirent.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <linux/mount.h>

#include "ctl.h"
#include "tinyfuse.h"

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

/*
 * Bind mounts, on the filesystem of @sec (below a SECRET label) and @open
 * (no label, default UNCLASSIFIED): onto the unlabelled BIND and onto MNT,
 * which the policy labels SECRET.  Labels follow the dentry tree, so a
 * SECRET subtree stays SECRET wherever it is bound; the label of a mount
 * point covers what is mounted on it, so an unlabelled subtree is SECRET
 * through MNT, even if its files were read (and their labels cached)
 * through another mount first, and if the mount was moved there after.
 */
static void bind_checks(struct __test_metadata *_metadata, const char *sec,
			const char *open)
{
	char file[256];

	snprintf(file, sizeof(file), "%s/file", open);
	ASSERT_EQ(0, mount(sec, BIND, NULL, MS_BIND, NULL));
	EXPECT_EQ(EACCES, scan(BIND "/file", "r"));
	EXPECT_EQ(0, plain(BIND "/file", "r"));
	ASSERT_EQ(0, umount2(BIND, 0));

	EXPECT_EQ(0, scan(file, "r"));		/* cached through its mount */
	ASSERT_EQ(0, mount(open, MNT, NULL, MS_BIND, NULL));
	EXPECT_EQ(EACCES, scan(MNT "/file", "r"));
	EXPECT_EQ(EACCES, scan(MNT "/file", "r"));	/* cached through MNT */
	EXPECT_EQ(0, plain(MNT "/file", "r"));
	/* Through its own mount the file keeps its own (default) level. */
	EXPECT_EQ(0, scan(file, "r"));
	EXPECT_EQ(EACCES, scan(MNT "/file", "r"));
	ASSERT_EQ(0, umount2(MNT, 0));

	ASSERT_EQ(0, mount(open, BIND, NULL, MS_BIND, NULL));
	EXPECT_EQ(0, scan(BIND "/file", "r"));
	ASSERT_EQ(0, mount(BIND, MNT, NULL, MS_MOVE, NULL));
	EXPECT_EQ(EACCES, scan(MNT "/file", "r"));
	EXPECT_EQ(0, plain(MNT "/file", "r"));
	ASSERT_EQ(0, umount2(MNT, 0));
	EXPECT_EQ(0, scan(file, "r"));
}

/* Bind mounts of labelled and unlabelled subtrees of the tmpfs. */
TEST_F(plabel, bind_mounts)
{
	ASSERT_EQ(0, mkdirs(SEC "/deep"));
	ASSERT_EQ(0, write_file(SEC "/deep/file", "secret\n"));
	bind_checks(_metadata, SEC "/deep", OPEN);
}

/* The same on ext4 (a loop-mounted image), labelled by policy and xattr. */
TEST_F(plabel, bind_mounts_ext4)
{
	int fd;

	fd = open(TMP "/ext4.img", O_WRONLY | O_CREAT, 0600);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, ftruncate(fd, 16 << 20));
	close(fd);
	ASSERT_EQ(0, run("/bin/mke2fs", "-q", "-F", "-I", "256",
			 TMP "/ext4.img", NULL));
	ASSERT_EQ(0, mkdirs(TMP "/e"));
	ASSERT_EQ(0, run("/bin/mount", "-t", "ext4", "-o", "loop",
			 TMP "/ext4.img", TMP "/e", NULL));
	ASSERT_EQ(0, mkdirs(TMP "/e/sec/deep"));
	ASSERT_EQ(0, write_file(TMP "/e/sec/deep/file", "secret\n"));
	ASSERT_EQ(0, mkdirs(TMP "/e/xsec/deep"));
	ASSERT_EQ(0, write_file(TMP "/e/xsec/deep/file", "secret\n"));
	ASSERT_EQ(0, set_label(TMP "/e/xsec", "SECRET"));
	ASSERT_EQ(0, mkdirs(TMP "/e/open"));
	ASSERT_EQ(0, write_file(TMP "/e/open/file", "open\n"));
	ASSERT_EQ(0, load_policy(POLICY_HEAD "label " TMP "/e/sec SECRET\n"
				 "label " MNT " SECRET\n"));
	bind_checks(_metadata, TMP "/e/sec/deep", TMP "/e/open");
	bind_checks(_metadata, TMP "/e/xsec/deep", TMP "/e/open");
	umount2(TMP "/e", MNT_DETACH);
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
	char canon[8192], line[80];
	const char *want;
	int fd;

	ASSERT_NE(NULL, o);
	ASSERT_EQ(0, mount_securityfs());
	fd = open(SECFS_POLICY, O_RDONLY);
	ASSERT_LE(0, fd);
	read_fd_all(fd, canon, sizeof(canon));
	EXPECT_NE(NULL, strstr(canon, "\nlabel " MNT " SECRET\nlabel " SEC
			       " SECRET\nlabel " PUB " OFFICIAL\n"));
	/* The kernel's digest, which load prints, is the file's, labels and all. */
	ASSERT_EQ(0, write_file(POLICY_FILE, POLICY_HEAD
				"label " PUB " OFFICIAL\nlabel " SEC " SECRET\n"));
	ASSERT_EQ(0, ctl(o, "check", POLICY_FILE, NULL));
	want = strstr(o->out, "\ndigest: ");
	ASSERT_NE(NULL, want);
	snprintf(line, sizeof(line), "%.74s", want);
	ASSERT_EQ(0, ctl(o, "load", POLICY_FILE, NULL));
	EXPECT_NE(NULL, strstr(o->out, line)) {
		TH_LOG("check: %s load: %s", line, o->out);
	}
	EXPECT_EQ(NULL, strstr(o->err, "warning"));
	free(o);
}

/* The declared map, applied as xattrs; drift made by hand is found. */
TEST_F(plabel, apply_and_verify_drift)
{
	struct output *o = malloc(sizeof(*o));

	ASSERT_NE(NULL, o);
	ASSERT_EQ(0, write_file(POLICY_FILE, POLICY_HEAD
				"label " SEC " SECRET\nlabel " PUB " OFFICIAL\n"));
	EXPECT_EQ(1, ctl(o, "label", "--verify", POLICY_FILE, NULL));
	EXPECT_NE(NULL, strstr(o->out, SEC "/file: no label, declared SECRET"));
	ASSERT_EQ(0, ctl(o, "label", "--apply", POLICY_FILE, NULL));
	EXPECT_NE(NULL, strstr(o->out, "4 files labelled, 4 changed"));
	EXPECT_EQ(0, ctl(o, "label", "--verify", POLICY_FILE, NULL));
	/* Relabelled by hand: drift, and the fence follows the higher. */
	ASSERT_EQ(0, set_label(SEC "/file", "UNCLASSIFIED"));
	EXPECT_EQ(1, ctl(o, "label", "--verify", "--json", POLICY_FILE, NULL));
	EXPECT_NE(NULL, strstr(o->out, "\"drift\":[{\"path\":\"" SEC
			       "/file\",\"own\":\"UNCLASSIFIED\"}]"));
	EXPECT_EQ(0, scan(SEC "/file", "r"));	/* its own label, nearest */
	ASSERT_EQ(0, ctl(o, "label", "--apply", POLICY_FILE, NULL));
	EXPECT_EQ(EACCES, scan(SEC "/file", "r"));
	EXPECT_EQ(0, ctl(o, "label", "--verify", POLICY_FILE, NULL));
	free(o);
}

/* --- shares: filesystems labelled by the policy only ----------------- */

#define SHARE	TMP "/share"
#define PUBS	TMP "/pub"
#define SHARE_POLICY POLICY_HEAD "label " SHARE " SECRET\nlabel " PUBS \
	" OFFICIAL\n"

/* The checks every share gets: @dir SECRET, @pub OFFICIAL, both policy. */
static void fenced(struct __test_metadata *_metadata, const char *secret,
		   const char *inner, const char *official)
{
	EXPECT_EQ(EACCES, scan(secret, "r"));
	EXPECT_EQ(EACCES, scan(inner, "r"));
	EXPECT_EQ(EACCES, scan(SHARE, "r+d"));
	EXPECT_EQ(0, plain(secret, "r"));
	EXPECT_EQ(0, plain(inner, "r"));
	EXPECT_EQ(0, scan(official, "r"));
}

static int make_vfat(const char *img, const char *dir)
{
	int fd = open(img, O_WRONLY | O_CREAT | O_TRUNC, 0600), err;

	if (fd < 0 || ftruncate(fd, 4 << 20))
		return -errno;
	close(fd);
	err = run("/bin/mkdosfs", img, NULL);
	if (!err)
		err = mkdirs(dir);
	if (!err)
		err = run("/bin/mount", "-t", "vfat", "-o", "loop", img, dir, NULL);
	return err;
}

/* The files every share test reads, below @dir. */
static int tree_files(const char *dir)
{
	char p[256];
	int err;

	snprintf(p, sizeof(p), "%s/file", dir);
	err = write_file(p, "x\n");
	snprintf(p, sizeof(p), "%s/dir", dir);
	if (!err)
		err = mkdirs(p);
	snprintf(p, sizeof(p), "%s/dir/inner", dir);
	if (!err)
		err = write_file(p, "x\n");
	return err;
}

/* The server's side of share @name below @srv (NFS_SRV, SMB_SRV). */
static int server_files(const char *srv, const char *name)
{
	char dir[128];

	snprintf(dir, sizeof(dir), "%s/%s", srv, name);
	return tree_files(dir);
}

FIXTURE(vfat) {
};

FIXTURE_SETUP(vfat)
{
	ASSERT_EQ(0, mount_tmpfs(TMP));
	if (!has_fs("vfat") || access("/dev/loop-control", F_OK))
		SKIP(return, "no vfat or loop in this kernel");
	ASSERT_EQ(0, make_vfat(TMP "/share.img", SHARE));
	ASSERT_EQ(0, tree_files(SHARE));
	ASSERT_EQ(0, make_vfat(TMP "/pub.img", PUBS));
	ASSERT_EQ(0, tree_files(PUBS));
	ASSERT_EQ(0, load_policy(SHARE_POLICY));
}

FIXTURE_TEARDOWN(vfat)
{
	load_no_subject();
	umount2(SHARE, MNT_DETACH);
	umount2(PUBS, MNT_DETACH);
	umount_tmpfs(TMP);
}

TEST_F(vfat, fenced_by_policy_alone)
{
	struct output *o = malloc(sizeof(*o));

	if (setup_skipped(_metadata))
		return;
	ASSERT_NE(NULL, o);
	/* vfat has no security.* xattrs at all. */
	EXPECT_EQ(-1, setxattr(SHARE "/file", "security.avfence", "X", 1, 0));
	fenced(_metadata, SHARE "/file", SHARE "/dir/inner", PUBS "/file");
	/* Nothing to apply or verify there: the policy alone labels it. */
	ASSERT_EQ(0, write_file(TMP "/map.conf", SHARE_POLICY));
	EXPECT_EQ(0, ctl(o, "label", "--verify", TMP "/map.conf", NULL));
	EXPECT_NE(NULL, strstr(o->out, SHARE ": SECRET by the policy alone"));
	free(o);
}

TEST_F(vfat, remount_keeps_fence)
{
	if (setup_skipped(_metadata))
		return;
	ASSERT_EQ(0, umount2(SHARE, 0));
	/* The stick again, on another loop device: no reload. */
	ASSERT_EQ(0, run("/bin/mount", "-t", "vfat", "-o", "loop",
			 TMP "/share.img", SHARE, NULL));
	fenced(_metadata, SHARE "/file", SHARE "/dir/inner", PUBS "/file");
	/* Another stick on the same mount point: fenced too. */
	ASSERT_EQ(0, umount2(SHARE, 0));
	ASSERT_EQ(0, make_vfat(TMP "/other.img", SHARE));
	ASSERT_EQ(0, tree_files(SHARE));
	fenced(_metadata, SHARE "/file", SHARE "/dir/inner", PUBS "/file");
}

/* Inode numbers on vfat are made up in memory: only the root is labelled. */
TEST_F(vfat, inner_label_refused)
{
	struct output *o = malloc(sizeof(*o));

	if (setup_skipped(_metadata))
		return;
	ASSERT_NE(NULL, o);
	ASSERT_EQ(0, write_file(POLICY_FILE, SHARE_POLICY
				"label " SHARE "/dir OFFICIAL\n"));
	EXPECT_NE(0, ctl(o, "load", POLICY_FILE, NULL));
	EXPECT_NE(NULL, strstr(o->err, POLICY_FILE ":7: label " SHARE
			       "/dir: label inside a file system without stable inode numbers"));
	free(o);
}

FIXTURE(fuse) {
	struct tinyfuse share, pub;
};

FIXTURE_SETUP(fuse)
{
	self->share.pid = self->pub.pid = -1;
	ASSERT_EQ(0, mount_tmpfs(TMP));
	ASSERT_EQ(0, mkdirs(SHARE));
	ASSERT_EQ(0, mkdirs(PUBS));
	if (access("/dev/fuse", F_OK))
		SKIP(return, "no FUSE in this kernel");
	/* Mounted after the load: covered through the mount points. */
	ASSERT_EQ(0, load_policy(SHARE_POLICY));
	ASSERT_EQ(0, tinyfuse_mount(SHARE, 0, &self->share));
	ASSERT_EQ(0, tinyfuse_mount(PUBS, 0, &self->pub));
}

FIXTURE_TEARDOWN(fuse)
{
	load_no_subject();
	tinyfuse_umount(SHARE, &self->share);
	tinyfuse_umount(PUBS, &self->pub);
	umount_tmpfs(TMP);
}

TEST_F(fuse, fenced_by_policy_alone)
{
	if (setup_skipped(_metadata))
		return;
	fenced(_metadata, SHARE "/secret", SHARE "/sub/inner", PUBS "/secret");
}

/* A daemon claiming UNCLASSIFIED cannot go below the mount's label. */
TEST_F(fuse, lying_daemon_is_not_believed)
{
	struct avf_label_info li;

	if (setup_skipped(_metadata))
		return;
	tinyfuse_umount(SHARE, &self->share);
	ASSERT_EQ(0, tinyfuse_mount(SHARE, 1, &self->share));
	ASSERT_EQ(0, avf_get_label(SHARE "/secret", &li));
	EXPECT_STREQ("UNCLASSIFIED", li.label);
	EXPECT_STREQ("SECRET", li.effective);
	fenced(_metadata, SHARE "/secret", SHARE "/sub/inner", PUBS "/secret");
}

TEST_F(fuse, remount_keeps_fence)
{
	if (setup_skipped(_metadata))
		return;
	tinyfuse_umount(SHARE, &self->share);
	ASSERT_EQ(0, mkdirs(TMP "/x"));
	ASSERT_EQ(0, tinyfuse_mount(SHARE, 0, &self->share));
	fenced(_metadata, SHARE "/secret", SHARE "/sub/inner", PUBS "/secret");
}

FIXTURE(overlay) {
};

static int mount_overlay(const char *name, const char *dir)
{
	char opts[512], l[128], u[128], w[128], f[160];
	int err;

	snprintf(l, sizeof(l), TMP "/%s.lower", name);
	snprintf(u, sizeof(u), TMP "/%s.upper", name);
	snprintf(w, sizeof(w), TMP "/%s.work", name);
	snprintf(f, sizeof(f), "%s/dir", l);
	err = mkdirs(f);
	if (!err)
		err = mkdirs(u);
	if (!err)
		err = mkdirs(w);
	if (!err)
		err = mkdirs(dir);
	snprintf(f, sizeof(f), "%s/file", l);
	if (!err)
		err = write_file(f, "x\n");
	snprintf(f, sizeof(f), "%s/dir/inner", l);
	if (!err)
		err = write_file(f, "x\n");
	snprintf(opts, sizeof(opts), "lowerdir=%s,upperdir=%s,workdir=%s",
		 l, u, w);
	if (!err && mount("overlay", dir, "overlay", 0, opts))
		err = -errno;
	return err;
}

FIXTURE_SETUP(overlay)
{
	ASSERT_EQ(0, mount_tmpfs(TMP));
	if (!has_fs("overlay"))
		SKIP(return, "no overlayfs in this kernel");
	ASSERT_EQ(0, mount_overlay("share", SHARE));
	ASSERT_EQ(0, mount_overlay("pub", PUBS));
	ASSERT_EQ(0, load_policy(SHARE_POLICY));
}

FIXTURE_TEARDOWN(overlay)
{
	load_no_subject();
	umount2(SHARE, MNT_DETACH);
	umount2(PUBS, MNT_DETACH);
	umount_tmpfs(TMP);
}

TEST_F(overlay, fenced_by_policy_alone)
{
	if (setup_skipped(_metadata))
		return;
	fenced(_metadata, SHARE "/file", SHARE "/dir/inner", PUBS "/file");
	/* A copy-up (a write by an untagged process) stays fenced. */
	ASSERT_EQ(0, write_file(SHARE "/file", "y\n"));
	EXPECT_EQ(EACCES, scan(SHARE "/file", "r"));
}

TEST_F(overlay, remount_keeps_fence)
{
	if (setup_skipped(_metadata))
		return;
	ASSERT_EQ(0, umount2(SHARE, 0));
	ASSERT_EQ(0, mount_overlay("share", SHARE));
	fenced(_metadata, SHARE "/file", SHARE "/dir/inner", PUBS "/file");
}

/*
 * NFS: an export of this host mounted over loopback, the kernel's nfsd
 * served by Debian's rpc.nfsd and rpc.mountd (NFSv4 only: no rpcbind).
 * The server's side is two tmpfs that stay for the rest of the boot,
 * NFS_SRV/share and NFS_SRV/pub, each its own export (fsid) so that the
 * client mounts them as two filesystems; the client mounts them on
 * SHARE and PUBS.  NFSv4 carries no security.* xattrs (avfence asks for
 * no labeled NFS), so the server's own labels never reach the client.
 */
#define NFS_SRV		"/srv/avf-nfs"
#define NFS_OPTS	"vers=4.2,addr=127.0.0.1,clientaddr=127.0.0.1"

/*
 * A network share fixture's common part: shares "share" and "pub" served
 * below @srv, mounted at SHARE and PUBS by @share_mount before the
 * policy is loaded (so the labels resolve to the mount roots).
 */
static void shares_set_up(struct __test_metadata *_metadata, const char *srv,
			  int (*share_mount)(const char *name, const char *dir))
{
	ASSERT_EQ(0, server_files(srv, "share"));
	ASSERT_EQ(0, server_files(srv, "pub"));
	ASSERT_EQ(0, share_mount("share", SHARE));
	ASSERT_EQ(0, share_mount("pub", PUBS));
	ASSERT_EQ(0, load_policy(SHARE_POLICY));
}

static void shares_tear_down(void)
{
	load_no_subject();
	umount2(SHARE, MNT_DETACH);
	umount2(PUBS, MNT_DETACH);
	umount_tmpfs(TMP);
}

/*
 * A network share unmounted and mounted again, after another filesystem
 * took its device number, then both shares mounted after a reload: still
 * fenced, with no reload between.  @share_mount mounts a share by name.
 */
static void remount_checks(struct __test_metadata *_metadata,
			   int (*share_mount)(const char *name, const char *dir))
{
	ASSERT_EQ(0, umount2(SHARE, 0));
	/* Another filesystem takes the device number just freed. */
	ASSERT_EQ(0, mount_tmpfs(TMP "/other"));
	ASSERT_EQ(0, share_mount("share", SHARE));
	fenced(_metadata, SHARE "/file", SHARE "/dir/inner", PUBS "/file");
	ASSERT_EQ(0, umount2(SHARE, 0));
	ASSERT_EQ(0, umount2(PUBS, 0));
	ASSERT_EQ(0, load_policy(SHARE_POLICY));
	ASSERT_EQ(0, share_mount("pub", PUBS));
	ASSERT_EQ(0, share_mount("share", SHARE));
	fenced(_metadata, SHARE "/file", SHARE "/dir/inner", PUBS "/file");
	umount2(TMP "/other", MNT_DETACH);
}

/*
 * A network share's labels come from the policy alone: fenced, with no
 * security.* xattrs through the share and no label on its files.
 */
static void policy_only_checks(struct __test_metadata *_metadata)
{
	struct avf_label_info li;

	fenced(_metadata, SHARE "/file", SHARE "/dir/inner", PUBS "/file");
	EXPECT_EQ(-1, setxattr(SHARE "/file", "security.avfence", "X", 1, 0));
	ASSERT_EQ(0, avf_get_label(SHARE "/dir/inner", &li));
	EXPECT_EQ(0, li.has_label);
	EXPECT_STREQ("SECRET", li.effective);
}

/*
 * The server's own labels UNCLASSIFIED on each of @names (below the
 * share's directory @srv/share): still SECRET to the client and fenced.
 */
static void server_labels_checks(struct __test_metadata *_metadata,
				 const char *srv, const char *const *names)
{
	struct avf_label_info li;
	char path[PATH_MAX];
	int i;

	for (i = 0; names[i]; i++) {
		snprintf(path, sizeof(path), "%s/share%s", srv, names[i]);
		ASSERT_EQ(0, set_label(path, "UNCLASSIFIED"));
	}
	ASSERT_EQ(0, avf_get_label(SHARE "/file", &li));
	EXPECT_EQ(0, li.has_label);
	EXPECT_STREQ("SECRET", li.effective);
	fenced(_metadata, SHARE "/file", SHARE "/dir/inner", PUBS "/file");
	for (i = 0; names[i]; i++) {
		snprintf(path, sizeof(path), "%s/share%s", srv, names[i]);
		removexattr(path, "security.avfence");
	}
}

/*
 * A label inside the share, SECRET on its dir below an OFFICIAL root:
 * kept when the share is mounted again (with @other, after another
 * filesystem took its device number).
 */
static void inner_label_checks(struct __test_metadata *_metadata,
			       int (*share_mount)(const char *name,
						  const char *dir),
			       bool other)
{
	ASSERT_EQ(0, load_policy(POLICY_HEAD "label " SHARE " OFFICIAL\n"
				 "label " SHARE "/dir SECRET\n"));
	EXPECT_EQ(0, scan(SHARE "/file", "r"));
	EXPECT_EQ(EACCES, scan(SHARE "/dir/inner", "r"));
	EXPECT_EQ(0, plain(SHARE "/dir/inner", "r"));
	ASSERT_EQ(0, umount2(SHARE, 0));
	if (other)
		ASSERT_EQ(0, mount_tmpfs(TMP "/other"));
	ASSERT_EQ(0, share_mount("share", SHARE));
	EXPECT_EQ(0, scan(SHARE "/file", "r"));
	EXPECT_EQ(EACCES, scan(SHARE "/dir/inner", "r"));
	if (other)
		umount2(TMP "/other", MNT_DETACH);
}

static int nfs_export(const char *name, const char *fsid)
{
	char dir[128], opts[128], what[160];
	int err;

	snprintf(dir, sizeof(dir), NFS_SRV "/%s", name);
	snprintf(opts, sizeof(opts),
		 "rw,no_root_squash,insecure,no_subtree_check,fsid=%s", fsid);
	snprintf(what, sizeof(what), "127.0.0.1:%s", dir);
	err = mount_tmpfs(dir);
	if (!err)
		err = run("/usr/sbin/exportfs", "-o", opts, what, NULL);
	return err;
}

/* Has the server's grace period ended? */
static bool nfs_grace_over(void)
{
	char buf[8] = "";
	int fd = open("/proc/fs/nfsd/v4_end_grace", O_RDONLY);

	if (fd < 0)
		return false;
	read_fd_all(fd, buf, sizeof(buf));	/* closes it */
	return buf[0] == 'Y';
}

/* Start the server once per boot: 0 when it serves, or the failing step. */
static int nfs_server(void)
{
	char threads[16] = "";
	int fd = open("/proc/fs/nfsd/threads", O_RDONLY), err, i;

	if (fd >= 0) {
		read_fd_all(fd, threads, sizeof(threads));	/* closes it */
		if (atoi(threads) > 0)
			return 0;	/* running */
	} else if (mkdirs("/proc/fs/nfsd") ||
		   mount("nfsd", "/proc/fs/nfsd", "nfsd", 0, NULL)) {
		return 1;
	}
	if (run("/bin/ifconfig", "lo", "127.0.0.1", "up", NULL))
		return 2;
	/* State files of exportfs and mountd; nfsd's client tracking. */
	if (mkdirs("/var/lib/nfs/v4recovery") ||
	    write_file("/var/lib/nfs/etab", "") ||
	    write_file("/var/lib/nfs/rmtab", "") ||
	    write_file("/etc/exports", ""))
		return 3;
	if (nfs_export("share", "11") || nfs_export("pub", "12"))
		return 4;
	if (run("/usr/sbin/rpc.mountd", "-N", "3", NULL))
		return 5;
	if (run("/usr/sbin/rpc.nfsd", "-N", "3", "-U", "-H", "127.0.0.1",
		"-p", "2049", "-G", "10", "-L", "10", "2", NULL))
		return 6;
	/*
	 * A new server's grace period refuses opens: end it, there is no
	 * state to reclaim (or wait for its 10 s if nfsd will not).
	 */
	err = write_file("/proc/fs/nfsd/v4_end_grace", "Y");
	for (i = 0; !nfs_grace_over() && i < 30; i++)
		usleep(500000);
	if (!nfs_grace_over()) {
		fprintf(stderr, "# nfsd grace period still on (end: %d)\n", err);
		return 7;
	}
	return 0;
}

static int nfs_mount(const char *name, const char *dir)
{
	char what[128];

	snprintf(what, sizeof(what), "127.0.0.1:" NFS_SRV "/%s", name);
	if (mkdirs(dir))
		return -errno;
	return mount(what, dir, "nfs4", 0, NFS_OPTS) ? -errno : 0;
}

FIXTURE(nfs) {
};

FIXTURE_SETUP(nfs)
{
	ASSERT_EQ(0, mount_tmpfs(TMP));
	if (!has_fs("nfsd") || !has_fs("nfs4") ||
	    access("/usr/sbin/rpc.nfsd", X_OK))
		SKIP(return, "no nfsd, NFSv4 client or nfs-kernel-server tools");
	ASSERT_EQ(0, nfs_server());
	shares_set_up(_metadata, NFS_SRV, nfs_mount);
}

FIXTURE_TEARDOWN(nfs)
{
	shares_tear_down();
}

/* No security.* xattrs through NFS: only the policy labels it. */
TEST_F(nfs, fenced_by_policy_alone)
{
	if (setup_skipped(_metadata))
		return;
	policy_only_checks(_metadata);
}

/* The server's own labels (its xattrs) cannot lower the client's fence. */
TEST_F(nfs, server_xattrs_not_believed)
{
	static const char *const names[] = { "", "/file", "/dir", NULL };

	if (setup_skipped(_metadata))
		return;
	server_labels_checks(_metadata, NFS_SRV, names);
}

/* Unmounted and mounted again, then mounted after the load: no reload. */
TEST_F(nfs, remount_keeps_fence)
{
	if (setup_skipped(_metadata))
		return;
	remount_checks(_metadata, nfs_mount);
}

/* A label inside the share (server inode numbers are stable): kept too. */
TEST_F(nfs, label_inside_share)
{
	if (setup_skipped(_metadata))
		return;
	inner_label_checks(_metadata, nfs_mount, true);
	/* Not lower than the root: the server reports the inode numbers. */
	ASSERT_EQ(0, load_policy(POLICY_HEAD "label " SHARE " SECRET\n"
				 "label " SHARE "/dir OFFICIAL\n"));
	EXPECT_EQ(EACCES, scan(SHARE "/dir/inner", "r"));
	EXPECT_EQ(0, plain(SHARE "/dir/inner", "r"));
}

/*
 * b's files reached through a, and a itself: SECRET to a scan, not to a
 * plain reader.
 */
static void a_holds_b(struct __test_metadata *_metadata)
{
	EXPECT_EQ(EACCES, scan(TMP "/a/dir/inner", "r"));
	EXPECT_EQ(EACCES, scan(TMP "/a/file", "r"));
	EXPECT_EQ(0, plain(TMP "/a/dir/inner", "r"));
}

/*
 * Two exports of one server filesystem share one client super block.
 * Through a mount on a labelled mount point nothing reads below that
 * mount point's label, and every root of the shared super block takes
 * the higher label: from the mount on, if it is mounted after the load
 * (label.c adopts it in security_sb_kern_mount()), once both mounts have
 * been reached if they were mounted before it (threat-model.rst).
 * Mounted after the load (@after) or before it.
 */
static void shared_sb(struct __test_metadata *_metadata, bool after)
{
	const char *policy = POLICY_HEAD "label " TMP "/a OFFICIAL\n"
			     "label " TMP "/b SECRET\n"
			     "label " TMP "/c OFFICIAL\n";
	struct stat a, b, c;

	ASSERT_EQ(0, umount2(SHARE, 0));
	ASSERT_EQ(0, umount2(PUBS, 0));
	ASSERT_EQ(0, mkdirs(TMP "/a"));
	ASSERT_EQ(0, mkdirs(TMP "/b"));
	ASSERT_EQ(0, mkdirs(TMP "/c"));
	if (after)
		ASSERT_EQ(0, load_policy(policy));
	ASSERT_EQ(0, nfs_mount("share", TMP "/a"));
	ASSERT_EQ(0, nfs_mount("share/dir", TMP "/b"));
	ASSERT_EQ(0, nfs_mount("pub", TMP "/c"));
	if (!after)
		ASSERT_EQ(0, load_policy(policy));
	ASSERT_EQ(0, stat(TMP "/a", &a));
	ASSERT_EQ(0, stat(TMP "/b", &b));
	ASSERT_EQ(0, stat(TMP "/c", &c));
	EXPECT_EQ(a.st_dev, b.st_dev);		/* one client super block */
	EXPECT_NE(a.st_dev, c.st_dev);
	if (after)	/* b not reached yet: SECRET from its mount on */
		a_holds_b(_metadata);
	EXPECT_EQ(EACCES, scan(TMP "/b/inner", "r"));
	EXPECT_EQ(0, plain(TMP "/b/inner", "r"));
	/* b's files through a, and a itself: the higher label now. */
	EXPECT_EQ(EACCES, scan(TMP "/a/dir/inner", "r"));
	EXPECT_EQ(EACCES, scan(TMP "/a/file", "r"));
	EXPECT_EQ(EACCES, scan(TMP "/b/inner", "r"));
	EXPECT_EQ(0, plain(TMP "/a/file", "r"));
	/* Another server filesystem is not concerned. */
	EXPECT_EQ(0, scan(TMP "/c/file", "r"));
	EXPECT_EQ(0, scan(TMP "/c/dir/inner", "r"));
	umount2(TMP "/a", MNT_DETACH);
	umount2(TMP "/b", MNT_DETACH);
	umount2(TMP "/c", MNT_DETACH);
}

#define SHARED_SB_POLICY POLICY_HEAD "label " TMP "/a OFFICIAL\n" \
			 "label " TMP "/b SECRET\n"

/* For the mount API cases below: share on TMP/a, TMP/b empty, loaded. */
static void shared_sb_set_up(struct __test_metadata *_metadata)
{
	ASSERT_EQ(0, mkdirs(TMP "/a"));
	ASSERT_EQ(0, mkdirs(TMP "/b"));
	ASSERT_EQ(0, load_policy(SHARED_SB_POLICY));
	ASSERT_EQ(0, nfs_mount("share", TMP "/a"));
}

TEST_F(nfs, shared_super_block_mounted_after_load)
{
	if (setup_skipped(_metadata))
		return;
	shared_sb(_metadata, true);
}

/*
 * The same, mounted after the load with the mount API (fsopen, fsmount,
 * move_mount): a detached mount attached on a labelled mount point.
 */
TEST_F(nfs, shared_super_block_move_mount)
{
	int fs, mnt;

	if (setup_skipped(_metadata))
		return;
	shared_sb_set_up(_metadata);
	fs = syscall(__NR_fsopen, "nfs4", 0);
	ASSERT_LE(0, fs);
	ASSERT_EQ(0, syscall(__NR_fsconfig, fs, FSCONFIG_SET_STRING, "source",
			     "127.0.0.1:" NFS_SRV "/share/dir", 0));
	ASSERT_EQ(0, syscall(__NR_fsconfig, fs, FSCONFIG_SET_STRING, "vers",
			     "4.2", 0));
	ASSERT_EQ(0, syscall(__NR_fsconfig, fs, FSCONFIG_SET_STRING, "addr",
			     "127.0.0.1", 0));
	ASSERT_EQ(0, syscall(__NR_fsconfig, fs, FSCONFIG_SET_STRING,
			     "clientaddr", "127.0.0.1", 0));
	ASSERT_EQ(0, syscall(__NR_fsconfig, fs, FSCONFIG_CMD_CREATE, NULL,
			     NULL, 0));
	mnt = syscall(__NR_fsmount, fs, 0, 0);
	ASSERT_LE(0, mnt);
	ASSERT_EQ(0, syscall(__NR_move_mount, mnt, "", AT_FDCWD, TMP "/b",
			     MOVE_MOUNT_F_EMPTY_PATH));
	close(mnt);
	close(fs);
	/* b's files through a, before anything was reached through b. */
	a_holds_b(_metadata);
	EXPECT_EQ(EACCES, scan(TMP "/b/inner", "r"));
	umount2(TMP "/a", MNT_DETACH);
	umount2(TMP "/b", MNT_DETACH);
}

/*
 * The same with mount --move and mount --bind of a mount made elsewhere
 * (TMP/x, unlabelled): adopted when it is attached on TMP/b.
 */
TEST_F(nfs, shared_super_block_moved_and_bound)
{
	if (setup_skipped(_metadata))
		return;
	shared_sb_set_up(_metadata);
	ASSERT_EQ(0, nfs_mount("share/dir", TMP "/x"));
	EXPECT_EQ(0, scan(TMP "/x/inner", "r"));	/* unlabelled there */
	ASSERT_EQ(0, mount(TMP "/x", TMP "/b", NULL, MS_MOVE, NULL));
	a_holds_b(_metadata);
	ASSERT_EQ(0, umount2(TMP "/b", 0));
	/* A new policy forgets the adoption; a bind mount brings it back. */
	ASSERT_EQ(0, load_policy(SHARED_SB_POLICY));
	ASSERT_EQ(0, nfs_mount("share/dir", TMP "/x"));
	EXPECT_EQ(0, scan(TMP "/a/dir/inner", "r"));
	ASSERT_EQ(0, mount(TMP "/x", TMP "/b", NULL, MS_BIND, NULL));
	EXPECT_EQ(EACCES, scan(TMP "/a/dir/inner", "r"));
	EXPECT_EQ(0, plain(TMP "/a/dir/inner", "r"));
	umount2(TMP "/b", MNT_DETACH);
	umount2(TMP "/x", MNT_DETACH);
	umount2(TMP "/a", MNT_DETACH);
}

TEST_F(nfs, shared_super_block_mounted_before_load)
{
	if (setup_skipped(_metadata))
		return;
	shared_sb(_metadata, false);
}

/*
 * SMB: two shares of this host served by Samba's smbd (Debian's samba,
 * unpacked by scripts/deps.sh) over loopback, mounted with the kernel's
 * cifs client (SMB 3.0, NTLMSSP as root).  The server's side is two tmpfs
 * that stay for the rest of the boot, SMB_SRV/share and SMB_SRV/pub, its
 * state under SMB_RUN.  SMB carries no security.* xattrs to the client:
 * only the policy labels what the client sees.  Without smbd or cifs, or
 * when smbd does not start, the fixture skips.
 */
#define SMB_SRV		"/srv/avf-smb"
#define SMB_RUN		"/run/avf-smb"
#define SMB_CONF	SMB_RUN "/smb.conf"
#define SMB_PASS	"avf-smb-pw"
#define SMB_TIMEOUT	240	/* seconds: the first test starts smbd */
#define SMB_OPTS	"ip=127.0.0.1,username=root,password=" SMB_PASS \
			",vers=3.0"

static const char smb_conf[] =
	"[global]\n"
	"\tserver role = standalone server\n"
	"\tinterfaces = lo\n\tbind interfaces only = yes\n"
	"\tsmb ports = 445\n\tdisable netbios = yes\n"
	"\tserver min protocol = SMB2_10\n"
	"\tunix charset = UTF-8\n\tdos charset = ASCII\n"
	"\tprivate dir = " SMB_RUN "/private\n"
	"\tlock directory = " SMB_RUN "/lock\n"
	"\tstate directory = " SMB_RUN "/state\n"
	"\tcache directory = " SMB_RUN "/cache\n"
	"\tpid directory = " SMB_RUN "\n"
	"\tncalrpc dir = " SMB_RUN "/ncalrpc\n"
	"\tbinddns dir = " SMB_RUN "/bind-dns\n"
	"\tlog file = " SMB_RUN "/log\n\tlog level = 1\n"
	"\tload printers = no\n\tprinting = bsd\n\tprintcap name = /dev/null\n"
	"\tdisable spoolss = yes\n\tpassdb backend = tdbsam\n"
	"\tusershare path =\n"
	"[share]\n\tpath = " SMB_SRV "/share\n\tread only = no\n"
	"[pub]\n\tpath = " SMB_SRV "/pub\n\tread only = no\n";

/* Does smbd accept connections on 127.0.0.1:445? */
static bool smb_listening(void)
{
	struct sockaddr_in sin = {
		.sin_family = AF_INET,
		.sin_port = htons(445),
		.sin_addr.s_addr = htonl(INADDR_LOOPBACK),
	};
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	bool ok;

	if (fd < 0)
		return false;
	ok = !connect(fd, (struct sockaddr *)&sin, sizeof(sin));
	close(fd);
	return ok;
}

/* Why smbd does not serve: its output and where its processes wait. */
static void smb_diagnose(void)
{
	char path[64], line[256];
	struct dirent *de;
	FILE *f;
	DIR *d;

	f = fopen(SMB_RUN "/out", "r");
	while (f && fgets(line, sizeof(line), f))
		fprintf(stderr, "# smbd: %s", line);
	if (f)
		fclose(f);
	d = opendir("/proc");
	while (d && (de = readdir(d))) {
		bool smbd = false;

		snprintf(path, sizeof(path), "/proc/%.16s/stat", de->d_name);
		f = fopen(path, "r");
		if (f && fgets(line, sizeof(line), f) && strstr(line, "(smbd")) {
			fprintf(stderr, "# smbd process: %.120s\n", line);
			smbd = true;
		}
		if (f)
			fclose(f);
		snprintf(path, sizeof(path), "/proc/%.16s/wchan", de->d_name);
		f = smbd ? fopen(path, "r") : NULL;
		if (f && fgets(line, sizeof(line), f))
			fprintf(stderr, "# smbd waits in: %s\n", line);
		if (f)
			fclose(f);
	}
	if (d)
		closedir(d);
}

/* Start the server once per boot: 0 when it serves, or the failing step. */
static int smb_server(void)
{
	int i;

	if (smb_listening())
		return 0;
	if (!access(SMB_RUN "/failed", F_OK))
		return 7;	/* tried in an earlier test */
	if (run("/bin/ifconfig", "lo", "127.0.0.1", "up", NULL))
		return 1;
	if (mkdirs(SMB_RUN "/private") || mkdirs(SMB_RUN "/lock") ||
	    mkdirs(SMB_RUN "/state") || mkdirs(SMB_RUN "/cache") ||
	    mkdirs(SMB_RUN "/ncalrpc") || write_file(SMB_CONF, smb_conf))
		return 2;
	if ((access(SMB_SRV "/share", F_OK) && mount_tmpfs(SMB_SRV "/share")) ||
	    (access(SMB_SRV "/pub", F_OK) && mount_tmpfs(SMB_SRV "/pub")))
		return 3;
	if (run("/bin/sh", "-c", "printf '%s\\n%s\\n' " SMB_PASS " " SMB_PASS
		" | /usr/bin/smbpasswd -c " SMB_CONF " -a -s root", NULL))
		return 4;
	/* In the background, its log in SMB_RUN/out: under TCG it takes
	 * tens of seconds to listen.
	 */
	if (run("/bin/sh", "-c", "/usr/sbin/smbd -F --no-process-group "
		"--debug-stdout -d 3 -l " SMB_RUN " -s " SMB_CONF " < /dev/null > "
		SMB_RUN "/out 2>&1 &", NULL))
		return 5;
	for (i = 0; !smb_listening() && i < 360; i++)
		usleep(250000);
	if (!smb_listening()) {
		smb_diagnose();
		write_file(SMB_RUN "/failed", "");
		return 6;
	}
	fprintf(stderr, "# smbd listening after %d.%02d s\n", i / 4,
		i % 4 * 25);
	return 0;
}

static int smb_mount(const char *name, const char *dir)
{
	char what[128];

	snprintf(what, sizeof(what), "//127.0.0.1/%s", name);
	if (mkdirs(dir))
		return -errno;
	return mount(what, dir, "cifs", 0, SMB_OPTS) ? -errno : 0;
}

FIXTURE(smb) {
};

FIXTURE_SETUP(smb)
{
	int step;

	ASSERT_EQ(0, mount_tmpfs(TMP));
	if (!has_fs("cifs") || access("/usr/sbin/smbd", X_OK) ||
	    access("/usr/bin/smbpasswd", X_OK))
		SKIP(return, "no cifs client or Samba's smbd");
	step = smb_server();
	if (step)
		SKIP(return, "smbd did not start (step %d)", step);
	shares_set_up(_metadata, SMB_SRV, smb_mount);
}

FIXTURE_TEARDOWN(smb)
{
	shares_tear_down();
}

/* No security.* xattrs through SMB: only the policy labels it. */
TEST_F_TIMEOUT(smb, fenced_by_policy_alone, SMB_TIMEOUT)
{
	struct avf_label_info li;

	if (setup_skipped(_metadata))
		return;
	policy_only_checks(_metadata);
	ASSERT_EQ(0, avf_get_label(PUBS "/dir/inner", &li));
	EXPECT_STREQ("OFFICIAL", li.effective);
}

/* The server's own labels (its xattrs) cannot lower the client's fence. */
TEST_F_TIMEOUT(smb, server_xattrs_not_believed, SMB_TIMEOUT)
{
	static const char *const names[] = { "", "/file", NULL };

	if (setup_skipped(_metadata))
		return;
	server_labels_checks(_metadata, SMB_SRV, names);
}

/* Unmounted and mounted again, then mounted after the load: no reload. */
TEST_F_TIMEOUT(smb, remount_keeps_fence, SMB_TIMEOUT)
{
	if (setup_skipped(_metadata))
		return;
	remount_checks(_metadata, smb_mount);
}

/* A label inside the share (server inode numbers, serverino): kept too. */
TEST_F_TIMEOUT(smb, label_inside_share, SMB_TIMEOUT)
{
	if (setup_skipped(_metadata))
		return;
	inner_label_checks(_metadata, smb_mount, false);
}

TEST_HARNESS_MAIN
