// SPDX-License-Identifier: GPL-2.0
/*
 * The kernel log line of a refusal.  Names a task controls (file names,
 * its comm) are escaped so that they cannot end the line or forge a line
 * of their own, and pid= is the process (thread group) id, as in audit
 * records, events and `avfencectl ps`; tid= is the thread.
 *
 * /dev/kmsg shows a newline inside a record as \x0a and a backslash as
 * \x5c: an escaped newline in the text reads \x5cn there.
 *
 * TMP (tmpfs)
 * ├── secret                      SECRET
 * ├── "in\navfence: forged line"  SECRET
 * └── "c\nx"                      copy of the probe (comm "c\nx")
 */
#include "doors.h"

#define INJECTED_NAME	"in\navfence: forged line"
#define INJECTED	TMP "/" INJECTED_NAME
#define NL_COMM_NAME	"c\nx"
#define NL_COMM		TMP "/" NL_COMM_NAME

static const struct tree_entry tree[] = {
	TREE_FILE("secret", "secret\n", "SECRET"),
	TREE_FILE(INJECTED_NAME, "secret\n", "SECRET"),
	TREE_COPY(NL_COMM_NAME, PLAIN, NULL),
	{ NULL }
};

FIXTURE(log) {
	struct kmark mark;
};

FIXTURE_SETUP(log)
{
	setup_tree(_metadata, tree, "OFFICIAL");
	kmsg_mark(&self->mark);
}

FIXTURE_TEARDOWN(log)
{
	teardown_tree();
}

struct find {
	const char *mark;
	const char *needle;
	int after;
	char line[1024];
};

static int find_one(void *arg, unsigned long long ts, const char *msg)
{
	struct find *f = arg;

	if (!f->after) {
		f->after = !strcmp(msg, f->mark);
		return 0;
	}
	if (strncmp(msg, "avfence: ", 9) || !strstr(msg, f->needle))
		return 0;
	snprintf(f->line, sizeof(f->line), "%s", msg);
	return 1;
}

/* The first avfence line after the mark that holds @needle, or "". */
static const char *logged(const struct kmark *m, const char *needle)
{
	static struct find f;

	memset(&f, 0, sizeof(f));
	f.mark = m->text;
	f.needle = needle;
	kmsg_each(find_one, &f);
	return f.line;
}

TEST_F(log, newline_in_file_name_escaped)
{
	const char *line;

	EXPECT_EQ(EACCES, run(SCANNER, "open", INJECTED, "r", NULL));
	line = logged(&self->mark, "forged line");
	TH_LOG("%s", line);
	ASSERT_NE(0, line[0]);
	/* One record, with the newline as the two characters \ and n. */
	EXPECT_EQ(NULL, strstr(line, "\\x0a"));
	EXPECT_NE(NULL, strstr(line, " path=\"" TMP "/in\\x5cnavfence: forged line\""));
	EXPECT_NE(NULL, strstr(line, "avfence: denied open pid="));
}

TEST_F(log, newline_in_comm_escaped)
{
	const char *line;

	EXPECT_EQ(EACCES, run(SCANNER, "exec", NL_COMM, "open", TMP "/secret",
			      "r", NULL));
	line = logged(&self->mark, "comm=\"c");
	TH_LOG("%s", line);
	ASSERT_NE(0, line[0]);
	EXPECT_EQ(NULL, strstr(line, "\\x0a"));
	EXPECT_NE(NULL, strstr(line, " comm=\"c\\x5cnx\" "));
	/* A plain name stays plain. */
	EXPECT_NE(NULL, strstr(line, " path=" TMP "/secret"));
}

/* pid= is the process, tid= the thread that was refused. */
TEST_F(log, pid_is_the_process)
{
	char want[64];
	const char *line;
	struct child c;
	int tid;

	ASSERT_EQ(0, spawn(&c, SCANNER, "wait", "--", "thread", TMP "/secret",
			   "r", NULL));
	child_settle(c.pid);
	child_go(&c);
	EXPECT_EQ(EACCES, child_result(&c));
	EXPECT_EQ(EACCES, child_wait(&c));
	snprintf(want, sizeof(want), " pid=%d tid=", c.pid);
	line = logged(&self->mark, want);
	TH_LOG("%s", line);
	ASSERT_NE(0, line[0]);
	ASSERT_EQ(1, sscanf(strstr(line, " tid=") + 5, "%d", &tid));
	EXPECT_NE(c.pid, tid);
}

TEST_HARNESS_MAIN
