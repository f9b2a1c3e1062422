// SPDX-License-Identifier: GPL-2.0
/*
 * avfence: verdicts on fenced tasks.
 *
 * Every hook asks one of the functions here.  Each returns 0 at once for
 * an untagged task, otherwise decides with the policy in force, counts and
 * logs what it refused (or, in audit mode, would have refused), and
 * returns 0 or -EACCES (-EPERM for side doors, as a missing privilege
 * would).  The counters are in stats.c.
 *
 * A refusal is cheap: it is counted per CPU, and its path is formatted
 * only if something will take it: a log line within the rate limit, an
 * audit record (auditing enabled) or an event (a listener on the events
 * group).  Otherwise a denied open costs what an allowed one does.  For
 * an event alone, the event's work item formats the path (event.c).
 */
#include <linux/jiffies.h>
#include <linux/percpu.h>
#include <linux/slab.h>
#include <linux/spinlock.h>

#include "audit.h"
#include "fence.h"
#include "label.h"
#include "policy.h"
#include "stats.h"

/*
 * The per-access log lines of all routes together: at most LOG_BURST every
 * LOG_INTERVAL.  Once a window's lines are used up, a refusal only reads
 * the window (no lock taken, no shared cache line written) and counts the
 * line it did not log per CPU; how many were left out is logged when the
 * next window opens.  Unlike __ratelimit(), which takes a global lock on
 * every call, the lock here is taken at most LOG_BURST + 1 times a window.
 */
#define LOG_INTERVAL (5 * HZ)
#define LOG_BURST 20

/**
 * struct avf_log_window - the current window of the log's rate limit
 * @lock: serialises opening a window and taking a line from it
 * @begin: jiffies when the window opened
 * @printed: lines logged in it
 * @reported: lines left out that were already reported
 */
static struct avf_log_window {
	spinlock_t lock;	/* opening a window, taking a line from it */
	unsigned long begin;
	unsigned int printed;
	u64 reported;
} avf_log = {
	.lock = __SPIN_LOCK_UNLOCKED(avf_log.lock),
};

static DEFINE_PER_CPU(u64, avf_log_missed);

static bool window_full(unsigned long now)
{
	return READ_ONCE(avf_log.printed) >= LOG_BURST &&
	       time_before(now, READ_ONCE(avf_log.begin) + LOG_INTERVAL);
}

/* May a refusal be logged now?  Context: any; never sleeps. */
static bool log_allowed(void)
{
	unsigned long now = jiffies, flags;
	u64 missed = 0;
	bool ok = false;
	int cpu;

	if (window_full(now) || !spin_trylock_irqsave(&avf_log.lock, flags))
		goto out_missed;
	if (!time_before(now, avf_log.begin + LOG_INTERVAL)) {
		for_each_possible_cpu(cpu)
			missed += per_cpu(avf_log_missed, cpu);
		missed -= avf_log.reported;
		avf_log.reported += missed;
		WRITE_ONCE(avf_log.begin, now);
		WRITE_ONCE(avf_log.printed, 0);
	}
	if (avf_log.printed < LOG_BURST) {
		WRITE_ONCE(avf_log.printed, avf_log.printed + 1);
		ok = true;
	}
	spin_unlock_irqrestore(&avf_log.lock, flags);
	if (missed)
		pr_notice("%llu refusals not logged (rate limit); see the counters\n",
			  missed);
	if (ok)
		return true;
out_missed:
	this_cpu_inc(avf_log_missed);
	return false;
}

/**
 * struct avf_report - one refusal, for the log
 * @route: enum avfence_route
 * @verdict: AVF_DENY or AVF_AUDIT
 * @clearance: name of the task's clearance
 * @label: the file's level, or its raw label if unknown; "" if no file
 * @unknown: the label names no level
 * @err: the label could not be read (then @label is empty)
 * @op: the change refused (write and mount routes: "unlink", ...), or NULL
 */
