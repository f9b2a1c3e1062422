// SPDX-License-Identifier: GPL-2.0
/*
 * avfence: subjects, the tasks that are fenced.
 *
 * A task is tagged when it executes a subject binary, or when a policy is
 * loaded while it runs one.  Its children inherit the tag at fork (threads
 * and io_uring workers included), and the tag stays across every later
 * exec.  Stock kernels give a module no task security blob, so tags live in
 * a hash table keyed by the task_struct pointer: lookups are lockless under
 * RCU, and only fork, exec and exit of tagged tasks write to it.
 *
 * A tag remembers every subject binary its task ran (up to TAG_RAN_MAX)
 * and caches its clearance for one policy generation: the lowest
 * clearance and the intersection of the allow flags of all of them.  When
 * a new policy is loaded, the clearance is computed again from all of
 * them (tag_compute()), so that a flag one subject lacked does not come
 * back because a later, lower subject has it.  Where the tag does not
 * know every subject any more (more than TAG_RAN_MAX), or a binary was
 * dropped from the policy, the clearance it had is a floor a reload may
 * lower and never raise: the level of the same name in the new ladder
 * (the lowest if there is none), and no allow flag of a dropped binary.
 */
#include <linux/binfmts.h>
#include <linux/hash.h>
#include <linux/hashtable.h>
#include <linux/ktime.h>
#include <linux/jiffies.h>
#include <linux/mm_types.h>
#include <linux/pid.h>
#include <linux/rculist.h>
#include <linux/sched/mm.h>
#include <linux/sched/signal.h>
#include <linux/sched/task.h>
#include <linux/seqlock.h>
#include <linux/slab.h>
#include <linux/spinlock.h>

#include "common.h"
#include "hook.h"
#include "policy.h"
#include "written.h"

/*
 * 16384 buckets (128 KiB): with 1,000 tasks tagged, an untagged task's
 * bucket is still empty about 94% of the time, and avf_current_tagged()
 * sees that without a lookup.
 */
#define TAG_HASH_BITS AVF_TAG_HASH_BITS

/*
 * Subject binaries one tag remembers.  A task that ran more distinct
 * subjects than this is granted no write= directory and no connect=
 * socket at all, and a reload can only lower its clearance (fail closed).
 */
#define TAG_RAN_MAX 8

/*
 * The clearance cached in one 64-bit word, so that the hot path reads it
 * with one atomic load: the policy generation it is valid for, the allow
 * flags and the level index.
 */
#define TAG_GEN_SHIFT	AVF_TAG_GEN_SHIFT
#define TAG_ALLOW_SHIFT	16
#define TAG_ALLOW_MASK	0xffffULL
#define TAG_LEVEL_MASK	AVF_TAG_LEVEL_MASK

/**
 * struct avf_tag - the fence on one task
 * @h: what the fast path reads inline (common.h): @h.node, the link in
 *     the tag table; @h.task, the task, only compared, never
 *     dereferenced; @h.cached, the policy generation (bits 63-32), allow
 *     flags (31-16) and clearance level (15-0), valid for that
 *     generation only
 * @rcu: for freeing after readers are done
 * @name_lock: makes @clearance_name and @h.cached one consistent pair for
 *             other tasks' readers
 * @clearance_name: name of the clearance last computed
 * @since: CLOCK_REALTIME ns when the task was tagged
 * @floored: set once running code a fenced task wrote lowered the task
 *           (kmod/written.c): the clearance named in @clearance_name is a
 *           floor that the subjects in @ran never raise
 * @nran: entries of @ran in use, published with release; TAG_RAN_MAX + 1
 *        once the task ran more subjects than @ran holds
 * @ran: identity of every subject binary the task and its ancestors
 *       since tagging executed: its clearance is the lowest and its allow
 *       flags the intersection of theirs, and its write= and connect=
 *       rights are what all of them grant, under the policy in force
 * @root_link: the pid of the /proc/PID/root link the task is following
 *             (NULL: none), see avf_current_note_root_link(); only compared
 * @root_link_when: jiffies when the link was met
 *
 * After the tag is published only its own task writes @h.cached,
 * @clearance_name, @nran and @ran; other tasks read them (ptrace, kill,
 * status).  So that such a read never races with the write (defect 7 of
 * issue 17, what KCSAN would report):
 *
 * - @h.cached is one atomic64_t: the fast path needs nothing else;
 * - @clearance_name is written and read under @name_lock, a seqlock:
 *   readers never block the writer and retry if it wrote meanwhile; the
 *   writer, only ever the tag's own task, turns interrupts off, so that
 *   a hook in an interrupt on the same CPU never spins on a write it
 *   interrupted;
 * - @ran entries are written once, before smp_store_release() of the
 *   @nran that covers them, and never changed.
 */
