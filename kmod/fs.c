// SPDX-License-Identifier: GPL-2.0
/*
 * avfence: the open check.
 *
 * Every way of opening a file's contents (open, openat, openat2, execve,
 * open_by_handle_at, io_uring, re-opening /proc/PID/fd/N, the kernel
 * opening a fanotify event's file) ends in security_file_open(), so that
 * is where a tagged task meets the fence.
 */
#include <linux/percpu.h>
#include <linux/ratelimit.h>
#include <linux/slab.h>

#include "common.h"
#include "hook.h"
#include "label.h"
#include "policy.h"

static DEFINE_PER_CPU(u64, avf_denied);
static DEFINE_PER_CPU(u64, avf_audited);
static DEFINE_RATELIMIT_STATE(avf_log_rs, 5 * HZ, 20);

static u64 sum(u64 __percpu *counter)
{
	u64 total = 0;
	int cpu;

	for_each_possible_cpu(cpu)
		total += *per_cpu_ptr(counter, cpu);
	return total;
}

/** avf_stat_denied - opens refused since load. Return: the count. */
u64 avf_stat_denied(void)
{
	return sum(&avf_denied);
}

/** avf_stat_audited - opens audit mode let through. Return: the count. */
u64 avf_stat_audited(void)
{
	return sum(&avf_audited);
}

/**
 * struct avf_decision - what the open check found, for the log
 * @verdict: enum avf_verdict
 * @clearance: name of the task's clearance
 * @level: name of the file's effective level, or its raw label if unknown
 * @unknown: the file's label names no level
 */
struct avf_decision {
	enum avf_verdict verdict;
	char clearance[AVFENCE_LEVEL_NAME_MAX];
	char level[AVFENCE_LEVEL_NAME_MAX];
	bool unknown;
};

static void log_decision(const struct file *file,
			 const struct avf_decision *d, int err)
{
	char *buf, *path;

	if (!__ratelimit(&avf_log_rs))
		return;
	buf = kmalloc(PATH_MAX, GFP_KERNEL);
	path = buf ? d_path(&file->f_path, buf, PATH_MAX) : ERR_PTR(-ENOMEM);
	if (IS_ERR(path))
		path = "?";
	if (err)
		pr_notice("denied open pid=%d comm=%s path=%s: cannot read label: %d\n",
			  task_pid_nr(current), current->comm, path, err);
	else
		pr_notice("%s open pid=%d comm=%s clearance=%s label=%s%s path=%s\n",
			  d->verdict == AVF_DENY ? "denied" : "audit",
			  task_pid_nr(current), current->comm, d->clearance,
			  d->level, d->unknown ? " (unknown, taken as highest)" : "",
			  path);
	kfree(buf);
}

static int check_open(struct file *file)
{
	struct avf_decision d = { .verdict = AVF_ALLOW };
	struct avf_policy *policy;
	struct avf_label label;
	u32 clearance, level;
	int err;

	err = avf_label_effective(file->f_path.dentry, &label);
	if (err) {
		/* Fail closed: no label read, no contents. */
		this_cpu_inc(avf_denied);
		log_decision(file, &d, err);
		return -EACCES;
	}

	rcu_read_lock();
	policy = rcu_dereference(avf_policy);
	if (WARN_ON_ONCE(!policy) || !avf_current_clearance(policy, &clearance)) {
		/* A tag without a policy, or a tag gone: cannot happen. */
		rcu_read_unlock();
		return policy ? 0 : -EACCES;
	}
	if (label.source == AVFENCE_LABEL_DEFAULT)
		level = policy->default_level;
	else
		level = avf_label_level(&policy->levels, label.name, label.len,
					&d.unknown);
	d.verdict = avf_decide(clearance, level, READ_ONCE(policy->mode));
	if (d.verdict != AVF_ALLOW) {
		strscpy(d.clearance, policy->levels.name[clearance],
			sizeof(d.clearance));
		if (d.unknown)
			snprintf(d.level, sizeof(d.level), "%*pE",
				 (int)avf_label_trim(label.name, label.len),
				 label.name);
		else
			strscpy(d.level, policy->levels.name[level],
				sizeof(d.level));
	}
	if (d.unknown && !atomic_xchg(&policy->unknown_logged, 1))
		pr_warn("unknown label '%*pE' on an opened file, taken as %s; further unknown labels are not reported\n",
			(int)avf_label_trim(label.name, label.len), label.name,
			policy->levels.name[level]);
	rcu_read_unlock();

	if (d.verdict == AVF_ALLOW)
		return 0;
	if (d.verdict == AVF_DENY)
		this_cpu_inc(avf_denied);
	else
		this_cpu_inc(avf_audited);
	log_decision(file, &d, 0);
	return d.verdict == AVF_DENY ? -EACCES : 0;
}

int hook_file_open(struct file *file)
{
	/* Ours first: a denied open never reaches fanotify listeners. */
	int err = check_open(file);

	if (!err)
		err = avf_orig.file_open(file);
	avf_hook_leave();
	return err;
}
