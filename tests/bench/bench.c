// SPDX-License-Identifier: GPL-2.0
/*
 * avfence benchmark (tests/bench), run inside the VM by tests/bench/init.
 *
 *   bench setup ROOT            files, label directories, scan tree
 *   bench run CONFIG ROOT N     open+close and stat of each file, N times;
 *                               prints "AVFB CONFIG OP FILE NS_PER_OP";
 *                               then mmap(PROT_EXEC)+munmap of unl's file
 *                               (OP mmapx) and stat through the symlink
 *                               ROOT/lnk to it (OP link), N times each
 *   bench scan CONFIG DIR [NAME [wait]]
 *                               walk DIR, open+read+close every file;
 *                               prints "AVFB CONFIG scan NAME NS_PER_FILE"
 *                               (NAME "tree" by default); with "wait",
 *                               wait for a byte on stdin after the warm-up
 *                               walk (an administrator changes a label
 *                               meanwhile)
 *   bench label PATH LEVEL      set PATH's label
 *   bench find CONFIG DIR       walk DIR, lstat every entry, open nothing
 *                               but the directories (find DIR);
 *                               prints "AVFB CONFIG find tree NS_PER_ENTRY"
 *   bench fanotify MOUNT        permission listener allowing everything
 *   bench sleepers N            fork N children that sleep until killed
 *   bench subjects DIR N        N small distinct executables DIR/sN
 *   bench time TAG CMD...       run CMD, print "AVFB-TIME TAG NS"
 *   bench fusemount DIR         mount tests/kselftest/tinyfuse.h's file
 *                               system on DIR, served by a child left
 *                               running (untagged: forked from this copy)
 *   bench fuse CONFIG FILE N    open+close and stat of FILE (on the FUSE
 *                               mount), N times; "AVFB CONFIG open fuse NS"
 *
 * Times come from CLOCK_MONOTONIC: with qemu -icount shift=0,sleep=off the
 * guest clock follows the instructions executed.  With BENCH_CLOCK=thread
 * in the environment, "run" uses CLOCK_THREAD_CPUTIME_ID instead: the time
 * the measuring thread itself ran (system calls included), not what other
 * tasks (a kworker, a listener) ran on the same CPU meanwhile.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/fanotify.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <sys/xattr.h>
#include <time.h>
#include <unistd.h>

/*
 * The share tests' raw /dev/fuse daemon.  Its common.h is the kselftest
 * harness's: keep it out, the headers above are what tinyfuse.h uses.
 */
#define AVF_TEST_COMMON_H
#include "../kselftest/tinyfuse.h"

/*
 * unl: no label; d1, d8, d32: OFFICIAL xattr on the top directory, 1, 8, 32
 * levels up; sec: SECRET xattr; p1, p8, p32: no xattr anywhere, labelled
 * OFFICIAL only by "label" lines of the p1l policy (tests/bench/init).
 */
static const char *const files[] = {
	"unl", "d1", "d8", "d32", "sec", "p1", "p8", "p32"
};
#define NFILES (sizeof(files) / sizeof(files[0]))

static clockid_t bench_clock = CLOCK_MONOTONIC;

