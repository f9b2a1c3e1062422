/* SPDX-License-Identifier: GPL-2.0 */
/*
 * avfence: the original kernel functions behind the attached hooks.
 */
#ifndef _AVFENCE_HOOK_H
#define _AVFENCE_HOOK_H

#include <linux/binfmts.h>
#include <linux/fs.h>
#include <linux/sched.h>

/**
 * struct avf_orig - the kernel's security_*() functions avfence wraps
 *
 * Each hook_*() wrapper calls its counterpart here to run the other LSMs.
 */
struct avf_orig {
	int (*task_alloc)(struct task_struct *task, unsigned long clone_flags);
	void (*task_free)(struct task_struct *task);
	int (*bprm_check)(struct linux_binprm *bprm);
	void (*bprm_committed_creds)(struct linux_binprm *bprm);
	int (*file_open)(struct file *file);
};

extern struct avf_orig avf_orig;

#endif /* _AVFENCE_HOOK_H */