struct avf_tag {
	struct avf_tag_head h;
	struct rcu_head rcu;
	seqlock_t name_lock;	/* @clearance_name vs other tasks' readers */
	char clearance_name[AVFENCE_LEVEL_NAME_MAX];
	u64 since;
	bool floored;	/* lowered by written code: the floor always counts */
	u32 nran;
	struct avf_subject_key ran[TAG_RAN_MAX];
	const struct pid *root_link;
	unsigned long root_link_when;
};

/* Read inline by avf_current_tag_head() (common.h). */
struct hlist_head avf_tags[1 << TAG_HASH_BITS];
static DEFINE_SPINLOCK(avf_tags_lock);
/* Tagged tasks alive; read inline by every hook's fast path. */
atomic_t avf_ntagged = ATOMIC_INIT(0);

/* Context: rcu_read_lock() or avf_tags_lock held. */
static struct avf_tag *tag_find(const struct task_struct *task)
{
	struct avf_tag *tag;

	hlist_for_each_entry_rcu(tag, avf_tag_bucket(task), h.node,
				 lockdep_is_held(&avf_tags_lock)) {
		if (tag->h.task == task)
			return tag;
	}
	return NULL;
}

static u64 pack(const struct avf_policy *policy,
	       const struct avf_clearance *c)
{
	/* Every allow flag and every level index fit their field. */
	BUILD_BUG_ON(__AVFENCE_ALLOW_ALL & ~TAG_ALLOW_MASK);
	BUILD_BUG_ON(AVFENCE_LEVELS_MAX - 1 > TAG_LEVEL_MASK);
	BUILD_BUG_ON(TAG_LEVEL_MASK >= 1ULL << TAG_ALLOW_SHIFT);
	BUILD_BUG_ON(TAG_ALLOW_SHIFT + 16 > TAG_GEN_SHIFT);

	return ((u64)(u32)policy->generation << TAG_GEN_SHIFT) |
	       (((u64)c->allow & TAG_ALLOW_MASK) << TAG_ALLOW_SHIFT) |
	       ((u64)c->level & TAG_LEVEL_MASK);
}

static void unpack(u64 cached, struct avf_clearance *c)
{
	c->level = cached & TAG_LEVEL_MASK;
	c->allow = (cached >> TAG_ALLOW_SHIFT) & TAG_ALLOW_MASK;
}

static bool cached_current(u64 cached, const struct avf_policy *policy)
{
	return (u32)(cached >> TAG_GEN_SHIFT) == (u32)policy->generation;
}

/* Only the tag's own task, or the creator of an unpublished tag, calls this. */
static void tag_set(struct avf_tag *tag, const struct avf_policy *policy,
		    const struct avf_clearance *c)
{
	unsigned long flags;

	write_seqlock_irqsave(&tag->name_lock, flags);
	strscpy(tag->clearance_name, policy->levels.name[c->level],
		sizeof(tag->clearance_name));
	atomic64_set(&tag->h.cached, pack(policy, c));
	write_sequnlock_irqrestore(&tag->name_lock, flags);
}

/*
 * The floor of @tag under a new @policy: the level named as the clearance
 * it had (the lowest if the new ladder has no such name), and the allow
 * flags it had.
 */
static void tag_floor(const struct avf_tag *tag,
		      const struct avf_policy *policy, struct avf_clearance *c)
{
	char name[AVFENCE_LEVEL_NAME_MAX];
	unsigned int seq;
	u64 cached;
	int idx;

	do {
		seq = read_seqbegin(&tag->name_lock);
		memcpy(name, tag->clearance_name, sizeof(name));
		cached = atomic64_read(&tag->h.cached);
	} while (read_seqretry(&tag->name_lock, seq));
	unpack(cached, c);
	idx = avf_levels_find(&policy->levels, name,
			      strnlen(name, sizeof(name)));
	c->level = idx >= 0 ? idx : 0;
}