static long long now_ns(void)
{
	struct timespec ts;

	clock_gettime(bench_clock, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static void die(const char *what)
{
	perror(what);
	exit(1);
}

/* ROOT/NAME/a/a/.../f with DEPTH directories below ROOT (NAME counts as 1). */
static void file_path(char *buf, size_t len, const char *root, const char *name)
{
	int depth = 1, i;
	size_t n;

	if (!strcmp(name, "d8") || !strcmp(name, "p8"))
		depth = 8;
	else if (!strcmp(name, "d32") || !strcmp(name, "p32"))
		depth = 32;
	n = snprintf(buf, len, "%s/%s", root, name);
	for (i = 1; i < depth; i++)
		n += snprintf(buf + n, len - n, "/a");
	snprintf(buf + n, len - n, "/f");
}

static void mkdirs_for(char *path)
{
	char *p;

	for (p = path + 1; (p = strchr(p, '/')); p++) {
		*p = 0;
		if (mkdir(path, 0755) && errno != EEXIST)
			die(path);
		*p = '/';
	}
}

static void write_file(const char *path, size_t size)
{
	char buf[4096];
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);

	memset(buf, 'x', sizeof(buf));
	if (fd < 0 || write(fd, buf, size) != (ssize_t)size || close(fd))
		die(path);
}

static void label(const char *path, const char *level)
{
	if (setxattr(path, "security.avfence", level, strlen(level), 0))
		die(path);
}

static int setup(const char *root)
{
	char path[PATH_MAX], dir[PATH_MAX];
	unsigned int i, j;

	for (i = 0; i < NFILES; i++) {
		file_path(path, sizeof(path), root, files[i]);
		mkdirs_for(path);
		write_file(path, 100);
		snprintf(dir, sizeof(dir), "%s/%s", root, files[i]);
		/* The label sits on the top directory: 1, 8, 32 levels up. */
		if (!strcmp(files[i], "sec"))
			label(dir, "SECRET");
		else if (files[i][0] == 'd')
			label(dir, "OFFICIAL");
	}
	/*
	 * Scan trees: 100 directories of 100 files of 1 KiB, unlabelled
	 * (scan/), or each file labelled OFFICIAL itself (own/).  relabel/
	 * holds a file and a directory labelled before a measured walk.
	 */
	for (i = 0; i < 100; i++) {
		snprintf(dir, sizeof(dir), "%s/scan/%02u/", root, i);
		mkdirs_for(dir);
		snprintf(dir, sizeof(dir), "%s/own/%02u/", root, i);
		mkdirs_for(dir);
		for (j = 0; j < 100; j++) {
			snprintf(path, sizeof(path), "%s/scan/%02u/%02u", root, i, j);
			write_file(path, 1024);
			snprintf(path, sizeof(path), "%s/own/%02u/%02u", root, i, j);
			write_file(path, 1024);
			label(path, "OFFICIAL");
		}
	}
	/* ROOT/lnk: a symlink to unl's file, made before any policy */
	file_path(path, sizeof(path), root, "unl");
	snprintf(dir, sizeof(dir), "%s/lnk", root);
	if (symlink(path, dir))
		die(dir);
	snprintf(path, sizeof(path), "%s/relabel/dir/f", root);
	mkdirs_for(path);
	write_file(path, 100);
	return 0;
}

static long long loop_open(const char *path, long n)
{
	long long t0;
	long i;
	int fd;

	t0 = now_ns();
	for (i = 0; i < n; i++) {
		fd = open(path, O_RDONLY);
		if (fd >= 0)
			close(fd);
	}
	return now_ns() - t0;
}

static long long loop_stat(const char *path, long n)
{
	struct stat st;
	long long t0;
	long i;

	t0 = now_ns();
	for (i = 0; i < n; i++)
		stat(path, &st);
	return now_ns() - t0;
}

static long long loop_mmapx(int fd, long n)
{
	long long t0;
	void *p;
	long i;

	t0 = now_ns();
	for (i = 0; i < n; i++) {
		p = mmap(NULL, 4096, PROT_READ | PROT_EXEC, MAP_PRIVATE, fd, 0);
		if (p != MAP_FAILED)
			munmap(p, 4096);
	}
	return now_ns() - t0;
}

/*
 * The hooks every task meets since writer marks (kmod/written.c): mapping
 * a file executable (mmap_file) and following a symlink (inode_follow_link).
 */
static void run_written(const char *config, const char *root, long n)
{
	char path[PATH_MAX];
	long long t;
	void *p;
	int fd;

	file_path(path, sizeof(path), root, "unl");
	fd = open(path, O_RDONLY);
	p = fd < 0 ? MAP_FAILED :
		mmap(NULL, 4096, PROT_READ | PROT_EXEC, MAP_PRIVATE, fd, 0);
	printf("AVFB-OPEN %s mmapx-unl %s\n", config,
	       p != MAP_FAILED ? "ok" : strerror(errno));
	if (p != MAP_FAILED) {
		munmap(p, 4096);
		loop_mmapx(fd, n / 10 + 1);
		t = loop_mmapx(fd, n);
		printf("AVFB %s mmapx unl %lld\n", config, t / n);
	}
	if (fd >= 0)
		close(fd);
	snprintf(path, sizeof(path), "%s/lnk", root);
	fd = open(path, O_RDONLY);
	printf("AVFB-OPEN %s link-unl %s\n", config,
	       fd >= 0 ? "ok" : strerror(errno));
	if (fd >= 0) {
		close(fd);
		loop_stat(path, n / 10 + 1);
		t = loop_stat(path, n);
		printf("AVFB %s link unl %lld\n", config, t / n);
	}
	fflush(stdout);
}

static int run(const char *config, const char *root, long n)
{
	char path[PATH_MAX];
	unsigned int i;
	long long t;
	int fd;

	for (i = 0; i < NFILES; i++) {
		file_path(path, sizeof(path), root, files[i]);
		fd = open(path, O_RDONLY);
		if (fd >= 0)
			close(fd);
		printf("AVFB-OPEN %s %s %s\n", config, files[i],
		       fd >= 0 ? "ok" : strerror(errno));
		loop_open(path, n / 10 + 1);	/* warm up */
		t = loop_open(path, n);
		printf("AVFB %s open %s %lld\n", config, files[i], t / n);
		loop_stat(path, n / 10 + 1);
		t = loop_stat(path, n);
		printf("AVFB %s stat %s %lld\n", config, files[i], t / n);
		fflush(stdout);
	}
	run_written(config, root, n);
	return 0;
}

static long scan_dir(const char *dir, char *buf, size_t len)
{
	char path[PATH_MAX];
	struct dirent *de;
	long count = 0;
	DIR *d = opendir(dir);
	int fd;

	if (!d)
		return 0;
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		if (de->d_type == DT_DIR) {
			count += scan_dir(path, buf, len);
			continue;
		}
		fd = open(path, O_RDONLY);
		if (fd < 0)
			continue;
		while (read(fd, buf, len) > 0)
			;
		close(fd);
		count++;
	}
	closedir(d);
	return count;
}

