// SPDX-License-Identifier: GPL-2.0
/*
 * avfence: unix sockets, the way to ask an untagged service to read.
 *
 * A fenced agent that cannot read a file may ask a root daemon to read it:
 * `systemd-run --pipe cat FILE` over D-Bus, a command to any service on a
 * unix socket.  A tagged task may therefore connect (stream, seqpacket) or
 * send (datagram, connected or not) only to a socket that a tagged task
 * made, at a clearance that keeps data from flowing down (decide.c,
 * avf_ipc_decide()), or to one its subjects list in connect=.
 *
 * Who is on the other end: the task that made the socket.  Stock kernels
 * give a module no socket security blob, so the sockets that tagged tasks
 * make are kept in a table keyed by struct sock, with the clearance their
 * maker had; a socket not in it was made by an untagged task (or before
 * its maker was tagged) and counts as an untagged service's.  A socket
 * made by an untagged task stays untagged wherever it goes: passed to a
 * tagged task (SCM_RIGHTS, systemd socket activation) it is still
 * untagged, and a tagged task that connects to it needs connect=.  The
 * other way round a tagged task has no way to hand a socket to an
 * untagged one but a connection that an untagged task opened to it.
 *
 * The name matched against connect= is that of the listener's (or
 * receiver's) own binding: the path it was bound at (d_path() of the
 * dentry bind() made, not the name the connecting task used, so a hard
 * link, a symlink or /proc/PID/root/... leads to the same name), or
 * "@" and the abstract name.  Renaming a bound socket file away is a
 * change of the filesystem (write=).
 */
#include <linux/hash.h>
#include <linux/hashtable.h>
#include <linux/net.h>
#include <linux/pid.h>
#include <linux/rculist.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <net/af_unix.h>
#include <net/sock.h>

#include "common.h"
#include "fence.h"
#include "hook.h"
#include "policy.h"

#define OWNER_HASH_BITS 10

/**
 * struct avf_sock_owner - a unix socket a tagged task made
 * @node: link in the owner table
 * @rcu: for freeing after readers are done
 * @sk: the socket; only compared, never dereferenced
 * @pid: the maker's process (global pid), for the log
 * @clearance: the maker's clearance then, by name: resolved in the policy
 *	in force at each check (a level that no longer exists is the lowest)
 */
struct avf_sock_owner {
	struct hlist_node node;
	struct rcu_head rcu;
	const struct sock *sk;
	pid_t pid;
	char clearance[AVFENCE_LEVEL_NAME_MAX];
};

static struct hlist_head avf_owners[1 << OWNER_HASH_BITS];
static DEFINE_SPINLOCK(avf_owners_lock);
/* Entries in the table; while 0, sk_free is not redirected at all. */
atomic_t avf_nsocks = ATOMIC_INIT(0);

static struct hlist_head *owner_bucket(const struct sock *sk)
{
	return &avf_owners[hash_ptr(sk, OWNER_HASH_BITS)];
}

/* Context: rcu_read_lock() or avf_owners_lock held. */
static struct avf_sock_owner *owner_find(const struct sock *sk)
{
	struct avf_sock_owner *o;

	hlist_for_each_entry_rcu(o, owner_bucket(sk), node,
				 lockdep_is_held(&avf_owners_lock)) {
		if (o->sk == sk)
			return o;
	}
	return NULL;
}

/* Record that current, tagged at @clearance, made @sk. */
static int owner_add(const struct sock *sk, const char *clearance)
{
	struct avf_sock_owner *o = kzalloc(sizeof(*o), GFP_KERNEL);
	unsigned long flags;

	if (!o)
		return -ENOMEM;
	o->sk = sk;
	o->pid = task_tgid_nr(current);
	strscpy(o->clearance, clearance, sizeof(o->clearance));
	spin_lock_irqsave(&avf_owners_lock, flags);
	hlist_add_head_rcu(&o->node, owner_bucket(sk));
	atomic_inc(&avf_nsocks);
	spin_unlock_irqrestore(&avf_owners_lock, flags);
	return 0;
}

static void owner_remove(const struct sock *sk)
{
	struct avf_sock_owner *o;
	unsigned long flags;

	spin_lock_irqsave(&avf_owners_lock, flags);
	o = owner_find(sk);
	if (o) {
		hlist_del_rcu(&o->node);
		atomic_dec(&avf_nsocks);
	}
	spin_unlock_irqrestore(&avf_owners_lock, flags);
	if (o)
		kfree_rcu(o, rcu);
}

/*
 * The name of the socket @other is bound to, into @buf: "/path" or
 * "@abstract".  Return: the name, or NULL if it has none that connect=
 * could list (unbound, or an abstract name with a byte connect= cannot
 * spell); then @buf holds what the log shows.
 *
 * Context: the unix state lock of @other held (it is bound for good
 * before anyone can find it by name); atomic.
 */
static const char *peer_name(struct sock *other, char *buf, size_t size)
{
	struct unix_sock *u = unix_sk(other);
	const struct unix_address *addr;
	const char *abstract;
	size_t len;
	char *p;

	/* Pairs with bind()'s smp_store_release(): the name is complete. */
	addr = smp_load_acquire(&u->addr);

	if (u->path.dentry) {
		p = d_path(&u->path, buf, size);
		if (IS_ERR(p)) {
			strscpy(buf, "?", size);
			return NULL;
		}
		return p;
	}
	if (!addr || addr->len <= offsetof(struct sockaddr_un, sun_path) + 1) {
		strscpy(buf, "(unnamed)", size);
		return NULL;
	}
	abstract = addr->name->sun_path + 1;
	len = addr->len - offsetof(struct sockaddr_un, sun_path) - 1;
	buf[0] = '@';
	if (len + 2 <= size) {
		memcpy(buf + 1, abstract, len);
		buf[len + 1] = '\0';
		if (avf_connect_name_valid(buf, len + 1))
			return buf;
	}
	/* Not listable (a NUL, a control byte, a ','): escaped for the log. */
	snprintf(buf + 1, size - 1, "%*pE", (int)len, abstract);
	return NULL;
}

