// SPDX-License-Identifier: GPL-2.0
/*
 * avfencectl monitor: parse and print events.
 *
 * Text, one line per event, key=value words after the time and the kind:
 *
 *   TIME denied|audited ROUTE pid=N comm=C exe=E clearance=L [label=L]
 *        path=P|what=W seq=N
 *   TIME policy-load|mode|lock pid=N comm=C exe=E mode=M generation=G seq=N
 *   TIME lost count=N|unknown [seq=FIRST] reason=gap|overrun
 *
 * JSON, one object per line, always the same keys in the same order (null
 * when they do not apply), so that consumers need no schema per type:
 *
 *   time type pid comm exe clearance label route action path what mode
 *   generation seq lost
 *
 * type is "access" (action "denied" or "audited"), "policy-load", "mode",
 * "lock" or "lost"; for "lost", lost is the count (null if unknown), seq
 * the first lost sequence number and what the reason.
 */
#include <errno.h>
#include <inttypes.h>
#include <string.h>

#include "decide.h"
#include "events.h"
#include "output.h"
#include "policy_parse.h"

static struct nla_policy event_policy[AVFENCE_EVENT_A_MAX + 1] = {
	[AVFENCE_EVENT_A_TYPE]		= { .type = NLA_U32 },
	[AVFENCE_EVENT_A_SEQ]		= { .type = NLA_U64 },
	[AVFENCE_EVENT_A_TIME]		= { .type = NLA_U64 },
	[AVFENCE_EVENT_A_PID]		= { .type = NLA_U32 },
	[AVFENCE_EVENT_A_COMM]		= { .type = NLA_STRING },
	[AVFENCE_EVENT_A_EXE]		= { .type = NLA_STRING },
	[AVFENCE_EVENT_A_CLEARANCE]	= { .type = NLA_STRING },
	[AVFENCE_EVENT_A_LABEL]		= { .type = NLA_STRING },
	[AVFENCE_EVENT_A_ROUTE]		= { .type = NLA_U32 },
	[AVFENCE_EVENT_A_PATH]		= { .type = NLA_STRING },
	[AVFENCE_EVENT_A_WHAT]		= { .type = NLA_STRING },
	[AVFENCE_EVENT_A_MODE]		= { .type = NLA_U32 },
	[AVFENCE_EVENT_A_GENERATION]	= { .type = NLA_U64 },
};

/* A string attribute; libnl has checked its terminating NUL. */
static const char *str(struct nlattr *a)
{
	return a ? nla_data(a) : NULL;
}

/**
 * event_parse - an AVFENCE_A_EVENT nest into @ev
 * @nest: the attribute; must outlive @ev (its strings point into it)
 * @ev: filled in
 *
 * Return: 0, or -EPROTO if malformed or without a type.
 */
int event_parse(struct nlattr *nest, struct avf_event_rec *ev)
{
	struct nlattr *tb[AVFENCE_EVENT_A_MAX + 1];

	memset(ev, 0, sizeof(*ev));
	if (nla_parse_nested(tb, AVFENCE_EVENT_A_MAX, nest, event_policy) ||
	    !tb[AVFENCE_EVENT_A_TYPE])
		return -EPROTO;
	ev->has_type = true;
	ev->type = nla_get_u32(tb[AVFENCE_EVENT_A_TYPE]);
#define U(attr, field, get)					\
	do {							\
		if (tb[attr]) {					\
			ev->has_##field = true;			\
			ev->field = get(tb[attr]);		\
		}						\
	} while (0)
	U(AVFENCE_EVENT_A_SEQ, seq, nla_get_u64);
	U(AVFENCE_EVENT_A_TIME, time, nla_get_u64);
	U(AVFENCE_EVENT_A_PID, pid, nla_get_u32);
	U(AVFENCE_EVENT_A_ROUTE, route, nla_get_u32);
	U(AVFENCE_EVENT_A_MODE, mode, nla_get_u32);
	U(AVFENCE_EVENT_A_GENERATION, generation, nla_get_u64);
#undef U
	ev->comm = str(tb[AVFENCE_EVENT_A_COMM]);
	ev->exe = str(tb[AVFENCE_EVENT_A_EXE]);
	ev->clearance = str(tb[AVFENCE_EVENT_A_CLEARANCE]);
	ev->label = str(tb[AVFENCE_EVENT_A_LABEL]);
	ev->path = str(tb[AVFENCE_EVENT_A_PATH]);
	ev->what = str(tb[AVFENCE_EVENT_A_WHAT]);
	return 0;
}

static bool is_access(const struct avf_event_rec *ev)
{
	return ev->type == AVFENCE_EVENT_DENIED ||
	       ev->type == AVFENCE_EVENT_AUDITED ||
	       ev->type == AVFENCE_EVENT_TAGGED;
}

/**
 * event_type_name - the kind of an event, as printed
 * @ev: the event
 * @buf: room for an unknown type's name ("type-N")
 * @size: its size
 *
 * Return: "denied", "audited", "policy-load", "mode", "lock", "tagged"
 * or @buf.
 */
const char *event_type_name(const struct avf_event_rec *ev, char *buf,
			    size_t size)
{
	switch (ev->type) {
	case AVFENCE_EVENT_DENIED:
		return "denied";
	case AVFENCE_EVENT_AUDITED:
		return "audited";
	case AVFENCE_EVENT_POLICY_LOAD:
		return "policy-load";
	case AVFENCE_EVENT_MODE:
		return "mode";
	case AVFENCE_EVENT_LOCK:
		return "lock";
	case AVFENCE_EVENT_TAGGED:
		return "tagged";
	}
	snprintf(buf, size, "type-%" PRIu32, ev->type);
	return buf;
}

