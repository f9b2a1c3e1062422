// SPDX-License-Identifier: GPL-2.0
/*
 * avfence: putting a new policy in force.
 *
 * The control interface (netlink.c) parses and checks a policy, then
 * hands it here.  Publishing it is the policy store's (policy.c); what a
 * new policy means for the running system is done here, one layer above
 * both the store and the tags: the tasks already running a subject
 * binary are tagged, the old policy is freed after a grace period, and
 * directory labels cached under the old label lines are dropped.
 */
#include <linux/rcupdate.h>

#include "common.h"
#include "label.h"
#include "policy.h"

/**
 * avf_load_policy - put a complete policy in force, free the old one
 * @policy: the new policy, checked and digested; ownership passes to the
 *          policy store
 *
 * Context: process context, avf_config_lock held.
 */
void avf_load_policy(struct avf_policy *policy)
{
	struct avf_policy *old;

	lockdep_assert_held(&avf_config_lock);
	old = avf_policy_publish(policy);
	/* Tasks already running a subject binary are fenced from now on. */
	avf_subject_tag_running(policy);
	/*
	 * Expedited: a normal grace period is several ticks (6-10 ms of a
	 * load in the benchmark VM); loads are rare and an administrator
	 * waits for them.
	 */
	synchronize_rcu_expedited();
	avf_policy_free(old);
	/*
	 * A fork that began before its parent was tagged above may only now
	 * have put the child in the task list: look once more.
	 */
	avf_subject_tag_running(policy);
	/* Directory labels cached under the old policy's label lines. */
	avf_label_changed();
}
