// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of avfencectl monitor's event handling (userspace/event.c),
 * the output helpers it shares with status and ps (userspace/output.c) and
 * the ps entry parser: events built as the kernel builds them
 * (kmod/netlink.c send_event) come out as the documented text
 * line and JSON object, with escaping, and sequence gaps count as loss.
 */
#include <stdlib.h>
#include <string.h>
#include <netlink/attr.h>
#include <netlink/genl/genl.h>
#include <netlink/msg.h>

#include "events.h"
#include "output.h"
#include "ps.h"
#include "unit.h"

#define T0 1796000000123456789ull	/* 2026-11-30T00:53:20.123456789Z */

struct ev_spec {
	uint32_t type;
	uint64_t seq, time;
	uint32_t pid;
	const char *comm, *exe, *clearance, *label;
	int route;			/* -1: none */
	const char *path, *what;
	int mode;			/* -1: none */
	int64_t generation;		/* -1: none */
};

/* An AVFENCE_CMD_EVENT message as the kernel sends it. */
static struct nl_msg *build_event(const struct ev_spec *e)
{
	struct nl_msg *msg = nlmsg_alloc();
	struct nlattr *nest;

	if (!msg)
		return NULL;
	if (!genlmsg_put(msg, 0, 0, 0x20, 0, 0, AVFENCE_CMD_EVENT,
			 AVFENCE_GENL_VERSION))
		goto fail;
	nest = nla_nest_start(msg, AVFENCE_A_EVENT);
	if (!nest || nla_put_u32(msg, AVFENCE_EVENT_A_TYPE, e->type) ||
	    nla_put_u64(msg, AVFENCE_EVENT_A_SEQ, e->seq) ||
	    nla_put_u64(msg, AVFENCE_EVENT_A_TIME, e->time) ||
	    nla_put_u32(msg, AVFENCE_EVENT_A_PID, e->pid) ||
	    (e->comm && nla_put_string(msg, AVFENCE_EVENT_A_COMM, e->comm)) ||
	    (e->exe && nla_put_string(msg, AVFENCE_EVENT_A_EXE, e->exe)) ||
	    (e->route >= 0 &&
	     nla_put_u32(msg, AVFENCE_EVENT_A_ROUTE, e->route)) ||
	    (e->clearance &&
	     nla_put_string(msg, AVFENCE_EVENT_A_CLEARANCE, e->clearance)) ||
	    (e->label && nla_put_string(msg, AVFENCE_EVENT_A_LABEL, e->label)) ||
	    (e->path && nla_put_string(msg, AVFENCE_EVENT_A_PATH, e->path)) ||
	    (e->what && nla_put_string(msg, AVFENCE_EVENT_A_WHAT, e->what)) ||
	    (e->mode >= 0 && nla_put_u32(msg, AVFENCE_EVENT_A_MODE, e->mode)) ||
	    (e->generation >= 0 &&
	     nla_put_u64(msg, AVFENCE_EVENT_A_GENERATION, e->generation)))
		goto fail;
	nla_nest_end(msg, nest);
	return msg;
fail:
	nlmsg_free(msg);
	return NULL;
}

static char out[8192];

/* The text (json false) or JSON rendering of @e, in out. */
static const char *render(const struct ev_spec *e, bool json)
{
	struct nlattr *tb[AVFENCE_A_MAX + 1];
	struct avf_event_rec ev;
	struct nl_msg *msg = build_event(e);
	FILE *f;

	strcpy(out, "(build failed)");
	if (!msg)
		return out;
	if (genlmsg_parse(nlmsg_hdr(msg), 0, tb, AVFENCE_A_MAX, NULL) ||
	    !tb[AVFENCE_A_EVENT] || event_parse(tb[AVFENCE_A_EVENT], &ev)) {
		strcpy(out, "(parse failed)");
		nlmsg_free(msg);
		return out;
	}
	f = fmemopen(out, sizeof(out), "w");
	if (json)
		event_print_json(f, &ev);
	else
		event_print_text(f, &ev);
	fclose(f);
	nlmsg_free(msg);
	return out;
}

