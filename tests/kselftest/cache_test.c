// SPDX-License-Identifier: GPL-2.0
/*
 * avfence label cache tests (issue 15): the effective label of a file is
 * cached per CPU, by the file's own inode; every change that can change
 * it must be seen by the next open, on every CPU.  Each test first opens
 * the file as the scanner on every CPU (so that every CPU holds the
 * answer), then changes something as an untagged administrator, then
 * opens it again on every CPU.  The untagged control opens the same file
 * and succeeds.
 *
 * TMP (tmpfs)
 * ├── pub/             (no label: UNCLASSIFIED)
 * │   ├── f
 * │   └── sub/
 * │       └── g
 * └── sec/             SECRET
 *
 * SCANNER has clearance OFFICIAL.
 */
#include <sched.h>

#include "common.h"

#define PUB TMP "/pub"
#define SEC TMP "/sec"

static const struct tree_entry tree[] = {
	TREE_DIR("pub", NULL),
	TREE_FILE("pub/f", "x\n", NULL),
	TREE_DIR("pub/sub", NULL),
	TREE_FILE("pub/sub/g", "x\n", NULL),
	TREE_DIR("sec", "SECRET"),
	{ NULL },
};

FIXTURE(cache) {
};

FIXTURE_SETUP(cache)
{
	setup_tree(_metadata, tree, "OFFICIAL");
}

FIXTURE_TEARDOWN(cache)
{
	load_no_subject();
	umount2(TMP "/mnt", MNT_DETACH);
	teardown_tree();
}

static int ncpus(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);

	return n > 0 ? (int)n : 1;
}

/*
 * Run the scanner's open of @path on @cpu, twice (the second may be
 * answered from the cache), or with @list its listing of directory @path
 * (open and getdents64): its errno.
 */
static int scan_on(int cpu, const char *path, bool list)
{
	cpu_set_t all, one;
	int err;

	if (sched_getaffinity(0, sizeof(all), &all))
		return SETUP_FAILED;
	CPU_ZERO(&one);
	CPU_SET(cpu, &one);
	if (sched_setaffinity(0, sizeof(one), &one))
		return SETUP_FAILED;
	if (list)
		err = run(SCANNER, "list", path, "--", "list", path, NULL);
	else
		err = run(SCANNER, "open", path, "r", "--", "open", path, "r",
			  NULL);
	sched_setaffinity(0, sizeof(all), &all);
	return err;
}

static void scan_all_how(struct __test_metadata *_metadata,
			 const char *path, bool list, int want)
{
	int cpu;

	for (cpu = 0; cpu < ncpus(); cpu++)
		EXPECT_EQ(want, scan_on(cpu, path, list)) {
			TH_LOG("%s %s on CPU %d", list ? "list" : "open", path,
			       cpu);
		}
	/* Control: an untagged task reads it. */
	if (list) {
		EXPECT_EQ(0, run(PLAIN, "list", path, NULL));
	} else {
		EXPECT_EQ(0, run(PLAIN, "open", path, "r", NULL));
	}
}

/* The scanner's opens of @path on every CPU: @want on each. */
static void scan_all(struct __test_metadata *_metadata, const char *path,
		     int want)
{
	scan_all_how(_metadata, path, false, want);
}

/* The scanner's listings of directory @path on every CPU: @want on each. */
static void list_all(struct __test_metadata *_metadata, const char *path,
		     int want)
{
	scan_all_how(_metadata, path, true, want);
}

/* A file's own label set and removed while every CPU holds its answer. */
TEST_F(cache, own_label_set_and_removed)
{
	scan_all(_metadata, PUB "/f", 0);
	ASSERT_EQ(0, set_label(PUB "/f", "SECRET"));
	scan_all(_metadata, PUB "/f", EACCES);
	ASSERT_EQ(0, set_label(PUB "/f", "UNCLASSIFIED"));
	scan_all(_metadata, PUB "/f", 0);
	ASSERT_EQ(0, set_label(PUB "/f", "TOP-SECRET"));
	scan_all(_metadata, PUB "/f", EACCES);
	ASSERT_EQ(0, removexattr(PUB "/f", "security.avfence"));
	scan_all(_metadata, PUB "/f", 0);
}

/* Pin this process, and so the children it starts, to @cpu (-1: all). */
static int pin(int cpu)
{
	cpu_set_t set;
	int i;

	CPU_ZERO(&set);
	for (i = 0; i < ncpus(); i++)
		if (cpu < 0 || i == cpu)
			CPU_SET(i, &set);
	return sched_setaffinity(0, sizeof(set), &set);
}

/*
 * Start an agent on CPU 0 that opens PUB/f, waits for child_go(), then
 * opens it again (this process is unpinned again before it returns).
 */
static int open_then_wait(struct child *c)
{
	int err = pin(0);

	if (!err)
		err = spawn(c, SCANNER, "open", PUB "/f", "r", "--", "wait",
			    "--", "open", PUB "/f", "r", NULL);
	pin(-1);
	return err;
}

