// SPDX-License-Identifier: GPL-2.0
/*
 * avfence unload-under-load test (issue 6): cycles of insmod, load, heavy
 * churn, and rmmod while the churn goes on:
 *   - tagged workers open a SECRET file in a loop (EACCES while the module
 *     is loaded) and fork short-lived children (a tag each),
 *   - a reloader loads the policy over and over, a reader dumps
 *     GET_TAGGED, a listener is subscribed to the event group,
 * and then rmmod (delete_module, O_NONBLOCK) in the middle of it.  rmmod
 * must succeed or be refused (then it is retried), never crash; once it
 * returned, opens succeed (the fence is gone), nothing of the module is
 * left (sysfs, the genl family, securityfs, ftrace hooks, symbols), and
 * the workers are alive.  Every decision around the unload is checked
 * against the module's state before and after it.
 *
 * Leaks: after each cycle (module unloaded, churn over, caches dropped)
 * /proc/meminfo (SUnreclaim, Percpu, VmallocUsed) and the kmalloc-* lines
 * of /proc/slabinfo are sampled.  The first cycle warms the caches; after
 * it, a figure that grows at every cycle, by more than LEAK_BUDGET per
 * cycle on average, fails (noise goes up and down, a leak only up).  Each
 * cycle allocates and frees thousands of tags and hundreds of policies, so
 * a leak of one object per operation is far above that.
 *
 * The module is loaded again at the end, for the tests that follow.
 */
#include <stdlib.h>
#include <stdatomic.h>
#include <stddef.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <time.h>

#include "common.h"

#define UL		"/tmp/avf-unload"
#define UL_AGENT	UL "/agent"
#define UL_SECRET	UL "/secret"
#define CYCLES		5		/* the first one warms up */
#define NWORKERS	3
#define LEAK_BUDGET	(96 << 10)	/* bytes per cycle, on average */

enum { ST_LOADED, ST_UNLOADING, ST_UNLOADED };

struct shared {
	_Atomic int state, stop;
	_Atomic uint64_t opens, forks, wrong, ambiguous, reloads, dumps;
	_Atomic int last_wrong_errno, last_wrong_state;
};

static struct shared *sh;

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

static const char *const lv[] = {
	"UNCLASSIFIED", "OFFICIAL", "SECRET", "TOP-SECRET", NULL,
};
static const char *const paths[] = { UL_AGENT, NULL };
static const char *const clear[] = { "OFFICIAL", NULL };
static const struct avf_policy_desc pol = {
	.mode = AVFENCE_MODE_ENFORCE,
	.levels = lv,
	.default_level = "UNCLASSIFIED",
	.subject_paths = paths,
	.subject_clearances = clear,
};

static void check_open(void)
{
	int s1, s2, fd, err;

	s1 = atomic_load(&sh->state);
	fd = open(UL_SECRET, O_RDONLY | O_CLOEXEC);
	err = fd < 0 ? errno : 0;
	s2 = atomic_load(&sh->state);
	if (fd >= 0)
		close(fd);
	atomic_fetch_add(&sh->opens, 1);
	if (s1 != s2 || s1 == ST_UNLOADING) {
		atomic_fetch_add(&sh->ambiguous, 1);
		return;
	}
	if (err != (s1 == ST_LOADED ? EACCES : 0)) {
		atomic_fetch_add(&sh->wrong, 1);
		atomic_store(&sh->last_wrong_errno, err);
		atomic_store(&sh->last_wrong_state, s1);
	}
}

/* The tagged worker: this program exec'd as UL_AGENT. */
static int agent_main(int shmfd)
{
	unsigned int i = 0;
	int status;
	pid_t pid;

	sh = mmap(NULL, sizeof(*sh), PROT_READ | PROT_WRITE, MAP_SHARED, shmfd, 0);
	if (sh == MAP_FAILED)
		return 3;
	while (!atomic_load(&sh->stop)) {
		check_open();
		if (++i % 8)
			continue;
		pid = fork();
		if (pid == 0) {
			check_open();
			_exit(0);
		}
		if (pid > 0) {
			atomic_fetch_add(&sh->forks, 1);
			waitpid(pid, &status, 0);
		}
	}
	return 0;
}

