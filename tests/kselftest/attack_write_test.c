// SPDX-License-Identifier: GPL-2.0
/*
 * avfence deputy and integrity fence, write= (issue 12 items 1 and 5): a
 * fenced root agent that cannot read a SECRET file plants something an
 * untagged root process runs later (a cron job, a crontab line, a shell
 * profile, /etc/ld.so.preload, a binary root runs, a helper the kernel
 * runs: modprobe, request-key, the core_pattern pipe handler, a cgroup
 * release agent, the poweroff command, firmware), or damages the host
 * (removes, truncates, renames away classified files, or replaces a
 * labelled directory by an unlabelled one).  It may change the file
 * system only below the write= directories of its subject, and mount
 * nothing except in a private user and mount namespace of its own.
 *
 * TMP (tmpfs)
 * ├── w/                   the subject's write= directory
 * │   ├── mine             "mine"
 * │   └── evil             "evil" (what the agent would plant)
 * ├── bin/tool             a binary root runs (a copy of PLAIN)
 * ├── sbin/modprobe        stands in for a kernel-run helper
 * ├── secret               SECRET (own label), CANARY
 * ├── dir_secret/          SECRET
 * │   └── inner            CANARY, inherits SECRET
 * └── mnt/                 an empty mount point
 *
 * The real /etc/cron.d, /etc/crontab, /etc/profile.d and /etc/ld.so.preload
 * of the VM are attacked too (and restored).  AGENT_BIN has clearance
 * OFFICIAL and write=TMP/w.  Variant "tagged" is the attack, "untagged"
 * the control: the same calls succeed, so each route is real, and a
 * refusal is proven to be the fence's by the route counter and log line.
 */
#include <sched.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <linux/mount.h>

#include "doors.h"

#define W TMP "/w"
#define TOOL TMP "/bin/tool"
#define MODPROBE TMP "/sbin/modprobe"
#define SECRET_F TMP "/secret"
#define SECDIR TMP "/dir_secret"
#define MNT TMP "/mnt"

#ifndef OPEN_TREE_CLONE
#define OPEN_TREE_CLONE 1
#endif
#ifndef MOVE_MOUNT_F_EMPTY_PATH
#define MOVE_MOUNT_F_EMPTY_PATH 0x00000004
#endif

static int sys_open_tree(int dfd, const char *path, unsigned int flags)
{
	return syscall(SYS_open_tree, dfd, path, flags);
}

static int sys_move_mount(int from, const char *fpath, int to,
			  const char *tpath, unsigned int flags)
{
	return syscall(SYS_move_mount, from, fpath, to, tpath, flags);
}

static int sys_fsopen(const char *fs, unsigned int flags)
{
	return syscall(SYS_fsopen, fs, flags);
}

static int sys_fsconfig(int fd, unsigned int cmd, const char *key,
			const void *value, int aux)
{
	return syscall(SYS_fsconfig, fd, cmd, key, value, aux);
}

static int sys_fsmount(int fd, unsigned int flags, unsigned int attr)
{
	return syscall(SYS_fsmount, fd, flags, attr);
}

static int sys_fspick(int dfd, const char *path, unsigned int flags)
{
	return syscall(SYS_fspick, dfd, path, flags);
}

/* Append @text to @path (created if need be): 0 or -1 with errno. */
static int append(const char *path, const char *text, int flags)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC | flags, 0755);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = write(fd, text, strlen(text));
	close(fd);
	return n == (ssize_t)strlen(text) ? 0 : -1;
}

/* Unshare a user and a mount namespace, root mapped to root: 0 or -1. */
static int private_userns(void)
{
	if (unshare(CLONE_NEWUSER | CLONE_NEWNS) ||
	    append("/proc/self/setgroups", "deny", 0) ||
	    append("/proc/self/uid_map", "0 0 1", 0) ||
	    append("/proc/self/gid_map", "0 0 1", 0))
		return -1;
	return mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL);
}

