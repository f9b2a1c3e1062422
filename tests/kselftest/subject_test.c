// SPDX-License-Identifier: GPL-2.0
/*
 * avfence subject tests: who is fenced.  A task is tagged by executing a
 * subject binary, identified by its file (device, inode) and not by its
 * name; children and threads inherit the tag, and it survives exec.
 *
 * TMP (tmpfs)
 * ├── public        UNCLASSIFIED
 * ├── official      OFFICIAL
 * ├── secret        SECRET
 * └── (per test: copies of the probe, scripts)
 *
 * Policy: SCANNER at OFFICIAL, enforce.
 */
#include <sys/sysmacros.h>

#include "common.h"
#include "doors.h"

#define SCANNER_MOVED	"/opt/av/bin/scanner.moved"
#define SCANNER_LINK	"/opt/av/bin/scanner.link"
#define SCANNER_ORIG	"/opt/av/bin/scanner.orig"

static const struct tree_entry tree[] = {
	TREE_FILE("public", "public\n", "UNCLASSIFIED"),
	TREE_FILE("official", "official\n", "OFFICIAL"),
	TREE_FILE("secret", "secret\n", "SECRET"),
	{ NULL }
};

/* Put /opt/av/bin/scanner back whatever a test did to it. */
static void restore_scanner(void)
{
	if (!access(SCANNER_MOVED, F_OK))
		rename(SCANNER_MOVED, SCANNER);
	unlink(SCANNER_LINK);
	if (!access(SCANNER_ORIG, F_OK)) {
		unlink(SCANNER);
		rename(SCANNER_ORIG, SCANNER);
	}
}

FIXTURE(subject) {
};

FIXTURE_SETUP(subject)
{
	restore_scanner();
	setup_tree(_metadata, tree, "OFFICIAL");
}

FIXTURE_TEARDOWN(subject)
{
	restore_scanner();
	teardown_tree();
}

TEST_F(subject, tagged_by_exec)
{
	EXPECT_EQ(EACCES, run(SCANNER, "open", TMP "/secret", "r", NULL));
	EXPECT_EQ(0, run(SCANNER, "open", TMP "/official", "r", NULL));
	EXPECT_EQ(0, run(PLAIN, "open", TMP "/secret", "r", NULL));
}

TEST_F(subject, fork_child_inherits)
{
	EXPECT_EQ(EACCES, run(SCANNER, "fork", "--", "open", TMP "/secret", "r", NULL));
	EXPECT_EQ(EACCES, run(SCANNER, "fork", "--", "fork", "--",
			      "open", TMP "/secret", "r", NULL));
	EXPECT_EQ(0, run(SCANNER, "fork", "--", "open", TMP "/official", "r", NULL));
}

TEST_F(subject, thread_inherits)
{
	EXPECT_EQ(EACCES, run(SCANNER, "thread", TMP "/secret", "r", NULL));
}

/* The tag stays across exec of an unfenced binary. */
TEST_F(subject, exec_cat_denied)
{
	/* cat reports the failure with its exit status 1. */
	EXPECT_EQ(1, run(SCANNER, "exec", "/bin/cat", TMP "/secret", NULL));
	EXPECT_EQ(0, run(SCANNER, "exec", "/bin/cat", TMP "/public", NULL));
	EXPECT_EQ(0, run(PLAIN, "exec", "/bin/cat", TMP "/secret", NULL));
}

TEST_F(subject, exec_keeps_tag)
{
	EXPECT_EQ(EACCES, run(SCANNER, "exec", PLAIN, "open", TMP "/secret", "r", NULL));
	EXPECT_EQ(EACCES, run(SCANNER, "fork", "--", "exec", PLAIN,
			      "exec", PLAIN, "open", TMP "/secret", "r", NULL));
	/* A shell started by the scanner is fenced too. */
	EXPECT_EQ(1, run(SCANNER, "exec", "/bin/sh", "-c",
			 "cat " TMP "/secret >/dev/null", NULL));
}

/* Matched by file identity: a rename or a hard link changes nothing. */
TEST_F(subject, renamed_still_tagged)
{
	ASSERT_EQ(0, rename(SCANNER, SCANNER_MOVED));
	EXPECT_EQ(EACCES, run(SCANNER_MOVED, "open", TMP "/secret", "r", NULL));
	ASSERT_EQ(0, rename(SCANNER_MOVED, SCANNER));
}

