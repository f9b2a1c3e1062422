// SPDX-License-Identifier: GPL-2.0
/*
 * avfencectl monitor against the real module: a denial (or audited
 * access, or side door) caused by another, tagged process arrives as one
 * event with the right fields, in text and in JSON; policy loads and mode
 * changes arrive too; a reader too slow for its socket buffer is told how
 * many events it lost; SIGINT and SIGTERM end it with status 0.
 *
 * TMP (tmpfs)
 * ├── secret        SECRET
 * ├── "odd name\n"  SECRET (a path that needs escaping)
 * └── mnt/          (denial_unlogged: a tmpfs of its own)
 *     └── secret    SECRET
 */
#include "ctl.h"

#define ODD_NAME	"odd \"name\"\n\x01"
#define ODD		TMP "/" ODD_NAME
#define SEC	1000000000ull

static const struct tree_entry tree[] = {
	TREE_FILE("secret", "secret\n", "SECRET"),
	TREE_FILE(ODD_NAME, "odd\n", "SECRET"),
	{ NULL }
};

static struct output o;

/* A JSON event line's field, or "" if absent. */
static const char *field(const char *line, const char *key)
{
	static char v[8][PATH_MAX];
	static int i;

	i = (i + 1) % 8;
	if (!json_get(line, key, v[i], sizeof(v[i])))
		v[i][0] = '\0';
	return v[i];
}

/* Run the scanner on @args..., return its pid; its exit status in @rc. */
static pid_t run_scanner(int *rc, const char *step, const char *path,
			 const char *flags)
{
	char *argv[] = { SCANNER, (char *)step, (char *)path, (char *)flags,
			 NULL };
	int st;
	pid_t pid = spawn_argv(argv, -1, -1);

	if (pid < 0 || waitpid(pid, &st, 0) < 0)
		return -1;
	*rc = exit_code(st);
	return pid;
}

FIXTURE(monitor) {
	struct monitor m;
};

FIXTURE_SETUP(monitor)
{
	setup_tree(_metadata, tree, "OFFICIAL");
	self->m.pid = -1;
}

FIXTURE_TEARDOWN(monitor)
{
	if (self->m.pid > 0)
		monitor_stop(&self->m, SIGKILL);
	teardown_tree();
}

TEST_F(monitor, denial_json)
{
	char line[8192], sync[8192], pidstr[32];
	uint64_t t, before, seq0;
	pid_t pid;
	int rc;

	ASSERT_EQ(0, monitor_start(&self->m, "--json", NULL));
	ASSERT_EQ(0, monitor_sync(&self->m, "\"type\":\"mode\""));
	/* The last mode event: the denial must come right after it. */
	ASSERT_EQ(0, avfencectl("mode", "enforce", NULL));
	ASSERT_EQ(0, monitor_find(&self->m, "\"type\":\"mode\"", sync,
				  sizeof(sync), 5000));
	seq0 = strtoull(field(sync, "seq"), NULL, 10);

	before = realtime_ns();
	pid = run_scanner(&rc, "open", TMP "/secret", "r");
	ASSERT_EQ(EACCES, rc);
	/*
	 * A loaded host may show monitor_sync() a mode event late, after it
	 * changed the mode again: the mode events still queued come first.
	 */
	for (;;) {
		ASSERT_EQ(0, monitor_line(&self->m, line, sizeof(line), 5000));
		if (strcmp("mode", field(line, "type")))
			break;
		seq0 = strtoull(field(line, "seq"), NULL, 10);
	}
	TH_LOG("%s", line);
	ASSERT_EQ(0, json_valid(line));
	EXPECT_STREQ("access", field(line, "type"));
	EXPECT_STREQ("denied", field(line, "action"));
	EXPECT_STREQ("open", field(line, "route"));
	snprintf(pidstr, sizeof(pidstr), "%d", pid);
	EXPECT_STREQ(pidstr, field(line, "pid"));
	EXPECT_STREQ("scanner", field(line, "comm"));
	EXPECT_STREQ(SCANNER, field(line, "exe"));
	EXPECT_STREQ("OFFICIAL", field(line, "clearance"));
	EXPECT_STREQ("SECRET", field(line, "label"));
	EXPECT_STREQ(TMP "/secret", field(line, "path"));
	EXPECT_STREQ("null", field(line, "what"));
	EXPECT_STREQ("null", field(line, "mode"));
	EXPECT_STREQ("null", field(line, "lost"));
	EXPECT_EQ(seq0 + 1, strtoull(field(line, "seq"), NULL, 10));
	t = parse_iso(field(line, "time"));
	EXPECT_TRUE(t + SEC >= before && t <= realtime_ns() + SEC) {
		TH_LOG("time %s", field(line, "time"));
	}
	EXPECT_EQ(0, monitor_stop(&self->m, SIGINT));
	self->m.pid = -1;
}

