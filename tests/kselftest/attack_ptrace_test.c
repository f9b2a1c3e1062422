// SPDX-License-Identifier: GPL-2.0
/*
 * avfence side doors, other processes' memory: an untagged process has
 * read a SECRET file into its memory; a fenced agent tries to read that
 * memory with ptrace (PTRACE_ATTACH, PTRACE_SEIZE), /proc/PID/mem and
 * process_vm_readv(), or makes itself the tracer of an untagged child
 * (PTRACE_TRACEME), or has the kernel dump the process's core where it can
 * read it.  Tasks fenced at or below the agent's clearance stay open to it.
 *
 * TMP (tmpfs)
 * ├── secret        SECRET, holds CANARY
 * └── official      OFFICIAL, holds OFFICIAL_TEXT
 *
 * AGENT_BIN has clearance OFFICIAL, AGENT_BIN2 SECRET.  Variant "tagged"
 * attacks, "untagged" is the control.  What `ps` and systemctl read of
 * every process stays readable, without a refusal logged or counted for
 * the kernel's PTRACE_MODE_NOAUDIT probe (proc_ps_walk_quiet).
 */
#include <ctype.h>
#include <dirent.h>
#include <sys/ptrace.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/uio.h>

#include "doors.h"

#define OFFICIAL_TEXT	"avf-official:5be3:official-bytes"
#define CORE_PATTERN	"/proc/sys/kernel/core_pattern"

static char held[256];

/*
 * holder PATH [spin]: read PATH into memory, print its address, wait
 * (spin: use the CPU meanwhile, for at most 60 s, so that a CPU-time limit
 * can strike).
 */
AGENT(holder)
{
	int fd = open(argv[1], O_RDONLY | O_CLOEXEC);

	if (fd < 0 || read(fd, held, sizeof(held) - 1) <= 0) {
		say("holder=%d\n", errno);
		return SETUP_FAILED;
	}
	close(fd);
	say("addr=%lx\nready\n", (unsigned long)held);
	if (argc > 2 && !strcmp(argv[2], "spin")) {
		time_t end = time(NULL) + 60;

		while (time(NULL) < end)
			;
		return held[0] == 0;
	}
	wait_go();
	/* Keep the data alive until the end. */
	return held[0] == 0;
}

/* holder_chroot DIR: an untagged process rooted in DIR, waiting. */
AGENT(holder_chroot)
{
	if (chroot(argv[1]) || chdir("/")) {
		say("chroot=%d\n", errno);
		return SETUP_FAILED;
	}
	say("addr=0\nready\n");
	wait_go();
	return 0;
}

/*
 * proc_links PID ONLY: follow /proc/PID/root (ONLY 1: nothing else), then
 * read through it, PID's environ, its cwd and its task's root link.
 */
AGENT(proc_links)
{
	struct stat st, root;
	char path[128];
	int fd;

	snprintf(path, sizeof(path), "/proc/%s/root", argv[1]);
	if (result("root_stat", stat(path, &st)) == 0 && !stat("/", &root))
		say("root_same=%d\n", st.st_dev == root.st_dev &&
		    st.st_ino == root.st_ino);
	if (atoi(argv[2]))
		return 0;
	snprintf(path, sizeof(path), "/proc/%s/root" TMP "/secret", argv[1]);
	fd = result("root_secret", open(path, O_RDONLY | O_CLOEXEC));
	if (fd >= 0) {
		char buf[128];
		long n = read(fd, buf, sizeof(buf));

		emit("root_secret", buf, n);
		close(fd);
	}
	snprintf(path, sizeof(path), "/proc/%s/environ", argv[1]);
	fd = result("environ", open(path, O_RDONLY | O_CLOEXEC));
	if (fd >= 0)
		close(fd);
	snprintf(path, sizeof(path), "/proc/%s/cwd", argv[1]);
	result("cwd", stat(path, &st));
	snprintf(path, sizeof(path), "/proc/%s/task/%s/root", argv[1], argv[1]);
	result("task_root", stat(path, &st));
	return 0;
}

/* Read @path to its end: 0 or errno. */
static int read_all(const char *path, char *buf, size_t size)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC), err = 0;
	long n = 0, total = 0;

	if (fd < 0)
		return errno;
	while (total < (long)size - 1 &&
	       (n = read(fd, buf + total, size - 1 - total)) > 0)
		total += n;
	if (n < 0)
		err = errno;
	buf[total] = '\0';
	close(fd);
	return err;
}

