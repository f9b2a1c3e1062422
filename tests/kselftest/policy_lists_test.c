// SPDX-License-Identifier: GPL-2.0
/*
 * The write= and connect= subject options against the real module: what
 * was loaded shows in status (text, JSON, securityfs) and in the canonical
 * form, whose digest the kernel and avfencectl agree on; a write= entry
 * that does not resolve to a directory is refused with FILE:LINE and
 * changes nothing; the kernel validates the nests strictly (order,
 * duplicates, spelling, attribute types) whatever the client.
 *
 * TMP (tmpfs)
 * ├── out/          a write= directory
 * ├── var/          another
 * ├── file          a regular file
 * └── policies/
 */
#include "ctl.h"

#define POLICY_DIR	TMP "/policies"

static struct output o;

FIXTURE(lists) {
	char policy[PATH_MAX];
};

FIXTURE_SETUP(lists)
{
	static const struct tree_entry tree[] = {
		TREE_DIR("out", NULL),
		TREE_DIR("var", NULL),
		TREE_FILE("file", "x\n", NULL),
		TREE_DIR("policies", NULL),
		{ NULL }
	};

	ASSERT_EQ(0, build_tree(TMP, tree));
	ASSERT_EQ(0, mount_securityfs());
	snprintf(self->policy, sizeof(self->policy), POLICY_DIR "/p.conf");
}

FIXTURE_TEARDOWN(lists)
{
	teardown_tree();
}

#define LISTS_POLICY							\
	LEVELS "default UNCLASSIFIED\nmode enforce\n"			\
	"subject " SCANNER " SECRET connect=@av-ctl,/run/clamd.ctl "	\
	"write=" TMP "/var," TMP "/out allow=ptrace\n"

TEST_F(lists, shown_as_loaded)
{
	static char secfs[OUT_MAX];
	char want[1024], digest[80], *p;

	ASSERT_EQ(0, write_file(self->policy, LISTS_POLICY));
	ASSERT_EQ(0, ctl(&o, "check", self->policy, NULL)) {
		TH_LOG("%s", o.err);
	}
	p = strstr(o.out, "\ndigest: ");
	ASSERT_NE(NULL, p);
	ASSERT_EQ(1, sscanf(p, "\ndigest: %64[0-9a-f]", digest));
	ASSERT_EQ(0, ctl(&o, "load", self->policy, NULL)) {
		TH_LOG("%s", o.err);
	}

	/* The canonical form: lists sorted bytewise, after allow=. */
	snprintf(want, sizeof(want), "\nsubject " SCANNER
		 " SECRET allow=ptrace write=" TMP "/out," TMP "/var"
		 " connect=/run/clamd.ctl,@av-ctl\n");
	ASSERT_EQ(0, read_text(SECFS_POLICY, secfs, sizeof(secfs)));
	EXPECT_NE(NULL, strstr(secfs, want)) {
		TH_LOG("want %s in %s", want, secfs);
	}
	ASSERT_EQ(0, ctl(&o, "check", "--canonical", self->policy, NULL));
	EXPECT_STREQ(o.out, secfs);
	ASSERT_EQ(0, ctl(&o, "status", "--json", NULL));
	EXPECT_NE(NULL, strstr(o.out, digest));
	EXPECT_EQ(0, json_valid(o.out));
	snprintf(want, sizeof(want), "\"write\":[\"" TMP "/out\",\"" TMP
		 "/var\"],\"connect\":[\"/run/clamd.ctl\",\"@av-ctl\"]");
	EXPECT_NE(NULL, strstr(o.out, want)) {
		TH_LOG("want %s in %s", want, o.out);
	}

	ASSERT_EQ(0, ctl(&o, "status", NULL));
	snprintf(want, sizeof(want), " allow=ptrace write=" TMP "/out," TMP
		 "/var connect=/run/clamd.ctl,@av-ctl\n");
	EXPECT_NE(NULL, strstr(o.out, want)) {
		TH_LOG("want %s in %s", want, o.out);
	}

	ASSERT_EQ(0, read_text(SECFS_STATUS, secfs, sizeof(secfs)));
	snprintf(want, sizeof(want), " allow ptrace write " TMP "/out " TMP
		 "/var connect /run/clamd.ctl @av-ctl\n");
	EXPECT_NE(NULL, strstr(secfs, want)) {
		TH_LOG("want %s in %s", want, secfs);
	}
}