/* The agent itself holds the answer, open in a live process (on CPU 0). */
TEST_F(cache, relabel_while_agent_runs)
{
	struct child c;

	ASSERT_EQ(0, open_then_wait(&c));
	EXPECT_EQ(0, child_result(&c));
	child_settle(c.pid);
	ASSERT_EQ(0, set_label(PUB "/f", "SECRET"));
	ASSERT_EQ(0, child_go(&c));
	EXPECT_EQ(EACCES, child_result(&c));
	child_wait(&c);
	EXPECT_EQ(0, run(PLAIN, "open", PUB "/f", "r", NULL));
}

/* Labelling one name of an inode reaches every hard link of it. */
TEST_F(cache, hardlink_relabelled_by_other_name)
{
	ASSERT_EQ(0, link(PUB "/f", PUB "/sub/link"));
	scan_all(_metadata, PUB "/sub/link", 0);
	ASSERT_EQ(0, set_label(PUB "/f", "SECRET"));
	scan_all(_metadata, PUB "/sub/link", EACCES);
}

/* A directory's label reaches the cached files below it. */
TEST_F(cache, ancestor_labelled)
{
	scan_all(_metadata, PUB "/sub/g", 0);
	ASSERT_EQ(0, set_label(PUB, "SECRET"));
	scan_all(_metadata, PUB "/sub/g", EACCES);
	ASSERT_EQ(0, removexattr(PUB, "security.avfence"));
	scan_all(_metadata, PUB "/sub/g", 0);
}

/* Moving a directory moves the cached files below it under a new label. */
TEST_F(cache, ancestor_renamed)
{
	scan_all(_metadata, PUB "/sub/g", 0);
	ASSERT_EQ(0, rename(PUB "/sub", SEC "/sub"));
	scan_all(_metadata, SEC "/sub/g", EACCES);
	ASSERT_EQ(0, rename(SEC "/sub", PUB "/sub"));
	scan_all(_metadata, PUB "/sub/g", 0);
}

/*
 * A directory a scanner lists (opendir, getdents) has a cached answer too:
 * its own label, an ancestor's and a move must each reach the next
 * listing on every CPU.
 */
TEST_F(cache, directory_listed_then_labelled)
{
	list_all(_metadata, PUB "/sub", 0);
	ASSERT_EQ(0, set_label(PUB "/sub", "SECRET"));
	list_all(_metadata, PUB "/sub", EACCES);
	ASSERT_EQ(0, removexattr(PUB "/sub", "security.avfence"));
	list_all(_metadata, PUB "/sub", 0);
	ASSERT_EQ(0, set_label(PUB, "TOP-SECRET"));
	list_all(_metadata, PUB "/sub", EACCES);
	ASSERT_EQ(0, removexattr(PUB, "security.avfence"));
	list_all(_metadata, PUB "/sub", 0);
	ASSERT_EQ(0, rename(PUB "/sub", SEC "/sub"));
	list_all(_metadata, SEC "/sub", EACCES);
	ASSERT_EQ(0, rename(SEC "/sub", PUB "/sub"));
	list_all(_metadata, PUB "/sub", 0);
}

/* A directory the agent holds open: its next getdents sees the label. */
TEST_F(cache, held_directory_labelled)
{
	struct child c;

	ASSERT_EQ(0, pin(0));
	ASSERT_EQ(0, spawn(&c, SCANNER, "hold", PUB "/sub", "--", "list9",
			   "--", "list9", "--", "wait", "--", "list9", NULL));
	pin(-1);
	EXPECT_EQ(0, child_result(&c));
	EXPECT_EQ(0, child_result(&c));
	child_settle(c.pid);
	ASSERT_EQ(0, set_label(PUB "/sub", "SECRET"));
	ASSERT_EQ(0, child_go(&c));
	EXPECT_EQ(EACCES, child_result(&c));
	child_wait(&c);
	EXPECT_EQ(0, run(PLAIN, "list", PUB "/sub", NULL));
}

/* The file itself moved into a classified directory. */
TEST_F(cache, file_renamed)
{
	scan_all(_metadata, PUB "/f", 0);
	ASSERT_EQ(0, rename(PUB "/f", SEC "/f"));
	scan_all(_metadata, SEC "/f", EACCES);
}

/*
 * A name unlinked and created again: a new inode (which may reuse the
 * freed one's memory) must not inherit the old one's cached answer.
 */
TEST_F(cache, unlinked_and_recreated)
{
	int i;

	for (i = 0; i < 20; i++) {
		ASSERT_EQ(0, write_file(PUB "/r", "x\n"));
		ASSERT_EQ(0, set_label(PUB "/r", "SECRET"));
		scan_all(_metadata, PUB "/r", EACCES);
		ASSERT_EQ(0, unlink(PUB "/r"));
		ASSERT_EQ(0, write_file(PUB "/r", "x\n"));
		scan_all(_metadata, PUB "/r", 0);
		ASSERT_EQ(0, unlink(PUB "/r"));
	}
	/* Replaced by a rename of a classified file over it. */
	ASSERT_EQ(0, write_file(PUB "/r", "x\n"));
	scan_all(_metadata, PUB "/r", 0);
	ASSERT_EQ(0, write_file(PUB "/s", "x\n"));
	ASSERT_EQ(0, set_label(PUB "/s", "SECRET"));
	ASSERT_EQ(0, rename(PUB "/s", PUB "/r"));
	scan_all(_metadata, PUB "/r", EACCES);
}

