// SPDX-License-Identifier: GPL-2.0
/*
 * avfence: hooks on files and inodes.
 *
 * Every way of opening a file's contents (open, openat, openat2, execve,
 * open_by_handle_at, io_uring, re-opening /proc/PID/fd/N) ends in
 * security_file_open(), so that is where a tagged task meets the fence.
 * A file descriptor it did not open itself (received, taken with
 * pidfd_getfd, inherited from before it was tagged) is checked again when
 * it arrives and whenever it is read, written or mapped.  Links and renames
 * may not move data to a lower classification, and only an untagged
 * administrator may change labels.  What a fenced task writes is marked,
 * and whoever maps a marked file executable is fenced (written.c).
 */
#include <linux/capability.h>
#include <linux/major.h>
#include <linux/magic.h>
#include <linux/miscdevice.h>
#include <linux/mman.h>
#include <linux/tty.h>
#include <linux/xattr.h>

#include "common.h"
#include "compat.h"
#include "fence.h"
#include "hook.h"
#include "label.h"
#include "write.h"
#include "written.h"

/* Storage and memory read below the filesystem, where labels cannot be. */
static bool raw_device(const struct file *file)
{
	const struct inode *inode = file_inode(file);
	const struct dentry *dentry = file->f_path.dentry;
	unsigned int minor;

	if (S_ISBLK(inode->i_mode))
		return true;
	if (S_ISCHR(inode->i_mode)) {
		minor = iminor(inode);
		switch (imajor(inode)) {
		case MEM_MAJOR:		/* mem, kmem, port */
			return minor == 1 || minor == 2 || minor == 4;
		case SCSI_GENERIC_MAJOR:
		case MTD_CHAR_MAJOR:
			return true;
		}
		return false;
	}
	return inode->i_sb->s_magic == PROC_SUPER_MAGIC &&
	       dentry->d_parent == inode->i_sb->s_root &&
	       !strcmp(dentry->d_name.name, "kcore");
}

/*
 * Input and the text console's screen: an input event device or uinput
 * written to types into whatever has the focus (a root shell), read from
 * it logs what the operator types; /dev/vcs* hold the text on the
 * console's screen and write to it.  Named by major and minor, not by
 * path: the agent can mknod its own.
 */
static const char *terminal_device(const struct file *file)
{
	const struct inode *inode = file_inode(file);

	if (!S_ISCHR(inode->i_mode))
		return NULL;
	switch (imajor(inode)) {
	case INPUT_MAJOR:
		return "input device";
	case VCS_MAJOR:
		return "console screen";
	case MISC_MAJOR:
		return iminor(inode) == UINPUT_MINOR ? "uinput" : NULL;
	}
	return NULL;
}

/*
 * A terminal that is not current's controlling terminal: a virtual
 * console or serial line (major 4), /dev/console, a pty slave.  Read
 * from, it yields what an operator types into the shell there (a
 * password, classified text); writing to it is output and stays allowed.
 * /dev/tty is current's own terminal and /dev/ptmx makes a new one.
 * Terminals of other drivers (USB serial, hvc) are not told apart.
 */
static bool foreign_terminal(const struct file *file)
{
	const struct inode *inode = file_inode(file);
	unsigned int major = imajor(inode);
	struct tty_struct *tty;
	bool own;

	if (!S_ISCHR(inode->i_mode) || !(file->f_mode & FMODE_READ))
		return false;
	if (major != TTY_MAJOR &&
	    !(major == TTYAUX_MAJOR && iminor(inode) == 1) &&
	    (major < UNIX98_PTY_SLAVE_MAJOR ||
	     major >= UNIX98_PTY_SLAVE_MAJOR + UNIX98_PTY_MAJOR_COUNT))
		return false;
	tty = get_current_tty();
	own = tty && tty_devnum(tty) == inode->i_rdev;
	tty_kref_put(tty);
	return !own;
}

static bool named(const struct dentry *d, const char *name)
{
	return !strcmp(d->d_name.name, name);
}

/*
 * Files that make the kernel run a program as root on the next crash,
 * module request, uevent or cgroup release, or that tune the kernel: a
 * fenced task writing them would start an unfenced deputy.  All of
 * /proc/sys, the uevent helper, cgroup v1 release agents, binfmt_misc.
 * Also the kernel log's device (/dev/kmsg, by number: the agent can
 * mknod its own), where a writer forges the lines an auditor reads.
 */
