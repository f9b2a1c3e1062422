/* SPDX-License-Identifier: GPL-2.0 */
/*
 * avfence kselftests: helpers of the side-door tests (issue 3).
 *
 * Each attack is an "agent": a function of the test program, registered
 * with AGENT(name), that runs in a new process exec'd from
 *
 *   AGENT_BIN, a copy of the test program that the policy names as a
 *              subject: the agent is tagged, a hostile root AV agent with
 *              every capability;
 *   the test program itself, never a subject: the agent is untagged (the
 *              control, which shows that the route is real).
 *
 * The environment variable AVF_AGENT names the agent; a constructor runs it
 * in place of the kselftest harness.  Its stdout and stderr go to a pipe
 * that the test reads whole: the agent prints "key=ERRNO" lines (0 for
 * success) and every byte it manages to read from the attacked object, so
 * "the secret never arrives" is checked on everything the agent received:
 * the CANARY must not be in its output.  Its stdin is a pipe too, for
 * steps that wait for the test ("agent_go").
 *
 * Denials are checked where the kernel records them: the route counters of
 * AVFENCE_CMD_GET_STATUS (AVFENCE_A_ROUTE_STATS) and the kernel log line
 * "avfence: denied ROUTE pid=...".  The module rate-limits that line (20
 * per 5 s); a missing line is excused only if 20 avfence lines were
 * printed in the 5 s around the attack, which the log itself shows.
 */
#ifndef AVF_TEST_DOORS_H
#define AVF_TEST_DOORS_H

#include <poll.h>
#include <stdint.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <time.h>

#include "common.h"
#include "decide.h"

/* The secret: the contents of every classified file of these tests. */
#define CANARY		"avf-canary:7d3e91c0:classified-bytes"
#define CANARY_LINE	CANARY "\n"

/* On the VM's /tmp, outside the TMP tmpfs that some tests mark or mount. */
#define AGENT_BIN	"/tmp/avf-agent"
#define AGENT_BIN2	"/tmp/avf-agent2"

#define NOT_PRINTED	(-9999)

/* Agents */

struct avf_agent_def {
	const char *name;
	int (*fn)(int argc, char **argv);
};

/*
 * AGENT(name) { ... }: the body of agent "name", with argc/argv of its
 * process (argv[1] is its first argument).  Its return value is the exit
 * status.
 */
#define AGENT(name)							\
	static int agent_fn_##name(int argc, char **argv);		\
	static const struct avf_agent_def avf_agent_##name		\
	__attribute__((used, section("avf_agents"),			\
		       aligned(sizeof(void *)))) = {			\
		#name, agent_fn_##name					\
	};								\
	static int agent_fn_##name(int argc, char **argv)

extern const struct avf_agent_def __start_avf_agents[]
	__attribute__((weak));
extern const struct avf_agent_def __stop_avf_agents[]
	__attribute__((weak));

static void __attribute__((constructor))
avf_agent_dispatch(int argc, char **argv, char **envp)
{
	const char *name = getenv("AVF_AGENT");
	const struct avf_agent_def *a;

	if (!name)
		return;
	unsetenv("AVF_AGENT");
	setvbuf(stdout, NULL, _IONBF, 0);
	for (a = __start_avf_agents; a && a < __stop_avf_agents; a++)
		if (!strcmp(a->name, name))
			exit(a->fn(argc, argv));
	fprintf(stderr, "agent %s: no such agent\n", name);
	exit(SETUP_FAILED);
}

/* In an agent: one result line. */
static inline void __attribute__((format(printf, 1, 2))) say(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	fflush(stdout);
}

/* In an agent: "key=ERRNO" for a call's return value (< 0 is failure). */
static inline long result(const char *key, long ret)
{
	say("%s=%d\n", key, ret < 0 ? errno : 0);
	return ret;
}

