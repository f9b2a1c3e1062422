// SPDX-License-Identifier: GPL-2.0
/*
 * avfencectl: ask the kernel for its status (AVFENCE_CMD_GET_STATUS).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <netlink/attr.h>
#include <netlink/genl/genl.h>

#include "status.h"

static void copy_string(char *dst, size_t size, const struct nlattr *a)
{
	size_t n = strnlen(nla_data(a), nla_len(a));

	if (n >= size)
		n = size - 1;
	memcpy(dst, nla_data(a), n);
	dst[n] = '\0';
}

static struct nla_policy route_policy[AVFENCE_ROUTE_A_MAX + 1] = {
	[AVFENCE_ROUTE_A_ID]		= { .type = NLA_U32 },
	[AVFENCE_ROUTE_A_NAME]		= { .type = NLA_STRING },
	[AVFENCE_ROUTE_A_DENIED]	= { .type = NLA_U64 },
	[AVFENCE_ROUTE_A_AUDITED]	= { .type = NLA_U64 },
};

static void parse_routes(struct avf_status *st, struct nlattr *stats)
{
	struct nlattr *tb[AVFENCE_ROUTE_A_MAX + 1], *a;
	int rem;

	nla_for_each_nested(a, stats, rem) {
		struct avf_route_stat *r = &st->routes[st->nr_routes];

		if (st->nr_routes == AVF_ROUTES_MAX)
			break;
		if (nla_type(a) != AVFENCE_A_ROUTE ||
		    nla_parse_nested(tb, AVFENCE_ROUTE_A_MAX, a, route_policy))
			continue;
		memset(r, 0, sizeof(*r));
		if (tb[AVFENCE_ROUTE_A_ID])
			r->id = nla_get_u32(tb[AVFENCE_ROUTE_A_ID]);
		if (tb[AVFENCE_ROUTE_A_NAME])
			copy_string(r->name, sizeof(r->name),
				    tb[AVFENCE_ROUTE_A_NAME]);
		else
			snprintf(r->name, sizeof(r->name), "%s",
				 avf_route_name(r->id));
		if (tb[AVFENCE_ROUTE_A_DENIED])
			r->denied = nla_get_u64(tb[AVFENCE_ROUTE_A_DENIED]);
		if (tb[AVFENCE_ROUTE_A_AUDITED])
			r->audited = nla_get_u64(tb[AVFENCE_ROUTE_A_AUDITED]);
		st->nr_routes++;
	}
}

static struct nla_policy level_policy[AVFENCE_LEVEL_A_MAX + 1] = {
	[AVFENCE_LEVEL_A_NAME]		= { .type = NLA_STRING },
	[AVFENCE_LEVEL_A_DENIED]	= { .type = NLA_U64 },
	[AVFENCE_LEVEL_A_AUDITED]	= { .type = NLA_U64 },
};

static void parse_level_stats(struct avf_status *st, struct nlattr *stats)
{
	struct nlattr *tb[AVFENCE_LEVEL_A_MAX + 1], *a;
	int rem;

	st->has_level_stats = true;
	nla_for_each_nested(a, stats, rem) {
		struct avf_level_stat *l = &st->level_stats[st->nr_level_stats];

		if (st->nr_level_stats == AVFENCE_LEVELS_MAX)
			break;
		if (nla_type(a) != AVFENCE_A_LEVEL ||
		    nla_parse_nested(tb, AVFENCE_LEVEL_A_MAX, a, level_policy) ||
		    !tb[AVFENCE_LEVEL_A_NAME])
			continue;
		memset(l, 0, sizeof(*l));
		copy_string(l->name, sizeof(l->name), tb[AVFENCE_LEVEL_A_NAME]);
		if (tb[AVFENCE_LEVEL_A_DENIED])
			l->denied = nla_get_u64(tb[AVFENCE_LEVEL_A_DENIED]);
		if (tb[AVFENCE_LEVEL_A_AUDITED])
			l->audited = nla_get_u64(tb[AVFENCE_LEVEL_A_AUDITED]);
		st->nr_level_stats++;
	}
}

static struct nla_policy subject_policy[AVFENCE_SUBJECT_A_MAX + 1] = {
	[AVFENCE_SUBJECT_A_PATH]	= { .type = NLA_STRING },
	[AVFENCE_SUBJECT_A_CLEARANCE]	= { .type = NLA_STRING },
	[AVFENCE_SUBJECT_A_ALLOW]	= { .type = NLA_U32 },
	[AVFENCE_SUBJECT_A_DEV]		= { .type = NLA_U32 },
	[AVFENCE_SUBJECT_A_INO]		= { .type = NLA_U64 },
	[AVFENCE_SUBJECT_A_WRITE]	= { .type = NLA_NESTED },
	[AVFENCE_SUBJECT_A_CONNECT]	= { .type = NLA_NESTED },
};

/* The AVFENCE_A_ENTRY strings of a write= or connect= nest. */
static bool get_list(struct nlattr *nest, char ***out, uint32_t *nr)
{
	struct nlattr *a;
	uint32_t n = 0;
	char **v;
	int rem;

	nla_for_each_nested(a, nest, rem)
		n++;
	v = calloc(n + 1, sizeof(*v));
	if (!v)
		return false;
	*out = v;
	nla_for_each_nested(a, nest, rem) {
		if (nla_type(a) != AVFENCE_A_ENTRY)
			continue;
		v[*nr] = strndup(nla_data(a), nla_len(a));
		if (!v[*nr])
			return false;
		(*nr)++;
	}
	return true;
}