static void text_kv(FILE *f, const char *key, const char *value)
{
	if (!value)
		return;
	fprintf(f, " %s=", key);
	text_value(f, value);
}

/* Print one event as a line of text. */
void event_print_text(FILE *f, const struct avf_event_rec *ev)
{
	char when[ISO_TIME_MAX], tbuf[32];

	fputs(ev->has_time ? iso_time(when, ev->time) : "-", f);
	fprintf(f, " %s", event_type_name(ev, tbuf, sizeof(tbuf)));
	if (is_access(ev))
		fprintf(f, " %s", ev->has_route ? avf_route_name(ev->route) :
			"unknown");
	if (ev->has_pid)
		fprintf(f, " pid=%" PRIu32, ev->pid);
	text_kv(f, "comm", ev->comm);
	text_kv(f, "exe", ev->exe);
	text_kv(f, "clearance", ev->clearance);
	text_kv(f, "label", ev->label);
	text_kv(f, "path", ev->path);
	text_kv(f, "what", ev->what);
	if (ev->has_mode)
		fprintf(f, " mode=%s", policy_mode_name(ev->mode));
	if (ev->has_generation)
		fprintf(f, " generation=%" PRIu64, ev->generation);
	if (ev->has_seq)
		fprintf(f, " seq=%" PRIu64, ev->seq);
	fputc('\n', f);
}

static void json_key_str(FILE *f, const char *key, const char *value)
{
	fprintf(f, ",\"%s\":", key);
	json_string_or_null(f, value);
}

static void json_key_u64(FILE *f, const char *key, bool has, uint64_t v)
{
	if (has)
		fprintf(f, ",\"%s\":%" PRIu64, key, v);
	else
		fprintf(f, ",\"%s\":null", key);
}

/* Print one event as a JSON object on one line. */
void event_print_json(FILE *f, const struct avf_event_rec *ev)
{
	char when[ISO_TIME_MAX], tbuf[32];
	bool access = is_access(ev);

	fputs("{\"time\":", f);
	json_string_or_null(f, ev->has_time ? iso_time(when, ev->time) : NULL);
	json_key_str(f, "type", access ? "access" :
		     event_type_name(ev, tbuf, sizeof(tbuf)));
	json_key_u64(f, "pid", ev->has_pid, ev->pid);
	json_key_str(f, "comm", ev->comm);
	json_key_str(f, "exe", ev->exe);
	json_key_str(f, "clearance", ev->clearance);
	json_key_str(f, "label", ev->label);
	json_key_str(f, "route", access && ev->has_route ?
		     avf_route_name(ev->route) : NULL);
	json_key_str(f, "action", access ?
		     event_type_name(ev, tbuf, sizeof(tbuf)) : NULL);
	json_key_str(f, "path", ev->path);
	json_key_str(f, "what", ev->what);
	json_key_str(f, "mode", ev->has_mode ? policy_mode_name(ev->mode) :
		     NULL);
	json_key_u64(f, "generation", ev->has_generation, ev->generation);
	json_key_u64(f, "seq", ev->has_seq, ev->seq);
	fputs(",\"lost\":null}\n", f);
}

static const char *loss_reason(const struct avf_event_loss *loss)
{
	return loss->overrun ? "overrun" : "gap";
}

/* Print a loss record as a line of text. */
void event_loss_text(FILE *f, const struct avf_event_loss *loss)
{
	char when[ISO_TIME_MAX];

	fprintf(f, "%s lost count=", iso_time(when, loss->time));
	if (loss->count)
		fprintf(f, "%" PRIu64, loss->count);
	else
		fputs("unknown", f);
	if (loss->first_seq)
		fprintf(f, " seq=%" PRIu64, loss->first_seq);
	fprintf(f, " reason=%s\n", loss_reason(loss));
}

/* Print a loss record as a JSON object with the keys of an event. */
void event_loss_json(FILE *f, const struct avf_event_loss *loss)
{
	char when[ISO_TIME_MAX];

	fputs("{\"time\":", f);
	json_string(f, iso_time(when, loss->time));
	fputs(",\"type\":\"lost\",\"pid\":null,\"comm\":null,\"exe\":null,"
	      "\"clearance\":null,\"label\":null,\"route\":null,"
	      "\"action\":null,\"path\":null", f);
	json_key_str(f, "what", loss_reason(loss));
	fputs(",\"mode\":null,\"generation\":null", f);
	json_key_u64(f, "seq", loss->first_seq, loss->first_seq);
	json_key_u64(f, "lost", loss->count, loss->count);
	fputs("}\n", f);
}

/**
 * event_seq_check - account for the sequence number of a received event
 * @s: the tracker, zeroed before the first event
 * @seq: AVFENCE_EVENT_A_SEQ of the event
 * @first_lost: set to the first missing sequence number if any is missing
 *
 * The kernel numbers events consecutively from 1 when the module loads.
 * The first event seen only sets the start; a number that does not grow
 * means the module was loaded again and counting restarted.
 *
 * Return: how many events are missing before this one.
 */
uint64_t event_seq_check(struct avf_event_seq *s, uint64_t seq,
			 uint64_t *first_lost)
{
	uint64_t lost = 0;

	if (s->started && seq > s->last + 1) {
		lost = seq - s->last - 1;
		*first_lost = s->last + 1;
	}
	s->started = true;
	s->last = seq;
	return lost;
}