/* Field 35 of /proc/PID/stat, wchan: 1 if shown as sleeping, else 0. */
static int stat_wchan(const char *stat)
{
	const char *p = strrchr(stat, ')');
	int field = 2;

	for (; p && *p; p++)
		if (*p == ' ' && ++field == 35)
			return atoi(p + 1);
	return -1;
}

/*
 * ps_walk PID ENVIRON: what ps and systemctl read of every process:
 * /proc/N/stat (its wchan and stack pointers are shown only to whom may
 * trace N: a PTRACE_MODE_NOAUDIT probe), status and cmdline; PID's
 * stat's wchan; with ENVIRON 1 only PID's environ (a real read).
 */
AGENT(ps_walk)
{
	static const char *const files[] = { "stat", "status", "cmdline" };
	static char buf[8192];
	char path[300];
	int procs = 0, failed = 0, err;
	struct dirent *e;
	unsigned int i;
	DIR *d;

	if (atoi(argv[2])) {
		snprintf(path, sizeof(path), "/proc/%s/environ", argv[1]);
		say("environ=%d\n", read_all(path, buf, sizeof(buf)));
		return 0;
	}
	d = opendir("/proc");
	if (!d)
		return SETUP_FAILED;
	while ((e = readdir(d))) {
		if (!isdigit((unsigned char)e->d_name[0]))
			continue;
		procs++;
		for (i = 0; i < ARRAY_SIZE(files); i++) {
			snprintf(path, sizeof(path), "/proc/%s/%s", e->d_name,
				 files[i]);
			err = read_all(path, buf, sizeof(buf));
			/* A process that ended meanwhile is no failure. */
			if (err && err != ENOENT && err != ESRCH) {
				say("failed %s=%d\n", path, err);
				failed++;
			}
		}
	}
	closedir(d);
	say("procs=%d\nps_failed=%d\n", procs, failed);
	snprintf(path, sizeof(path), "/proc/%s/stat", argv[1]);
	err = read_all(path, buf, sizeof(buf));
	say("holder_stat=%d\nholder_wchan=%d\n", err, stat_wchan(buf));
	return 0;
}

static void peek(const char *key, pid_t pid, unsigned long addr)
{
	long words[8];
	int i;

	for (i = 0; i < 8; i++) {
		errno = 0;
		words[i] = ptrace(PTRACE_PEEKDATA, pid, addr + i * sizeof(long), NULL);
		if (errno)
			break;
	}
	emit(key, words, i * sizeof(long));
}

/* mem_attack PID ADDR: every way of reading another process's memory. */
AGENT(mem_attack)
{
	pid_t pid = atoi(argv[1]);
	unsigned long addr = strtoul(argv[2], NULL, 16);
	struct iovec local, remote;
	char buf[128], path[64];
	int fd, st;
	long n;

	if (result("attach", ptrace(PTRACE_ATTACH, pid, NULL, NULL)) == 0) {
		waitpid(pid, &st, __WALL);
		peek("attach", pid, addr);
		ptrace(PTRACE_DETACH, pid, NULL, NULL);
	}
	if (result("seize", ptrace(PTRACE_SEIZE, pid, NULL, NULL)) == 0) {
		ptrace(PTRACE_INTERRUPT, pid, NULL, NULL);
		waitpid(pid, &st, __WALL);
		peek("seize", pid, addr);
		ptrace(PTRACE_DETACH, pid, NULL, NULL);
	}
	snprintf(path, sizeof(path), "/proc/%d/mem", pid);
	fd = result("procmem_open", open(path, O_RDONLY | O_CLOEXEC));
	if (fd >= 0) {
		n = result("procmem", pread(fd, buf, sizeof(buf), addr));
		emit("procmem", buf, n);
		close(fd);
	}
	local.iov_base = buf;
	local.iov_len = sizeof(buf);
	remote.iov_base = (void *)addr;
	remote.iov_len = sizeof(buf);
	n = result("vm_readv", process_vm_readv(pid, &local, 1, &remote, 1, 0));
	emit("vm_readv", buf, n);
	return 0;
}