/*
 * The clearance of @tag's task under @policy, computed from every subject
 * it ran: the lowest clearance, and the allow flags all of them have.
 * A binary dropped from @policy counts as the floor with no flag; if the
 * task ran more subjects than the tag remembers, the floor counts too, so
 * that those it forgot can only have lowered it; and if running code a
 * fenced task wrote lowered it (@floored), the floor counts too.
 */
static void tag_compute(const struct avf_tag *tag,
			const struct avf_policy *policy,
			struct avf_clearance *c)
{
	const struct avf_subject *subject;
	struct avf_clearance floor;
	bool use_floor, dropped = false;
	u32 i, n;

	/* pairs with tag_ran(): the keys counted are written */
	n = smp_load_acquire(&tag->nran);
	use_floor = n > TAG_RAN_MAX || READ_ONCE(tag->floored);
	c->level = U32_MAX;
	c->allow = __AVFENCE_ALLOW_ALL;
	for (i = 0; i < min_t(u32, n, TAG_RAN_MAX); i++) {
		subject = avf_policy_find(policy, &tag->ran[i]);
		if (!subject) {
			dropped = true;
			continue;
		}
		c->level = min(c->level, subject->clearance);
		c->allow &= subject->allow;
	}
	if (use_floor || dropped || c->level == U32_MAX) {
		tag_floor(tag, policy, &floor);
		c->level = min(c->level, floor.level);
		c->allow &= dropped ? 0 : floor.allow;
	}
}

/*
 * The clearance of @tag under @policy.  Return: true if the cached value
 * was current; false if it was computed anew (the caller may cache it).
 */
static bool tag_clearance(const struct avf_tag *tag,
			  const struct avf_policy *policy,
			  struct avf_clearance *c)
{
	u64 cached = atomic64_read(&tag->h.cached);

	if (cached_current(cached, policy)) {
		unpack(cached, c);
		return true;
	}
	tag_compute(tag, policy, c);
	return false;
}

/*
 * Insert a copy of @init as the tag of @task unless it has one.  A tag is
 * inserted before the task can run (fork), by the task itself (exec), or
 * for a running task (policy load), so two inserts for one task can race
 * only in the last case; the check under the lock settles it.
 */
static int tag_insert(const struct task_struct *task,
		      const struct avf_tag *init, gfp_t gfp)
{
	struct avf_tag *tag;
	unsigned long flags;

	tag = kmemdup(init, sizeof(*tag), gfp);
	if (!tag)
		return -ENOMEM;
	/* A copied lock is no lock: this tag gets its own. */
	seqlock_init(&tag->name_lock);
	tag->h.task = task;
	tag->since = ktime_get_real_ns();
	spin_lock_irqsave(&avf_tags_lock, flags);
	if (tag_find(task)) {
		spin_unlock_irqrestore(&avf_tags_lock, flags);
		kfree(tag);
		return 0;
	}
	hlist_add_head_rcu(&tag->h.node, avf_tag_bucket(task));
	atomic_inc(&avf_ntagged);
	spin_unlock_irqrestore(&avf_tags_lock, flags);
	return 0;
}

/* A tag template for a task running @subject under @policy. */
static void tag_init(struct avf_tag *tag, const struct avf_policy *policy,
		     const struct avf_subject *subject)
{
	struct avf_clearance c = {
		.level = subject->clearance,
		.allow = subject->allow,
	};

	memset(tag, 0, sizeof(*tag));
	seqlock_init(&tag->name_lock);
	tag->ran[0] = subject->key;
	tag->nran = 1;
	tag_set(tag, policy, &c);
}

/* Remember that the task of @tag ran @key; only that task calls this. */
static void tag_ran(struct avf_tag *tag, const struct avf_subject_key *key)
{
	u32 i, n = tag->nran;

	if (n > TAG_RAN_MAX)
		return;
	for (i = 0; i < n; i++)
		if (tag->ran[i].dev == key->dev && tag->ran[i].ino == key->ino)
			return;
	if (n < TAG_RAN_MAX)
		tag->ran[n] = *key;
	/* readers see the key before the count that covers it */
	smp_store_release(&tag->nran, n + 1);
}

