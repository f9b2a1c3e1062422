// SPDX-License-Identifier: GPL-2.0
/*
 * avfence side doors, escaping the tag: a fenced agent tries to stop being
 * the fenced task, or to reach the file by a name or a mount the fence
 * might not recognise, or to have the kernel run an untagged helper for
 * it.  The tag belongs to the task and its descendants whatever they
 * exec, whatever namespace or session they are in; labels belong to
 * dentries, whatever mount or name leads to them.
 *
 * TMP (tmpfs)
 * ├── secret              SECRET, holds CANARY
 * ├── dir_secret/         SECRET
 * │   ├── inner           (inherits SECRET), holds CANARY
 * │   └── sub/            (inherits SECRET)
 * │       └── f           holds CANARY
 * ├── dir_public/         UNCLASSIFIED
 * │   └── link            symlink to ../secret
 * ├── mnt/, ovl/{merged,empty}/, mc/{upper,work,merged}/, cg/
 * ├── out/                where helpers write
 * ├── ext4.img, ext4/     an ext4 file system (open_by_handle_at tests)
 * │   └── dir/            SECRET
 * │       ├── inner       (inherits SECRET), holds CANARY
 * │       └── own         UNCLASSIFIED (own label)
 *
 * AGENT_BIN has clearance OFFICIAL.  Variant "tagged" attacks, "untagged"
 * is the control.
 */
#include <linux/openat2.h>
#include <sched.h>
#include <sys/prctl.h>

#include "doors.h"
#include "uring.h"

#define SECRET_FILE TMP "/secret"
#define SEC TMP "/dir_secret"
#define PUB TMP "/dir_public"
#define OUT TMP "/out"
#define HELPER TMP "/helper.sh"
#define LEAK OUT "/leak"
#define EXT4 TMP "/ext4"
#define CORE_PATTERN "/proc/sys/kernel/core_pattern"
#define MODPROBE "/proc/sys/kernel/modprobe"

/* Agents */

/* exec_cat PATH: exec busybox cat PATH (an untagged binary). */
AGENT(exec_cat)
{
	execl("/bin/busybox", "cat", argv[1], NULL);
	say("exec=%d\n", errno);
	return 0;
}

/*
 * exe_file PATH: change /proc/self/exe to busybox with
 * prctl(PR_SET_MM, PR_SET_MM_EXE_FILE), then exec busybox cat PATH.  The
 * kernel refuses the prctl while the old executable is mapped, so a stub
 * copied to an anonymous page unmaps this program first and then makes
 * the remaining system calls; it writes "PRCTL=##" and the prctl's return
 * value (8 bytes) to stdout.
 */
struct exe_stub_args {
	unsigned long unmap_addr;
	unsigned long unmap_len;
	unsigned long exe_fd;
	const char *path;
	char *const *argv;
	char *const *envp;
	char tag[8];
	long ret;
};

extern const char exe_stub_start[], exe_stub_end[];
asm(".pushsection .text\n"
    ".globl exe_stub_start\n"
    ".globl exe_stub_end\n"
    "exe_stub_start:\n"
    "	mov %rdi, %r12\n"
    "	mov $11, %eax\n"		/* munmap(addr, len) */
    "	mov 0(%r12), %rdi\n"
    "	mov 8(%r12), %rsi\n"
    "	syscall\n"
    "	mov $157, %eax\n"		/* prctl(PR_SET_MM, PR_SET_MM_EXE_FILE, fd, 0, 0) */
    "	mov $35, %edi\n"
    "	mov $13, %esi\n"
    "	mov 16(%r12), %rdx\n"
    "	xor %r10d, %r10d\n"
    "	xor %r8d, %r8d\n"
    "	syscall\n"
    "	mov %rax, 56(%r12)\n"
    "	mov $1, %eax\n"			/* write(1, tag, 16) */
    "	mov $1, %edi\n"
    "	lea 48(%r12), %rsi\n"
    "	mov $16, %edx\n"
    "	syscall\n"
    "	mov $59, %eax\n"		/* execve(path, argv, envp) */
    "	mov 24(%r12), %rdi\n"
    "	mov 32(%r12), %rsi\n"
    "	mov 40(%r12), %rdx\n"
    "	syscall\n"
    "	mov $231, %eax\n"		/* exit_group(127) */
    "	mov $127, %edi\n"
    "	syscall\n"
    "exe_stub_end:\n"
    ".popsection\n");