struct avf_report {
	const char *op;
	u32 route;
	enum avf_verdict verdict;
	char clearance[AVFENCE_LEVEL_NAME_MAX];
	char label[AVFENCE_LEVEL_NAME_MAX];
	bool unknown;
	int err;
};

/* Count a refusal; return what the hook returns for it. */
static int count(const struct avf_report *r)
{
	avf_stat_count(r->route, r->verdict);
	return r->verdict == AVF_DENY ? -EACCES : 0;
}

/**
 * avf_log_quote - the quote @s takes in a log line
 * @s: a string a task controls: its comm, a file name
 *
 * Such strings go into log lines escaped, so that no name can end the
 * line, forge a field or a line of its own: as they are if every byte is
 * printable ASCII other than a space, a quote or a backslash, otherwise
 * in double quotes with C escapes (%pE: \n, \", \\, octal for other
 * unprintable bytes), as `avfencectl monitor` writes them.  The string
 * itself goes through %pE (AVF_LOG_STR_FMT), which leaves a plain one
 * as it is.
 *
 * Return: "" if @s is not empty and needs no escaping, else "\"".
 */
const char *avf_log_quote(const char *s)
{
	const unsigned char *p;

	for (p = (const unsigned char *)s; *p; p++) {
		if (*p <= ' ' || *p >= 0x7f || *p == '"' || *p == '\\')
			return "\"";
	}
	return p != (const unsigned char *)s ? "" : "\"";
}

/* Count, and log, audit and send an event as wanted. */
static int report(const struct avf_report *r, bool log, const char *key,
		  const char *value)
{
	const char *qc, *qv;
	char comm[TASK_COMM_LEN];
	int ret = count(r);

	avf_audit_refusal(r->verdict == AVF_DENY, r->route, r->clearance,
			  r->label, r->op, key, value);
	if (!log)
		return ret;
	/* pid is the process (as in audit records and events), tid the thread. */
	get_task_comm(comm, current);
	qc = avf_log_quote(comm);
	qv = avf_log_quote(value);
	pr_notice("%s %s pid=%d tid=%d comm=" AVF_LOG_STR_FMT " clearance=%s%s%s%s%s%s%s %s=" AVF_LOG_STR_FMT "\n",
		  r->verdict == AVF_DENY ? "denied" : "audit",
		  avf_route_name(r->route), task_tgid_nr(current),
		  task_pid_nr(current), qc, (int)strlen(comm), comm, qc,
		  r->clearance, r->label[0] ? " label=" : "", r->label,
		  r->unknown ? " (unknown, taken as highest)" : "",
		  r->err ? " (label unreadable)" : "",
		  r->op ? " what=" : "", r->op ? r->op : "", key, qv,
		  (int)strlen(value), value, qv);
	return ret;
}

/*
 * Report with the path of a file, or of a dentry within its filesystem.
 * The path is formatted only if a log line, an audit record or an event
 * will carry it: most refusals are only counted.
 */
static int report_path(const struct avf_report *r, const struct path *path,
		       struct dentry *dentry)
{
	bool log = log_allowed();
	char *buf, *name = NULL;
	int ret;

	if (!log && !avf_audit_wanted())
		return count(r);
	/* An event alone: its work item formats the paths, not this task. */
	if (!log && path &&
	    avf_audit_refusal_held(r->verdict == AVF_DENY, r->route,
				   r->clearance, r->label, path))
		return count(r);
	buf = kmalloc(PATH_MAX, GFP_KERNEL);
	if (buf)
		name = path ? d_path(path, buf, PATH_MAX) :
			      dentry_path_raw(dentry, buf, PATH_MAX);
	ret = report(r, log, "path", IS_ERR_OR_NULL(name) ? "?" : name);
	kfree(buf);
	return ret;
}