/*
 * The subjects of @policy whose binaries @tag's task ran, into @out (room
 * for TAG_RAN_MAX).  Return: how many; 0 if any of them is no subject of
 * @policy any more or the task ran too many (it is granted nothing).
 */
static u32 tag_subjects(const struct avf_tag *tag,
			const struct avf_policy *policy,
			const struct avf_subject **out)
{
	u32 i, n;

	/* pairs with tag_ran(): the keys counted are written */
	n = smp_load_acquire(&tag->nran);
	if (n > TAG_RAN_MAX)
		return 0;
	for (i = 0; i < n; i++) {
		out[i] = avf_policy_find(policy, &tag->ran[i]);
		if (!out[i])
			return 0;
	}
	return n;
}

/**
 * avf_task_subjects - the subjects a tagged task ran, for write= and
 * connect= decisions
 * @task: the task, current or another
 * @policy: the policy in force
 * @out: room for AVF_TASK_SUBJECTS_MAX subjects
 *
 * A task that ran several subject binaries may do only what every one of
 * them grants: a place is writable if it lies below a write= directory of
 * each, a socket reachable if each lists it in connect=.
 *
 * Context: rcu_read_lock() held, @policy dereferenced under it.
 * Return: the number of subjects stored in @out; 0 if @task is untagged,
 * or if one of the binaries it ran is no subject of @policy any more, or
 * it ran more than AVF_TASK_SUBJECTS_MAX of them: a tagged task is then
 * granted no write= directory and no connect= socket.
 */
u32 avf_task_subjects(const struct task_struct *task,
		      const struct avf_policy *policy,
		      const struct avf_subject **out)
{
	const struct avf_tag *tag = tag_find(task);

	BUILD_BUG_ON(AVF_TASK_SUBJECTS_MAX != TAG_RAN_MAX);
	return tag ? tag_subjects(tag, policy, out) : 0;
}

/**
 * avf_task_connect_listed - may a tagged task use a unix socket whose
 * peer is an untagged task?
 * @task: the tagged task (current, or a receiver)
 * @policy: the policy in force
 * @name: "/path" of the socket file, or "@name" of an abstract socket
 *	(the name without its leading NUL), spelled as in the policy
 *
 * Context: rcu_read_lock() held, @policy dereferenced under it.
 * Return: true if @task is tagged and every subject it ran lists @name in
 * its connect= option; false otherwise (also for an untagged @task).
 */
bool avf_task_connect_listed(const struct task_struct *task,
			     const struct avf_policy *policy,
			     const char *name)
{
	const struct avf_subject *subjects[AVF_TASK_SUBJECTS_MAX];
	u32 i, n = avf_task_subjects(task, policy, subjects);

	for (i = 0; i < n; i++)
		if (!avf_subject_connect_listed(subjects[i], name))
			return false;
	return n != 0;
}

static void tag_remove(const struct task_struct *task)
{
	struct avf_tag *tag;
	unsigned long flags;

	spin_lock_irqsave(&avf_tags_lock, flags);
	tag = tag_find(task);
	if (tag) {
		hlist_del_rcu(&tag->h.node);
		atomic_dec(&avf_ntagged);
	}
	spin_unlock_irqrestore(&avf_tags_lock, flags);
	if (tag)
		kfree_rcu(tag, rcu);
}

/**
 * avf_tagged_count - number of tagged tasks alive
 *
 * Return: the count.
 */
u32 avf_tagged_count(void)
{
	return atomic_read(&avf_ntagged);
}

/**
 * avf_current_tag_lookup - look up the current task's tag
 *
 * Under rcu_read_lock_sched(), as the fast path (fence.c): on a
 * PREEMPT_RCU kernel rcu_read_lock() and its unlock are two calls.
 *
 * Context: any; called from the ftrace callback, possibly preemptible.
 * Return: true if current carries a tag.
 */