/*
 * traceme SECRET TAGGED: untagged; read SECRET into memory, fork a child
 * that waits, then exec (AGENT_BIN if TAGGED is 1, else this program) as
 * agent traceme_parent.  The child, untagged, asks to be traced by it.
 */
AGENT(traceme)
{
	char pidarg[16], addrarg[32], fdarg[16];
	int p[2], fd;
	pid_t child;
	char c;

	fd = open(argv[1], O_RDONLY | O_CLOEXEC);
	if (fd < 0 || read(fd, held, sizeof(held) - 1) <= 0 || pipe(p))
		return SETUP_FAILED;
	close(fd);
	child = fork();
	if (child < 0)
		return SETUP_FAILED;
	if (child == 0) {
		close(p[1]);
		if (read(p[0], &c, 1) != 1)
			_exit(1);
		if (result("traceme", ptrace(PTRACE_TRACEME, 0, NULL, NULL)) == 0)
			raise(SIGSTOP);
		_exit(0);
	}
	close(p[0]);
	snprintf(pidarg, sizeof(pidarg), "%d", child);
	snprintf(addrarg, sizeof(addrarg), "%lx", (unsigned long)held);
	snprintf(fdarg, sizeof(fdarg), "%d", p[1]);
	memset(held, 0, sizeof(held));	/* only the child's copy remains */
	setenv("AVF_AGENT", "traceme_parent", 1);
	execl(atoi(argv[2]) ? AGENT_BIN : self_exe(), "traceme_parent", pidarg,
	      addrarg, fdarg, NULL);
	return SETUP_FAILED;
}

/* traceme_parent CHILD ADDR FD: let the child go; peek at it if traced. */
AGENT(traceme_parent)
{
	pid_t child = atoi(argv[1]);
	int st;

	if (write(atoi(argv[3]), "g", 1) != 1)
		return SETUP_FAILED;
	if (waitpid(child, &st, __WALL) != child)
		return SETUP_FAILED;
	say("stopped=%d\n", WIFSTOPPED(st));
	if (WIFSTOPPED(st)) {
		peek("peek", child, strtoul(argv[2], NULL, 16));
		kill(child, SIGKILL);
		ptrace(PTRACE_DETACH, child, NULL, NULL);
		waitpid(child, &st, __WALL);
	}
	return 0;
}

/*
 * core PID DIR: raise the core size limit of PID, point core_pattern into
 * DIR, crash PID, read what the kernel wrote.
 */
/*
 * In an agent: wait up to 5 s for DIR/core.PID, then say "core_open=ERRNO"
 * and whether CANARY is in it ("core<CANARY>"), never the dump itself.
 */
static int read_core(pid_t pid, const char *dir)
{
	char path[256];
	int i, fd = -1;

	snprintf(path, sizeof(path), "%s/core.%d", dir, pid);
	for (i = 0; i < 100 && fd < 0; i++) {
		fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			usleep(50000);
	}
	if (fd < 0) {
		say("core_open=%d\n", errno);
		return 0;
	}
	usleep(500000);		/* let the dump finish */
	say("core_open=0\n");
	{
		static char buf[1 << 20];
		long n, total = 0;

		while ((n = read(fd, buf, sizeof(buf))) > 0)
			if (memmem(buf, n, CANARY, strlen(CANARY)))
				total++;
		/* Report only whether CANARY was in the dump, not the dump. */
		if (total)
			say("core<%s>\n", CANARY);
	}
	close(fd);
	return 0;
}

/* core PID DIR: core_pattern into DIR, PID's RLIMIT_CORE raised, SIGSEGV. */
AGENT(core)
{
	struct rlimit rl = { RLIM_INFINITY, RLIM_INFINITY };
	pid_t pid = atoi(argv[1]);
	char pattern[256];

	result("prlimit", prlimit(pid, RLIMIT_CORE, &rl, NULL));
	snprintf(pattern, sizeof(pattern), "%s/core.%%p", argv[2]);
	say("core_pattern=%d\n", write_proc(CORE_PATTERN, pattern));
	result("kill", kill(pid, SIGSEGV));
	return read_core(pid, argv[2]);
}

/*
 * sigio_core PID DIR: no kill(): the kernel sends PID the SIGSEGV, as the
 * SIGIO of a pipe whose owner is PID (F_SETOWN) with F_SETSIG SIGSEGV.
 */