static int dump_tagged(void)
{
	static char buf[32768];
	struct avf_nl_req req;
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	struct timeval tv = { .tv_sec = 2 };
	uint16_t family;
	int fd, done = 0;
	ssize_t len;

	fd = avf_nl_open(&family);
	if (fd < 0)
		return fd;
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	avf_nl_init(&req, family, AVFENCE_CMD_GET_TAGGED, AVFENCE_GENL_VERSION);
	req.n.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	if (sendto(fd, &req, req.n.nlmsg_len, 0, (struct sockaddr *)&sa,
		   sizeof(sa)) < 0)
		done = 1;
	while (!done) {
		struct nlmsghdr *h;

		len = recv(fd, buf, sizeof(buf), 0);
		if (len <= 0)
			break;
		for (h = (struct nlmsghdr *)buf; NLMSG_OK(h, len);
		     h = NLMSG_NEXT(h, len))
			if (h->nlmsg_type == NLMSG_DONE || h->nlmsg_type == NLMSG_ERROR)
				done = 1;
	}
	close(fd);
	return 0;
}

/* Reloads and dumps until stopped; errors once the module goes are fine. */
static int churn_control(void)
{
	while (!atomic_load(&sh->stop)) {
		if (avf_load(&pol) == 0)
			atomic_fetch_add(&sh->reloads, 1);
		if (atomic_fetch_add(&sh->dumps, 1) % 4 == 0)
			dump_tagged();
	}
	return 0;
}

/* Subscribe to the event group and hold the socket across the unload. */
static int churn_listener(void)
{
	static char reply[AVF_NL_BUF], buf[65536];
	static struct avf_nl_req req;
	struct nlattr *tb[CTRL_ATTR_MAX + 1], *g;
	struct timeval tv = { .tv_usec = 100000 };
	int fd, len = 0, l, grp = -1;

	fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_GENERIC);
	if (fd < 0)
		return 1;
	avf_nl_init(&req, GENL_ID_CTRL, CTRL_CMD_GETFAMILY, 1);
	avf_nl_put_str(&req.n, CTRL_ATTR_FAMILY_NAME, AVFENCE_GENL_NAME);
	if (avf_nl_talk(fd, &req, reply, &len))
		return 1;
	avf_nl_parse(tb, CTRL_ATTR_MAX, (struct nlattr *)reply, len);
	if (!tb[CTRL_ATTR_MCAST_GROUPS])
		return 1;
	g = avf_nla_data(tb[CTRL_ATTR_MCAST_GROUPS]);
	l = avf_nla_len(tb[CTRL_ATTR_MCAST_GROUPS]);
	while (l >= NLA_HDRLEN && g->nla_len >= NLA_HDRLEN && g->nla_len <= l) {
		struct nlattr *gt[CTRL_ATTR_MCAST_GRP_MAX + 1];

		avf_nl_parse(gt, CTRL_ATTR_MCAST_GRP_MAX, avf_nla_data(g),
			     avf_nla_len(g));
		if (gt[CTRL_ATTR_MCAST_GRP_ID])
			grp = *(uint32_t *)avf_nla_data(gt[CTRL_ATTR_MCAST_GRP_ID]);
		l -= NLA_ALIGN(g->nla_len);
		g = (struct nlattr *)((char *)g + NLA_ALIGN(g->nla_len));
	}
	if (grp < 0 || setsockopt(fd, SOL_NETLINK, NETLINK_ADD_MEMBERSHIP,
				  &grp, sizeof(grp)))
		return 1;
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	while (!atomic_load(&sh->stop))
		recv(fd, buf, sizeof(buf), 0);
	close(fd);
	return 0;
}

/* Memory figures */

struct mem {
	long sunreclaim, percpu, vmalloc;	/* kB */
	long kmalloc;				/* bytes in kmalloc-* caches */
};

#define MAX_CACHES 64
struct cache {
	char name[64];
	long objs, size;
};