static bool kernel_config(const struct file *file)
{
	const struct dentry *d = file->f_path.dentry;
	const struct super_block *sb = d->d_sb;
	const struct inode *inode = file_inode(file);

	if (S_ISCHR(inode->i_mode) && inode->i_rdev == MKDEV(MEM_MAJOR, 11))
		return true;

	switch (sb->s_magic) {
	case PROC_SUPER_MAGIC:
		while (d->d_parent != sb->s_root && !IS_ROOT(d->d_parent))
			d = d->d_parent;
		return d->d_parent == sb->s_root && named(d, "sys");
	case SYSFS_MAGIC:
		return named(d, "uevent_helper");
	case CGROUP_SUPER_MAGIC:
		return named(d, "release_agent");
	case BINFMTFS_MAGIC:
		return true;
	}
	return false;
}

static int check_file(enum avfence_route route, struct file *file, bool write)
{
	const char *device = terminal_device(file);
	char what[64];

	if (!device && route == AVFENCE_ROUTE_OPEN && foreign_terminal(file))
		device = "read terminal";
	if (device)
		return avf_fence_terminal(device, file);
	if (write && kernel_config(file)) {
		snprintf(what, sizeof(what), "write %pD", file);
		return avf_fence_door(AVFENCE_ROUTE_KERNEL_CONFIG, 0, what);
	}
	if (raw_device(file)) {
		snprintf(what, sizeof(what), "%pD", file);
		return avf_fence_door(AVFENCE_ROUTE_RAW_DEVICE,
				      AVFENCE_ALLOW_RAW_DEVICES, what);
	}
	return avf_fence_file(route, file);
}

/*
 * The fast path, asked by the ftrace callback before it enters a wrapper
 * (hook.c): a tagged task reading a regular file, or listing a
 * directory, whose label is cached and within its clearance.  Such a file
 * is none of the devices and kernel files check_file() singles out (those
 * are not regular files or directories, or opened for writing, or, like
 * /proc/kcore or /proc/sys, not on a filesystem whose labels are cached,
 * which avf_fence_fast() requires even of a task cleared for
 * everything), nor one avf_write_open() checks (a directory is opened
 * for reading only), so check_file() would come to avf_fence_file() and
 * allow it.  Any check added to hook_file_open() or
 * hook_file_permission() must either hold here too or make this return
 * false for its case.
 *
 * Asked without looking up the tag first (hook.c): for an untagged task
 * it returns true.
 *
 * This and what it calls on a hit (avf_fence_fast(), which looks the tag
 * up inline, and avf_label_cached_within()) are notrace, as the callback
 * is: no __fentry__ NOP on the hottest path, and no tracer entered from
 * it.
 *
 * Context: the ftrace callback: never sleeps, may be preemptible.
 * Return: true if the call needs no wrapper: allowed, or current untagged.
 */
static bool notrace fast_read(struct file *file, bool read,
			      const struct hlist_head *bucket)
{
	umode_t mode = file_inode(file)->i_mode;

	read = read && (S_ISREG(mode) || S_ISDIR(mode)) &&
	       !(file->f_mode & (FMODE_WRITE | FMODE_EXEC));
	return avf_fence_fast(file_dentry(file), file->f_path.mnt, read,
			      bucket);
}

bool notrace avf_fast_file_open(struct file *file,
				const struct hlist_head *bucket)
{
	/* O_TRUNC without FMODE_WRITE still changes the file (write.c). */
	return fast_read(file, !(file->f_flags & O_TRUNC), bucket);
}

bool notrace avf_fast_file_permission(struct file *file, int mask,
				      const struct hlist_head *bucket)
{
	return fast_read(file, !(mask & (MAY_WRITE | MAY_APPEND | MAY_EXEC)),
			 bucket);
}

/* A file fanotify opened for a listener, for its event. */
static bool listener_file(const struct file *file)
{
	return (file->f_flags & __FMODE_NONOTIFY) &&
	       d_inode(file->f_path.dentry) == file_inode(file);
}