/*
 * @v with room for one more of its @nr elements of @size (*@cap of them,
 * doubled when full, 16 at first); NULL, @v left as it was, without memory.
 */
static void *grow(void *v, uint32_t *cap, uint32_t nr, size_t size)
{
	uint32_t n;
	void *p;

	if (nr < *cap)
		return v;
	n = *cap ? 2 * *cap : 16;
	p = realloc(v, n * size);
	if (p)
		*cap = n;
	return p;
}

static void add_subject(struct avf_status *st, struct nlattr *nest)
{
	struct nlattr *tb[AVFENCE_SUBJECT_A_MAX + 1];
	struct avf_status_subject *s;
	void *p;

	if (nla_type(nest) != AVFENCE_A_SUBJECT ||
	    nla_parse_nested(tb, AVFENCE_SUBJECT_A_MAX, nest, subject_policy) ||
	    !tb[AVFENCE_SUBJECT_A_PATH])
		return;
	p = grow(st->subject_list, &st->cap_subject_list, st->nr_subject_list,
		 sizeof(*s));
	if (!p) {
		st->list_nomem = true;
		return;
	}
	st->subject_list = p;
	s = &st->subject_list[st->nr_subject_list];
	memset(s, 0, sizeof(*s));
	s->path = strndup(nla_data(tb[AVFENCE_SUBJECT_A_PATH]),
			  nla_len(tb[AVFENCE_SUBJECT_A_PATH]));
	if (!s->path) {
		st->list_nomem = true;
		return;
	}
	if (tb[AVFENCE_SUBJECT_A_CLEARANCE])
		copy_string(s->clearance, sizeof(s->clearance),
			    tb[AVFENCE_SUBJECT_A_CLEARANCE]);
	if (tb[AVFENCE_SUBJECT_A_ALLOW])
		s->allow = nla_get_u32(tb[AVFENCE_SUBJECT_A_ALLOW]);
	if (tb[AVFENCE_SUBJECT_A_DEV] && tb[AVFENCE_SUBJECT_A_INO]) {
		s->has_id = true;
		s->dev = nla_get_u32(tb[AVFENCE_SUBJECT_A_DEV]);
		s->ino = nla_get_u64(tb[AVFENCE_SUBJECT_A_INO]);
	}
	st->nr_subject_list++;
	if ((tb[AVFENCE_SUBJECT_A_WRITE] &&
	     !get_list(tb[AVFENCE_SUBJECT_A_WRITE], &s->write, &s->nr_write)) ||
	    (tb[AVFENCE_SUBJECT_A_CONNECT] &&
	     !get_list(tb[AVFENCE_SUBJECT_A_CONNECT], &s->connect,
		       &s->nr_connect)))
		st->list_nomem = true;
}