AGENT(sigio_core)
{
	pid_t pid = atoi(argv[1]);
	int p[2];

	if (pipe(p))
		return SETUP_FAILED;
	result("setown", fcntl(p[0], F_SETOWN, pid));
	result("setsig", fcntl(p[0], F_SETSIG, SIGSEGV));
	result("async", fcntl(p[0], F_SETFL, O_ASYNC));
	result("write", write(p[1], "x", 1));
	return read_core(pid, argv[2]);
}

/*
 * rlimit_core PID DIR: no signal sent at all: PID's RLIMIT_CORE raised and
 * its RLIMIT_CPU lowered to one second, so that the kernel sends it
 * SIGXCPU (which dumps core) while it spins.  Reading its limits is not
 * refused ("getlimit").
 */
AGENT(rlimit_core)
{
	struct rlimit core = { RLIM_INFINITY, RLIM_INFINITY };
	struct rlimit cpu = { 1, RLIM_INFINITY };
	struct rlimit old;
	pid_t pid = atoi(argv[1]);

	result("getlimit", prlimit(pid, RLIMIT_CPU, NULL, &old));
	result("prlimit_core", prlimit(pid, RLIMIT_CORE, &core, NULL));
	result("prlimit_cpu", prlimit(pid, RLIMIT_CPU, &cpu, NULL));
	return read_core(pid, argv[2]);
}

FIXTURE(mem) {
	struct agent holder;
	unsigned long addr;
	char pid[16], addrs[32];
	char core_pattern[256];
	const char *mode;	/* the holder's second argument, or NULL */
};

FIXTURE_VARIANT(mem) {
	int tagged;
};

FIXTURE_VARIANT_ADD(mem, tagged) { .tagged = 1 };
FIXTURE_VARIANT_ADD(mem, untagged) { .tagged = 0 };

FIXTURE_SETUP(mem)
{
	self->holder.pid = 0;
	self->mode = NULL;
	read_small(CORE_PATTERN, self->core_pattern, sizeof(self->core_pattern));
	ASSERT_EQ(0, mount_tmpfs(TMP));
	ASSERT_EQ(0, make_secret(TMP "/secret", "SECRET"));
	ASSERT_EQ(0, write_file(TMP "/official", OFFICIAL_TEXT "\n"));
	ASSERT_EQ(0, set_label(TMP "/official", "OFFICIAL"));
	ASSERT_EQ(0, agent_policy("OFFICIAL", "subject " AGENT_BIN2 " SECRET\n"));
}

FIXTURE_TEARDOWN(mem)
{
	if (self->holder.pid > 0) {
		kill(self->holder.pid, SIGKILL);
		agent_finish(&self->holder);
	}
	if (self->core_pattern[0])
		write_proc(CORE_PATTERN, self->core_pattern);
	teardown_tree();
}

/* Start the holder of @path: tagged from @bin, or untagged (bin NULL). */
static int start_holder(FIXTURE_DATA(mem) *self, const char *bin,
			const char *path)
{
	int err = agent_startv(&self->holder, bin != NULL, bin, "holder",
			       (const char *const[]){ path, self->mode, NULL });

	if (err)
		return err;
	if (agent_wait_for(&self->holder, "ready", 20))
		return -1;
	snprintf(self->pid, sizeof(self->pid), "%d", self->holder.pid);
	{
		char *p = strstr(self->holder.buf, "addr=");

		snprintf(self->addrs, sizeof(self->addrs), "%.*s",
			 (int)strcspn(p + 5, "\n"), p + 5);
	}
	return 0;
}

/*
 * The set-up of most cases: the holder of @path started (start_holder()),
 * refusals watched from here, then the agent's @step run on the holder's
 * pid with @arg.
 */
#define HOLDER_RUN(a, w, bin, path, step, arg)				\
	do {								\
		ASSERT_EQ(0, start_holder(self, bin, path)) {		\
			TH_LOG("holder: %s",				\
			       agent_output(&self->holder));		\
		}							\
		watch_start(w);						\
		ASSERT_EQ(0, agent_run(a, variant->tagged, step,	\
				       self->pid, arg));		\
	} while (0)

