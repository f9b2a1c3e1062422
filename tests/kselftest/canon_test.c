// SPDX-License-Identifier: GPL-2.0
/*
 * The canonical form through the kernel: one text per policy, one policy
 * per text (issue 13).  Subject paths with blanks, tabs, newlines, '#',
 * '\', ',', '=', DEL and bytes that are not UTF-8 are sent raw over
 * netlink; the kernel's canonical text (securityfs) escapes them as
 * kmod/canon.c says, its digest is the SHA-256 of that text and the one
 * avfencectl computes from a file that writes the same path with "\ooo"
 * escapes.  Version 1 gave the subject "D/a L1\nsubject D/b" at L0 the
 * digest of the two subjects D/a at L1 and D/b at L0.
 *
 * TMP (tmpfs)
 * ├── c/a, c/b                          the two subjects (copies of the probe)
 * ├── c/a L1\nsubject TMP/c/b           the one subject: a directory
 * │                                     chain that ends in the file b
 * ├── r/x<byte>y                        one file per awkward byte
 * └── secret                            L1
 */
#include "ctl.h"

#define D		TMP "/c"
#define FORGED		D "/a L1\nsubject " D "/b"
#define FORGED_ESC	D "/a\\040L1\\012subject\\040" D "/b"

static struct output o;

/* The digest in /sys/kernel/security/avfence/status, into @hex. */
static int kernel_digest(char *hex)
{
	static char st[16384];
	char *p;

	if (read_text(SECFS_STATUS, st, sizeof(st)))
		return -EIO;
	p = strstr(st, "\ndigest: ");
	if (!p || sscanf(p, "\ndigest: %64[0-9a-f]", hex) != 1)
		return -EINVAL;
	return 0;
}

/* The SHA-256 of the canonical text in securityfs, by sha256sum. */
static int policy_file_sum(char *hex)
{
	if (capture(&o, "/bin/sha256sum", SECFS_POLICY, NULL) ||
	    sscanf(o.out, "%64s", hex) != 1)
		return -EINVAL;
	return 0;
}

/* Load a policy of levels L0 L1, default L0, over raw netlink. */
static int load_raw(const char *const *paths, const char *const *clear)
{
	static const char *const levels[] = { "L0", "L1", NULL };
	struct avf_policy_desc desc = {
		.mode = AVFENCE_MODE_ENFORCE, .levels = levels,
		.default_level = "L0", .subject_paths = paths,
		.subject_clearances = clear,
	};

	return avf_load(&desc);
}

FIXTURE(canon) {
};

FIXTURE_SETUP(canon)
{
	ASSERT_EQ(0, mount_tmpfs(TMP));
	ASSERT_EQ(0, mount_securityfs());
	ASSERT_EQ(0, mkdirs(D));
	ASSERT_EQ(0, copy_file(PLAIN, D "/a", 0755));
	ASSERT_EQ(0, copy_file(PLAIN, D "/b", 0755));
	ASSERT_EQ(0, mkdirs(D "/a L1\nsubject " D));
	ASSERT_EQ(0, copy_file(PLAIN, FORGED, 0755));
	ASSERT_EQ(0, write_file(TMP "/secret", "secret\n"));
	ASSERT_EQ(0, set_label(TMP "/secret", "L1"));
}

FIXTURE_TEARDOWN(canon)
{
	teardown_tree();
}

/* The example: the forged path and the two subjects differ. */
TEST_F(canon, collision_example_differs)
{
	static const char *const one[] = { FORGED, NULL };
	static const char *const one_clear[] = { "L0", NULL };
	static const char *const two[] = { D "/a", D "/b", NULL };
	static const char *const two_clear[] = { "L1", "L0", NULL };
	static char text[OUT_MAX];
	char forged[80], pair[80], sum[80];

	ASSERT_EQ(0, load_raw(one, one_clear));
	ASSERT_EQ(0, kernel_digest(forged));
	ASSERT_EQ(0, read_text(SECFS_POLICY, text, sizeof(text)));
	EXPECT_STREQ("avfence-policy 2\nlevels L0 L1\ndefault L0\n"
		     "subject " FORGED_ESC " L0\n", text);
	ASSERT_EQ(0, policy_file_sum(sum));
	EXPECT_STREQ(forged, sum);
	/* the kernel matched the file with the odd name: it is fenced */
	EXPECT_EQ(EACCES, run(FORGED, "open", TMP "/secret", "r", NULL));
	EXPECT_EQ(0, run(D "/a", "open", TMP "/secret", "r", NULL));

	ASSERT_EQ(0, load_raw(two, two_clear));
	ASSERT_EQ(0, kernel_digest(pair));
	ASSERT_EQ(0, read_text(SECFS_POLICY, text, sizeof(text)));
	EXPECT_STREQ("avfence-policy 2\nlevels L0 L1\ndefault L0\n"
		     "subject " D "/a L1\nsubject " D "/b L0\n", text);
	EXPECT_STRNE(forged, pair);
}

