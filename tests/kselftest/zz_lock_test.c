// SPDX-License-Identifier: GPL-2.0
/*
 * avfencectl lock against the real module.  A lock lasts until reboot and
 * makes the module impossible to unload, so this must be the last test of
 * a VM boot: it skips itself unless no test follows it in the run order
 * (AVF_TESTS, else /opt/tests/list).  The cases run in file order and
 * build on each other: refusals first, then the lock, then what it stops.
 *
 * TMP (tmpfs)
 * └── secret        SECRET
 */
#include "ctl.h"

#define LOCK_MARKER	"/run/avfence-locked"

static struct output o;

/* Is zz_lock_test the last test of this boot?  If not, why not. */
static const char *not_last(void)
{
	static char list[8192], why[256];
	const char *env = getenv("AVF_TESTS");
	char *p, *tok, *after = NULL;
	bool seen = false;

	if (env)
		snprintf(list, sizeof(list), "%s", env);
	else if (read_text("/opt/tests/list", list, sizeof(list)))
		return "no test list (/opt/tests/list, AVF_TESTS)";
	for (tok = strtok_r(list, ", \n", &p); tok;
	     tok = strtok_r(NULL, ", \n", &p)) {
		if (seen) {
			after = tok;
			break;
		}
		seen = !strcmp(tok, "zz_lock_test");
	}
	if (!seen)
		return "zz_lock_test is not in the test list";
	if (!after)
		return NULL;
	snprintf(why, sizeof(why),
		 "locking is irreversible until reboot and %s runs after this test; run it last (AVF_TESTS=zz_lock_test)",
		 after);
	return why;
}

#define LAST_OR_SKIP()							\
	do {								\
		const char *why = not_last();				\
		if (why)						\
			SKIP(return, "%s", why);			\
	} while (0)

static int prepare(void)
{
	int err = mount_tmpfs(TMP);

	if (!err || err == -EBUSY)
		err = write_file(TMP "/secret", "secret\n");
	if (!err)
		err = set_label(TMP "/secret", "SECRET");
	if (!err)
		err = mount_securityfs();
	return err;
}

/* Run avfencectl ARGS as uid 65534 without capabilities: exit status. */
static int ctl_as_nobody(const char *arg)
{
	int st;
	pid_t pid = fork();

	if (pid == 0) {
		int fd = open("/dev/null", O_WRONLY);

		dup2(fd, 1);
		dup2(fd, 2);
		if (setresgid(65534, 65534, 65534) ||
		    setresuid(65534, 65534, 65534))
			_exit(SETUP_FAILED);
		execl(AVFENCECTL, AVFENCECTL, arg, NULL);
		_exit(127);
	}
	if (pid < 0 || waitpid(pid, &st, 0) < 0)
		return -errno;
	return exit_code(st);
}

static bool locked(void)
{
	char v[16];

	return !ctl(&o, "status", "--json", NULL) &&
	       json_get(o.out, "locked", v, sizeof(v)) && !strcmp(v, "true");
}

TEST(lock_needs_a_policy)
{
	LAST_OR_SKIP();
	ASSERT_EQ(0, prepare());
	/* A fresh module: nothing loaded, nothing to lock. */
	EXPECT_EQ(1, ctl(&o, "lock", NULL));
	EXPECT_NE(NULL, strstr(o.err, "no policy loaded")) {
		TH_LOG("%s", o.err);
	}
	EXPECT_FALSE(locked());
}

TEST(lock_refused_to_unprivileged_and_fenced)
{
	LAST_OR_SKIP();
	ASSERT_EQ(0, load_scanner("enforce", "OFFICIAL"));
	EXPECT_EQ(1, ctl_as_nobody("lock"));
	EXPECT_FALSE(locked());
	/* A fenced agent (tagged, root) may not freeze its own fence. */
	EXPECT_EQ(1, capture(&o, SCANNER, "exec", AVFENCECTL, "lock", NULL));
	EXPECT_NE(NULL, strstr(o.err, "a fenced process may not change the fence")) {
		TH_LOG("%s", o.err);
	}
	EXPECT_FALSE(locked());
}

