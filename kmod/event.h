/* SPDX-License-Identifier: GPL-2.0 */
/*
 * avfence: the event stream.
 */
#ifndef _AVFENCE_EVENT_H
#define _AVFENCE_EVENT_H

#include <linux/list.h>
#include <linux/path.h>
#include <linux/sched.h>
#include <linux/types.h>

#include "uapi/avfence.h"

/**
 * struct avf_event - one event waiting to be multicast
 * @list: link in the queue
 * @type: enum avfence_event_type
 * @seq: sequence number; a gap seen by a listener is loss
 * @time: CLOCK_REALTIME, ns
 * @pid: the task (thread group id)
 * @route: enum avfence_route (denials)
 * @mode: enum avfence_mode (policy load, mode change)
 * @generation: policy generation (policy load)
 * @comm: the task's comm
 * @clearance: its clearance (denials)
 * @label: the file's level (denials on files)
 * @exe: the task's executable, or NULL; for a policy load, mode change
 *       or lock, that of the process that made it
 * @object: path of the file, or what was attempted; NULL if none
 * @object_is_path: @object is a path
 * @held_path: a denied file whose path the work item formats into @object,
 *             held (path_get()) until then; no dentry if none
 * @held_exe: the task's executable, whose path the work item formats into
 *            @exe, held until then; or NULL
 */
struct avf_event {
	struct list_head list;
	u32 type;
	u64 seq;
	u64 time;
	pid_t pid;
	u32 route;
	u32 mode;
	u64 generation;
	char comm[TASK_COMM_LEN];
	char clearance[AVFENCE_LEVEL_NAME_MAX];
	char label[AVFENCE_LEVEL_NAME_MAX];
	char *exe;
	char *object;
	bool object_is_path;
	struct path held_path;
	struct file *held_exe;
};

bool avf_event_wanted(void);
char *avf_current_exe(gfp_t gfp);
struct avf_event *avf_event_new(u32 type, gfp_t gfp);
bool avf_event_can_hold(void);
void avf_event_hold(struct avf_event *event, const struct path *path);
void avf_event_queue(struct avf_event *event);
void avf_event_flush(void);
u64 avf_events_lost(void);
void avf_event_exit(void);

/**
 * struct avf_event_transport - what carries events to their listeners
 * @has_listeners: is anyone listening?  Context: any, never sleeps.
 * @send: send one event; 0, -ESRCH if nobody listens, or another error
 *        (counted as lost).  Context: process context (the work item).
 */
struct avf_event_transport {
	bool (*has_listeners)(void);
	int (*send)(const struct avf_event *event);
};

void avf_event_set_transport(const struct avf_event_transport *t);

#endif /* _AVFENCE_EVENT_H */