static int scan(const char *config, const char *dir, const char *name,
		bool wait)
{
	static char buf[65536];
	long long t0, t;
	long count;
	char c;

	scan_dir(dir, buf, sizeof(buf));	/* warm up */
	if (wait) {
		fflush(stdout);
		if (read(0, &c, 1) != 1)
			die("scan: wait");
	}
	t0 = now_ns();
	count = scan_dir(dir, buf, sizeof(buf));
	t = now_ns() - t0;
	if (!count)
		return 1;
	printf("AVFB %s scan %s %lld\n", config, name, t / count);
	printf("AVFB-SCAN %s %s files=%ld\n", config, name, count);
	return 0;
}

/* Entries below @dir, each lstat()ed; directories opened to be listed. */
static long find_dir(const char *dir)
{
	char path[PATH_MAX];
	struct dirent *de;
	struct stat st;
	long count = 0;
	DIR *d = opendir(dir);

	if (!d)
		return 0;
	while ((de = readdir(d))) {
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		if (lstat(path, &st))
			continue;
		count++;
		if (S_ISDIR(st.st_mode))
			count += find_dir(path);
	}
	closedir(d);
	return count;
}

static int find(const char *config, const char *dir)
{
	long long t0, t;
	long count;

	find_dir(dir);	/* warm up */
	t0 = now_ns();
	count = find_dir(dir);
	t = now_ns() - t0;
	if (!count)
		return 1;
	printf("AVFB %s find tree %lld\n", config, t / count);
	return 0;
}

static void __attribute__((noreturn)) fan_listener(const char *mount)
{
	struct fanotify_event_metadata buf[64], *m;
	struct fanotify_response r;
	ssize_t len;
	int fd;

	fd = fanotify_init(FAN_CLASS_CONTENT | FAN_CLOEXEC, O_RDONLY | O_LARGEFILE);
	if (fd < 0)
		die("fanotify_init");
	if (fanotify_mark(fd, FAN_MARK_ADD | FAN_MARK_MOUNT, FAN_OPEN_PERM,
			  AT_FDCWD, mount))
		die("fanotify_mark");
	printf("AVFB-FANOTIFY ready\n");
	fflush(stdout);
	for (;;) {
		len = read(fd, buf, sizeof(buf));
		if (len < 0) {
			if (errno == EINTR)
				continue;
			die("fanotify read");
		}
		for (m = buf; FAN_EVENT_OK(m, len); m = FAN_EVENT_NEXT(m, len)) {
			if (m->mask & FAN_OPEN_PERM) {
				r.fd = m->fd;
				r.response = FAN_ALLOW;
				if (write(fd, &r, sizeof(r)) != sizeof(r))
					die("fanotify write");
			}
			if (m->fd >= 0)
				close(m->fd);
		}
	}
}

static void __attribute__((noreturn)) sleepers(long n)
{
	int pfd[2];
	char c;
	long i;

	/* Report only once every child has run: none is scheduled for the
	 * first time while the caller measures.
	 */
	if (pipe(pfd))
		die("pipe");
	for (i = 0; i < n; i++) {
		pid_t p = fork();

		if (p < 0)
			die("fork");
		if (!p) {
			prctl(PR_SET_PDEATHSIG, SIGKILL);
			if (write(pfd[1], "x", 1) != 1)
				_exit(1);
			for (;;)
				pause();
		}
	}
	for (i = 0; i < n; i++)
		if (read(pfd[0], &c, 1) != 1)
			die("pipe read");
	printf("AVFB-SLEEPERS %ld\n", n);
	fflush(stdout);
	for (;;)
		pause();
}