/*
 * Report with the path of an entry @leaf of the directory @dir that does
 * not exist (yet): d_path() of the entry itself would say "(deleted)".
 */
static int report_entry(const struct avf_report *r, struct vfsmount *mnt,
			struct dentry *dir, const char *leaf)
{
	const size_t room = PATH_MAX - NAME_MAX - 2;
	struct path p = { .mnt = mnt, .dentry = dir };
	bool log = log_allowed();
	char *buf, *name = NULL;
	size_t n;
	int ret;

	if (!log && !avf_audit_wanted())
		return count(r);
	buf = kmalloc(PATH_MAX, GFP_KERNEL);
	if (buf)
		name = mnt ? d_path(&p, buf, room) :
			     dentry_path_raw(dir, buf, room);
	if (!IS_ERR_OR_NULL(name)) {
		/* d_path() wrote at the end of @room: NAME_MAX + 3 bytes follow. */
		n = strlen(name);
		snprintf(name + n, PATH_MAX - (name + n - buf), "%s%s",
			 n && name[n - 1] == '/' ? "" : "/", leaf);
	}
	ret = report(r, log, "path", IS_ERR_OR_NULL(name) ? "?" : name);
	kfree(buf);
	return ret;
}

static void set_names(struct avf_report *r, const struct avf_policy *policy,
		      const struct avf_clearance *c)
{
	strscpy(r->clearance, policy->levels.name[c->level],
		sizeof(r->clearance));
}

/* The name of @label in a report: its level, or the raw label if unknown. */
static void label_name(const struct avf_policy *policy,
		       const struct avf_label *label, u32 level, bool unknown,
		       char *name, size_t size)
{
	if (unknown)
		snprintf(name, size, "%*pE",
			 (int)avf_label_trim(label->name, label->len),
			 label->name);
	else
		strscpy(name, policy->levels.name[level], size);
}

/* The level @label stands for; the first unknown label is logged. */
static u32 level_of(struct avf_policy *policy, const struct avf_label *label,
		    bool *unknown)
{
	char name[AVFENCE_LEVEL_NAME_MAX];
	u32 level;

	*unknown = false;
	if (label->source == AVFENCE_LABEL_DEFAULT)
		return policy->default_level;
	level = avf_label_level(&policy->levels, label->name, label->len,
				unknown);
	/* Read first: the exchange writes a line every check shares. */
	if (*unknown && !atomic_read(&policy->unknown_logged) &&
	    !atomic_xchg(&policy->unknown_logged, 1)) {
		label_name(policy, label, level, true, name, sizeof(name));
		pr_warn("unknown label '%s' taken as %s; further unknown labels are not reported\n",
			name, policy->levels.name[level]);
	}
	return level;
}

static u32 label_level(struct avf_policy *policy,
		       const struct avf_label *label, struct avf_report *r)
{
	u32 level = level_of(policy, label, &r->unknown);

	label_name(policy, label, level, r->unknown, r->label,
		   sizeof(r->label));
	return level;
}

/*
 * Decide on a file labelled @label (unless r->err) for a task cleared @c,
 * under rcu_read_lock(); count it.  The names go into @r only for a
 * refusal: an allowed access copies no string.
 */
static void decide_file(struct avf_policy *policy,
			const struct avf_clearance *c,
			const struct avf_label *label, struct avf_report *r)
{
	u32 level;

	if (r->err) {
		/* No label read, no contents: fail closed, even in audit. */
		r->verdict = AVF_DENY;
		set_names(r, policy, c);
		return;
	}
	level = level_of(policy, label, &r->unknown);
	r->verdict = avf_decide(c->level, level, READ_ONCE(policy->mode));
	avf_stat_count_level(policy, level, r->verdict);
	if (r->verdict == AVF_ALLOW)
		return;
	set_names(r, policy, c);
	label_name(policy, label, level, r->unknown, r->label,
		   sizeof(r->label));
}