/*
 * A denial of a file whose path is near PATH_MAX arrives whole: the event
 * message is sized to its contents.
 */
TEST_F(monitor, denial_long_path)
{
	static char path[PATH_MAX], line[3 * PATH_MAX];
	char name[256];
	size_t len;
	int rc;

	memset(name, 'd', 250);
	name[250] = '\0';
	len = snprintf(path, sizeof(path), "%s", TMP);
	/* 15 directories of 250 bytes: about 3,800 bytes in all. */
	for (int i = 0; i < 15; i++) {
		len += snprintf(path + len, sizeof(path) - len, "/%s", name);
		ASSERT_EQ(0, mkdir(path, 0755));
	}
	len += snprintf(path + len, sizeof(path) - len, "/secret");
	ASSERT_GT(PATH_MAX - 100, (int)len);
	ASSERT_EQ(0, write_file(path, "secret\n"));
	ASSERT_EQ(0, set_label(path, "SECRET"));
	ASSERT_EQ(0, monitor_start(&self->m, "--json", NULL));
	ASSERT_EQ(0, monitor_sync(&self->m, "\"type\":\"mode\""));
	run_scanner(&rc, "open", path, "r");
	ASSERT_EQ(EACCES, rc);
	ASSERT_EQ(0, monitor_find(&self->m, "\"action\":\"denied\"", line,
				  sizeof(line), 5000));
	EXPECT_STREQ(path, field(line, "path"));
	EXPECT_STREQ(SCANNER, field(line, "exe"));
	EXPECT_EQ(0, monitor_stop(&self->m, SIGINT));
	self->m.pid = -1;
}

/*
 * Past the log's rate limit, a denial's paths are formatted by the event's
 * work item, not by the denying task (kmod/event.c): the events are the
 * same, and the file's mount can be unmounted at once, the references the
 * queued events hold notwithstanding (the unmount sends them first).  The
 * scanner stays alive after its denials ("wait"), so that the unmount
 * follows the last denial by a pipe's wake-up, well within the tick
 * before the work item runs; several rounds, each one a chance for a
 * held reference to make the unmount fail with EBUSY.
 */
#define UNLOGGED 25
#define UNLOGGED_ROUNDS 5
TEST_F(monitor, denial_unlogged)
{
	char *argv[1 + 4 * UNLOGGED + 2], line[8192], out[4 * UNLOGGED + 1];
	int st, n = 0, i, r, in[2], res[2];
	size_t got;
	ssize_t k;
	pid_t pid;

	ASSERT_EQ(0, monitor_start(&self->m, "--json", NULL));
	ASSERT_EQ(0, monitor_sync(&self->m, "\"type\":\"mode\""));
	/* More denials than the log's burst (20): the last ones unlogged. */
	argv[n++] = SCANNER;
	for (i = 0; i < UNLOGGED; i++) {
		argv[n++] = "open";
		argv[n++] = TMP "/mnt/secret";
		argv[n++] = "r";
		argv[n++] = "--";
	}
	argv[n++] = "wait";
	argv[n] = NULL;
	for (r = 0; r < UNLOGGED_ROUNDS; r++) {
		ASSERT_EQ(0, mount_tmpfs(TMP "/mnt"));
		ASSERT_EQ(0, write_file(TMP "/mnt/secret", "secret\n"));
		ASSERT_EQ(0, set_label(TMP "/mnt/secret", "SECRET"));
		ASSERT_EQ(0, pipe(in));
		ASSERT_EQ(0, pipe(res));
		pid = spawn_argv(argv, in[0], res[1]);
		ASSERT_LT(0, pid);
		close(in[0]);
		close(res[1]);
		/* "=13\n" per denial, written at once when it waits. */
		for (got = 0; got < 4 * UNLOGGED; got += k) {
			k = read(res[0], out + got, 4 * UNLOGGED - got);
			ASSERT_LT(0, k);
		}
		out[got] = '\0';
		EXPECT_EQ(NULL, strstr(out, "=0")) {
			TH_LOG("scanner: %s", out);
		}
		/* At once, before the event's work item would run. */
		EXPECT_EQ(0, umount2(TMP "/mnt", 0)) {
			TH_LOG("round %d: umount: %s", r, strerror(errno));
			umount2(TMP "/mnt", MNT_DETACH);
		}
		ASSERT_EQ(1, write(in[1], "x", 1));
		close(in[1]);
		close(res[0]);
		ASSERT_EQ(pid, waitpid(pid, &st, 0));
		for (i = 0; i < UNLOGGED; i++) {
			ASSERT_EQ(0, monitor_find(&self->m,
						  "\"action\":\"denied\"",
						  line, sizeof(line), 5000));
			EXPECT_STREQ(TMP "/mnt/secret", field(line, "path"));
			EXPECT_STREQ(SCANNER, field(line, "exe"));
			EXPECT_STREQ("scanner", field(line, "comm"));
			EXPECT_STREQ("SECRET", field(line, "label"));
		}
	}
	EXPECT_EQ(0, monitor_stop(&self->m, SIGINT));
	self->m.pid = -1;
}