/* In an agent: report bytes obtained, verbatim (the test looks for CANARY). */
static inline void emit(const char *key, const void *buf, long n)
{
	if (n <= 0)
		return;
	printf("%s<", key);
	fwrite(buf, 1, n, stdout);
	printf(">\n");
	fflush(stdout);
}

/* In an agent: read @fd to EOF (at most 64 KiB), emit it; "key=ERRNO". */
static inline int read_emit(const char *key, int fd)
{
	static char buf[65536];
	long n, total = 0;
	int err = 0;

	while (total < (long)sizeof(buf) &&
	       (n = read(fd, buf + total, sizeof(buf) - total)) != 0) {
		if (n < 0) {
			err = errno;
			break;
		}
		total += n;
	}
	emit(key, buf, total);
	say("%s=%d\n", key, err);
	return err;
}

/* In an agent: open @path read-only, read it, emit; "key=ERRNO". */
static inline int open_read_emit(const char *key, const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	int err;

	if (fd < 0) {
		say("%s=%d\n", key, errno);
		return errno;
	}
	err = read_emit(key, fd);
	close(fd);
	return err;
}

/* In an agent: wait for the test's go (a byte on stdin). */
static inline int wait_go(void)
{
	char c;

	return read(0, &c, 1) == 1 ? 0 : -1;
}

/* The test side of an agent. */
struct agent {
	pid_t pid;
	int in;			/* the agent's stdin */
	int out;		/* its stdout and stderr */
	size_t len;
	int status;		/* exit status once finished */
	char buf[1 << 17];
};

static inline const char *self_exe(void)
{
	static char path[PATH_MAX];
	ssize_t n;

	if (path[0])
		return path;
	n = readlink("/proc/self/exe", path, sizeof(path) - 1);
	path[n > 0 ? n : 0] = '\0';
	return path;
}

/*
 * Start agent @name, tagged (exec'd from AGENT_BIN) or not (exec'd from the
 * test program), with the NULL-terminated arguments.  File descriptors the
 * test has open without O_CLOEXEC are inherited.
 * Return: 0 or -errno.
 */
static inline int agent_startv(struct agent *a, int tagged, const char *bin,
			       const char *name, const char *const args[])
{
	char *argv[MAX_ARGS];
	int in[2], out[2], i;

	memset(a, 0, sizeof(*a) - sizeof(a->buf));
	a->buf[0] = '\0';
	argv[0] = (char *)name;
	for (i = 0; args[i] && i < MAX_ARGS - 2; i++)
		argv[i + 1] = (char *)args[i];
	argv[i + 1] = NULL;
	if (!bin)
		bin = tagged ? AGENT_BIN : self_exe();
	if (pipe2(in, O_CLOEXEC) || pipe2(out, O_CLOEXEC))
		return -errno;
	fflush(stdout);
	fflush(stderr);
	a->pid = fork();
	if (a->pid < 0)
		return -errno;
	if (a->pid == 0) {
		dup2(in[0], 0);
		dup2(out[1], 1);
		dup2(out[1], 2);
		setenv("AVF_AGENT", name, 1);
		execv(bin, argv);
		fprintf(stderr, "exec %s: %s\n", bin, strerror(errno));
		_exit(127);
	}
	close(in[0]);
	close(out[1]);
	a->in = in[1];
	a->out = out[0];
	a->status = -1;
	return 0;
}

#define agent_start(a, tagged, name, ...)				\
	agent_startv(a, tagged, NULL, name,				\
		     (const char *const[]){ __VA_ARGS__ __VA_OPT__(,) NULL })

/* Read what the agent printed, up to @ms milliseconds; 0 at EOF. */
static inline int agent_read(struct agent *a, int ms)
{
	struct pollfd p = { .fd = a->out, .events = POLLIN };
	ssize_t n;

	if (a->out < 0)
		return 0;
	if (poll(&p, 1, ms) <= 0)
		return -ETIMEDOUT;
	n = read(a->out, a->buf + a->len, sizeof(a->buf) - 1 - a->len);
	if (n <= 0) {
		close(a->out);
		a->out = -1;
		return 0;
	}
	a->len += n;
	a->buf[a->len] = '\0';
	return 1;
}

