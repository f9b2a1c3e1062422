// SPDX-License-Identifier: GPL-2.0
/*
 * avfence policy tests: loading, replacing and refusing policies, and what
 * a reload does to tasks already fenced.
 *
 * TMP (tmpfs)
 * ├── public        UNCLASSIFIED
 * ├── official      OFFICIAL
 * ├── secret        SECRET
 * ├── top_secret    TOP-SECRET
 * └── av/           binaries named by the resolve tests' policies
 */
#include "common.h"

static const struct tree_entry tree[] = {
	TREE_FILE("public", "public\n", "UNCLASSIFIED"),
	TREE_FILE("official", "official\n", "OFFICIAL"),
	TREE_FILE("secret", "secret\n", "SECRET"),
	TREE_FILE("top_secret", "top secret\n", "TOP-SECRET"),
	{ NULL }
};

FIXTURE(policy) {
};

FIXTURE_SETUP(policy)
{
	setup_tree(_metadata, tree, "OFFICIAL");
}

FIXTURE_TEARDOWN(policy)
{
	teardown_tree();
}

TEST_F(policy, generation_bumps)
{
	uint64_t g = generation();

	ASSERT_NE(~0ull, g);
	ASSERT_EQ(0, load_scanner("enforce", "SECRET"));
	EXPECT_EQ(g + 1, generation());
	ASSERT_EQ(0, load_scanner("enforce", "SECRET"));
	EXPECT_EQ(g + 2, generation());
}

/* A subject already running when the policy arrives is fenced. */
TEST_F(policy, retroactive_tagging)
{
	struct child c;

	ASSERT_EQ(0, load_no_subject());
	ASSERT_EQ(0, spawn(&c, SCANNER, "open", TMP "/secret", "r", "--", "wait",
			   "--", "open", TMP "/secret", "r", "--", "fork", "--",
			   "open", TMP "/secret", "r", NULL));
	EXPECT_EQ(0, child_result(&c));
	child_settle(c.pid);
	ASSERT_EQ(0, load_scanner("enforce", "OFFICIAL"));
	child_go(&c);
	EXPECT_EQ(EACCES, child_result(&c));
	/* Its children are fenced too. */
	EXPECT_EQ(EACCES, child_result(&c));
	EXPECT_EQ(EACCES, child_wait(&c));
}

/* A reload changes the clearance of running tagged tasks at once. */
TEST_F(policy, reload_raises_clearance)
{
	struct child c;

	ASSERT_EQ(0, spawn(&c, SCANNER, "open", TMP "/secret", "r", "--", "wait",
			   "--", "open", TMP "/secret", "r", NULL));
	EXPECT_EQ(EACCES, child_result(&c));
	child_settle(c.pid);
	ASSERT_EQ(0, load_scanner("enforce", "TOP-SECRET"));
	child_go(&c);
	EXPECT_EQ(0, child_result(&c));
	EXPECT_EQ(0, child_wait(&c));
}

TEST_F(policy, reload_lowers_clearance)
{
	struct child c;

	ASSERT_EQ(0, load_scanner("enforce", "TOP-SECRET"));
	ASSERT_EQ(0, spawn(&c, SCANNER, "open", TMP "/secret", "r", "--", "wait",
			   "--", "open", TMP "/secret", "r", "--",
			   "open", TMP "/public", "r", NULL));
	EXPECT_EQ(0, child_result(&c));
	child_settle(c.pid);
	ASSERT_EQ(0, load_scanner("enforce", "UNCLASSIFIED"));
	child_go(&c);
	EXPECT_EQ(EACCES, child_result(&c));
	EXPECT_EQ(0, child_result(&c));
	child_wait(&c);
}

/* Dropped from the policy: keeps the clearance of the same level name. */
TEST_F(policy, dropped_subject_keeps_level_name)
{
	struct child c;

	ASSERT_EQ(0, spawn(&c, SCANNER, "wait", "--", "open", TMP "/official", "r",
			   "--", "open", TMP "/secret", "r", NULL));
	child_settle(c.pid);
	ASSERT_EQ(0, load_no_subject());
	child_go(&c);
	EXPECT_EQ(0, child_result(&c));
	EXPECT_EQ(EACCES, child_result(&c));
	child_wait(&c);
	/* New runs are not fenced. */
	EXPECT_EQ(0, run(SCANNER, "open", TMP "/secret", "r", NULL));
}

