// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of the canonical form's path escaping (kmod/canon.c,
 * avf_canon_path()) and of the policy file's "\ooo" escapes
 * (userspace/policy_parse.c): one text per policy, one policy per text.
 *
 * Version 1 wrote paths unescaped, so the subject "/a L1\nsubject /b" at
 * L0 had the canonical text, hence the digest, of the two subjects "/a" at
 * L1 and "/b" at L0 (issue 13).  The VM test canon_test.c checks the same
 * through the kernel.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "digest.h"
#include "unit.h"

static const char *escaped(const char *path)
{
	static struct text t;

	t.len = 0;
	t.buf[0] = '\0';
	avf_canon_path(path, emit_text, &t);
	return t.buf;
}

/* Canonical form of policy @text, or NULL if it does not parse. */
static char *canon_of(const char *text)
{
	struct policy_errors errs = { 0 };
	struct text t = { .len = 0 };
	struct policy pol;
	char *ret = NULL;

	if (!policy_parse(text, strlen(text), &pol, &errs) &&
	    !policy_canon(&pol, emit_text, &t))
		ret = strdup(t.buf);
	policy_free(&pol);
	policy_errors_free(&errs);
	return ret;
}

/* The one subject path of policy @text, decoded, or NULL. */
static char *path_of(const char *text)
{
	struct policy_errors errs = { 0 };
	struct policy pol;
	char *ret = NULL;

	if (!policy_parse(text, strlen(text), &pol, &errs) &&
	    pol.nr_subjects == 1)
		ret = strdup(pol.subjects[0].path);
	policy_free(&pol);
	policy_errors_free(&errs);
	return ret;
}

/* Whether the one subject of @text is @want (NULL: @text is refused). */
static bool path_is(const char *text, const char *want)
{
	char *got = path_of(text);
	bool ok = want ? got && !strcmp(want, got) : !got;

	free(got);
	return ok;
}

#define HEAD "levels L0 L1\ndefault L0\nmode enforce\n"

/* Each byte: itself if plain, else a backslash and three octal digits. */
TEST(every_byte_escaped_or_plain)
{
	char path[3] = "/", want[8];
	int c;

	for (c = 1; c < 256; c++) {
		bool plain = c > ' ' && c < 0x7f && !strchr("#\\,=", c);

		path[1] = (char)c;
		if (plain)
			snprintf(want, sizeof(want), "/%c", c);
		else
			snprintf(want, sizeof(want), "/\\%03o", c);
		EXPECT_STREQ(want, escaped(path)) {
			TH_LOG("byte 0x%02x", c);
		}
		EXPECT_EQ(plain, avf_canon_plain((unsigned char)c)) {
			TH_LOG("avf_canon_plain(0x%02x)", c);
		}
	}
	EXPECT_STREQ("/opt/Vendor\\040AV/bin/scan\\011x\\012y",
		     escaped("/opt/Vendor AV/bin/scan\tx\ny"));
	EXPECT_STREQ("/a\\043b\\134c\\054d\\075e\\177\\377\\303\\251",
		     escaped("/a#b\\c,d=e\x7f\xff\xc3\xa9"));
}

/* The example: one subject at L0 vs two subjects. */
TEST(collision_example_differs)
{
	char *one, *two;
	const struct avf_canon_lists none = { 0 };
	struct text t = { .len = 0 };

	avf_canon_subject("/a L1\nsubject /b", "L0", 0, &none, emit_text, &t);
	EXPECT_STREQ("subject /a\\040L1\\012subject\\040/b L0\n", t.buf);

	one = canon_of(HEAD "subject /a\\040L1\\012subject\\040/b L0\n");
	two = canon_of(HEAD "subject /a L1\nsubject /b L0\n");
	ASSERT_NE(NULL, one);
	ASSERT_NE(NULL, two);
	EXPECT_STRNE(one, two);
	EXPECT_STREQ("avfence-policy 2\nlevels L0 L1\ndefault L0\n"
		     "subject /a\\040L1\\012subject\\040/b L0\n", one);
	EXPECT_STREQ("avfence-policy 2\nlevels L0 L1\ndefault L0\n"
		     "subject /a L1\nsubject /b L0\n", two);
	free(one);
	free(two);
}

/*
 * Relatives of the example: paths with blanks, tabs, newlines, '#', '\',
 * ',', '=', DEL and bytes that are not UTF-8, alone or forged to look like
 * other lines or options.  Every policy has its own canonical text.
 */
