// SPDX-License-Identifier: GPL-2.0
/*
 * avfence: code a fenced task wrote stays fenced.
 *
 * A hostile agent that may write somewhere (its write= directories, /tmp)
 * could leave a program, a script, a library or a symlink there for an
 * untagged root process to run or follow, and so read through a deputy.
 * Every file a fenced task creates or opens for writing therefore carries
 * a writer mark, the name of the writer's clearance:
 *
 *  - in the xattr security.avfence.writer, which survives a reboot: set
 *    at creation through the filesystem's own initxattrs callback of
 *    security_inode_init_security() (inside the creation, as SELinux sets
 *    its label), or when an existing file is opened for writing (the
 *    file's inode lock taken here, as setxattr(2) does);
 *  - in a table in memory, keyed by superblock, inode number and
 *    generation: the only record on filesystems without xattrs (vfat),
 *    and a cache of both answers elsewhere, so that the exec, mmap and
 *    symlink paths of untagged tasks seldom read an xattr.
 *
 * A mark never rises: a file written at two clearances keeps the lower.
 * Any task that executes a marked file (a script's interpreter too, each
 * goes through bprm_check) or maps one executable (an ELF interpreter, an
 * LD_PRELOAD or ld.so.preload library, mprotect(PROT_EXEC)) is fenced at
 * the writer's clearance, or keeps its own if lower.  An untagged task may
 * not follow a symlink with a mark.
 *
 * Marks name levels, not policy generations: a policy reload keeps them.
 * Only an untagged administrator may change or remove the xattr (fs.c).
 */
#include <linux/hash.h>
#include <linux/hashtable.h>
#include <linux/mman.h>
#include <linux/namei.h>
#include <linux/rculist.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/xattr.h>

#include "common.h"
#include "compat.h"
#include "fence.h"
#include "hook.h"
#include "policy.h"
#include "written.h"

#define MARK_HASH_BITS 12
/* Entries the xattr backs, or that say "no mark": dropped when full. */
#define MARK_CACHED_MAX 16384
/* Marks no xattr holds: kept while the module is loaded. */
#define MARK_PINNED_MAX 65536

/**
 * struct avf_mark - what is known of one inode's writer mark
 * @node: link in the mark table
 * @rcu: for freeing after readers are done
 * @sb: the inode's superblock; only compared
 * @ino: its inode number
 * @gen: its generation (a reused inode number is another file)
 * @marked: a fenced task wrote it
 * @pinned: no xattr holds the mark: this entry is the only record
 * @level: the writer's clearance, NUL-terminated, if @marked
 */
struct avf_mark {
	struct hlist_node node;
	struct rcu_head rcu;
	const struct super_block *sb;
	unsigned long ino;
	u32 gen;
	bool marked;
	bool pinned;
	char level[AVFENCE_LEVEL_NAME_MAX];
};

static struct hlist_head avf_marks[1 << MARK_HASH_BITS];
static DEFINE_SPINLOCK(avf_marks_lock);
static unsigned int avf_marks_cached, avf_marks_pinned;
/* Bumped by every change of a mark: a reader's answer may be stale. */
static atomic_t avf_marks_epoch = ATOMIC_INIT(0);

static struct hlist_head *mark_bucket(const struct inode *inode)
{
	return &avf_marks[hash_long((unsigned long)inode->i_sb ^ inode->i_ino,
				    MARK_HASH_BITS)];
}

/* Context: rcu_read_lock() or avf_marks_lock held. */
static struct avf_mark *mark_find(const struct inode *inode)
{
	struct avf_mark *m;

	hlist_for_each_entry_rcu(m, mark_bucket(inode), node,
				 lockdep_is_held(&avf_marks_lock)) {
		if (m->sb == inode->i_sb && m->ino == inode->i_ino &&
		    m->gen == inode->i_generation)
			return m;
	}
	return NULL;
}

/* Context: avf_marks_lock held. */
static void mark_unlink(struct avf_mark *m)
{
	hlist_del_rcu(&m->node);
	if (m->pinned)
		avf_marks_pinned--;
	else
		avf_marks_cached--;
	kfree_rcu(m, rcu);
}