static int subjects(const char *dir, long n)
{
	char path[PATH_MAX];
	long i;
	int fd;

	for (i = 0; i < n; i++) {
		snprintf(path, sizeof(path), "%s/s%ld", dir, i);
		fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0755);
		if (fd < 0 || write(fd, "#!/bin/sh\n", 10) != 10 || close(fd))
			die(path);
	}
	return 0;
}

static int timecmd(const char *tag, char **argv)
{
	long long t0 = now_ns();
	int status;
	pid_t p = fork();

	if (!p) {
		execv(argv[0], argv);
		_exit(127);
	}
	waitpid(p, &status, 0);
	printf("AVFB-TIME %s %lld rc=%d\n", tag, now_ns() - t0,
	       WIFEXITED(status) ? WEXITSTATUS(status) : -1);
	return 0;
}

static int fusemount(const char *dir)
{
	struct tinyfuse f;
	int err;

	if (mkdir(dir, 0755) && errno != EEXIST) {
		printf("AVFB-ERROR fuse not measured: mkdir %s: %s\n", dir,
		       strerror(errno));
		return 1;
	}
	err = tinyfuse_mount(dir, 0, &f);
	if (err) {
		printf("AVFB-ERROR fuse not measured: tinyfuse on %s: %s\n",
		       dir, strerror(-err));
		return 1;
	}
	printf("AVFB-NOTE fuse: tinyfuse mounted on %s, daemon pid %d\n",
	       dir, (int)f.pid);
	return 0;
}

/* Like run() for one file of the FUSE mount: rows "open fuse", "stat fuse". */
static int run_fuse(const char *config, const char *path, long n)
{
	long long t;
	int fd;

	fd = open(path, O_RDONLY);
	printf("AVFB-OPEN %s fuse %s\n", config,
	       fd >= 0 ? "ok" : strerror(errno));
	if (fd < 0)
		return 1;
	close(fd);
	loop_open(path, n / 10 + 1);	/* warm up */
	t = loop_open(path, n);
	printf("AVFB %s open fuse %lld\n", config, t / n);
	loop_stat(path, n / 10 + 1);
	t = loop_stat(path, n);
	printf("AVFB %s stat fuse %lld\n", config, t / n);
	fflush(stdout);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 3 && !strcmp(argv[1], "setup"))
		return setup(argv[2]);
	if (argc == 5 && !strcmp(argv[1], "run")) {
		const char *clk = getenv("BENCH_CLOCK");

		if (clk && !strcmp(clk, "thread"))
			bench_clock = CLOCK_THREAD_CPUTIME_ID;
		else if (clk && *clk) {
			fprintf(stderr, "bench: BENCH_CLOCK=%s: not 'thread'\n", clk);
			return 2;
		}
		return run(argv[2], argv[3], atol(argv[4]));
	}
	if (argc >= 4 && argc <= 6 && !strcmp(argv[1], "scan"))
		return scan(argv[2], argv[3], argc > 4 ? argv[4] : "tree",
			    argc > 5 && !strcmp(argv[5], "wait"));
	if (argc == 4 && !strcmp(argv[1], "find"))
		return find(argv[2], argv[3]);
	if (argc == 4 && !strcmp(argv[1], "label")) {
		label(argv[2], argv[3]);
		return 0;
	}
	if (argc == 3 && !strcmp(argv[1], "fanotify"))
		fan_listener(argv[2]);
	if (argc == 3 && !strcmp(argv[1], "sleepers"))
		sleepers(atol(argv[2]));
	if (argc == 4 && !strcmp(argv[1], "subjects"))
		return subjects(argv[2], atol(argv[3]));
	if (argc == 3 && !strcmp(argv[1], "fusemount"))
		return fusemount(argv[2]);
	if (argc == 5 && !strcmp(argv[1], "fuse"))
		return run_fuse(argv[2], argv[3], atol(argv[4]));
	if (argc >= 4 && !strcmp(argv[1], "time"))
		return timecmd(argv[2], argv + 3);
	fprintf(stderr, "usage: see tests/bench/bench.c\n");
	return 2;
}