int hook_file_open(struct file *file)
{
	int err = 0;

	/*
	 * A fanotify listener that is a subject gets the event's file
	 * opened for it (__FMODE_NONOTIFY).  Refusing that open would, on
	 * some kernels, deny the event and so the untagged process's own
	 * open.  Let it open; every read, write and mmap of it is fenced
	 * (write= too: avf_write_use()).
	 * Overlayfs on 6.1 opens its real files with __FMODE_NONOTIFY too,
	 * but under the overlay's path: those are checked.
	 */
	if (!listener_file(file)) {
		err = check_file(AVFENCE_ROUTE_OPEN, file,
				 file->f_mode & FMODE_WRITE);
		if (!err)
			err = avf_write_open(file);
	}
	/* Marked before a byte is written: no window to run it unmarked. */
	if (!err && (file->f_mode & FMODE_WRITE))
		err = avf_written_file(file);
	/* Ours first: a denied open never reaches fanotify listeners. */
	if (!err)
		err = avf_orig.file_open(file);
	avf_hook_leave();
	return err;
}

int hook_file_receive(struct file *file)
{
	int err = check_file(AVFENCE_ROUTE_FD_RECEIVE, file,
			     file->f_mode & FMODE_WRITE);

	if (!err)
		err = avf_orig.file_receive(file);
	avf_hook_leave();
	return err;
}

/*
 * A file opened for exec (FMODE_EXEC) is the kernel's, read and mapped
 * by execve itself; no process holds a descriptor to it.  It was checked
 * when opened, unless the task was only tagged by this very exec.
 */
static bool exec_file(const struct file *file)
{
	return file->f_mode & FMODE_EXEC;
}

int hook_file_permission(struct file *file, int mask)
{
	int err = mask && !exec_file(file) ?
		  check_file(AVFENCE_ROUTE_FD_USE, file,
			     mask & (MAY_WRITE | MAY_APPEND)) : 0;

	if (!err && (mask & (MAY_WRITE | MAY_APPEND)) && listener_file(file))
		err = avf_write_use(file);
	/* A descriptor opened for writing before the task was tagged. */
	if (!err && (mask & (MAY_WRITE | MAY_APPEND)))
		err = avf_written_file(file);
	if (!err)
		err = avf_orig.file_permission(file, mask);
	avf_hook_leave();
	return err;
}

/*
 * Redirected for every task: mapping a file executable, an untagged one
 * too may run code a fenced task wrote (written.c).  Anything else of an
 * untagged task passes after two tests.
 */
int hook_mmap_file(struct file *file, unsigned long prot, unsigned long flags)
{
	int err = 0;

	if (file && (prot & PROT_EXEC))
		err = avf_written_exec(file);
	if (!err && file && !exec_file(file) && avf_current_tagged())
		err = check_file(AVFENCE_ROUTE_FD_USE, file, prot & PROT_WRITE);

	if (!err && file && (prot & PROT_WRITE) &&
	    (flags & MAP_TYPE) != MAP_PRIVATE && listener_file(file))
		err = avf_write_use(file);
	if (!err)
		err = avf_orig.mmap_file(file, prot, flags);
	avf_hook_leave();
	return err;
}

/*
 * Links and renames are decided twice: first by the path hooks of the
 * system calls, which know the mount and so log the full path, then by
 * the inode hooks, which also see the links and renames the kernel makes
 * for a task without a path (overlayfs copy-up, for one) and then log the
 * path within the filesystem.  Both decide alike: the second refuses only
 * what changed in between.
 */
int hook_path_link(struct dentry *old_dentry, const struct path *new_dir,
		   struct dentry *new_dentry)
{
	int err = avf_fence_move(AVFENCE_ROUTE_LINK, old_dentry,
				 new_dir->dentry, new_dir);

	if (!err)
		err = avf_write_check("link", new_dir->mnt, new_dir->dentry,
				      new_dentry);
	/*
	 * And the file itself: a new name inside write= for a file from
	 * outside would let it be written there.
	 */
	if (!err)
		err = avf_write_check("link", new_dir->mnt, old_dentry, NULL);
	if (!err)
		err = avf_orig.path_link(old_dentry, new_dir, new_dentry);
	avf_hook_leave();
	return err;
}

int hook_path_rename(const struct path *old_dir, struct dentry *old_dentry,
		     const struct path *new_dir, struct dentry *new_dentry,
		     unsigned int flags)
{
	int err = avf_fence_move(AVFENCE_ROUTE_RENAME, old_dentry,
				 new_dir->dentry, old_dir);

	if (!err && (flags & RENAME_EXCHANGE) && d_is_positive(new_dentry))
		err = avf_fence_move(AVFENCE_ROUTE_RENAME, new_dentry,
				     old_dir->dentry, new_dir);
	/* Both ends: what leaves one directory and what appears in the other. */
	if (!err)
		err = avf_write_check("rename", old_dir->mnt, old_dir->dentry,
				      old_dentry);
	if (!err)
		err = avf_write_check("rename", new_dir->mnt, new_dir->dentry,
				      new_dentry);
	if (!err)
		err = avf_orig.path_rename(old_dir, old_dentry, new_dir,
					   new_dentry, flags);
	avf_hook_leave();
	return err;
}

