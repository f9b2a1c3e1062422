// SPDX-License-Identifier: GPL-2.0
/*
 * avfence side doors, moving data down: a fenced agent that cannot read a
 * SECRET file links or renames it (or its directory) to a place classified
 * lower, then reads it there.  Link and rename that would lower the
 * effective label fail with EACCES; a file with its own label keeps it
 * wherever it goes, so moving it is allowed and changes nothing.
 *
 * TMP (tmpfs)
 * ├── dir_secret/          SECRET
 * │   ├── inner            (inherits SECRET), holds CANARY
 * │   ├── labelled         SECRET (own label), holds CANARY
 * │   └── sub/             (inherits SECRET)
 * │       └── f            holds CANARY
 * ├── dir_secret2/         SECRET
 * └── dir_public/          UNCLASSIFIED
 *     ├── pub              "public"
 *     └── pubdir/
 *
 * AGENT_BIN has clearance OFFICIAL.  Variant "tagged" is the attack,
 * "untagged" the control (the same calls succeed).
 */
#include <linux/fs.h>

#include "doors.h"

#define SEC TMP "/dir_secret"
#define SEC2 TMP "/dir_secret2"
#define PUB TMP "/dir_public"

/*
 * move OP SRC DST [READ]: OP is link, linkat_empty (O_PATH fd of SRC and
 * AT_EMPTY_PATH), rename or exchange (RENAME_EXCHANGE); then read READ
 * (default DST).
 */
AGENT(move)
{
	const char *op = argv[1], *src = argv[2], *dst = argv[3];
	const char *rd = argc > 4 ? argv[4] : dst;
	long ret = -1;

	if (!strcmp(op, "link")) {
		ret = link(src, dst);
	} else if (!strcmp(op, "linkat_empty")) {
		int fd = open(src, O_PATH | O_CLOEXEC);

		ret = fd < 0 ? -1 : linkat(fd, "", AT_FDCWD, dst, AT_EMPTY_PATH);
	} else if (!strcmp(op, "rename")) {
		ret = rename(src, dst);
	} else if (!strcmp(op, "exchange")) {
		ret = syscall(SYS_renameat2, AT_FDCWD, src, AT_FDCWD, dst,
			      RENAME_EXCHANGE);
	} else {
		return SETUP_FAILED;
	}
	result("op", ret);
	open_read_emit("read", rd);
	return 0;
}

FIXTURE(move) {
};

FIXTURE_VARIANT(move) {
	int tagged;
};

FIXTURE_VARIANT_ADD(move, tagged) { .tagged = 1 };
FIXTURE_VARIANT_ADD(move, untagged) { .tagged = 0 };

FIXTURE_SETUP(move)
{
	ASSERT_EQ(0, mount_tmpfs(TMP));
	ASSERT_EQ(0, mkdirs(SEC "/sub"));
	ASSERT_EQ(0, mkdirs(SEC2));
	ASSERT_EQ(0, mkdirs(PUB "/pubdir"));
	ASSERT_EQ(0, set_label(SEC, "SECRET"));
	ASSERT_EQ(0, set_label(SEC2, "SECRET"));
	ASSERT_EQ(0, set_label(PUB, "UNCLASSIFIED"));
	ASSERT_EQ(0, make_secret(SEC "/inner", NULL));
	ASSERT_EQ(0, make_secret(SEC "/labelled", "SECRET"));
	ASSERT_EQ(0, make_secret(SEC "/sub/f", NULL));
	ASSERT_EQ(0, write_file(PUB "/pub", "public\n"));
	ASSERT_EQ(0, agent_policy("OFFICIAL", NULL));
}

FIXTURE_TEARDOWN(move)
{
	teardown_tree();
}

/*
 * Run the move agent; in the tagged variant expect @err (and a denial
 * counted and logged on @route if @err), in the untagged one success.
 * The secret must not reach the tagged agent either way.
 */
static int do_move(struct __test_metadata *_metadata, int tagged,
		   const char *op, const char *src, const char *dst,
		   const char *rd, int err, int route)
{
	struct agent a;
	struct watch w;

	watch_start(&w);
	ASSERT_EQ(0, agent_run(&a, tagged, "move", op, src, dst, rd));
	if (tagged) {
		EXPECT_VAL(err, &a, "op");
		EXPECT_NO_SECRET(&a);
		if (err)
			EXPECT_EQ(0, watch_denied(&w, route));
	} else {
		EXPECT_VAL(0, &a, "op");
		EXPECT_SECRET(&a);
	}
	return 0;
}

#define MOVE(op, src, dst, rd, err, route)				\
	do_move(_metadata, variant->tagged, op, src, dst, rd, err, route)

TEST_F(move, link_inherited_to_public)
{
	MOVE("link", SEC "/inner", PUB "/inner", NULL, EACCES, AVFENCE_ROUTE_LINK);
	if (variant->tagged)
		EXPECT_NE(0, access(PUB "/inner", F_OK));
}

struct link_line {
	const char *mark;
	int after;
	char line[1024];
};

