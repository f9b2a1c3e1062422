// SPDX-License-Identifier: GPL-2.0
/*
 * probe: the test subject.  The VM holds it as /opt/av/bin/scanner (the
 * subject binary of the test policies) and, as a separate file, as
 * /bin/avprobe (never a subject); tests copy, rename and link it further.
 *
 *   probe STEP [-- STEP]...
 *
 * Open-like steps print "=ERRNO" on stdout (0 on success) and the exit
 * status is the errno of the last such step.  Setup steps that fail exit
 * with status 200 (and a message on stderr).
 *
 * FLAGS: r | w | rw | p (O_PATH), plus any of +a (O_APPEND), +d
 * (O_DIRECTORY), +c (O_CREAT), +t (O_TRUNC), e.g. "w+a", "r+d", "rw+c".
 *
 *   open PATH FLAGS         open(2)
 *   openat PATH FLAGS       openat(2) relative to an O_PATH fd of the parent
 *   openat2 PATH FLAGS      openat2(2)
 *   handle PATH FLAGS MNT   name_to_handle_at + open_by_handle_at via MNT
 *   uring PATH FLAGS        io_uring IORING_OP_OPENAT (inline)
 *   uring-async PATH FLAGS  the same with IOSQE_ASYNC (an io-wq worker)
 *   procfd PATH FLAGS       O_PATH fd, then re-open /proc/self/fd/N
 *   thread PATH FLAGS       open(2) from a new thread
 *   cat PATH                copy PATH to stdout (no "=ERRNO" line)
 *   list PATH               open directory PATH, getdents64(2) to its end
 *   list9                   getdents64(2) on fd 9 (hold) from its start
 *   exec PATH [ARG]...      execv(2) (takes the rest of the line)
 *   fork                    the child does the remaining steps; the parent
 *                           waits and exits with the child's status
 *   wait                    read one byte from stdin (EOF: exit 200)
 *   hold PATH               open PATH read-only as fd 9 (setup)
 *   caps none|mac|sys       keep only CAP_MAC_ADMIN / CAP_SYS_ADMIN / none
 *   setuid UID              setresuid/setresgid (drops capabilities)
 *   nl-mode enforce|audit   AVFENCE_CMD_SET_MODE
 *   nl-load                 AVFENCE_CMD_LOAD_POLICY of a subject-less policy
 *   nl-status               AVFENCE_CMD_GET_STATUS
 *   noop                    nothing (a successful exec target)
 */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include <linux/capability.h>
#include <linux/openat2.h>

#include "genl.h"
#include "uring.h"

#define SETUP_FAILED 200

static void die(const char *what)
{
	fprintf(stderr, "probe: %s: %s\n", what, strerror(errno));
	exit(SETUP_FAILED);
}

static int parse_flags(const char *s)
{
	int flags;

	if (!strncmp(s, "rw", 2)) {
		flags = O_RDWR;
		s += 2;
	} else if (*s == 'r') {
		flags = O_RDONLY;
		s++;
	} else if (*s == 'w') {
		flags = O_WRONLY;
		s++;
	} else if (*s == 'p') {
		flags = O_PATH;
		s++;
	} else {
		errno = EINVAL;
		die("flags");
	}
	while (*s == '+' && s[1]) {
		switch (s[1]) {
		case 'a': flags |= O_APPEND; break;
		case 'd': flags |= O_DIRECTORY; break;
		case 'c': flags |= O_CREAT; break;
		case 't': flags |= O_TRUNC; break;
		default: errno = EINVAL; die("flags");
		}
		s += 2;
	}
	return flags | O_CLOEXEC;
}

static int result(int fd)
{
	if (fd < 0)
		return errno;
	close(fd);
	return 0;
}

static int do_openat(const char *path, int flags)
{
	char *d = strdup(path), *b = strdup(path);
	int dfd, fd;

	dfd = open(dirname(d), O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0)
		die("open parent");
	fd = openat(dfd, basename(b), flags, 0600);
	close(dfd);
	return result(fd);
}

static int do_openat2(const char *path, int flags)
{
	struct open_how how = { .flags = flags, .mode = (flags & O_CREAT) ? 0600 : 0 };

	return result(syscall(SYS_openat2, AT_FDCWD, path, &how, sizeof(how)));
}

