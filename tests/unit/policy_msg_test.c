// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of userspace/policy_msg.c and the extended-ack parser of
 * userspace/nl.c: the LOAD_POLICY attribute tree is what uapi/avfence.h
 * describes, offsets map back to policy lines, and an NLMSG_ERROR with
 * TLVs yields the kernel's message and offset.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <netlink/attr.h>
#include <netlink/genl/genl.h>
#include <netlink/msg.h>

#include "nl.h"
#include "policy_msg.h"
#include "subject_rec.h"
#include "policy_parse.h"
#include "unit.h"

static const char policy_text[] =
	"levels UNCLASSIFIED OFFICIAL SECRET TOP-SECRET\n"	/* 1 */
	"default OFFICIAL\n"					/* 2 */
	"\n"							/* 3 */
	"subject /opt/av/bin/scanner OFFICIAL\n"		/* 4 */
	"# comment\n"						/* 5 */
	"subject /usr/sbin/clamd SECRET allow=ptrace\n"		/* 6 */
	"subject /usr/lib/av/helper UNCLASSIFIED\n"		/* 7 */
	"mode enforce\n";					/* 8 */

/* The kernel's view: the policies of kmod/netlink.c, in libnl terms. */
static struct nla_policy top_policy[AVFENCE_A_MAX + 1] = {
	[AVFENCE_A_MODE] = { .type = NLA_U32 },
	[AVFENCE_A_LEVELS] = { .type = NLA_NESTED },
	[AVFENCE_A_DEFAULT_LEVEL] = { .type = NLA_STRING,
				      .maxlen = AVFENCE_LEVEL_NAME_MAX },
	[AVFENCE_A_SUBJECTS] = { .type = NLA_NESTED },
};

static struct nla_policy subject_policy[AVFENCE_SUBJECT_A_MAX + 1] = {
	[AVFENCE_SUBJECT_A_PATH] = { .type = NLA_STRING,
				     .maxlen = AVFENCE_PATH_MAX },
	[AVFENCE_SUBJECT_A_CLEARANCE] = { .type = NLA_STRING,
					  .maxlen = AVFENCE_LEVEL_NAME_MAX },
	[AVFENCE_SUBJECT_A_ALLOW] = { .type = NLA_U32 },
};

static int parse_policy(const char *text, struct policy *pol)
{
	struct policy_errors errs = { 0 };
	int ret = policy_parse(text, strlen(text), pol, &errs);

	policy_errors_free(&errs);
	return ret;
}

static int build_err;

static struct nl_msg *build(const struct policy *pol, enum policy_msg_form form,
			    struct policy_msg_map *map)
{
	size_t size = policy_msg_size(pol);
	struct nl_msg *msg;

	msg = nlmsg_alloc_size(size + NLMSG_HDRLEN + GENL_HDRLEN);
	if (!msg)
		return NULL;
	memset(map, 0, sizeof(*map));
	build_err = -EMSGSIZE;
	if (genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, 0x20, 0,
			NLM_F_REQUEST | NLM_F_ACK, AVFENCE_CMD_LOAD_POLICY,
			AVFENCE_GENL_VERSION))
		build_err = policy_msg_fill(msg, pol, form, map);
	if (build_err) {
		nlmsg_free(msg);
		return NULL;
	}
	return msg;
}

/* Parse @text (then freed) into @pol and build() its message. */
static struct nl_msg *build_text(struct __test_metadata *_metadata, char *text,
				 struct policy *pol, enum policy_msg_form form,
				 struct policy_msg_map *map)
{
	EXPECT_EQ(0, parse_policy(text, pol));
	free(text);
	return build(pol, form, map);
}

