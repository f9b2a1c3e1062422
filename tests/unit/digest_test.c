// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of the policy digest (userspace/digest.c around kmod/canon.c):
 * the canonical form is what Documentation/policy.rst says, independent of
 * everything the kernel does not keep (order of subject lines, comments,
 * blanks, the mode), and its SHA-256 for policy/example.conf is the value
 * sha256sum gives for that text.  The VM test (ctl_test) checks that the
 * kernel reports the same digest.  The SHA-256 itself is Nettle's; what is
 * tested here is digest.c around it: the text fed in pieces, the hex.
 */
#include <nettle/sha2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "digest.h"
#include "policy_file.h"
#include "unit.h"

static int parse(const char *text, struct policy *pol)
{
	struct policy_errors errs = { 0 };
	int ret = policy_parse(text, strlen(text), pol, &errs);

	policy_errors_free(&errs);
	return ret;
}

/* Canonical form of @text, or "" if it does not parse. */
static const char *canon(const char *text)
{
	static struct text t;
	struct policy pol;

	t.len = 0;
	t.buf[0] = '\0';
	if (!parse(text, &pol))
		policy_canon(&pol, emit_text, &t);
	policy_free(&pol);
	return t.buf;
}

static const char *digest_hex(const char *text)
{
	static char hex[DIGEST_HEX_SIZE];
	uint8_t d[SHA256_DIGEST_SIZE];
	struct policy pol;

	strcpy(hex, "(parse error)");
	if (!parse(text, &pol) && !policy_digest(&pol, d))
		digest_to_hex(d, hex);
	policy_free(&pol);
	return hex;
}

TEST(canonical_form_example)
{
	struct policy pol;
	char *buf = NULL;
	size_t len;
	char *text;
	static char hex[DIGEST_HEX_SIZE];
	uint8_t d[SHA256_DIGEST_SIZE];
	struct sha256_ctx c;

	EXPECT_EQ(0, policy_file_read("../../policy/example.conf", &buf, &len));
	if (!buf)
		return;
	text = strndup(buf, len);
	free(buf);
	EXPECT_STREQ("avfence-policy 2\n"
		     "levels UNCLASSIFIED OFFICIAL SECRET TOP-SECRET\n"
		     "default UNCLASSIFIED\n"
		     "subject /opt/av/bin/scanner OFFICIAL write=/tmp\n", canon(text));
	/* printf '...' | sha256sum of the text above */
	EXPECT_STREQ("03c566606cafebc71cfcc608a0e5a54b3e78e4f9dbc8f2c4b3722c8a9f17030c",
		     digest_hex(text));
	/* The digest is the SHA-256 of the form, not of anything else. */
	sha256_init(&c);
	sha256_update(&c, strlen(canon(text)), (const uint8_t *)canon(text));
	sha256_digest(&c, sizeof(d), d);
	digest_to_hex(d, hex);
	EXPECT_STREQ(hex, digest_hex(text));
	EXPECT_EQ(0, parse(text, &pol));
	policy_free(&pol);
	free(text);
}

TEST(canonical_sorts_subjects_bytewise)
{
	/* 0xc3 sorts after 'z' bytewise (strcmp compares unsigned char). */
	EXPECT_STREQ("avfence-policy 2\n"
		     "levels A B C\n"
		     "default B\n"
		     "subject /a/Z A\n"
		     "subject /a/z C\n"
		     "subject /a/\\303\\251 B allow=raw-devices,ptrace\n"
		     "subject /b A\n",
		     canon("subject /b A\n"
			   "subject /a/\xc3\xa9 B allow=ptrace,raw-devices\n"
			   "levels A B C\n"
			   "subject /a/z C\n"
			   "mode audit\n"
			   "subject /a/Z A\n"
			   "default B\n"));
}

TEST(canonical_allow_flags)
{
	EXPECT_STREQ("avfence-policy 2\nlevels A\ndefault A\n"
		     "subject /p A allow=ptrace\n"
		     "subject /r A allow=raw-devices\n",
		     canon("levels A\ndefault A\nmode enforce\n"
			   "subject /r A allow=raw-devices\n"
			   "subject /p A allow=ptrace\n"));
}

/* Same policy, other mode, order, comments and blanks: same digest. */
TEST(digest_ignores_mode_and_layout)
{
	const char *a = "levels L0 L1 L2\ndefault L0\nmode enforce\n"
			"subject /x/one L1\nsubject /x/two L2 allow=ptrace\n";
	const char *b = "# other layout\n\tsubject   /x/two L2 allow=ptrace # c\n"
			"mode audit\r\n\nsubject /x/one L1\n"
			"levels L0  L1\tL2\ndefault L0\n";

	EXPECT_STREQ(digest_hex(a), digest_hex(b));
}