static int do_handle(const char *path, int flags, const char *mnt)
{
	struct file_handle *fh = malloc(sizeof(*fh) + MAX_HANDLE_SZ);
	int mount_id, mfd, fd;

	fh->handle_bytes = MAX_HANDLE_SZ;
	if (name_to_handle_at(AT_FDCWD, path, fh, &mount_id, 0))
		die("name_to_handle_at");
	/* open_by_handle_at() does not take an O_PATH mount fd. */
	mfd = open(mnt, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (mfd < 0)
		die("open mount");
	fd = open_by_handle_at(mfd, fh, flags);
	close(mfd);
	return result(fd);
}

static int do_procfd(const char *path, int flags)
{
	char proc[64];
	int pfd, fd;

	pfd = open(path, O_PATH | O_CLOEXEC);
	if (pfd < 0)
		die("open O_PATH");
	snprintf(proc, sizeof(proc), "/proc/self/fd/%d", pfd);
	fd = open(proc, flags);
	close(pfd);
	return result(fd);
}

/* One IORING_OP_OPENAT on a fresh ring (uring.h). */
static int do_uring(const char *path, int flags, int async)
{
	struct uring u;
	int res;

	if (uring_setup(&u, 0) < 0) {
		/* ENOSYS or EPERM (io_uring disabled): let the test skip. */
		printf("uring-unavailable\n");
		return errno;
	}
	if (uring_map(&u))
		die("mmap");
	uring_openat(&u, path, flags, async ? IOSQE_ASYNC : 0);
	if (uring_run(&u, &res))
		die("io_uring_enter");
	close(u.fd);
	if (res < 0)
		return -res;
	close(res);
	return 0;
}

struct thread_arg {
	const char *path;
	int flags;
	int err;
};

static void *thread_fn(void *p)
{
	struct thread_arg *a = p;

	a->err = result(open(a->path, a->flags));
	return NULL;
}

static int do_thread(const char *path, int flags)
{
	struct thread_arg a = { path, flags, 0 };
	pthread_t t;

	if (pthread_create(&t, NULL, thread_fn, &a))
		die("pthread_create");
	pthread_join(t, NULL);
	return a.err;
}

static int do_cat(const char *path)
{
	char buf[4096];
	ssize_t n;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0) {
		fprintf(stderr, "probe: cat %s: %s\n", path, strerror(errno));
		return errno;
	}
	while ((n = read(fd, buf, sizeof(buf))) > 0)
		if (write(1, buf, n) != n)
			break;
	close(fd);
	return 0;
}

/* getdents64(2) on directory @fd from its start to its end: 0 or errno. */
static int list_fd(int fd)
{
	char buf[4096];
	long n;

	if (lseek(fd, 0, SEEK_SET) < 0)
		return errno;
	while ((n = syscall(SYS_getdents64, fd, buf, sizeof(buf))) > 0)
		;
	return n < 0 ? errno : 0;
}

static int do_list(const char *path)
{
	int fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	int err;

	if (fd < 0)
		return errno;
	err = list_fd(fd);
	close(fd);
	return err;
}

static void do_caps(const char *which)
{
	struct __user_cap_header_struct hdr = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct data[2];
	int cap = -1;

	memset(data, 0, sizeof(data));
	if (!strcmp(which, "mac"))
		cap = CAP_MAC_ADMIN;
	else if (!strcmp(which, "sys"))
		cap = CAP_SYS_ADMIN;
	else if (strcmp(which, "none")) {
		errno = EINVAL;
		die("caps");
	}
	if (cap >= 0) {
		data[cap / 32].effective = 1u << (cap % 32);
		data[cap / 32].permitted = 1u << (cap % 32);
	}
	if (syscall(SYS_capset, &hdr, data))
		die("capset");
}

static int nl_result(int err)
{
	return err < 0 ? -err : err;
}

