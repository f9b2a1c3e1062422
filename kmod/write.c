// SPDX-License-Identifier: GPL-2.0
/*
 * avfence: where a fenced task may change the filesystem (write=).
 *
 * A tagged task may change a file, a directory or a mount only at or
 * below a write= directory of every subject it ran (avf_task_subjects()):
 * a subject without write= writes nowhere.  The decision is by the
 * object, never by a string: the place changed is walked up, dentry by
 * dentry, to the root of its filesystem, and each directory's identity
 * (device, inode) is compared with the write= directories resolved at
 * load.  Whatever mount or path the task came by (a bind mount of /etc
 * inside a write= directory included), only where the object really is
 * in its filesystem counts; another filesystem mounted inside a write=
 * directory is not below it (Documentation/policy.rst).  Callers hold
 * the locks the VFS takes for the change (the parent's i_rwsem,
 * lock_rename()), and the walk itself is consistent under rename_lock.
 *
 * What is a change, and which hook sees it:
 *   open for write, append or O_TRUNC of a regular file,
 *   open of a fifo for write                             file_open (fs.c)
 *   create (O_CREAT), mknod (fifos, sockets), mkdir, rmdir,
 *   unlink, symlink                                      path_* below
 *   link, rename (both ends)                             path_link/rename (fs.c)
 *   chmod, chown, truncate by path                       path_chmod/chown/truncate
 *   utimes and other attributes                          inode_setattr
 *   set/remove xattr                                     inode_*xattr (fs.c)
 *   mount, bind, remount, move, umount, pivot_root,
 *   move_mount (attaches open_tree and fsmount trees),
 *   fspick + FSCONFIG_CMD_RECONFIGURE, mount_setattr     sb_*, below
 *
 * A fifo opened for write is a channel to whoever reads it: an untagged
 * root daemon that takes commands from a fifo (systemd's /run/initctl)
 * would act for the task.  So it is decided like a regular file: only
 * fifos below write= (the task's own) take its writes; reading a fifo is
 * decided by its label like any read.  Opening a character device or a
 * socket that exists is not a change: devices keep the raw-device rules
 * (fs.c) and sockets connect=.
 * Nor is a file of a kernel-internal filesystem (SB_NOUSER: the pidfd
 * that pidfd_open() opens read-write on 6.12, anonymous inodes), which
 * no path reaches.
 *
 * Pseudo-filesystems: a task's own /proc/PID entries are its business;
 * other tasks' /proc entries, /sys and cgroupfs change other services or
 * the kernel, and are decided like any file (/proc/sys keeps its own
 * refusal, route kernel-config); securityfs, debugfs, tracefs, bpf fs
 * and configfs are refused whatever write= says.
 *
 * Mounts reach every task of the mount namespace, so a tagged task may
 * mount nothing, wherever write= points, except in a private user and
 * mount namespace of its own: one whose user namespace a tagged task
 * created.  Filesystems mounted there (owned by that user namespace) are
 * the task's to change as well.
 */
#include <linux/cred.h>
#include <linux/fs_context.h>
#include <linux/magic.h>
#include <linux/mount.h>
#include <linux/proc_fs.h>
#include <linux/pid_namespace.h>
#include <linux/user_namespace.h>
#include <uapi/linux/mount.h>

#include "common.h"
#include "decide.h"
#include "event.h"
#include "fence.h"
#include "hook.h"
#include "label.h"
#include "policy.h"
#include "write.h"

/*
 * User namespaces created by tagged tasks, each held by a reference so
 * that its address cannot be reused by a namespace an untagged task
 * creates.  When the table is full the oldest is dropped: mounts in it
 * are then refused (fail closed).
 */
#define PRIVATE_NS_MAX 64

static struct user_namespace *private_ns[PRIVATE_NS_MAX];
static unsigned int private_ns_next;
static DEFINE_SPINLOCK(private_ns_lock);