static int read_caches(struct cache *c, int max)
{
	char line[512];
	FILE *f = fopen("/proc/slabinfo", "r");
	int n = 0;

	if (!f)
		return -errno;
	while (n < max && fgets(line, sizeof(line), f)) {
		long active, num, size;
		char name[64];

		if (sscanf(line, "%63s %ld %ld %ld", name, &active, &num, &size) != 4)
			continue;
		if (strncmp(name, "kmalloc-", 8) || !strncmp(name, "kmalloc-rcl", 11))
			continue;
		snprintf(c[n].name, sizeof(c[n].name), "%s", name);
		c[n].objs = active;
		c[n].size = size;
		n++;
	}
	fclose(f);
	return n;
}

static long meminfo(const char *key)
{
	char line[256];
	FILE *f = fopen("/proc/meminfo", "r");
	size_t kl = strlen(key);
	long v = -1;

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, key, kl) && line[kl] == ':')
			v = atol(line + kl + 1);
	fclose(f);
	return v;
}

static void sample(struct mem *m, struct cache *c, int *nc)
{
	int i;

	sync();
	write_file("/proc/sys/vm/drop_caches", "3");
	usleep(300000);		/* RCU callbacks, deferred frees */
	write_file("/proc/sys/vm/drop_caches", "3");
	m->sunreclaim = meminfo("SUnreclaim");
	m->percpu = meminfo("Percpu");
	m->vmalloc = meminfo("VmallocUsed");
	*nc = read_caches(c, MAX_CACHES);
	m->kmalloc = 0;
	for (i = 0; i < *nc; i++)
		m->kmalloc += c[i].objs * c[i].size;
}

/*
 * The growth per cycle of one figure after the warm-up cycle, if it grew
 * at every cycle and by more than LEAK_BUDGET per cycle; else 0.
 */
static long leak(const struct mem *m, size_t field, long unit)
{
	long v[CYCLES], grow;
	int i;

	for (i = 0; i < CYCLES; i++)
		v[i] = *(const long *)((const char *)&m[i] + field) * unit;
	for (i = 1; i < CYCLES; i++)
		if (v[i] <= v[i - 1])
			return 0;
	grow = (v[CYCLES - 1] - v[0]) / (CYCLES - 1);
	return grow > LEAK_BUDGET ? grow : 0;
}

/* What must be gone after rmmod */

static int family_exists(void)
{
	uint16_t family;
	int fd = avf_nl_open(&family);

	if (fd < 0)
		return 0;
	close(fd);
	return 1;
}

static int avfence_symbols(void)
{
	char line[512];
	FILE *f = fopen("/proc/kallsyms", "r");
	int n = 0;

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		n += strstr(line, "[avfence]") != NULL;
	fclose(f);
	return n;
}

/*
 * Functions with an ftrace callback: avfence's hooks, which nothing else
 * in the VM puts there; -1 if tracefs is not there.
 */
static int hooked_functions(void)
{
	char line[512];
	FILE *f;
	int n = 0;

	if (access("/sys/kernel/tracing/enabled_functions", F_OK)) {
		mkdirs("/sys/kernel/tracing");
		mount("nodev", "/sys/kernel/tracing", "tracefs", 0, NULL);
	}
	f = fopen("/sys/kernel/tracing/enabled_functions", "r");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		n += !strncmp(line, "security_", 9) ||
		     strstr(line, "sys_delete_module") != NULL;
	fclose(f);
	return n;
}

static int do_rmmod(void)
{
	return syscall(SYS_delete_module, "avfence", O_NONBLOCK) ? errno : 0;
}

static int do_insmod(void)
{
	int fd = open(MODULE_KO, O_RDONLY | O_CLOEXEC), err;

	if (fd < 0)
		return errno;
	err = syscall(SYS_finit_module, fd, "", 0) ? errno : 0;
	close(fd);
	return err;
}

FIXTURE(unload_load) {
	int shmfd;
};

