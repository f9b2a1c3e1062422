/* SPDX-License-Identifier: GPL-2.0 */
/*
 * avfence kselftests: helpers shared by the *_test.c files.
 *
 * The tests run as root inside the test VM (tests/vm/), where
 *   /opt/av/bin/scanner  is the probe (probe.c), the subject of the policies
 *                        loaded here,
 *   /bin/avprobe         is another copy of the probe, never a subject,
 *   /bin/avfencectl      is userspace/avfencectl.static.
 * Helpers return an errno (0 for success), an exit status, or -errno, as
 * each says, so that tests read ASSERT_EQ(EACCES, ...).
 */
#ifndef AVF_TEST_COMMON_H
#define AVF_TEST_COMMON_H

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <sys/xattr.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "genl.h"

/*
 * The VM sends stdout and stderr to one serial port: line-buffer stdout so
 * the harness's TAP lines and the TH_LOG() lines on stderr do not interleave
 * mid-line.
 */
static void __attribute__((constructor)) avf_line_buffered(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
}

#define SCANNER		"/opt/av/bin/scanner"
#define PLAIN		"/bin/avprobe"
#define AVFENCECTL	"/bin/avfencectl"
#define MODULE_KO	"/lib/modules/avfence.ko"
#define TMP		"/tmp/avf"
#define POLICY_FILE	"/tmp/avf-policy.conf"
#define LEVELS		"levels UNCLASSIFIED OFFICIAL SECRET TOP-SECRET\n"

#define SETUP_FAILED	200	/* probe's exit status when a setup step failed */

/* Exit status of a child: its code, or 128 + signal. */
/*
 * The kselftest harness of 6.1 runs a TEST_F body even when its
 * FIXTURE_SETUP called SKIP(): a body starts with
 * "if (setup_skipped(_metadata)) return;" so that it stays a skip.
 */
static inline bool setup_skipped(const struct __test_metadata *m)
{
	return m->skip;
}

static inline int exit_code(int status)
{
	if (WIFEXITED(status))
		return WEXITSTATUS(status);
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return -1;
}

/* fork + execv @argv[0] with stdout to @out_fd (-1: /dev/null), stdin @in_fd. */
static inline pid_t spawn_argv(char *const argv[], int in_fd, int out_fd)
{
	pid_t pid = fork();

	if (pid)
		return pid;
	if (in_fd >= 0)
		dup2(in_fd, 0);
	if (out_fd < 0)
		out_fd = open("/dev/null", O_WRONLY);
	dup2(out_fd, 1);
	execv(argv[0], argv);
	fprintf(stderr, "exec %s: %s\n", argv[0], strerror(errno));
	_exit(127);
}

static inline int run_argv(char *const argv[])
{
	int status;
	pid_t pid = spawn_argv(argv, -1, -1);

	if (pid < 0)
		return -errno;
	if (waitpid(pid, &status, 0) < 0)
		return -errno;
	return exit_code(status);
}

#define MAX_ARGS 32

/* argv = { @bin, the arguments of @ap up to NULL (MAX_ARGS at most), NULL } */
static inline void collect_argv(char *argv[MAX_ARGS], const char *bin,
				va_list ap)
{
	int i = 0;

	argv[i++] = (char *)bin;
	while (i < MAX_ARGS - 1 && (argv[i] = va_arg(ap, char *)))
		i++;
	argv[i] = NULL;
}

/* run(BIN, ARG..., NULL): exit status of BIN with those arguments. */
static inline int run(const char *bin, ...)
{
	char *argv[MAX_ARGS];
	va_list ap;

	va_start(ap, bin);
	collect_argv(argv, bin, ap);
	va_end(ap);
	return run_argv(argv);
}

/*
 * A probe that stays alive across steps: "wait" steps read a byte from
 * child.in; "=ERRNO" results are read from child.out.
 */
struct child {
	pid_t pid;
	int in;
	FILE *out;
};

