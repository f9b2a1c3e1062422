// SPDX-License-Identifier: GPL-2.0
/*
 * avfence: the essentials of the fence, readable without avfencectl.
 *
 *	/sys/kernel/security/avfence/status	"key: value" lines, then
 *						"route R: ...", "level L: ..."
 *						and "subject P: ..." lines
 *	/sys/kernel/security/avfence/policy	the canonical form in force,
 *						whose SHA-256 is its digest
 *	.../binary_measurements			the measurement log (measure.c)
 *	.../ascii_measurements			the same, as text
 */
#include <linux/security.h>
#include <linux/seq_file.h>
#include <linux/utsname.h>

#include "common.h"
#include "measure.h"
#include "policy.h"
#include "stats.h"

static struct dentry *avf_dir, *avf_status, *avf_policy_file;
static struct dentry *avf_binary_log, *avf_ascii_log;

static const char *mode_name(u32 mode)
{
	return mode == AVFENCE_MODE_AUDIT ? "audit" : "enforce";
}

static void list_show(struct seq_file *m, const char *word, char *const *v,
		      u32 n)
{
	u32 i;

	seq_printf(m, " %s%s", word, n ? "" : " none");
	for (i = 0; i < n; i++) {
		seq_putc(m, ' ');
		seq_escape(m, v[i], " :\t\n\\");
	}
}

/* Per level and per subject: what GET_STATUS has in its lists. */
static void policy_lists_show(struct seq_file *m,
			      const struct avf_policy *policy)
{
	const struct avf_subject *subject;
	u32 i, flag;

	for (i = 0; i < policy->levels.count; i++)
		seq_printf(m, "level %s: denied %llu audited %llu\n",
			   policy->levels.name[i],
			   avf_stat_level(policy, i, true),
			   avf_stat_level(policy, i, false));
	for (i = 0; i < policy->nsubjects; i++) {
		subject = &policy->subjects[i];
		seq_puts(m, "subject ");
		/* one line per subject, whatever the path holds */
		seq_escape(m, subject->path, " :\t\n\\");
		seq_printf(m, ": clearance %s dev %u:%u ino %lu allow%s",
			   policy->levels.name[subject->clearance],
			   MAJOR(subject->key.dev), MINOR(subject->key.dev),
			   subject->key.ino, subject->allow ? "" : " none");
		for (flag = 1; flag & __AVFENCE_ALLOW_ALL; flag <<= 1) {
			if (subject->allow & flag)
				seq_printf(m, " %s", avf_allow_name(flag));
		}
		list_show(m, "write", subject->lists.write,
			  subject->lists.nwrite);
		list_show(m, "connect", subject->lists.connect,
			  subject->lists.nconnect);
		seq_putc(m, '\n');
	}
	for (i = 0; i < policy->nlabels; i++) {
		const struct avf_plabel *pl = &policy->labels[i];

		seq_puts(m, "label ");
		seq_escape(m, pl->path, " :\t\n\\");
		seq_printf(m, ": level %s dev %u:%u ino %lu%s\n",
			   policy->levels.name[pl->level],
			   MAJOR(pl->obj.dev), MINOR(pl->obj.dev), pl->obj.ino,
			   pl->mount_root ? " mount-root" : "");
	}
}