/* Dropped, and its level gone: the lowest level (fail closed). */
TEST_F(policy, dropped_subject_level_gone_lowest)
{
	struct child c;

	ASSERT_EQ(0, spawn(&c, SCANNER, "wait", "--", "open", TMP "/public", "r",
			   "--", "open", TMP "/secret", "r", "--",
			   "open", TMP "/official", "r", NULL));
	child_settle(c.pid);
	ASSERT_EQ(0, load_policy("levels UNCLASSIFIED SECRET TOP-SECRET\n"
				 "default UNCLASSIFIED\nmode enforce\n"));
	child_go(&c);
	EXPECT_EQ(0, child_result(&c));
	EXPECT_EQ(EACCES, child_result(&c));
	/* OFFICIAL is now an unknown label: the highest level. */
	EXPECT_EQ(EACCES, child_result(&c));
	child_wait(&c);
}

/* Audit mode lets the open through and counts it. */
TEST_F(policy, audit_mode_allows_and_counts)
{
	struct avf_status before, after;

	ASSERT_EQ(0, load_scanner("audit", "OFFICIAL"));
	ASSERT_EQ(0, avf_get_status(&before));
	EXPECT_EQ(AVFENCE_MODE_AUDIT, before.mode);
	EXPECT_EQ(0, run(SCANNER, "open", TMP "/secret", "r", NULL));
	EXPECT_EQ(0, run(SCANNER, "open", TMP "/public", "r", NULL));
	ASSERT_EQ(0, avf_get_status(&after));
	EXPECT_EQ(before.audited + 1, after.audited);
	EXPECT_EQ(before.denied, after.denied);
}

/* SET_MODE switches between audit and enforce without a reload. */
TEST_F(policy, set_mode)
{
	struct avf_status before, after;
	uint64_t g = generation();

	ASSERT_EQ(0, avfencectl("mode", "audit", NULL));
	EXPECT_EQ(0, run(SCANNER, "open", TMP "/secret", "r", NULL));
	ASSERT_EQ(0, avf_set_mode(AVFENCE_MODE_ENFORCE));
	ASSERT_EQ(0, avf_get_status(&before));
	EXPECT_EQ(EACCES, run(SCANNER, "open", TMP "/secret", "r", NULL));
	ASSERT_EQ(0, avf_get_status(&after));
	EXPECT_EQ(before.denied + 1, after.denied);
	EXPECT_EQ(before.audited, after.audited);
	EXPECT_EQ(g, after.generation) {
		TH_LOG("a mode change is not a new policy");
	}
}

/* Bad policies sent straight to the kernel: refused, old policy kept. */
static const char *const good_levels[] = { "UNCLASSIFIED", "OFFICIAL", "SECRET",
					   "TOP-SECRET", NULL };
static const char *const dup_levels[] = { "A", "B", "A", NULL };
static const char *const bad_name_levels[] = { "A", "has space", NULL };
static const char *const no_levels[] = { NULL };
static const char *const many_levels[] = {
	"L0", "L1", "L2", "L3", "L4", "L5", "L6", "L7", "L8", "L9", "L10",
	"L11", "L12", "L13", "L14", "L15", "L16", "L17", "L18", "L19", "L20",
	"L21", "L22", "L23", "L24", "L25", "L26", "L27", "L28", "L29", "L30",
	"L31", "L32", NULL };
static const char *const scanner_path[] = { SCANNER, NULL };
static const char *const missing_path[] = { "/opt/av/bin/no-such-file", NULL };
static const char *const dir_path[] = { "/opt/av/bin", NULL };
static const char *const relative_path[] = { "opt/av/bin/scanner", NULL };
static const char *const twice_path[] = { SCANNER, SCANNER, NULL };
static const char *const official[] = { "OFFICIAL", NULL };
static const char *const official2[] = { "OFFICIAL", "OFFICIAL", NULL };
static const char *const unknown_clearance[] = { "COSMIC", NULL };
static const char *const no_clearance[] = { NULL };