TEST(relatives_all_differ)
{
	static const char *const policies[] = {
		HEAD "subject /a\\040L1\\012subject\\040/b L0\n",
		HEAD "subject /a L1\nsubject /b L0\n",
		HEAD "subject /a\\040L0 L1\n",
		HEAD "subject /a L0\n",
		HEAD "subject /a\\040L0\\040allow\\075ptrace L0\n",
		HEAD "subject /a L0 allow=ptrace\n",
		HEAD "subject /a\\011L0 L0\n",
		HEAD "subject /a\\012 L0\n",
		HEAD "subject /a\\043b L0\n",
		HEAD "subject /a L0 #b\n",	/* a comment: policy 3 */
		HEAD "subject /a\\134040b L0\n",	/* backslash, "040b" */
		HEAD "subject /a\\040b L0\n",
		HEAD "subject /a\\054b L0\n",
		HEAD "subject /a\\075b L0\n",
		HEAD "subject /a\\177 L0\n",
		HEAD "subject /a\\377 L0\n",
		HEAD "subject /a\xff L0\n",	/* the same, written raw */
		HEAD "subject /a\\303\\251 L0\n",
		HEAD "subject /a\\012levels\\040L0 L0\n",
		HEAD "subject /a L0\nsubject /a\\012 L0\n",
	};
	/* Pairs that are the same policy, written two ways. */
	static const int same[][2] = { { 3, 9 }, { 15, 16 } };
	enum { N = sizeof(policies) / sizeof(policies[0]) };
	char *c[N];
	size_t i, j, k;

	for (i = 0; i < N; i++) {
		c[i] = canon_of(policies[i]);
		EXPECT_NE(NULL, c[i]) {
			TH_LOG("policy %zu does not parse", i);
		}
	}
	for (i = 0; i < N; i++)
		for (j = i + 1; j < N; j++) {
			bool want_same = false;

			if (!c[i] || !c[j])
				continue;
			for (k = 0; k < sizeof(same) / sizeof(same[0]); k++)
				if (same[k][0] == (int)i && same[k][1] == (int)j)
					want_same = true;
			EXPECT_EQ(want_same, !strcmp(c[i], c[j])) {
				TH_LOG("policies %zu and %zu: %s canonical text",
				       i, j, want_same ? "different" : "the same");
			}
		}
	for (i = 0; i < N; i++)
		free(c[i]);
}

/* A canonical path word read back by the parser is the same path. */
TEST(escaped_path_round_trips)
{
	char path[64], text[512];
	int c;

	for (c = 1; c < 256; c++) {
		char *got;

		snprintf(path, sizeof(path), "/x%cy", c);
		snprintf(text, sizeof(text), HEAD "subject %s L1\n",
			 escaped(path));
		got = path_of(text);
		EXPECT_STREQ(path, got ? got : "(parse error)") {
			TH_LOG("byte 0x%02x", c);
		}
		free(got);
	}
}

/* Is there exactly one error, at 4:@col, with the bad-escape message? */
static bool bad_escape_at(const char *line, unsigned int col)
{
	struct policy_errors errs = { 0 };
	char text[256];
	struct policy pol;
	bool ok;

	snprintf(text, sizeof(text), HEAD "%s\n", line);
	policy_parse(text, strlen(text), &pol, &errs);
	ok = errs.nr == 1 && errs.v[0].line == 4 && errs.v[0].col == col &&
	     !strcmp(errs.v[0].msg,
		     "bad escape in subject path: '\\' starts a byte as three octal digits, \\001 to \\377 (\\040 a blank, \\134 a backslash)");
	if (!ok && errs.nr)
		printf("#   %s: got %u:%u: %s\n", line, errs.v[0].line,
		       errs.v[0].col, errs.v[0].msg);
	policy_free(&pol);
	policy_errors_free(&errs);
	return ok;
}

TEST(bad_escapes_refused_at_column)
{
	EXPECT_TRUE(bad_escape_at("subject /a\\ L0", 11));
	EXPECT_TRUE(bad_escape_at("subject /a\\x20 L0", 11));
	EXPECT_TRUE(bad_escape_at("subject /a\\000 L0", 11));	/* NUL */
	EXPECT_TRUE(bad_escape_at("subject /a\\400 L0", 11));	/* > 0377 */
	EXPECT_TRUE(bad_escape_at("subject /a\\08 L0", 11));
	EXPECT_TRUE(bad_escape_at("subject /ab\\04 L0", 12));	/* cut short */
	EXPECT_TRUE(bad_escape_at("subject /ab\\ L0", 12));
	/* decoded, the path must still be absolute */
	EXPECT_TRUE(path_is(HEAD "subject \\057a L0\n", "/a"));
	EXPECT_TRUE(path_is(HEAD "subject a\\040b L0\n", NULL));
}

/* A path's length is counted once decoded: 1999 escapes, 2000 bytes. */
TEST(path_length_counts_decoded_bytes)
{
	static char text[POLICY_LINE_MAX];
	char *got;
	size_t i, o;

	o = (size_t)snprintf(text, sizeof(text), HEAD "subject /");
	for (i = 1; i < 2000; i++)
		o += (size_t)snprintf(text + o, sizeof(text) - o, "\\040");
	snprintf(text + o, sizeof(text) - o, " L0\n");
	got = path_of(text);
	ASSERT_NE(NULL, got);
	EXPECT_EQ(2000, strlen(got));
	free(got);
}

TEST_HARNESS_MAIN
