// SPDX-License-Identifier: GPL-2.0
/*
 * avfencectl: ask the kernel for its status (AVFENCE_CMD_GET_STATUS).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <netlink/attr.h>

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
	if (tb[AVFENCE_A_EVENTS_LOST]) {
		st->has_events_lost = true;
		st->events_lost = nla_get_u64(tb[AVFENCE_A_EVENTS_LOST]);
	}
	if (tb[AVFENCE_A_ROUTE_STATS])
		parse_routes(st, tb[AVFENCE_A_ROUTE_STATS]);
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
 * avf_status_fetch - connect, get the status, report any failure
 * @st: filled in
 *
 * Return: 0, or a negative errno after printing why to stderr (-ENOENT:
 * module not loaded).
 */
int avf_status_fetch(struct avf_status *st)
{
	struct avf_nl_ack ack;
	struct avf_nl nl;
	int ret;

	ret = avf_nl_open(&nl);
	if (ret) {
		avf_nl_report_open(ret);
		return ret;
	}
	ret = avf_status_get(&nl, st, &ack);
	if (ret)
		avf_nl_report("get status", ret, &ack);
	avf_nl_close(&nl);
	return ret;
}