int main(int argc, char **argv)
{
	static const char *const levels[] = { "UNCLASSIFIED", "OFFICIAL", "SECRET",
					      "TOP-SECRET", NULL };
	int i = 1, last = 0;

	if (argc < 2) {
		fprintf(stderr, "usage: probe STEP [-- STEP]...\n");
		return SETUP_FAILED;
	}
	while (i < argc) {
		const char *cmd = argv[i];
		char **a = &argv[i + 1];
		int n = 0, err = -1;

		while (i + 1 + n < argc && strcmp(a[n], "--"))
			n++;
#define NEED(k) do { if (n < (k)) { fprintf(stderr, "probe: %s: missing argument\n", cmd); return SETUP_FAILED; } } while (0)
		if (!strcmp(cmd, "open")) {
			NEED(2);
			err = result(open(a[0], parse_flags(a[1]), 0600));
		} else if (!strcmp(cmd, "openat")) {
			NEED(2);
			err = do_openat(a[0], parse_flags(a[1]));
		} else if (!strcmp(cmd, "openat2")) {
			NEED(2);
			err = do_openat2(a[0], parse_flags(a[1]));
		} else if (!strcmp(cmd, "handle")) {
			NEED(3);
			err = do_handle(a[0], parse_flags(a[1]), a[2]);
		} else if (!strcmp(cmd, "uring")) {
			NEED(2);
			err = do_uring(a[0], parse_flags(a[1]), 0);
		} else if (!strcmp(cmd, "uring-async")) {
			NEED(2);
			err = do_uring(a[0], parse_flags(a[1]), 1);
		} else if (!strcmp(cmd, "procfd")) {
			NEED(2);
			err = do_procfd(a[0], parse_flags(a[1]));
		} else if (!strcmp(cmd, "thread")) {
			NEED(2);
			err = do_thread(a[0], parse_flags(a[1]));
		} else if (!strcmp(cmd, "cat")) {
			NEED(1);
			last = do_cat(a[0]);
		} else if (!strcmp(cmd, "list")) {
			NEED(1);
			err = do_list(a[0]);
		} else if (!strcmp(cmd, "list9")) {
			err = list_fd(9);
		} else if (!strcmp(cmd, "exec")) {
			NEED(1);
			fflush(stdout);
			execv(a[0], a);
			err = errno;
			printf("=%d\n", err);
			return err;
		} else if (!strcmp(cmd, "fork")) {
			pid_t pid;
			int status;

			fflush(stdout);
			pid = fork();
			if (pid < 0)
				die("fork");
			if (pid > 0) {
				if (waitpid(pid, &status, 0) < 0)
					die("waitpid");
				return WIFEXITED(status) ? WEXITSTATUS(status) :
							   128 + WTERMSIG(status);
			}
		} else if (!strcmp(cmd, "chroot")) {
			NEED(1);
			err = chroot(a[0]) || chdir("/") ? errno : 0;
		} else if (!strcmp(cmd, "wait")) {
			char c;

			fflush(stdout);
			if (read(0, &c, 1) != 1)
				die("wait");
		} else if (!strcmp(cmd, "hold")) {
			NEED(1);
			if (dup2(open(a[0], O_RDONLY), 9) != 9)
				die("hold");
		} else if (!strcmp(cmd, "caps")) {
			NEED(1);
			do_caps(a[0]);
		} else if (!strcmp(cmd, "setuid")) {
			NEED(1);
			if (setresgid(atoi(a[0]), atoi(a[0]), atoi(a[0])) ||
			    setresuid(atoi(a[0]), atoi(a[0]), atoi(a[0])))
				die("setuid");
		} else if (!strcmp(cmd, "nl-mode")) {
			NEED(1);
			err = nl_result(avf_set_mode(!strcmp(a[0], "audit") ?
						     AVFENCE_MODE_AUDIT :
						     AVFENCE_MODE_ENFORCE));
		} else if (!strcmp(cmd, "nl-load")) {
			struct avf_policy_desc p = {
				.mode = AVFENCE_MODE_ENFORCE,
				.levels = levels,
				.default_level = "UNCLASSIFIED",
			};

			err = nl_result(avf_load(&p));
		} else if (!strcmp(cmd, "nl-status")) {
			struct avf_status st;

			err = nl_result(avf_get_status(&st));
			if (!err)
				printf("generation=%llu tagged=%u\n",
				       (unsigned long long)st.generation, st.tagged);
		} else if (!strcmp(cmd, "noop")) {
			err = 0;
		} else {
			fprintf(stderr, "probe: unknown step %s\n", cmd);
			return SETUP_FAILED;
		}
		if (err >= 0) {
			printf("=%d\n", err);
			last = err;
		}
		i += 1 + n + 1;	/* the step, its arguments, the "--" */
	}
	fflush(stdout);
	return last;
}