/*
 * change OP ARG...: one change to the file system, "op=ERRNO".
 *   append PATH TEXT | create PATH | trunc PATH (open O_TRUNC) |
 *   truncate PATH | unlink PATH | rmdir PATH | mkdir PATH | mkfifo PATH |
 *   fifo PATH TEXT (write to a fifo that has a reader) |
 *   pipe (reopen the write end of a pipe by /proc/self/fd, write to it) |
 *   rename A B | link A B | symlink TARGET PATH | chmod PATH | chown PATH |
 *   utimes PATH | setxattr PATH | removexattr PATH |
 *   bind SRC DST | mount DST (tmpfs) | remount DST | umount DST |
 *   open_tree SRC DST | fsmount DST | fspick DST | mount_setattr DST |
 *   userns DST (unshare user+mount namespace, mount a tmpfs at DST and
 *   create DST/f in it)
 */
AGENT(change)
{
	const char *op = argv[1], *a = argv[2], *b = argc > 3 ? argv[3] : "";
	long ret = -1;
	int fd, mfd;

	if (!strcmp(op, "append")) {
		ret = append(a, b, O_APPEND | O_CREAT);
	} else if (!strcmp(op, "create")) {
		ret = append(a, "x", O_CREAT | O_EXCL);
	} else if (!strcmp(op, "trunc")) {
		ret = append(a, "", O_TRUNC);
	} else if (!strcmp(op, "truncate")) {
		ret = truncate(a, 0);
	} else if (!strcmp(op, "unlink")) {
		ret = unlink(a);
	} else if (!strcmp(op, "rmdir")) {
		ret = rmdir(a);
	} else if (!strcmp(op, "mkdir")) {
		ret = mkdir(a, 0755);
	} else if (!strcmp(op, "mkfifo")) {
		ret = mkfifo(a, 0600);
	} else if (!strcmp(op, "fifo")) {
		ret = append(a, b, O_NONBLOCK);
	} else if (!strcmp(op, "pipe")) {
		char path[64];
		int p[2];

		ret = pipe2(p, O_CLOEXEC | O_NONBLOCK);
		snprintf(path, sizeof(path), "/proc/self/fd/%d", p[1]);
		if (!ret)
			ret = append(path, "x", O_NONBLOCK);
	} else if (!strcmp(op, "rename")) {
		ret = rename(a, b);
	} else if (!strcmp(op, "link")) {
		ret = link(a, b);
	} else if (!strcmp(op, "symlink")) {
		ret = symlink(a, b);
	} else if (!strcmp(op, "chmod")) {
		ret = chmod(a, 04755);
	} else if (!strcmp(op, "chown")) {
		ret = chown(a, 1, 1);
	} else if (!strcmp(op, "utimes")) {
		ret = utimes(a, NULL);
	} else if (!strcmp(op, "setxattr")) {
		ret = setxattr(a, "trusted.avftest", "1", 1, 0);
	} else if (!strcmp(op, "removexattr")) {
		ret = removexattr(a, "trusted.avftest");
	} else if (!strcmp(op, "bind")) {
		ret = mount(a, b, NULL, MS_BIND, NULL);
	} else if (!strcmp(op, "mount")) {
		ret = mount("tmpfs", a, "tmpfs", 0, NULL);
	} else if (!strcmp(op, "remount")) {
		ret = mount(NULL, a, NULL, MS_REMOUNT | MS_RDONLY, NULL);
	} else if (!strcmp(op, "umount")) {
		ret = umount2(a, 0);
	} else if (!strcmp(op, "open_tree")) {
		fd = sys_open_tree(AT_FDCWD, a, OPEN_TREE_CLONE);
		ret = fd < 0 ? -1 : sys_move_mount(fd, "", AT_FDCWD, b,
						   MOVE_MOUNT_F_EMPTY_PATH);
	} else if (!strcmp(op, "fsmount")) {
		fd = sys_fsopen("tmpfs", 0);
		if (fd >= 0 &&
		    !sys_fsconfig(fd, FSCONFIG_CMD_CREATE, NULL, NULL, 0)) {
			mfd = sys_fsmount(fd, 0, 0);
			ret = mfd < 0 ? -1 :
			      sys_move_mount(mfd, "", AT_FDCWD, a,
					     MOVE_MOUNT_F_EMPTY_PATH);
		}
	} else if (!strcmp(op, "fspick")) {
		fd = sys_fspick(AT_FDCWD, a, 0);
		if (fd >= 0 &&
		    !sys_fsconfig(fd, FSCONFIG_SET_FLAG, "ro", NULL, 0))
			ret = sys_fsconfig(fd, FSCONFIG_CMD_RECONFIGURE, NULL,
					   NULL, 0);
	} else if (!strcmp(op, "mount_setattr")) {
		struct mount_attr attr = { .attr_set = MOUNT_ATTR_RDONLY };

		ret = syscall(SYS_mount_setattr, AT_FDCWD, a, 0, &attr,
			      sizeof(attr));
	} else if (!strcmp(op, "userns")) {
		char f[PATH_MAX];

		snprintf(f, sizeof(f), "%s/f", a);
		ret = private_userns();
		if (!ret)
			ret = mount("tmpfs", a, "tmpfs", 0, NULL);
		if (!ret)
			result("mounted", 0);
		if (!ret)
			ret = append(f, "x", O_CREAT);
	} else {
		return SETUP_FAILED;
	}
	result("op", ret);
	return 0;
}

