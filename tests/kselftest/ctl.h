/* SPDX-License-Identifier: GPL-2.0 */
/*
 * avfence kselftests of avfencectl's operator commands (ctl_test.c,
 * monitor_test.c, zz_lock_test.c): run avfencectl and capture what it
 * prints, pick values out of its JSON, check that JSON is well formed,
 * follow a running `avfencectl monitor`, read securityfs.
 */
#ifndef AVF_TEST_CTL_H
#define AVF_TEST_CTL_H

#include <ctype.h>
#include <poll.h>
#include <sys/mman.h>
#include <sys/utsname.h>
#include <time.h>

#include "common.h"

#define SECFS		"/sys/kernel/security"
#define SECFS_STATUS	SECFS "/avfence/status"
#define SECFS_POLICY	SECFS "/avfence/policy"
#define OUT_MAX		(1 << 20)

/* What one command printed. */
struct output {
	int status;		/* exit status, or -errno */
	char out[OUT_MAX];	/* stdout, NUL-terminated, cut at OUT_MAX */
	char err[16384];	/* stderr */
};

static inline void read_fd_all(int fd, char *buf, size_t size)
{
	ssize_t n;
	size_t len = 0;

	lseek(fd, 0, SEEK_SET);
	while (len + 1 < size && (n = read(fd, buf + len, size - 1 - len)) > 0)
		len += n;
	buf[len] = '\0';
	close(fd);
}

/* capture(o, BIN, ARG..., NULL): run BIN, keep its stdout and stderr. */
static inline int capture(struct output *o, const char *bin, ...)
{
	char *argv[MAX_ARGS];
	int out, err, st;
	va_list ap;
	pid_t pid;

	va_start(ap, bin);
	collect_argv(argv, bin, ap);
	va_end(ap);
	out = memfd_create("out", MFD_CLOEXEC);
	err = memfd_create("err", MFD_CLOEXEC);
	o->out[0] = o->err[0] = '\0';
	if (out < 0 || err < 0)
		return o->status = -errno;
	pid = fork();
	if (pid == 0) {
		dup2(out, 1);
		dup2(err, 2);
		execv(argv[0], argv);
		_exit(127);
	}
	if (pid < 0 || waitpid(pid, &st, 0) < 0) {
		close(out);
		close(err);
		return o->status = -errno;
	}
	read_fd_all(out, o->out, sizeof(o->out));
	read_fd_all(err, o->err, sizeof(o->err));
	return o->status = exit_code(st);
}

#define ctl(o, ...) capture(o, AVFENCECTL, __VA_ARGS__)

/* The whole of a (small) file, NUL-terminated; 0 or -errno. */
static inline int read_text(const char *path, char *buf, size_t size)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return -errno;
	read_fd_all(fd, buf, size);
	return 0;
}

/* securityfs is not mounted by the VM's /init. */
static inline int mount_securityfs(void)
{
	if (access(SECFS "/avfence", F_OK) == 0)
		return 0;
	if (mount("securityfs", SECFS, "securityfs", 0, NULL) && errno != EBUSY)
		return -errno;
	return access(SECFS "/avfence", F_OK) ? -errno : 0;
}

/*
 * The value of "key": in a JSON object printed by avfencectl (flat, keys
 * not repeated), as raw text: a string without its quotes and escapes
 * left in, or a number, true, false, null.  Returns @val or NULL.
 */
static inline char *json_get(const char *json, const char *key, char *val,
			     size_t size)
{
	char pat[80];
	const char *p, *e;
	size_t n;

	snprintf(pat, sizeof(pat), "\"%s\":", key);
	p = strstr(json, pat);
	if (!p)
		return NULL;
	p += strlen(pat);
	if (*p == '"') {
		for (e = ++p; *e && *e != '"'; e++)
			if (*e == '\\' && e[1])
				e++;
	} else {
		for (e = p; *e && *e != ',' && *e != '}' && *e != ']'; e++)
			;
	}
	n = e - p < (long)size - 1 ? (size_t)(e - p) : size - 1;
	memcpy(val, p, n);
	val[n] = '\0';
	return val;
}

/* A strict little JSON checker: 0 if @s holds exactly one JSON value. */
static inline const char *json_value(const char *s, int depth);

static inline const char *json_ws(const char *s)
{
	while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')
		s++;
	return s;
}

static inline const char *json_str(const char *s)
{
	if (*s++ != '"')
		return NULL;
	for (; *s != '"'; s++) {
		if ((unsigned char)*s < 0x20)
			return NULL;	/* raw control characters: invalid */
		if (*s == '\\') {
			s++;
			if (*s == 'u') {
				int i;

				for (i = 1; i <= 4; i++)
					if (!isxdigit((unsigned char)s[i]))
						return NULL;
				s += 4;
			} else if (!strchr("\"\\/bfnrt", *s) || !*s) {
				return NULL;
			}
		}
	}
	return s + 1;
}