/*
 * Begin the report of a refusal that a caller decided on: current's
 * clearance in @r, and the verdict the policy's mode makes of it (audit
 * or deny).  @allow, if not NULL, gets the allow flags of the clearance.
 * Return: false if current is not fenced (nothing to refuse).
 */
static bool refusal_begin(struct avf_report *r, u32 *allow)
{
	struct avf_policy *policy;
	struct avf_clearance c;
	bool fenced;

	rcu_read_lock();
	policy = rcu_dereference(avf_policy);
	fenced = policy && avf_current_clearance(policy, &c);
	if (fenced) {
		set_names(r, policy, &c);
		r->verdict = READ_ONCE(policy->mode) == AVFENCE_MODE_AUDIT ?
			     AVF_AUDIT : AVF_DENY;
		if (allow)
			*allow = c.allow;
	}
	rcu_read_unlock();
	return fenced;
}

/*
 * Is current tagged, and is it cleared for everything?  If @gen, its
 * clearance under the policy of generation *@gen is left in @c.
 */
static bool tagged_clearance(bool *tagged, u64 *gen, struct avf_clearance *c)
{
	struct avf_policy *policy;
	bool all = false;

	rcu_read_lock();
	policy = rcu_dereference(avf_policy);
	*tagged = policy && avf_current_clearance(policy, c);
	if (*tagged) {
		all = c->level + 1 == policy->levels.count;
		if (gen)
			*gen = policy->generation;
	}
	rcu_read_unlock();
	return all;
}

static bool cleared_for_all(bool *tagged)
{
	struct avf_clearance c;

	return tagged_clearance(tagged, NULL, &c);
}

/**
 * avf_fence_dentry - may current reach the contents of @dentry?
 * @route: how it tries
 * @dentry: the file
 * @path: the file's path for the log, or NULL to log the path of @dentry
 *        within its filesystem
 *
 * Context: process context (labels are read from the filesystem).
 * Return: 0, or -EACCES if the file is classified above current's
 * clearance or its label cannot be read.
 */
int avf_fence_dentry(enum avfence_route route, struct dentry *dentry,
		     const struct path *path)
{
	struct avf_report r = { .route = route, .verdict = AVF_ALLOW };
	struct avf_policy *policy;
	struct avf_label label;
	struct avf_clearance c;
	bool tagged;
	u64 gen = 0;

	/*
	 * The common case, an allowed read of a file whose label is cached,
	 * is decided before this (avf_fence_fast(), from the ftrace
	 * callback).  Here the label is read, which may sleep, and the
	 * decision made under the policy then in force: with the clearance
	 * found first if that is still the same policy (only current changes
	 * its own tag, and it is here), else looked up again.
	 */
	if (tagged_clearance(&tagged, &gen, &c) || !tagged)
		return 0;
	r.err = avf_label_effective(dentry, path ? path->mnt : NULL, &label);
	rcu_read_lock();
	policy = rcu_dereference(avf_policy);
	if (!policy || (policy->generation != gen &&
			!avf_current_clearance(policy, &c))) {
		rcu_read_unlock();
		return 0;
	}
	decide_file(policy, &c, &label, &r);
	rcu_read_unlock();
	if (r.verdict == AVF_ALLOW)
		return 0;
	return report_path(&r, path, dentry);
}

/* avf_fence_fast() under a policy current's tag was not computed for. */
static noinline bool notrace fast_new_policy(struct avf_tag_head *tag,
					     const struct avf_policy *policy,
					     struct dentry *dentry,
					     const struct vfsmount *mnt)
{
	return avf_label_cached_within(dentry, mnt, policy,
				       avf_current_level_new(tag, policy));
}