static const struct ev_spec denial = {
	.type = AVFENCE_EVENT_DENIED, .seq = 7, .time = T0, .pid = 4242,
	.comm = "scanner", .exe = "/opt/av/bin/scanner",
	.clearance = "OFFICIAL", .label = "SECRET",
	.route = AVFENCE_ROUTE_OPEN, .path = "/srv/case/report.odt",
	.mode = -1, .generation = -1,
};

TEST(event_denied_text)
{
	EXPECT_STREQ("2026-11-30T00:53:20.123456789Z denied open pid=4242 "
		     "comm=scanner exe=/opt/av/bin/scanner clearance=OFFICIAL "
		     "label=SECRET path=/srv/case/report.odt seq=7\n",
		     render(&denial, false));
}

TEST(event_denied_json)
{
	EXPECT_STREQ("{\"time\":\"2026-11-30T00:53:20.123456789Z\","
		     "\"type\":\"access\",\"pid\":4242,\"comm\":\"scanner\","
		     "\"exe\":\"/opt/av/bin/scanner\",\"clearance\":\"OFFICIAL\","
		     "\"label\":\"SECRET\",\"route\":\"open\","
		     "\"action\":\"denied\","
		     "\"path\":\"/srv/case/report.odt\",\"what\":null,"
		     "\"mode\":null,\"generation\":null,\"seq\":7,"
		     "\"lost\":null}\n",
		     render(&denial, true));
}

/* A side door: no label, "what" instead of a path, audit mode. */
TEST(event_audited_side_door)
{
	struct ev_spec e = {
		.type = AVFENCE_EVENT_AUDITED, .seq = 8, .time = T0,
		.pid = 1, .comm = "clamd", .clearance = "SECRET",
		.route = AVFENCE_ROUTE_BPF, .what = "bpf(BPF_PROG_LOAD)",
		.mode = -1, .generation = -1,
	};

	EXPECT_STREQ("2026-11-30T00:53:20.123456789Z audited bpf pid=1 "
		     "comm=clamd clearance=SECRET what=bpf(BPF_PROG_LOAD) "
		     "seq=8\n", render(&e, false));
	EXPECT_STREQ("{\"time\":\"2026-11-30T00:53:20.123456789Z\","
		     "\"type\":\"access\",\"pid\":1,\"comm\":\"clamd\","
		     "\"exe\":null,\"clearance\":\"SECRET\",\"label\":null,"
		     "\"route\":\"bpf\",\"action\":\"audited\",\"path\":null,"
		     "\"what\":\"bpf(BPF_PROG_LOAD)\",\"mode\":null,"
		     "\"generation\":null,\"seq\":8,\"lost\":null}\n",
		     render(&e, true));
}

TEST(event_policy_changes)
{
	struct ev_spec e = {
		.type = AVFENCE_EVENT_POLICY_LOAD, .seq = 1, .time = T0,
		.pid = 99, .comm = "avfencectl", .exe = "/usr/sbin/avfencectl",
		.route = -1, .mode = AVFENCE_MODE_ENFORCE, .generation = 3,
	};

	EXPECT_STREQ("2026-11-30T00:53:20.123456789Z policy-load pid=99 "
		     "comm=avfencectl exe=/usr/sbin/avfencectl mode=enforce "
		     "generation=3 seq=1\n", render(&e, false));
	EXPECT_STREQ("{\"time\":\"2026-11-30T00:53:20.123456789Z\","
		     "\"type\":\"policy-load\",\"pid\":99,"
		     "\"comm\":\"avfencectl\",\"exe\":\"/usr/sbin/avfencectl\","
		     "\"clearance\":null,\"label\":null,\"route\":null,"
		     "\"action\":null,\"path\":null,\"what\":null,"
		     "\"mode\":\"enforce\",\"generation\":3,\"seq\":1,"
		     "\"lost\":null}\n", render(&e, true));
	e.type = AVFENCE_EVENT_MODE;
	e.mode = AVFENCE_MODE_AUDIT;
	EXPECT_STREQ("2026-11-30T00:53:20.123456789Z mode pid=99 "
		     "comm=avfencectl exe=/usr/sbin/avfencectl mode=audit "
		     "generation=3 seq=1\n", render(&e, false));
	e.type = AVFENCE_EVENT_LOCK;
	EXPECT_NE(NULL, strstr(render(&e, true), "\"type\":\"lock\","));
	e.type = 77;		/* from a newer kernel */
	EXPECT_NE(NULL, strstr(render(&e, false), " type-77 pid=99 "));
	EXPECT_NE(NULL, strstr(render(&e, true), "\"type\":\"type-77\","));
}