/* Wait (up to @secs) until the agent printed @text. Return: 0 or -1. */
static inline int agent_wait_for(struct agent *a, const char *text, int secs)
{
	struct timespec t0, t;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	while (!memmem(a->buf, a->len, text, strlen(text))) {
		clock_gettime(CLOCK_MONOTONIC, &t);
		if (t.tv_sec - t0.tv_sec > secs || agent_read(a, 200) == 0)
			return memmem(a->buf, a->len, text, strlen(text)) ? 0 : -1;
	}
	return 0;
}

static inline int agent_go(struct agent *a)
{
	return write(a->in, "g", 1) == 1 ? 0 : -errno;
}

/*
 * Close the agent's stdin, collect its output to EOF (of it and of every
 * process that inherited its stdout), reap it.  After @secs the agent is
 * killed.  Return: its exit status (128 + signal if killed).
 */
static inline int agent_finish_timeout(struct agent *a, int secs)
{
	struct timespec t0, t;
	int status;

	if (a->in >= 0)
		close(a->in);
	a->in = -1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	while (a->out >= 0) {
		agent_read(a, 200);
		clock_gettime(CLOCK_MONOTONIC, &t);
		if (t.tv_sec - t0.tv_sec > secs) {
			kill(a->pid, SIGKILL);
			close(a->out);
			a->out = -1;
		}
	}
	if (waitpid(a->pid, &status, 0) < 0)
		return -errno;
	a->status = exit_code(status);
	return a->status;
}

#define agent_finish(a) agent_finish_timeout(a, 60)

/* Run an agent to its end: its exit status. */
#define agent_run(a, tagged, name, ...)					\
	(agent_start(a, tagged, name, __VA_ARGS__) ?: agent_finish(a))

/* The value of the agent's last "key=N" line, or NOT_PRINTED. */
static inline int agent_val(const struct agent *a, const char *key)
{
	size_t k = strlen(key), i = 0;
	const char *nl;
	int v = NOT_PRINTED;

	/* Line by line over the whole output: emitted data may hold NULs. */
	while (i < a->len) {
		if (a->len - i > k && !strncmp(a->buf + i, key, k) &&
		    a->buf[i + k] == '=')
			v = atoi(a->buf + i + k + 1);
		nl = memchr(a->buf + i, '\n', a->len - i);
		if (!nl)
			break;
		i = nl - a->buf + 1;
	}
	return v;
}

/* Did the agent receive the secret? */
static inline int agent_got_secret(const struct agent *a)
{
	return memmem(a->buf, a->len, CANARY, strlen(CANARY)) != NULL;
}

/* For TH_LOG: the agent's output, printable. */
static inline const char *agent_output(const struct agent *a)
{
	static char text[2048];
	size_t i, j = 0;

	for (i = 0; i < a->len && j < sizeof(text) - 5; i++) {
		unsigned char c = a->buf[i];

		if (c == '\n') {
			text[j++] = '|';
		} else if (c >= 32 && c < 127) {
			text[j++] = c;
		} else {
			j += snprintf(text + j, 5, "\\x%02x", c);
		}
	}
	text[j] = '\0';
	return text;
}


/* The attack's outcome, checked on everything the agent printed. */
#define EXPECT_NO_SECRET(a)						\
	EXPECT_FALSE(agent_got_secret(a)) {				\
		TH_LOG("the secret reached the agent: %s", agent_output(a)); \
	}
#define EXPECT_SECRET(a)						\
	EXPECT_TRUE(agent_got_secret(a)) {				\
		TH_LOG("the control did not get the secret: %s", agent_output(a)); \
	}
