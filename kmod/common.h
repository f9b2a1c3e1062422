/* SPDX-License-Identifier: GPL-2.0 */
/*
 * avfence: declarations shared by the module's files.
 */
#ifndef _AVFENCE_COMMON_H
#define _AVFENCE_COMMON_H

#include <linux/fs.h>
#include <linux/sched.h>
#include <linux/types.h>

#include "decide.h"

#define AVFENCE_VERSION "0.1.0"

/* subject.c: the tags of fenced tasks */
struct avf_policy;
struct linux_binprm;

/**
 * struct avf_subject_key - identity of a subject binary
 * @dev: device of the filesystem holding it
 * @ino: inode number
 */
struct avf_subject_key {
	dev_t dev;
	unsigned long ino;
};

static inline struct avf_subject_key avf_key_of_inode(const struct inode *inode)
{
	struct avf_subject_key key = {
		.dev = inode->i_sb->s_dev,
		.ino = inode->i_ino,
	};

	return key;
}

int avf_subject_init(void);
void avf_subject_exit(void);
bool avf_current_tagged(void);
bool avf_any_tagged(void);
u32 avf_tagged_count(void);
bool avf_current_clearance(const struct avf_policy *policy, u32 *clearance);
void avf_subject_tag_running(const struct avf_policy *policy);
int hook_task_alloc(struct task_struct *task, unsigned long clone_flags);
void hook_task_free(struct task_struct *task);
int hook_bprm_check(struct linux_binprm *bprm);
void hook_bprm_committed_creds(struct linux_binprm *bprm);

/* fs.c: the open check and its counters */
int hook_file_open(struct file *file);
u64 avf_stat_denied(void);
u64 avf_stat_audited(void);

/* hook.c: attaching to the kernel's LSM hook points */
int avf_hooks_attach(void);
void avf_hooks_detach(void);
void avf_hook_leave(void);

/* netlink.c: the control interface */
int avf_netlink_init(void);
void avf_netlink_exit(void);

#endif /* _AVFENCE_COMMON_H */