/* An untagged process holds the secret. */
TEST_F(mem, untagged_target)
{
	struct agent a;
	struct watch w;

	HOLDER_RUN(&a, &w, NULL, TMP "/secret", "mem_attack", self->addrs);
	if (variant->tagged) {
		EXPECT_NO_SECRET(&a);
		EXPECT_VAL(EPERM, &a, "attach");
		EXPECT_VAL(EPERM, &a, "seize");
		/* mm_access() turns the refusal into EACCES for /proc/PID/mem. */
		EXPECT_VAL(EACCES, &a, "procmem_open");
		EXPECT_VAL(EPERM, &a, "vm_readv");
		EXPECT_EQ(0, watch_denied(&w, AVFENCE_ROUTE_PTRACE));
	} else {
		EXPECT_VAL(0, &a, "attach");
		EXPECT_VAL(0, &a, "seize");
		EXPECT_VAL(0, &a, "procmem");
		EXPECT_VAL(0, &a, "vm_readv");
		EXPECT_SECRET(&a);
	}
}

/*
 * A process fenced at the same clearance holds OFFICIAL data: a tagged
 * agent may read it (control of the rule, both variants succeed).
 */
TEST_F(mem, tagged_target_same_clearance)
{
	struct agent a;
	struct watch w;

	HOLDER_RUN(&a, &w, AGENT_BIN, TMP "/official", "mem_attack",
		   self->addrs);
	EXPECT_VAL(0, &a, "attach");
	EXPECT_VAL(0, &a, "seize");
	EXPECT_VAL(0, &a, "procmem");
	EXPECT_VAL(0, &a, "vm_readv");
	EXPECT_NE(NULL, memmem(a.buf, a.len, OFFICIAL_TEXT, strlen(OFFICIAL_TEXT))) {
		TH_LOG("agent said: %s", agent_output(&a));
	}
}

/* A process fenced at a higher clearance (SECRET) holds the secret. */
TEST_F(mem, tagged_target_higher_clearance)
{
	struct agent a;
	struct watch w;

	HOLDER_RUN(&a, &w, AGENT_BIN2, TMP "/secret", "mem_attack",
		   self->addrs);
	if (variant->tagged) {
		EXPECT_NO_SECRET(&a);
		EXPECT_VAL(EPERM, &a, "attach");
		EXPECT_VAL(EPERM, &a, "vm_readv");
		EXPECT_EQ(0, watch_denied(&w, AVFENCE_ROUTE_PTRACE));
	} else {
		EXPECT_SECRET(&a);
	}
}

/* Denials of the ptrace route counted since watch_start(). */
static long long ptrace_denials(const struct watch *w)
{
	struct denials now;

	if (denials_read(&now) || !w->before.ok)
		return -1;
	return (long long)(now.denied[AVFENCE_ROUTE_PTRACE] -
			   w->before.denied[AVFENCE_ROUTE_PTRACE]);
}

/*
 * /proc/PID/root of an untagged process rooted where the agent is (PID 1
 * for systemd's chroot test in every systemctl): the agent reaches "/"
 * again, so the link is allowed and nothing is refused or logged; what
 * it opens through the link is fenced by its label.  Its environ, cwd
 * and /proc/PID/task/TID/root stay refused.
 */
TEST_F(mem, proc_root_link_same_root)
{
	struct agent a;
	struct watch w;

	HOLDER_RUN(&a, &w, NULL, TMP "/secret", "proc_links", "1");
	EXPECT_VAL(0, &a, "root_stat");
	EXPECT_VAL(1, &a, "root_same");
	if (variant->tagged) {
		EXPECT_EQ(0, ptrace_denials(&w));
		EXPECT_NE(1, kmsg_denied(&w.mark, AVFENCE_ROUTE_PTRACE));
	}

	watch_start(&w);
	ASSERT_EQ(0, agent_run(&a, variant->tagged, "proc_links", self->pid,
			       "0"));
	EXPECT_VAL(0, &a, "root_stat");
	if (variant->tagged) {
		EXPECT_NO_SECRET(&a);
		EXPECT_VAL(EACCES, &a, "root_secret");
		EXPECT_VAL(EACCES, &a, "environ");
		EXPECT_VAL(EACCES, &a, "cwd");
		EXPECT_VAL(EACCES, &a, "task_root");
		EXPECT_EQ(0, watch_denied(&w, AVFENCE_ROUTE_PTRACE));
	} else {
		EXPECT_VAL(0, &a, "root_secret");
		EXPECT_VAL(0, &a, "environ");
		EXPECT_VAL(0, &a, "cwd");
		EXPECT_VAL(0, &a, "task_root");
		EXPECT_SECRET(&a);
	}
}