TEST(load_message_layout)
{
	struct nlattr *tb[AVFENCE_A_MAX + 1], *stb[AVFENCE_SUBJECT_A_MAX + 1];
	struct policy_msg_map map;
	struct policy pol;
	struct nlattr *a, *s;
	struct nl_msg *msg;
	int rem, n;

	EXPECT_EQ(0, parse_policy(policy_text, &pol));
	msg = build(&pol, POLICY_MSG_ONE_NEST, &map);
	EXPECT_TRUE(msg != NULL);
	if (!msg)
		goto out;
	EXPECT_EQ(0, genlmsg_parse(nlmsg_hdr(msg), 0, tb, AVFENCE_A_MAX,
				   top_policy));
	EXPECT_EQ(AVFENCE_CMD_LOAD_POLICY,
		  ((struct genlmsghdr *)nlmsg_data(nlmsg_hdr(msg)))->cmd);
	EXPECT_TRUE(tb[AVFENCE_A_MODE] && tb[AVFENCE_A_LEVELS] &&
	       tb[AVFENCE_A_DEFAULT_LEVEL] && tb[AVFENCE_A_SUBJECTS]);
	if (!tb[AVFENCE_A_MODE] || !tb[AVFENCE_A_LEVELS] ||
	    !tb[AVFENCE_A_DEFAULT_LEVEL] || !tb[AVFENCE_A_SUBJECTS])
		goto out_free;
	EXPECT_EQ(AVFENCE_MODE_ENFORCE, nla_get_u32(tb[AVFENCE_A_MODE]));
	EXPECT_STREQ("OFFICIAL", nla_get_string(tb[AVFENCE_A_DEFAULT_LEVEL]));
	/* The kernel's strict validation wants NLA_F_NESTED on nests. */
	EXPECT_TRUE(tb[AVFENCE_A_LEVELS]->nla_type & NLA_F_NESTED);
	EXPECT_TRUE(tb[AVFENCE_A_SUBJECTS]->nla_type & NLA_F_NESTED);

	n = 0;
	nla_for_each_nested(a, tb[AVFENCE_A_LEVELS], rem) {
		EXPECT_EQ(AVFENCE_LEVEL_A_NAME, nla_type(a));
		if (n < 4)
			EXPECT_STREQ(pol.levels.name[n], nla_get_string(a));
		n++;
	}
	EXPECT_EQ(4, n);

	n = 0;
	nla_for_each_nested(s, tb[AVFENCE_A_SUBJECTS], rem) {
		EXPECT_EQ(AVFENCE_A_SUBJECT, nla_type(s));
		EXPECT_TRUE(s->nla_type & NLA_F_NESTED);
		EXPECT_EQ(0, nla_parse_nested(stb, AVFENCE_SUBJECT_A_MAX, s,
					      subject_policy));
		if (n < 3 && stb[AVFENCE_SUBJECT_A_PATH] &&
		    stb[AVFENCE_SUBJECT_A_CLEARANCE]) {
			/* In canonical order: line 4, then 7, then 6. */
			static const int file_index[] = { 0, 2, 1 };
			const struct policy_subject *ps =
				&pol.subjects[file_index[n]];

			EXPECT_STREQ(ps->path,
				     nla_get_string(stb[AVFENCE_SUBJECT_A_PATH]));
			EXPECT_STREQ(pol.levels.name[ps->clearance],
				     nla_get_string(stb[AVFENCE_SUBJECT_A_CLEARANCE]));
			/* ALLOW only where flags were given: clamd, line 6. */
			EXPECT_EQ(n == 2, !!stb[AVFENCE_SUBJECT_A_ALLOW]);
			if (stb[AVFENCE_SUBJECT_A_ALLOW])
				EXPECT_EQ(AVFENCE_ALLOW_PTRACE,
					  nla_get_u32(stb[AVFENCE_SUBJECT_A_ALLOW]));
		}
		n++;
	}
	EXPECT_EQ(3, n);
	/* policy_msg_size() is exact when the subjects fit one nest. */
	EXPECT_EQ(NLMSG_HDRLEN + GENL_HDRLEN + policy_msg_size(&pol),
		  nlmsg_hdr(msg)->nlmsg_len);
out_free:
	nlmsg_free(msg);
out:
	policy_msg_map_free(&map);
	policy_free(&pol);
}

