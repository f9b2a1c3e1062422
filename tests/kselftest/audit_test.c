// SPDX-License-Identifier: GPL-2.0
/*
 * Audit records with the real audit tools: Debian's auditd runs in the
 * VM as the audit daemon and writes /var/log/audit/audit.log; a denial
 * caused by the scanner must then be found there by Debian's ausearch,
 * with the fields Documentation/admin-guide.rst documents:
 *
 *	avfence=denied route=open pid=N comm="scanner" exe="/opt/av/bin/scanner"
 *	clearance=OFFICIAL label="SECRET" path="..."
 *
 * and a path that holds a blank written in hex, which ausearch -i decodes;
 * and the record of a process fenced for running what a fenced task wrote.
 * tests/vm/run.sh copies auditd, auditctl, ausearch and their libraries
 * into the initramfs when scripts/deps.sh has fetched them; without them
 * the tests are skipped.
 *
 * TMP (tmpfs)
 * ├── secret      SECRET
 * └── odd name    SECRET
 */
#include "ctl.h"

#define AUDITD		"/sbin/auditd"
#define AUDITCTL	"/sbin/auditctl"
#define AUSEARCH	"/sbin/ausearch"
#define AUDIT_DIR	"/etc/audit"
#define AUDIT_LOGDIR	"/var/log/audit"
#define AUDIT_LOG	AUDIT_LOGDIR "/audit.log"
#define AUDITD_ERR	"/tmp/auditd.stderr"
#define ODD_NAME	"odd name"
#define ODD		TMP "/" ODD_NAME

static struct output o;

/* Enough for auditd 3.0 to run in the VM: local log only, nothing else. */
static const char auditd_conf[] =
	"local_events = yes\n"
	"write_logs = yes\n"
	"log_file = " AUDIT_LOG "\n"
	"log_group = root\n"
	"log_format = RAW\n"
	"flush = SYNC\n"
	"freq = 0\n"
	"max_log_file = 8\n"
	"num_logs = 1\n"
	"name_format = NONE\n"
	"max_log_file_action = IGNORE\n"
	"space_left = 2\n"
	"space_left_action = IGNORE\n"
	"admin_space_left = 1\n"
	"admin_space_left_action = IGNORE\n"
	"disk_full_action = IGNORE\n"
	"disk_error_action = IGNORE\n"
	"use_libwrap = no\n"
	"tcp_listen_queue = 5\n"
	"tcp_max_per_addr = 1\n"
	"tcp_client_max_idle = 0\n"
	"transport = TCP\n"
	"distribute_network = no\n"
	"q_depth = 2000\n"
	"overflow_action = IGNORE\n"
	"max_restarts = 10\n"
	"plugin_dir = " AUDIT_DIR "/plugins.d\n"
	"end_of_event_timeout = 2\n";

/* Does the log hold @needle?  Polls for up to @ms milliseconds. */
static int log_has(const char *needle, int ms)
{
	static char buf[OUT_MAX];

	for (; ms > 0; ms -= 100) {
		if (!read_text(AUDIT_LOG, buf, sizeof(buf)) &&
		    strstr(buf, needle))
			return 1;
		usleep(100 * 1000);
	}
	return 0;
}

/* The scanner tries to open @path for reading; its pid, its errno in @rc. */
static pid_t scanner_open(const char *path, int *rc)
{
	char *argv[] = { SCANNER, "open", (char *)path, "r", NULL };
	pid_t pid = spawn_argv(argv, -1, -1);
	int st;

	if (pid < 0 || waitpid(pid, &st, 0) < 0)
		return -1;
	*rc = exit_code(st);
	return pid;
}

FIXTURE(audit) {
	pid_t auditd;
};

/*
 * auditd without forking (-n: as systemd runs it, events to the log file;
 * -f would send them to stdout instead).  Its stdout and stderr go to
 * AUDITD_ERR.
 */
static pid_t start_auditd(void)
{
	char *argv[] = { AUDITD, "-n", "-c", AUDIT_DIR, NULL };
	pid_t pid;
	int fd;

	fd = open(AUDITD_ERR, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0)
		return -1;
	pid = fork();
	if (pid == 0) {
		dup2(fd, 1);
		dup2(fd, 2);
		execv(argv[0], argv);
		_exit(127);
	}
	close(fd);
	return pid;
}