static bool ns_listed(const struct user_namespace *ns)
{
	unsigned long flags;
	bool found = false;
	unsigned int i;

	spin_lock_irqsave(&private_ns_lock, flags);
	for (i = 0; i < PRIVATE_NS_MAX && !found; i++)
		found = private_ns[i] == ns;
	spin_unlock_irqrestore(&private_ns_lock, flags);
	return found;
}

/* Is @ns, or an ancestor below the initial one, a tagged task's? */
static bool ns_private(const struct user_namespace *ns)
{
	for (; ns && ns != &init_user_ns; ns = ns->parent)
		if (ns_listed(ns))
			return true;
	return false;
}

/*
 * A mount by current reaches no untagged task: current's user namespace
 * is a tagged task's.  The kernel lets a task mount only in a mount
 * namespace owned by its user namespace or one below it (may_mount()),
 * so that is where the mount goes.
 */
static bool mount_private(void)
{
	return ns_private(current_user_ns());
}

int hook_create_user_ns(struct cred *new)
{
	struct user_namespace *old = NULL;
	int err = avf_orig.create_user_ns(new);
	unsigned long flags;

	if (!err) {
		spin_lock_irqsave(&private_ns_lock, flags);
		old = private_ns[private_ns_next];
		private_ns[private_ns_next] = get_user_ns(new->user_ns);
		private_ns_next = (private_ns_next + 1) % PRIVATE_NS_MAX;
		spin_unlock_irqrestore(&private_ns_lock, flags);
		put_user_ns(old);
	}
	avf_hook_leave();
	return err;
}

/**
 * avf_write_exit - drop the user namespaces remembered
 *
 * Context: module exit, after the hooks are detached.
 */
void avf_write_exit(void)
{
	unsigned int i;

	for (i = 0; i < PRIVATE_NS_MAX; i++) {
		put_user_ns(private_ns[i]);
		private_ns[i] = NULL;
	}
}

/* fs/configfs/mount.c keeps its magic to itself. */
#ifndef CONFIGFS_MAGIC
#define CONFIGFS_MAGIC 0x62656570
#endif

/* Filesystems no fenced task may change, whatever write= says. */
static bool forbidden_fs(const struct super_block *sb)
{
	switch (sb->s_magic) {
	case SECURITYFS_MAGIC:
	case DEBUGFS_MAGIC:
	case TRACEFS_MAGIC:
	case BPF_FS_MAGIC:
	case CONFIGFS_MAGIC:
		return true;
	}
	return false;
}

/* Is @dentry in current's own /proc/PID (the process, its threads)? */
static bool own_proc(const struct dentry *dentry)
{
	struct super_block *sb = dentry->d_sb;
	const struct dentry *d = dentry, *parent;
	bool own = false;

	if (sb->s_magic != PROC_SUPER_MAGIC)
		return false;
	rcu_read_lock();
	for (;;) {
		parent = READ_ONCE(d->d_parent);
		if (parent == sb->s_root || parent == d)
			break;
		d = parent;
	}
	/* /proc/PID directories are never renamed: their name is stable. */
	if (parent == sb->s_root && d != sb->s_root)
		own = avf_proc_pid_is(d->d_name.name,
				      task_tgid_nr_ns(current, proc_pid_ns(sb)));
	rcu_read_unlock();
	return own;
}

/* The bits of the @n @subjects whose write= holds @dentry or an ancestor. */
static u32 walk(const struct dentry *dentry,
		const struct avf_subject *const *subjects, u32 n)
{
	const struct dentry *d, *parent;
	const struct inode *inode;
	struct avf_subject_key key;
	u32 i, found = 0;

	for (d = dentry;; d = parent) {
		inode = d_inode_rcu(d);
		if (inode) {
			key = avf_key_of_inode(inode);
			for (i = 0; i < n; i++)
				if (!(found & BIT(i)) &&
				    avf_subject_write_dir(subjects[i], &key))
					found |= BIT(i);
		}
		parent = READ_ONCE(d->d_parent);
		if (found == BIT(n) - 1 || parent == d)
			return found;
	}
}

