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
struct hlist_head;
bool avf_fence_fast(struct dentry *dentry, const struct vfsmount *mnt,
		    bool read, const struct hlist_head *bucket);
int avf_fence_move(enum avfence_route route, struct dentry *dentry,
		   struct dentry *new_parent, const struct path *mnt);
int avf_fence_change(enum avfence_route route, const char *op,
		     struct vfsmount *mnt, struct dentry *dentry);
int avf_fence_door(enum avfence_route route, u32 allow, const char *what);
int avf_fence_terminal(const char *what, struct file *file);
void avf_door_follow_link(struct dentry *dentry);
int avf_fence_task(enum avfence_route route, struct task_struct *target,
		   u32 allow, bool probe);
int avf_fence_tracer(struct task_struct *tracer, u32 allow);

/**
 * struct avf_connect_report - a refused unix socket connection or send
 * @verdict: AVF_DENY or AVF_AUDIT
 * @clearance: the task's clearance
 * @peer: the clearance of the socket's tagged maker, "" if untagged
 * @peer_pid: the process listening or bound there, 0 if unknown
 * @socket: the socket's name, "/path" or "@abstract"
 */
struct avf_connect_report {
	enum avf_verdict verdict;
	char clearance[AVFENCE_LEVEL_NAME_MAX];
	char peer[AVFENCE_LEVEL_NAME_MAX];
	pid_t peer_pid;
	const char *socket;
};

void avf_fence_report_connect(const struct avf_connect_report *cr);
int avf_fence_follow(struct dentry *dentry, const char *mark);
void avf_fence_tagged_written(const char *clearance, const char *mark,
			      struct file *file);
const char *avf_log_quote(const char *s);
/*
 * A string a task controls in a log line: the format AVF_LOG_STR_FMT
 * takes q, (int)strlen(s), s, q with q = avf_log_quote(s).
 */
#define AVF_LOG_STR_FMT "%s%*pE%s"

#endif /* _AVFENCE_FENCE_H */
