// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of the write= and connect= subject options: the parser's
 * diagnostics (LINE:COL and text), the canonical form (lists sorted
 * bytewise, after allow=), the validators shared with the kernel
 * (kmod/decide.c) and the nests in the load request.
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

/* Three valid lines; subject lines start at line 4. */
#define HEAD "levels A B\ndefault A\nmode enforce\n"

struct result {
	struct policy pol;
	struct policy_errors errs;
	int ret;
};

static void parse(struct result *r, const char *text)
{
	memset(&r->errs, 0, sizeof(r->errs));
	r->ret = policy_parse(text, strlen(text), &r->pol, &r->errs);
}

static void done(struct result *r)
{
	policy_free(&r->pol);
	policy_errors_free(&r->errs);
}

/* The only error is exactly LINE:COL: MSG. */
static void expect_one_error(struct __test_metadata *_metadata,
			     const char *text, unsigned int line,
			     unsigned int col, const char *msg)
{
	struct result r;
	size_t i;

	parse(&r, text);
	EXPECT_TRUE(r.ret == -EINVAL && r.errs.nr == 1 &&
		    r.errs.v[0].line == line && r.errs.v[0].col == col &&
		    !strcmp(r.errs.v[0].msg, msg)) {
		TH_LOG("want one error %u:%u: %s", line, col, msg);
		for (i = 0; i < r.errs.nr; i++)
			TH_LOG("got %u:%u: %s", r.errs.v[i].line,
			       r.errs.v[i].col, r.errs.v[i].msg);
	}
	done(&r);
}

#define EXPECT_ONE_ERROR(text, line, col, msg) \
	expect_one_error(_metadata, text, line, col, msg)

TEST(lists_parse_sorted)
{
	struct result r;
	const struct policy_subject *s;

	parse(&r, HEAD "subject /opt/av/scan B write=/var/lib/av,/tmp,/run/av "
		  "connect=@av-ctl,/run/clamd.ctl allow=ptrace\n");
	EXPECT_EQ(0, r.ret);
	EXPECT_EQ(1, r.pol.nr_subjects);
	if (r.ret || r.pol.nr_subjects != 1)
		goto out;
	s = &r.pol.subjects[0];
	EXPECT_EQ(AVFENCE_ALLOW_PTRACE, s->allow);
	EXPECT_EQ(3, s->nr_write);
	if (s->nr_write == 3) {
		EXPECT_STREQ("/run/av", s->write[0]);
		EXPECT_STREQ("/tmp", s->write[1]);
		EXPECT_STREQ("/var/lib/av", s->write[2]);
	}
	EXPECT_EQ(2, s->nr_connect);
	if (s->nr_connect == 2) {
		/* bytewise: '/' (0x2f) before '@' (0x40) */
		EXPECT_STREQ("/run/clamd.ctl", s->connect[0]);
		EXPECT_STREQ("@av-ctl", s->connect[1]);
	}
out:
	done(&r);
}

TEST(no_write_means_nowhere)
{
	struct result r;

	parse(&r, HEAD "subject /opt/av/scan B\n");
	EXPECT_EQ(0, r.ret);
	if (!r.ret && r.pol.nr_subjects == 1) {
		EXPECT_EQ(0, r.pol.subjects[0].nr_write);
		EXPECT_TRUE(r.pol.subjects[0].write == NULL);
		EXPECT_EQ(0, r.pol.subjects[0].nr_connect);
	}
	done(&r);
}

TEST(list_diagnostics)
{
	EXPECT_ONE_ERROR(HEAD "subject /s B write=tmp\n", 4, 20,
			 "write= directory 'tmp' is not absolute");
	EXPECT_ONE_ERROR(HEAD "subject /s B write=/tmp,var/x\n", 4, 25,
			 "write= directory 'var/x' is not absolute");
	EXPECT_ONE_ERROR(HEAD "subject /s B write=/tmp/\n", 4, 20,
			 "write path '/tmp/' must be spelled without '.' or '..' components, '//', a trailing '/', ',' or control characters");
	EXPECT_ONE_ERROR(HEAD "subject /s B write=/var/../etc\n", 4, 20,
			 "write path '/var/../etc' must be spelled without '.' or '..' components, '//', a trailing '/', ',' or control characters");
	EXPECT_ONE_ERROR(HEAD "subject /s B write=/a//b\n", 4, 20,
			 "write path '/a//b' must be spelled without '.' or '..' components, '//', a trailing '/', ',' or control characters");
	EXPECT_ONE_ERROR(HEAD "subject /s B write=/tmp,,/var\n", 4, 25,
			 "empty entry in 'write='");
	EXPECT_ONE_ERROR(HEAD "subject /s B write=\n", 4, 14,
			 "'write=' needs directories");
	EXPECT_ONE_ERROR(HEAD "subject /s B connect=\n", 4, 14,
			 "'connect=' needs socket paths or @names");
	EXPECT_ONE_ERROR(HEAD "subject /s B write=/tmp,/var,/tmp\n", 4, 30,
			 "duplicate write entry '/tmp' (first at column 20)");
	EXPECT_ONE_ERROR(HEAD "subject /s B write=/tmp write=/var\n", 4, 25,
			 "duplicate 'write=' option (first at column 14)");
	EXPECT_ONE_ERROR(HEAD "subject /s B connect=@a connect=@b\n", 4, 25,
			 "duplicate 'connect=' option (first at column 14)");
	EXPECT_ONE_ERROR(HEAD "subject /s B connect=@x,@x\n", 4, 25,
			 "duplicate connect entry '@x' (first at column 22)");
	EXPECT_ONE_ERROR(HEAD "subject /s B connect=run/x\n", 4, 22,
			 "connect= entry 'run/x' is neither an absolute path nor an @abstract name");
	EXPECT_ONE_ERROR(HEAD "subject /s B connect=@\n", 4, 22,
			 "invalid abstract name '@' (1-107 bytes, no ',' or control characters)");
	EXPECT_ONE_ERROR(HEAD "subject /s B writes=/tmp\n", 4, 14,
			 "unexpected 'writes=/tmp' after the level name (expected allow=, write= or connect=)");
	EXPECT_ONE_ERROR(HEAD "subject /s B /tmp\n", 4, 14,
			 "unexpected '/tmp' after the level name (expected allow=, write= or connect=)");
}

