/* SPDX-License-Identifier: GPL-2.0 */
/*
 * avfence: classification labels of files.
 */
#ifndef _AVFENCE_LABEL_H
#define _AVFENCE_LABEL_H

#include <linux/dcache.h>
#include <linux/mount.h>
#include <linux/path.h>
#include <linux/seqlock.h>

#include "uapi/avfence.h"

/**
 * struct avf_label - the label that classifies a file
 * @source: own xattr or policy label, inherited from a directory, or none
 *          (default)
 * @len: length of @name
 * @name: the raw xattr value, not NUL-terminated
 */
struct avf_label {
	enum avfence_label_source source;
	size_t len;
	char name[AVFENCE_LEVEL_NAME_MAX];
};

/**
 * struct avf_label_query - a file's label, for a status request
 * @has_own: the file carries a label xattr of its own
 * @own: that xattr as written, NUL-terminated
 * @source: where the effective label comes from
 * @has_effective: a policy is loaded and @effective is set
 * @effective: the level the effective label stands for under it
 */
struct avf_label_query {
	bool has_own;
	char own[AVFENCE_LEVEL_NAME_MAX + 1];
	enum avfence_label_source source;
	bool has_effective;
	char effective[AVFENCE_LEVEL_NAME_MAX];
};

int avf_label_own(struct dentry *dentry, struct avf_label *label);
int avf_label_effective(struct dentry *dentry, struct vfsmount *mnt,
			struct avf_label *label);
int avf_label_query(const struct path *path, struct avf_label_query *q);
struct avf_policy;
bool avf_label_cached_within(struct dentry *dentry, const struct vfsmount *mnt,
			     const struct avf_policy *policy, u32 clearance);
void avf_label_changed(void);
void avf_label_changed_inode(const struct inode *inode);
bool avf_label_ino_stable(const struct super_block *sb);
void avf_label_mount_begin(const char *dev_name, const struct path *path,
			   unsigned long flags);
void avf_label_mount_sb(const struct super_block *sb);
void avf_label_mount_move(const struct path *from, const struct path *to);
int avf_label_init(void);

/* The kernel's mount_lock (not exported): set before any hook runs. */
extern seqlock_t *avf_mount_lock;
void avf_label_exit(void);

#endif /* _AVFENCE_LABEL_H */