/* Drop every entry an xattr or its absence backs.  avf_marks_lock held. */
static void mark_drop_cached(void)
{
	struct hlist_node *tmp;
	struct avf_mark *m;
	size_t i;

	hash_for_each_safe(avf_marks, i, tmp, m, node)
		if (!m->pinned)
			mark_unlink(m);
}

/*
 * Record what is known of @inode.  A mark replaces what was there; "no
 * mark" (@level NULL) is recorded only if nothing is and no mark changed
 * since @epoch, when the caller began to read the xattr.
 * Return: 0, or -ENOMEM if a pinned mark cannot be kept.
 */
static int mark_store(const struct inode *inode, const char *level,
		      bool pinned, int epoch)
{
	struct avf_mark *m, *old;
	unsigned long flags;
	int err = 0;

	m = kzalloc(sizeof(*m), GFP_KERNEL);
	if (!m)
		return pinned ? -ENOMEM : 0;
	m->sb = inode->i_sb;
	m->ino = inode->i_ino;
	m->gen = inode->i_generation;
	m->marked = !!level;
	m->pinned = pinned && level;
	if (level)
		strscpy(m->level, level, sizeof(m->level));

	spin_lock_irqsave(&avf_marks_lock, flags);
	old = mark_find(inode);
	if (!level && (old || atomic_read(&avf_marks_epoch) != epoch))
		goto out_free;
	/* A pinned mark stays pinned: its xattr may still be missing. */
	if (old && old->pinned)
		m->pinned = true;
	if (m->pinned && !(old && old->pinned) &&
	    avf_marks_pinned >= MARK_PINNED_MAX) {
		err = -ENOMEM;
		goto out_free;
	}
	if (!m->pinned && avf_marks_cached >= MARK_CACHED_MAX)
		mark_drop_cached();
	if (old)
		mark_unlink(old);
	hlist_add_head_rcu(&m->node, mark_bucket(inode));
	if (m->pinned)
		avf_marks_pinned++;
	else
		avf_marks_cached++;
	if (level)
		atomic_inc(&avf_marks_epoch);
	spin_unlock_irqrestore(&avf_marks_lock, flags);
	return 0;

out_free:
	spin_unlock_irqrestore(&avf_marks_lock, flags);
	kfree(m);
	return err;
}

/*
 * The table's answer for @inode: 1 marked (@level filled), 0 not marked,
 * -ENOENT unknown.  Context: any; never sleeps.
 */
static int mark_cached(const struct inode *inode, char *level)
{
	const struct avf_mark *m;
	int ret = -ENOENT;

	rcu_read_lock();
	m = mark_find(inode);
	if (m) {
		ret = m->marked;
		if (m->marked && level)
			strscpy(level, m->level, AVFENCE_LEVEL_NAME_MAX);
	}
	rcu_read_unlock();
	return ret;
}

/*
 * The writer mark of @inode (reached through @dentry): 1 marked, @level
 * filled; 0 not marked.  Context: process context, may sleep.
 */
static int mark_read(struct dentry *dentry, struct inode *inode, char *level)
{
	int ret = mark_cached(inode, level);
	int epoch;
	ssize_t len;

	if (ret >= 0)
		return ret;
	epoch = atomic_read(&avf_marks_epoch);
	len = __vfs_getxattr(dentry, inode, AVFENCE_WRITER_XATTR_NAME, level,
			     AVFENCE_LEVEL_NAME_MAX - 1);
	if (len == -ERANGE) {
		/* Too long to name a level: the lowest (avf_written_level). */
		len = 0;
	} else if (len < 0) {
		/* An unreadable xattr is not cached: ask again next time. */
		if (len == -ENODATA || len == -EOPNOTSUPP)
			mark_store(inode, NULL, false, epoch);
		return 0;
	}
	level[len] = '\0';
	mark_store(inode, level, false, epoch);
	return 1;
}

/**
 * avf_written_changed - forget what is known of @inode's mark
 * @inode: an inode whose writer xattr was set or removed
 *
 * The next check reads the xattr again; on a filesystem without xattrs,
 * where removing it fails, the mark is gone (an administrator cleared it).
 *
 * Context: process context.
 */