/* Without write= and connect=: nothing on the line, "none" in securityfs. */
TEST_F(lists, absent_lists)
{
	static char secfs[OUT_MAX];

	/* Not load_scanner(): it gives the tests' write= directories. */
	ASSERT_EQ(0, load_policy(LEVELS "default UNCLASSIFIED\nmode enforce\n"
				 "subject " SCANNER " SECRET\n"));
	ASSERT_EQ(0, read_text(SECFS_POLICY, secfs, sizeof(secfs)));
	EXPECT_NE(NULL, strstr(secfs, "\nsubject " SCANNER " SECRET\n"));
	ASSERT_EQ(0, read_text(SECFS_STATUS, secfs, sizeof(secfs)));
	EXPECT_NE(NULL, strstr(secfs, " allow none write none connect none\n"));
	ASSERT_EQ(0, ctl(&o, "status", "--json", NULL));
	EXPECT_NE(NULL, strstr(o.out, "\"write\":[],\"connect\":[]"));
}

/* A write= entry must be an existing directory: FILE:LINE, old policy kept. */
TEST_F(lists, write_dir_must_resolve)
{
	uint64_t gen;

	ASSERT_EQ(0, load_scanner("enforce", "SECRET"));
	gen = generation();
	ASSERT_EQ(0, write_file(self->policy,
				LEVELS "default UNCLASSIFIED\nmode enforce\n\n"
				"subject " SCANNER " SECRET write=" TMP "/out,"
				TMP "/nothing\n"));
	EXPECT_EQ(1, ctl(&o, "load", self->policy, NULL));
	EXPECT_NE(NULL, strstr(o.err, self->policy));
	EXPECT_NE(NULL, strstr(o.err, ".conf:5:36: write= directory '" TMP
			       "/nothing': No such file or directory\n")) {
		TH_LOG("%s", o.err);
	}
	EXPECT_EQ(gen, generation());

	ASSERT_EQ(0, write_file(self->policy,
				LEVELS "default UNCLASSIFIED\nmode enforce\n"
				"subject " SCANNER " SECRET write=" TMP "/file\n"));
	EXPECT_EQ(1, ctl(&o, "load", self->policy, NULL));
	EXPECT_NE(NULL, strstr(o.err, ".conf:4:36: write= entry '" TMP
			       "/file' is not a directory\n")) {
		TH_LOG("%s", o.err);
	}
	EXPECT_EQ(gen, generation());
}

/* The parser's errors come with FILE:LINE:COL before the kernel sees it. */
TEST_F(lists, parser_errors)
{
	ASSERT_EQ(0, write_file(self->policy,
				LEVELS "default UNCLASSIFIED\nmode enforce\n"
				"subject " SCANNER " SECRET write=tmp\n"));
	EXPECT_EQ(1, ctl(&o, "load", self->policy, NULL));
	EXPECT_NE(NULL, strstr(o.err, ":4:")) {
		TH_LOG("%s", o.err);
	}
	EXPECT_NE(NULL, strstr(o.err, "write= directory 'tmp' is not absolute"));
}

/* A raw LOAD_POLICY with one subject whose lists are built by hand. */
struct raw_lists {
	int list_type;			/* AVFENCE_SUBJECT_A_WRITE / _CONNECT */
	int entry_type;			/* AVFENCE_A_ENTRY, or another */
	const char *const *entries;	/* NULL-terminated, sent in order */
};

static void fill_raw(struct nlmsghdr *n, const void *arg)
{
	static const char *const levels[] = { "L0", "L1", NULL };
	const struct raw_lists *r = arg;
	struct nlattr *nests[2], *list;
	int i;

	avf_nl_one_subject(n, levels, SCANNER, "L1", nests);
	list = avf_nl_nest(n, r->list_type);
	for (i = 0; r->entries[i]; i++)
		avf_nl_put_str(n, r->entry_type, r->entries[i]);
	avf_nl_nest_end(n, list);
	avf_nl_one_subject_end(n, nests);
}

