// SPDX-License-Identifier: GPL-2.0
/*
 * avfence: the event stream.
 *
 * Hooks may run in atomic context and must never wait for a listener, so
 * events are queued here (bounded) and multicast by a work item.  Nothing
 * is queued while nobody listens.  An event that finds the queue full, or
 * that a listener's full socket buffer refuses, is dropped and counted.
 *
 * The work runs one tick after the first event queued (4 ms with
 * Debian's HZ=250, no delay for an audit trail), so that a burst of
 * refusals is sent as one batch rather than waking the worker, and then
 * the listener, for every refusal.
 *
 * A denied open pays for none of the path formatting: the hook queues the
 * event holding references to the file and to the task's executable
 * (avf_event_hold()), and the work item formats both paths (d_path())
 * before sending, then drops the references.  d_path() resolves against
 * the caller's root; the work item's is init_fs's, so only a task with
 * that same root (not chrooted, not in a mount namespace of its own root)
 * has its paths formatted late; any other has them formatted by the hook
 * as before.  The path is then the one the file has when the event is
 * sent, at most a tick later (a file renamed or removed in between is
 * reported under its new name, or with " (deleted)").  A held reference
 * would keep a mount busy: an unmount first sends what is queued
 * (avf_event_flush(), from the sb_umount hook).
 *
 * The queue does not know its transport: netlink.c, which sits above it
 * (it queues events of its own), hands it a send function and a listener
 * test at init (avf_event_set_transport()), so that calls only go down.
 */
#include <linux/file.h>
#include <linux/fs_struct.h>
#include <linux/ktime.h>
#include <linux/pid.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/workqueue.h>

#include "common.h"
#include "compat.h"
#include "event.h"

#define EVENTS_QUEUED_MAX 4096

static LIST_HEAD(avf_events);
static DEFINE_SPINLOCK(avf_events_lock);
static unsigned int avf_events_queued;
static bool avf_events_closed;
static atomic64_t avf_events_seq = ATOMIC64_INIT(0);
static atomic64_t avf_events_dropped = ATOMIC64_INIT(0);
/* Events queued that hold a path (avf_event_hold()), for the unmount flush. */
static atomic_t avf_events_held = ATOMIC_INIT(0);
/* Set once the transport is up, cleared by avf_event_exit(); static. */
static const struct avf_event_transport *avf_transport;

/*
 * Drop what @event holds.  Context: process context (a last reference may
 * sleep): only the hooks that hold paths (process context) and the work
 * item get here with references.
 */
static void put_held(struct avf_event *event)
{
	if (!event->held_path.dentry)
		return;
	path_put(&event->held_path);
	event->held_path.dentry = NULL;
	if (event->held_exe)
		fput(event->held_exe);
	event->held_exe = NULL;
	atomic_dec(&avf_events_held);
}

static void free_event(struct avf_event *event)
{
	put_held(event);
	kfree(event->exe);
	kfree(event->object);
	kfree(event);
}

/* d_path() of @path as a string to kfree(); NULL if it has none. */
static char *held_name(const struct path *path, char *buf)
{
	char *p;

	if (!buf)
		return NULL;
	p = d_path(path, buf, PATH_MAX);
	return IS_ERR(p) ? NULL : kstrdup(p, GFP_KERNEL);
}

/*
 * Format what the hook left to the work item, as avf_audit_refusal()
 * would have: a file without a path is "?".  @buf: a PATH_MAX buffer for
 * the whole batch, allocated here at the first event that needs it.
 */
static void format_held(struct avf_event *event, char **buf)
{
	if (!*buf)
		*buf = kmalloc(PATH_MAX, GFP_KERNEL);
	event->object = held_name(&event->held_path, *buf);
	if (!event->object)
		event->object = kstrdup("?", GFP_KERNEL);
	if (event->held_exe)
		event->exe = held_name(&event->held_exe->f_path, *buf);
	put_held(event);
}

static void send_events(struct work_struct *work)
{
	const struct avf_event_transport *t;
	struct avf_event *event, *tmp;
	unsigned long flags;
	char *buf = NULL;
	LIST_HEAD(batch);

	spin_lock_irqsave(&avf_events_lock, flags);
	list_splice_init(&avf_events, &batch);
	avf_events_queued = 0;
	spin_unlock_irqrestore(&avf_events_lock, flags);

	t = READ_ONCE(avf_transport);
	list_for_each_entry_safe(event, tmp, &batch, list) {
		int err;

		if (event->held_path.dentry)
			format_held(event, &buf);
		err = t ? t->send(event) : -ESRCH;

		/* -ESRCH: the last listener left; nothing was lost. */
		if (err && err != -ESRCH)
			atomic64_inc(&avf_events_dropped);
		list_del(&event->list);
		free_event(event);
	}
	kfree(buf);
}

static DECLARE_DELAYED_WORK(avf_events_work, send_events);

/**
 * avf_event_wanted - does anyone listen to events?
 *
 * Return: true if events should be built.
 */
bool avf_event_wanted(void)
{
	const struct avf_event_transport *t = READ_ONCE(avf_transport);

	return t && t->has_listeners();
}