/* Paths and comms are bytes: one line, valid JSON, whatever they hold. */
TEST(event_escaping)
{
	struct ev_spec e = denial;

	e.comm = "a b\"c";
	e.path = "/tmp/x y\\z\n\t\x01\x7f\xc3\xa9\xff.txt";
	EXPECT_STREQ("2026-11-30T00:53:20.123456789Z denied open pid=4242 "
		     "comm=\"a b\\\"c\" exe=/opt/av/bin/scanner "
		     "clearance=OFFICIAL label=SECRET "
		     "path=\"/tmp/x y\\\\z\\n\\t\\x01\\x7f\\xc3\\xa9\\xff.txt\" "
		     "seq=7\n", render(&e, false));
	render(&e, true);
	EXPECT_NE(NULL, strstr(out, "\"comm\":\"a b\\\"c\""));
	EXPECT_NE(NULL, strstr(out,
		      "\"path\":\"/tmp/x y\\\\z\\n\\t\\u0001\\u007f\xc3\xa9\\u00ff.txt\""));
	EXPECT_EQ(1, (long long)(strchr(out, '\n') - out + 1 == (long)strlen(out)));
	e.path = "";
	EXPECT_NE(NULL, strstr(render(&e, false), " label=SECRET path=\"\" seq=7\n"));
}

TEST(event_malformed)
{
	struct nlattr *tb[AVFENCE_A_MAX + 1];
	struct avf_event_rec ev;
	struct nl_msg *msg = nlmsg_alloc();
	struct nlattr *nest;

	EXPECT_TRUE(msg != NULL);
	if (!msg)
		return;
	genlmsg_put(msg, 0, 0, 0x20, 0, 0, AVFENCE_CMD_EVENT, 1);
	nest = nla_nest_start(msg, AVFENCE_A_EVENT);
	/* No type; a comm without its NUL. */
	nla_put(msg, AVFENCE_EVENT_A_COMM, 3, "abc");
	nla_nest_end(msg, nest);
	EXPECT_EQ(0, genlmsg_parse(nlmsg_hdr(msg), 0, tb, AVFENCE_A_MAX, NULL));
	EXPECT_TRUE(event_parse(tb[AVFENCE_A_EVENT], &ev) < 0);
	nlmsg_free(msg);
}

TEST(event_loss_records)
{
	struct avf_event_loss gap = { .time = T0, .count = 5, .first_seq = 12 };
	struct avf_event_loss over = { .time = T0, .overrun = true };
	FILE *f;

	f = fmemopen(out, sizeof(out), "w");
	event_loss_text(f, &gap);
	event_loss_text(f, &over);
	fclose(f);
	EXPECT_STREQ("2026-11-30T00:53:20.123456789Z lost count=5 seq=12 reason=gap\n"
		     "2026-11-30T00:53:20.123456789Z lost count=unknown reason=overrun\n",
		     out);
	f = fmemopen(out, sizeof(out), "w");
	event_loss_json(f, &gap);
	fclose(f);
	EXPECT_STREQ("{\"time\":\"2026-11-30T00:53:20.123456789Z\","
		     "\"type\":\"lost\",\"pid\":null,\"comm\":null,\"exe\":null,"
		     "\"clearance\":null,\"label\":null,\"route\":null,"
		     "\"action\":null,\"path\":null,\"what\":\"gap\","
		     "\"mode\":null,\"generation\":null,\"seq\":12,"
		     "\"lost\":5}\n", out);
	f = fmemopen(out, sizeof(out), "w");
	event_loss_json(f, &over);
	fclose(f);
	EXPECT_NE(NULL, strstr(out, "\"what\":\"overrun\",\"mode\":null,"
		      "\"generation\":null,\"seq\":null,\"lost\":null}\n"));
}