/**
 * avf_fence_fast - may current reach @dentry, on what is cached alone?
 * @dentry: the file, held by the caller
 * @mnt: the mount it is reached through
 * @read: the access is one the fast path may decide (a read of a regular
 *        file, fs.c); if false, only an untagged current is answered
 * @bucket: avf_current_bucket(), which the caller found not empty
 *
 * The answer of avf_fence_dentry() when it is an allowed access that
 * needs nothing read, counted or reported: current untagged, or the
 * file's label cached (so the file is on a filesystem whose labels are
 * cached), known and within current's clearance.  The ftrace callback
 * asks this instead of looking up the tag first: one lookup, not two.
 *
 * Context: any (the ftrace callback); never sleeps.
 * Return: true if allowed so, or current is untagged; false if the
 * wrapper must decide.
 */
bool notrace avf_fence_fast(struct dentry *dentry, const struct vfsmount *mnt,
			    bool read, const struct hlist_head *bucket)
{
	struct avf_policy *policy;
	struct avf_tag_head *tag;
	bool ok = true;
	int level;

	/*
	 * Preemption off, not rcu_read_lock(): on a PREEMPT_RCU kernel
	 * (Debian's 6.1 and 6.12 both) that is two calls, and since the
	 * RCU flavours were merged (v5.0) synchronize_rcu() and kfree_rcu(),
	 * which free the policy and the tags, wait for preempt-disabled
	 * regions too.  Nothing below sleeps.  Each call below is the last
	 * thing done before the unlock, so that nothing needs saving
	 * across it.
	 */
	rcu_read_lock_sched();
	policy = rcu_dereference_sched(avf_policy);
	tag = policy ? avf_current_tag_in(bucket) : NULL;
	/*
	 * A hit even for a task cleared for everything: only files on
	 * filesystems whose labels are cached, none of the kernel's own
	 * files the callers single out (/proc/kcore).
	 */
	if (tag && !read) {
		ok = false;
	} else if (tag) {
		level = avf_tag_head_level(tag, policy->generation);
		if (likely(level >= 0))
			ok = avf_label_cached_within(dentry, mnt, policy,
						     level);
		else
			ok = fast_new_policy(tag, policy, dentry, mnt);
	}
	rcu_read_unlock_sched();
	return ok;
}

/**
 * avf_fence_file - may current reach the contents of an open file?
 * @route: how it tries
 * @file: the file
 *
 * Return: as avf_fence_dentry().
 */
int avf_fence_file(enum avfence_route route, struct file *file)
{
	/*
	 * The dentry of the file's own inode: overlayfs on 6.1 opens the
	 * real file under the overlay's path (open_with_fake_path()), whose
	 * ancestors are the overlay's, not the real file's.
	 */
	return avf_fence_dentry(route, file_dentry(file), &file->f_path);
}

/* A label of the object itself, xattr or policy, moves with it. */
static bool label_follows(const struct avf_label *label)
{
	return label->source == AVFENCE_LABEL_OWN ||
	       label->source == AVFENCE_LABEL_POLICY;
}

/**
 * avf_fence_move - may current link or move @dentry under @new_parent?
 * @route: AVFENCE_ROUTE_LINK or AVFENCE_ROUTE_RENAME
 * @dentry: the file or directory
 * @new_parent: the directory it would appear in
 * @mnt: a path on the mount @dentry is on, to log its full path; or NULL
 *       to log its path within its filesystem
 *
 * A fenced task may not make anything appear at a lower classification:
 * a file with its own label (xattr or policy) keeps it, one without takes
 * the label of its new place, and that must not be lower than the one it has now.
 *
 * Return: 0, or -EACCES.
 */
int avf_fence_move(enum avfence_route route, struct dentry *dentry,
		   struct dentry *new_parent, const struct path *mnt)
{
	struct avf_report r = { .route = route, .verdict = AVF_ALLOW };
	struct avf_label now, there;
	struct avf_policy *policy;
	struct avf_clearance c;
	u32 from, to;
	bool tagged;
	int err;

