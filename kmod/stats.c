// SPDX-License-Identifier: GPL-2.0
/*
 * avfence: counters of refusals.
 *
 * fence.c counts every refusal here, per route since load and per file
 * level under the policy in force; the control interfaces read the sums.
 * Counters are per CPU: nothing on a refusal's path writes a shared
 * cache line.  This file calls nothing above it: the verdicts count into
 * it, the status readers read from it.
 */
#include <linux/bug.h>
#include <linux/percpu.h>

#include "common.h"
#include "event.h"
#include "policy.h"
#include "stats.h"

/**
 * struct avf_counters - refusals per route, one instance per CPU
 * @denied: refused
 * @audited: let through by audit mode
 */
struct avf_counters {
	u64 denied[__AVFENCE_ROUTE_MAX];
	u64 audited[__AVFENCE_ROUTE_MAX];
};

static DEFINE_PER_CPU(struct avf_counters, avf_counters);

/**
 * avf_stat_count - count a refusal on a route
 * @route: enum avfence_route
 * @verdict: AVF_DENY or AVF_AUDIT; AVF_ALLOW is not counted
 *
 * Context: any; never sleeps.
 */
void avf_stat_count(u32 route, enum avf_verdict verdict)
{
	if (WARN_ON_ONCE(route > AVFENCE_ROUTE_MAX))
		return;
	if (verdict == AVF_DENY)
		this_cpu_inc(avf_counters.denied[route]);
	else if (verdict == AVF_AUDIT)
		this_cpu_inc(avf_counters.audited[route]);
}

/**
 * avf_stat_count_level - count a refusal of a file under its level
 * @policy: the policy in force (its ladder names the levels), held by
 *          the caller under RCU
 * @level: index into @policy's ladder
 * @verdict: AVF_DENY or AVF_AUDIT; AVF_ALLOW is not counted
 *
 * The counters belong to the policy and are per CPU.
 *
 * Context: any; never sleeps.
 */
void avf_stat_count_level(struct avf_policy *policy, u32 level,
			  enum avf_verdict verdict)
{
	if (WARN_ON_ONCE(level >= AVFENCE_LEVELS_MAX))
		return;
	if (verdict == AVF_DENY)
		this_cpu_inc(policy->level_stats->denied[level]);
	else if (verdict == AVF_AUDIT)
		this_cpu_inc(policy->level_stats->audited[level]);
}

static u64 sum(bool denied, u32 route)
{
	const struct avf_counters *c;
	u64 total = 0;
	int cpu;

	if (route > AVFENCE_ROUTE_MAX) {
		for (route = 0; route <= AVFENCE_ROUTE_MAX; route++)
			total += sum(denied, route);
		return total;
	}
	for_each_possible_cpu(cpu) {
		c = per_cpu_ptr(&avf_counters, cpu);
		total += denied ? c->denied[route] : c->audited[route];
	}
	return total;
}

/**
 * avf_stat_denied - accesses refused since load
 * @route: enum avfence_route, or any larger value for all routes
 *
 * Return: the count.
 */
u64 avf_stat_denied(u32 route)
{
	return sum(true, route);
}

/**
 * avf_stat_audited - accesses audit mode let through since load
 * @route: enum avfence_route, or any larger value for all routes
 *
 * Return: the count.
 */
u64 avf_stat_audited(u32 route)
{
	return sum(false, route);
}

/**
 * avf_stat_level - refusals of files at one level under a policy
 * @policy: the policy, held by the caller (RCU or avf_config_lock)
 * @level: index into @policy's ladder
 * @denied: count refusals (true) or what audit mode let through (false)
 *
 * Return: the count since @policy was loaded.
 */
u64 avf_stat_level(const struct avf_policy *policy, u32 level, bool denied)
{
	const struct avf_level_stats *s;
	u64 total = 0;
	int cpu;

	if (level >= AVFENCE_LEVELS_MAX)
		return 0;
	for_each_possible_cpu(cpu) {
		s = per_cpu_ptr(policy->level_stats, cpu);
		total += denied ? s->denied[level] : s->audited[level];
	}
	return total;
}

/**
 * avf_status_totals - the module-wide figures of a status report
 * @t: filled in
 *
 * Each figure is read on its own: they may be a moment apart.
 */
void avf_status_totals(struct avf_status_totals *t)
{
	t->tagged = avf_tagged_count();
	t->denied = avf_stat_denied(~0U);
	t->audited = avf_stat_audited(~0U);
	t->events_lost = avf_events_lost();
}