FIXTURE_SETUP(unload_load)
{
	char exe[PATH_MAX];
	ssize_t n;

	self->shmfd = memfd_create("avf-unload", 0);
	ASSERT_LE(0, self->shmfd);
	ASSERT_EQ(0, ftruncate(self->shmfd, sizeof(struct shared)));
	sh = mmap(NULL, sizeof(*sh), PROT_READ | PROT_WRITE, MAP_SHARED,
		  self->shmfd, 0);
	ASSERT_NE(MAP_FAILED, sh);
	ASSERT_EQ(0, mount_tmpfs(UL));
	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	ASSERT_LT(0, n);
	exe[n] = '\0';
	ASSERT_EQ(0, copy_file(exe, UL_AGENT, 0755));
	ASSERT_EQ(0, write_file(UL_SECRET, "secret\n"));
	ASSERT_EQ(0, set_label(UL_SECRET, "SECRET"));
}

FIXTURE_TEARDOWN(unload_load)
{
	if (!module_loaded())
		do_insmod();
	umount_tmpfs(UL);
}

TEST_F_TIMEOUT(unload_load, rmmod_under_load_no_leak, 900)
{
	struct cache c0[MAX_CACHES], c1[MAX_CACHES];
	struct mem m[CYCLES];
	int nc0 = 0, nc1 = 0, cyc, i, j, err, tries, status;
	pid_t pids[NWORKERS + 2];
	long grow, rmmod_ms[CYCLES];
	char a_fd[16];

	/*
	 * Every insmod and rmmod rewrites the first instruction of each
	 * hooked function (text_poke with int3) while other CPUs run it.
	 * Under qemu's multi-threaded TCG (7.2) a vCPU can go on executing
	 * a stale translation of the int3 after the patch is complete and
	 * spin at the function's entry for ever (soft lockup at
	 * security_file_open+0 or security_task_alloc+0 with a NOP there);
	 * the kernel's own function tracer, switched on and off on the same
	 * functions without avfence loaded, locks up the same way
	 * (tests/vm/ftrace-toggle.sh, Documentation/testing.rst).  So this
	 * runs where code modification is coherent: the single-threaded TCG
	 * pass of make check, which sets AVF_UNLOAD_STRESS=1, or KVM.
	 */
	if (!getenv("AVF_UNLOAD_STRESS"))
		SKIP(return, "AVF_UNLOAD_STRESS unset: runs in the single-threaded TCG pass (see comment)");

	snprintf(a_fd, sizeof(a_fd), "%d", self->shmfd);
	for (cyc = 0; cyc < CYCLES; cyc++) {
		uint64_t t0, opens0;

		if (!module_loaded())
			ASSERT_EQ(0, do_insmod());
		ASSERT_EQ(0, avf_load(&pol));
		atomic_store(&sh->state, ST_LOADED);
		atomic_store(&sh->stop, 0);
		for (i = 0; i < NWORKERS; i++) {
			pids[i] = fork();
			if (pids[i] == 0) {
				execl(UL_AGENT, "agent", "--agent", a_fd, (char *)NULL);
				_exit(127);
			}
		}
		pids[i++] = fork();
		if (pids[i - 1] == 0)
			_exit(churn_control());
		pids[i++] = fork();
		if (pids[i - 1] == 0)
			_exit(churn_listener());

		/* Let the churn build up, then unload in the middle of it. */
		opens0 = sh->opens;
		t0 = now_ns();
		while (sh->opens - opens0 < 2000 && now_ns() - t0 < 4000000000ULL)
			usleep(20000);
		if (cyc == 0) {
			/* The check below can see the hooks at all. */
			err = hooked_functions();
			if (err >= 0)
				EXPECT_LT(0, err);
		}
		atomic_store(&sh->state, ST_UNLOADING);
		t0 = now_ns();
		for (tries = 0; tries < 200; tries++) {
			err = do_rmmod();
			if (err != EBUSY && err != EAGAIN && err != EWOULDBLOCK)
				break;
			usleep(20000);
		}
		if (err || module_loaded()) {
			/* Stop the churn before failing, or it runs forever. */
			atomic_store(&sh->stop, 1);
			for (j = 0; j < i; j++)
				waitpid(pids[j], &status, 0);
		}
		ASSERT_EQ(0, err) TH_LOG("rmmod: %s after %d tries", strerror(err), tries);
		ASSERT_FALSE(module_loaded());
		atomic_store(&sh->state, ST_UNLOADED);
		rmmod_ms[cyc] = (now_ns() - t0) / 1000000;
		/* Opens go on, unfenced now. */
		opens0 = sh->opens;
		t0 = now_ns();
		while (sh->opens - opens0 < 200 && now_ns() - t0 < 3000000000ULL)
			usleep(20000);
		atomic_store(&sh->stop, 1);
		for (j = 0; j < i; j++) {
			ASSERT_EQ(pids[j], waitpid(pids[j], &status, 0));
			EXPECT_EQ(0, exit_code(status)) TH_LOG("cycle %d process %d", cyc, j);
		}

		/* Nothing of the module is left. */
		EXPECT_FALSE(family_exists());
		EXPECT_NE(0, access("/sys/kernel/security/avfence", F_OK));
		EXPECT_EQ(0, avfence_symbols());
		err = hooked_functions();
		if (err >= 0)
			EXPECT_EQ(0, err);

		sample(&m[cyc], cyc ? c1 : c0, cyc ? &nc1 : &nc0);
		printf("# cycle %d: rmmod took %ld ms (%d refusals); then SUnreclaim %ld kB, Percpu %ld kB, VmallocUsed %ld kB, kmalloc-* %ld kB\n",
		       cyc, rmmod_ms[cyc], tries, m[cyc].sunreclaim, m[cyc].percpu,
		       m[cyc].vmalloc, m[cyc].kmalloc >> 10);
	}
	printf("# %llu opens (%llu checked around unloads, %llu ambiguous), %llu forks, %llu policy loads, %llu dumps\n",
	       (unsigned long long)sh->opens,
	       (unsigned long long)(sh->opens - sh->ambiguous),
	       (unsigned long long)sh->ambiguous, (unsigned long long)sh->forks,
	       (unsigned long long)sh->reloads, (unsigned long long)sh->dumps);
	EXPECT_EQ(0, (uint64_t)sh->wrong) TH_LOG("last wrong: errno %d in state %d",
						  sh->last_wrong_errno, sh->last_wrong_state);
	EXPECT_LT(100, (uint64_t)sh->forks);
	EXPECT_LT(10, (uint64_t)sh->reloads);

	/* Caches that grew most between the warm-up and the last cycle. */
	for (i = 0; i < nc1; i++)
		for (j = 0; j < nc0; j++)
			if (!strcmp(c0[j].name, c1[i].name) &&
			    (c1[i].objs - c0[j].objs) * c1[i].size > 16384)
				printf("# %s: %ld -> %ld objects\n", c1[i].name,
				       c0[j].objs, c1[i].objs);

	/* A leak grows at every cycle; noise does not. */
	grow = leak(m, offsetof(struct mem, sunreclaim), 1024);
	EXPECT_EQ(0, grow) TH_LOG("SUnreclaim grows %ld bytes per cycle, every cycle", grow);
	grow = leak(m, offsetof(struct mem, kmalloc), 1);
	EXPECT_EQ(0, grow) TH_LOG("kmalloc-* grow %ld bytes per cycle, every cycle", grow);
	grow = leak(m, offsetof(struct mem, percpu), 1024);
	EXPECT_EQ(0, grow) TH_LOG("Percpu grows %ld bytes per cycle, every cycle", grow);

	EXPECT_EQ(0, do_insmod());
	EXPECT_TRUE(module_loaded());
}

static void __attribute__((constructor)) __constructor_order_last(void)
{
	if (!__constructor_order)
		__constructor_order = _CONSTRUCTOR_ORDER_BACKWARD;
}

int main(int argc, char **argv)
{
	if (argc == 3 && !strcmp(argv[1], "--agent"))
		return agent_main(atoi(argv[2]));
	return test_harness_run(argc, argv);
}
