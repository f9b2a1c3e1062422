// SPDX-License-Identifier: GPL-2.0
/*
 * avfence: reading classification labels.
 *
 * A file's label is its security.avfence xattr.  A file without one takes
 * the label of the nearest directory above it, on the same filesystem,
 * that has one; with none, the policy's default level applies.  Walking
 * the dentry tree rather than the path means that a bind mount, a
 * different mount namespace or a path through a symlink all find the same
 * label.
 */
#include <linux/xattr.h>

#include "label.h"

/**
 * avf_label_own - read the label of the dentry itself
 * @dentry: a positive dentry
 * @label: filled in with source AVFENCE_LABEL_OWN if found
 *
 * A value too long to be a level name is kept truncated: it cannot match a
 * level, so it is treated as unknown (the highest level).
 *
 * Return: 0 if the dentry has a label, -ENODATA if not, or another error
 * from the filesystem (which the caller must treat as "no verdict").
 */
int avf_label_own(struct dentry *dentry, struct avf_label *label)
{
	ssize_t len;

	len = __vfs_getxattr(dentry, d_inode(dentry), AVFENCE_XATTR_NAME,
			     label->name, sizeof(label->name));
	if (len == -ERANGE)
		len = sizeof(label->name);	/* over-long: unknown level */
	if (len < 0)
		return len == -EOPNOTSUPP ? -ENODATA : (int)len;
	label->len = len;
	label->source = AVFENCE_LABEL_OWN;
	return 0;
}

/**
 * avf_label_effective - find the label that classifies a dentry
 * @dentry: a positive dentry
 * @label: filled in; source AVFENCE_LABEL_DEFAULT if no label was found
 *
 * Context: process context, may sleep (filesystems read xattrs from disk).
 * Return: 0, or an error on which the caller must fail closed: one from
 * the filesystem, or -ESTALE for a disconnected dentry.
 */
int avf_label_effective(struct dentry *dentry, struct avf_label *label)
{
	struct dentry *d = dget(dentry);
	struct dentry *parent;
	int err;

	for (;;) {
		err = avf_label_own(d, label);
		if (err != -ENODATA)
			break;
		if (IS_ROOT(d) && (d->d_flags & DCACHE_DISCONNECTED)) {
			/*
			 * From a file handle (open_by_handle_at, an NFS
			 * export) with its ancestors not in the dcache: the
			 * directories that may classify it are unknown.
			 */
			err = -ESTALE;
			break;
		}
		if (IS_ROOT(d)) {
			label->source = AVFENCE_LABEL_DEFAULT;
			label->len = 0;
			err = 0;
			break;
		}
		parent = dget_parent(d);
		dput(d);
		d = parent;
	}
	if (!err && label->source == AVFENCE_LABEL_OWN && d != dentry)
		label->source = AVFENCE_LABEL_INHERITED;
	dput(d);
	return err;
}