static inline int spawn(struct child *c, const char *bin, ...)
{
	char *argv[MAX_ARGS];
	int in[2], out[2];
	va_list ap;

	va_start(ap, bin);
	collect_argv(argv, bin, ap);
	va_end(ap);
	if (pipe2(in, O_CLOEXEC) || pipe2(out, O_CLOEXEC))
		return -errno;
	c->pid = spawn_argv(argv, in[0], out[1]);
	close(in[0]);
	close(out[1]);
	if (c->pid < 0)
		return -errno;
	c->in = in[1];
	c->out = fdopen(out[0], "r");
	return 0;
}

/* Let the child past one "wait" step. */
static inline int child_go(struct child *c)
{
	return write(c->in, "g", 1) == 1 ? 0 : -errno;
}

/* The next "=ERRNO" result line of the child (-1 at EOF). */
static inline int child_result(struct child *c)
{
	char line[256];
	int v;

	while (fgets(line, sizeof(line), c->out))
		if (sscanf(line, "=%d", &v) == 1)
			return v;
	return -1;
}

/* Close the child's stdin and reap it: its exit status. */
static inline int child_wait(struct child *c)
{
	int status;

	if (c->in >= 0)
		close(c->in);
	c->in = -1;
	if (waitpid(c->pid, &status, 0) < 0)
		return -errno;
	if (c->out)
		fclose(c->out);
	c->out = NULL;
	return exit_code(status);
}

/* Wait until the task @pid sleeps (in its "wait" step). */
static inline void child_settle(pid_t pid)
{
	char path[64], buf[512];
	int i;

	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	for (i = 0; i < 500; i++) {
		FILE *f = fopen(path, "r");
		char *p = NULL;

		if (f) {
			p = fgets(buf, sizeof(buf), f);
			fclose(f);
		}
		p = p ? strrchr(buf, ')') : NULL;
		if (p && p[1] == ' ' && p[2] == 'S')
			return;
		usleep(10000);
	}
}

/* Files */

static inline int write_file(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	ssize_t n;

	if (fd < 0)
		return -errno;
	n = write(fd, text, strlen(text));
	close(fd);
	return n == (ssize_t)strlen(text) ? 0 : -EIO;
}

static inline int copy_file(const char *from, const char *to, mode_t mode)
{
	char buf[65536];
	int in, out, err = 0;
	ssize_t n;

	in = open(from, O_RDONLY | O_CLOEXEC);
	if (in < 0)
		return -errno;
	out = open(to, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
	if (out < 0) {
		close(in);
		return -errno;
	}
	while ((n = read(in, buf, sizeof(buf))) > 0)
		if (write(out, buf, n) != n) {
			err = -EIO;
			break;
		}
	close(in);
	close(out);
	return err;
}

/* mkdir -p */
static inline int mkdirs(const char *path)
{
	char buf[PATH_MAX], *p;

	snprintf(buf, sizeof(buf), "%s", path);
	for (p = buf + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(buf, 0755) && errno != EEXIST)
			return -errno;
		*p = '/';
	}
	if (mkdir(buf, 0755) && errno != EEXIST)
		return -errno;
	return 0;
}

/* Is filesystem type @fs in /proc/filesystems (built in or loaded)? */
static inline int has_fs(const char *fs)
{
	char line[128], name[64];
	FILE *f = fopen("/proc/filesystems", "r");
	int found = 0;

	while (f && !found && fgets(line, sizeof(line), f))
		found = (sscanf(line, "nodev %63s", name) == 1 ||
			 sscanf(line, "%63s", name) == 1) && !strcmp(name, fs);
	if (f)
		fclose(f);
	return found;
}

/* A fresh tmpfs (security.* xattrs work on tmpfs) at @dir. */
static inline int mount_tmpfs(const char *dir)
{
	if (mkdirs(dir))
		return -errno;
	return mount("tmpfs", dir, "tmpfs", 0, "mode=0755") ? -errno : 0;
}