/* A policy "label" line, loaded and dropped, while files are cached. */
TEST_F(cache, policy_label_line)
{
	scan_all(_metadata, PUB "/sub/g", 0);
	scan_all(_metadata, PUB "/f", 0);
	ASSERT_EQ(0, load_policy(LEVELS "default UNCLASSIFIED\nmode enforce\n"
				 "subject " SCANNER " OFFICIAL\n"
				 "label " PUB "/sub SECRET\n"
				 "label " PUB "/f SECRET\n"));
	scan_all(_metadata, PUB "/sub/g", EACCES);
	scan_all(_metadata, PUB "/f", EACCES);
	ASSERT_EQ(0, load_scanner("enforce", "OFFICIAL"));
	scan_all(_metadata, PUB "/sub/g", 0);
	scan_all(_metadata, PUB "/f", 0);
}

/*
 * A policy whose ladder names the levels in another order: the label a
 * CPU holds for the file stands for another level now.  The entry keeps
 * the level it computed with the generation of its policy, and a load
 * drops the entries too (label.c).  A running agent that opened the file
 * before the load opens it again.
 */
TEST_F(cache, levels_reordered)
{
	struct child c;

	ASSERT_EQ(0, set_label(PUB "/f", "OFFICIAL"));
	scan_all(_metadata, PUB "/f", 0);
	ASSERT_EQ(0, open_then_wait(&c));
	EXPECT_EQ(0, child_result(&c));
	child_settle(c.pid);
	ASSERT_EQ(0, load_policy("levels UNCLASSIFIED SECRET OFFICIAL TOP-SECRET\n"
				 "default UNCLASSIFIED\nmode enforce\n"
				 "subject " SCANNER " %s\n",
				 with_test_write("SECRET")));
	ASSERT_EQ(0, child_go(&c));
	EXPECT_EQ(EACCES, child_result(&c));
	child_wait(&c);
	scan_all(_metadata, PUB "/f", EACCES);
	ASSERT_EQ(0, load_scanner("enforce", "OFFICIAL"));
	scan_all(_metadata, PUB "/f", 0);
}

/* A filesystem unmounted and another mounted in its place. */
TEST_F(cache, remounted)
{
	ASSERT_EQ(0, mkdirs(TMP "/mnt"));
	ASSERT_EQ(0, mount_tmpfs(TMP "/mnt"));
	ASSERT_EQ(0, write_file(TMP "/mnt/h", "x\n"));
	scan_all(_metadata, TMP "/mnt/h", 0);
	ASSERT_EQ(0, umount2(TMP "/mnt", 0));
	ASSERT_EQ(0, mount_tmpfs(TMP "/mnt"));
	ASSERT_EQ(0, set_label(TMP "/mnt", "SECRET"));
	ASSERT_EQ(0, write_file(TMP "/mnt/h", "x\n"));
	scan_all(_metadata, TMP "/mnt/h", EACCES);
	ASSERT_EQ(0, umount2(TMP "/mnt", 0));
	ASSERT_EQ(0, mount_tmpfs(TMP "/mnt"));
	ASSERT_EQ(0, write_file(TMP "/mnt/h", "x\n"));
	scan_all(_metadata, TMP "/mnt/h", 0);
}

/* Labels set on other files leave this one's answer right. */
TEST_F(cache, other_files_labelled)
{
	char path[64];
	int i;

	scan_all(_metadata, PUB "/f", 0);
	for (i = 0; i < 64; i++) {
		snprintf(path, sizeof(path), PUB "/o%d", i);
		ASSERT_EQ(0, write_file(path, "x\n"));
		ASSERT_EQ(0, set_label(path, "SECRET"));
	}
	scan_all(_metadata, PUB "/f", 0);
	scan_all(_metadata, PUB "/o7", EACCES);
	ASSERT_EQ(0, set_label(PUB "/f", "SECRET"));
	scan_all(_metadata, PUB "/f", EACCES);
}

/*
 * The fast path answers only from the label cache, which holds no
 * kernel file: /proc/kcore stays a raw device even for a scanner cleared
 * for everything, however often it reads files.
 */
TEST_F(cache, kcore_cleared_for_all)
{
	if (access("/proc/kcore", F_OK))
		SKIP(return, "no /proc/kcore in this kernel (CONFIG_PROC_KCORE)");
	ASSERT_EQ(0, load_scanner("enforce", "TOP-SECRET"));
	scan_all(_metadata, PUB "/f", 0);
	EXPECT_EQ(EPERM, run(SCANNER, "open", PUB "/f", "r", "--",
			     "open", "/proc/kcore", "r", NULL));
	EXPECT_EQ(0, run(PLAIN, "open", "/proc/kcore", "r", NULL));
}

TEST_HARNESS_MAIN