AGENT(exe_file)
{
	unsigned long lo = ~0ul, hi = 0, s, e;
	char exe[PATH_MAX], line[PATH_MAX + 128], *p;
	struct exe_stub_args *args;
	char *page, *code;
	FILE *maps;

	if (!realpath("/proc/self/exe", exe))
		return SETUP_FAILED;
	maps = fopen("/proc/self/maps", "r");
	if (!maps)
		return SETUP_FAILED;
	while (fgets(line, sizeof(line), maps)) {
		line[strcspn(line, "\n")] = '\0';
		p = strchr(line, '/');
		if (!p || strcmp(p, exe) || sscanf(line, "%lx-%lx", &s, &e) != 2)
			continue;
		lo = s < lo ? s : lo;
		hi = e > hi ? e : hi;
	}
	fclose(maps);
	if (lo >= hi)
		return SETUP_FAILED;
	page = mmap(NULL, 8192, PROT_READ | PROT_WRITE | PROT_EXEC,
		    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (page == MAP_FAILED)
		return SETUP_FAILED;
	/* Data first, then the code, all in the anonymous mapping. */
	args = (struct exe_stub_args *)page;
	p = page + 256;
	strcpy(p, "/bin/busybox");
	args->path = p;
	strcpy(p + 32, "cat");
	snprintf(p + 64, 512, "%s", argv[1]);
	((char **)(page + 1024))[0] = p + 32;
	((char **)(page + 1024))[1] = p + 64;
	((char **)(page + 1024))[2] = NULL;
	((char **)(page + 1024))[3] = NULL;
	args->argv = (char *const *)(page + 1024);
	args->envp = (char *const *)(page + 1024) + 3;
	memcpy(args->tag, "PRCTL=##", 8);
	args->exe_fd = open("/bin/busybox", O_RDONLY);
	args->unmap_addr = lo;
	args->unmap_len = hi - lo;
	code = page + 4096;
	memcpy(code, exe_stub_start, exe_stub_end - exe_stub_start);
	say("unmap=%lx-%lx\n", lo, hi);
	((void (*)(void *))code)(args);
	return SETUP_FAILED;	/* not reached */
}

/* userns PATH: unshare a user and a mount namespace, then read PATH. */
AGENT(userns)
{
	result("unshare", unshare(CLONE_NEWUSER | CLONE_NEWNS));
	open_read_emit("read", argv[1]);
	return 0;
}

/* setsid PATH: double fork, setsid, read PATH once reparented. */
AGENT(setsid)
{
	pid_t child = fork(), gc;
	int i, st;

	if (child < 0)
		return SETUP_FAILED;
	if (child) {
		waitpid(child, &st, 0);
		return 0;
	}
	gc = fork();
	if (gc)
		_exit(gc < 0);
	result("setsid", setsid());
	for (i = 0; i < 100 && getppid() == child; i++)
		usleep(10000);
	say("reparented=%d\n", getppid() != child);
	open_read_emit("read", argv[1]);
	_exit(0);
}

static int private_mounts(void)
{
	if (unshare(CLONE_NEWNS) ||
	    mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL))
		return -1;
	return 0;
}

/* bind SRC DIR FILE: in a new mount namespace, bind SRC on DIR, read DIR/FILE. */
AGENT(bind)
{
	char path[PATH_MAX];

	if (private_mounts())
		return SETUP_FAILED;
	result("mount", mount(argv[1], argv[2], NULL, MS_BIND, NULL));
	snprintf(path, sizeof(path), "%s/%s", argv[2], argv[3]);
	open_read_emit("read", path);
	return 0;
}