/* The agent printed key=@expected. */
#define EXPECT_VAL(expected, a, key)					\
	EXPECT_EQ(expected, agent_val(a, key)) {			\
		TH_LOG("%s: agent said: %s", key, agent_output(a));	\
	}

/*
 * Install the agent binaries (copies of this test program) and load a
 * policy with AGENT_BIN at @clearance; @extra is more policy text.
 */
static inline int __attribute__((format(printf, 2, 3)))
agent_policy_as(const char *subject, const char *extra_fmt, ...)
{
	char extra[2048] = "";
	va_list ap;
	int err;

	if (extra_fmt) {
		va_start(ap, extra_fmt);
		vsnprintf(extra, sizeof(extra), extra_fmt, ap);
		va_end(ap);
	}
	unlink(AGENT_BIN);
	err = copy_file(self_exe(), AGENT_BIN, 0755);
	if (err)
		return err;
	unlink(AGENT_BIN2);
	err = copy_file(self_exe(), AGENT_BIN2, 0755);
	if (err)
		return err;
	return load_policy(LEVELS "default UNCLASSIFIED\nmode enforce\n"
			   "subject " AGENT_BIN " %s\n%s", subject, extra);
}

/*
 * The usual agent policy: AGENT_BIN at @clearance with the tests' write=
 * directories (test_write()); @extra is more policy text.
 */
#define agent_policy(clearance, ...)					\
	agent_policy_as(with_test_write(clearance), __VA_ARGS__)

/*
 * agent_policy() with write=@dirs (comma-separated, existing) for
 * AGENT_BIN instead of the tests' usual TEST_WRITE.
 */
static inline int __attribute__((format(printf, 3, 4)))
agent_policy_write(const char *clearance, const char *dirs,
		   const char *extra_fmt, ...)
{
	char extra[2048] = "", subject[512];
	va_list ap;

	if (extra_fmt) {
		va_start(ap, extra_fmt);
		vsnprintf(extra, sizeof(extra), extra_fmt, ap);
		va_end(ap);
	}
	snprintf(subject, sizeof(subject), "%s write=%s", clearance, dirs);
	return agent_policy_as(subject, "%s", extra);
}

/* Write CANARY_LINE to @path and label it (level NULL: no label). */
static inline int make_secret(const char *path, const char *level)
{
	int err = write_file(path, CANARY_LINE);

	if (!err && level)
		err = set_label(path, level);
	return err;
}

/* TMP/secret (SECRET, from make_secret()), TMP/public, the agent at OFFICIAL. */
static inline void setup_secret_public(struct __test_metadata *_metadata)
{
	ASSERT_EQ(0, mount_tmpfs(TMP));
	ASSERT_EQ(0, make_secret(TMP "/secret", "SECRET"));
	ASSERT_EQ(0, write_file(TMP "/public", "public\n"));
	ASSERT_EQ(0, set_label(TMP "/public", "UNCLASSIFIED"));
	ASSERT_EQ(0, agent_policy("OFFICIAL", NULL));
}

/* Route counters: AVFENCE_A_ROUTE_STATS of AVFENCE_CMD_GET_STATUS */

/* Route names: avf_route_name() of kmod/decide.c, linked into every test. */

struct denials {
	int ok;
	uint64_t denied[__AVFENCE_ROUTE_MAX];
};