/*
 * A chrooted task's denials past the log's rate limit name the file from
 * its own root, as d_path() in the task gives it: the work item, whose
 * root is another, does not format them (kmod/event.c).
 */
TEST_F(monitor, denial_unlogged_chrooted)
{
	char *argv[1 + 3 + 4 * UNLOGGED + 1], line[8192];
	int rc, st, n = 0, i;
	pid_t pid;

	ASSERT_EQ(0, monitor_start(&self->m, "--json", NULL));
	ASSERT_EQ(0, monitor_sync(&self->m, "\"type\":\"mode\""));
	argv[n++] = SCANNER;
	argv[n++] = "chroot";
	argv[n++] = TMP;
	argv[n++] = "--";
	for (i = 0; i < UNLOGGED; i++) {
		argv[n++] = "open";
		argv[n++] = "/secret";
		argv[n++] = "r";
		argv[n++] = i + 1 < UNLOGGED ? "--" : NULL;
	}
	argv[n] = NULL;
	pid = spawn_argv(argv, -1, -1);
	ASSERT_LT(0, pid);
	ASSERT_EQ(pid, waitpid(pid, &st, 0));
	rc = exit_code(st);
	ASSERT_EQ(EACCES, rc);
	for (i = 0; i < UNLOGGED; i++) {
		ASSERT_EQ(0, monitor_find(&self->m, "\"action\":\"denied\"",
					  line, sizeof(line), 5000));
		EXPECT_STREQ("/secret", field(line, "path"));
		EXPECT_STREQ(SCANNER, field(line, "exe"));
	}
	EXPECT_EQ(0, monitor_stop(&self->m, SIGINT));
	self->m.pid = -1;
}

TEST_F(monitor, denial_text_escaped)
{
	char line[8192], want[256];
	pid_t pid;
	int rc;

	ASSERT_EQ(0, monitor_start(&self->m, NULL));
	ASSERT_EQ(0, monitor_sync(&self->m, " mode pid="));
	pid = run_scanner(&rc, "open", ODD, "r");
	ASSERT_EQ(EACCES, rc);
	ASSERT_EQ(0, monitor_find(&self->m, " denied ", line, sizeof(line), 5000));
	TH_LOG("%s", line);
	snprintf(want, sizeof(want), "Z denied open pid=%d comm=scanner exe="
		 SCANNER " clearance=OFFICIAL label=SECRET path=\"" TMP
		 "/odd \\\"name\\\"\\n\\x01\" seq=", pid);
	EXPECT_NE(NULL, strstr(line, want));
	EXPECT_EQ(0, monitor_stop(&self->m, SIGTERM));
	self->m.pid = -1;
}

TEST_F(monitor, denial_json_escaped)
{
	char line[8192];
	int rc;

	ASSERT_EQ(0, monitor_start(&self->m, "--json", NULL));
	ASSERT_EQ(0, monitor_sync(&self->m, "\"type\":\"mode\""));
	run_scanner(&rc, "open", ODD, "r");
	ASSERT_EQ(EACCES, rc);
	ASSERT_EQ(0, monitor_find(&self->m, "\"action\":\"denied\"", line,
				  sizeof(line), 5000));
	TH_LOG("%s", line);
	EXPECT_EQ(0, json_valid(line));
	EXPECT_NE(NULL, strstr(line, "\"path\":\"" TMP
			       "/odd \\\"name\\\"\\n\\u0001\""));
}

TEST_F(monitor, audited_access)
{
	char line[8192];
	int rc;

	ASSERT_EQ(0, monitor_start(&self->m, "--json", NULL));
	ASSERT_EQ(0, monitor_sync(&self->m, "\"type\":\"mode\""));
	ASSERT_EQ(0, avfencectl("mode", "audit", NULL));
	ASSERT_EQ(0, monitor_find(&self->m, "\"mode\":\"audit\"", line,
				  sizeof(line), 5000));
	run_scanner(&rc, "open", TMP "/secret", "r");
	ASSERT_EQ(0, rc);
	ASSERT_EQ(0, monitor_line(&self->m, line, sizeof(line), 5000));
	TH_LOG("%s", line);
	EXPECT_STREQ("access", field(line, "type"));
	EXPECT_STREQ("audited", field(line, "action"));
	EXPECT_STREQ(TMP "/secret", field(line, "path"));
}