/*
 * Is @dentry at or below a write= directory of every subject current
 * ran?  The walk goes up d_parent to the root of @dentry's filesystem
 * under rename_lock's sequence count, and under the lock itself if
 * renames keep racing with it, so that it never sees a tree that never
 * was.
 */
static bool granted(const struct dentry *dentry)
{
	const struct avf_subject *subjects[AVF_TASK_SUBJECTS_MAX];
	const struct avf_policy *policy;
	unsigned int seq, tries;
	u32 n, found = 0;

	rcu_read_lock();
	policy = rcu_dereference(avf_policy);
	n = policy ? avf_task_subjects(current, policy, subjects) : 0;
	if (!n)
		goto out;
	for (tries = 0; tries < 4; tries++) {
		seq = read_seqbegin(&rename_lock);
		found = walk(dentry, subjects, n);
		if (!read_seqretry(&rename_lock, seq))
			goto out;
	}
	read_seqlock_excl(&rename_lock);
	found = walk(dentry, subjects, n);
	read_sequnlock_excl(&rename_lock);
out:
	rcu_read_unlock();
	return avf_decide_write(n, found, AVFENCE_MODE_ENFORCE) == AVF_ALLOW;
}

/*
 * May current change what lies at @dentry?  True if it is at or below a
 * write= directory of every subject current ran, in its own /proc/PID,
 * or on a filesystem of a private namespace of a tagged task.
 */
static bool writable(const struct dentry *dentry)
{
	struct super_block *sb = dentry->d_sb;

	/* Kernel-internal filesystems (pidfs, anon inodes): in no tree. */
	if (sb->s_flags & SB_NOUSER)
		return true;
	if (forbidden_fs(sb))
		return false;
	if (own_proc(dentry))
		return true;
	if (sb->s_user_ns != &init_user_ns && ns_private(sb->s_user_ns))
		return true;
	return granted(dentry);
}

/**
 * avf_write_check - may current change the object at @dentry?
 * @op: the change, for the log ("open", "unlink", ...)
 * @mnt: the mount @dentry was reached through, for the log (its full
 *	path), or NULL (its path within its filesystem)
 * @dentry: the object changed, or the directory whose entries change
 * @name: for the log, the entry of @dentry that changes, or NULL
 *
 * Context: process context.
 * Return: 0, or -EACCES (0 in audit mode, after logging).
 */
int avf_write_check(const char *op, struct vfsmount *mnt,
		    struct dentry *dentry, struct dentry *name)
{
	if (!avf_current_tagged() || writable(dentry))
		return 0;
	return avf_fence_change(AVFENCE_ROUTE_WRITE, op, mnt,
				name ? name : dentry);
}

static int check_path(const char *op, const struct path *path)
{
	return avf_write_check(op, path->mnt, path->dentry, NULL);
}

/* A change of the entry @dentry of the directory @dir. */
static int check_entry(const char *op, const struct path *dir,
		       struct dentry *dentry)
{
	return avf_write_check(op, dir->mnt, dir->dentry, dentry);
}

/**
 * avf_write_check_dentry - avf_write_check() for a hook without a path
 * @op: the change, for the log
 * @dentry: the object changed
 *
 * Changes the kernel makes under credentials other than the task's own
 * (overlayfs copying a file up to its upper layer, with the mounter's)
 * follow a change decided on the overlay's path: they are not decided
 * again on the layer's dentry, which write= does not name.  Not so in an
 * io_uring worker: there the credentials are a personality the task
 * registered itself (io_uring runs its xattr requests in workers only).
 *
 * Return: as avf_write_check().
 */
int avf_write_check_dentry(const char *op, struct dentry *dentry)
{
	if (current_cred() != current_real_cred() &&
	    !(current->flags & PF_IO_WORKER))
		return 0;
	return avf_write_check(op, NULL, dentry, NULL);
}