FIXTURE(bad_policy) {
};

FIXTURE_VARIANT(bad_policy) {
	struct avf_policy_desc desc;
	int err;
	int alt_err;	/* also accepted (0: none) */
};

#define GOOD .mode = AVFENCE_MODE_ENFORCE, .levels = good_levels, \
	     .default_level = "UNCLASSIFIED"

FIXTURE_VARIANT_ADD(bad_policy, missing_mode) {
	.desc = { .levels = good_levels, .default_level = "UNCLASSIFIED" },
	.err = EINVAL,
};
FIXTURE_VARIANT_ADD(bad_policy, mode_out_of_range) {
	.desc = { .mode = 99, .levels = good_levels, .default_level = "UNCLASSIFIED" },
	.err = EINVAL, .alt_err = ERANGE,
};
FIXTURE_VARIANT_ADD(bad_policy, missing_levels) {
	.desc = { .mode = AVFENCE_MODE_ENFORCE, .default_level = "UNCLASSIFIED" },
	.err = EINVAL,
};
FIXTURE_VARIANT_ADD(bad_policy, empty_levels) {
	.desc = { .mode = AVFENCE_MODE_ENFORCE, .levels = no_levels,
		  .default_level = "UNCLASSIFIED" },
	.err = EINVAL,
};
FIXTURE_VARIANT_ADD(bad_policy, duplicate_level) {
	.desc = { .mode = AVFENCE_MODE_ENFORCE, .levels = dup_levels,
		  .default_level = "A" },
	.err = EINVAL,
};
FIXTURE_VARIANT_ADD(bad_policy, bad_level_name) {
	.desc = { .mode = AVFENCE_MODE_ENFORCE, .levels = bad_name_levels,
		  .default_level = "A" },
	.err = EINVAL,
};
FIXTURE_VARIANT_ADD(bad_policy, too_many_levels) {
	.desc = { .mode = AVFENCE_MODE_ENFORCE, .levels = many_levels,
		  .default_level = "L0" },
	.err = E2BIG,
};
FIXTURE_VARIANT_ADD(bad_policy, missing_default) {
	.desc = { .mode = AVFENCE_MODE_ENFORCE, .levels = good_levels },
	.err = EINVAL,
};
FIXTURE_VARIANT_ADD(bad_policy, unknown_default) {
	.desc = { .mode = AVFENCE_MODE_ENFORCE, .levels = good_levels,
		  .default_level = "COSMIC" },
	.err = EINVAL,
};
FIXTURE_VARIANT_ADD(bad_policy, subject_missing_file) {
	.desc = { GOOD, .subject_paths = missing_path, .subject_clearances = official },
	.err = ENOENT,
};
FIXTURE_VARIANT_ADD(bad_policy, subject_is_directory) {
	.desc = { GOOD, .subject_paths = dir_path, .subject_clearances = official },
	.err = EINVAL,
};
FIXTURE_VARIANT_ADD(bad_policy, subject_relative_path) {
	.desc = { GOOD, .subject_paths = relative_path, .subject_clearances = official },
	.err = EINVAL,
};
FIXTURE_VARIANT_ADD(bad_policy, subject_unknown_clearance) {
	.desc = { GOOD, .subject_paths = scanner_path,
		  .subject_clearances = unknown_clearance },
	.err = EINVAL,
};
FIXTURE_VARIANT_ADD(bad_policy, subject_without_clearance) {
	.desc = { GOOD, .subject_paths = scanner_path,
		  .subject_clearances = no_clearance },
	.err = EINVAL,
};
FIXTURE_VARIANT_ADD(bad_policy, subject_twice) {
	.desc = { GOOD, .subject_paths = twice_path, .subject_clearances = official2 },
	.err = EINVAL,
};

FIXTURE_SETUP(bad_policy)
{
	ASSERT_EQ(0, build_tree(TMP, tree));
	/* The policy in force: SCANNER at OFFICIAL, enforce. */
	ASSERT_EQ(0, load_scanner("enforce", "OFFICIAL"));
}