/*
 * A tagged `ps`: every process's stat, status and cmdline stay readable,
 * and the kernel's PTRACE_MODE_NOAUDIT probe in /proc/PID/stat (may the
 * reader see the wchan?) is refused without a log line, an audit record,
 * an event or a count; the untagged holder's wchan reads 0 for the agent.
 * Its environ is refused and logged, and so is a real PTRACE_ATTACH and
 * process_vm_readv().  With the probe reported (avf_ptrace_probe() false)
 * the walk logs "denied ptrace ... what=pid N" for every untagged process.
 */
TEST_F(mem, proc_ps_walk_quiet)
{
	struct agent a;
	struct watch w;

	HOLDER_RUN(&a, &w, NULL, TMP "/secret", "ps_walk", "0");
	EXPECT_LT(2, agent_val(&a, "procs")) {
		TH_LOG("agent said: %s", agent_output(&a));
	}
	EXPECT_VAL(0, &a, "ps_failed");
	EXPECT_VAL(0, &a, "holder_stat");
	/* The holder sleeps in wait_go(): shown only to whom may trace it. */
	EXPECT_VAL(variant->tagged ? 0 : 1, &a, "holder_wchan");
	if (variant->tagged) {
		EXPECT_EQ(0, ptrace_denials(&w));
		EXPECT_NE(1, kmsg_denied(&w.mark, AVFENCE_ROUTE_PTRACE));
	}

	watch_start(&w);
	ASSERT_EQ(0, agent_run(&a, variant->tagged, "ps_walk", self->pid,
			       "1"));
	EXPECT_VAL(variant->tagged ? EACCES : 0, &a, "environ");
	if (variant->tagged)
		EXPECT_EQ(0, watch_denied(&w, AVFENCE_ROUTE_PTRACE));

	watch_start(&w);
	ASSERT_EQ(0, agent_run(&a, variant->tagged, "mem_attack", self->pid,
			       self->addrs));
	if (variant->tagged) {
		EXPECT_VAL(EPERM, &a, "attach");
		EXPECT_VAL(EPERM, &a, "vm_readv");
		EXPECT_NO_SECRET(&a);
		EXPECT_EQ(0, watch_denied(&w, AVFENCE_ROUTE_PTRACE));
	} else {
		EXPECT_VAL(0, &a, "attach");
		EXPECT_VAL(0, &a, "vm_readv");
		EXPECT_SECRET(&a);
	}
}

/* /proc/PID/root of an untagged process in a chroot: refused, logged. */
TEST_F(mem, proc_root_link_other_root)
{
	struct agent a;
	struct watch w;

	ASSERT_EQ(0, mkdirs(TMP "/jail"));
	ASSERT_EQ(0, agent_startv(&self->holder, 0, NULL, "holder_chroot",
				  (const char *const[]){ TMP "/jail", NULL }));
	ASSERT_EQ(0, agent_wait_for(&self->holder, "ready", 20)) {
		TH_LOG("holder: %s", agent_output(&self->holder));
	}
	snprintf(self->pid, sizeof(self->pid), "%d", self->holder.pid);
	watch_start(&w);
	ASSERT_EQ(0, agent_run(&a, variant->tagged, "proc_links", self->pid,
			       "1"));
	if (variant->tagged) {
		EXPECT_VAL(EACCES, &a, "root_stat");
		EXPECT_EQ(0, watch_denied(&w, AVFENCE_ROUTE_PTRACE));
	} else {
		EXPECT_VAL(0, &a, "root_stat");
		EXPECT_VAL(0, &a, "root_same");
	}
}

/*
 * The untagged child of a fenced parent asks to be traced by it.  (The
 * parent forks the child before it execs the subject.)
 */