/*
 * userns_bind SRC DST FILE: in a private user and mount namespace, bind
 * SRC on DST (allowed there) and read DST/FILE: the label still holds.
 */
AGENT(userns_bind)
{
	char path[PATH_MAX];

	result("userns", private_userns());
	result("mount", mount(argv[1], argv[2], NULL, MS_BIND, NULL));
	snprintf(path, sizeof(path), "%s/%s", argv[2], argv[3]);
	open_read_emit("read", path);
	return 0;
}

FIXTURE(write) {
};

FIXTURE_TAGGED_VARIANTS(write);

/* The tree above; names as in W, TOOL, MODPROBE, SECRET_F, SECDIR, MNT. */
static const struct tree_entry write_tree[] = {
	TREE_DIR("w", NULL),
	TREE_FILE("w/mine", "mine\n", NULL),
	TREE_FILE("w/evil", "evil\n", NULL),
	TREE_DIR("bin", NULL),
	TREE_COPY("bin/tool", PLAIN, NULL),
	TREE_DIR("sbin", NULL),
	TREE_COPY("sbin/modprobe", PLAIN, NULL),
	TREE_FILE("secret", CANARY_LINE, "SECRET"),
	TREE_DIR("dir_secret", "SECRET"),
	TREE_FILE("dir_secret/inner", CANARY_LINE, NULL),
	TREE_DIR("mnt", NULL),
	{ NULL }
};

FIXTURE_SETUP(write)
{
	ASSERT_EQ(0, build_tree(TMP, write_tree));
	ASSERT_EQ(0, chmod(TMP "/sbin", 0700));
	ASSERT_EQ(0, setxattr(TOOL, "trusted.avftest", "0", 1, 0));
	ASSERT_EQ(0, agent_policy_write("OFFICIAL", W, NULL));
}

FIXTURE_TEARDOWN(write)
{
	umount2(MNT, MNT_DETACH);
	umount2(TOOL, MNT_DETACH);
	teardown_tree();
}

/*
 * Run change OP A B.  Tagged: expect @err and a denial counted and logged
 * on @route.  Untagged: expect success.
 */
static void do_change(struct __test_metadata *_metadata, int tagged,
		      const char *op, const char *a, const char *b, int err,
		      int route)
{
	struct agent ag;
	struct watch w;

	watch_start(&w);
	ASSERT_EQ(0, agent_run(&ag, tagged, "change", op, a, b));
	if (tagged && err) {
		EXPECT_VAL(err, &ag, "op");
		EXPECT_EQ(0, watch_denied(&w, route));
	} else {
		EXPECT_VAL(0, &ag, "op");
	}
	EXPECT_NO_SECRET(&ag);
}

#define CHANGE(op, a, b, err, route) \
	do_change(_metadata, variant->tagged, op, a, b, err, route)
#define CHANGE_W(op, a, b) \
	CHANGE(op, a, b, EACCES, AVFENCE_ROUTE_WRITE)
#define CHANGE_M(op, a, b) \
	CHANGE(op, a, b, EPERM, AVFENCE_ROUTE_MOUNT)

/* Cases that are one change and nothing more: TEST_F(write, @name). */
#define CHANGE_W_TEST(name, op, a, b) \
	TEST_F(write, name) { CHANGE_W(op, a, b); }
#define CHANGE_M_TEST(name, op, a, b) \
	TEST_F(write, name) { CHANGE_M(op, a, b); }