static uint32_t off(struct nl_msg *msg, const void *p)
{
	return (const char *)p - (const char *)nlmsg_hdr(msg);
}

/*
 * Each subject the request holds, in the order sent, from AVFENCE_A_SUBJECTS
 * nests and AVFENCE_A_SUBJECT_TABLE records alike: its path, and the offset
 * the kernel would point at (the path attribute, or the record).  Each
 * table must pass the check the kernel's family policy makes.  Return the number found, or
 * -1 past @max or on a malformed record.
 */
static int sent_subjects(struct nl_msg *msg, const char **path,
			 uint32_t *where, int max, int *attrs)
{
	struct nlattr *a, *s, *stb[AVFENCE_SUBJECT_A_MAX + 1];
	int rem, rem2, n = 0;

	*attrs = 0;
	nlmsg_for_each_attr(a, nlmsg_hdr(msg), GENL_HDRLEN, rem) {
		if (nla_type(a) == AVFENCE_A_SUBJECTS) {
			(*attrs)++;
			nla_for_each_nested(s, a, rem2) {
				if (n == max)
					return -1;
				nla_parse_nested(stb, AVFENCE_SUBJECT_A_MAX, s,
						 NULL);
				if (!stb[AVFENCE_SUBJECT_A_PATH])
					return -1;
				path[n] = nla_data(stb[AVFENCE_SUBJECT_A_PATH]);
				where[n++] = off(msg, stb[AVFENCE_SUBJECT_A_PATH]);
			}
		} else if (nla_type(a) == AVFENCE_A_SUBJECT_TABLE) {
			const char *p = nla_data(a), *end = p + nla_len(a);
			size_t bad;

			(*attrs)++;
			/* The kernel's own rules (kmod/subject_rec.c). */
			if (avf_subject_table_check(nla_data(a), nla_len(a),
						    &bad))
				return -1;
			while (p < end) {
				const struct avfence_subject_rec *rec =
					(const void *)p;

				if (n == max)
					return -1;
				path[n] = rec->path;
				where[n++] = off(msg, p);
				p += rec->len;
			}
		}
	}
	return n;
}

