/* SPDX-License-Identifier: GPL-2.0 */
/*
 * avfencectl: turn a parsed policy into an AVFENCE_CMD_LOAD_POLICY request,
 * and map the offset of an attribute the kernel rejected back to the line
 * of the policy file it came from.
 */
#ifndef _AVFENCECTL_POLICY_MSG_H
#define _AVFENCECTL_POLICY_MSG_H

#include <stdbool.h>
#include <stdint.h>
#include <netlink/msg.h>

#include "policy_parse.h"

/* nla_len is 16 bits: the most one nest attribute can hold, header included. */
#define POLICY_NEST_MAX		0xffff

/**
 * struct policy_msg_map - where each part of the policy sits in the request
 *
 * Offsets count bytes from the start of the struct nlmsghdr, like the
 * kernel's NLMSGERR_ATTR_OFFS.  Each range is [start, end).
 */
struct policy_msg_map {
	uint32_t mode_off, mode_end;
	uint32_t levels_off, levels_end;
	uint32_t level_off[AVFENCE_LEVELS_MAX + 1];	/* + end */
	uint32_t default_off, default_end;
	uint32_t subjects_off, subjects_end;	/* all subject nests */
	unsigned int nr_nests;	/* AVFENCE_A_SUBJECTS and _TABLE used */
	uint32_t first_table_off;	/* of the first table; 0: none */
	uint32_t *subject_off;	/* in request order (by_path), + end */
	size_t nr_subjects;
	uint32_t labels_off, labels_end;	/* all label nests */
	uint32_t *label_off;	/* in request order (labels_by_path), + end */
	size_t nr_labels;
};

enum policy_loc_kind {
	POLICY_LOC_NONE,	/* not inside any attribute we built */
	POLICY_LOC_MODE,
	POLICY_LOC_LEVELS,	/* the levels nest itself */
	POLICY_LOC_LEVEL,	/* one level name, @index */
	POLICY_LOC_DEFAULT,
	POLICY_LOC_SUBJECTS,	/* the subjects nest itself */
	POLICY_LOC_SUBJECT,	/* one subject (or its path/clearance), @index */
	POLICY_LOC_LABELS,	/* a labels nest itself */
	POLICY_LOC_LABEL,	/* one "label" line (or its path/level), @index */
};

struct policy_loc {
	enum policy_loc_kind kind;
	size_t index;
	unsigned int line;
};

/* How policy_msg_fill() lays the subjects out. */
enum policy_msg_form {
	POLICY_MSG_ONE_NEST,	/* one AVFENCE_A_SUBJECTS nest, or -E2BIG */
	POLICY_MSG_NESTS,	/* as many AVFENCE_A_SUBJECTS nests as needed */
	POLICY_MSG_TABLES,	/* plain subjects in AVFENCE_A_SUBJECT_TABLE */
};

size_t policy_msg_size(const struct policy *pol);
int policy_msg_fill(struct nl_msg *msg, const struct policy *pol,
		    enum policy_msg_form form, struct policy_msg_map *map);
struct policy_loc policy_msg_locate(const struct policy *pol,
				    const struct policy_msg_map *map,
				    uint32_t offs);
void policy_msg_map_free(struct policy_msg_map *map);

#endif /* _AVFENCECTL_POLICY_MSG_H */
