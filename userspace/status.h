/* SPDX-License-Identifier: GPL-2.0 */
/*
 * avfencectl: AVFENCE_CMD_GET_STATUS, shared by the commands that need to
 * know the kernel's policy (status, mode, label).
 */
#ifndef _AVFENCECTL_STATUS_H
#define _AVFENCECTL_STATUS_H

#include <stdbool.h>
#include <stdint.h>

#include "decide.h"
#include "nl.h"

#define AVF_ROUTES_MAX 32

/* Denials and audits counted under one enum avfence_route. */
struct avf_route_stat {
	uint32_t id;
	char name[32];
	uint64_t denied;
	uint64_t audited;
};

/* Refusals of files at one level, under the policy in force. */
struct avf_level_stat {
	char name[AVFENCE_LEVEL_NAME_MAX];
	uint64_t denied;
	uint64_t audited;
};

/* A subject as the kernel resolved it at load. */
struct avf_status_subject {
	char *path;
	char clearance[AVFENCE_LEVEL_NAME_MAX];
	uint32_t allow;
	bool has_id;		/* dev and ino reported */
	uint32_t dev;		/* as stat(2)'s st_dev */
	uint64_t ino;
	char **write;		/* write= directories, as loaded */
	uint32_t nr_write;
	char **connect;		/* connect= entries, as loaded */
	uint32_t nr_connect;
};

/* A policy "label" line as the kernel resolved it at load. */
struct avf_status_plabel {
	char *path;
	char level[AVFENCE_LEVEL_NAME_MAX];
	bool has_id;
	uint32_t dev;
	uint64_t ino;
	bool mount_root;
};

/**
 * struct avf_status - the kernel's answer; has_* tells what it included
 */
struct avf_status {
	bool has_abi, has_version, has_mode, has_generation, has_default;
	bool has_subjects, has_tagged, has_denied, has_audited;
	bool has_locked, has_digest, has_events_lost;
	bool measured, has_measure_records;	/* measure.c's log and PCR */
	uint32_t measure_pcr;
	uint64_t measure_records;
	bool policy_loaded;
	bool locked;
	bool levels_bad;		/* a level name we could not take */
	uint32_t abi;
	char version[64];
	uint32_t mode;
	uint64_t generation;
	struct avf_levels levels;
	char default_level[AVFENCE_LEVEL_NAME_MAX];
	uint32_t subjects;
	bool has_plabels;
	uint32_t plabels;		/* policy "label" lines */
	uint32_t tagged;
	uint64_t denied;
	uint64_t audited;
	uint8_t digest[AVFENCE_DIGEST_LEN];
	uint64_t events_lost;
	struct avf_route_stat routes[AVF_ROUTES_MAX];
	unsigned int nr_routes;
	bool has_level_stats;
	struct avf_level_stat level_stats[AVFENCE_LEVELS_MAX];
	unsigned int nr_level_stats;
	/* Only from avf_status_get_full(); free with avf_status_free(). */
	bool want_list;
	bool has_subject_list;
	struct avf_status_subject *subject_list;
	uint32_t nr_subject_list;
	uint32_t cap_subject_list;
	bool has_plabel_list;
	struct avf_status_plabel *plabel_list;
	uint32_t nr_plabel_list;
	uint32_t cap_plabel_list;
	bool list_nomem;
};

int avf_status_get(struct avf_nl *nl, struct avf_status *st,
		   struct avf_nl_ack *ack);
int avf_status_get_full(struct avf_nl *nl, struct avf_status *st,
			struct avf_nl_ack *ack);
int avf_status_fetch(struct avf_status *st);
int avf_status_fetch_full(struct avf_status *st);
void avf_status_free(struct avf_status *st);

#endif /* _AVFENCECTL_STATUS_H */