TEST(offsets_map_to_lines)
{
	struct nlattr *tb[AVFENCE_A_MAX + 1], *stb[AVFENCE_SUBJECT_A_MAX + 1];
	struct policy_msg_map map;
	struct policy_loc loc;
	struct policy pol;
	struct nlattr *a;
	struct nl_msg *msg;
	int rem, i;

	EXPECT_EQ(0, parse_policy(policy_text, &pol));
	msg = build(&pol, POLICY_MSG_ONE_NEST, &map);
	ASSERT_NE(NULL, msg);
	ASSERT_EQ(0, genlmsg_parse(nlmsg_hdr(msg), 0, tb, AVFENCE_A_MAX,
				   top_policy))
		TH_LOG("cannot build the message");

	loc = policy_msg_locate(&pol, &map, 0);
	EXPECT_EQ(POLICY_LOC_NONE, loc.kind);
	loc = policy_msg_locate(&pol, &map, nlmsg_hdr(msg)->nlmsg_len);
	EXPECT_EQ(POLICY_LOC_NONE, loc.kind);

	loc = policy_msg_locate(&pol, &map, off(msg, tb[AVFENCE_A_MODE]));
	EXPECT_EQ(POLICY_LOC_MODE, loc.kind);
	EXPECT_EQ(8, loc.line);
	loc = policy_msg_locate(&pol, &map,
				off(msg, tb[AVFENCE_A_DEFAULT_LEVEL]));
	EXPECT_EQ(POLICY_LOC_DEFAULT, loc.kind);
	EXPECT_EQ(2, loc.line);
	loc = policy_msg_locate(&pol, &map, off(msg, tb[AVFENCE_A_LEVELS]));
	EXPECT_EQ(POLICY_LOC_LEVELS, loc.kind);
	EXPECT_EQ(1, loc.line);
	loc = policy_msg_locate(&pol, &map, off(msg, tb[AVFENCE_A_SUBJECTS]));
	EXPECT_EQ(POLICY_LOC_SUBJECTS, loc.kind);

	i = 0;
	nla_for_each_nested(a, tb[AVFENCE_A_LEVELS], rem) {
		loc = policy_msg_locate(&pol, &map, off(msg, a));
		EXPECT_EQ(POLICY_LOC_LEVEL, loc.kind);
		EXPECT_EQ(i, loc.index);
		EXPECT_EQ(1, loc.line);
		i++;
	}

	/*
	 * The subjects are sent by path, not in file order: the second sent
	 * (/usr/lib/av/helper) is the third in the file, line 7.  The index
	 * is into pol.subjects, whatever the order sent.
	 */
	i = 0;
	nla_for_each_nested(a, tb[AVFENCE_A_SUBJECTS], rem) {
		static const unsigned int lines[] = { 4, 7, 6 };
		static const size_t file_index[] = { 0, 2, 1 };

		/* The nest, and the attributes the kernel would name. */
		loc = policy_msg_locate(&pol, &map, off(msg, a));
		EXPECT_EQ(POLICY_LOC_SUBJECT, loc.kind);
		EXPECT_EQ(file_index[i], loc.index);
		EXPECT_EQ(lines[i], loc.line);
		nla_parse_nested(stb, AVFENCE_SUBJECT_A_MAX, a, NULL);
		loc = policy_msg_locate(&pol, &map,
					off(msg, stb[AVFENCE_SUBJECT_A_PATH]));
		EXPECT_EQ(POLICY_LOC_SUBJECT, loc.kind);
		EXPECT_EQ(file_index[i], loc.index);
		EXPECT_STREQ(nla_get_string(stb[AVFENCE_SUBJECT_A_PATH]),
			     pol.subjects[loc.index].path);
		loc = policy_msg_locate(&pol, &map,
					off(msg, stb[AVFENCE_SUBJECT_A_CLEARANCE]));
		EXPECT_EQ(file_index[i], loc.index);
		EXPECT_EQ(lines[i], loc.line);
		i++;
	}
	EXPECT_EQ(3, i);
	nlmsg_free(msg);
	policy_msg_map_free(&map);
	policy_free(&pol);
}

/* A policy of @n subjects with 23-byte paths. */
static char *subjects_text(int n)
{
	return numbered_text("levels A B\ndefault A\nmode enforce\n",
			     "subject /opt/av/bin/agent-%05d B\n", n);
}

/*
 * ABI 1 has one AVFENCE_A_SUBJECTS nest, and nla_len is 16 bits: find the
 * most subjects that fit, and check that one more is refused rather than
 * silently truncated (libnl would drop an oversized nest).
 */
TEST(one_nest_limit)
{
	struct policy_msg_map map;
	struct policy pol;
	struct nl_msg *msg;
	/* Each: nest 4 + path 4+24 (23 chars + NUL) + level 4+2 (+2 pad) */
	size_t fit = (POLICY_NEST_MAX - NLA_HDRLEN) / 40;
	char *text;

	text = subjects_text(fit);
	msg = build_text(_metadata, text, &pol, POLICY_MSG_ONE_NEST, &map);
	EXPECT_TRUE(msg != NULL);
	if (msg) {
		printf("# one nest holds %zu subjects of 23-byte paths\n", fit);
		nlmsg_free(msg);
	}
	policy_msg_map_free(&map);
	policy_free(&pol);

	text = subjects_text(fit + 1);
	msg = build_text(_metadata, text, &pol, POLICY_MSG_ONE_NEST, &map);
	EXPECT_TRUE(msg == NULL);
	EXPECT_EQ(-E2BIG, build_err);
	policy_msg_map_free(&map);
	policy_free(&pol);
}