static inline void umount_tmpfs(const char *dir)
{
	umount2(dir, MNT_DETACH);
	rmdir(dir);
}

/* Labels: 0 or -errno. */
static inline int set_label_raw(const char *path, const void *value, size_t len)
{
	return setxattr(path, "security.avfence", value, len, 0) ? -errno : 0;
}

static inline int set_label(const char *path, const char *level)
{
	return set_label_raw(path, level, strlen(level));
}

/* Policies, through avfencectl as an administrator would. */

/* avfencectl(ARG..., NULL): its exit status; its stdout is discarded. */
#define avfencectl(...) run(AVFENCECTL, __VA_ARGS__)

/* Write a policy (printf format) to POLICY_FILE and load it: exit status. */
static inline int __attribute__((format(printf, 1, 2)))
load_policy(const char *fmt, ...)
{
	char text[8192];
	va_list ap;
	int err;

	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	err = write_file(POLICY_FILE, text);
	if (err)
		return err;
	return avfencectl("load", POLICY_FILE, NULL);
}

/*
 * The write= directories of the tests' subjects: /tmp and, once it exists,
 * TMP (most tests mount a tmpfs there, and write= does not reach into
 * another filesystem mounted below a directory).  A subject without
 * write= may change nothing; tests of write= itself name their own.
 */
static inline const char *test_write(void)
{
	return access(TMP, F_OK) ? "/tmp" : "/tmp," TMP;
}

/* "@clearance write=test_write()": the level word of a test subject. */
static inline const char *with_test_write(const char *clearance)
{
	static char buf[512];

	snprintf(buf, sizeof(buf), "%s write=%s", clearance, test_write());
	return buf;
}

/* The usual ladder, default UNCLASSIFIED, SCANNER at @clearance. */
static inline int load_scanner(const char *mode, const char *clearance)
{
	return load_policy(LEVELS "default UNCLASSIFIED\nmode %s\n"
			   "subject " SCANNER " %s\n", mode,
			   with_test_write(clearance));
}

/* A policy with no subjects: nothing new is fenced. */
static inline int load_no_subject(void)
{
	return load_policy(LEVELS "default UNCLASSIFIED\nmode enforce\n");
}

/*
 * A test's files.  build_tree(DIR, tree) mounts a fresh tmpfs at DIR and
 * creates each entry below it, in order: a directory (and its parents)
 * when NAME ends in '/', else a file holding TEXT, or a copy of COPY (mode
 * 0755) when COPY is set; then it sets LABEL unless NULL.  The table ends
 * with { NULL }:
 *
 *	static const struct tree_entry tree[] = {
 *		TREE_FILE("secret", "secret\n", "SECRET"),
 *		TREE_DIR("dir_secret", "SECRET"),
 *		TREE_COPY("prog", PLAIN, NULL),
 *		{ NULL }
 *	};
 */
struct tree_entry {
	const char *name;
	const char *text;
	const char *label;
	const char *copy;
};

#define TREE_FILE(n, t, l)	{ .name = (n), .text = (t), .label = (l) }
#define TREE_DIR(n, l)		{ .name = n "/", .label = (l) }
#define TREE_COPY(n, from, l)	{ .name = (n), .copy = (from), .label = (l) }

static inline int build_tree(const char *dir, const struct tree_entry *t)
{
	char path[PATH_MAX];
	int err = mount_tmpfs(dir);

	for (; !err && t->name; t++) {
		size_t n = strlen(t->name);

		snprintf(path, sizeof(path), "%s/%s", dir, t->name);
		if (n && t->name[n - 1] == '/')
			err = mkdirs(path);
		else if (t->copy)
			err = copy_file(t->copy, path, 0755);
		else
			err = write_file(path, t->text ? t->text : "");
		if (!err && t->label)
			err = set_label(path, t->label);
	}
	return err;
}

