// SPDX-License-Identifier: GPL-2.0
/*
 * avfencectl: build the AVFENCE_CMD_LOAD_POLICY attribute tree (see
 * uapi/avfence.h) and remember where each piece went, so that an extended
 * ack pointing at an attribute can be reported as "FILE:LINE: subject ...".
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <netlink/attr.h>

#include "policy_msg.h"

/* Bytes of payload the attributes of @pol need, headers included. */
size_t policy_msg_size(const struct policy *pol)
{
	size_t size = nla_total_size(sizeof(uint32_t));	/* mode */
	size_t i;

	size += nla_total_size(0);				/* levels nest */
	for (i = 0; i < pol->levels.count; i++)
		size += nla_total_size(strlen(pol->levels.name[i]) + 1);
	size += nla_total_size(
		strlen(pol->levels.name[pol->default_level]) + 1);
	size += nla_total_size(0);				/* subjects nest */
	for (i = 0; i < pol->nr_subjects; i++) {
		const struct policy_subject *s = &pol->subjects[i];

		size += nla_total_size(0);
		size += nla_total_size(strlen(s->path) + 1);
		size += nla_total_size(
			strlen(pol->levels.name[s->clearance]) + 1);
	}
	return size;
}

static uint32_t offset_of(struct nl_msg *msg, const void *p)
{
	return (uint32_t)((const char *)p - (const char *)nlmsg_hdr(msg));
}

/* Offset of the first byte not yet used in the message. */
static uint32_t tail(struct nl_msg *msg)
{
	return nlmsg_hdr(msg)->nlmsg_len;
}

/**
 * policy_msg_fill - append the policy's attributes to a LOAD_POLICY request
 * @msg: the request, genl header already in place, with policy_msg_size()
 *	bytes of room
 * @pol: a policy that parsed without error
 * @map: filled with the offsets of what was added; free with
 *	policy_msg_map_free()
 *
 * Return: 0, -ENOMEM, or -EMSGSIZE if @msg is too small.
 */
int policy_msg_fill(struct nl_msg *msg, const struct policy *pol,
		    struct policy_msg_map *map)
{
	struct nlattr *nest, *sub;
	size_t i;

	memset(map, 0, sizeof(*map));
	map->subject_off = calloc(pol->nr_subjects + 1,
				  sizeof(*map->subject_off));
	if (!map->subject_off)
		return -ENOMEM;
	map->nr_subjects = pol->nr_subjects;

	map->mode_off = tail(msg);
	if (nla_put_u32(msg, AVFENCE_A_MODE, pol->mode))
		return -EMSGSIZE;
	map->mode_end = tail(msg);

	nest = nla_nest_start(msg, AVFENCE_A_LEVELS);
	if (!nest)
		return -EMSGSIZE;
	map->levels_off = offset_of(msg, nest);
	for (i = 0; i < pol->levels.count; i++) {
		map->level_off[i] = tail(msg);
		if (nla_put_string(msg, AVFENCE_LEVEL_A_NAME,
				   pol->levels.name[i]))
			return -EMSGSIZE;
	}
	map->level_off[i] = tail(msg);
	nla_nest_end(msg, nest);
	map->levels_end = tail(msg);

	map->default_off = tail(msg);
	if (nla_put_string(msg, AVFENCE_A_DEFAULT_LEVEL,
			   pol->levels.name[pol->default_level]))
		return -EMSGSIZE;
	map->default_end = tail(msg);

	nest = nla_nest_start(msg, AVFENCE_A_SUBJECTS);
	if (!nest)
		return -EMSGSIZE;
	map->subjects_off = offset_of(msg, nest);
	for (i = 0; i < pol->nr_subjects; i++) {
		const struct policy_subject *s = &pol->subjects[i];

		sub = nla_nest_start(msg, AVFENCE_A_SUBJECT);
		if (!sub)
			return -EMSGSIZE;
		map->subject_off[i] = offset_of(msg, sub);
		if (nla_put_string(msg, AVFENCE_SUBJECT_A_PATH, s->path) ||
		    nla_put_string(msg, AVFENCE_SUBJECT_A_CLEARANCE,
				   pol->levels.name[s->clearance]))
			return -EMSGSIZE;
		nla_nest_end(msg, sub);
	}
	map->subject_off[i] = tail(msg);
	nla_nest_end(msg, nest);
	map->subjects_end = tail(msg);
	return 0;
}

static bool in(uint32_t offs, uint32_t start, uint32_t end)
{
	return offs >= start && offs < end;
}

/* Index of the range [v[i], v[i+1]) holding @offs; v is ascending. */
static size_t bsearch_range(const uint32_t *v, size_t n, uint32_t offs)
{
	size_t lo = 0, hi = n;

	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;

		if (v[mid] <= offs)
			lo = mid;
		else
			hi = mid;
	}
	return lo;
}

/**
 * policy_msg_locate - which policy line an attribute offset belongs to
 * @pol: the policy the request was built from
 * @map: the map policy_msg_fill() produced
 * @offs: NLMSGERR_ATTR_OFFS from the kernel
 *
 * Return: the innermost element holding @offs; kind POLICY_LOC_NONE if
 * the offset is outside everything built (e.g. in the headers).
 */
struct policy_loc policy_msg_locate(const struct policy *pol,
				    const struct policy_msg_map *map,
				    uint32_t offs)
{
	struct policy_loc loc = { .kind = POLICY_LOC_NONE };

	if (in(offs, map->mode_off, map->mode_end)) {
		loc.kind = POLICY_LOC_MODE;
		loc.line = pol->mode_line;
	} else if (in(offs, map->default_off, map->default_end)) {
		loc.kind = POLICY_LOC_DEFAULT;
		loc.line = pol->default_line;
	} else if (in(offs, map->levels_off, map->levels_end)) {
		loc.line = pol->levels_line;
		loc.kind = POLICY_LOC_LEVELS;
		if (pol->levels.count &&
		    in(offs, map->level_off[0],
		       map->level_off[pol->levels.count])) {
			loc.kind = POLICY_LOC_LEVEL;
			loc.index = bsearch_range(map->level_off,
						  pol->levels.count + 1, offs);
		}
	} else if (in(offs, map->subjects_off, map->subjects_end)) {
		loc.kind = POLICY_LOC_SUBJECTS;
		if (map->nr_subjects &&
		    in(offs, map->subject_off[0],
		       map->subject_off[map->nr_subjects])) {
			loc.kind = POLICY_LOC_SUBJECT;
			loc.index = bsearch_range(map->subject_off,
						  map->nr_subjects + 1, offs);
			loc.line = pol->subjects[loc.index].line;
		}
	}
	return loc;
}

void policy_msg_map_free(struct policy_msg_map *map)
{
	free(map->subject_off);
	map->subject_off = NULL;
}