FIXTURE_TEARDOWN(bad_policy)
{
	teardown_tree();
}

TEST_F(bad_policy, refused_old_kept)
{
	struct avf_status before, after;
	int err;

	ASSERT_EQ(0, avf_get_status(&before));
	err = -avf_load(&variant->desc);
	if (variant->alt_err && err == variant->alt_err)
		TH_LOG("got %s, the uapi header documents EINVAL", strerror(err));
	else
		EXPECT_EQ(variant->err, err) {
			TH_LOG("expected %s, got %s", strerror(variant->err),
			       strerror(err));
		}
	ASSERT_EQ(0, avf_get_status(&after));
	EXPECT_EQ(before.generation, after.generation);
	EXPECT_EQ(before.subject_count, after.subject_count);
	EXPECT_EQ(AVFENCE_MODE_ENFORCE, after.mode);
	EXPECT_EQ(EACCES, run(SCANNER, "open", TMP "/secret", "r", NULL));
	EXPECT_EQ(0, run(SCANNER, "open", TMP "/official", "r", NULL));
}

/* avfencectl refuses bad files before anything reaches the kernel. */
FIXTURE(bad_file) {
};

FIXTURE_VARIANT(bad_file) {
	const char *text;
};

FIXTURE_VARIANT_ADD(bad_file, syntax_error) {
	.text = LEVELS "default UNCLASSIFIED\nmode enforce\nbogus keyword\n",
};
FIXTURE_VARIANT_ADD(bad_file, unknown_clearance) {
	.text = LEVELS "default UNCLASSIFIED\nmode enforce\n"
		"subject " SCANNER " COSMIC\n",
};
FIXTURE_VARIANT_ADD(bad_file, missing_subject_file) {
	.text = LEVELS "default UNCLASSIFIED\nmode enforce\n"
		"subject /opt/av/bin/no-such-file OFFICIAL\n",
};
FIXTURE_VARIANT_ADD(bad_file, missing_mode) {
	.text = LEVELS "default UNCLASSIFIED\n",
};

FIXTURE_SETUP(bad_file)
{
	setup_tree(_metadata, tree, "OFFICIAL");
}

FIXTURE_TEARDOWN(bad_file)
{
	teardown_tree();
}

TEST_F(bad_file, refused_old_kept)
{
	uint64_t g = generation();

	EXPECT_EQ(1, load_policy("%s", variant->text));
	EXPECT_EQ(g, generation());
	EXPECT_EQ(EACCES, run(SCANNER, "open", TMP "/secret", "r", NULL));
}

/*
 * How the kernel resolves subject paths: every form of path a full path
 * walk accepts names the binary it leads to (the kernel walks the
 * directory once for subjects sharing it, and must not shortcut a
 * symlink, a mount or a dot), and every form it refuses is refused.
 *
 * TMP/av: a, b (copies of SCANNER), link -> a, dangling -> nowhere,
 * dirlink -> ".", and TMP/avlink -> av.
 */
#define AV TMP "/av"

FIXTURE(resolve) {
};

FIXTURE_VARIANT(resolve) {
	const char *const *paths;	/* the subjects */
	int err;			/* of the load */
	const char *tagged;		/* then tagged when executed */
	const char *untagged;		/* and not tagged */
};

static const char *const r_symlink[] = { AV "/b", AV "/link", NULL };
static const char *const r_dir_symlink[] = { TMP "/avlink/a", NULL };
static const char *const r_dotdot[] = { AV "/../av/a", NULL };
static const char *const r_slashes[] = { AV "//a", NULL };
static const char *const r_bind[] = { AV "/b", NULL };
static const char *const r_same_file[] = { AV "/a", AV "/link", NULL };
static const char *const r_trailing_slash[] = { AV "/a/", NULL };
static const char *const r_dangling[] = { AV "/a", AV "/dangling", NULL };
static const char *const r_dir[] = { AV "/dirlink", NULL };
static const char *const r_dot[] = { AV "/.", NULL };
static const char *const r_dotdot_last[] = { AV "/a", AV "/..", NULL };
static const char *const r_then_missing[] = { AV "/a", AV "/zz", NULL };