static int status_show(struct seq_file *m, void *v)
{
	struct avf_status_totals totals;
	struct avf_policy *policy;
	const char *why_not;
	u64 records;
	u32 i, pcr;

	seq_printf(m, "version: %s\nabi: %d\nkernel: %s\n", AVFENCE_VERSION,
		   AVFENCE_GENL_VERSION, init_utsname()->release);
	why_not = avf_measure_state(&pcr, &records);
	if (why_not)
		seq_printf(m, "measured: no (%s): not measured, %llu records\n",
			   why_not, records);
	else
		seq_printf(m, "measured: pcr %u, %llu records\n", pcr, records);
	mutex_lock(&avf_config_lock);
	policy = rcu_dereference_protected(avf_policy,
					   lockdep_is_held(&avf_config_lock));
	seq_printf(m, "locked: %s\n", READ_ONCE(avf_locked) ? "yes" : "no");
	if (policy) {
		seq_printf(m, "mode: %s\ngeneration: %llu\ndigest: %*phN\nlevels:",
			   mode_name(READ_ONCE(policy->mode)),
			   policy->generation, AVFENCE_DIGEST_LEN,
			   policy->digest);
		for (i = 0; i < policy->levels.count; i++)
			seq_printf(m, " %s", policy->levels.name[i]);
		seq_printf(m, "\ndefault: %s\nsubjects: %u\nlabels: %u\n",
			   policy->levels.name[policy->default_level],
			   policy->nsubjects, policy->nlabels);
	} else {
		seq_puts(m, "mode: none (no policy loaded)\n");
	}
	avf_status_totals(&totals);
	seq_printf(m, "tagged: %u\ndenied: %llu\naudited: %llu\nevents_lost: %llu\n",
		   totals.tagged, totals.denied, totals.audited,
		   totals.events_lost);
	for (i = 0; i <= AVFENCE_ROUTE_MAX; i++)
		seq_printf(m, "route %s: denied %llu audited %llu\n",
			   avf_route_name(i), avf_stat_denied(i),
			   avf_stat_audited(i));
	if (policy)
		policy_lists_show(m, policy);
	mutex_unlock(&avf_config_lock);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(status);

static void emit_seq(void *ctx, const char *s, size_t len)
{
	seq_write(ctx, s, len);
}

static int policy_show(struct seq_file *m, void *v)
{
	struct avf_policy *policy;
	int err = 0;

	mutex_lock(&avf_config_lock);
	policy = rcu_dereference_protected(avf_policy,
					   lockdep_is_held(&avf_config_lock));
	if (policy)
		err = avf_policy_canon(policy, emit_seq, m);
	mutex_unlock(&avf_config_lock);
	return err;
}
DEFINE_SHOW_ATTRIBUTE(policy);

/**
 * avf_securityfs_init - create /sys/kernel/security/avfence/
 *
 * Return: 0 or a negative errno.
 */
int avf_securityfs_init(void)
{
	avf_dir = securityfs_create_dir("avfence", NULL);
	if (IS_ERR(avf_dir))
		return PTR_ERR(avf_dir);
	avf_status = securityfs_create_file("status", 0444, avf_dir, NULL,
					    &status_fops);
	avf_policy_file = securityfs_create_file("policy", 0444, avf_dir,
						 NULL, &policy_fops);
	avf_binary_log = securityfs_create_file("binary_measurements", 0444,
						avf_dir, NULL,
						&avf_measure_binary_fops);
	avf_ascii_log = securityfs_create_file("ascii_measurements", 0444,
					       avf_dir, NULL,
					       &avf_measure_ascii_fops);
	if (IS_ERR(avf_status) || IS_ERR(avf_policy_file) ||
	    IS_ERR(avf_binary_log) || IS_ERR(avf_ascii_log)) {
		avf_securityfs_exit();
		return -ENOMEM;
	}
	return 0;
}

/** avf_securityfs_exit - remove /sys/kernel/security/avfence/ */
void avf_securityfs_exit(void)
{
	if (!IS_ERR_OR_NULL(avf_ascii_log))
		securityfs_remove(avf_ascii_log);
	if (!IS_ERR_OR_NULL(avf_binary_log))
		securityfs_remove(avf_binary_log);
	if (!IS_ERR_OR_NULL(avf_policy_file))
		securityfs_remove(avf_policy_file);
	if (!IS_ERR_OR_NULL(avf_status))
		securityfs_remove(avf_status);
	if (!IS_ERR_OR_NULL(avf_dir))
		securityfs_remove(avf_dir);
}