TEST(largest_policy_split)
{
	static const char *sent[AVFENCE_SUBJECTS_MAX];
	static uint32_t where[AVFENCE_SUBJECTS_MAX];
	char *text = subjects_text(AVFENCE_SUBJECTS_MAX), want[64];
	struct policy_msg_map map;
	struct policy_loc loc;
	int rem, nests = 0, n, i;
	struct policy pol;
	struct nl_msg *msg;
	struct nlattr *a;

	msg = build_text(_metadata, text, &pol, POLICY_MSG_ONE_NEST, &map);
	EXPECT_TRUE(msg == NULL);
	EXPECT_EQ(-E2BIG, build_err);
	policy_msg_map_free(&map);

	msg = build(&pol, POLICY_MSG_TABLES, &map);
	EXPECT_TRUE(msg != NULL);
	if (!msg)
		goto out;
	printf("# %d subjects: LOAD_POLICY request of %u bytes in %u nests\n",
	       AVFENCE_SUBJECTS_MAX, nlmsg_hdr(msg)->nlmsg_len, map.nr_nests);
	EXPECT_TRUE(nlmsg_hdr(msg)->nlmsg_len <=
	       NLMSG_HDRLEN + GENL_HDRLEN + policy_msg_size(&pol));
	/*
	 * Every subject, in order: all plain, so all in tables (of up to
	 * 64 KiB each), none in a nest.
	 */
	n = sent_subjects(msg, sent, where, AVFENCE_SUBJECTS_MAX, &nests);
	EXPECT_EQ(AVFENCE_SUBJECTS_MAX, n);
	for (i = 0; i < n; i++) {
		snprintf(want, sizeof(want), "/opt/av/bin/agent-%05d", i);
		if (strcmp(want, sent[i]))
			TH_LOG("subject %d", i);
		EXPECT_EQ(map.subject_off[i], where[i]);
	}
	nlmsg_for_each_attr(a, nlmsg_hdr(msg), GENL_HDRLEN, rem) {
		EXPECT_NE(AVFENCE_A_SUBJECTS, nla_type(a));
	}
	EXPECT_EQ(map.nr_nests, nests);
	EXPECT_TRUE(nests > 1);
	loc = policy_msg_locate(&pol, &map,
				map.subject_off[AVFENCE_SUBJECTS_MAX - 1] + 8);
	EXPECT_EQ(POLICY_LOC_SUBJECT, loc.kind);
	EXPECT_EQ(AVFENCE_SUBJECTS_MAX - 1, loc.index);
	EXPECT_EQ(3 + AVFENCE_SUBJECTS_MAX, loc.line);
	loc = policy_msg_locate(&pol, &map, map.subject_off[1234]);
	EXPECT_EQ(1234, loc.index);
	/* The first table's offset, which a kernel without tables names. */
	a = (struct nlattr *)((char *)nlmsg_hdr(msg) + map.first_table_off);
	EXPECT_LT(0, map.first_table_off);
	EXPECT_EQ(AVFENCE_A_SUBJECT_TABLE, nla_type(a));
	EXPECT_EQ(map.subject_off[0], map.first_table_off + NLA_HDRLEN);
	nlmsg_free(msg);
	policy_msg_map_free(&map);

	/* For such a kernel: the same subjects, all in nests, several. */
	msg = build(&pol, POLICY_MSG_NESTS, &map);
	EXPECT_TRUE(msg != NULL);
	if (!msg)
		goto out;
	EXPECT_EQ(0, map.first_table_off);
	n = sent_subjects(msg, sent, where, AVFENCE_SUBJECTS_MAX, &nests);
	EXPECT_EQ(AVFENCE_SUBJECTS_MAX, n);
	EXPECT_LT(1, nests);
	nlmsg_for_each_attr(a, nlmsg_hdr(msg), GENL_HDRLEN, rem) {
		EXPECT_NE(AVFENCE_A_SUBJECT_TABLE, nla_type(a));
	}
	for (i = 0; i < n; i++) {
		snprintf(want, sizeof(want), "/opt/av/bin/agent-%05d", i);
		if (strcmp(want, sent[i]))
			TH_LOG("subject %d", i);
	}
	nlmsg_free(msg);
out:
	policy_msg_map_free(&map);
	policy_free(&pol);
}