/*
 * overlay LOWER FILE [upper]: overlay of LOWER and an empty layer (or, with
 * "upper", of LOWER under the writable TMP/mc/upper) on TMP/ovl/merged;
 * read FILE in it.
 */
AGENT(overlay)
{
	char opts[PATH_MAX], path[PATH_MAX];

	if (private_mounts())
		return SETUP_FAILED;
	if (argc > 3)
		snprintf(opts, sizeof(opts), "lowerdir=%s,upperdir=" TMP "/mc/upper,"
			 "workdir=" TMP "/mc/work", argv[1]);
	else
		snprintf(opts, sizeof(opts), "lowerdir=%s:" TMP "/ovl/empty", argv[1]);
	result("mount", mount("overlay", TMP "/ovl/merged", "overlay", 0, opts));
	snprintf(path, sizeof(path), TMP "/ovl/merged/%s", argv[2]);
	open_read_emit("read", path);
	return 0;
}

/*
 * metacopy LOWER NAME: an overlay whose upper layer holds a metacopy file
 * "x" (metadata only: no label, in an unlabelled directory) redirected to
 * LOWER/NAME, whose data it shows.  The agent makes the upper file and its
 * trusted.overlay.* xattrs itself (it has CAP_SYS_ADMIN).
 */
AGENT(metacopy)
{
	char opts[PATH_MAX], redirect[PATH_MAX];
	struct stat st;
	int fd;

	if (private_mounts())
		return SETUP_FAILED;
	snprintf(opts, sizeof(opts), "%s/%s", argv[1], argv[2]);
	if (stat(opts, &st))
		return SETUP_FAILED;
	fd = open(TMP "/mc/upper/x", O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
	if (fd < 0 || ftruncate(fd, st.st_size))
		return SETUP_FAILED;
	close(fd);
	snprintf(redirect, sizeof(redirect), "/%s", argv[2]);
	result("xattr_metacopy", setxattr(TMP "/mc/upper/x", "trusted.overlay.metacopy",
					  "", 0, 0));
	result("xattr_redirect", setxattr(TMP "/mc/upper/x", "trusted.overlay.redirect",
					  redirect, strlen(redirect), 0));
	snprintf(opts, sizeof(opts), "lowerdir=%s,upperdir=" TMP "/mc/upper,workdir="
		 TMP "/mc/work,redirect_dir=on,metacopy=on", argv[1]);
	result("mount", mount("overlay", TMP "/mc/merged", "overlay", 0, opts));
	open_read_emit("read", TMP "/mc/merged/x");
	return 0;
}

/* openat2 DIR PATH RESOLVE: openat2(open(DIR), PATH, O_RDONLY, RESOLVE), read. */
AGENT(openat2)
{
	struct open_how how = {
		.flags = O_RDONLY | O_CLOEXEC,
		.resolve = strtoull(argv[3], NULL, 0),
	};
	int dfd = open(argv[1], O_PATH | O_DIRECTORY | O_CLOEXEC);
	long fd;

	fd = result("openat2", syscall(SYS_openat2, dfd, argv[2], &how, sizeof(how)));
	if (fd >= 0)
		read_emit("read", fd);
	return 0;
}

/* handle MNT HEX: open_by_handle_at(MNT, handle given as type:hex), read. */
AGENT(handle)
{
	struct file_handle *fh = malloc(sizeof(*fh) + MAX_HANDLE_SZ);
	const char *hex = strchr(argv[2], ':') + 1;
	unsigned int i, b;
	int mfd, fd;

	fh->handle_type = atoi(argv[2]);
	fh->handle_bytes = strlen(hex) / 2;
	for (i = 0; i < fh->handle_bytes; i++) {
		sscanf(hex + 2 * i, "%2x", &b);
		fh->f_handle[i] = b;
	}
	mfd = open(argv[1], O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (mfd < 0)
		return SETUP_FAILED;
	fd = result("handle", open_by_handle_at(mfd, fh, O_RDONLY | O_CLOEXEC));
	if (fd >= 0)
		read_emit("read", fd);
	return 0;
}

/* uring PATH inline|async|sqpoll: IORING_OP_OPENAT, read the fd it gives. */
AGENT(uring)
{
	struct uring u;
	int res;

	if (result("setup", uring_setup(&u, !strcmp(argv[2], "sqpoll") ?
					IORING_SETUP_SQPOLL : 0)) < 0)
		return 0;
	if (uring_map(&u))
		return SETUP_FAILED;
	uring_openat(&u, argv[1], O_RDONLY | O_CLOEXEC,
		     !strcmp(argv[2], "async") ? IOSQE_ASYNC : 0);
	if (uring_run(&u, &res))
		return SETUP_FAILED;
	say("openat=%d\n", res < 0 ? -res : 0);
	if (res >= 0)
		read_emit("read", res);
	return 0;
}

/* The helper the kernel runs: copies the secret where the agent can read it. */
static int write_helper(void)
{
	int err = write_file(HELPER, "#!/bin/busybox sh\n"
			     "/bin/busybox cat " SECRET_FILE " > " LEAK "\n");

	return err ? err : chmod(HELPER, 0755);
}

/*
 * Wait for the helper's copy.  @armed: the kernel took the helper's path
 * (the knob's write returned 0), so a helper will run: the kernel starts it
 * asynchronously, and on a loaded emulator that took over 10 s (an untagged
 * control saw no leak), so wait up to 60 s.  Unarmed, no helper of this
 * test can run and 2 s show that nothing else copies the secret either.
 */
static void read_leak(bool armed)
{
	int i, tenths = armed ? 600 : 20;

	for (i = 0; i < tenths && access(LEAK, F_OK); i++)
		usleep(100000);
	usleep(200000);
	open_read_emit("leak", LEAK);
}

/* core_pattern: pipe cores to a helper script, crash a child. */
AGENT(core_pattern)
{
	char pattern[256];
	pid_t child;
	int st, err;

	if (write_helper())
		return SETUP_FAILED;
	snprintf(pattern, sizeof(pattern), "|%s", HELPER);
	err = write_proc(CORE_PATTERN, pattern);
	say("core_pattern=%d\n", err);
	child = fork();
	if (child == 0) {
		raise(SIGSEGV);
		_exit(0);
	}
	waitpid(child, &st, 0);
	say("crashed=%d\n", WIFSIGNALED(st));
	read_leak(!err);
	return 0;
}

/* release_agent: a cgroup v1 hierarchy whose release agent is the helper. */
AGENT(release_agent)
{
	char pid[16];
	pid_t child;
	int st, err, p[2];
	char c;

	if (write_helper() || pipe(p))
		return SETUP_FAILED;
	result("mount", mount("cgroup", TMP "/cg", "cgroup", 0, "none,name=avftest"));
	result("mkdir", mkdir(TMP "/cg/x", 0755));
	say("notify=%d\n", write_proc(TMP "/cg/x/notify_on_release", "1"));
	err = write_proc(TMP "/cg/release_agent", HELPER);
	say("agent=%d\n", err);
	child = fork();
	if (child == 0) {
		close(p[1]);
		if (read(p[0], &c, 1) < 0)
			_exit(1);
		_exit(0);
	}
	close(p[0]);
	snprintf(pid, sizeof(pid), "%d", child);
	say("procs=%d\n", write_proc(TMP "/cg/x/cgroup.procs", pid));
	close(p[1]);		/* the child exits, the cgroup empties */
	waitpid(child, &st, 0);
	read_leak(!err);
	rmdir(TMP "/cg/x");
	umount2(TMP "/cg", MNT_DETACH);
	return 0;
}

/* modprobe FAMILY: kernel.modprobe is the helper; a socket of an unloaded family. */
AGENT(modprobe)
{
	int err;

	if (write_helper())
		return SETUP_FAILED;
	err = write_proc(MODPROBE, HELPER);
	say("modprobe=%d\n", err);
	result("socket", socket(atoi(argv[1]), SOCK_DGRAM, 0));
	read_leak(!err);
	return 0;
}

/* The test side */

FIXTURE(escape) {
	char core_pattern[256];
	char modprobe[256];
};

FIXTURE_TAGGED_VARIANTS(escape);

/* The tree above but for ext4 and the symlink: SECRET_FILE, SEC, PUB, OUT. */
static const struct tree_entry escape_tree[] = {
	TREE_FILE("secret", CANARY_LINE, "SECRET"),
	TREE_DIR("dir_secret/sub", NULL),
	TREE_DIR("dir_secret", "SECRET"),
	TREE_FILE("dir_secret/inner", CANARY_LINE, NULL),
	TREE_FILE("dir_secret/sub/f", CANARY_LINE, NULL),
	TREE_DIR("dir_public", "UNCLASSIFIED"),
	TREE_DIR("mnt", NULL),
	TREE_DIR("ovl/merged", NULL),
	TREE_DIR("ovl/empty", NULL),
	TREE_DIR("cg", NULL),
	TREE_DIR("mc/upper", NULL),
	TREE_DIR("mc/work", NULL),
	TREE_DIR("mc/merged", NULL),
	TREE_DIR("out", NULL),
	{ NULL }
};

FIXTURE_SETUP(escape)
{
	read_small(CORE_PATTERN, self->core_pattern, sizeof(self->core_pattern));
	read_small(MODPROBE, self->modprobe, sizeof(self->modprobe));
	ASSERT_EQ(0, build_tree(TMP, escape_tree));
	ASSERT_EQ(0, symlink("../secret", PUB "/link"));
	ASSERT_EQ(0, agent_policy("OFFICIAL", NULL));
}

FIXTURE_TEARDOWN(escape)
{
	if (self->core_pattern[0])
		write_proc(CORE_PATTERN, self->core_pattern);
	if (self->modprobe[0])
		write_proc(MODPROBE, self->modprobe);
	umount2(EXT4, MNT_DETACH);
	umount2(TMP "/cg", MNT_DETACH);
	teardown_tree();
}

/*
 * The agent @name must not get the secret, and route @r1 (or @r2, when
 * they differ) must have counted and logged the refusal (@r1 < 0: no
 * route to check); the untagged one must get the secret.
 */
#define ESCAPE_EITHER(r1, r2, name, ...) do {				\
	struct agent a;							\
	struct watch w;							\
									\
	watch_start(&w);						\
	ASSERT_EQ(0, agent_start(&a, variant->tagged, name, __VA_ARGS__)); \
	agent_finish(&a);						\
	if (variant->tagged) {						\
		EXPECT_NO_SECRET(&a);					\
		if ((r1) >= 0)						\
			EXPECT_EQ(0, (r1) == (r2) ?			\
				  watch_denied(&w, r1) :		\
				  watch_denied2(&w, r1, r2));		\
	} else {							\
		EXPECT_SECRET(&a);					\
	}								\
} while (0)

#define ESCAPE(route, name, ...) ESCAPE_EITHER(route, route, name, __VA_ARGS__)

/*
 * A mount by a fenced agent in a mount namespace of the initial user
 * namespace is refused (route mount, attack_write_test.c); were it made,
 * the label would still be found through it (route open).  Either way the
 * fence refused, and the secret must not arrive.
 */
#define ESCAPE_MOUNT(name, ...) \
	ESCAPE_EITHER(AVFENCE_ROUTE_MOUNT, AVFENCE_ROUTE_OPEN, name, __VA_ARGS__)

TEST_F(escape, exec_untagged_binary)
{
	ESCAPE(AVFENCE_ROUTE_OPEN, "exec_cat", SECRET_FILE);
}

TEST_F(escape, exe_file_changed_then_exec)
{
	struct agent a;
	char *tag;
	long ret = -1;

	/* Its exit status is cat's: 1 when the open is refused. */
	ASSERT_LE(0, agent_run(&a, variant->tagged, "exe_file", SECRET_FILE));
	tag = memmem(a.buf, a.len, "PRCTL=##", 8);
	ASSERT_NE(NULL, tag) {
		TH_LOG("the stub did not run: %s", agent_output(&a));
	}
	memcpy(&ret, tag + 8, sizeof(ret));
	/* The route is real: the prctl works, for the fenced agent too. */
	EXPECT_EQ(0, ret);
	if (variant->tagged) {
		EXPECT_NO_SECRET(&a);
	} else {
		EXPECT_SECRET(&a);
	}
}

TEST_F(escape, user_and_mount_namespace)
{
	ESCAPE(AVFENCE_ROUTE_OPEN, "userns", SECRET_FILE);
}

TEST_F(escape, double_fork_setsid)
{
	struct agent a;

	ASSERT_EQ(0, agent_run(&a, variant->tagged, "setsid", SECRET_FILE));
	EXPECT_VAL(1, &a, "reparented");
	if (variant->tagged) {
		EXPECT_VAL(EACCES, &a, "read");
		EXPECT_NO_SECRET(&a);
	} else {
		EXPECT_SECRET(&a);
	}
}

TEST_F(escape, bind_mount_of_labelled_dir)
{
	ESCAPE_MOUNT("bind", SEC, TMP "/mnt", "inner");
}

/* The mount's root is below the labelled directory. */
TEST_F(escape, bind_mount_of_dir_inheriting_label)
{
	ESCAPE_MOUNT("bind", SEC "/sub", TMP "/mnt", "f");
}

TEST_F(escape, overlay_lower_is_labelled_dir)
{
	if (!has_fs("overlay"))
		SKIP(return, "no overlayfs in this kernel");
	ESCAPE_MOUNT("overlay", SEC, "inner");
}

/* The lower layer is a directory that inherits SECRET from its parent. */
TEST_F(escape, overlay_lower_inherits_label)
{
	if (!has_fs("overlay"))
		SKIP(return, "no overlayfs in this kernel");
	ESCAPE_MOUNT("overlay", SEC "/sub", "f");
}

/* The same with a writable upper layer: the overlay root is the upper dir. */
TEST_F(escape, overlay_with_upper_lower_is_labelled_dir)
{
	if (!has_fs("overlay"))
		SKIP(return, "no overlayfs in this kernel");
	ESCAPE_MOUNT("overlay", SEC, "inner", "upper");
}

/*
 * An upper-layer metacopy file redirected to a SECRET lower file: the
 * overlay file has the upper file's (absent) label and the lower file's
 * data.
 */
TEST_F(escape, overlay_metacopy_redirect)
{
	if (!has_fs("overlay"))
		SKIP(return, "no overlayfs in this kernel");
	ESCAPE_MOUNT("metacopy", SEC, "inner");
}

/* openat2() with each RESOLVE_* flag (and through a symlink). */
FIXTURE(resolve) {
};

FIXTURE_VARIANT(resolve) {
	int tagged;
	const char *dir;
	const char *path;
	unsigned long long resolve;
};

#define RESOLVE_VARIANTS(name, d, p, r)					\
	FIXTURE_VARIANT_ADD(resolve, tagged_##name) { 1, d, p, r };	\
	FIXTURE_VARIANT_ADD(resolve, untagged_##name) { 0, d, p, r }

RESOLVE_VARIANTS(plain, TMP, "secret", 0);
RESOLVE_VARIANTS(symlink, TMP, "dir_public/link", 0);
RESOLVE_VARIANTS(no_symlinks, TMP, "secret", RESOLVE_NO_SYMLINKS);
RESOLVE_VARIANTS(no_magiclinks, TMP, "secret", RESOLVE_NO_MAGICLINKS);
RESOLVE_VARIANTS(no_xdev, TMP, "secret", RESOLVE_NO_XDEV);
RESOLVE_VARIANTS(beneath, TMP, "dir_secret/inner", RESOLVE_BENEATH);
RESOLVE_VARIANTS(in_root, SEC, "/sub/f", RESOLVE_IN_ROOT);
RESOLVE_VARIANTS(cached, TMP, "secret", RESOLVE_CACHED);

FIXTURE_SETUP(resolve)
{
	ASSERT_EQ(0, mount_tmpfs(TMP));
	ASSERT_EQ(0, make_secret(SECRET_FILE, "SECRET"));
	ASSERT_EQ(0, mkdirs(SEC "/sub"));
	ASSERT_EQ(0, set_label(SEC, "SECRET"));
	ASSERT_EQ(0, make_secret(SEC "/inner", NULL));
	ASSERT_EQ(0, make_secret(SEC "/sub/f", NULL));
	ASSERT_EQ(0, mkdirs(PUB));
	ASSERT_EQ(0, symlink("../secret", PUB "/link"));
	ASSERT_EQ(0, agent_policy("OFFICIAL", NULL));
	/* The dentries are cached for RESOLVE_CACHED. */
	ASSERT_EQ(0, access(SECRET_FILE, R_OK));
}

FIXTURE_TEARDOWN(resolve)
{
	teardown_tree();
}

TEST_F(resolve, openat2)
{
	char flags[32];
	struct agent a;

	snprintf(flags, sizeof(flags), "%llu", variant->resolve);
	ASSERT_EQ(0, agent_run(&a, variant->tagged, "openat2", variant->dir,
			       variant->path, flags));
	if (variant->tagged) {
		EXPECT_VAL(EACCES, &a, "openat2");
		EXPECT_NO_SECRET(&a);
	} else {
		EXPECT_VAL(0, &a, "openat2");
		EXPECT_SECRET(&a);
	}
}

/* open_by_handle_at(): handles taken by the test, opened by the agent. */

static int handle_of(const char *path, char *out, size_t size)
{
	struct file_handle *fh = malloc(sizeof(*fh) + MAX_HANDLE_SZ);
	int mount_id, n;
	unsigned int i;

	fh->handle_bytes = MAX_HANDLE_SZ;
	if (name_to_handle_at(AT_FDCWD, path, fh, &mount_id, 0))
		return -errno;
	n = snprintf(out, size, "%d:", fh->handle_type);
	for (i = 0; i < fh->handle_bytes; i++)
		n += snprintf(out + n, size - n, "%02x", fh->f_handle[i]);
	free(fh);
	return 0;
}

static void drop_caches(void)
{
	sync();
	write_proc("/proc/sys/vm/drop_caches", "2");
}

/* tmpfs: the dentry stays connected, the label is found. */
TEST_F(escape, open_by_handle_tmpfs)
{
	char h[256];

	ASSERT_EQ(0, handle_of(SEC "/inner", h, sizeof(h)));
	drop_caches();
	ESCAPE(AVFENCE_ROUTE_OPEN, "handle", TMP, h);
}

static int make_ext4(struct __test_metadata *_metadata)
{
	int fd = open(TMP "/ext4.img", O_WRONLY | O_CREAT | O_CLOEXEC, 0600);

	if (fd < 0 || ftruncate(fd, 16 << 20))
		return -1;
	close(fd);
	if (access("/dev/loop-control", F_OK) ||
	    run("/bin/mke2fs", "-F", "-I", "256", TMP "/ext4.img", NULL) ||
	    mkdirs(EXT4) ||
	    run("/bin/mount", "-t", "ext4", "-o", "loop", TMP "/ext4.img", EXT4, NULL))
		return 1;
	ASSERT_EQ(0, mkdirs(EXT4 "/dir"));
	ASSERT_EQ(0, set_label(EXT4 "/dir", "SECRET"));
	ASSERT_EQ(0, make_secret(EXT4 "/dir/inner", NULL));
	ASSERT_EQ(0, write_file(EXT4 "/dir/own", "public\n"));
	ASSERT_EQ(0, set_label(EXT4 "/dir/own", "UNCLASSIFIED"));
	return 0;
}

/*
 * ext4, caches dropped: the file's dentry comes back disconnected, with no
 * known parent to inherit a label from.  It must not be opened.
 */
TEST_F(escape, open_by_handle_disconnected)
{
	char h[256];

	if (make_ext4(_metadata))
		SKIP(return, "cannot make and mount an ext4 image (loop, ext4, mke2fs)");
	ASSERT_EQ(0, handle_of(EXT4 "/dir/inner", h, sizeof(h)));
	drop_caches();
	ESCAPE(AVFENCE_ROUTE_OPEN, "handle", EXT4, h);
}

/* ... but a disconnected file with its own label is judged by it. */
TEST_F(escape, open_by_handle_disconnected_own_label)
{
	struct agent a;
	char h[256];

	if (make_ext4(_metadata))
		SKIP(return, "cannot make and mount an ext4 image (loop, ext4, mke2fs)");
	ASSERT_EQ(0, handle_of(EXT4 "/dir/own", h, sizeof(h)));
	drop_caches();
	ASSERT_EQ(0, agent_run(&a, variant->tagged, "handle", EXT4, h));
	EXPECT_VAL(0, &a, "handle");
	EXPECT_NE(NULL, memmem(a.buf, a.len, "read<public\n>", 13)) {
		TH_LOG("agent said: %s", agent_output(&a));
	}
}

static int uring_unavailable(void)
{
	struct io_uring_params p;
	int ring;

	memset(&p, 0, sizeof(p));
	ring = syscall(__NR_io_uring_setup, 2, &p);
	if (ring < 0)
		return errno;
	close(ring);
	return 0;
}

#define SKIP_NO_URING() do {						\
	int __e = uring_unavailable();					\
	if (__e)							\
		SKIP(return, "io_uring_setup() fails for root (errno %d)", __e); \
} while (0)

TEST_F(escape, io_uring_openat)
{
	SKIP_NO_URING();
	ESCAPE(AVFENCE_ROUTE_OPEN, "uring", SECRET_FILE, "inline");
}

TEST_F(escape, io_uring_openat_async)
{
	SKIP_NO_URING();
	ESCAPE(AVFENCE_ROUTE_OPEN, "uring", SECRET_FILE, "async");
}

TEST_F(escape, io_uring_openat_sqpoll)
{
	SKIP_NO_URING();
	ESCAPE(AVFENCE_ROUTE_OPEN, "uring", SECRET_FILE, "sqpoll");
}

/*
 * The kernel runs a helper, untagged, as root: the core_pattern pipe of a
 * crashing fenced process, kernel.modprobe for request_module(), and the
 * release agent of a cgroup v1 hierarchy.  The helper copies the secret to an unclassified file.
 */
TEST_F(escape, core_pattern_pipe_helper)
{
	ESCAPE(-1, "core_pattern", NULL);
}

/* request_module() for an unregistered socket family (AF_APPLETALK, a module never loaded here). */
TEST_F(escape, modprobe_helper)
{
	ESCAPE(-1, "modprobe", "5");
}

TEST_F(escape, cgroup_v1_release_agent)
{
	if (mount("cgroup", TMP "/cg", "cgroup", 0, "none,name=avftest"))
		SKIP(return, "cannot mount a cgroup v1 hierarchy (errno %d)", errno);
	umount2(TMP "/cg", 0);
	ESCAPE(-1, "release_agent", NULL);
}

TEST_HARNESS_MAIN