TEST(event_sequence_gaps)
{
	struct avf_event_seq s = { 0 };
	uint64_t first = 0;

	EXPECT_EQ(0, event_seq_check(&s, 41, &first));	/* start anywhere */
	EXPECT_EQ(0, event_seq_check(&s, 42, &first));
	EXPECT_EQ(0, first);
	EXPECT_EQ(3, event_seq_check(&s, 46, &first));
	EXPECT_EQ(43, first);
	EXPECT_EQ(0, event_seq_check(&s, 47, &first));
	/* Module loaded again: counting restarts, nothing lost. */
	EXPECT_EQ(0, event_seq_check(&s, 1, &first));
	EXPECT_EQ(1, event_seq_check(&s, 3, &first));
	EXPECT_EQ(2, first);
}

TEST(output_iso_time)
{
	char buf[ISO_TIME_MAX];

	EXPECT_STREQ("1970-01-01T00:00:00.000000000Z", iso_time(buf, 0));
	EXPECT_STREQ("2026-11-30T00:53:20.123456789Z", iso_time(buf, T0));
	EXPECT_STREQ("2026-11-30T00:53:20.000000001Z",
		     iso_time(buf, 1796000000000000001ull));
}

TEST(output_json_utf8)
{
	FILE *f = fmemopen(out, sizeof(out), "w");

	/* Valid 2-, 3- and 4-byte sequences pass; overlong, surrogate,
	 * truncated and out-of-range ones are escaped byte by byte.
	 */
	json_string(f, "\xc3\xa9|\xe2\x82\xac|\xf0\x9f\x98\x80|\xc0\xaf|"
		    "\xed\xa0\x80|\xe2\x82|\xf4\x90\x80\x80");
	fclose(f);
	EXPECT_STREQ("\"\xc3\xa9|\xe2\x82\xac|\xf0\x9f\x98\x80|\\u00c0\\u00af|"
		     "\\u00ed\\u00a0\\u0080|\\u00e2\\u0082|"
		     "\\u00f4\\u0090\\u0080\\u0080\"", out);
}

TEST(ps_entry)
{
	struct nl_msg *msg = nlmsg_alloc();
	struct nlattr *tb[AVFENCE_A_MAX + 1], *nest;
	struct avf_task t;
	FILE *f;

	EXPECT_TRUE(msg != NULL);
	if (!msg)
		return;
	genlmsg_put(msg, 0, 0, 0x20, 0, NLM_F_MULTI, AVFENCE_CMD_GET_TAGGED, 1);
	nest = nla_nest_start(msg, AVFENCE_A_TASK);
	nla_put_u32(msg, AVFENCE_TASK_A_PID, 101);
	nla_put_u32(msg, AVFENCE_TASK_A_TGID, 100);
	nla_put_string(msg, AVFENCE_TASK_A_COMM, "scan ner");
	nla_put_string(msg, AVFENCE_TASK_A_EXE, "/opt/av/bin/scanner");
	nla_put_string(msg, AVFENCE_TASK_A_CLEARANCE, "OFFICIAL");
	nla_put_u64(msg, AVFENCE_TASK_A_SINCE, T0);
	nla_nest_end(msg, nest);
	EXPECT_EQ(0, genlmsg_parse(nlmsg_hdr(msg), 0, tb, AVFENCE_A_MAX, NULL));
	EXPECT_EQ(0, ps_task_parse(tb[AVFENCE_A_TASK], &t));
	f = fmemopen(out, sizeof(out), "w");
	ps_task_json(f, &t);
	fputc('\n', f);
	ps_task_text(f, &t);
	fclose(f);
	EXPECT_STREQ("{\"pid\":101,\"tgid\":100,\"comm\":\"scan ner\","
		     "\"exe\":\"/opt/av/bin/scanner\",\"clearance\":\"OFFICIAL\","
		     "\"since\":\"2026-11-30T00:53:20.123456789Z\"}\n"
		     "    101     100 OFFICIAL         "
		     "2026-11-30T00:53:20.123456789Z \"scan ner\" "
		     "/opt/av/bin/scanner\n", out);
	nlmsg_free(msg);
}

TEST_HARNESS_MAIN
