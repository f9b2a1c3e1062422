/* SPDX-License-Identifier: GPL-2.0 */
/*
 * avfence: writer marks, the fence on code a fenced task wrote.
 */
#ifndef _AVFENCE_WRITTEN_H
#define _AVFENCE_WRITTEN_H

#include <linux/fs.h>
#include <linux/security.h>

int avf_written_file(struct file *file);
int avf_written_new_inode(struct inode *inode, initxattrs init_xattrs,
			  void *fs_data);
int avf_written_exec(struct file *file);
int avf_written_follow(struct dentry *dentry, struct inode *inode, bool rcu);
void avf_written_changed(const struct inode *inode);
void avf_written_exit(void);

#endif /* _AVFENCE_WRITTEN_H */
