/* SPDX-License-Identifier: GPL-2.0 */
/*
 * avfence: declarations shared by the module's files.
 */
#ifndef _AVFENCE_COMMON_H
#define _AVFENCE_COMMON_H

#include <linux/atomic.h>
#include <linux/fs.h>
#include <linux/hash.h>
#include <linux/rculist.h>
#include <linux/sched.h>
#include <linux/types.h>

#include "decide.h"

#define AVFENCE_VERSION "0.1.0"

/* subject.c: the tags of fenced tasks */
struct avf_policy;

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
bool avf_current_tag_lookup(void);
extern atomic_t avf_ntagged;

/*
 * The part of a tag (struct avf_tag, subject.c) that the fast path of the
 * file hooks reads inline (avf_current_tag_head()): its link in the tag
 * table, its task (only compared) and the clearance cached for one
 * policy generation (bits 63-32) with its level index (bits 15-0).
 */
struct avf_tag_head {
	struct hlist_node node;
	const struct task_struct *task;
	atomic64_t cached;
};

#define AVF_TAG_HASH_BITS	14
#define AVF_TAG_GEN_SHIFT	32
#define AVF_TAG_LEVEL_MASK	0xffffULL
extern struct hlist_head avf_tags[1 << AVF_TAG_HASH_BITS];
int avf_current_level_new(struct avf_tag_head *tag,
			  const struct avf_policy *policy);

/* The bucket of the tag table @task's tag would be in. */
static __always_inline struct hlist_head *
avf_tag_bucket(const struct task_struct *task)
{
	return &avf_tags[hash_ptr(task, AVF_TAG_HASH_BITS)];
}

static __always_inline struct hlist_head *avf_current_bucket(void)
{
	return avf_tag_bucket(current);
}

/*
 * Current's tag in @bucket (avf_current_bucket(), found once by a caller
 * that also asked whether it is empty), or NULL.  Context: as below.
 */
static __always_inline struct avf_tag_head *
avf_current_tag_in(const struct hlist_head *bucket)
{
	struct avf_tag_head *tag;

	hlist_for_each_entry_rcu(tag, bucket, node) {
		if (tag->task == current)
			return tag;
	}
	return NULL;
}

/**
 * avf_current_tag_head - the tag of the current task, for the fast path
 * of the file hooks
 *
 * avf_current_clearance()'s lookup, inline, so that the callback's hit
 * makes one call fewer.
 *
 * Context: an RCU read-side critical section (rcu_read_lock() or
 * rcu_read_lock_sched()).
 * Return: the tag, or NULL if current is untagged.
 */
static __always_inline struct avf_tag_head *avf_current_tag_head(void)
{
	return avf_current_tag_in(avf_current_bucket());
}

/**
 * avf_tag_head_level - the clearance level a tag caches
 * @tag: a tag from avf_current_tag_head()
 * @generation: the generation of the policy in force
 *
 * Return: the level index, or -1 if it was computed under another policy
 * (then avf_current_level_new() computes it).
 */
static __always_inline int avf_tag_head_level(const struct avf_tag_head *tag,
					      u64 generation)
{
	u64 cached = atomic64_read(&tag->cached);

	if (unlikely((u32)(cached >> AVF_TAG_GEN_SHIFT) != (u32)generation))
		return -1;
	return cached & AVF_TAG_LEVEL_MASK;
}

/**
 * avf_current_maybe_tagged - might the current task carry a tag?
 *
 * Inline: avf_current_tag_lookup() asks it first, from the ftrace
 * callback, and a call costs more than the hash (the callback's own
 * question is hook.c's tagged_bucket(), which keeps the bucket).
 *
 * Context: any; called from the ftrace callback, possibly preemptible.
 * Return: false if it certainly does not (its bucket is empty); true if
 * a lookup must tell.
 */
static __always_inline bool avf_current_maybe_tagged(void)
{
	/* Only compared with NULL, never followed: no RCU needed. */
	return !hlist_empty(avf_current_bucket());
}

/**
 * avf_any_tagged - is any task tagged?
 *
 * Inline: the ftrace callback asks it on every call of every hooked
 * function, and a call costs more than the read.
 *
 * Return: false only when no task is fenced, which is the fast path of
 * every hook on a host without a policy.
 */
static inline bool avf_any_tagged(void)
{
	return atomic_read(&avf_ntagged) != 0;
}

/**
 * avf_current_tagged - is the current task fenced?
 *
 * Context: any; called from the ftrace callback, possibly preemptible.
 * Return: true if current carries a tag.
 */
static inline bool avf_current_tagged(void)
{
	return avf_any_tagged() && avf_current_tag_lookup();
}

u32 avf_tagged_count(void);
/**
 * struct avf_clearance - what a tagged task may reach
 * @level: the highest level it may open
 * @allow: AVFENCE_ALLOW_* side doors its policy opens to it
 */
struct avf_clearance {
	u32 level;
	u32 allow;
};

bool avf_current_clearance(const struct avf_policy *policy,
			   struct avf_clearance *c);

bool avf_task_clearance(const struct task_struct *task,
			const struct avf_policy *policy,
			struct avf_clearance *c);
void avf_subject_tag_running(const struct avf_policy *policy);
int avf_subject_tag_written(const char *mark, size_t len, char *clearance,
			    size_t size);
struct pid;
void avf_current_note_root_link(const struct pid *pid);
bool avf_current_take_root_link(struct task_struct *task);

struct avf_subject;
/* Subject binaries whose rights a tag intersects (subject.c). */
#define AVF_TASK_SUBJECTS_MAX 8
u32 avf_task_subjects(const struct task_struct *task,
		      const struct avf_policy *policy,
		      const struct avf_subject **out);
bool avf_task_connect_listed(const struct task_struct *task,
			     const struct avf_policy *policy,
			     const char *name);
int avf_subject_collect(unsigned long *cursor, struct task_struct **tasks,
			int max);
bool avf_subject_describe(struct task_struct *task, char *clearance,
			  size_t len, u64 *since);

/* ipc.c: the unix sockets tagged tasks made */
extern atomic_t avf_nsocks;
void avf_ipc_exit(void);

/* root.c: is a task rooted where another is? */
struct fs_struct;
bool avf_same_root(struct fs_struct *a, struct fs_struct *b);

/* hook.c: attaching to the kernel's LSM hook points */
int avf_hooks_attach(void);
void avf_hooks_detach(void);

/* securityfs.c: /sys/kernel/security/avfence */
int avf_securityfs_init(void);
void avf_securityfs_exit(void);

/* netlink.c: the control interface */
int avf_netlink_init(void);
void avf_netlink_exit(void);

#endif /* _AVFENCE_COMMON_H */
