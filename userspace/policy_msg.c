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

#include "entries.h"
#include "subject_rec.h"
#include "policy_msg.h"

/* A write= or connect= nest; nothing for an empty list. */
static size_t list_size(const char *const *v, u32 n)
{
	size_t size = n ? nla_total_size(0) : 0;
	u32 i;

	for (i = 0; i < n; i++)
		size += nla_total_size(strlen(v[i]) + 1);
	return size;
}

/* The size of one AVFENCE_A_SUBJECT nest, header and padding included. */
static size_t subject_size(const struct policy *pol,
			   const struct policy_subject *s)
{
	return nla_total_size(0) + nla_total_size(s->path_len + 1) +
	       nla_total_size(strlen(pol->levels.name[s->clearance]) + 1) +
	       (s->allow ? nla_total_size(sizeof(uint32_t)) : 0) +
	       list_size(s->write, s->nr_write) +
	       list_size(s->connect, s->nr_connect);
}

/* The size of one AVFENCE_A_POLICY_LABEL nest. */
static size_t label_size(const struct policy *pol,
			 const struct policy_label *l)
{
	return nla_total_size(0) + nla_total_size(l->path_len + 1) +
	       nla_total_size(strlen(pol->levels.name[l->level]) + 1);
}

/**
 * policy_msg_size - room the attributes of @pol need
 * @pol: a policy that parsed without error
 *
 * Return: an upper bound in bytes, attribute headers included, covering
 * the extra nest headers policy_msg_fill() adds when it splits subjects.
 */