static inline const char *json_value(const char *s, int depth)
{
	s = json_ws(s);
	if (depth > 16)
		return NULL;
	if (*s == '"')
		return json_str(s);
	if (*s == '{' || *s == '[') {
		char close = *s == '{' ? '}' : ']';
		bool obj = *s == '{';

		s = json_ws(s + 1);
		if (*s == close)
			return s + 1;
		for (;;) {
			if (obj) {
				s = json_str(json_ws(s));
				if (!s)
					return NULL;
				s = json_ws(s);
				if (*s++ != ':')
					return NULL;
			}
			s = json_value(s, depth + 1);
			if (!s)
				return NULL;
			s = json_ws(s);
			if (*s == close)
				return s + 1;
			if (*s++ != ',')
				return NULL;
		}
	}
	if (!strncmp(s, "null", 4) || !strncmp(s, "true", 4))
		return s + 4;
	if (!strncmp(s, "false", 5))
		return s + 5;
	if (*s == '-' || isdigit((unsigned char)*s)) {
		s++;
		while (isdigit((unsigned char)*s) || strchr(".eE+-", *s))
			s++;
		return s;
	}
	return NULL;
}

static inline int json_valid(const char *s)
{
	s = json_value(s, 0);
	return s && !*json_ws(s) ? 0 : -EINVAL;
}

/* A running `avfencectl monitor`, its stdout on a pipe. */
struct monitor {
	pid_t pid;
	int fd;
	char buf[65536];
	size_t len;
};

/* monitor_start(m, ARG..., NULL) */
static inline int monitor_start(struct monitor *m, ...)
{
	char *argv[MAX_ARGS] = { AVFENCECTL, "monitor" };
	int p[2], i = 2;
	va_list ap;

	va_start(ap, m);
	while (i < MAX_ARGS - 1 && (argv[i] = va_arg(ap, char *)))
		i++;
	va_end(ap);
	argv[i] = NULL;
	m->len = 0;
	if (pipe2(p, O_CLOEXEC))
		return -errno;
	m->pid = spawn_argv(argv, -1, p[1]);
	close(p[1]);
	m->fd = p[0];
	return m->pid < 0 ? -errno : 0;
}

/* The next line (without its newline) within @ms; 0 or -ETIMEDOUT/-EPIPE. */
static inline int monitor_line(struct monitor *m, char *line, size_t size,
			       int ms)
{
	struct pollfd pfd = { .fd = m->fd, .events = POLLIN };
	char *nl;
	ssize_t n;

	for (;;) {
		nl = memchr(m->buf, '\n', m->len);
		if (nl) {
			size_t l = nl - m->buf;

			snprintf(line, size, "%.*s", (int)l, m->buf);
			memmove(m->buf, nl + 1, m->len - l - 1);
			m->len -= l + 1;
			return 0;
		}
		if (m->len == sizeof(m->buf))
			m->len = 0;	/* a line this long is a failure anyway */
		if (poll(&pfd, 1, ms) <= 0)
			return -ETIMEDOUT;
		n = read(m->fd, m->buf + m->len, sizeof(m->buf) - m->len);
		if (n <= 0)
			return -EPIPE;
		m->len += n;
	}
}

/* The next line containing @needle; 0 or -ETIMEDOUT/-EPIPE. */
static inline int monitor_find(struct monitor *m, const char *needle,
			       char *line, size_t size, int ms)
{
	int err;

	do {
		err = monitor_line(m, line, size, ms);
	} while (!err && !strstr(line, needle));
	return err;
}

/*
 * Subscribing takes a moment: change the mode until the monitor shows a
 * mode event, so that later events cannot be missed.  Needs a policy.
 */
static inline int monitor_sync(struct monitor *m, const char *needle)
{
	char line[4096];
	int i;

	for (i = 0; i < 50; i++) {
		if (avfencectl("mode", "enforce", NULL))
			return -EIO;
		if (!monitor_find(m, needle, line, sizeof(line), 200))
			return 0;
	}
	return -ETIMEDOUT;
}

/* SIGINT (or @sig) and reap: the exit status. */
static inline int monitor_stop(struct monitor *m, int sig)
{
	int st;

	kill(m->pid, sig);
	close(m->fd);
	if (waitpid(m->pid, &st, 0) < 0)
		return -errno;
	return exit_code(st);
}

static inline uint64_t realtime_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

/* "2026-11-29T19:37:00.123456789Z" to ns since the epoch, 0 if malformed. */
static inline uint64_t parse_iso(const char *s)
{
	struct tm tm = { 0 };
	unsigned long ns;
	char *end;

	end = strptime(s, "%Y-%m-%dT%H:%M:%S", &tm);
	if (!end || *end != '.' || strlen(end) != 11 || end[10] != 'Z')
		return 0;
	ns = strtoul(end + 1, NULL, 10);
	return (uint64_t)timegm(&tm) * 1000000000ull + ns;
}

#endif /* AVF_TEST_CTL_H */