static const struct tree_entry audit_tree[] = {
	TREE_FILE("secret", "secret\n", "SECRET"),
	TREE_FILE(ODD_NAME, "odd\n", "SECRET"),
	{ NULL }
};

FIXTURE_SETUP(audit)
{
	static char err[65536];

	self->auditd = -1;
	if (access(AUDITD, X_OK) || access(AUSEARCH, X_OK))
		SKIP(return, "no auditd/ausearch in the VM (scripts/deps.sh fetches them)");
	ASSERT_EQ(0, mkdirs(AUDIT_DIR "/plugins.d"));
	ASSERT_EQ(0, mkdirs(AUDIT_LOGDIR));
	ASSERT_EQ(0, mkdirs("/var/run"));
	/* A filesystem that reports free space, for auditd's checks. */
	ASSERT_EQ(0, mount_tmpfs(AUDIT_LOGDIR));
	ASSERT_EQ(0, write_file(AUDIT_DIR "/auditd.conf", auditd_conf));
	ASSERT_EQ(0, chmod(AUDIT_DIR "/auditd.conf", 0640));
	if (access("/etc/passwd", F_OK))
		ASSERT_EQ(0, write_file("/etc/passwd", "root:x:0:0:root:/:/bin/sh\n"));
	if (access("/etc/group", F_OK))
		ASSERT_EQ(0, write_file("/etc/group", "root:x:0:\n"));

	self->auditd = start_auditd();
	ASSERT_LT(0, self->auditd);
	/* auditd logs its own start once it is the audit daemon. */
	ASSERT_TRUE(log_has("type=DAEMON_START", 20000)) {
		int st = 0;
		pid_t w = waitpid(self->auditd, &st, WNOHANG);

		read_text(AUDITD_ERR, err, sizeof(err));
		TH_LOG("auditd did not start (%s %d): %s",
		       w == self->auditd ? "exited" : "running",
		       w == self->auditd ? exit_code(st) : 0, err);
		capture(&o, AUDITCTL, "-s", NULL);
		TH_LOG("auditctl -s: %s %s", o.out, o.err);
		capture(&o, "/bin/ls", "-la", AUDIT_LOGDIR, "/var/run", NULL);
		TH_LOG("%s", o.out);
		if (w == self->auditd)
			self->auditd = -1;
	}
	ASSERT_EQ(0, capture(&o, AUDITCTL, "-s", NULL));
	TH_LOG("auditctl -s: %s", o.out);
	ASSERT_NE(NULL, strstr(o.out, "enabled 1"));

	setup_tree(_metadata, audit_tree, "OFFICIAL");
}

FIXTURE_TEARDOWN(audit)
{
	int st;

	if (self->auditd <= 0)
		return;
	teardown_tree();
	kill(self->auditd, SIGTERM);
	waitpid(self->auditd, &st, 0);
	/* auditd 3.0.9 leaves auditing on: no audit records in later tests. */
	run(AUDITCTL, "-e", "0", NULL);
	umount_tmpfs(AUDIT_LOGDIR);
}

TEST_F(audit, ausearch_finds_denial)
{
	char want[512];
	pid_t pid;
	int rc;

	pid = scanner_open(TMP "/secret", &rc);
	ASSERT_LT(0, pid);
	ASSERT_EQ(EACCES, rc);
	snprintf(want, sizeof(want), "avfence=denied route=open pid=%d ", pid);
	ASSERT_TRUE(log_has(want, 10000)) {
		TH_LOG("no record with '%s' in " AUDIT_LOG, want);
	}

	ASSERT_EQ(0, capture(&o, AUSEARCH, "-if", AUDIT_LOG, "-m",
			     "KERNEL_OTHER", NULL)) {
		TH_LOG("ausearch: %s", o.err);
	}
	TH_LOG("%s", o.out);
	snprintf(want, sizeof(want),
		 "type=KERNEL_OTHER msg=audit(");
	EXPECT_NE(NULL, strstr(o.out, want));
	snprintf(want, sizeof(want),
		 "): avfence=denied route=open pid=%d comm=\"scanner\" exe=\""
		 SCANNER "\" clearance=OFFICIAL label=\"SECRET\" path=\""
		 TMP "/secret\"\n", pid);
	EXPECT_NE(NULL, strstr(o.out, want)) {
		TH_LOG("want: %s", want);
	}
	/* By the record's number too. */
	EXPECT_EQ(0, capture(&o, AUSEARCH, "-if", AUDIT_LOG, "-m", "1316",
			     NULL));
}

