/* SPDX-License-Identifier: GPL-2.0 */
/*
 * avfence: where a fenced task may change the filesystem (write.c).
 */
#ifndef _AVFENCE_WRITE_H
#define _AVFENCE_WRITE_H

#include <linux/dcache.h>
#include <linux/fs.h>
#include <linux/mount.h>

int avf_write_check(const char *op, struct vfsmount *mnt,
		    struct dentry *dentry, struct dentry *name);
int avf_write_check_dentry(const char *op, struct dentry *dentry);
int avf_write_open(struct file *file);
int avf_write_use(struct file *file);
void avf_write_exit(void);

#endif /* _AVFENCE_WRITE_H */