static struct nla_policy plabel_policy[AVFENCE_PLABEL_A_MAX + 1] = {
	[AVFENCE_PLABEL_A_PATH]		= { .type = NLA_STRING },
	[AVFENCE_PLABEL_A_LEVEL]	= { .type = NLA_STRING },
	[AVFENCE_PLABEL_A_DEV]		= { .type = NLA_U32 },
	[AVFENCE_PLABEL_A_INO]		= { .type = NLA_U64 },
	[AVFENCE_PLABEL_A_MOUNT_ROOT]	= { .type = NLA_U8 },
};

static void add_plabel(struct avf_status *st, struct nlattr *nest)
{
	struct nlattr *tb[AVFENCE_PLABEL_A_MAX + 1];
	struct avf_status_plabel *l;
	void *p;

	if (nla_type(nest) != AVFENCE_A_POLICY_LABEL ||
	    nla_parse_nested(tb, AVFENCE_PLABEL_A_MAX, nest, plabel_policy) ||
	    !tb[AVFENCE_PLABEL_A_PATH])
		return;
	p = grow(st->plabel_list, &st->cap_plabel_list, st->nr_plabel_list,
		 sizeof(*l));
	if (!p) {
		st->list_nomem = true;
		return;
	}
	st->plabel_list = p;
	l = &st->plabel_list[st->nr_plabel_list];
	memset(l, 0, sizeof(*l));
	l->path = strndup(nla_data(tb[AVFENCE_PLABEL_A_PATH]),
			  nla_len(tb[AVFENCE_PLABEL_A_PATH]));
	if (!l->path) {
		st->list_nomem = true;
		return;
	}
	if (tb[AVFENCE_PLABEL_A_LEVEL])
		copy_string(l->level, sizeof(l->level),
			    tb[AVFENCE_PLABEL_A_LEVEL]);
	if (tb[AVFENCE_PLABEL_A_DEV] && tb[AVFENCE_PLABEL_A_INO]) {
		l->has_id = true;
		l->dev = nla_get_u32(tb[AVFENCE_PLABEL_A_DEV]);
		l->ino = nla_get_u64(tb[AVFENCE_PLABEL_A_INO]);
	}
	if (tb[AVFENCE_PLABEL_A_MOUNT_ROOT])
		l->mount_root = nla_get_u8(tb[AVFENCE_PLABEL_A_MOUNT_ROOT]);
	st->nr_plabel_list++;
}

static void add_subjects(struct avf_status *st, struct nlattr *nest)
{
	struct nlattr *a;
	int rem;

	st->has_subject_list = true;
	nla_for_each_nested(a, nest, rem) {
		add_subject(st, a);
	}
}

static void add_plabels(struct avf_status *st, struct nlattr *nest)
{
	struct nlattr *a;
	int rem;

	st->has_plabel_list = true;
	nla_for_each_nested(a, nest, rem) {
		add_plabel(st, a);
	}
}

/* AVFENCE_A_SUBJECTS may repeat: walk the whole reply, not tb[]. */
static void parse_subjects(struct avf_status *st)
{
	const struct nlmsghdr *nlh = avf_nl_current_reply();
	struct nlattr *nest;
	int rem;

	if (!nlh)
		return;
	nla_for_each_attr(nest, genlmsg_attrdata(nlmsg_data(nlh), 0),
			  genlmsg_attrlen(nlmsg_data(nlh), 0), rem) {
		if (nla_type(nest) == AVFENCE_A_SUBJECTS)
			add_subjects(st, nest);
		if (nla_type(nest) == AVFENCE_A_POLICY_LABELS)
			add_plabels(st, nest);
	}
}