TEST_F(subject, hardlink_still_tagged)
{
	ASSERT_EQ(0, link(SCANNER, SCANNER_LINK));
	EXPECT_EQ(EACCES, run(SCANNER_LINK, "open", TMP "/secret", "r", NULL));
	ASSERT_EQ(0, unlink(SCANNER_LINK));
}

/* Another file with the same name elsewhere is not the subject. */
TEST_F(subject, same_name_elsewhere_not_tagged)
{
	ASSERT_EQ(0, mkdirs(TMP "/opt/av/bin"));
	ASSERT_EQ(0, copy_file(SCANNER, TMP "/opt/av/bin/scanner", 0755));
	EXPECT_EQ(0, run(TMP "/opt/av/bin/scanner", "open", TMP "/secret", "r", NULL));
}

/* A new file put in the subject's place is not the subject. */
TEST_F(subject, replaced_binary_not_tagged)
{
	ASSERT_EQ(0, rename(SCANNER, SCANNER_ORIG));
	ASSERT_EQ(0, copy_file(SCANNER_ORIG, SCANNER, 0755));
	EXPECT_EQ(0, run(SCANNER, "open", TMP "/secret", "r", NULL));
	/* The old file still is, under its new name. */
	EXPECT_EQ(EACCES, run(SCANNER_ORIG, "open", TMP "/secret", "r", NULL));
	ASSERT_EQ(0, rename(SCANNER_ORIG, SCANNER));
}

/* Exec of a second subject keeps the lower of the two clearances. */
TEST_F(subject, lower_clearance_kept)
{
	ASSERT_EQ(0, copy_file(PLAIN, TMP "/high", 0755));
	ASSERT_EQ(0, load_policy(LEVELS "default UNCLASSIFIED\nmode enforce\n"
				 "subject " SCANNER " OFFICIAL\n"
				 "subject " TMP "/high TOP-SECRET\n"));
	EXPECT_EQ(0, run(TMP "/high", "open", TMP "/secret", "r", NULL));
	/* OFFICIAL, then TOP-SECRET: stays OFFICIAL. */
	EXPECT_EQ(EACCES, run(SCANNER, "exec", TMP "/high",
			      "open", TMP "/secret", "r", NULL));
	/* TOP-SECRET, then OFFICIAL: lowered to OFFICIAL. */
	EXPECT_EQ(EACCES, run(TMP "/high", "exec", SCANNER,
			      "open", TMP "/secret", "r", NULL));
	EXPECT_EQ(0, run(TMP "/high", "exec", SCANNER,
			 "open", TMP "/official", "r", NULL));
}

/*
 * A task that ran SCANNER (TOP-SECRET, no exception) and then LOW
 * (OFFICIAL, allow=raw-devices) has the lower clearance and only the
 * exceptions both have: none.  A policy reload computes them again from
 * every subject the task ran, not from the last one alone, so the raw
 * device stays refused (issue 17, defect 1).
 */
#define RELOAD_POLICY LEVELS "default UNCLASSIFIED\nmode enforce\n" \
	"subject " SCANNER " TOP-SECRET\n" \
	"subject " TMP "/low OFFICIAL allow=raw-devices\n"

/*
 * A node of brd's /dev/ram0 in TMP: a raw device wherever its node is.
 * (Not /dev/mem: opening it is also a lockdown door, which no allow=
 * opens.)
 */
static int make_raw_node(void)
{
	int i;

	if (!module_is_loaded("brd"))
		load_extra_module("brd", "rd_nr=1 rd_size=1024");
	for (i = 0; i < 50 && !module_is_loaded("brd"); i++)
		usleep(100000);
	return mknod(TMP "/ram0", S_IFBLK | 0600, makedev(1, 0)) ? -errno : 0;
}

/*
 * TMP/ram0, TMP/low (a copy of the probe), RELOAD_POLICY loaded; the
 * controls: untagged, and LOW alone (its exception), open the node.
 */
static void setup_reload(struct __test_metadata *_metadata)
{
	ASSERT_EQ(0, make_raw_node());
	ASSERT_EQ(0, copy_file(PLAIN, TMP "/low", 0755));
	ASSERT_EQ(0, load_policy(RELOAD_POLICY));
	EXPECT_EQ(0, run(PLAIN, "open", TMP "/ram0", "r", NULL));
	EXPECT_EQ(0, run(TMP "/low", "open", TMP "/ram0", "r", NULL));
}