/*
 * A side door: a tagged busybox tries to load a module.  Fenced tasks lose
 * CAP_SYS_MODULE, which init_module checks first.
 */
TEST_F(monitor, side_door_what)
{
	char line[8192];

	ASSERT_EQ(0, monitor_start(&self->m, "--json", NULL));
	ASSERT_EQ(0, monitor_sync(&self->m, "\"type\":\"mode\""));
	EXPECT_NE(0, run(SCANNER, "exec", "/bin/busybox", "insmod",
			 MODULE_KO, NULL));
	ASSERT_EQ(0, monitor_find(&self->m, "\"action\":\"denied\"", line,
				  sizeof(line), 5000));
	TH_LOG("%s", line);
	EXPECT_STREQ("capability", field(line, "route"));
	EXPECT_STREQ("CAP_SYS_MODULE", field(line, "what"));
	EXPECT_STREQ("OFFICIAL", field(line, "clearance"));
	EXPECT_STREQ("busybox", field(line, "comm"));
	EXPECT_STREQ("/bin/busybox", field(line, "exe"));
	EXPECT_STREQ("null", field(line, "path"));
	EXPECT_STREQ("null", field(line, "label"));
}

/*
 * An untagged process runs a program a fenced task wrote (its writer mark
 * set here by hand, as the kernel sets it): it is fenced, and an access
 * event with action "tagged" names the program and the mark.  Named busybox so that it runs
 * its first argument as the applet.
 */
TEST_F(monitor, tagged_written)
{
	static const char mark[] = "OFFICIAL";
	char line[8192];

	ASSERT_EQ(0, copy_file("/bin/busybox", TMP "/busybox", 0755));
	ASSERT_EQ(0, setxattr(TMP "/busybox", "security.avfence.writer", mark,
			      strlen(mark), 0));
	ASSERT_EQ(0, monitor_start(&self->m, "--json", NULL));
	ASSERT_EQ(0, monitor_sync(&self->m, "\"type\":\"mode\""));
	EXPECT_EQ(0, run(TMP "/busybox", "true", NULL));
	ASSERT_EQ(0, monitor_find(&self->m, "\"action\":\"tagged\"", line,
				  sizeof(line), 5000));
	TH_LOG("%s", line);
	ASSERT_EQ(0, json_valid(line));
	EXPECT_STREQ("access", field(line, "type"));
	EXPECT_STREQ("written", field(line, "route"));
	EXPECT_STREQ(mark, field(line, "label"));
	EXPECT_STREQ("OFFICIAL", field(line, "clearance"));
	EXPECT_STREQ(TMP "/busybox", field(line, "path"));
	EXPECT_STREQ("null", field(line, "what"));
}

TEST_F(monitor, policy_events)
{
	char line[8192], gen[32];

	ASSERT_EQ(0, monitor_start(&self->m, "--json", NULL));
	ASSERT_EQ(0, monitor_sync(&self->m, "\"type\":\"mode\""));
	ASSERT_EQ(0, load_scanner("audit", "SECRET"));
	ASSERT_EQ(0, monitor_find(&self->m, "\"type\":\"policy-load\"", line,
				  sizeof(line), 5000));
	TH_LOG("%s", line);
	snprintf(gen, sizeof(gen), "%llu", (unsigned long long)generation());
	EXPECT_STREQ(gen, field(line, "generation"));
	EXPECT_STREQ("audit", field(line, "mode"));
	EXPECT_STREQ("avfencectl", field(line, "comm"));
	/* Who changed the fence: pid, comm and executable. */
	EXPECT_STREQ(AVFENCECTL, field(line, "exe"));
	EXPECT_STREQ("null", field(line, "action"));
	ASSERT_EQ(0, avfencectl("mode", "enforce", NULL));
	ASSERT_EQ(0, monitor_line(&self->m, line, sizeof(line), 5000));
	EXPECT_STREQ("mode", field(line, "type"));
	EXPECT_STREQ("enforce", field(line, "mode"));
	EXPECT_STREQ(gen, field(line, "generation"));
	EXPECT_STREQ(AVFENCECTL, field(line, "exe"));
	EXPECT_STREQ("avfencectl", field(line, "comm"));
	EXPECT_NE(0, atoi(field(line, "pid")));
}