int hook_inode_link(struct dentry *old_dentry, struct inode *dir,
		    struct dentry *new_dentry)
{
	int err = avf_fence_move(AVFENCE_ROUTE_LINK, old_dentry,
				 new_dentry->d_parent, NULL);

	if (!err)
		err = avf_orig.inode_link(old_dentry, dir, new_dentry);
	avf_hook_leave();
	return err;
}

int hook_inode_rename(struct inode *old_dir, struct dentry *old_dentry,
		      struct inode *new_dir, struct dentry *new_dentry,
		      unsigned int flags)
{
	int err = avf_fence_move(AVFENCE_ROUTE_RENAME, old_dentry,
				 new_dentry->d_parent, NULL);

	if (!err && (flags & RENAME_EXCHANGE) && d_is_positive(new_dentry))
		err = avf_fence_move(AVFENCE_ROUTE_RENAME, new_dentry,
				     old_dentry->d_parent, NULL);
	if (!err)
		err = avf_orig.inode_rename(old_dir, old_dentry, new_dir,
					    new_dentry, flags);
	avf_hook_leave();
	return err;
}

/*
 * Labels and writer marks are the fence: a fenced task may never change
 * them, and other tasks only with CAP_MAC_ADMIN or CAP_SYS_ADMIN (without
 * this, the owner of a file could set security.* on it).
 */
static int check_label_change(const char *name)
{
	enum avfence_route route;
	int err;

	if (!strcmp(name, AVFENCE_XATTR_NAME))
		route = AVFENCE_ROUTE_LABEL;
	else if (!strcmp(name, AVFENCE_WRITER_XATTR_NAME))
		route = AVFENCE_ROUTE_WRITTEN;
	else
		return 0;
	err = avf_fence_door(route, 0, name);
	if (err || avf_current_tagged())
		return err;
	if (!capable(CAP_MAC_ADMIN) && !capable(CAP_SYS_ADMIN))
		return -EPERM;
	return 0;
}

int hook_inode_setxattr(avf_idmap_t *idmap, struct dentry *dentry,
			const char *name, const void *value, size_t size,
			int flags)
{
	int err = check_label_change(name);

	if (!err && avf_current_tagged())
		err = avf_write_check_dentry("setxattr", dentry);
	if (!err)
		err = avf_orig.inode_setxattr(idmap, dentry, name, value, size,
					      flags);
	avf_hook_leave();
	return err;
}

int hook_inode_removexattr(avf_idmap_t *idmap, struct dentry *dentry,
			   const char *name)
{
	int err = check_label_change(name);

	if (!err && avf_current_tagged())
		err = avf_write_check_dentry("removexattr", dentry);
	if (!err)
		err = avf_orig.inode_removexattr(idmap, dentry, name);
	avf_hook_leave();
	return err;
}

/*
 * The kernel's own setters, below every way of setting an xattr: once
 * they return, a label may have changed, and cached labels must go.
 */
int hook_vfs_setxattr(avf_idmap_t *idmap, struct dentry *dentry,
		      struct inode *inode, const char *name, const void *value,
		      size_t size, int flags)
{
	int err = avf_orig.vfs_setxattr(idmap, dentry, inode, name, value,
					size, flags);

	if (!strcmp(name, AVFENCE_XATTR_NAME))
		avf_label_changed_inode(inode);
	else if (!err && !strcmp(name, AVFENCE_WRITER_XATTR_NAME))
		avf_written_changed(inode);
	avf_hook_leave();
	return err;
}

int hook_vfs_removexattr(avf_idmap_t *idmap, struct dentry *dentry,
			 const char *name)
{
	int err = avf_orig.vfs_removexattr(idmap, dentry, name);

	if (!strcmp(name, AVFENCE_XATTR_NAME))
		avf_label_changed_inode(d_inode(dentry));
	/* Without xattrs (vfat) the mark only the table holds goes too. */
	else if ((!err || err == -EOPNOTSUPP) && d_inode(dentry) &&
		 !strcmp(name, AVFENCE_WRITER_XATTR_NAME))
		avf_written_changed(d_inode(dentry));
	avf_hook_leave();
	return err;
}