/*
 * Subjects in reverse order of path, with bytes that sort differently
 * signed and unsigned, every seventh with a flag (so in a nest, the others
 * in table records, the two kinds of attribute interleaved): the request
 * holds them in canonical order (bytewise, as the digest), and each offset
 * still names its own line.
 */
TEST(subjects_sent_in_canonical_order)
{
	static const char *sent[3000];
	static uint32_t where[3000];
	const size_t nr = 3000;
	struct policy_msg_map map;
	struct policy_loc loc;
	struct policy pol;
	struct nl_msg *msg;
	char *text = malloc(64 + nr * 48);
	int o, n, k, attrs, rem, tables = 0, nests = 0, bad = 0;
	struct nlattr *a;
	const char *prev = "";
	unsigned int line;
	size_t i;

	o = sprintf(text, "levels A B\ndefault A\nmode enforce\n");
	for (i = nr; i-- > 0;)
		o += sprintf(text + o, "subject /opt/%s%04zu B%s\n",
			     i % 3 == 0 ? "\xc3" : i % 3 == 1 ? "a" : "A", i,
			     i % 7 == 0 ? " allow=ptrace" : "");
	msg = build_text(_metadata, text, &pol, POLICY_MSG_TABLES, &map);
	EXPECT_TRUE(msg != NULL);
	if (!msg)
		goto out;
	EXPECT_TRUE(map.nr_nests > 1);
	n = sent_subjects(msg, sent, where, nr, &attrs);
	nlmsg_for_each_attr(a, nlmsg_hdr(msg), GENL_HDRLEN, rem) {
		tables += nla_type(a) == AVFENCE_A_SUBJECT_TABLE;
		nests += nla_type(a) == AVFENCE_A_SUBJECTS;
	}
	EXPECT_EQ(map.nr_nests, attrs);
	EXPECT_LT(100, tables);
	EXPECT_LT(100, nests);
	for (k = 0; k < n; k++) {
		const char *path = sent[k];

		/* strcmp() compares unsigned: 'A' < 'a' < 0xc3 */
		if (strcmp(prev, path) >= 0 && !bad++)
			TH_LOG("'%s' sent after '%s'", path, prev);
		prev = path;
		/* Line 4 holds /opt/?2999, the last line /opt/?0000. */
		line = 4 + nr - 1 - (unsigned int)atoi(path + 6);
		loc = policy_msg_locate(&pol, &map, where[k]);
		if ((loc.kind != POLICY_LOC_SUBJECT ||
		     strcmp(pol.subjects[loc.index].path, path) ||
		     loc.line != line) && !bad++)
			TH_LOG("'%s' located at line %u", path, loc.line);
	}
	EXPECT_EQ((int)nr, n);
	EXPECT_EQ(0, bad);
	/* The first sent is "/opt/A0002", the last of the file's "A"s. */
	loc = policy_msg_locate(&pol, &map, map.subject_off[0]);
	EXPECT_STREQ("/opt/A0002", pol.subjects[loc.index].path);
	EXPECT_EQ(4 + nr - 1 - 2, loc.line);
	nlmsg_free(msg);
out:
	policy_msg_map_free(&map);
	policy_free(&pol);
}

TEST(no_subjects_no_nest)
{
	struct nlattr *tb[AVFENCE_A_MAX + 1];
	struct policy_msg_map map;
	struct policy pol;
	struct nl_msg *msg;

	EXPECT_EQ(0, parse_policy("levels A\ndefault A\nmode audit\n", &pol));
	msg = build(&pol, POLICY_MSG_ONE_NEST, &map);
	EXPECT_TRUE(msg != NULL);
	if (msg) {
		EXPECT_EQ(0, genlmsg_parse(nlmsg_hdr(msg), 0, tb,
					   AVFENCE_A_MAX, top_policy));
		EXPECT_TRUE(!tb[AVFENCE_A_SUBJECTS]);
		EXPECT_EQ(AVFENCE_MODE_AUDIT, nla_get_u32(tb[AVFENCE_A_MODE]));
		EXPECT_EQ(POLICY_LOC_NONE,
			  policy_msg_locate(&pol, &map,
					    nlmsg_hdr(msg)->nlmsg_len).kind);
		nlmsg_free(msg);
	}
	policy_msg_map_free(&map);
	policy_free(&pol);
}