/* Anything the kernel keeps changes the digest. */
TEST(digest_changes_with_policy)
{
	const char *base = digest_hex("levels A B\ndefault A\nmode enforce\n"
				      "subject /s B\n");
	char first[2 * SHA256_DIGEST_SIZE + 1];
	static const char *const others[] = {
		"levels A B\ndefault B\nmode enforce\nsubject /s B\n",
		"levels A B\ndefault A\nmode enforce\nsubject /s A\n",
		"levels A B\ndefault A\nmode enforce\nsubject /t B\n",
		"levels A B\ndefault A\nmode enforce\nsubject /s B allow=ptrace\n",
		"levels A B C\ndefault A\nmode enforce\nsubject /s B\n",
		"levels B A\ndefault A\nmode enforce\nsubject /s B\n",
		"levels A B\ndefault A\nmode enforce\n",
	};
	size_t i;

	strcpy(first, base);
	EXPECT_TRUE(strcmp(first, "(parse error)"));
	for (i = 0; i < sizeof(others) / sizeof(others[0]); i++) {
		const char *h = digest_hex(others[i]);

		EXPECT_TRUE(strcmp(first, h) && strcmp(h, "(parse error)"))
			TH_LOG("policy %zu: digest %s", i, h);
	}
}

/* The canonical form of a policy without subjects ends after default. */
TEST(canonical_no_subjects)
{
	EXPECT_STREQ("avfence-policy 2\nlevels ONLY\ndefault ONLY\n",
		     canon("levels ONLY\ndefault ONLY\nmode audit\n"));
}

/* Known vectors for the hex: every nibble in place, lower case. */
TEST(digest_hex_vectors)
{
	uint8_t d[SHA256_DIGEST_SIZE];
	char hex[DIGEST_HEX_SIZE];
	size_t i;

	for (i = 0; i < 16; i++) {
		d[i] = i * 0x11;
		d[16 + i] = i << 4 | (15 - i);
	}
	memset(hex, 'X', sizeof(hex));
	digest_to_hex(d, hex);
	EXPECT_STREQ("00112233445566778899aabbccddeeff"
		     "0f1e2d3c4b5a69788796a5b4c3d2e1f0", hex);
	memset(d, 0xff, sizeof(d));
	digest_to_hex(d, hex);
	EXPECT_EQ(64, strlen(hex));
	EXPECT_STREQ("ffffffffffffffffffffffffffffffff"
		     "ffffffffffffffffffffffffffffffff", hex);
}

/*
 * A policy whose canonical text spans many SHA-256 blocks, fed to the hash
 * one piece at a time (kmod/canon.c emits each word and separator), has
 * the digest sha256sum (coreutils, another implementation) gives for the
 * whole text.
 */
TEST(digest_matches_sha256sum)
{
	char tmp[] = "/tmp/avf-digest-XXXXXX", cmd[64], sum[DIGEST_HEX_SIZE];
	uint8_t d[SHA256_DIGEST_SIZE];
	char hex[DIGEST_HEX_SIZE];
	char *text = NULL;
	struct policy pol;
	size_t len = 0;
	FILE *f;
	int i, fd;

	f = open_memstream(&text, &len);
	ASSERT_NE(NULL, f);
	fprintf(f, "levels L0 L1 L2\ndefault L1\nmode audit\n");
	for (i = 0; i < 300; i++)
		fprintf(f, "subject /opt/agent/bin/s%03d L%d%s\n", (i * 7) % 300,
			i % 3, i % 5 ? "" : " allow=ptrace");
	ASSERT_EQ(0, fclose(f));
	ASSERT_EQ(0, parse(text, &pol));
	ASSERT_EQ(0, policy_digest(&pol, d));
	digest_to_hex(d, hex);

	fd = mkstemp(tmp);
	ASSERT_LE(0, fd);
	f = fdopen(fd, "w");
	ASSERT_NE(NULL, f);
	ASSERT_EQ(0, policy_canon_print(&pol, f));
	EXPECT_LT(100 * 64, ftell(f));	/* many blocks */
	ASSERT_EQ(0, fclose(f));
	snprintf(cmd, sizeof(cmd), "sha256sum %s", tmp);
	f = popen(cmd, "r");
	ASSERT_NE(NULL, f);
	EXPECT_EQ(64, fread(sum, 1, 64, f));
	sum[64] = '\0';
	EXPECT_EQ(0, pclose(f)) TH_LOG("%s failed", cmd);
	unlink(tmp);
	EXPECT_STREQ(sum, hex);
	policy_free(&pol);
	free(text);
}

TEST_HARNESS_MAIN