/**
 * avf_write_open - may current open @file as it asks?
 * @file: a file being opened
 *
 * Return: 0, or -EACCES: a regular file opened for write, append or
 * truncation, or a fifo opened for write, where current may not change it.
 */
int avf_write_open(struct file *file)
{
	umode_t mode = file_inode(file)->i_mode;

	if (!(S_ISREG(mode) || S_ISFIFO(mode)) ||
	    !((file->f_mode & FMODE_WRITE) || (file->f_flags & O_TRUNC)))
		return 0;
	return check_path("open", &file->f_path);
}

/**
 * avf_write_use - may current write through @file, opened unchecked?
 * @file: a file fanotify opened for a fenced listener (fs.c lets that
 *	open through, or the untagged opener's own open would fail)
 *
 * Return: 0, or -EACCES: a regular file where current may not change it.
 */
int avf_write_use(struct file *file)
{
	if (!S_ISREG(file_inode(file)->i_mode))
		return 0;
	return check_path("write", &file->f_path);
}

/*
 * Also called by open(O_CREAT) before the name is looked up (may_o_create()):
 * if the file turns out to exist, the kernel drops O_CREAT and the open
 * goes on, decided by avf_write_open().  A refusal here is then logged as
 * a create that did not happen (and counted) beside the open's verdict.
 */
int hook_path_mknod(const struct path *dir, struct dentry *dentry,
		    umode_t mode, unsigned int dev)
{
	int err = check_entry(S_ISREG(mode) || !mode ? "create" : "mknod",
				  dir, dentry);

	if (!err)
		err = avf_orig.path_mknod(dir, dentry, mode, dev);
	avf_hook_leave();
	return err;
}

int hook_path_mkdir(const struct path *dir, struct dentry *dentry,
		    umode_t mode)
{
	int err = check_entry("mkdir", dir, dentry);

	if (!err)
		err = avf_orig.path_mkdir(dir, dentry, mode);
	avf_hook_leave();
	return err;
}

int hook_path_rmdir(const struct path *dir, struct dentry *dentry)
{
	int err = check_entry("rmdir", dir, dentry);

	if (!err)
		err = avf_orig.path_rmdir(dir, dentry);
	avf_hook_leave();
	return err;
}

int hook_path_unlink(const struct path *dir, struct dentry *dentry)
{
	int err = check_entry("unlink", dir, dentry);

	if (!err)
		err = avf_orig.path_unlink(dir, dentry);
	avf_hook_leave();
	return err;
}

int hook_path_symlink(const struct path *dir, struct dentry *dentry,
		      const char *old_name)
{
	int err = check_entry("symlink", dir, dentry);

	if (!err)
		err = avf_orig.path_symlink(dir, dentry, old_name);
	avf_hook_leave();
	return err;
}

int hook_path_truncate(const struct path *path)
{
	int err = check_path("truncate", path);

	if (!err)
		err = avf_orig.path_truncate(path);
	avf_hook_leave();
	return err;
}

int hook_path_chmod(const struct path *path, umode_t mode)
{
	int err = check_path("chmod", path);

	if (!err)
		err = avf_orig.path_chmod(path, mode);
	avf_hook_leave();
	return err;
}

int hook_path_chown(const struct path *path, kuid_t uid, kgid_t gid)
{
	int err = check_path("chown", path);

	if (!err)
		err = avf_orig.path_chown(path, uid, gid);
	avf_hook_leave();
	return err;
}

/*
 * Every attribute change ends here; mode, owner and size were decided
 * with their path above.  What is left is timestamps (utimes) and the
 * like, known only by dentry.
 */
int hook_inode_setattr(avf_idmap_t *idmap, struct dentry *dentry,
		       struct iattr *attr)
{
	int err = 0;