static int status_reply(struct nlattr **tb, void *arg)
{
	struct avf_status *st = arg;
	struct nlattr *a;
	int rem;

	if (tb[AVFENCE_A_ABI_VERSION]) {
		st->has_abi = true;
		st->abi = nla_get_u32(tb[AVFENCE_A_ABI_VERSION]);
	}
	if (tb[AVFENCE_A_MODULE_VERSION]) {
		st->has_version = true;
		copy_string(st->version, sizeof(st->version),
			    tb[AVFENCE_A_MODULE_VERSION]);
	}
	if (tb[AVFENCE_A_POLICY_LOADED])
		st->policy_loaded = nla_get_u8(tb[AVFENCE_A_POLICY_LOADED]);
	if (tb[AVFENCE_A_MODE]) {
		st->has_mode = true;
		st->mode = nla_get_u32(tb[AVFENCE_A_MODE]);
	}
	if (tb[AVFENCE_A_GENERATION]) {
		st->has_generation = true;
		st->generation = nla_get_u64(tb[AVFENCE_A_GENERATION]);
	}
	if (tb[AVFENCE_A_LEVELS]) {
		nla_for_each_nested(a, tb[AVFENCE_A_LEVELS], rem) {
			const char *s = nla_data(a);
			size_t n = strnlen(s, nla_len(a));

			if (nla_type(a) != AVFENCE_LEVEL_A_NAME)
				continue;
			if (avf_levels_add(&st->levels, s, n) != AVF_LEVEL_OK)
				st->levels_bad = true;
		}
	}
	if (tb[AVFENCE_A_DEFAULT_LEVEL]) {
		st->has_default = true;
		copy_string(st->default_level, sizeof(st->default_level),
			    tb[AVFENCE_A_DEFAULT_LEVEL]);
	}
	if (tb[AVFENCE_A_SUBJECT_COUNT]) {
		st->has_subjects = true;
		st->subjects = nla_get_u32(tb[AVFENCE_A_SUBJECT_COUNT]);
	}
	if (tb[AVFENCE_A_POLICY_LABEL_COUNT]) {
		st->has_plabels = true;
		st->plabels = nla_get_u32(tb[AVFENCE_A_POLICY_LABEL_COUNT]);
		/* A policy without labels sends no list: it is empty. */
		if (st->want_list && !st->plabels)
			st->has_plabel_list = true;
	}
	if (tb[AVFENCE_A_TAGGED]) {
		st->has_tagged = true;
		st->tagged = nla_get_u32(tb[AVFENCE_A_TAGGED]);
	}
	if (tb[AVFENCE_A_DENIED]) {
		st->has_denied = true;
		st->denied = nla_get_u64(tb[AVFENCE_A_DENIED]);
	}
	if (tb[AVFENCE_A_AUDITED]) {
		st->has_audited = true;
		st->audited = nla_get_u64(tb[AVFENCE_A_AUDITED]);
	}
	if (tb[AVFENCE_A_LOCKED]) {
		st->has_locked = true;
		st->locked = nla_get_u8(tb[AVFENCE_A_LOCKED]);
	}
	if (tb[AVFENCE_A_DIGEST] &&
	    nla_len(tb[AVFENCE_A_DIGEST]) == AVFENCE_DIGEST_LEN) {
		st->has_digest = true;
		memcpy(st->digest, nla_data(tb[AVFENCE_A_DIGEST]),
		       AVFENCE_DIGEST_LEN);
	}
	if (tb[AVFENCE_A_MEASURE_PCR]) {
		st->measured = true;
		st->measure_pcr = nla_get_u32(tb[AVFENCE_A_MEASURE_PCR]);
	}
	if (tb[AVFENCE_A_MEASURE_RECORDS]) {
		st->has_measure_records = true;
		st->measure_records =
			nla_get_u64(tb[AVFENCE_A_MEASURE_RECORDS]);
	}
	if (tb[AVFENCE_A_EVENTS_LOST]) {
		st->has_events_lost = true;
		st->events_lost = nla_get_u64(tb[AVFENCE_A_EVENTS_LOST]);
	}
	if (tb[AVFENCE_A_ROUTE_STATS])
		parse_routes(st, tb[AVFENCE_A_ROUTE_STATS]);
	if (tb[AVFENCE_A_LEVEL_STATS])
		parse_level_stats(st, tb[AVFENCE_A_LEVEL_STATS]);
	if (st->want_list)
		parse_subjects(st);
	return 0;
}