/*
 * A reader that does not read: with a tiny socket buffer, stopped while
 * denials pile up, it is told on waking that it lost events, how many
 * (the gap in seq), and the kernel counts them in status.
 */
TEST_F_TIMEOUT(monitor, slow_reader_told_of_loss, 300)
{
	char line[8192], v[64];
	uint64_t lost = 0, lost_before, seq0, seq, received = 0;
	bool overrun = false, done = false;
	int i, rc, access = 0;

	ASSERT_EQ(0, ctl(&o, "status", "--json", NULL));
	lost_before = strtoull(json_get(o.out, "events_lost", v, sizeof(v)),
			       NULL, 10);
	ASSERT_EQ(0, monitor_start(&self->m, "--json", "--rcvbuf", "1", NULL));
	ASSERT_EQ(0, monitor_sync(&self->m, "\"type\":\"mode\""));
	ASSERT_EQ(0, avfencectl("mode", "enforce", NULL));
	ASSERT_EQ(0, monitor_find(&self->m, "\"type\":\"mode\"", line,
				  sizeof(line), 5000));
	seq0 = strtoull(field(line, "seq"), NULL, 10);

	ASSERT_EQ(0, kill(self->m.pid, SIGSTOP));
	for (i = 0; i < 40; i++) {
		run_scanner(&rc, "open", TMP "/secret", "r");
		ASSERT_EQ(EACCES, rc);
	}
	ASSERT_EQ(0, kill(self->m.pid, SIGCONT));
	/*
	 * The socket stays congested until drained, so the event that shows
	 * the gap may need a few tries.
	 */
	for (i = 0; i < 50 && !done; i++) {
		ASSERT_EQ(0, avfencectl("mode", "enforce", NULL));
		while (!done && !monitor_line(&self->m, line, sizeof(line), 300)) {
			EXPECT_EQ(0, json_valid(line));
			if (!strcmp(field(line, "type"), "lost")) {
				TH_LOG("%s", line);
				if (!strcmp(field(line, "what"), "overrun"))
					overrun = true;
				else
					lost += strtoull(field(line, "lost"),
							 NULL, 10);
				continue;
			}
			received++;
			if (!strcmp(field(line, "type"), "access"))
				access++;
			if (!strcmp(field(line, "type"), "mode")) {
				seq = strtoull(field(line, "seq"), NULL, 10);
				done = true;
			}
		}
	}
	ASSERT_TRUE(done);
	TH_LOG("%d denials and %llu events in all received, %llu lost",
	       access, (unsigned long long)received, (unsigned long long)lost);
	EXPECT_TRUE(overrun);
	EXPECT_LT(0, lost);
	EXPECT_GT(40, access);
	/* Every event in between arrived or was reported lost. */
	EXPECT_EQ(seq - seq0, received + lost);
	ASSERT_EQ(0, ctl(&o, "status", "--json", NULL));
	EXPECT_LE(lost_before + lost,
		  strtoull(json_get(o.out, "events_lost", v, sizeof(v)), NULL, 10));
	EXPECT_EQ(0, monitor_stop(&self->m, SIGINT));
	self->m.pid = -1;
}

/* The module goes away and comes back: the monitor follows it. */
TEST_F(monitor, survives_module_reload)
{
	char line[8192];

	ASSERT_EQ(0, monitor_start(&self->m, "--json", NULL));
	ASSERT_EQ(0, monitor_sync(&self->m, "\"type\":\"mode\""));
	ASSERT_EQ(0, run("/bin/rmmod", "avfence", NULL));
	ASSERT_EQ(0, insmod_avfence());
	ASSERT_EQ(0, load_scanner("enforce", "OFFICIAL"));
	ASSERT_EQ(0, monitor_sync(&self->m, "\"type\":\"mode\""));
	ASSERT_EQ(0, avfencectl("mode", "audit", NULL));
	ASSERT_EQ(0, monitor_find(&self->m, "\"mode\":\"audit\"", line,
				  sizeof(line), 5000));
	/* A new module counts from 1: no loss is reported for that. */
	EXPECT_EQ(NULL, strstr(line, "\"type\":\"lost\""));
	EXPECT_EQ(0, monitor_stop(&self->m, SIGINT));
	self->m.pid = -1;
}

TEST(monitor_bad_option)
{
	ASSERT_EQ(1, ctl(&o, "monitor", "--bogus", NULL));
	EXPECT_NE(NULL, strstr(o.err, "unknown option '--bogus'"));
}

TEST_HARNESS_MAIN