bool notrace avf_current_tag_lookup(void)
{
	bool tagged;

	if (!avf_current_maybe_tagged())
		return false;
	rcu_read_lock_sched();
	tagged = avf_current_tag_head() != NULL;
	rcu_read_unlock_sched();
	return tagged;
}

/**
 * avf_current_clearance - the clearance of the current task
 * @policy: the policy in force
 * @c: set to the clearance if current is tagged
 *
 * Context: rcu_read_lock() held, @policy dereferenced under it.
 * Return: true if current is tagged.
 */
bool avf_current_clearance(const struct avf_policy *policy,
			   struct avf_clearance *c)
{
	struct avf_tag *tag = tag_find(current);

	if (!tag)
		return false;
	/* A new policy: cache it (only current writes its own tag). */
	if (!tag_clearance(tag, policy, c))
		tag_set(tag, policy, c);
	return true;
}

/**
 * avf_current_level_new - the clearance level of the current task under
 * a policy its tag was not computed for
 * @head: the tag of current, from avf_current_tag_head()
 * @policy: the policy in force
 *
 * Computed and cached (only current writes its own tag); out of line, so
 * that the fast path's common case needs no stack.
 *
 * Context: an RCU read-side critical section, @policy dereferenced under
 * it.
 * Return: the level index.
 */
noinline int notrace avf_current_level_new(struct avf_tag_head *head,
					   const struct avf_policy *policy)
{
	struct avf_tag *tag = container_of(head, struct avf_tag, h);
	struct avf_clearance c;

	tag_compute(tag, policy, &c);
	tag_set(tag, policy, &c);
	return c.level;
}

/*
 * A tagged task that follows /proc/PID/root reaches PID's root directory;
 * procfs asks ptrace_access_check(PTRACE_MODE_READ_FSCREDS) first.  The
 * link is noted here at inode_follow_link and taken by the next ptrace
 * check (door.c), so that the check can tell this link from the other
 * READ_FSCREDS readers (environ, auxv, maps, fd/N).  Only current writes
 * or reads its own note.
 */
#define ROOT_LINK_TIMEOUT	(HZ / 10)

/**
 * avf_current_note_root_link - current is following /proc/@pid/root
 * @pid: the pid of that /proc directory; only compared, never followed
 *
 * Context: any; nothing here sleeps.
 */
void avf_current_note_root_link(const struct pid *pid)
{
	struct avf_tag *tag;

	rcu_read_lock();
	tag = tag_find(current);
	if (tag) {
		tag->root_link_when = jiffies;
		tag->root_link = pid;
	}
	rcu_read_unlock();
}

/**
 * avf_current_take_root_link - was current's last noted link the
 * /proc/PID/root of @task, met just now?
 * @task: the task a ptrace check is about
 *
 * Forgets the note in any case: one link, one check.
 *
 * Context: any; nothing here sleeps.
 * Return: true if the note is @task's pid and younger than
 * ROOT_LINK_TIMEOUT.
 */
bool avf_current_take_root_link(struct task_struct *task)
{
	struct avf_tag *tag;
	bool match = false;

	rcu_read_lock();
	tag = tag_find(current);
	if (tag && tag->root_link) {
		match = tag->root_link == task_pid(task) &&
			time_before_eq(jiffies, tag->root_link_when +
				       ROOT_LINK_TIMEOUT);
		tag->root_link = NULL;
	}
	rcu_read_unlock();
	return match;
}

/**
 * avf_task_clearance - the clearance of another task
 * @task: the task
 * @policy: the policy in force
 * @c: set to the clearance if @task is tagged
 *
 * Context: rcu_read_lock() held, @policy dereferenced under it.
 * Return: true if @task is tagged.
 */
bool avf_task_clearance(const struct task_struct *task,
			const struct avf_policy *policy,
			struct avf_clearance *c)
{
	struct avf_tag *tag = tag_find(task);

	if (!tag)
		return false;
	tag_clearance(tag, policy, c);
	return true;
}

/**
 * avf_subject_collect - take references on the next tagged tasks
 * @cursor: how many tagged tasks were taken before; advanced
 * @tasks: filled with up to @max tasks, each with a reference to put
 * @max: room in @tasks
 *
 * For dumps: tasks come and go between calls, so a task may be missed or
 * listed twice, never invented.
 *
 * Return: the number of tasks taken; 0 at the end.
 */