TEST_F(subject, lower_clearance_kept_reload)
{
	struct child c;

	setup_reload(_metadata);
	EXPECT_EQ(EPERM, run(SCANNER, "open", TMP "/ram0", "r", NULL));

	ASSERT_EQ(0, spawn(&c, SCANNER, "exec", TMP "/low",
			   "wait", "--", "open", TMP "/ram0", "r", "--",
			   "wait", "--", "open", TMP "/ram0", "r", "--",
			   "open", TMP "/secret", "r", "--",
			   "open", TMP "/official", "r", NULL));
	/* Before a reload. */
	child_settle(c.pid);
	ASSERT_EQ(0, child_go(&c));
	EXPECT_EQ(EPERM, child_result(&c));
	/* The same policy again: a new generation, computed anew. */
	child_settle(c.pid);
	ASSERT_EQ(0, load_policy(RELOAD_POLICY));
	ASSERT_EQ(0, child_go(&c));
	EXPECT_EQ(EPERM, child_result(&c));
	EXPECT_EQ(EACCES, child_result(&c));	/* still OFFICIAL */
	EXPECT_EQ(0, child_result(&c));
	EXPECT_EQ(0, child_wait(&c));
}

/*
 * The reverse order after a reload: LOW (OFFICIAL, raw-devices), then
 * SCANNER (TOP-SECRET, none): OFFICIAL, and no exception either.
 */
TEST_F(subject, flags_intersected_reload)
{
	struct child c;

	setup_reload(_metadata);
	ASSERT_EQ(0, spawn(&c, TMP "/low", "exec", SCANNER,
			   "open", TMP "/ram0", "r", "--",
			   "wait", "--", "open", TMP "/ram0", "r", "--",
			   "open", TMP "/secret", "r", NULL));
	EXPECT_EQ(EPERM, child_result(&c));
	child_settle(c.pid);
	ASSERT_EQ(0, load_policy(RELOAD_POLICY));
	ASSERT_EQ(0, child_go(&c));
	EXPECT_EQ(EPERM, child_result(&c));
	EXPECT_EQ(EACCES, child_result(&c));
	EXPECT_EQ(EACCES, child_wait(&c));
}

/* A script is a subject too: its interpreter runs fenced. */
TEST_F(subject, script_subject)
{
	ASSERT_EQ(0, write_file(TMP "/scan.sh",
				"#!/bin/sh\nexec " PLAIN " open " TMP "/secret r\n"));
	ASSERT_EQ(0, chmod(TMP "/scan.sh", 0755));
	EXPECT_EQ(0, run(TMP "/scan.sh", NULL));
	ASSERT_EQ(0, load_policy(LEVELS "default UNCLASSIFIED\nmode enforce\n"
				 "subject " TMP "/scan.sh OFFICIAL\n"));
	EXPECT_EQ(EACCES, run(TMP "/scan.sh", NULL));
}

static uint32_t tagged(void)
{
	struct avf_status st;

	return avf_get_status(&st) ? ~0u : st.tagged;
}

/* GET_STATUS counts live tagged tasks; a tag goes with its task. */
TEST_F(subject, tagged_count)
{
	struct child c;
	uint32_t before;
	int i;

	/*
	 * The tags of an earlier test's tasks go with their task_structs,
	 * after an RCU grace period, which a loaded TCG VM can stretch past
	 * the next test's start: let them go first.
	 */
	for (i = 0; i < 200 && tagged(); i++)
		usleep(10000);
	before = tagged();
	ASSERT_EQ(0, spawn(&c, SCANNER, "wait", NULL));
	child_settle(c.pid);
	EXPECT_EQ(before + 1, tagged());
	child_go(&c);
	EXPECT_EQ(0, child_wait(&c));
	/* The tag is freed with the task_struct, possibly after an RCU grace period. */
	for (i = 0; i < 200 && tagged() != before; i++)
		usleep(10000);
	EXPECT_EQ(before, tagged());
}

/* The tagged task's untagged parent is not fenced. */
TEST_F(subject, parent_not_tagged)
{
	int fd;

	EXPECT_EQ(EACCES, run(SCANNER, "open", TMP "/secret", "r", NULL));
	fd = open(TMP "/secret", O_RDONLY);
	EXPECT_LE(0, fd);
	close(fd);
}

TEST_HARNESS_MAIN