/**
 * avf_status_get - AVFENCE_CMD_GET_STATUS on an open connection
 * @nl: the connection
 * @st: filled in
 * @ack: the kernel's ack
 *
 * Return: 0 or a negative errno.
 */
int avf_status_get(struct avf_nl *nl, struct avf_status *st,
		   struct avf_nl_ack *ack)
{
	struct nl_msg *msg;

	memset(st, 0, sizeof(*st));
	msg = avf_nl_msg(nl, AVFENCE_CMD_GET_STATUS, 0);
	if (!msg)
		return -ENOMEM;
	return avf_nl_transact(nl, msg, status_reply, st, ack);
}

/**
 * avf_status_get_full - avf_status_get(), and keep the subject list
 * @nl: the connection
 * @st: filled in; release with avf_status_free()
 * @ack: the kernel's ack
 *
 * Return: 0 or a negative errno.
 */
int avf_status_get_full(struct avf_nl *nl, struct avf_status *st,
			struct avf_nl_ack *ack)
{
	struct nl_msg *msg;

	memset(st, 0, sizeof(*st));
	st->want_list = true;
	/* The reply and the ack after it must fit (uapi/avfence.h). */
	avf_nl_reserve_rcvbuf(nl, 4 * AVFENCE_STATUS_SUBJECTS_MAX);
	msg = avf_nl_msg(nl, AVFENCE_CMD_GET_STATUS, 0);
	if (!msg)
		return -ENOMEM;
	if (nla_put_u32(msg, AVFENCE_A_STATUS_WANT,
			AVFENCE_STATUS_WANT_SUBJECTS |
			AVFENCE_STATUS_WANT_POLICY_LABELS)) {
		nlmsg_free(msg);
		return -ENOMEM;
	}
	return avf_nl_transact(nl, msg, status_reply, st, ack);
}

/**
 * avf_status_free - release what avf_status_get_full() allocated
 * @st: the status
 */
void avf_status_free(struct avf_status *st)
{
	uint32_t i;

	for (i = 0; i < st->nr_subject_list; i++) {
		struct avf_status_subject *s = &st->subject_list[i];
		uint32_t j;

		free(s->path);
		for (j = 0; j < s->nr_write; j++)
			free(s->write[j]);
		free(s->write);
		for (j = 0; j < s->nr_connect; j++)
			free(s->connect[j]);
		free(s->connect);
	}
	free(st->subject_list);
	st->subject_list = NULL;
	st->nr_subject_list = 0;
	st->cap_subject_list = 0;
	for (i = 0; i < st->nr_plabel_list; i++)
		free(st->plabel_list[i].path);
	free(st->plabel_list);
	st->plabel_list = NULL;
	st->nr_plabel_list = 0;
	st->cap_plabel_list = 0;
}

static int fetch(struct avf_status *st, bool full)
{
	struct avf_nl_ack ack;
	struct avf_nl nl;
	int ret;

	ret = avf_nl_open(&nl);
	if (ret) {
		avf_nl_report_open(ret);
		return ret;
	}
	ret = full ? avf_status_get_full(&nl, st, &ack) :
		     avf_status_get(&nl, st, &ack);
	if (ret)
		avf_nl_report("get status", ret, &ack);
	avf_nl_close(&nl);
	return ret;
}

/**
 * avf_status_fetch - connect, get the status, report any failure
 * @st: filled in
 *
 * Return: 0, or a negative errno after printing why to stderr (-ENOENT:
 * module not loaded).
 */
int avf_status_fetch(struct avf_status *st)
{
	return fetch(st, false);
}

/**
 * avf_status_fetch_full - avf_status_fetch() with the subject list
 * @st: filled in; release with avf_status_free()
 *
 * Return: as avf_status_fetch().
 */
int avf_status_fetch_full(struct avf_status *st)
{
	return fetch(st, true);
}