	/* Even a task cleared for all may not lower a classification. */
	cleared_for_all(&tagged);
	if (!tagged)
		return 0;
	err = avf_label_effective(dentry, NULL, &now);
	if (!err && !label_follows(&now))
		err = avf_label_effective(new_parent, NULL, &there);
	rcu_read_lock();
	policy = rcu_dereference(avf_policy);
	if (!policy || !avf_current_clearance(policy, &c)) {
		rcu_read_unlock();
		return 0;
	}
	set_names(&r, policy, &c);
	if (err) {
		r.err = err;
		r.verdict = AVF_DENY;
	} else if (!label_follows(&now)) {
		to = label_level(policy, &there, &r);
		from = label_level(policy, &now, &r);
		if (to < from)
			r.verdict = READ_ONCE(policy->mode) == AVFENCE_MODE_AUDIT ?
				    AVF_AUDIT : AVF_DENY;
		avf_stat_count_level(policy, from, r.verdict);
	}
	rcu_read_unlock();
	if (r.verdict == AVF_ALLOW)
		return 0;
	if (mnt) {
		struct path p = { .mnt = mnt->mnt, .dentry = dentry };

		return report_path(&r, &p, dentry);
	}
	return report_path(&r, NULL, dentry);
}

/**
 * avf_fence_change - refuse a change to the filesystem or its mounts
 * @route: AVFENCE_ROUTE_WRITE or AVFENCE_ROUTE_MOUNT
 * @op: the change, for the log: "open", "unlink", "bind", ...
 * @mnt: the mount @dentry was reached through, or NULL (then the path
 *	within its filesystem is logged)
 * @dentry: the object changed, or the directory whose entries change
 *
 * The caller (write.c) decided that current may not make this change:
 * this counts it, logs it with @op and the path, and in audit mode lets
 * it through.
 *
 * Context: process context.
 * Return: 0 in audit mode (or if current is no longer fenced), else
 * -EACCES for a write and -EPERM for a mount.
 */
int avf_fence_change(enum avfence_route route, const char *op,
		     struct vfsmount *mnt, struct dentry *dentry)
{
	struct avf_report r = { .route = route, .op = op };
	int ret;

	if (!refusal_begin(&r, NULL))
		return 0;
	if (!IS_ROOT(dentry) && (d_is_negative(dentry) || d_unhashed(dentry))) {
		/* A name to be created: the directory's path and the name. */
		ret = report_entry(&r, mnt, dentry->d_parent,
				   (const char *)dentry->d_name.name);
	} else if (mnt) {
		struct path p = { .mnt = mnt, .dentry = dentry };

		ret = report_path(&r, &p, dentry);
	} else {
		ret = report_path(&r, NULL, dentry);
	}
	return ret && route == AVFENCE_ROUTE_MOUNT ? -EPERM : ret;
}

/*
 * A side door refused to current unless its clearance has @allow; a
 * @probe is refused as the policy's mode says but neither counted nor
 * reported (see avf_ptrace_probe()).
 */
static int fence_door(enum avfence_route route, u32 allow, const char *what,
		      bool probe)
{
	struct avf_report r = { .route = route };
	u32 allowed;

	if (!refusal_begin(&r, &allowed) || (allowed & allow))
		return 0;
	if (probe)
		return r.verdict == AVF_DENY ? -EPERM : 0;
	return report(&r, log_allowed(), "what", what) ? -EPERM : 0;
}

/**
 * avf_fence_door - may current use a side door?
 * @route: the door
 * @allow: the AVFENCE_ALLOW_* flag that opens it, or 0 if none can
 * @what: what was attempted, for the log
 *
 * Context: any; nothing here sleeps.
 * Return: 0, or -EPERM.
 */
int avf_fence_door(enum avfence_route route, u32 allow, const char *what)
{
	return fence_door(route, allow, what, false);
}