FIXTURE_VARIANT_ADD(resolve, symlink_last) {
	.paths = r_symlink, .tagged = AV "/a", .untagged = SCANNER,
};
FIXTURE_VARIANT_ADD(resolve, symlink_directory) {
	.paths = r_dir_symlink, .tagged = AV "/a", .untagged = AV "/b",
};
FIXTURE_VARIANT_ADD(resolve, dotdot_inside) {
	.paths = r_dotdot, .tagged = AV "/a", .untagged = AV "/b",
};
FIXTURE_VARIANT_ADD(resolve, double_slash) {
	.paths = r_slashes, .tagged = AV "/a", .untagged = AV "/b",
};
/* a bind-mounted over b: the policy's b is the binary a. */
FIXTURE_VARIANT_ADD(resolve, mounted_over) {
	.paths = r_bind, .tagged = AV "/a", .untagged = SCANNER,
};
FIXTURE_VARIANT_ADD(resolve, same_file_twice) {
	.paths = r_same_file, .err = EINVAL,
};
FIXTURE_VARIANT_ADD(resolve, trailing_slash) {
	.paths = r_trailing_slash, .err = ENOTDIR,
};
FIXTURE_VARIANT_ADD(resolve, dangling_symlink) {
	.paths = r_dangling, .err = ENOENT,
};
FIXTURE_VARIANT_ADD(resolve, symlink_to_directory) {
	.paths = r_dir, .err = EINVAL,
};
FIXTURE_VARIANT_ADD(resolve, dot) {
	.paths = r_dot, .err = EINVAL,
};
FIXTURE_VARIANT_ADD(resolve, dotdot_last) {
	.paths = r_dotdot_last, .err = EINVAL,
};
FIXTURE_VARIANT_ADD(resolve, missing_after_found) {
	.paths = r_then_missing, .err = ENOENT,
};

static const char *const official3[] = { "OFFICIAL", "OFFICIAL", "OFFICIAL",
					 NULL };

FIXTURE_SETUP(resolve)
{
	ASSERT_EQ(0, build_tree(TMP, tree));
	ASSERT_EQ(0, mkdirs(AV));
	ASSERT_EQ(0, copy_file(SCANNER, AV "/a", 0755));
	ASSERT_EQ(0, copy_file(SCANNER, AV "/b", 0755));
	ASSERT_EQ(0, symlink("a", AV "/link"));
	ASSERT_EQ(0, symlink("nowhere", AV "/dangling"));
	ASSERT_EQ(0, symlink(".", AV "/dirlink"));
	ASSERT_EQ(0, symlink("av", TMP "/avlink"));
	if (variant->paths == r_bind)
		ASSERT_EQ(0, mount(AV "/a", AV "/b", NULL, MS_BIND, NULL));
	ASSERT_EQ(0, load_scanner("enforce", "OFFICIAL"));
}

FIXTURE_TEARDOWN(resolve)
{
	load_no_subject();
	umount2(AV "/b", MNT_DETACH);
	umount_tmpfs(TMP);
}

TEST_F(resolve, load)
{
	struct avf_policy_desc desc = {
		GOOD, .subject_paths = variant->paths,
		.subject_clearances = official3,
	};
	uint64_t g = generation();

	EXPECT_EQ(variant->err, -avf_load(&desc));
	if (variant->err) {
		EXPECT_EQ(g, generation());
		EXPECT_EQ(EACCES, run(SCANNER, "open", TMP "/secret", "r", NULL));
		return;
	}
	EXPECT_EQ(EACCES, run(variant->tagged, "open", TMP "/secret", "r", NULL));
	EXPECT_EQ(0, run(variant->tagged, "open", TMP "/official", "r", NULL));
	EXPECT_EQ(0, run(variant->untagged, "open", TMP "/secret", "r", NULL));
}

TEST_HARNESS_MAIN

/*
 * AVFENCE_A_SUBJECT_TABLE (uapi/avfence.h): subjects with only a path and
 * a clearance, packed as struct avfence_subject_rec.  A well-formed table
 * loads and fences like the nests; each way of breaking a record is
 * refused, by the family's policy or at the load, and the old policy
 * stays.
 */
