/* SPDX-License-Identifier: GPL-2.0 */
/*
 * avfence: verdicts on fenced tasks and their log.
 */
#ifndef _AVFENCE_FENCE_H
#define _AVFENCE_FENCE_H

#include <linux/dcache.h>
#include <linux/path.h>

#include "common.h"

int avf_fence_dentry(enum avfence_route route, struct dentry *dentry,
		     const struct path *path);
int avf_fence_file(enum avfence_route route, struct file *file);
int avf_fence_move(enum avfence_route route, struct dentry *dentry,
		   struct dentry *new_parent, const struct path *mnt);
int avf_fence_door(enum avfence_route route, u32 allow, const char *what);
int avf_fence_task(enum avfence_route route, struct task_struct *target,
		   u32 allow);
int avf_fence_tracer(struct task_struct *tracer, u32 allow);
const char *avf_log_quote(const char *s);
/*
 * A string a task controls in a log line: the format AVF_LOG_STR_FMT
 * takes q, (int)strlen(s), s, q with q = avf_log_quote(s).
 */
#define AVF_LOG_STR_FMT "%s%*pE%s"

#endif /* _AVFENCE_FENCE_H */