TEST(list_limits)
{
	char buf[8192], *p;
	struct result r;
	int i;

	/* AVFENCE_WRITE_MAX entries pass, one more is refused. */
	p = buf + sprintf(buf, HEAD "subject /s B write=");
	for (i = 0; i < AVFENCE_WRITE_MAX; i++)
		p += sprintf(p, "%s/d%02d", i ? "," : "", i);
	strcpy(p, "\n");
	parse(&r, buf);
	EXPECT_EQ(0, r.ret);
	done(&r);
	strcpy(p, ",/d99\n");
	parse(&r, buf);
	EXPECT_EQ(-EINVAL, r.ret);
	EXPECT_EQ(1, r.errs.nr);
	if (r.errs.nr == 1)
		EXPECT_STREQ("too many write= entries (65, limit 64)",
			     r.errs.v[0].msg);
	done(&r);
}

TEST(validators)
{
	static const char *const good[] = {
		"/", "/tmp", "/var/lib/clamav", "/a.b", "/..a", "/a=b", "/.x",
	};
	static const char *const bad[] = {
		"", "tmp", "/tmp/", "//", "/a//b", "/.", "/..", "/a/./b",
		"/a/../b", "/a,b", "/a\nb", "/a\x7f",
	};
	char longname[AVFENCE_ABSTRACT_MAX + 3];
	size_t i;

	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		EXPECT_TRUE(avf_list_path_valid(good[i], strlen(good[i])));
		EXPECT_TRUE(avf_connect_name_valid(good[i], strlen(good[i])));
	}
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		EXPECT_TRUE(!avf_list_path_valid(bad[i], strlen(bad[i])));
		EXPECT_TRUE(!avf_connect_name_valid(bad[i], strlen(bad[i])));
	}
	EXPECT_TRUE(avf_connect_name_valid("@x", 2));
	EXPECT_TRUE(avf_connect_name_valid("@/org/freedesktop", 17));
	EXPECT_TRUE(!avf_connect_name_valid("@", 1));
	EXPECT_TRUE(!avf_connect_name_valid("@a,b", 4));
	EXPECT_TRUE(!avf_list_path_valid("@x", 2));
	longname[0] = '@';
	memset(longname + 1, 'n', AVFENCE_ABSTRACT_MAX + 1);
	EXPECT_TRUE(avf_connect_name_valid(longname, AVFENCE_ABSTRACT_MAX + 1));
	EXPECT_TRUE(!avf_connect_name_valid(longname, AVFENCE_ABSTRACT_MAX + 2));
}

static const char *canon(const char *text)
{
	static struct text t;
	struct result r;

	t.len = 0;
	t.buf[0] = '\0';
	parse(&r, text);
	if (!r.ret)
		policy_canon(&r.pol, emit_text, &t);
	done(&r);
	return t.buf;
}

TEST(canonical_lists)
{
	const char *want;

	want = canon(HEAD "subject /s B allow=ptrace write=/var/lib/av,/tmp "
		     "connect=@b,/run/a\nsubject /r A connect=@z\n");
	EXPECT_TRUE(strstr(want, "\nsubject /r A connect=@z\n"
		      "subject /s B allow=ptrace write=/tmp,/var/lib/av "
		      "connect=/run/a,@b\n") != NULL);
	/* The order of options and entries on the line does not matter. */
	EXPECT_STREQ(want,
		     canon(HEAD "subject /s B connect=/run/a,@b write=/tmp,"
			   "/var/lib/av allow=ptrace\nsubject /r A "
			   "connect=@z\n"));
	/* Entries decoded from the file, escaped again in the form. */
	EXPECT_NE(NULL, strstr(canon(HEAD "subject /s B write=/a\\040b\n"),
			       "\nsubject /s B write=/a\\040b\n"));
	EXPECT_NE(NULL, strstr(canon(HEAD "subject /s B write=/a\\075b\n"),
			       "\nsubject /s B write=/a\\075b\n"));
	/* A ',' in an entry (\\054) is no entry of a list. */
	EXPECT_ONE_ERROR(HEAD "subject /s B write=/a\\054b\n", 4, 20,
			 "write path '/a\\x5c054b' must be spelled without '.' or '..' components, '//', a trailing '/', ',' or control characters");
	/* No write= and no connect=: nothing extra on the line. */
	EXPECT_NE(NULL, strstr(canon(HEAD "subject /s B\n"), "\nsubject /s B\n"));
}