/*
 * The same path written with escapes in a policy file: avfencectl check
 * prints the kernel's digest and canonical text, load fences the file.
 */
TEST_F(canon, escaped_file_matches_kernel)
{
	static char text[OUT_MAX];
	char want[80], got[80];
	char *p;

	ASSERT_EQ(0, write_file(POLICY_FILE,
				"levels L0 L1\ndefault L0\nmode enforce\n"
				"subject " FORGED_ESC " L0 # the forged one\n"));
	ASSERT_EQ(0, ctl(&o, "check", POLICY_FILE, NULL)) {
		TH_LOG("%s", o.err);
	}
	p = strstr(o.out, "\ndigest: ");
	ASSERT_NE(NULL, p);
	ASSERT_EQ(1, sscanf(p, "\ndigest: %64[0-9a-f]", want));
	ASSERT_EQ(0, ctl(&o, "load", POLICY_FILE, NULL)) {
		TH_LOG("%s", o.err);
	}
	EXPECT_EQ(NULL, strstr(o.err, "warning"));
	ASSERT_EQ(0, kernel_digest(got));
	EXPECT_STREQ(want, got);
	ASSERT_EQ(0, ctl(&o, "check", "--canonical", POLICY_FILE, NULL));
	ASSERT_EQ(0, read_text(SECFS_POLICY, text, sizeof(text)));
	EXPECT_STREQ(o.out, text);
	EXPECT_EQ(EACCES, run(FORGED, "open", TMP "/secret", "r", NULL));
	/* status lists the path escaped, on one line */
	ASSERT_EQ(0, ctl(&o, "status", NULL));
	EXPECT_NE(NULL, strstr(o.out, "  " FORGED_ESC " L0")) {
		TH_LOG("%s", o.out);
	}
}

/* A bad escape is refused with FILE:LINE:COL and nothing is loaded. */
TEST_F(canon, bad_escape_refused)
{
	uint64_t gen = generation();

	ASSERT_EQ(0, write_file(POLICY_FILE,
				"levels L0 L1\ndefault L0\nmode enforce\n"
				"subject " D "/a\\x20b L0\n"));
	EXPECT_EQ(1, ctl(&o, "load", POLICY_FILE, NULL));
	EXPECT_NE(NULL, strstr(o.err, POLICY_FILE ":4:"
			       "21: bad escape in subject path")) {
		TH_LOG("%s", o.err);
	}
	EXPECT_EQ(gen, generation());
}

/*
 * One file per awkward byte, each the subject of its own policy: every
 * digest differs from every other, and each is the SHA-256 of the text
 * securityfs shows, which holds the byte as "\ooo".
 */
TEST_F(canon, relatives_all_differ)
{
	static const unsigned char bytes[] = {
		' ', '\t', '\n', '\r', '\v', '#', '\\', ',', '=', 0x01, 0x7f,
		0x80, 0xff, 0xc3,
	};
	enum { N = sizeof(bytes) };
	static const char *const clear[] = { "L0", NULL };
	static char text[OUT_MAX];
	char digest[N][80], path[N][64], sum[80], want[128];
	size_t i, j;

	ASSERT_EQ(0, mkdirs(TMP "/r"));
	for (i = 0; i < N; i++) {
		const char *paths[] = { path[i], NULL };

		snprintf(path[i], sizeof(path[i]), TMP "/r/x%cy", bytes[i]);
		ASSERT_EQ(0, copy_file(PLAIN, path[i], 0755));
		ASSERT_EQ(0, load_raw(paths, clear)) {
			TH_LOG("byte 0x%02x", bytes[i]);
		}
		ASSERT_EQ(0, kernel_digest(digest[i]));
		ASSERT_EQ(0, policy_file_sum(sum));
		EXPECT_STREQ(digest[i], sum);
		ASSERT_EQ(0, read_text(SECFS_POLICY, text, sizeof(text)));
		snprintf(want, sizeof(want), "\nsubject " TMP "/r/x\\%03oy L0\n",
			 bytes[i]);
		EXPECT_NE(NULL, strstr(text, want)) {
			TH_LOG("byte 0x%02x: %s", bytes[i], text);
		}
	}
	for (i = 0; i < N; i++)
		for (j = i + 1; j < N; j++)
			EXPECT_STRNE(digest[i], digest[j]);
}

TEST_HARNESS_MAIN