/* Read the per-route denial counters.  Return: 0 or a negative errno. */
static inline int denials_read(struct denials *d)
{
	static char reply[AVF_NL_BUF];
	struct nlattr *tb[AVFENCE_A_MAX + 1], *rt[AVFENCE_ROUTE_A_MAX + 1];
	struct nlattr *e;
	int err, len = 0, l;

	memset(d, 0, sizeof(*d));
	err = avf_nl_do(AVFENCE_CMD_GET_STATUS, NULL, NULL, reply, &len);
	if (err)
		return err;
	avf_nl_parse(tb, AVFENCE_A_MAX, (struct nlattr *)reply, len);
	if (!tb[AVFENCE_A_ROUTE_STATS])
		return -ENOENT;
	e = avf_nla_data(tb[AVFENCE_A_ROUTE_STATS]);
	l = avf_nla_len(tb[AVFENCE_A_ROUTE_STATS]);
	while (l >= NLA_HDRLEN && e->nla_len >= NLA_HDRLEN && e->nla_len <= l) {
		avf_nl_parse(rt, AVFENCE_ROUTE_A_MAX, avf_nla_data(e),
			     avf_nla_len(e));
		if (rt[AVFENCE_ROUTE_A_ID] && rt[AVFENCE_ROUTE_A_DENIED]) {
			uint32_t id = *(uint32_t *)avf_nla_data(rt[AVFENCE_ROUTE_A_ID]);

			if (id < __AVFENCE_ROUTE_MAX)
				memcpy(&d->denied[id],
				       avf_nla_data(rt[AVFENCE_ROUTE_A_DENIED]),
				       sizeof(uint64_t));
		}
		l -= NLA_ALIGN(e->nla_len);
		e = (struct nlattr *)((char *)e + NLA_ALIGN(e->nla_len));
	}
	d->ok = 1;
	return 0;
}

/* The kernel log, /dev/kmsg */

struct kmark {
	char text[64];		/* the marker line written to the log */
};

/*
 * Call @fn(arg, ts_usec, message) for each record of the kernel log; stop
 * when it returns nonzero.
 */