static int find_link_line(void *arg, unsigned long long ts, const char *msg)
{
	struct link_line *l = arg;

	if (!l->after) {
		l->after = !strcmp(msg, l->mark);
		return 0;
	}
	if (strncmp(msg, "avfence: denied link ", 21))
		return 0;
	snprintf(l->line, sizeof(l->line), "%s", msg);
	return 1;
}

/* The log names the file by its full path, not within its filesystem. */
TEST_F(move, link_logged_with_full_path)
{
	static struct link_line l;
	struct agent a;
	struct watch w;

	if (!variant->tagged)
		SKIP(return, "only a refusal is logged");
	watch_start(&w);
	ASSERT_EQ(0, agent_run(&a, 1, "move", "link", SEC "/inner",
			       PUB "/inner", NULL));
	EXPECT_VAL(EACCES, &a, "op");
	memset(&l, 0, sizeof(l));
	l.mark = w.mark.text;
	kmsg_each(find_link_line, &l);
	TH_LOG("%s", l.line);
	EXPECT_NE(NULL, strstr(l.line, " path=" SEC "/inner"));
}

TEST_F(move, linkat_empty_path_to_public)
{
	MOVE("linkat_empty", SEC "/inner", PUB "/inner", NULL, EACCES,
	     AVFENCE_ROUTE_LINK);
}

TEST_F(move, link_via_proc_fd_to_public)
{
	/* linkat(AT_SYMLINK_FOLLOW) of /proc/self/fd/N, N an O_PATH fd. */
	struct agent a;
	struct watch w;

	watch_start(&w);
	ASSERT_EQ(0, agent_run(&a, variant->tagged, "procfd_link", SEC "/inner",
			       PUB "/inner"));
	if (variant->tagged) {
		EXPECT_VAL(EACCES, &a, "op");
		EXPECT_NO_SECRET(&a);
		EXPECT_EQ(0, watch_denied(&w, AVFENCE_ROUTE_LINK));
	} else {
		EXPECT_VAL(0, &a, "op");
		EXPECT_SECRET(&a);
	}
}

TEST_F(move, rename_inherited_to_public)
{
	MOVE("rename", SEC "/inner", PUB "/inner", NULL, EACCES,
	     AVFENCE_ROUTE_RENAME);
	if (variant->tagged)
		EXPECT_EQ(0, access(SEC "/inner", F_OK));
}

TEST_F(move, rename_dir_to_public)
{
	MOVE("rename", SEC "/sub", PUB "/sub", PUB "/sub/f", EACCES,
	     AVFENCE_ROUTE_RENAME);
}

TEST_F(move, rename_over_public_file)
{
	MOVE("rename", SEC "/inner", PUB "/pub", NULL, EACCES,
	     AVFENCE_ROUTE_RENAME);
}

TEST_F(move, exchange_file_with_public)
{
	MOVE("exchange", SEC "/inner", PUB "/pub", PUB "/pub", EACCES,
	     AVFENCE_ROUTE_RENAME);
}

TEST_F(move, exchange_dir_with_public)
{
	MOVE("exchange", SEC "/sub", PUB "/pubdir", PUB "/pubdir/f", EACCES,
	     AVFENCE_ROUTE_RENAME);
}

/* Allowed moves: the label goes with the file, nothing is lowered. */

static void allowed_move(struct __test_metadata *_metadata, int tagged,
			 const char *op, const char *src, const char *dst)
{
	struct agent a;

	ASSERT_EQ(0, agent_run(&a, tagged, "move", op, src, dst));
	EXPECT_VAL(0, &a, "op");
	if (tagged) {
		/* Moved, still SECRET at its new place. */
		EXPECT_VAL(EACCES, &a, "read");
		EXPECT_NO_SECRET(&a);
	} else {
		EXPECT_SECRET(&a);
	}
}

TEST_F(move, rename_own_label_allowed)
{
	allowed_move(_metadata, variant->tagged, "rename", SEC "/labelled",
		     PUB "/labelled");
}

TEST_F(move, link_own_label_allowed)
{
	allowed_move(_metadata, variant->tagged, "link", SEC "/labelled",
		     PUB "/labelled");
}

TEST_F(move, rename_same_level_allowed)
{
	allowed_move(_metadata, variant->tagged, "rename", SEC "/inner",
		     SEC2 "/inner");
}

/* Moving up is allowed: the public file becomes SECRET where it lands. */
TEST_F(move, rename_up_allowed)
{
	struct agent a;

	ASSERT_EQ(0, agent_run(&a, variant->tagged, "move", "rename", PUB "/pub",
			       SEC "/pub"));
	EXPECT_VAL(0, &a, "op");
	EXPECT_VAL(variant->tagged ? EACCES : 0, &a, "read");
}

/* procfd_link SRC DST: O_PATH fd of SRC, linkat of /proc/self/fd/N. */
AGENT(procfd_link)
{
	char proc[64];
	int fd = open(argv[1], O_PATH | O_CLOEXEC);

	if (fd < 0)
		return SETUP_FAILED;
	snprintf(proc, sizeof(proc), "/proc/self/fd/%d", fd);
	result("op", linkat(AT_FDCWD, proc, AT_FDCWD, argv[2], AT_SYMLINK_FOLLOW));
	open_read_emit("read", argv[2]);
	return 0;
}

TEST_HARNESS_MAIN