int avf_subject_collect(unsigned long *cursor, struct task_struct **tasks,
			int max)
{
	struct task_struct *g, *t;
	unsigned long seen = 0;
	int n = 0;

	rcu_read_lock();
	for_each_process_thread(g, t) {
		if (n == max)
			break;
		if (!tag_find(t) || seen++ < *cursor)
			continue;
		get_task_struct(t);
		tasks[n++] = t;
	}
	rcu_read_unlock();
	*cursor += n;
	return n;
}

/**
 * avf_subject_describe - clearance and tagging time of a task
 * @task: the task
 * @clearance: filled with the name of its clearance
 * @len: room in @clearance
 * @since: set to CLOCK_REALTIME ns when it was tagged
 *
 * Return: false if the task is not (or no longer) tagged.
 */
bool avf_subject_describe(struct task_struct *task, char *clearance,
			  size_t len, u64 *since)
{
	struct avf_policy *policy;
	struct avf_clearance c;
	struct avf_tag *tag;
	bool found = false;

	rcu_read_lock();
	policy = rcu_dereference(avf_policy);
	tag = tag_find(task);
	if (policy && tag) {
		tag_clearance(tag, policy, &c);
		strscpy(clearance, policy->levels.name[c.level], len);
		*since = tag->since;
		found = true;
	}
	rcu_read_unlock();
	return found;
}

/*
 * The current task executes @file: if it is a subject binary, fence the
 * task, keeping the lower clearance if it was fenced already.
 */
static int subject_exec(const struct file *file)
{
	struct avf_subject_key key = avf_key_of_inode(file_inode(file));
	const struct avf_subject *subject;
	struct avf_policy *policy;
	struct avf_clearance c, new;
	struct avf_tag *tag, init;

	rcu_read_lock();
	policy = rcu_dereference(avf_policy);
	subject = policy ? avf_policy_find(policy, &key) : NULL;
	if (!subject) {
		rcu_read_unlock();
		return 0;
	}
	if (avf_current_clearance(policy, &c)) {
		tag = tag_find(current);
		tag_ran(tag, &key);
		/* The lowest clearance and the flags every subject has. */
		new.level = min(c.level, subject->clearance);
		new.allow = c.allow & subject->allow;
		if (new.level != c.level || new.allow != c.allow)
			tag_set(tag, policy, &new);
		rcu_read_unlock();
		return 0;
	}
	tag_init(&init, policy, subject);
	rcu_read_unlock();
	/* Only current tags itself: nothing can tag it meanwhile but a
	 * policy load, which tag_insert() tolerates.
	 */
	return tag_insert(current, &init, GFP_KERNEL);
}

/**
 * avf_subject_tag_written - fence current for running code a fenced task
 * wrote (kmod/written.c)
 * @mark: the writer's clearance, by name, need not be NUL-terminated
 * @len: its length
 * @clearance: set to the name of current's clearance if it changed
 * @size: room in @clearance
 *
 * An untagged task is tagged at the writer's clearance, with no side
 * door and no write= or connect= right (it ran no subject binary); a
 * tagged one keeps the lower of its clearance and the writer's.  The tag
 * remembers the level by name: under a new policy, the level of that
 * name, else the lowest.  Its children inherit it, as any tag.
 *
 * Context: process context, may sleep.
 * Return: 1 if current was tagged or its clearance lowered, 0 if not
 * (no policy, or already at or below the writer's level), or -ENOMEM.
 */
int avf_subject_tag_written(const char *mark, size_t len, char *clearance,
			    size_t size)
{
	struct avf_clearance c, new = { .allow = 0 };
	struct avf_policy *policy;
	struct avf_tag *tag, init;

	rcu_read_lock();
	policy = rcu_dereference(avf_policy);
	if (!policy) {
		rcu_read_unlock();
		return 0;
	}
	new.level = avf_written_level(&policy->levels, mark, len);
	strscpy(clearance, policy->levels.name[new.level], size);
	if (avf_current_clearance(policy, &c)) {
		if (c.level <= new.level) {
			rcu_read_unlock();
			return 0;
		}
		/* Only current writes its own tag. */
		tag = tag_find(current);
		/* A reload must not raise it again from the subjects it ran. */
		WRITE_ONCE(tag->floored, true);
		tag_set(tag, policy, &new);
		rcu_read_unlock();
		return 1;
	}
	memset(&init, 0, sizeof(init));
	seqlock_init(&init.name_lock);
	/* Nor a subject it runs later, after a reload. */
	init.floored = true;
	tag_set(&init, policy, &new);
	rcu_read_unlock();
	return tag_insert(current, &init, GFP_KERNEL) ?: 1;
}