/* The process that listens on (or last connected) @other, for the log. */
static pid_t peer_pid(struct sock *other,
		      const struct avf_sock_owner *owner)
{
	pid_t pid = 0;

	if (owner)
		return owner->pid;
	/* Set by listen(), connect() and socketpair(); 0 if unknown. */
	spin_lock(&other->sk_peer_lock);
	if (other->sk_peer_pid)
		pid = pid_nr(other->sk_peer_pid);
	spin_unlock(&other->sk_peer_lock);
	return pid;
}

/*
 * May current connect (@two_way) or send a datagram to the unix socket
 * @other?  Context: the unix state lock of @other held; atomic.
 * Return: 0 or -EACCES.
 */
static int check_peer(struct sock *other, bool two_way)
{
	struct avf_ipc_peer peer = { .tagged = false };
	struct avf_connect_report r = { .verdict = AVF_ALLOW };
	const struct avf_sock_owner *owner;
	struct avf_policy *policy;
	struct avf_clearance c;
	const char *name;
	char *buf;
	int idx;

	/* A refusal needs the name for the log, a grant to match it. */
	buf = kmalloc(AVFENCE_PATH_MAX, GFP_ATOMIC);
	rcu_read_lock();
	policy = rcu_dereference(avf_policy);
	if (!policy || !avf_current_clearance(policy, &c)) {
		rcu_read_unlock();
		kfree(buf);
		return 0;
	}
	owner = owner_find(other);
	if (owner) {
		peer.tagged = true;
		idx = avf_levels_find(&policy->levels, owner->clearance,
				      strnlen(owner->clearance,
					      sizeof(owner->clearance)));
		peer.level = idx >= 0 ? idx : 0;
		strscpy(r.peer, owner->clearance, sizeof(r.peer));
	}
	r.peer_pid = peer_pid(other, owner);
	name = buf ? peer_name(other, buf, AVFENCE_PATH_MAX) : NULL;
	r.verdict = avf_ipc_decide(c.level, &peer, two_way,
				   name && avf_task_connect_listed(current,
								   policy,
								   name),
				   READ_ONCE(policy->mode));
	/* No memory for the name: no grant by connect=, even in audit. */
	if (!buf && r.verdict == AVF_AUDIT && !peer.tagged)
		r.verdict = AVF_DENY;
	strscpy(r.clearance, policy->levels.name[c.level], sizeof(r.clearance));
	rcu_read_unlock();
	/* d_path() writes at the end of buf: name, else what buf says. */
	r.socket = name ? name : buf ? buf : "?";
	if (r.verdict != AVF_ALLOW)
		avf_fence_report_connect(&r);
	kfree(buf);
	return r.verdict == AVF_DENY ? -EACCES : 0;
}

/* Hooks */

int hook_socket_post_create(struct socket *sock, int family, int type,
			    int protocol, int kern)
{
	char clearance[AVFENCE_LEVEL_NAME_MAX];
	struct avf_policy *policy;
	struct avf_clearance c;
	bool tagged = false;
	int err;

	err = avf_orig.socket_post_create(sock, family, type, protocol, kern);
	if (!err && family == AF_UNIX && !kern && sock->sk) {
		rcu_read_lock();
		policy = rcu_dereference(avf_policy);
		if (policy && avf_current_clearance(policy, &c)) {
			strscpy(clearance, policy->levels.name[c.level],
				sizeof(clearance));
			tagged = true;
		}
		rcu_read_unlock();
		/* Fail closed: no socket of a tagged task passes as untagged. */
		if (tagged)
			err = owner_add(sock->sk, clearance);
	}
	avf_hook_leave();
	return err;
}

int hook_unix_stream_connect(struct sock *sock, struct sock *other,
			     struct sock *newsk)
{
	/* Stream and seqpacket: a connection, data both ways. */
	int err = check_peer(other, true);

	if (!err)
		err = avf_orig.unix_stream_connect(sock, other, newsk);
	avf_hook_leave();
	return err;
}

int hook_unix_may_send(struct socket *sock, struct socket *other)
{
	/* Datagrams: dgram connect() and every send, connected or not. */
	int err = other && other->sk ? check_peer(other->sk, false) : 0;

	if (!err)
		err = avf_orig.unix_may_send(sock, other);
	avf_hook_leave();
	return err;
}

void hook_sk_free(struct sock *sk)
{
	/* Any task, any context (also RCU callbacks): the last reference. */
	if (sk->sk_family == AF_UNIX)
		owner_remove(sk);
	avf_orig.sk_free(sk);
	avf_hook_leave();
}

/**
 * avf_ipc_exit - forget every socket at unload
 *
 * Context: hooks detached, no call in flight.
 */
void avf_ipc_exit(void)
{
	struct avf_sock_owner *o;
	struct hlist_node *tmp;
	size_t i;

	hash_for_each_safe(avf_owners, i, tmp, o, node) {
		hlist_del(&o->node);
		kfree(o);
	}
	atomic_set(&avf_nsocks, 0);
}