static int load_raw(int list_type, int entry_type,
		    const char *const *entries)
{
	struct raw_lists r = { list_type, entry_type, entries };

	return avf_nl_do(AVFENCE_CMD_LOAD_POLICY, fill_raw, &r, NULL, NULL);
}

#define WRITE_LIST	AVFENCE_SUBJECT_A_WRITE
#define CONNECT_LIST	AVFENCE_SUBJECT_A_CONNECT

TEST_F(lists, kernel_validates_nests)
{
	static const char *const sorted[] = { TMP "/out", TMP "/var", NULL };
	static const char *const unsorted[] = { TMP "/var", TMP "/out", NULL };
	static const char *const dup[] = { TMP "/out", TMP "/out", NULL };
	static const char *const dotdot[] = { TMP "/out/..", NULL };
	static const char *const relative[] = { "tmp", NULL };
	static const char *const none[] = { NULL };
	static const char *const missing[] = { TMP "/nothing", NULL };
	static const char *const file[] = { TMP "/file", NULL };
	static const char *const conn[] = { "/run/a", "@b", NULL };
	static const char *const conn_bad[] = { "@", NULL };
	static const char *const conn_rel[] = { "run/a", NULL };
	/* Each refused, with this errno, and nothing changed. */
	static const struct {
		int err, list_type, entry_type;
		const char *const *entries;
	} bad[] = {
		{ EINVAL, WRITE_LIST, AVFENCE_A_ENTRY, unsorted },
		{ EINVAL, WRITE_LIST, AVFENCE_A_ENTRY, dup },
		{ EINVAL, WRITE_LIST, AVFENCE_A_ENTRY, dotdot },
		{ EINVAL, WRITE_LIST, AVFENCE_A_ENTRY, relative },
		{ EINVAL, WRITE_LIST, AVFENCE_A_ENTRY, none },
		{ EINVAL, WRITE_LIST, 2, sorted },
		/* The kernel resolves write= itself, whatever the client checked. */
		{ ENOENT, WRITE_LIST, AVFENCE_A_ENTRY, missing },
		{ ENOTDIR, WRITE_LIST, AVFENCE_A_ENTRY, file },
		{ EINVAL, CONNECT_LIST, AVFENCE_A_ENTRY, conn_bad },
		{ EINVAL, CONNECT_LIST, AVFENCE_A_ENTRY, conn_rel },
		{ EINVAL, CONNECT_LIST, AVFENCE_A_ENTRY, unsorted },
	};
	char many[AVFENCE_CONNECT_MAX + 2][16];
	const char *manyv[AVFENCE_CONNECT_MAX + 2];
	uint64_t gen;
	int i;

	/* The control: a well-formed request loads. */
	ASSERT_EQ(0, load_raw(WRITE_LIST, AVFENCE_A_ENTRY, sorted));
	ASSERT_EQ(0, load_raw(CONNECT_LIST, AVFENCE_A_ENTRY, conn));
	gen = generation();
	for (i = 0; i < (int)ARRAY_SIZE(bad); i++) {
		EXPECT_EQ(-bad[i].err, load_raw(bad[i].list_type,
						bad[i].entry_type,
						bad[i].entries)) {
			TH_LOG("bad[%d]", i);
		}
	}
	for (i = 0; i < AVFENCE_CONNECT_MAX + 1; i++) {
		snprintf(many[i], sizeof(many[i]), "@n%03d", i);
		manyv[i] = many[i];
	}
	manyv[AVFENCE_CONNECT_MAX + 1] = NULL;
	EXPECT_EQ(-E2BIG, load_raw(CONNECT_LIST, AVFENCE_A_ENTRY, manyv));
	EXPECT_EQ(gen, generation());
	manyv[AVFENCE_CONNECT_MAX] = NULL;
	EXPECT_EQ(0, load_raw(CONNECT_LIST, AVFENCE_A_ENTRY, manyv));
}

TEST_HARNESS_MAIN
