/* SPDX-License-Identifier: GPL-2.0 */
/*
 * avfence: counters of refusals, and the one status summary the control
 * interfaces (netlink.c, securityfs.c) read.
 */
#ifndef _AVFENCE_STATS_H
#define _AVFENCE_STATS_H

#include <linux/types.h>

#include "decide.h"

struct avf_policy;

void avf_stat_count(u32 route, enum avf_verdict verdict);
void avf_stat_count_level(struct avf_policy *policy, u32 level,
			  enum avf_verdict verdict);
u64 avf_stat_denied(u32 route);
u64 avf_stat_audited(u32 route);
u64 avf_stat_level(const struct avf_policy *policy, u32 level, bool denied);

/**
 * struct avf_status_totals - the module-wide figures of a status report
 * @tagged: tagged tasks alive
 * @denied: refusals since load, all routes
 * @audited: what audit mode let through since load, all routes
 * @events_lost: events dropped since load
 */
struct avf_status_totals {
	u32 tagged;
	u64 denied;
	u64 audited;
	u64 events_lost;
};

void avf_status_totals(struct avf_status_totals *t);

#endif /* _AVFENCE_STATS_H */