/* Lay out an NLMSG_ERROR as the kernel does with NETLINK_CAP_ACK. */
static size_t make_error(char *buf, int error, const char *text,
			 bool with_offs, uint32_t offs, bool capped)
{
	struct nlmsghdr *nlh = (struct nlmsghdr *)buf;
	struct nlmsgerr *e = (struct nlmsgerr *)(buf + NLMSG_HDRLEN);
	size_t len = NLMSG_HDRLEN + sizeof(*e);
	struct nlattr *a;

	memset(buf, 0, 1024);
	e->error = error;
	e->msg.nlmsg_len = NLMSG_HDRLEN + 4;	/* the request: a genl hdr */
	e->msg.nlmsg_type = 0x20;
	if (!capped)
		len += 4;			/* its payload echoed */
	nlh->nlmsg_type = NLMSG_ERROR;
	nlh->nlmsg_flags = NLM_F_ACK_TLVS | (capped ? NLM_F_CAPPED : 0);
	if (text) {
		a = (struct nlattr *)(buf + len);
		a->nla_type = NLMSGERR_ATTR_MSG;
		a->nla_len = NLA_HDRLEN + strlen(text) + 1;
		strcpy((char *)a + NLA_HDRLEN, text);
		len += NLA_ALIGN(a->nla_len);
	}
	if (with_offs) {
		a = (struct nlattr *)(buf + len);
		a->nla_type = NLMSGERR_ATTR_OFFS;
		a->nla_len = NLA_HDRLEN + 4;
		memcpy((char *)a + NLA_HDRLEN, &offs, 4);
		len += NLA_ALIGN(a->nla_len);
	}
	nlh->nlmsg_len = len;
	return len;
}

TEST(ext_ack_parsing)
{
	char buf[1024] __attribute__((aligned(8)));
	struct avf_nl_ack ack;
	struct nlmsghdr *nlh = (struct nlmsghdr *)buf;
	struct nlmsgerr *e = (struct nlmsgerr *)(buf + NLMSG_HDRLEN);

	make_error(buf, -2, "subject path does not resolve", true, 1234,
		   true);
	memset(&ack, 0, sizeof(ack));
	avf_nl_parse_ext_ack(nlh, e, &ack);
	EXPECT_STREQ("subject path does not resolve", ack.msg);
	EXPECT_TRUE(ack.has_offs);
	EXPECT_EQ(1234, ack.offs);

	make_error(buf, -1, "a fenced process may not change the fence",
		   false, 0, false);
	memset(&ack, 0, sizeof(ack));
	avf_nl_parse_ext_ack(nlh, e, &ack);
	EXPECT_STREQ("a fenced process may not change the fence", ack.msg);
	EXPECT_TRUE(!ack.has_offs);

	/* No TLVs flag: nothing is read even if bytes follow. */
	make_error(buf, -22, "ignored", true, 8, true);
	nlh->nlmsg_flags = 0;
	memset(&ack, 0, sizeof(ack));
	avf_nl_parse_ext_ack(nlh, e, &ack);
	EXPECT_STREQ("", ack.msg);
	EXPECT_TRUE(!ack.has_offs);

	/* Offset only. */
	make_error(buf, -22, NULL, true, 40, true);
	memset(&ack, 0, sizeof(ack));
	avf_nl_parse_ext_ack(nlh, e, &ack);
	EXPECT_STREQ("", ack.msg);
	EXPECT_TRUE(ack.has_offs);
	EXPECT_EQ(40, ack.offs);
}

/*
 * The kernel's check of a subject table (kmod/subject_rec.c), on tables
 * broken every way one byte or one length can break them, each in a buffer
 * of exactly its length (the ASan build sees any read past it): every
 * table it accepts has records that follow the rules, and a good table
 * cut anywhere but at a record's end is refused.
 */