enum table_flaw {
	TABLE_GOOD,
	TABLE_EMPTY,		/* an attribute with no record */
	TABLE_SHORT,		/* fewer bytes than a header and "/" */
	TABLE_LEN_PAST_END,	/* len beyond the attribute */
	TABLE_LEN_TOO_BIG,	/* 4 more zeros than the path needs */
	TABLE_LEN_TOO_SMALL,	/* the NUL cut off */
	TABLE_NO_NUL,		/* the path runs to the end of its record */
	TABLE_PAD_SET,
	TABLE_BYTE_AFTER_NUL,	/* padding that is not zero */
	TABLE_RELATIVE,
	TABLE_CLEARANCE_PAST_LEVELS,
	TABLE_TRAILING,		/* 4 bytes after the last record */
	TABLE_MISSING_FILE,
	TABLE_DIRECTORY,
	TABLE_TWICE,		/* the same file as the nest's subject */
};

struct table_req {
	enum table_flaw flaw;
	uint8_t clearance;
};

static size_t put_rec(char *p, const char *path, uint8_t clearance)
{
	struct avfence_subject_rec *rec = (void *)p;
	size_t len = (sizeof(*rec) + strlen(path) + 1 + 3) & ~(size_t)3;

	memset(p, 0, len);
	rec->len = len;
	rec->clearance = clearance;
	memcpy(rec->path, path, strlen(path));
	return len;
}

static void fill_table_policy(struct nlmsghdr *n, const void *arg)
{
	static const char *const levels[] = { "UNCLASSIFIED", "OFFICIAL",
					      "SECRET", "TOP-SECRET", NULL };
	static const char *const agent[] = { TMP "/agent", NULL };
	static const char *const official[] = { "OFFICIAL", NULL };
	const struct table_req *t = arg;
	struct avf_policy_desc desc = {
		.mode = AVFENCE_MODE_ENFORCE, .levels = levels,
		.default_level = "UNCLASSIFIED",
	};
	struct avfence_subject_rec *rec;
	char buf[512];
	size_t len = 0;

	if (t->flaw == TABLE_TWICE) {
		desc.subject_paths = agent;
		desc.subject_clearances = official;
	}
	avf_fill_policy(n, &desc);
	/* SCANNER first, so that a flaw in the second record is found too. */
	len += put_rec(buf, SCANNER, t->clearance);
	rec = (void *)(buf + len);
	switch (t->flaw) {
	case TABLE_MISSING_FILE:
		len += put_rec(buf + len, TMP "/no-such-file", 0);
		break;
	case TABLE_DIRECTORY:
		len += put_rec(buf + len, TMP, 0);
		break;
	case TABLE_RELATIVE:
		len += put_rec(buf + len, "opt/av/bin/scanner", 0);
		break;
	case TABLE_TWICE:
		len += put_rec(buf + len, TMP "/agent", 1);
		break;
	default:
		len += put_rec(buf + len, TMP "/agent", 1);
		break;
	}
	switch (t->flaw) {
	case TABLE_EMPTY:
		len = 0;
		break;
	case TABLE_SHORT:
		len = sizeof(*rec) + 1;
		break;
	case TABLE_LEN_PAST_END:
		rec->len += 4;
		break;
	case TABLE_LEN_TOO_BIG:
		memset(buf + len, 0, 4);
		rec->len += 4;
		len += 4;
		break;
	case TABLE_LEN_TOO_SMALL:
		/* 4 + strlen(TMP "/agent") + NUL, rounded up, less 4: the NUL is cut off. */
		rec->len -= 4;
		len -= 4;
		break;
	case TABLE_NO_NUL:
		memset(rec->path + strlen(rec->path), 'x',
		       rec->len - sizeof(*rec) - strlen(rec->path));
		break;
	case TABLE_PAD_SET:
		rec->pad = 1;
		break;
	case TABLE_BYTE_AFTER_NUL:
		((char *)rec)[rec->len - 1] = 'x';
		break;
	case TABLE_CLEARANCE_PAST_LEVELS:
		rec->clearance = 4;
		break;
	case TABLE_TRAILING:
		memset(buf + len, 0, 4);
		len += 4;
		break;
	default:
		break;
	}
	avf_nl_put(n, AVFENCE_A_SUBJECT_TABLE, buf, len);
}

