// SPDX-License-Identifier: GPL-2.0
/*
 * avfencectl suggest fed from a real audit-mode run (issue 12 item 6): the
 * agent, whose subject may write only in TMP/db, writes in TMP/spool while
 * the policy is in audit mode.  What the module recorded (the kernel log;
 * `avfencectl monitor --json`) goes into `avfencectl suggest`, which must
 * print write=TMP/spool; the suggested subject line, loaded in enforce
 * mode, must then allow that write, which the original policy refuses.
 * The untagged control writes the same way and is never suggested.
 *
 * TMP (tmpfs)
 * ├── db/       the subject's write= directory
 * └── spool/    where the agent writes although write= does not say so
 */
#include "doors.h"
#include "ctl.h"

#define DB		TMP "/db"
#define SPOOL		TMP "/spool"
#define LOGFILE		"/tmp/avf-suggest.log"
#define POLICY_HEAD	LEVELS "default UNCLASSIFIED\nmode enforce\n"

/* write PATH: create PATH holding one line. */
AGENT(write)
{
	int err = write_file(argv[1], "data\n");

	errno = -err;
	result("write", err);
	return 0;
}

FIXTURE(suggest) {
};

FIXTURE_SETUP(suggest)
{
	ASSERT_EQ(0, mount_tmpfs(TMP));
	ASSERT_EQ(0, mkdirs(DB));
	ASSERT_EQ(0, mkdirs(SPOOL));
	ASSERT_EQ(0, agent_policy_write("OFFICIAL", DB, NULL));
}

FIXTURE_TEARDOWN(suggest)
{
	unlink(LOGFILE);
	teardown_tree();
}

/* The agent (@tagged) writes @path: its errno. */
static int agent_write(struct __test_metadata *_metadata, int tagged,
		       const char *path)
{
	struct agent a;

	unlink(path);
	if (agent_run(&a, tagged, "write", path))
		return -1;
	return agent_val(&a, "write");
}

/* The kernel log after a marker, into a file, as journalctl -k would. */
struct log_copy {
	const struct kmark *mark;
	FILE *f;
	int after;
};

static int log_copy_line(void *arg, unsigned long long ts, const char *msg)
{
	struct log_copy *c = arg;

	if (!c->after)
		c->after = !strcmp(msg, c->mark->text);
	else
		fprintf(c->f, "[%llu.%06llu] %s\n", ts / 1000000, ts % 1000000,
			msg);
	return 0;
}

/* Enforce mode refuses the agent's write to the spool, not the test's. */
TEST_F(suggest, enforce_refuses_spool)
{
	EXPECT_EQ(EACCES, agent_write(_metadata, 1, SPOOL "/out"));
	EXPECT_EQ(0, agent_write(_metadata, 1, DB "/out"));
	EXPECT_EQ(0, agent_write(_metadata, 0, SPOOL "/out"));
}

/*
 * Kernel log lines name the command, not the executable: suggest prints
 * the subject as a comment to complete, with the write= word.
 */
TEST_F(suggest, audit_log_suggests_write_dir)
{
	static struct output o;
	struct log_copy c;
	struct kmark m;

	ASSERT_EQ(0, avfencectl("mode", "audit", NULL));
	/* A fresh window of the log's rate limit (20 lines per 5 s). */
	sleep(6);
	kmsg_mark(&m);
	/* audit mode: the write is allowed (and logged) */
	EXPECT_EQ(0, agent_write(_metadata, 1, SPOOL "/out"));
	EXPECT_EQ(0, agent_write(_metadata, 1, DB "/out"));
	/* control: an untagged writer is not fenced, nothing to suggest */
	EXPECT_EQ(0, agent_write(_metadata, 0, TMP "/untagged"));
	c.mark = &m;
	c.after = 0;
	c.f = fopen(LOGFILE, "w");
	ASSERT_NE(NULL, c.f);
	kmsg_each(log_copy_line, &c);
	fclose(c.f);
	ASSERT_EQ(1, c.after);

	ASSERT_EQ(0, ctl(&o, "suggest", LOGFILE, NULL));
	EXPECT_NE(NULL, strstr(o.out, "# command avf-agent ")) {
		TH_LOG("suggest printed: %s%s", o.out, o.err);
	}
	EXPECT_NE(NULL, strstr(o.out, "# subject PATH OFFICIAL write=" SPOOL "\n")) {
		TH_LOG("suggest printed: %s%s", o.out, o.err);
	}
	/* the db write was allowed, the untagged one not fenced */
	EXPECT_EQ(NULL, strstr(o.out, DB));
	EXPECT_EQ(NULL, strstr(o.out, "untagged"));
}

/*
 * Events name the executable: suggest prints a whole subject line, and
 * that line, loaded in enforce mode, allows what audit mode recorded.
 */
TEST_F(suggest, audit_events_suggest_a_policy_that_allows)
{
	static struct output o;
	struct monitor mon;
	char line[4096], *s, *nl;
	FILE *f;
	int n = 0;

	ASSERT_EQ(0, monitor_start(&mon, "--json", NULL));
	ASSERT_EQ(0, monitor_sync(&mon, "\"type\":\"mode\""));
	ASSERT_EQ(0, avfencectl("mode", "audit", NULL));
	EXPECT_EQ(0, agent_write(_metadata, 1, SPOOL "/out"));
	EXPECT_EQ(0, agent_write(_metadata, 0, TMP "/untagged"));
	f = fopen(LOGFILE, "w");
	ASSERT_NE(NULL, f);
	/* events come in batches; the write's is among the next lines */
	while (!monitor_line(&mon, line, sizeof(line), 2000)) {
		fprintf(f, "%s\n", line);
		if (strstr(line, "\"route\":\"write\"") && ++n >= 1)
			break;
	}
	fclose(f);
	monitor_stop(&mon, SIGINT);
	ASSERT_EQ(1, n);

	ASSERT_EQ(0, ctl(&o, "suggest", LOGFILE, NULL));
	s = strstr(o.out, "subject " AGENT_BIN " OFFICIAL write=" SPOOL);
	ASSERT_NE(NULL, s) {
		TH_LOG("suggest printed: %s%s", o.out, o.err);
	}
	EXPECT_EQ(NULL, strstr(o.out, "untagged"));
	nl = strchr(s, '\n');
	if (nl)
		*nl = '\0';

	/* the suggested line as the policy, in enforce mode */
	ASSERT_EQ(0, load_policy(POLICY_HEAD "%s\n", s));
	EXPECT_EQ(0, agent_write(_metadata, 1, SPOOL "/out"));
	/* and no more than that: the db is no longer listed */
	EXPECT_EQ(EACCES, agent_write(_metadata, 1, DB "/out"));
}

TEST_HARNESS_MAIN