static inline void kmsg_each(int (*fn)(void *, unsigned long long, const char *),
			     void *arg)
{
	static char rec[8192];
	int fd = open("/dev/kmsg", O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return;
	for (;;) {
		unsigned long long ts;
		char *msg, *nl;

		n = read(fd, rec, sizeof(rec) - 1);
		if (n < 0 && errno == EPIPE)
			continue;	/* overwritten meanwhile */
		if (n <= 0)
			break;
		rec[n] = '\0';
		msg = strchr(rec, ';');
		if (!msg || sscanf(rec, "%*u,%*u,%llu", &ts) != 1)
			continue;
		msg++;
		nl = strchr(msg, '\n');
		if (nl)
			*nl = '\0';
		if (fn(arg, ts, msg))
			break;
	}
	close(fd);
}

/* Put a marker line in the kernel log: what follows it is the attack's. */
static inline void kmsg_mark(struct kmark *m)
{
	static int seq;
	int fd = open("/dev/kmsg", O_WRONLY | O_CLOEXEC);

	snprintf(m->text, sizeof(m->text), "avftest: mark %d-%d", getpid(), ++seq);
	if (fd >= 0) {
		if (write(fd, m->text, strlen(m->text)) < 0)
			m->text[0] = '\0';
		close(fd);
	}
}

struct kmsg_scan {
	const struct kmark *mark;
	char want[96];
	int after;		/* past the marker */
	unsigned long long mark_ts;
	int found;
	unsigned long long avf_ts[4096];	/* avfence verdict lines */
	int navf;
};

static inline int kmsg_scan_one(void *arg, unsigned long long ts, const char *msg)
{
	struct kmsg_scan *s = arg;

	if (!s->after && !strcmp(msg, s->mark->text)) {
		s->after = 1;
		s->mark_ts = ts;
		return 0;
	}
	if ((!strncmp(msg, "avfence: denied ", 16) ||
	     !strncmp(msg, "avfence: audit ", 15)) && s->navf < 4096)
		s->avf_ts[s->navf++] = ts;
	if (s->after && !strncmp(msg, s->want, strlen(s->want)))
		s->found = 1;
	return 0;
}

/*
 * Was a denial of @route logged after @m?  Return: 1 yes, 2 no but the
 * rate limit (20 lines per 5 s) was reached around the attack, 0 no.
 */
static inline int kmsg_denied(const struct kmark *m, int route)
{
	static struct kmsg_scan s;
	int i, in_window = 0;

	memset(&s, 0, sizeof(s));
	s.mark = m;
	snprintf(s.want, sizeof(s.want), "avfence: denied %s pid=",
		 avf_route_name(route));
	kmsg_each(kmsg_scan_one, &s);
	if (s.found)
		return 1;
	for (i = 0; i < s.navf; i++)
		if (s.avf_ts[i] + 5100000ull >= s.mark_ts)
			in_window++;
	return in_window >= 20 ? 2 : 0;
}

/*
 * Is there a record starting with @text after @m (with "": is @m itself
 * still in the log)?  Return: 1 yes, 0 no.
 */
static inline int kmsg_has(const struct kmark *m, const char *text)
{
	static struct kmsg_scan s;

	memset(&s, 0, sizeof(s));
	s.mark = m;
	snprintf(s.want, sizeof(s.want), "%s", text);
	kmsg_each(kmsg_scan_one, &s);
	return text[0] ? s.found : s.after;
}

/* A watch over one attack: counters and log position before it. */
struct watch {
	struct denials before;
	struct kmark mark;
};

static inline void watch_start(struct watch *w)
{
	denials_read(&w->before);
	kmsg_mark(&w->mark);
}

/*
 * Did @route count a denial since watch_start() and log it?  Prints why
 * not.  Return: 0 if both, 1 if not.
 */
static inline int watch_denied(const struct watch *w, int route)
{
	struct denials now;
	int bad = 0, logged;

	if (denials_read(&now) || !w->before.ok) {
		fprintf(stderr, "# cannot read the route counters\n");
		return 1;
	}
	if (now.denied[route] <= w->before.denied[route]) {
		fprintf(stderr, "# route %s: denial not counted (%llu before, %llu after)\n",
			avf_route_name(route),
			(unsigned long long)w->before.denied[route],
			(unsigned long long)now.denied[route]);
		bad = 1;
	}
	logged = kmsg_denied(&w->mark, route);
	if (!logged) {
		fprintf(stderr, "# no \"avfence: denied %s\" line in the kernel log\n",
			avf_route_name(route));
		bad = 1;
	} else if (logged == 2) {
		fprintf(stderr, "# \"avfence: denied %s\" not logged: rate limit reached (20 lines in 5 s), counter checked\n",
			avf_route_name(route));
	}
	return bad;
}

/* Either of two routes (a capability check may come first). */
static inline int watch_denied2(const struct watch *w, int r1, int r2)
{
	struct denials now;

	if (denials_read(&now) || !w->before.ok)
		return 1;
	if (now.denied[r1] > w->before.denied[r1])
		return watch_denied(w, r1);
	return watch_denied(w, r2);
}

/* Kernel modules of the VM image (tests/vm/modules.list) */

#define EXTRA_MODULES "/lib/modules/extra"

static inline int module_is_loaded(const char *name)
{
	char path[128];

	snprintf(path, sizeof(path), "/sys/module/%s", name);
	return access(path, F_OK) == 0;
}

/* finit_module of EXTRA_MODULES/@name.ko with @params: 0 or errno. */
static inline int load_extra_module(const char *name, const char *params)
{
	char path[256];
	int fd, err = 0;

	snprintf(path, sizeof(path), EXTRA_MODULES "/%s.ko", name);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return errno;
	if (syscall(SYS_finit_module, fd, params, 0))
		err = errno;
	close(fd);
	return err;
}

static inline int unload_module(const char *name)
{
	return syscall(SYS_delete_module, name, O_NONBLOCK) ? errno : 0;
}

/* Write @text to a /proc or /sys file: 0 or errno. */
static inline int write_proc(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	int err = 0;

	if (fd < 0)
		return errno;
	if (write(fd, text, strlen(text)) < 0)
		err = errno;
	close(fd);
	return err;
}

static inline int read_small(const char *path, char *buf, size_t size)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n;

	buf[0] = '\0';
	if (fd < 0)
		return errno;
	n = read(fd, buf, size - 1);
	close(fd);
	if (n < 0)
		return errno;
	buf[n] = '\0';
	return 0;
}