/* ... and one change of a tmpfs mounted on MNT first. */
#define CHANGE_M_MOUNTED_TEST(name, op)					\
	TEST_F(write, name)						\
	{								\
		ASSERT_EQ(0, mount("tmpfs", MNT, "tmpfs", 0, NULL));	\
		CHANGE_M(op, MNT, NULL);				\
	}

/* What is in @path: its first line, or "" (missing). */
static const char *contents(const char *path)
{
	static char buf[256];
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n = fd < 0 ? 0 : read(fd, buf, sizeof(buf) - 1);

	if (fd >= 0)
		close(fd);
	buf[n > 0 ? n : 0] = '\0';
	return buf;
}

/* Cron, crontab, profile.d, ld.so.preload: the VM's own /etc. */

struct etc_file {
	const char *dir;
	const char *path;
	int created_dir;
	int existed;
	char saved[4096];
};

static void etc_save(struct etc_file *e)
{
	struct stat st;

	e->created_dir = e->dir && stat(e->dir, &st) && !mkdirs(e->dir);
	e->existed = !stat(e->path, &st);
	snprintf(e->saved, sizeof(e->saved), "%s", e->existed ? contents(e->path) : "");
}

static void etc_restore(struct etc_file *e)
{
	if (e->existed)
		write_file(e->path, e->saved);
	else
		unlink(e->path);
	if (e->created_dir)
		rmdir(e->dir);
}

static void attack_etc(struct __test_metadata *_metadata, int tagged,
		       const char *dir, const char *path, const char *line)
{
	struct etc_file e = { .dir = dir, .path = path };

	etc_save(&e);
	do_change(_metadata, tagged, "append", path, line, EACCES,
		  AVFENCE_ROUTE_WRITE);
	EXPECT_EQ(!tagged, strstr(contents(path), line) != NULL);
	etc_restore(&e);
}

TEST_F(write, cron_dir_script)
{
	attack_etc(_metadata, variant->tagged, "/etc/cron.d",
		   "/etc/cron.d/avf-evil", "* * * * * root cat /secret\n");
}

TEST_F(write, crontab_line)
{
	attack_etc(_metadata, variant->tagged, NULL, "/etc/crontab",
		   "* * * * * root cat /secret\n");
}

TEST_F(write, profile_d)
{
	attack_etc(_metadata, variant->tagged, "/etc/profile.d",
		   "/etc/profile.d/avf-evil.sh", "cat /secret\n");
}

TEST_F(write, ld_so_preload)
{
	attack_etc(_metadata, variant->tagged, NULL, "/etc/ld.so.preload",
		   W "/evil.so\n");
}

/* Binaries root runs, and helpers the kernel runs (modprobe & co). */

TEST_F(write, overwrite_binary)
{
	CHANGE_W("trunc", TOOL, NULL);
	EXPECT_EQ(variant->tagged, contents(TOOL)[0] != '\0');
}

CHANGE_W_TEST(append_to_helper, "append", MODPROBE, "#!/bin/sh\ncat /secret\n")

TEST_F(write, rename_over_binary)
{
	CHANGE_W("rename", W "/evil", TOOL);
	EXPECT_EQ(variant->tagged ? 0 : 1, !strcmp(contents(TOOL), "evil\n"));
}

CHANGE_W_TEST(rename_over_helper, "rename", W "/evil", MODPROBE)

TEST_F(write, hard_link_onto_binary)
{
	ASSERT_EQ(0, unlink(TOOL));
	CHANGE_W("link", W "/evil", TOOL);
	EXPECT_EQ(variant->tagged, access(TOOL, F_OK) != 0);
}

/* A new name inside write= for a binary: it could be written there. */
TEST_F(write, hard_link_of_binary_into_write_dir)
{
	CHANGE_W("link", TOOL, W "/tool");
	EXPECT_EQ(variant->tagged, access(W "/tool", F_OK) != 0);
}

TEST_F(write, symlink_in_place_of_binary)
{
	ASSERT_EQ(0, unlink(TOOL));
	CHANGE_W("symlink", W "/evil", TOOL);
}

TEST_F(write, bind_mount_over_binary)
{
	CHANGE_M("bind", W "/evil", TOOL);
	EXPECT_EQ(variant->tagged ? 0 : 1, !strcmp(contents(TOOL), "evil\n"));
}