/**
 * avf_fence_terminal - may current use a terminal or an input device?
 * @what: what it tries: an ioctl's name ("TIOCSTI"), or the kind of
 *	  device it opens ("input device", "read terminal", ...)
 * @file: the device
 *
 * No flag opens this door.  Logged as "what=WHAT DIR/NAME" (the device's
 * last two path components).
 *
 * Context: any; nothing here sleeps.
 * Return: 0, or -EPERM.
 */
int avf_fence_terminal(const char *what, struct file *file)
{
	char buf[64];

	snprintf(buf, sizeof(buf), "%s %pD2", what, file);
	return avf_fence_door(AVFENCE_ROUTE_TERMINAL, 0, buf);
}

/**
 * avf_fence_task - may current reach into @target?
 * @route: how (ptrace, or a signal that dumps core)
 * @target: the task to be traced, read or made to dump core
 * @allow: the AVFENCE_ALLOW_* flag that permits it, or 0
 * @probe: the kernel only probes (PTRACE_MODE_NOAUDIT): a refusal is not
 *	   counted, logged, audited or streamed
 *
 * A fenced task may only reach tasks fenced at or below its clearance:
 * any other task may hold data above it.
 *
 * Return: 0, or -EPERM (in audit mode 0, probe or not).
 */
int avf_fence_task(enum avfence_route route, struct task_struct *target,
		   u32 allow, bool probe)
{
	struct avf_clearance c, t;
	struct avf_policy *policy;
	bool below = false;
	char what[32];

	rcu_read_lock();
	policy = rcu_dereference(avf_policy);
	if (policy && avf_current_clearance(policy, &c))
		below = avf_task_clearance(target, policy, &t) &&
			t.level <= c.level;
	else
		below = true;	/* current is not fenced */
	rcu_read_unlock();
	if (below)
		return 0;
	snprintf(what, sizeof(what), "pid %d", task_tgid_nr(target));
	return fence_door(route, allow, what, probe);
}

/**
 * avf_fence_report_connect - count, log, audit and stream a refusal of
 * a unix socket (ipc.c decides)
 * @cr: what was refused
 *
 * Log line: "denied|audit connect pid= tid= comm= clearance= socket=NAME
 * peer=LEVEL|untagged peer_pid=N"; the audit record and the event carry
 * the socket's name as their path and the peer's clearance as their label.
 *
 * Context: any; nothing here sleeps (called with unix socket locks held).
 */
void avf_fence_report_connect(const struct avf_connect_report *cr)
{
	struct avf_report r = {
		.route = AVFENCE_ROUTE_CONNECT,
		.verdict = cr->verdict,
	};
	char comm[TASK_COMM_LEN];
	const char *qc, *qs;

	count(&r);
	avf_audit_refusal(r.verdict == AVF_DENY, r.route, cr->clearance,
			  cr->peer, NULL, "socket", cr->socket);
	if (!log_allowed())
		return;
	get_task_comm(comm, current);
	qc = avf_log_quote(comm);
	qs = avf_log_quote(cr->socket);
	pr_notice("%s connect pid=%d tid=%d comm=" AVF_LOG_STR_FMT " clearance=%s socket=" AVF_LOG_STR_FMT " peer=%s peer_pid=%d\n",
		  r.verdict == AVF_DENY ? "denied" : "audit",
		  task_tgid_nr(current), task_pid_nr(current), qc,
		  (int)strlen(comm), comm, qc, cr->clearance, qs,
		  (int)strlen(cr->socket), cr->socket, qs,
		  cr->peer[0] ? cr->peer : "untagged", cr->peer_pid);
}

/**
 * avf_fence_tracer - may @tracer, through PTRACE_TRACEME, trace current?
 * @tracer: the parent that would become the tracer
 * @allow: the AVFENCE_ALLOW_* flag that permits it
 *
 * The same rule as avf_fence_task() with the roles swapped: a fenced
 * tracer may only trace tasks fenced at or below its clearance.  The
 * refusal is logged against current, which made the request.
 *
 * Return: 0, or -EPERM.
 */
