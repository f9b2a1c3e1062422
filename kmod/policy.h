/* SPDX-License-Identifier: GPL-2.0 */
/*
 * avfence: the policy in force.
 */
#ifndef _AVFENCE_POLICY_H
#define _AVFENCE_POLICY_H

#include <linux/mutex.h>
#include <linux/rcupdate.h>
#include <linux/spinlock.h>
#include <linux/types.h>

#include "canon.h"
#include "common.h"

struct avf_path_chunk;

/**
 * struct avf_subject_lists - the write= and connect= options of a subject
 * @nwrite: number of write= directories
 * @write: their paths as loaded, sorted bytewise, unique
 * @write_key: the identity of each, resolved at load like subject paths:
 *	the directory's inode, wherever it is mounted or renamed to later
 * @nconnect: number of connect= entries
 * @connect: "/path" or "@abstract", sorted bytewise, unique
 */
struct avf_subject_lists {
	u32 nwrite;
	char **write;
	struct avf_subject_key *write_key;
	u32 nconnect;
	char **connect;
};

/**
 * struct avf_subject - a binary whose executors are fenced
 * @node: link in &avf_policy.buckets
 * @key: identity of the binary, resolved at load
 * @clearance: highest level its executors may open
 * @allow: AVFENCE_ALLOW_* side doors opened to it
 * @path: the path it was named by, for status (in the policy's
 *	@path_chunks)
 * @lists: where its tasks may write and which sockets they may use
 */
struct avf_subject {
	struct hlist_node node;
	struct avf_subject_key key;
	u32 clearance;
	u32 allow;
	const char *path;
	struct avf_subject_lists lists;
};

/**
 * struct avf_plabel - a "label PATH LEVEL" line, resolved at load
 * @node: link in &avf_policy.label_buckets, by @obj.ino
 * @mp_node: link in &avf_policy.mp_buckets, by @mp.ino, if @has_mp
 * @path: the path as written, for status and the canonical form
 * @level: the level it gives
 * @obj: identity of the object @path resolved to
 * @mp: identity of the directory a filesystem mounted here is mounted
 *      on: the directory underneath for a mount root, else @obj itself
 * @root: index of the mount-root label on the same filesystem as @obj,
 *        or U32_MAX: @obj also matches on that filesystem mounted again
 * @mount_root: @obj was the root of a mounted filesystem
 * @has_mp: @mp is valid (not for the root of the namespace)
 */
struct avf_plabel {
	struct hlist_node node;
	struct hlist_node mp_node;
	char *path;
	u32 level;
	struct avf_subject_key obj;
	struct avf_subject_key mp;
	u32 root;
	bool mount_root;
	bool has_mp;
};

/*
 * Filesystems known to be covered by a mount-root label: device number
 * and label index + 1 in one word, read without a lock.
 */
#define AVF_ADOPT_SLOTS 64

/**
 * struct avf_level_stats - refusals by file level, one instance per CPU
 * @denied: refused
 * @audited: let through by audit mode
 */
struct avf_level_stats {
	u64 denied[AVFENCE_LEVELS_MAX];
	u64 audited[AVFENCE_LEVELS_MAX];
};

/**
 * struct avf_policy - an immutable policy, published with RCU
 * @generation: unique per successful load, never 0
 * @mode: enum avfence_mode; the only field changed after publication
 *        (WRITE_ONCE under avf_config_lock)
 * @default_level: level of files without a label on any ancestor
 * @levels: the ladder, lowest first
 * @unknown_logged: an unknown label has been logged under this policy
 * @hash_bits: log2 of the number of buckets
 * @capacity: room in @subjects
 * @nsubjects: number of subjects
 * @subjects: the subjects, @nsubjects of them
 * @buckets: hash of @subjects by key
 * @digest: SHA-256 of the canonical form (canon.c)
 * @level_stats: per CPU: refusals under this policy by the level of the
 *               file refused (fence.c)
 * @nlabels: number of "label" lines
 * @label_capacity: room in @labels
 * @labels: the label lines, in the order they were loaded
 * @label_bits: log2 of the number of buckets of each label hash
 * @label_buckets: @labels by object inode number
 * @mp_buckets: @labels by mount point inode number
 * @adopt_lock: serialises writers of @adopted
 * @adopted: filesystems whose root a mount-root label covers: written
 *           after publication (the only field besides @mode), when a
 *           filesystem is found mounted on a labelled mount point
 */
struct avf_policy {
	u64 generation;
	u32 mode;
	u32 default_level;
	struct avf_levels levels;
	atomic_t unknown_logged;
	u32 hash_bits;
	u32 capacity;
	u32 nsubjects;
	struct avf_subject *subjects;
	struct avf_path_chunk *path_chunks;	/* the subjects' @path */
	struct hlist_head *buckets;
	u8 digest[AVFENCE_DIGEST_LEN];
	struct avf_level_stats __percpu *level_stats;
	u32 nlabels;
	u32 label_capacity;
	struct avf_plabel *labels;
	u32 label_bits;
	struct hlist_head *label_buckets;
	struct hlist_head *mp_buckets;
	spinlock_t adopt_lock;	/* writers of @adopted */
	u64 adopted[AVF_ADOPT_SLOTS];
};

extern struct avf_policy __rcu *avf_policy;
extern struct mutex avf_config_lock;
extern bool avf_locked;

struct avf_policy *avf_policy_alloc(u32 nsubjects, u32 nlabels);
void avf_policy_free(struct avf_policy *policy);
int avf_policy_add_subject(struct avf_policy *policy, const char *path,
			   const struct avf_subject_key *key, u32 clearance,
			   u32 allow, struct avf_subject_lists *lists);
void avf_subject_lists_free(struct avf_subject_lists *lists);
bool avf_subject_write_dir(const struct avf_subject *subject,
			   const struct avf_subject_key *dir);
bool avf_subject_connect_listed(const struct avf_subject *subject,
				const char *name);
const struct avf_subject *avf_policy_find(const struct avf_policy *policy,
					  const struct avf_subject_key *key);
int avf_policy_add_label(struct avf_policy *policy, const char *path,
			 u32 level, const struct avf_subject_key *obj,
			 const struct avf_subject_key *mp, bool mount_root);
void avf_policy_labels_done(struct avf_policy *policy);
const struct avf_plabel *avf_policy_label_find(struct avf_policy *policy,
					       const struct avf_subject_key *obj,
					       bool sb_root);
const struct avf_plabel *avf_policy_label_mp(struct avf_policy *policy,
					     dev_t dev, bool sb_root,
					     const struct avf_subject_key *mp,
					     bool *adopted);
int avf_policy_canon(const struct avf_policy *policy, avf_emit_fn emit,
		     void *ctx);
int avf_policy_digest(struct avf_policy *policy);
u64 avf_policy_next_generation(void);
struct avf_policy *avf_policy_publish(struct avf_policy *policy);
void avf_policy_exit(void);

/* load.c: putting a policy in force */
void avf_load_policy(struct avf_policy *policy);

#endif /* _AVFENCE_POLICY_H */