FIXTURE(subject_table) {
};

FIXTURE_VARIANT(subject_table) {
	enum table_flaw flaw;
	int err;
};

FIXTURE_VARIANT_ADD(subject_table, good) { .flaw = TABLE_GOOD };
FIXTURE_VARIANT_ADD(subject_table, empty) { .flaw = TABLE_EMPTY, .err = EINVAL };
FIXTURE_VARIANT_ADD(subject_table, short_record) { .flaw = TABLE_SHORT, .err = EINVAL };
FIXTURE_VARIANT_ADD(subject_table, len_past_end) { .flaw = TABLE_LEN_PAST_END, .err = EINVAL };
FIXTURE_VARIANT_ADD(subject_table, len_too_big) { .flaw = TABLE_LEN_TOO_BIG, .err = EINVAL };
FIXTURE_VARIANT_ADD(subject_table, len_too_small) { .flaw = TABLE_LEN_TOO_SMALL, .err = EINVAL };
FIXTURE_VARIANT_ADD(subject_table, no_nul) { .flaw = TABLE_NO_NUL, .err = EINVAL };
FIXTURE_VARIANT_ADD(subject_table, pad_set) { .flaw = TABLE_PAD_SET, .err = EINVAL };
FIXTURE_VARIANT_ADD(subject_table, byte_after_nul) { .flaw = TABLE_BYTE_AFTER_NUL, .err = EINVAL };
FIXTURE_VARIANT_ADD(subject_table, relative_path) { .flaw = TABLE_RELATIVE, .err = EINVAL };
FIXTURE_VARIANT_ADD(subject_table, clearance_past_levels) {
	.flaw = TABLE_CLEARANCE_PAST_LEVELS, .err = EINVAL,
};
FIXTURE_VARIANT_ADD(subject_table, trailing_bytes) { .flaw = TABLE_TRAILING, .err = EINVAL };
FIXTURE_VARIANT_ADD(subject_table, missing_file) { .flaw = TABLE_MISSING_FILE, .err = ENOENT };
FIXTURE_VARIANT_ADD(subject_table, directory) { .flaw = TABLE_DIRECTORY, .err = EINVAL };
FIXTURE_VARIANT_ADD(subject_table, same_file_as_nest) { .flaw = TABLE_TWICE, .err = EINVAL };

FIXTURE_SETUP(subject_table)
{
	ASSERT_EQ(0, build_tree(TMP, tree));
	ASSERT_EQ(0, write_file(TMP "/agent", "x"));
	/* The policy in force: SCANNER at SECRET, enforce. */
	ASSERT_EQ(0, load_scanner("enforce", "SECRET"));
}

FIXTURE_TEARDOWN(subject_table)
{
	teardown_tree();
}

TEST_F(subject_table, loaded_or_refused_whole)
{
	struct table_req req = { .flaw = variant->flaw, .clearance = 1 };
	struct avf_status before, after;
	int err;

	ASSERT_EQ(0, avf_get_status(&before));
	err = -avf_nl_do(AVFENCE_CMD_LOAD_POLICY, fill_table_policy, &req,
			 NULL, NULL);
	EXPECT_EQ(variant->err, err) {
		TH_LOG("expected %s, got %s", strerror(variant->err),
		       strerror(err));
	}
	ASSERT_EQ(0, avf_get_status(&after));
	if (variant->err) {
		EXPECT_EQ(before.generation, after.generation);
		/* SCANNER still at SECRET. */
		EXPECT_EQ(0, run(SCANNER, "open", TMP "/secret", "r", NULL));
		return;
	}
	/* SCANNER from the table at OFFICIAL, the agent too. */
	EXPECT_EQ(before.generation + 1, after.generation);
	EXPECT_EQ(2, after.subject_count);
	EXPECT_EQ(EACCES, run(SCANNER, "open", TMP "/secret", "r", NULL));
	EXPECT_EQ(0, run(SCANNER, "open", TMP "/official", "r", NULL));
}