CHANGE_W_TEST(chmod_setuid_binary, "chmod", TOOL, NULL)

CHANGE_W_TEST(chown_binary, "chown", TOOL, NULL)

CHANGE_W_TEST(utimes_binary, "utimes", TOOL, NULL)

CHANGE_W_TEST(setxattr_binary, "setxattr", TOOL, NULL)

CHANGE_W_TEST(removexattr_binary, "removexattr", TOOL, NULL)

CHANGE_W_TEST(mkfifo_outside, "mkfifo", TMP "/fifo", NULL)

/* What a reader of the fifo at @path gets from a "fifo" change. */
static void fifo_change(struct __test_metadata *_metadata, int tagged,
			const char *path, int err)
{
	char buf[32] = "";
	ssize_t n;
	int rd;

	ASSERT_EQ(0, mkfifo(path, 0600));
	rd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	ASSERT_LE(0, rd);
	do_change(_metadata, tagged, "fifo", path, "poweroff", err,
		  AVFENCE_ROUTE_WRITE);
	n = read(rd, buf, sizeof(buf) - 1);
	close(rd);
	buf[n > 0 ? n : 0] = '\0';
	EXPECT_STREQ(tagged && err ? "" : "poweroff", buf);
}

/*
 * A root daemon that reads commands from a fifo (systemd's /run/initctl)
 * is a deputy: writing to a fifo outside write= is refused.
 */
TEST_F(write, fifo_outside)
{
	fifo_change(_metadata, variant->tagged, TMP "/initctl", EACCES);
}

/* Its own fifos, and a pipe reopened by /proc/self/fd, stay usable. */
TEST_F(write, fifo_inside_and_pipe)
{
	fifo_change(_metadata, variant->tagged, W "/own", 0);
	CHANGE("pipe", "-", NULL, 0, 0);
}

/* Damage: classified files and directories. */

TEST_F(write, unlink_classified)
{
	CHANGE_W("unlink", SECRET_F, NULL);
	EXPECT_EQ(variant->tagged ? 0 : -1, access(SECRET_F, F_OK));
}

CHANGE_W_TEST(truncate_classified, "truncate", SECRET_F, NULL)

CHANGE_W_TEST(chmod_classified, "chmod", SECRET_F, NULL)

TEST_F(write, rename_classified_away)
{
	/* A file with its own label may move (attack_move_test); not here. */
	CHANGE_W("rename", SECRET_F, W "/taken");
}

TEST_F(write, rename_labelled_dir_then_mkdir)
{
	CHANGE_W("rename", SECDIR, TMP "/old_secret");
	/* Were it moved away: no unlabelled directory in its place either. */
	if (variant->tagged)
		ASSERT_EQ(0, rename(SECDIR, TMP "/old_secret"));
	CHANGE_W("mkdir", SECDIR, NULL);
	EXPECT_EQ(variant->tagged ? -1 : 0, access(SECDIR, F_OK));
}

CHANGE_W_TEST(rmdir_outside, "rmdir", MNT, NULL)

/* Inside write=: allowed to both. */

TEST_F(write, inside_write_dir)
{
	CHANGE("append", W "/mine", "more\n", 0, 0);
	CHANGE("create", W "/new", NULL, 0, 0);
	CHANGE("trunc", W "/new", NULL, 0, 0);
	CHANGE("mkdir", W "/d", NULL, 0, 0);
	CHANGE("rename", W "/new", W "/d/moved", 0, 0);
	CHANGE("link", W "/d/moved", W "/linked", 0, 0);
	CHANGE("symlink", "mine", W "/sym", 0, 0);
	CHANGE("chmod", W "/mine", NULL, 0, 0);
	CHANGE("utimes", W "/mine", NULL, 0, 0);
	CHANGE("setxattr", W "/mine", NULL, 0, 0);
	CHANGE("mkfifo", W "/fifo", NULL, 0, 0);
	CHANGE("unlink", W "/linked", NULL, 0, 0);
	CHANGE("unlink", W "/d/moved", NULL, 0, 0);
	CHANGE("rmdir", W "/d", NULL, 0, 0);
	EXPECT_EQ(0, strcmp(contents(W "/mine"), "mine\nmore\n"));
}