/* The usual fixture: @tree at TMP, SCANNER at @clearance, enforcing. */
static inline void setup_tree(struct __test_metadata *_metadata,
			      const struct tree_entry *tree,
			      const char *clearance)
{
	ASSERT_EQ(0, build_tree(TMP, tree));
	ASSERT_EQ(0, load_scanner("enforce", clearance));
}

/* ... and its teardown: nothing fenced any more, the tmpfs gone. */
static inline void teardown_tree(void)
{
	load_no_subject();
	umount_tmpfs(TMP);
}

/* A positive number of seconds from the environment variable @name. */
static inline int env_seconds(const char *name, int dflt)
{
	const char *s = getenv(name);

	return s && atoi(s) > 0 ? atoi(s) : dflt;
}

/* The seed of a randomised test: AVF_SEED if set, else @dflt. */
static inline uint64_t env_seed(uint64_t dflt)
{
	const char *s = getenv("AVF_SEED");

	return s ? strtoull(s, NULL, 0) : dflt;
}

/* xorshift64*: fixed seeds, so a failing schedule can be rerun. */
static inline uint64_t rnd(uint64_t *s)
{
	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return *s * 2685821657736338717ULL;
}

static inline uint64_t generation(void)
{
	struct avf_status st;

	return avf_get_status(&st) ? ~0ull : st.generation;
}

/* fx2: fixtures shared by several tests (issue 17) */

#include <stdatomic.h>
#include <time.h>

/*
 * FIXTURE_TAGGED_VARIANTS(f): variants "tagged" (the agent runs fenced,
 * variant->tagged == 1) and "untagged" (the control: the same agent, not a
 * subject) of fixture @f.
 */
#define FIXTURE_TAGGED_VARIANTS(f)					\
	FIXTURE_VARIANT(f) {						\
		int tagged;						\
	};								\
	FIXTURE_VARIANT_ADD(f, tagged) { .tagged = 1 };			\
	FIXTURE_VARIANT_ADD(f, untagged) { .tagged = 0 }

/* CLOCK_MONOTONIC in ns. */
static inline uint64_t monotonic_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

/*
 * A few lines of text that forked workers note for the parent, in shared
 * memory (mmap MAP_SHARED): the first NOTE_LINES are kept, the rest
 * counted.
 */
#define NOTE_LINES	12

struct note_log {
	_Atomic uint32_t n;
	char line[NOTE_LINES][240];
};

static inline void __attribute__((format(printf, 2, 3)))
note_to(struct note_log *l, const char *fmt, ...)
{
	uint32_t i = atomic_fetch_add(&l->n, 1);
	va_list ap;

	if (i >= NOTE_LINES)
		return;
	va_start(ap, fmt);
	vsnprintf(l->line[i], sizeof(l->line[i]), fmt, ap);
	va_end(ap);
}

/* TH_LOG() each line kept. */
static inline void note_print(struct __test_metadata *_metadata,
			      struct note_log *l)
{
	uint32_t i;

	for (i = 0; i < atomic_load(&l->n) && i < NOTE_LINES; i++)
		TH_LOG("%s", l->line[i]);
}

/* Module */

static inline int module_loaded(void)
{
	return access("/sys/module/avfence", F_OK) == 0;
}

static inline int insmod_avfence(void)
{
	if (module_loaded())
		return 0;
	return run("/bin/insmod", MODULE_KO, NULL);
}

/* fx1: fixtures shared by the side-door tests */

/*
 * Open @path with @flags (no O_CLOEXEC: an agent inherits it) at
 * descriptor @fd, and write that number to @fdno, an agent's argument.
 * Return: 0 or -errno.
 */
static inline int hold_fd(const char *path, int flags, int fd, char fdno[16])
{
	int tmp = open(path, flags);
	int err = 0;

	if (tmp < 0)
		return -errno;
	if (tmp != fd) {
		if (dup2(tmp, fd) != fd)
			err = -errno;
		close(tmp);
	}
	snprintf(fdno, 16, "%d", fd);
	return err;
}

#endif /* AVF_TEST_COMMON_H */