TEST(lock_until_reboot)
{
	char line[8192], v[64], gen[32], secfs[16384];
	struct monitor m;

	LAST_OR_SKIP();
	ASSERT_EQ(0, load_scanner("enforce", "OFFICIAL"));
	snprintf(gen, sizeof(gen), "%llu", (unsigned long long)generation());
	ASSERT_EQ(0, monitor_start(&m, "--json", NULL));
	ASSERT_EQ(0, monitor_sync(&m, "\"type\":\"mode\""));

	ASSERT_EQ(0, ctl(&o, "lock", NULL)) {
		TH_LOG("%s", o.err);
	}
	write_file(LOCK_MARKER, "avfence locked by zz_lock_test: rmmod must fail\n");
	TH_LOG("%s", o.out);
	EXPECT_NE(NULL, strstr(o.out, "until reboot"));
	EXPECT_NE(NULL, strstr(o.out, "rmmod -f"));

	EXPECT_EQ(0, monitor_find(&m, "\"type\":\"lock\"", line, sizeof(line),
				  5000));
	TH_LOG("%s", line);
	EXPECT_STREQ(gen, json_get(line, "generation", v, sizeof(v)));
	EXPECT_STREQ("enforce", json_get(line, "mode", v, sizeof(v)));
	EXPECT_STREQ(AVFENCECTL, json_get(line, "exe", v, sizeof(v)));
	EXPECT_EQ(0, monitor_stop(&m, SIGINT));

	EXPECT_TRUE(locked());
	ASSERT_EQ(0, ctl(&o, "status", NULL));
	EXPECT_NE(NULL, strstr(o.out, "\nlocked:         yes")) {
		TH_LOG("%s", o.out);
	}
	ASSERT_EQ(0, read_text(SECFS_STATUS, secfs, sizeof(secfs)));
	EXPECT_NE(NULL, strstr(secfs, "\nlocked: yes\n"));
	/* Locking again is harmless and says so. */
	EXPECT_EQ(0, ctl(&o, "lock", NULL));
	EXPECT_NE(NULL, strstr(o.out, "already locked"));
	/* But not to whoever asks: unprivileged or fenced, still refused. */
	EXPECT_EQ(1, ctl_as_nobody("lock"));
	EXPECT_EQ(1, capture(&o, SCANNER, "exec", AVFENCECTL, "lock", NULL));
	EXPECT_NE(NULL, strstr(o.err, "a fenced process may not change the fence")) {
		TH_LOG("%s", o.err);
	}
}

/*
 * The lock is the last record of the measurement log, once: a second
 * lock changes nothing and is not recorded; refused changes neither.
 */
TEST(lock_measured_once)
{
	static struct avfence_measurement rec[4096];
	ssize_t len = 0, n;
	int fd, nr;

	LAST_OR_SKIP();
	ASSERT_TRUE(locked());
	fd = open(SECFS "/avfence/binary_measurements", O_RDONLY | O_CLOEXEC);
	ASSERT_LE(0, fd);
	while ((n = read(fd, (char *)rec + len, sizeof(rec) - len)) > 0)
		len += n;
	close(fd);
	nr = len / sizeof(rec[0]);
	ASSERT_LT(1, nr);
	EXPECT_EQ(AVFENCE_MEASURE_LOCK, rec[nr - 1].event);
	EXPECT_EQ(generation(), rec[nr - 1].generation);
	EXPECT_EQ(AVFENCE_MODE_ENFORCE, rec[nr - 1].mode);
	EXPECT_NE(AVFENCE_MEASURE_LOCK, rec[nr - 2].event);
}

TEST(locked_no_reload_no_mode_change)
{
	char before[80], after[80], v[80];
	uint64_t gen;

	LAST_OR_SKIP();
	ASSERT_TRUE(locked());
	ASSERT_NE(NULL, json_get(o.out, "digest", before, sizeof(before)));
	gen = generation();

	EXPECT_EQ(1, load_scanner("audit", "TOP-SECRET"));
	EXPECT_EQ(1, ctl(&o, "load", POLICY_FILE, NULL));
	EXPECT_NE(NULL, strstr(o.err, "locked until reboot")) {
		TH_LOG("%s", o.err);
	}
	EXPECT_EQ(1, ctl(&o, "mode", "audit", NULL));
	EXPECT_NE(NULL, strstr(o.err, "locked until reboot"));
	/* Straight over netlink, not through avfencectl: the same. */
	EXPECT_EQ(-EPERM, avf_set_mode(AVFENCE_MODE_AUDIT));

	EXPECT_EQ(gen, generation());
	ASSERT_EQ(0, ctl(&o, "status", "--json", NULL));
	EXPECT_STREQ("enforce", json_get(o.out, "mode", v, sizeof(v)));
	ASSERT_NE(NULL, json_get(o.out, "digest", after, sizeof(after)));
	EXPECT_STREQ(before, after);
	/* The fence still holds. */
	EXPECT_EQ(EACCES, run(SCANNER, "open", TMP "/secret", "r", NULL));
}

TEST(locked_no_unload)
{
	LAST_OR_SKIP();
	ASSERT_TRUE(locked());
	EXPECT_NE(0, run("/bin/rmmod", "avfence", NULL));
	EXPECT_TRUE(module_loaded());
	EXPECT_NE(0, run("/bin/rmmod", "-f", "avfence", NULL));
	EXPECT_TRUE(module_loaded());
	EXPECT_TRUE(locked());
	EXPECT_EQ(EACCES, run(SCANNER, "open", TMP "/secret", "r", NULL));
}

TEST_HARNESS_MAIN