/* A path with a blank is written in hex; ausearch -i decodes it. */
TEST_F(audit, ausearch_decodes_hex_path)
{
	char want[512], hex[128], *h;
	const char *p;
	pid_t pid;
	int rc;

	pid = scanner_open(ODD, &rc);
	ASSERT_LT(0, pid);
	ASSERT_EQ(EACCES, rc);
	for (p = ODD, h = hex; *p; p++, h += 2)
		sprintf(h, "%02X", (unsigned char)*p);
	snprintf(want, sizeof(want), " path=%s\n", hex);
	ASSERT_TRUE(log_has(want, 10000)) {
		TH_LOG("no record with '%s' in " AUDIT_LOG, want);
	}

	ASSERT_EQ(0, capture(&o, AUSEARCH, "-i", "-if", AUDIT_LOG, "-m",
			     "KERNEL_OTHER", NULL)) {
		TH_LOG("ausearch: %s", o.err);
	}
	TH_LOG("%s", o.out);
	snprintf(want, sizeof(want),
		 " : avfence=denied route=open pid=%d comm=scanner exe="
		 SCANNER " clearance=OFFICIAL label=\"SECRET\" path=" ODD " \n",
		 pid);
	EXPECT_NE(NULL, strstr(o.out, want)) {
		TH_LOG("want: %s", want);
	}
}

/* Nothing is found for an access that was allowed. */
/*
 * An untagged process runs a program a fenced task wrote (the writer mark
 * set by hand): it is fenced, and the record says so, "avfence=tagged
 * route=written" with its clearance now, the mark as label and the path.
 */
TEST_F(audit, tagged_written_record)
{
	char *argv[] = { TMP "/busybox", "true", NULL };
	char want[512];
	pid_t pid;
	int st;

	ASSERT_EQ(0, copy_file("/bin/busybox", TMP "/busybox", 0755));
	ASSERT_EQ(0, setxattr(TMP "/busybox", "security.avfence.writer",
			      "OFFICIAL", strlen("OFFICIAL"), 0));
	pid = spawn_argv(argv, -1, -1);
	ASSERT_LT(0, pid);
	ASSERT_EQ(pid, waitpid(pid, &st, 0));
	ASSERT_EQ(0, exit_code(st));
	snprintf(want, sizeof(want), "avfence=tagged route=written pid=%d ",
		 pid);
	ASSERT_TRUE(log_has(want, 10000)) {
		TH_LOG("no record with '%s' in " AUDIT_LOG, want);
	}
	EXPECT_TRUE(log_has(" clearance=OFFICIAL label=\"OFFICIAL\" path=\""
			    TMP "/busybox\"", 1000));
}

TEST_F(audit, no_record_when_allowed)
{
	char want[128];
	pid_t pid;
	int rc;

	ASSERT_EQ(0, load_scanner("enforce", "SECRET"));
	pid = scanner_open(TMP "/secret", &rc);
	ASSERT_LT(0, pid);
	ASSERT_EQ(0, rc);
	/* A denial afterwards shows the log is being written. */
	ASSERT_EQ(0, load_scanner("enforce", "OFFICIAL"));
	ASSERT_EQ(EACCES, (scanner_open(TMP "/secret", &rc) > 0 ? rc : -1));
	ASSERT_TRUE(log_has("avfence=denied", 10000));
	snprintf(want, sizeof(want), " pid=%d ", pid);
	ASSERT_EQ(0, capture(&o, AUSEARCH, "-if", AUDIT_LOG, "-m",
			     "KERNEL_OTHER", NULL));
	EXPECT_EQ(NULL, strstr(o.out, want)) {
		TH_LOG("%s", o.out);
	}
}

TEST_HARNESS_MAIN