	if (!(attr->ia_valid & (ATTR_MODE | ATTR_UID | ATTR_GID | ATTR_SIZE |
				ATTR_KILL_SUID | ATTR_KILL_SGID |
				ATTR_KILL_PRIV | ATTR_FILE)))
		err = avf_write_check_dentry("setattr", dentry);
	if (!err)
		err = avf_orig.inode_setattr(idmap, dentry, attr);
	avf_hook_leave();
	return err;
}

/* Mounts */

static int check_mount(const char *op, const struct path *path)
{
	char what[48];

	if (!avf_current_tagged() || mount_private())
		return 0;
	if (!path) {
		snprintf(what, sizeof(what), "%s", op);
		return avf_fence_door(AVFENCE_ROUTE_MOUNT, 0, what);
	}
	return avf_fence_change(AVFENCE_ROUTE_MOUNT, op, path->mnt,
				path->dentry);
}

static const char *mount_op(unsigned long flags)
{
	if (flags & MS_REMOUNT)
		return "remount";
	if (flags & MS_BIND)
		return "bind";
	if (flags & MS_MOVE)
		return "move";
	if (flags & (MS_SHARED | MS_PRIVATE | MS_SLAVE | MS_UNBINDABLE))
		return "propagation";
	return "mount";
}

int hook_sb_mount(const char *dev_name, const struct path *path,
		  const char *type, unsigned long flags, void *data)
{
	int err = check_mount(mount_op(flags), path);

	if (!err)
		err = avf_orig.sb_mount(dev_name, path, type, flags, data);
	if (!err)
		avf_label_mount_begin(dev_name, path, flags);
	avf_hook_leave();
	return err;
}

/* A new mount's super block (mount(2), after sb_mount above). */
int hook_sb_kern_mount(const struct super_block *sb)
{
	int err = avf_orig.sb_kern_mount(sb);

	if (!err)
		avf_label_mount_sb(sb);
	avf_hook_leave();
	return err;
}

int hook_sb_umount(struct vfsmount *mnt, int flags)
{
	struct path path = { .mnt = mnt, .dentry = mnt->mnt_root };
	int err;

	/* Any task's unmount: a queued event's held path must not block it. */
	avf_event_flush();
	err = check_mount("umount", &path);

	if (!err)
		err = avf_orig.sb_umount(mnt, flags);
	avf_hook_leave();
	return err;
}

int hook_move_mount(const struct path *from_path, const struct path *to_path)
{
	int err = check_mount("move_mount", to_path);

	if (!err)
		err = avf_orig.move_mount(from_path, to_path);
	if (!err)
		avf_label_mount_move(from_path, to_path);
	avf_hook_leave();
	return err;
}

int hook_sb_pivotroot(const struct path *old_path,
		      const struct path *new_path)
{
	int err = check_mount("pivot_root", new_path);

	if (!err)
		err = avf_orig.sb_pivotroot(old_path, new_path);
	avf_hook_leave();
	return err;
}

/*
 * Reconfiguring a superblock: mount -o remount (after sb_mount above)
 * and fspick() + FSCONFIG_CMD_RECONFIGURE, which no LSM hook sees.
 */
int hook_reconfigure_super(struct fs_context *fc)
{
	int err = 0;

	if (fc->root && avf_current_tagged() && !mount_private())
		err = avf_fence_change(AVFENCE_ROUTE_MOUNT, "reconfigure",
				       NULL, fc->root);
	if (!err)
		err = avf_orig.reconfigure_super(fc);
	avf_hook_leave();
	return err;
}

/* mount_setattr(2) changes mount flags (ro, nosuid, idmap): no LSM hook. */
long hook_sys_mount_setattr(const struct pt_regs *regs)
{
	long err = check_mount("mount_setattr", NULL);

	if (!err)
		err = avf_orig.sys_mount_setattr(regs);
	avf_hook_leave();
	return err;
}

long hook_ia32_sys_mount_setattr(const struct pt_regs *regs)
{
	long err = check_mount("mount_setattr", NULL);

	if (!err)
		err = avf_orig.ia32_sys_mount_setattr(regs);
	avf_hook_leave();
	return err;
}