static bool task_exe_key(struct task_struct *task, struct avf_subject_key *key)
{
	struct file *exe;
	bool found = false;

	task_lock(task);
	if (task->mm) {
		exe = rcu_dereference(task->mm->exe_file);
		if (exe) {
			*key = avf_key_of_inode(file_inode(exe));
			found = true;
		}
	}
	task_unlock(task);
	return found;
}

/**
 * avf_subject_tag_running - tag the running tasks of subject binaries
 * @policy: the policy just published
 *
 * A task that cannot be tagged for lack of memory is killed: it must not
 * run unfenced.
 *
 * Context: process context, avf_config_lock held.
 */
void avf_subject_tag_running(const struct avf_policy *policy)
{
	const struct avf_subject *subject;
	struct task_struct *g, *t;
	struct avf_subject_key key;
	struct avf_tag init;

	rcu_read_lock();
	for_each_process_thread(g, t) {
		if ((t->flags & PF_KTHREAD) || !task_exe_key(t, &key))
			continue;
		subject = avf_policy_find(policy, &key);
		if (!subject)
			continue;
		tag_init(&init, policy, subject);
		if (tag_insert(t, &init, GFP_ATOMIC)) {
			pr_err("out of memory tagging pid %d, killing it\n",
			       task_pid_nr(t));
			send_sig(SIGKILL, t, 1);
		}
	}
	rcu_read_unlock();
}

/* Hooks */

int hook_task_alloc(struct task_struct *task, unsigned long clone_flags)
{
	struct avf_tag *parent, init;
	bool tagged = false;
	int err = 0;

	/* Redirected only for tagged tasks; the child inherits the tag. */
	rcu_read_lock();
	parent = tag_find(current);
	if (parent) {
		init = *parent;
		init.root_link = NULL;
		tagged = true;
	}
	rcu_read_unlock();
	if (tagged)
		err = tag_insert(task, &init, GFP_KERNEL);
	if (!err) {
		err = avf_orig.task_alloc(task, clone_flags);
		if (err)
			tag_remove(task);
	}
	avf_hook_leave();
	return err;
}

void hook_task_free(struct task_struct *task)
{
	tag_remove(task);
	avf_orig.task_free(task);
	avf_hook_leave();
}

int hook_bprm_check(struct linux_binprm *bprm)
{
	/* Called for the script and again for its interpreter. */
	int err = subject_exec(bprm->file);

	/* Code a fenced task wrote fences whoever runs it (written.c). */
	if (!err)
		err = avf_written_exec(bprm->file);
	if (!err)
		err = avf_orig.bprm_check(bprm);
	avf_hook_leave();
	return err;
}

void hook_bprm_committed_creds(struct linux_binprm *bprm)
{
	/*
	 * Again after the point of no return: a policy loaded while this
	 * exec ran may have missed it both here and in the task walk.
	 */
	if (subject_exec(bprm->file)) {
		pr_err("out of memory tagging pid %d, killing it\n",
		       task_pid_nr(current));
		force_sig(SIGKILL);
	}
	avf_orig.bprm_committed_creds(bprm);
	avf_hook_leave();
}

/**
 * avf_subject_init - set the tag table up
 *
 * Return: 0.
 */
int avf_subject_init(void)
{
	return 0;
}

/**
 * avf_subject_exit - free every tag at unload
 *
 * Context: hooks detached, no call in flight.
 */
void avf_subject_exit(void)
{
	struct hlist_node *tmp;
	struct avf_tag *tag;
	size_t i;

	hash_for_each_safe(avf_tags, i, tmp, tag, h.node) {
		hlist_del(&tag->h.node);
		kfree(tag);
	}
	atomic_set(&avf_ntagged, 0);
}