TEST_F(mem, traceme_by_untagged_child)
{
	struct agent a;
	struct watch w;

	watch_start(&w);
	ASSERT_EQ(0, agent_run(&a, 0, "traceme", TMP "/secret",
			       variant->tagged ? "1" : "0"));
	if (variant->tagged) {
		EXPECT_VAL(EPERM, &a, "traceme");
		EXPECT_VAL(0, &a, "stopped");
		EXPECT_NO_SECRET(&a);
		EXPECT_EQ(0, watch_denied(&w, AVFENCE_ROUTE_PTRACE));
	} else {
		EXPECT_VAL(0, &a, "traceme");
		EXPECT_VAL(1, &a, "stopped");
		EXPECT_SECRET(&a);
	}
}

/*
 * The agent has the kernel write the untagged holder's memory to a file
 * it can read: core_pattern into an unclassified directory, the holder's
 * RLIMIT_CORE raised with prlimit(), SIGSEGV.
 */
TEST_F(mem, core_dump_of_untagged_target)
{
	struct agent a;
	struct watch w;

	ASSERT_EQ(0, mkdirs(TMP "/cores"));
	HOLDER_RUN(&a, &w, NULL, TMP "/secret", "core", TMP "/cores");
	agent_finish(&self->holder);
	self->holder.pid = 0;
	if (variant->tagged) {
		EXPECT_NO_SECRET(&a);
	} else {
		EXPECT_VAL(0, &a, "core_pattern");
		EXPECT_VAL(0, &a, "core_open");
		EXPECT_SECRET(&a);
	}
}

/*
 * The administrator's core_pattern already puts dumps where the agent may
 * read (an unclassified directory): the holder, whose RLIMIT_CORE is
 * raised by the test, dumps core if the agent has the kernel signal it.
 */
static int cores_ready(FIXTURE_DATA(mem) *self)
{
	struct rlimit rl = { RLIM_INFINITY, RLIM_INFINITY };

	if (mkdirs(TMP "/cores") ||
	    write_proc(CORE_PATTERN, TMP "/cores/core.%p") ||
	    start_holder(self, NULL, TMP "/secret"))
		return -1;
	return prlimit(self->holder.pid, RLIMIT_CORE, &rl, NULL);
}

static void expect_core(struct __test_metadata *_metadata,
			FIXTURE_DATA(mem) *self, struct agent *a, int tagged,
			struct watch *w)
{
	/* Dumped and gone, or (refused) still waiting or spinning. */
	kill(self->holder.pid, SIGKILL);
	agent_finish(&self->holder);
	self->holder.pid = 0;
	if (tagged) {
		EXPECT_NO_SECRET(a);
		EXPECT_EQ(0, watch_denied(w, AVFENCE_ROUTE_SIGNAL));
	} else {
		EXPECT_VAL(0, a, "core_open");
		EXPECT_SECRET(a);
	}
}

/* The SIGSEGV as a pipe's SIGIO: F_SETSIG to a core-dumping signal. */
TEST_F(mem, core_dump_by_sigio)
{
	struct agent a;
	struct watch w;

	ASSERT_EQ(0, cores_ready(self)) {
		TH_LOG("holder: %s", agent_output(&self->holder));
	}
	watch_start(&w);
	ASSERT_EQ(0, agent_run(&a, variant->tagged, "sigio_core", self->pid,
			       TMP "/cores"));
	EXPECT_VAL(0, &a, "setown");
	EXPECT_VAL(variant->tagged ? EPERM : 0, &a, "setsig");
	expect_core(_metadata, self, &a, variant->tagged, &w);
}

/* SIGXCPU from the kernel, after the holder's limits were changed. */
TEST_F(mem, core_dump_by_rlimit)
{
	struct agent a;
	struct watch w;

	self->mode = "spin";
	ASSERT_EQ(0, cores_ready(self)) {
		TH_LOG("holder: %s", agent_output(&self->holder));
	}
	watch_start(&w);
	ASSERT_EQ(0, agent_run(&a, variant->tagged, "rlimit_core", self->pid,
			       TMP "/cores"));
	EXPECT_VAL(0, &a, "getlimit");
	EXPECT_VAL(variant->tagged ? EPERM : 0, &a, "prlimit_core");
	EXPECT_VAL(variant->tagged ? EPERM : 0, &a, "prlimit_cpu");
	expect_core(_metadata, self, &a, variant->tagged, &w);
}

TEST_HARNESS_MAIN