void avf_written_changed(const struct inode *inode)
{
	struct avf_mark *m;
	unsigned long flags;

	spin_lock_irqsave(&avf_marks_lock, flags);
	atomic_inc(&avf_marks_epoch);
	m = mark_find(inode);
	if (m)
		mark_unlink(m);
	spin_unlock_irqrestore(&avf_marks_lock, flags);
}

/* Current's clearance by name into @level; false if current is untagged. */
static bool writer_level(char *level)
{
	struct avf_policy *policy;
	struct avf_clearance c;
	bool tagged;

	rcu_read_lock();
	policy = rcu_dereference(avf_policy);
	tagged = policy && avf_current_clearance(policy, &c);
	if (tagged)
		strscpy(level, policy->levels.name[c.level],
			AVFENCE_LEVEL_NAME_MAX);
	rcu_read_unlock();
	return tagged;
}

/* Is the mark @have at or below the level named @level already? */
static bool mark_as_low(const char *have, const char *level)
{
	struct avf_policy *policy;
	bool low = false;

	rcu_read_lock();
	policy = rcu_dereference(avf_policy);
	if (policy)
		low = avf_written_level(&policy->levels, have, strlen(have)) <=
		      avf_written_level(&policy->levels, level, strlen(level));
	rcu_read_unlock();
	return low;
}

/* Filesystems that hold no code: procfs, sysfs, cgroupfs and the like. */
static bool holds_code(const struct inode *inode)
{
	return !(inode->i_sb->s_iflags & SB_I_NOEXEC);
}

static int set_xattr(struct dentry *dentry, struct inode *inode,
		     const char *level)
{
	struct super_block *sb = inode->i_sb;
	int err;

	if (!(inode->i_opflags & IOP_XATTR))
		return -EOPNOTSUPP;
	/* Frozen: no xattr now, the table keeps the mark. */
	if (!sb_start_write_trylock(sb))
		return -EBUSY;
	inode_lock(inode);
	err = __vfs_setxattr(avf_nop_idmap, dentry, inode,
			     AVFENCE_WRITER_XATTR_NAME, level, strlen(level),
			     0);
	inode_unlock(inode);
	sb_end_write(sb);
	return err;
}

/**
 * avf_written_file - mark a file current opened for writing
 * @file: the file, opened (or written) by current
 *
 * Regular files only, on filesystems that can hold code.  Nothing is
 * written if the file's mark is at or below current's clearance already.
 *
 * Context: process context, the file's inode not locked by the caller.
 * Return: 0, or -ENOMEM if the mark can be kept nowhere (the write is
 * then refused: a fenced task's code must not go unmarked).
 */
int avf_written_file(struct file *file)
{
	struct inode *inode = file_inode(file);
	struct dentry *dentry = file_dentry(file);
	char level[AVFENCE_LEVEL_NAME_MAX], have[AVFENCE_LEVEL_NAME_MAX];
	int err;

	if (!S_ISREG(inode->i_mode) || !holds_code(inode) ||
	    !writer_level(level))
		return 0;
	if (mark_read(dentry, inode, have) > 0 && mark_as_low(have, level))
		return 0;
	err = set_xattr(dentry, inode, level);
	return mark_store(inode, level, err != 0, 0);
}

/**
 * avf_written_new_inode - mark an inode current is creating
 * @inode: the new inode, from security_inode_init_security()
 * @init_xattrs: the filesystem's callback that stores xattrs with the new
 *	inode (inside its transaction), or NULL if it stores none
 * @fs_data: the callback's argument
 *
 * Context: process context, within the filesystem's creation of @inode.
 * Return: 0 or an error of the filesystem, which fails the creation.
 */