/* /dev/null and the like stay usable; the task's own /proc entries too. */
TEST_F(write, devices_and_own_proc)
{
	CHANGE("append", "/dev/null", "x", 0, 0);
	CHANGE("append", "/proc/self/comm", "avf", 0, 0);
}

TEST_F(write, other_proc_entry)
{
	char path[64];
	pid_t pid = fork();

	ASSERT_LE(0, pid);
	if (!pid) {
		pause();
		_exit(0);
	}
	/* Root may set any process's OOM score; a fenced agent may not. */
	snprintf(path, sizeof(path), "/proc/%d/oom_score_adj", pid);
	CHANGE_W("append", path, "0");
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
}

/* Mounts: none in a namespace untagged tasks use. */

CHANGE_M_TEST(mount_tmpfs, "mount", MNT, NULL)

CHANGE_M_TEST(mount_inside_write_dir, "mount", W, NULL)

CHANGE_M_MOUNTED_TEST(remount, "remount")

CHANGE_M_MOUNTED_TEST(umount, "umount")

CHANGE_M_TEST(open_tree_move_mount, "open_tree", W, MNT)

CHANGE_M_TEST(fsmount_move_mount, "fsmount", MNT, NULL)

TEST_F(write, fspick_reconfigure)
{
	ASSERT_EQ(0, mount("tmpfs", MNT, "tmpfs", 0, NULL));
	CHANGE_M("fspick", MNT, NULL);
	/* Still writable: the reconfiguration to read-only did not happen. */
	if (variant->tagged)
		EXPECT_EQ(0, write_file(MNT "/f", "x"));
}

CHANGE_M_MOUNTED_TEST(mount_setattr, "mount_setattr")

/* Its own user and mount namespace: its business. */
TEST_F(write, private_userns_mount)
{
	struct agent ag;

	ASSERT_EQ(0, agent_run(&ag, variant->tagged, "change", "userns", MNT));
	EXPECT_VAL(0, &ag, "mounted");
	EXPECT_VAL(0, &ag, "op");
	/* Nothing of it reached the initial namespace. */
	EXPECT_NE(0, access(MNT "/f", F_OK));
}

/* ... where labels still hold: a bind mount of a SECRET directory. */
TEST_F(write, private_userns_bind_of_labelled_dir)
{
	struct agent ag;
	struct watch w;

	watch_start(&w);
	ASSERT_EQ(0, agent_run(&ag, variant->tagged, "userns_bind", SECDIR,
			       MNT, "inner"));
	EXPECT_VAL(0, &ag, "userns");
	EXPECT_VAL(0, &ag, "mount");
	if (variant->tagged) {
		EXPECT_VAL(EACCES, &ag, "read");
		EXPECT_NO_SECRET(&ag);
		EXPECT_EQ(0, watch_denied(&w, AVFENCE_ROUTE_OPEN));
	} else {
		EXPECT_VAL(0, &ag, "read");
		EXPECT_SECRET(&ag);
	}
}

/* Audit mode: what enforce refuses is logged and allowed. */

struct audit_scan {
	const struct kmark *mark;
	int after;
	int found;
};

static int audit_line(void *arg, unsigned long long ts, const char *msg)
{
	struct audit_scan *s = arg;

	if (!s->after) {
		s->after = !strcmp(msg, s->mark->text);
		return 0;
	}
	if (!strncmp(msg, "avfence: audit write pid=", 25) &&
	    strstr(msg, " what=unlink path=" TOOL))
		s->found = 1;
	return 0;
}

TEST_F(write, audit_mode_allows_and_logs)
{
	struct kmark m;
	struct audit_scan s = { .mark = &m };
	struct agent ag;

	ASSERT_EQ(0, avfencectl("mode", "audit", NULL));
	/* A fresh window of the log's rate limit (20 lines per 5 s). */
	sleep(6);
	kmsg_mark(&m);
	ASSERT_EQ(0, agent_run(&ag, variant->tagged, "change", "unlink", TOOL));
	EXPECT_VAL(0, &ag, "op");
	EXPECT_NE(0, access(TOOL, F_OK));
	kmsg_each(audit_line, &s);
	/* The untagged control is not fenced: nothing to audit. */
	EXPECT_EQ(variant->tagged, s.found);
}

TEST_HARNESS_MAIN