/* fx1: verdicts and audit mode of the side-door tests */

/*
 * The verdict of an attack watched by @w: tagged, the agent printed
 * @key=@err, a denial of @route was counted and logged and, with @canary,
 * the CANARY did not reach it; untagged (the control), @key=0 and, with
 * @canary, the CANARY reached it.
 */
static inline void expect_fenced(struct __test_metadata *_metadata,
				 const struct agent *a, const struct watch *w,
				 int tagged, const char *key, int err,
				 int route, bool canary)
{
	if (tagged) {
		EXPECT_VAL(err, a, key);
		if (canary)
			EXPECT_NO_SECRET(a);
		EXPECT_EQ(0, watch_denied(w, route));
	} else {
		EXPECT_VAL(0, a, key);
		if (canary)
			EXPECT_SECRET(a);
	}
}

/*
 * FENCED_RUN(a, tagged, key, err, route, canary, NAME, ARG...): run agent
 * NAME with ARG... to its end under a watch, then expect_fenced().
 */
#define FENCED_RUN(a, tagged, key, err, route, canary, name, ...) do {	\
	struct watch w_;						\
									\
	watch_start(&w_);						\
	ASSERT_EQ(0, agent_run(a, tagged, name, __VA_ARGS__));		\
	expect_fenced(_metadata, a, &w_, tagged, key, err, route, canary); \
} while (0)

/*
 * EXPECT_VALS(expected, a, KEY...): the agent printed KEY=@expected for
 * each KEY.  (The "?:" only quiets GCC 12's -Wformat-overflow, which
 * loses the loop's bound and sees a NULL key.)
 */
#define EXPECT_VALS(expected, a, ...) do {				\
	static const char *const keys_[] = { __VA_ARGS__ };		\
	size_t i_;							\
									\
	for (i_ = 0; i_ < ARRAY_SIZE(keys_); i_++)			\
		EXPECT_VAL(expected, a, keys_[i_] ?: "");		\
} while (0)

/*
 * Audit mode, then watch_start(@w): what follows is the attack audit
 * mode lets through.  Return: 0, or -errno if the mode was not set or the
 * route counters not read.
 */
static inline int audit_watch_start(struct watch *w)
{
	int err = avf_set_mode(AVFENCE_MODE_AUDIT);

	if (err)
		return err;
	watch_start(w);
	return w->before.ok ? 0 : -EIO;
}

/* Denials of @route counted since watch_start(@w); -1 if unreadable. */
static inline long long watch_counted(const struct watch *w, int route)
{
	struct denials now;

	if (denials_read(&now) || !w->before.ok)
		return -1;
	return now.denied[route] - w->before.denied[route];
}

struct audited_scan {
	const struct kmark *mark;
	char prefix[64];
	const char *text;
	int after, found;
};

static inline int audited_one(void *arg, unsigned long long ts,
			      const char *msg)
{
	struct audited_scan *s = arg;

	if (!strcmp(msg, s->mark->text))
		s->after = 1;
	else if (s->after && !strncmp(msg, s->prefix, strlen(s->prefix)) &&
		 strstr(msg, s->text))
		s->found = 1;
	return 0;
}

/*
 * Was an "avfence: audit ROUTE pid=" line holding @text ("": any) logged
 * since watch_start(@w)?  Return: 1 yes, 0 no.
 */
static inline int watch_audited(const struct watch *w, int route,
				const char *text)
{
	static struct audited_scan s;

	memset(&s, 0, sizeof(s));
	s.mark = &w->mark;
	s.text = text;
	snprintf(s.prefix, sizeof(s.prefix), "avfence: audit %s pid=",
		 avf_route_name(route));
	kmsg_each(audited_one, &s);
	return s.found;
}

#endif /* AVF_TEST_DOORS_H */