int avf_written_new_inode(struct inode *inode, initxattrs init_xattrs,
			  void *fs_data)
{
	char level[AVFENCE_LEVEL_NAME_MAX];
	struct xattr xattrs[2] = {
		{
			.name = AVFENCE_WRITER_XATTR_SUFFIX,
			.value = level,
		},
		{ NULL }
	};
	int err = -EOPNOTSUPP;

	if (IS_PRIVATE(inode) || !holds_code(inode) || !writer_level(level))
		return 0;
	xattrs[0].value_len = strlen(level);
	if (init_xattrs)
		err = init_xattrs(inode, xattrs, fs_data);
	if (err && err != -EOPNOTSUPP)
		return err;
	return mark_store(inode, level, err != 0, 0);
}

/**
 * avf_written_exec - fence current if it runs code a fenced task wrote
 * @file: a file current executes or maps executable
 *
 * Context: process context, may sleep (mprotect: mmap_lock held).
 * Return: 0, or -ENOMEM if current could not be tagged (it must not run
 * the code untagged).
 */
int avf_written_exec(struct file *file)
{
	struct inode *inode = file_inode(file);
	char level[AVFENCE_LEVEL_NAME_MAX], clearance[AVFENCE_LEVEL_NAME_MAX];
	int err;

	if (!S_ISREG(inode->i_mode) || !holds_code(inode) ||
	    mark_read(file_dentry(file), inode, level) <= 0)
		return 0;
	err = avf_subject_tag_written(level, strlen(level), clearance,
				      sizeof(clearance));
	if (err > 0)
		avf_fence_tagged_written(clearance, level, file);
	return err < 0 ? err : 0;
}

/**
 * avf_written_follow - may current follow the symlink @dentry?
 * @dentry: the symlink
 * @inode: its inode
 * @rcu: in an RCU path walk, where nothing may sleep
 *
 * Return: 0; -ECHILD to be asked again outside the RCU walk; -EACCES if
 * a fenced task made the link and current is untagged (enforce mode).
 */
int avf_written_follow(struct dentry *dentry, struct inode *inode, bool rcu)
{
	char level[AVFENCE_LEVEL_NAME_MAX];
	int marked;

	if (!holds_code(inode) || avf_current_tagged())
		return 0;
	marked = rcu ? mark_cached(inode, NULL) :
		       mark_read(dentry, inode, level);
	if (!marked)
		return 0;
	/* Unknown, or marked: the xattr and the log need to sleep. */
	if (rcu)
		return -ECHILD;
	return avf_fence_follow(dentry, level);
}

/* Hooks */

int hook_inode_init_security(struct inode *inode, struct inode *dir,
			     const struct qstr *qstr, initxattrs init_xattrs,
			     void *fs_data)
{
	int err = avf_orig.inode_init_security(inode, dir, qstr, init_xattrs,
					       fs_data);

	if (!err)
		err = avf_written_new_inode(inode, init_xattrs, fs_data);
	avf_hook_leave();
	return err;
}

int hook_inode_follow_link(struct dentry *dentry, struct inode *inode,
			   bool rcu)
{
	int err = avf_written_follow(dentry, inode, rcu);

	/* door.c: a /proc/PID/root link, for the ptrace check it makes */
	if (!err && avf_current_tagged())
		avf_door_follow_link(dentry);
	if (!err)
		err = avf_orig.inode_follow_link(dentry, inode, rcu);
	avf_hook_leave();
	return err;
}

int hook_file_mprotect(struct vm_area_struct *vma, unsigned long reqprot,
		       unsigned long prot)
{
	int err = 0;

	/* A mapping made executable: mmap_file saw it if it was already. */
	if ((prot & PROT_EXEC) && vma->vm_file && !(vma->vm_flags & VM_EXEC))
		err = avf_written_exec(vma->vm_file);
	if (!err)
		err = avf_orig.file_mprotect(vma, reqprot, prot);
	avf_hook_leave();
	return err;
}

/**
 * avf_written_exit - free the mark table at unload
 *
 * Context: hooks detached, no call in flight.  Marks that only the table
 * held are lost: a file written on vfat is unmarked after an unload.
 */
void avf_written_exit(void)
{
	struct hlist_node *tmp;
	struct avf_mark *m;
	size_t i;

	hash_for_each_safe(avf_marks, i, tmp, m, node) {
		hlist_del(&m->node);
		kfree(m);
	}
	avf_marks_cached = 0;
	avf_marks_pinned = 0;
}