int avf_fence_tracer(struct task_struct *tracer, u32 allow)
{
	struct avf_report r = { .route = AVFENCE_ROUTE_PTRACE };
	struct avf_clearance c, t;
	struct avf_policy *policy;
	char what[48];
	bool ok = true;

	rcu_read_lock();
	policy = rcu_dereference(avf_policy);
	if (policy && avf_task_clearance(tracer, policy, &t) &&
	    !(t.allow & allow)) {
		ok = avf_current_clearance(policy, &c) && c.level <= t.level;
		set_names(&r, policy, &t);
		r.verdict = READ_ONCE(policy->mode) == AVFENCE_MODE_AUDIT ?
			    AVF_AUDIT : AVF_DENY;
	}
	rcu_read_unlock();
	if (ok)
		return 0;
	snprintf(what, sizeof(what), "traceme by pid %d",
		 task_tgid_nr(tracer));
	return report(&r, log_allowed(), "what", what) ? -EPERM : 0;
}

/**
 * avf_fence_follow - may current, untagged, follow a marked symlink?
 * @dentry: the symlink, made by a fenced task
 * @mark: the writer's clearance, from the link's mark
 *
 * Refused in enforce mode and without a policy (avf_decide_follow()),
 * logged, counted and streamed on route "written" with clearance "none"
 * and the mark as the label; audit mode lets it through, logged.
 *
 * Context: process context, not in an RCU path walk.
 * Return: 0 or -EACCES.
 */
int avf_fence_follow(struct dentry *dentry, const char *mark)
{
	struct avf_report r = { .route = AVFENCE_ROUTE_WRITTEN };
	struct avf_policy *policy;

	rcu_read_lock();
	policy = rcu_dereference(avf_policy);
	r.verdict = avf_decide_follow(false, true, policy,
				      policy ? READ_ONCE(policy->mode) : 0);
	rcu_read_unlock();
	if (r.verdict == AVF_ALLOW)
		return 0;
	strscpy(r.clearance, "none", sizeof(r.clearance));
	snprintf(r.label, sizeof(r.label), "%*pE", (int)strlen(mark), mark);
	return report_path(&r, NULL, dentry);
}

/**
 * avf_fence_tagged_written - report that current was fenced for running
 * code a fenced task wrote
 * @clearance: current's clearance now
 * @mark: the writer's clearance, from the file's mark
 * @file: the file it executes or maps
 *
 * Not a refusal: nothing is counted.  A log line within the rate limit
 * ("avfence: tagged written pid=... clearance=... label=MARK path=..."),
 * an audit record and an AVFENCE_EVENT_TAGGED event on route "written".
 *
 * Context: process context.
 */
void avf_fence_tagged_written(const char *clearance, const char *mark,
			      struct file *file)
{
	bool log = log_allowed();
	char comm[TASK_COMM_LEN];
	char *buf, *name = NULL;
	const char *qc, *qv;

	if (!log && !avf_audit_wanted())
		return;
	buf = kmalloc(PATH_MAX, GFP_KERNEL);
	if (buf)
		name = d_path(&file->f_path, buf, PATH_MAX);
	if (IS_ERR_OR_NULL(name))
		name = "?";
	avf_audit_tagged(clearance, mark, name);
	if (log) {
		get_task_comm(comm, current);
		qc = avf_log_quote(comm);
		qv = avf_log_quote(name);
		pr_notice("tagged written pid=%d tid=%d comm=" AVF_LOG_STR_FMT " clearance=%s label=%*pE path=" AVF_LOG_STR_FMT "\n",
			  task_tgid_nr(current), task_pid_nr(current), qc,
			  (int)strlen(comm), comm, qc, clearance,
			  (int)strlen(mark), mark, qv, (int)strlen(name), name,
			  qv);
	}
	kfree(buf);
}