/**
 * avf_event_set_transport - hand the queue what carries its events
 * @t: the transport, static (it is never freed); NULL for none
 *
 * Context: init, after the transport is registered.
 */
void avf_event_set_transport(const struct avf_event_transport *t)
{
	WRITE_ONCE(avf_transport, t);
}

/**
 * avf_current_exe - the path of current's executable
 * @gfp: allocation flags for the context of the caller; GFP_ATOMIC is
 *       fine in atomic context
 *
 * Return: a string to kfree(), or NULL if current has no executable or
 * memory is short.
 */
char *avf_current_exe(gfp_t gfp)
{
	char *buf, *p, *path = NULL;
	struct file *exe;

	if (!current->mm)
		return NULL;
	exe = avf_get_exe_file(current->mm);
	if (!exe)
		return NULL;
	buf = kmalloc(PATH_MAX, gfp);
	if (buf) {
		p = d_path(&exe->f_path, buf, PATH_MAX);
		if (!IS_ERR(p))
			path = kstrdup(p, gfp);
		kfree(buf);
	}
	fput(exe);
	return path;
}

/**
 * avf_event_new - a new event stamped with time, task and sequence
 * @type: enum avfence_event_type
 * @gfp: allocation flags for the context of the caller
 *
 * Return: the event, or NULL (counted as lost).
 */
struct avf_event *avf_event_new(u32 type, gfp_t gfp)
{
	struct avf_event *event = kzalloc(sizeof(*event), gfp);

	if (!event) {
		atomic64_inc(&avf_events_dropped);
		return NULL;
	}
	event->type = type;
	event->time = ktime_get_real_ns();
	event->pid = task_tgid_nr(current);
	get_task_comm(event->comm, current);
	return event;
}

/**
 * avf_event_can_hold - may current's paths be formatted by the work item?
 *
 * The work item runs with init_fs (kernel threads share it), so its
 * d_path() gives what current's would only if both have the same root.
 *
 * Context: process context.
 * Return: true if current's root is the work item's.
 */
bool avf_event_can_hold(void)
{
	struct fs_struct *fs = current->fs;

	if (!fs || !current->mm)
		return false;
	return avf_same_root(fs, init_task.fs);
}

/**
 * avf_event_hold - leave the paths of @event to the work item
 * @event: a refusal, from avf_event_new(), not queued yet
 * @path: the file refused, formatted into @event->object
 *
 * Takes references to @path and to current's executable (formatted into
 * @event->exe), dropped once the event is sent or dropped.
 *
 * Context: process context, after avf_event_can_hold() said yes.
 */
void avf_event_hold(struct avf_event *event, const struct path *path)
{
	event->held_path = *path;
	path_get(&event->held_path);
	event->held_exe = avf_get_exe_file(current->mm);
	event->object_is_path = true;
	atomic_inc(&avf_events_held);
}

/**
 * avf_event_flush - send the queued events that hold a path now
 *
 * A held path keeps its mount busy: an unmount calls this first, so that
 * it never fails for an event not yet sent.
 *
 * Context: process context; may sleep (waits for the work item).
 */
void avf_event_flush(void)
{
	if (atomic_read(&avf_events_held))
		flush_delayed_work(&avf_events_work);
}

/**
 * avf_event_queue - queue an event for the listeners; never blocks
 * @event: from avf_event_new(); ownership passes to the queue
 *
 * Context: any; process context if @event holds paths (avf_event_hold():
 * dropping it when the queue is full puts them).
 */
void avf_event_queue(struct avf_event *event)
{
	unsigned long flags;
	bool full;

	spin_lock_irqsave(&avf_events_lock, flags);
	/* Numbered in queue order, dropped ones too: a gap is a loss. */
	event->seq = atomic64_inc_return(&avf_events_seq);
	full = avf_events_closed || avf_events_queued >= EVENTS_QUEUED_MAX;
	if (!full) {
		list_add_tail(&event->list, &avf_events);
		avf_events_queued++;
		/*
		 * Under the lock: once avf_event_exit() has closed the queue
		 * and cancelled the work, nothing schedules it again (it
		 * would run after the module is gone).
		 */
		schedule_delayed_work(&avf_events_work, 1);
	}
	spin_unlock_irqrestore(&avf_events_lock, flags);
	if (full) {
		atomic64_inc(&avf_events_dropped);
		free_event(event);
	}
}

/**
 * avf_events_lost - events dropped since load
 *
 * Return: the count.
 */
u64 avf_events_lost(void)
{
	return atomic64_read(&avf_events_dropped);
}

/**
 * avf_event_exit - stop the stream at unload, drop what is queued
 *
 * Context: before the netlink family is unregistered, so that no event
 * is sent through it afterwards.
 */
void avf_event_exit(void)
{
	struct avf_event *event, *tmp;
	unsigned long flags;

	spin_lock_irqsave(&avf_events_lock, flags);
	avf_events_closed = true;
	spin_unlock_irqrestore(&avf_events_lock, flags);
	cancel_delayed_work_sync(&avf_events_work);
	/* Nothing is sent after this; the transport may go. */
	WRITE_ONCE(avf_transport, NULL);
	list_for_each_entry_safe(event, tmp, &avf_events, list) {
		list_del(&event->list);
		free_event(event);
	}
}