size_t policy_msg_size(const struct policy *pol)
{
	size_t size = nla_total_size(sizeof(uint32_t));	/* mode */
	size_t subjects = 0, labels = 0, i;

	size += nla_total_size(0);			/* levels nest */
	for (i = 0; i < pol->levels.count; i++)
		size += nla_total_size(strlen(pol->levels.name[i]) + 1);
	size += nla_total_size(strlen(pol->levels.name[pol->default_level]) + 1);
	for (i = 0; i < pol->nr_subjects; i++)
		subjects += subject_size(pol, &pol->subjects[i]);
	/* Each nest holds more than POLICY_NEST_MAX / 2 bytes but the last. */
	if (subjects)
		subjects += NLA_HDRLEN * (1 + subjects / (POLICY_NEST_MAX / 2));
	for (i = 0; i < pol->nr_labels; i++)
		labels += label_size(pol, &pol->labels[i]);
	if (labels)
		labels += NLA_HDRLEN * (1 + labels / (POLICY_NEST_MAX / 2));
	return size + subjects + labels;
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

static int nest_end(struct nl_msg *msg, struct nlattr *nest)
{
	/* libnl drops a nest over 64 KiB; refuse before that can happen. */
	if (tail(msg) - offset_of(msg, nest) > POLICY_NEST_MAX)
		return -E2BIG;
	return nla_nest_end(msg, nest) ? -E2BIG : 0;
}

/* End *@nest, which holds all that fits, and start another of @type. */
static int next_nest(struct nl_msg *msg, struct nlattr **nest, int type)
{
	int ret = nest_end(msg, *nest);

	if (ret)
		return ret;
	*nest = nla_nest_start(msg, type);
	return *nest ? 0 : -EMSGSIZE;
}

/* One AVFENCE_A_SUBJECT nest. */
static int put_subject(struct nl_msg *msg, const struct policy *pol,
		       const struct policy_subject *s)
{
	struct nlattr *sub = nla_nest_start(msg, AVFENCE_A_SUBJECT);

	if (!sub ||
	    nla_put(msg, AVFENCE_SUBJECT_A_PATH, s->path_len + 1, s->path) ||
	    nla_put_string(msg, AVFENCE_SUBJECT_A_CLEARANCE,
			   pol->levels.name[s->clearance]))
		return -EMSGSIZE;
	/* Only when used: a kernel before ALLOW rejects the attribute. */
	if (s->allow && nla_put_u32(msg, AVFENCE_SUBJECT_A_ALLOW, s->allow))
		return -EMSGSIZE;
	if (avf_put_entries(msg, AVFENCE_SUBJECT_A_WRITE, s->write,
			    s->nr_write) ||
	    avf_put_entries(msg, AVFENCE_SUBJECT_A_CONNECT, s->connect,
			    s->nr_connect))
		return -EMSGSIZE;
	return nla_nest_end(msg, sub) ? -EMSGSIZE : 0;
}

/* One AVFENCE_A_POLICY_LABEL nest. */
static int put_label(struct nl_msg *msg, const struct policy *pol,
		     const struct policy_label *l)
{
	struct nlattr *nest = nla_nest_start(msg, AVFENCE_A_POLICY_LABEL);

	if (!nest ||
	    nla_put(msg, AVFENCE_PLABEL_A_PATH, l->path_len + 1, l->path) ||
	    nla_put_string(msg, AVFENCE_PLABEL_A_LEVEL,
			   pol->levels.name[l->level]))
		return -EMSGSIZE;
	return nla_nest_end(msg, nest) ? -EMSGSIZE : 0;
}

/* Only a path and a clearance: the subject fits a table record. */
static bool plain_subject(const struct policy_subject *s)
{
	return !s->allow && !s->nr_write && !s->nr_connect;
}

static size_t rec_size(const struct policy_subject *s)
{
	return avf_subject_rec_len(s->path_len);
}

/*
 * Subjects [@i, @end) of pol->by_path as AVFENCE_A_SUBJECT nests, in as
 * many AVFENCE_A_SUBJECTS nests as they need (more than one only with
 * @split).
 */
static int fill_subject_nest(struct nl_msg *msg, const struct policy *pol,
			     struct policy_msg_map *map, size_t i, size_t end,
			     bool split)
{
	struct nlattr *nest = nla_nest_start(msg, AVFENCE_A_SUBJECTS);
	int ret;

	if (!nest)
		return -EMSGSIZE;
	map->nr_nests++;
	for (; i < end; i++) {
		const struct policy_subject *s = pol->by_path[i];
		size_t size = subject_size(pol, s);

		if (tail(msg) + size - offset_of(msg, nest) > POLICY_NEST_MAX) {
			if (!split)
				return -E2BIG;
			ret = next_nest(msg, &nest, AVFENCE_A_SUBJECTS);
			if (ret)
				return ret;
			map->nr_nests++;
		}
		map->subject_off[i] = tail(msg);
		ret = put_subject(msg, pol, s);
		if (ret)
			return ret;
	}
	return nest_end(msg, nest);
}

/*
 * Subjects [@i, @end) of pol->by_path, all plain_subject(), as records of
 * one AVFENCE_A_SUBJECT_TABLE of @bytes.
 */
static int fill_subject_table(struct nl_msg *msg, const struct policy *pol,
			      struct policy_msg_map *map, size_t i, size_t end,
			      size_t bytes)
{
	struct nlattr *table = nla_reserve(msg, AVFENCE_A_SUBJECT_TABLE, bytes);
	char *p;

	if (!table)
		return -EMSGSIZE;
	if (!map->first_table_off)
		map->first_table_off = offset_of(msg, table);
	map->nr_nests++;
	p = nla_data(table);
	for (; i < end; i++) {
		const struct policy_subject *s = pol->by_path[i];
		struct avfence_subject_rec *rec = (void *)p;
		size_t size = rec_size(s);

		map->subject_off[i] = offset_of(msg, p);
		memset(p, 0, size);
		rec->len = size;
		rec->clearance = s->clearance;
		memcpy(rec->path, s->path, s->path_len);
		p += size;
	}
	return 0;
}

/*
 * Every subject, in canonical order: each run of plain ones in tables of
 * up to 64 KiB, the others in nests.
 */
static int fill_subjects(struct nl_msg *msg, const struct policy *pol,
			 struct policy_msg_map *map)
{
	size_t i = 0, n = pol->nr_subjects;
	int ret;

	while (i < n) {
		size_t end = i, bytes = 0;

		if (plain_subject(pol->by_path[i])) {
			while (end < n && plain_subject(pol->by_path[end]) &&
			       NLA_HDRLEN + bytes + rec_size(pol->by_path[end]) <=
			       POLICY_NEST_MAX)
				bytes += rec_size(pol->by_path[end++]);
			ret = fill_subject_table(msg, pol, map, i, end, bytes);
		} else {
			while (end < n && !plain_subject(pol->by_path[end]))
				end++;
			ret = fill_subject_nest(msg, pol, map, i, end, true);
		}
		if (ret)
			return ret;
		i = end;
	}
	return 0;
}

/*
 * The "label" lines, in canonical order, in as many AVFENCE_A_POLICY_LABELS
 * nests as they need (only a kernel that knows labels reads several; one
 * that does not rejects the attribute).
 */
static int fill_labels(struct nl_msg *msg, const struct policy *pol,
		       struct policy_msg_map *map)
{
	struct nlattr *nest;
	size_t i;
	int ret;

	map->labels_off = map->labels_end = tail(msg);
	if (!pol->nr_labels)
		return 0;
	if (!pol->labels_by_path)
		return -EINVAL;
	map->label_off = calloc(pol->nr_labels + 1, sizeof(*map->label_off));
	if (!map->label_off)
		return -ENOMEM;
	map->nr_labels = pol->nr_labels;
	nest = nla_nest_start(msg, AVFENCE_A_POLICY_LABELS);
	if (!nest)
		return -EMSGSIZE;
	for (i = 0; i < pol->nr_labels; i++) {
		const struct policy_label *l = pol->labels_by_path[i];
		size_t size = label_size(pol, l);

		if (tail(msg) + size - offset_of(msg, nest) > POLICY_NEST_MAX) {
			ret = next_nest(msg, &nest, AVFENCE_A_POLICY_LABELS);
			if (ret)
				return ret;
		}
		map->label_off[i] = tail(msg);
		ret = put_label(msg, pol, l);
		if (ret)
			return ret;
	}
	map->label_off[i] = tail(msg);
	ret = nest_end(msg, nest);
	if (ret)
		return ret;
	map->labels_end = tail(msg);
	return 0;
}

/**
 * policy_msg_fill - append the policy's attributes to a LOAD_POLICY request
 * @msg: the request, genl header already in place, with policy_msg_size()
 *	bytes of room
 * @pol: a policy that parsed without error
 * @form: how the subjects are laid out (see below)
 * @map: filled with the offsets of what was added; free with
 *	policy_msg_map_free()
 *
 * An attribute's length is 16 bits, so one AVFENCE_A_SUBJECTS nest holds
 * at most POLICY_NEST_MAX bytes: about a thousand subjects of ordinary
 * path length.  POLICY_MSG_NESTS spreads the subjects over as many
 * AVFENCE_A_SUBJECTS nests as needed, which only a kernel that reads every
 * occurrence of the attribute understands; POLICY_MSG_TABLES puts each run
 * of subjects with only a path and a clearance in AVFENCE_A_SUBJECT_TABLE
 * records instead (a tenth of the attributes), which only a kernel that
 * knows the attribute accepts.
 *
 * The subjects go in canonical order (pol->by_path, as in the digest), so
 * that the kernel finds them sorted; @map records them in that order and
 * policy_msg_locate() translates back to the policy's subjects.
 *
 * Return: 0, -ENOMEM, -EMSGSIZE if @msg is too small, -E2BIG if the
 * subjects do not fit one nest in POLICY_MSG_ONE_NEST, or -EINVAL if @pol has
 * no canonical order (it did not come from a successful policy_parse()).
 */
int policy_msg_fill(struct nl_msg *msg, const struct policy *pol,
		    enum policy_msg_form form, struct policy_msg_map *map)
{
	struct nlattr *nest;
	size_t i;
	int ret;

	memset(map, 0, sizeof(*map));
	if (pol->nr_subjects && !pol->by_path)
		return -EINVAL;
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
	ret = nest_end(msg, nest);
	if (ret)
		return ret;
	map->levels_end = tail(msg);

	map->default_off = tail(msg);
	if (nla_put_string(msg, AVFENCE_A_DEFAULT_LEVEL,
			   pol->levels.name[pol->default_level]))
		return -EMSGSIZE;
	map->default_end = tail(msg);

	map->subjects_off = tail(msg);
	map->subjects_end = tail(msg);
	map->subject_off[0] = tail(msg);
	if (!pol->nr_subjects)
		return fill_labels(msg, pol, map);	/* subjects optional */
	if (form == POLICY_MSG_TABLES)
		ret = fill_subjects(msg, pol, map);
	else
		ret = fill_subject_nest(msg, pol, map, 0, pol->nr_subjects,
					form == POLICY_MSG_NESTS);
	if (ret)
		return ret;
	map->subject_off[pol->nr_subjects] = tail(msg);
	map->subjects_end = tail(msg);
	return fill_labels(msg, pol, map);
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
 * Return: the innermost element holding @offs, for a subject its index in
 * pol->subjects (not its place in the request); kind POLICY_LOC_NONE if
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
	} else if (in(offs, map->labels_off, map->labels_end)) {
		loc.kind = POLICY_LOC_LABELS;
		if (map->nr_labels &&
		    in(offs, map->label_off[0],
		       map->label_off[map->nr_labels])) {
			size_t sent = bsearch_range(map->label_off,
						    map->nr_labels + 1, offs);

			loc.kind = POLICY_LOC_LABEL;
			loc.index = pol->labels_by_path[sent] - pol->labels;
			loc.line = pol->labels[loc.index].line;
		}
	} else if (in(offs, map->subjects_off, map->subjects_end)) {
		loc.kind = POLICY_LOC_SUBJECTS;
		if (map->nr_subjects &&
		    in(offs, map->subject_off[0],
		       map->subject_off[map->nr_subjects])) {
			size_t sent = bsearch_range(map->subject_off,
						    map->nr_subjects + 1, offs);

			loc.kind = POLICY_LOC_SUBJECT;
			loc.index = pol->by_path[sent] - pol->subjects;
			loc.line = pol->subjects[loc.index].line;
		}
	}
	return loc;
}

void policy_msg_map_free(struct policy_msg_map *map)
{
	free(map->subject_off);
	map->subject_off = NULL;
	free(map->label_off);
	map->label_off = NULL;
}