static struct nla_policy subject_policy[AVFENCE_SUBJECT_A_MAX + 1] = {
	[AVFENCE_SUBJECT_A_PATH] = { .type = NLA_STRING },
	[AVFENCE_SUBJECT_A_CLEARANCE] = { .type = NLA_STRING },
	[AVFENCE_SUBJECT_A_ALLOW] = { .type = NLA_U32 },
	[AVFENCE_SUBJECT_A_WRITE] = { .type = NLA_NESTED },
	[AVFENCE_SUBJECT_A_CONNECT] = { .type = NLA_NESTED },
};

/* The entries of a list nest, joined by ','. */
static const char *join(struct nlattr *nest)
{
	static char buf[256];
	struct nlattr *a;
	size_t len = 0;
	int rem;

	buf[0] = '\0';
	nla_for_each_nested(a, nest, rem) {
		if (nla_type(a) != AVFENCE_A_ENTRY || a->nla_type & NLA_F_NESTED)
			return "(bad entry)";
		len += snprintf(buf + len, sizeof(buf) - len, "%s%s",
				len ? "," : "", nla_get_string(a));
	}
	return buf;
}

TEST(load_message_lists)
{
	struct nlattr *tb[AVFENCE_A_MAX + 1], *stb[AVFENCE_SUBJECT_A_MAX + 1];
	struct policy_msg_map map = { 0 };
	struct nlattr *s, *subjects;
	struct nl_msg *msg;
	struct result r;
	int rem, n = 0;

	parse(&r, HEAD "subject /b A write=/var,/tmp connect=@x\n"
		  "subject /a B\n");
	EXPECT_EQ(0, r.ret);
	msg = nlmsg_alloc_size(policy_msg_size(&r.pol) + NLMSG_HDRLEN +
			       GENL_HDRLEN);
	if (r.ret || !msg)
		goto out;
	EXPECT_TRUE(genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, 0x20, 0,
			   NLM_F_REQUEST, AVFENCE_CMD_LOAD_POLICY,
			   AVFENCE_GENL_VERSION) != NULL);
	EXPECT_EQ(0, policy_msg_fill(msg, &r.pol, POLICY_MSG_ONE_NEST, &map));
	/* policy_msg_size() is exact when the subjects fit one nest. */
	EXPECT_EQ(NLMSG_HDRLEN + GENL_HDRLEN + policy_msg_size(&r.pol),
		  nlmsg_hdr(msg)->nlmsg_len);
	EXPECT_EQ(0, genlmsg_parse(nlmsg_hdr(msg), 0, tb, AVFENCE_A_MAX, NULL));
	subjects = tb[AVFENCE_A_SUBJECTS];
	EXPECT_TRUE(subjects != NULL);
	if (!subjects)
		goto out_free;
	nla_for_each_nested(s, subjects, rem) {
		EXPECT_EQ(0, nla_parse_nested(stb, AVFENCE_SUBJECT_A_MAX, s,
					      subject_policy));
		if (n == 0) {	/* /a: no lists, no nests */
			EXPECT_TRUE(!stb[AVFENCE_SUBJECT_A_WRITE]);
			EXPECT_TRUE(!stb[AVFENCE_SUBJECT_A_CONNECT]);
		} else if (stb[AVFENCE_SUBJECT_A_WRITE] &&
			   stb[AVFENCE_SUBJECT_A_CONNECT]) {
			EXPECT_TRUE(stb[AVFENCE_SUBJECT_A_WRITE]->nla_type &
			       NLA_F_NESTED);
			EXPECT_TRUE(stb[AVFENCE_SUBJECT_A_CONNECT]->nla_type &
			       NLA_F_NESTED);
			EXPECT_STREQ("/tmp,/var",
				     join(stb[AVFENCE_SUBJECT_A_WRITE]));
			EXPECT_STREQ("@x", join(stb[AVFENCE_SUBJECT_A_CONNECT]));
		} else {
			EXPECT_TRUE(0) {
				TH_LOG("/b has no write= or connect= nest");
			}
		}
		n++;
	}
	EXPECT_EQ(2, n);
	/* An offset inside /b's write= nest maps back to line 4. */
	EXPECT_EQ(2, map.nr_subjects);
	if (map.nr_subjects == 2) {
		struct policy_loc loc = policy_msg_locate(&r.pol, &map,
							  map.subject_off[1] + 40);

		EXPECT_EQ(POLICY_LOC_SUBJECT, loc.kind);
		EXPECT_EQ(4, loc.line);
	}
out_free:
	nlmsg_free(msg);
out:
	policy_msg_map_free(&map);
	done(&r);
}

TEST_HARNESS_MAIN