static void put_test_rec(unsigned char *p, const char *path, uint8_t clr)
{
	struct avfence_subject_rec *rec = (void *)p;
	size_t len = avf_subject_rec_len(strlen(path));

	memset(p, 0, len);
	rec->len = len;
	rec->clearance = clr;
	memcpy(rec->path, path, strlen(path));
}

static int walk_ok(const unsigned char *t, size_t len)
{
	size_t off = 0;

	while (off < len) {
		const struct avfence_subject_rec *rec = (const void *)(t + off);
		size_t l = strnlen(rec->path, len - off - sizeof(*rec));

		if (rec->pad || rec->path[0] != '/' ||
		    rec->len != avf_subject_rec_len(l) || off + rec->len > len)
			return 0;
		off += rec->len;
	}
	return off == len && len;
}

TEST(subject_table_check_rules)
{
	static const char *const paths[] = { "/a", "/opt/av/bin/scanner",
					     "/xyz", "/0123456789ab" };
	static const unsigned char vals[] = { 0, 1, 2, 3, 4, 5, 7, 8, '/',
					      'x', 0x7f, 0x80, 0xff };
	unsigned char good[128];
	size_t len = 0, cut, i, v, bad, ends[4];
	int accepted = 0, refused = 0;

	for (i = 0; i < 4; i++) {
		put_test_rec(good + len, paths[i], i);
		len += avf_subject_rec_len(strlen(paths[i]));
		ends[i] = len;
	}
	ASSERT_EQ(0, avf_subject_table_check(good, len, &bad));
	/* Cut short: refused, except exactly after a record. */
	for (cut = 0; cut < len; cut++) {
		unsigned char *t = malloc(cut ? cut : 1);
		int at_end = 0;

		memcpy(t, good, cut);
		for (i = 0; i < 4; i++)
			at_end |= cut == ends[i];
		EXPECT_EQ(at_end ? 0 : -EINVAL,
			  avf_subject_table_check(t, cut, &bad))
			TH_LOG("cut at %zu", cut);
		free(t);
	}
	/* Every byte set to each value: accepted only if still well-formed. */
	for (i = 0; i < len; i++)
		for (v = 0; v < sizeof(vals); v++) {
			unsigned char *t = malloc(len);
			int ret;

			memcpy(t, good, len);
			t[i] = vals[v];
			ret = avf_subject_table_check(t, len, &bad);
			if (!ret) {
				accepted++;
				EXPECT_TRUE(walk_ok(t, len))
					TH_LOG("byte %zu = %u accepted", i,
					       vals[v]);
			} else {
				refused++;
				EXPECT_EQ(-EINVAL, ret);
				EXPECT_TRUE(bad < len);
				EXPECT_EQ(0, bad % 4);
			}
			free(t);
		}
	EXPECT_LT(0, accepted);	/* path bytes and clearances that stay valid */
	EXPECT_LT(0, refused);
}

/* A path of AVFENCE_PATH_MAX bytes and its NUL: refused; one less: not. */
TEST(subject_table_path_max)
{
	size_t n = AVFENCE_PATH_MAX - 1, bad;
	struct avfence_subject_rec *rec;
	unsigned char *t;

	t = calloc(1, avf_subject_rec_len(n));
	ASSERT_NE(NULL, t);
	rec = (void *)t;
	rec->len = avf_subject_rec_len(n);
	rec->path[0] = '/';
	memset(rec->path + 1, 'p', n - 1);
	EXPECT_EQ(0, avf_subject_table_check(t, rec->len, &bad));
	free(t);

	t = calloc(1, avf_subject_rec_len(n + 1));
	ASSERT_NE(NULL, t);
	rec = (void *)t;
	rec->len = avf_subject_rec_len(n + 1);
	rec->path[0] = '/';
	memset(rec->path + 1, 'p', n);
	EXPECT_EQ(-EINVAL, avf_subject_table_check(t, rec->len, &bad));
	free(t);
}

TEST_HARNESS_MAIN
