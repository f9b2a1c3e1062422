// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of "label PATH LEVEL" lines (Documentation/policy.rst): the
 * parser's diagnostics, the canonical form (label lines after every
 * subject, sorted by path bytewise) and the load request (one
 * AVFENCE_A_POLICY_LABEL per line, in canonical order, located back to
 * its line from an extended ack's offset).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <netlink/attr.h>
#include <netlink/genl/genl.h>
#include <netlink/msg.h>

#include "digest.h"
#include "policy_msg.h"
#include "policy_parse.h"
#include "unit.h"

#define HEAD "levels A B C\ndefault A\nmode enforce\n"

static int parse(const char *text, struct policy *pol,
		 struct policy_errors *errs)
{
	memset(errs, 0, sizeof(*errs));
	return policy_parse(text, strlen(text), pol, errs);
}

/* HEAD + @lines must give exactly one error, @line:@col: @msg. */
static void one_error(struct __test_metadata *_metadata, const char *lines, unsigned int line, unsigned int col,
		      const char *msg)
{
	struct policy_errors errs;
	struct policy pol;
	char *text;
	size_t i;

	if (asprintf(&text, HEAD "%s", lines) < 0)
		abort();
	EXPECT_EQ(-EINVAL, parse(text, &pol, &errs));
	if (errs.nr != 1 || errs.v[0].line != line || errs.v[0].col != col ||
	    strcmp(errs.v[0].msg, msg)) {
		EXPECT_TRUE(false)
			TH_LOG("'%s': want only %u:%u: %s", lines, line, col,
			       msg);
		for (i = 0; i < errs.nr; i++)
			TH_LOG("got %u:%u: %s", errs.v[i].line, errs.v[i].col,
			       errs.v[i].msg);
	}
	policy_free(&pol);
	policy_errors_free(&errs);
	free(text);
}

TEST(label_errors)
{
	one_error(_metadata, "label /srv/share\n", 4, 17,
		  "'label' needs a path and a level name");
	one_error(_metadata, "label\n", 4, 6, "'label' needs a path and a level name");
	one_error(_metadata, "label /srv/share B extra\n", 4, 20,
		  "unexpected 'extra' after the level name ('label' takes a path and a level)");
	one_error(_metadata, "label srv/share B\n", 4, 7,
		  "label path 'srv/share' is not absolute");
	one_error(_metadata, "label /srv/share SECRET\n", 4, 18, "unknown level 'SECRET'");
	one_error(_metadata, "label /srv/b B\nlabel /srv/a C\nlabel /srv/b C\n", 6, 7,
		  "duplicate label path '/srv/b' (first on line 4)");
	/* A subject and a label may name the same path: different things. */
}

TEST(label_limits)
{
	struct policy_errors errs;
	struct policy pol;
	size_t len = strlen(HEAD), i, n = AVFENCE_POLICY_LABELS_MAX + 1;
	char *text = malloc(len + n * 32 + 1), *p;

	memcpy(text, HEAD, len);
	p = text + len;
	for (i = 0; i < n - 1; i++)
		p += sprintf(p, "label /l/%zu B\n", i);
	*p = '\0';
	EXPECT_EQ(0, parse(text, &pol, &errs));
	EXPECT_EQ(AVFENCE_POLICY_LABELS_MAX, pol.nr_labels);
	policy_free(&pol);
	policy_errors_free(&errs);
	sprintf(p, "label /l/last B\nlabel /l/later B\n");
	EXPECT_EQ(-EINVAL, parse(text, &pol, &errs));
	EXPECT_EQ(1, errs.nr);
	if (errs.nr == 1) {
		EXPECT_EQ(4 + AVFENCE_POLICY_LABELS_MAX, errs.v[0].line);
		EXPECT_STREQ("too many labels (limit 4096)", errs.v[0].msg);
	}
	policy_free(&pol);
	policy_errors_free(&errs);
	free(text);
}

TEST(label_canonical)
{
	struct policy_errors errs;
	struct policy pol;
	struct text t = { .len = 0 };

	EXPECT_EQ(0, parse(HEAD
			   "label /srv/b C   # a comment\n"
			   "label /srv/B B\n"
			   "subject /opt/z B\n"
			   "label /srv/a\tA\n"
			   "subject /opt/a C\n", &pol, &errs));
	EXPECT_EQ(0, policy_canon(&pol, emit_text, &t));
	/* After all subjects, by path bytewise ('B' < 'a' < 'b'). */
	EXPECT_NE(NULL, strstr(t.buf, "subject /opt/a C\nsubject /opt/z B\n"
			       "label /srv/B B\nlabel /srv/a A\nlabel /srv/b C\n"));
	EXPECT_EQ(t.len, (size_t)(strstr(t.buf, "label /srv/b C\n") + 15 -
				  t.buf));
	policy_free(&pol);
	policy_errors_free(&errs);
}

static void digest_of(const char *text, char hex[DIGEST_HEX_SIZE])
{
	struct policy_errors errs;
	uint8_t d[SHA256_DIGEST_SIZE];
	struct policy pol;

	strcpy(hex, "(error)");
	if (!parse(text, &pol, &errs) && !policy_digest(&pol, d))
		digest_to_hex(d, hex);
	policy_free(&pol);
	policy_errors_free(&errs);
}

TEST(label_in_digest)
{
	char a[65], b[65], c[65], d[65];

	digest_of(HEAD "label /srv/x B\nlabel /srv/y C\n", a);
	digest_of(HEAD "label /srv/y C\n\nlabel /srv/x   B\n", b);
	digest_of(HEAD "label /srv/x C\nlabel /srv/y C\n", c);
	digest_of(HEAD, d);
	EXPECT_STREQ(a, b);	/* order and layout do not count */
	EXPECT_NE(0, strcmp(a, c));	/* the level does */
	EXPECT_NE(0, strcmp(a, d));	/* and the line itself */
}

static struct nla_policy plabel_policy[AVFENCE_PLABEL_A_MAX + 1] = {
	[AVFENCE_PLABEL_A_PATH] = { .type = NLA_STRING },
	[AVFENCE_PLABEL_A_LEVEL] = { .type = NLA_STRING },
};

TEST(label_request)
{
	struct policy_errors errs;
	struct policy_msg_map map;
	struct nlattr *a, *l, *tb[AVFENCE_PLABEL_A_MAX + 1];
	const char *want[] = { "/srv/a", "/srv/b", "/srv/c" };
	struct policy_loc loc;
	struct policy pol;
	struct nl_msg *msg;
	size_t size, n = 0;
	int rem, lrem;

	EXPECT_EQ(0, parse(HEAD "label /srv/c C\nsubject /opt/s B\n"
			   "label /srv/a A\nlabel /srv/b B\n", &pol, &errs));
	size = policy_msg_size(&pol);
	msg = nlmsg_alloc_size(size + NLMSG_HDRLEN + GENL_HDRLEN);
	if (!msg || !genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, 0x20, 0, 0,
				 AVFENCE_CMD_LOAD_POLICY, 1))
		abort();
	EXPECT_EQ(0, policy_msg_fill(msg, &pol, POLICY_MSG_TABLES, &map));
	EXPECT_TRUE(nlmsg_hdr(msg)->nlmsg_len <= size + NLMSG_HDRLEN + GENL_HDRLEN);
	nla_for_each_attr(a, genlmsg_attrdata(nlmsg_data(nlmsg_hdr(msg)), 0),
			  genlmsg_attrlen(nlmsg_data(nlmsg_hdr(msg)), 0), rem) {
		if (nla_type(a) != AVFENCE_A_POLICY_LABELS)
			continue;
		nla_for_each_nested(l, a, lrem) {
			EXPECT_EQ(AVFENCE_A_POLICY_LABEL, nla_type(l));
			EXPECT_EQ(0, nla_parse_nested(tb, AVFENCE_PLABEL_A_MAX,
						      l, plabel_policy));
			if (n < 3 && tb[AVFENCE_PLABEL_A_PATH])
				EXPECT_STREQ(want[n],
					     nla_get_string(tb[AVFENCE_PLABEL_A_PATH]));
			n++;
		}
	}
	EXPECT_EQ(3, n);
	/* An ack pointing into the second label sent: line 6, /srv/b. */
	loc = policy_msg_locate(&pol, &map, map.label_off[1] + 6);
	EXPECT_EQ(POLICY_LOC_LABEL, loc.kind);
	EXPECT_EQ(7, loc.line);
	EXPECT_STREQ("/srv/b", pol.labels[loc.index].path);
	policy_msg_map_free(&map);
	nlmsg_free(msg);
	policy_free(&pol);
	policy_errors_free(&errs);
}

/* Label paths are escaped in the canonical form like every path. */
TEST(label_path_escaped)
{
	struct policy_errors errs;
	struct policy pol;
	struct text t = { .len = 0 };

	ASSERT_EQ(0, parse(HEAD "label /srv/a\\040b,c=d B\n", &pol, &errs));
	EXPECT_STREQ("/srv/a b,c=d", pol.labels[0].path);
	EXPECT_EQ(0, policy_canon(&pol, emit_text, &t));
	EXPECT_NE(NULL, strstr(t.buf, "\nlabel /srv/a\\040b\\054c\\075d B\n"));
	policy_free(&pol);
	policy_errors_free(&errs);
	one_error(_metadata, "label /srv/a\\9 B\n", 4, 13,
		  "bad escape in label path: '\\' starts a byte as three octal digits, \\001 to \\377 (\\040 a blank, \\134 a backslash)");
}

TEST_HARNESS_MAIN
