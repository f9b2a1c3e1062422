// SPDX-License-Identifier: GPL-2.0
/*
 * avfence: reading classification labels.
 *
 * A file's label is its security.avfence xattr.  A file without one takes
 * the label of the nearest directory above it, on the same filesystem,
 * that has one; with none, the policy's default level applies.  Walking
 * the dentry tree rather than the path means that a bind mount, a
 * different mount namespace or a path through a symlink all find the same
 * label.
 */
#include <linux/hash.h>
#include <linux/magic.h>
#include <linux/mount.h>
#include <linux/namei.h>
#include <linux/percpu.h>
#include <linux/random.h>
#include <linux/seqlock.h>
#include <linux/slab.h>
#include <linux/xattr.h>
#include <uapi/linux/mount.h>

#include "label.h"
#include "policy.h"

/**
 * avf_label_own - read the label of the dentry itself
 * @dentry: a positive dentry
 * @label: filled in with source AVFENCE_LABEL_OWN if found
 *
 * A value too long to be a level name is kept truncated: it cannot match a
 * level, so it is treated as unknown (the highest level).
 *
 * Return: 0 if the dentry has a label, -ENODATA if not, or another error
 * from the filesystem (which the caller must treat as "no verdict").
 */
int avf_label_own(struct dentry *dentry, struct avf_label *label)
{
	ssize_t len;

	len = __vfs_getxattr(dentry, d_inode(dentry), AVFENCE_XATTR_NAME,
			     label->name, sizeof(label->name));
	if (len == -ERANGE)
		len = sizeof(label->name);	/* over-long: unknown level */
	if (len < 0)
		return len == -EOPNOTSUPP ? -ENODATA : (int)len;
	label->len = len;
	label->source = AVFENCE_LABEL_OWN;
	return 0;
}

/* Filesystems whose labels and inode numbers the kernel itself keeps. */
static bool local_fs(const struct super_block *sb)
{
	return (sb->s_type->fs_flags & FS_REQUIRES_DEV) ||
	       sb->s_magic == TMPFS_MAGIC;
}

/**
 * avf_label_ino_stable - does @sb keep an object's inode number?
 * @sb: a filesystem
 *
 * vfat and exFAT number inodes in memory as they are read, so the number
 * a "label" line was resolved to can change when the inode is evicted;
 * FUSE daemons number them as they like.  Labels inside such filesystems
 * could be lost or land on another file: only their mount root, which the
 * kernel's mount tree identifies, may be labelled.
 *
 * Return: true if an inode number names the same object while mounted.
 */
bool avf_label_ino_stable(const struct super_block *sb)
{
	switch (sb->s_magic) {
	case MSDOS_SUPER_MAGIC:
	case EXFAT_SUPER_MAGIC:
	case FUSE_SUPER_MAGIC:
		return false;
	}
	return true;
}

/*
 * The directory that @mnt is mounted on, if @d is the root of @mnt: the
 * root of its filesystem, or the directory a bind mount (or a mount of a
 * server's subdirectory) starts at.
 */
static bool mountpoint_of(struct dentry *d, struct vfsmount *mnt,
			  struct avf_subject_key *key)
{
	struct avf_policy *policy;
	struct path up;
	bool found = false;

	if (!mnt || mnt->mnt_sb != d->d_sb || mnt->mnt_root != d)
		return false;
	rcu_read_lock();
	policy = rcu_dereference(avf_policy);
	found = policy && policy->nlabels;
	rcu_read_unlock();
	if (!found)
		return false;	/* nothing to match: skip the mount lock */
	found = false;
	up.mnt = mnt;
	up.dentry = d;
	path_get(&up);
	if (follow_up(&up) && d_really_is_positive(up.dentry)) {
		*key = avf_key_of_inode(d_inode(up.dentry));
		found = true;
	}
	path_put(&up);
	return found;
}

/* Fill @label with the policy label @pl: under rcu_read_lock(). */
static void set_policy_label(const struct avf_policy *policy,
			     const struct avf_plabel *pl,
			     struct avf_label *label)
{
	const char *name = policy->levels.name[pl->level];

	label->len = strlen(name);
	memcpy(label->name, name, label->len);
	label->source = AVFENCE_LABEL_POLICY;
}

/*
 * Does a mount of @d's filesystem on a labelled mount point cover all of
 * it, wherever its roots are reached?  A mount of the filesystem's root
 * does.  So does any mount of a filesystem a server describes: two
 * exports of one NFS server filesystem share a client super block, and
 * what one mount shows the other may show too.  A bind mount of a local
 * subdirectory covers only what is reached through it.
 */
static bool mount_adopts(const struct dentry *d)
{
	return IS_ROOT(d) || !local_fs(d->d_sb);
}

/*
 * Filesystems mounted on labelled mount points are adopted when they are
 * mounted, not only when a walk first reaches their root through that
 * mount: two exports of one NFS server filesystem share a client super
 * block, and until the higher-labelled mount had been reached the other
 * showed its files at the lower label.  mount(2) passes the mount point to
 * security_sb_mount() and then, in the same call, the new super block to
 * security_sb_kern_mount() (do_new_mount_fc()): the first records the
 * mount point for the calling task when it is labelled, the second adopts
 * the super block with that label.  move_mount(2) (fsmount() trees, moved
 * mounts) passes both at once; mount --move and --bind are adopted from
 * security_sb_mount() (adopt_source()).  An adoption only ever raises a label, so
 * a record left behind (a mount that failed before it had a super block)
 * can only deny: every mount(2) overwrites its task's record first.
 */
#define AVF_MOUNTS_PENDING 16

struct avf_mount_pending {
	const struct task_struct *task;
	struct avf_subject_key mp;
};

static struct avf_mount_pending avf_pending[AVF_MOUNTS_PENDING];
static unsigned int avf_pending_next;
static DEFINE_SPINLOCK(avf_pending_lock);

/* Is @mp a labelled mount point? */
static bool mp_labelled(const struct avf_subject_key *mp)
{
	struct avf_policy *policy;
	bool adopted = false, found;

	rcu_read_lock();
	policy = rcu_dereference(avf_policy);
	found = policy && avf_policy_label_mp(policy, 0, false, mp, &adopted);
	rcu_read_unlock();
	return found;
}

/* Adopt filesystem @dev mounted on @mp (at its root if @sb_root). */
static void adopt_at(dev_t dev, bool sb_root, const struct avf_subject_key *mp)
{
	struct avf_policy *policy;
	bool adopted = false;

	rcu_read_lock();
	policy = rcu_dereference(avf_policy);
	if (policy)
		avf_policy_label_mp(policy, dev, sb_root, mp, &adopted);
	rcu_read_unlock();
	if (adopted)
		avf_label_changed();
}

/*
 * mount --move and mount --bind: the hook has the source only as the
 * name the kernel resolves next (do_move_mount_old(), do_loopback()).
 * Resolve it the same way and adopt what is attached as a walk through
 * it would.  Should the name change in between, or the mount fail, a
 * filesystem was adopted needlessly: that can only deny.
 */
static void adopt_source(const char *dev_name, const struct avf_subject_key *mp)
{
	struct path from;

	if (!dev_name || kern_path(dev_name, LOOKUP_FOLLOW, &from))
		return;
	adopt_at(from.dentry->d_sb->s_dev, mount_adopts(from.dentry), mp);
	path_put(&from);
}

/**
 * avf_label_mount_begin - a mount(2) call is about to mount on @path
 * @dev_name: its source
 * @path: the mount point
 * @flags: its MS_* flags
 *
 * Context: process context, from security_sb_mount().
 */
void avf_label_mount_begin(const char *dev_name, const struct path *path,
			   unsigned long flags)
{
	const unsigned long not_new = MS_REMOUNT | MS_BIND | MS_MOVE |
		MS_SHARED | MS_PRIVATE | MS_SLAVE | MS_UNBINDABLE;
	struct avf_subject_key mp;
	bool labelled = false;
	unsigned int i, at = AVF_MOUNTS_PENDING;

	if (!(flags & (MS_REMOUNT | MS_SHARED | MS_PRIVATE | MS_SLAVE |
		       MS_UNBINDABLE)) && d_really_is_positive(path->dentry)) {
		mp = avf_key_of_inode(d_inode(path->dentry));
		labelled = mp_labelled(&mp);
	}
	if (labelled && (flags & (MS_BIND | MS_MOVE)))
		adopt_source(dev_name, &mp);
	if (flags & not_new)
		labelled = false;
	if (!labelled && !READ_ONCE(avf_pending_next))
		return;		/* nothing recorded yet: no lock */
	spin_lock(&avf_pending_lock);
	for (i = 0; i < AVF_MOUNTS_PENDING; i++) {
		if (avf_pending[i].task == current) {
			avf_pending[i].task = NULL;
			at = i;
		}
	}
	if (labelled) {
		if (at == AVF_MOUNTS_PENDING) {
			/* Full: the oldest goes (its mount is covered at
			 * its first walk only, as before).
			 */
			at = avf_pending_next % AVF_MOUNTS_PENDING;
			WRITE_ONCE(avf_pending_next, avf_pending_next + 1);
		}
		avf_pending[at].task = current;
		avf_pending[at].mp = mp;
	}
	spin_unlock(&avf_pending_lock);
}

/**
 * avf_label_mount_sb - the super block of a new mount, before it is added
 * @sb: the super block
 *
 * Context: process context, from security_sb_kern_mount().
 */
void avf_label_mount_sb(const struct super_block *sb)
{
	struct avf_subject_key mp;
	bool found = false;
	unsigned int i;

	if (!READ_ONCE(avf_pending_next))
		return;
	spin_lock(&avf_pending_lock);
	for (i = 0; i < AVF_MOUNTS_PENDING; i++) {
		if (avf_pending[i].task == current) {
			avf_pending[i].task = NULL;
			mp = avf_pending[i].mp;
			found = true;
		}
	}
	spin_unlock(&avf_pending_lock);
	if (found)
		adopt_at(sb->s_dev, true, &mp);
}

/**
 * avf_label_mount_move - the mount at @from is attached at @to
 * @from: the root of a mount (move_mount(2) moves whole mounts)
 * @to: the mount point
 *
 * Context: process context, from security_move_mount().
 */
void avf_label_mount_move(const struct path *from, const struct path *to)
{
	struct avf_subject_key mp;

	if (from->dentry != from->mnt->mnt_root ||
	    !d_really_is_positive(to->dentry))
		return;
	mp = avf_key_of_inode(d_inode(to->dentry));
	adopt_at(from->dentry->d_sb->s_dev, mount_adopts(from->dentry), &mp);
}

/*
 * Merge the policy's label of @d into @label, which holds a label of @d
 * already (its xattr, or an earlier merge) if @have is true: the higher
 * of the two counts, the one held on a tie.  With @mp, @d is the root of
 * a mount on @mp and the label of that mount point is merged.
 * Return: true if @label now holds a label.
 */
static bool merge_policy(struct dentry *d, const struct avf_subject_key *mp,
			 struct avf_label *label, bool have)
{
	const struct avf_plabel *pl = NULL;
	struct avf_subject_key key;
	struct avf_policy *policy;
	bool adopted = false, unknown;
	struct inode *inode = d_inode(d);

	key = avf_key_of_inode(inode);
	rcu_read_lock();
	policy = rcu_dereference(avf_policy);
	if (policy && mp)
		pl = avf_policy_label_mp(policy, key.dev, mount_adopts(d), mp,
					 &adopted);
	else if (policy)
		pl = avf_policy_label_find(policy, &key, IS_ROOT(d));
	if (pl && have &&
	    pl->level <= avf_label_level(&policy->levels, label->name,
					 label->len, &unknown))
		pl = NULL;	/* the label held is as high: it stands */
	if (pl) {
		set_policy_label(policy, pl, label);
		have = true;
	}
	rcu_read_unlock();
	/* A filesystem newly covered: directory labels cached without it. */
	if (adopted)
		avf_label_changed();
	return have;
}

/*
 * The policy's label of @d and, if @d is the root of @mnt, of the mount
 * point @mnt is mounted on: the higher of them and of @label (held if
 * @have).  Through a mount on a labelled mount point nothing is below
 * that mount point's label, however else its files are reached.
 * Return: true if @label now holds a label.
 */
static bool merge_policy_at(struct dentry *d, struct vfsmount *mnt,
			    struct avf_label *label, bool have)
{
	struct avf_subject_key mp;

	have = merge_policy(d, NULL, label, have);
	if (mountpoint_of(d, mnt, &mp))
		have = merge_policy(d, &mp, label, have);
	return have;
}

/*
 * The policy's floor for a filesystem a server or daemon describes, seen
 * through @mnt (if known): its root's label and that of the root of @mnt
 * and of @mnt's mount point.  Return: 0, or -ENODATA.
 */
static int label_at_root_policy(struct dentry *root, struct vfsmount *mnt,
				struct avf_label *label)
{
	bool have = merge_policy(root, NULL, label, false);

	if (mnt && mnt->mnt_sb == root->d_sb)
		have = merge_policy_at(mnt->mnt_root, mnt, label, have);
	return have ? 0 : -ENODATA;
}

/*
 * The label of @d itself, from its xattr or the policy; @mnt, if known,
 * is the mount it was reached through.  Return: 0, -ENODATA, or an error
 * from the filesystem.
 */
static int label_at(struct dentry *d, struct vfsmount *mnt,
		    struct avf_label *label)
{
	int err = avf_label_own(d, label);

	if (err && err != -ENODATA)
		return err;
	return merge_policy_at(d, mnt, label, !err) ? 0 : -ENODATA;
}

/*
 * Effective labels, cached: of directories (whose labels their
 * descendants inherit), per CPU, and of the files themselves, in one
 * table for all CPUs (struct avf_file_slot).
 *
 * A directory's entry is valid only while nothing that could change it
 * has happened: no directory's label was set or removed, no policy was
 * loaded (avf_label_epoch, bumped after the change is visible) and no
 * dentry moved anywhere (the dcache's rename_lock sequence, bumped by
 * every d_move).  A file's entry is valid on the same conditions, and
 * while its own label has not changed: a label set or removed on a file
 * (not a directory) only bumps the counter its inode hashes to in
 * avf_own_gen[], so that labelling one file leaves the labels cached for
 * the others.  A walk that overlapped a change is not cached.  Entries
 * are matched by dentry, parent and inode identity (address, superblock,
 * number, generation) and by the mount the walk came through, never
 * dereferenced: the root of a mount on a labelled mount point takes that
 * label through that mount only (merge_policy_at()), so a label computed
 * through one mount says nothing of another.  Every change to the mount
 * tree (a mount, a move, an unmount) bumps the kernel's mount_lock
 * sequence, which an entry is stamped with too.  Filesystems whose labels can
 * change behind the kernel's back (FUSE, network filesystems) are not
 * cached.
 */
#define CACHE_BITS 7	/* 128 slots: percpu allocations stop at 32 KiB */
#define FILE_SET_BITS 11		/* 2,048 sets of 8 files, for all CPUs */
#define FILE_WAYS 8
#define OWN_GEN_BITS 10
#define WALK_CACHED_MAX 16

struct avf_dir_id {
	const struct dentry *dentry;
	const struct dentry *parent;	/* files only */
	const struct inode *inode;
	const struct vfsmount *mnt;	/* the walk's, or NULL */
	const struct super_block *sb;
	unsigned long ino;
	u32 generation;
};

/*
 * What an entry was computed under: an entry is valid only if nothing
 * changed since.  @own is 0 for directories.
 */
struct avf_stamp {
	u64 epoch;
	unsigned int rename_seq;
	unsigned int mount_seq;
	unsigned int own;
};

struct avf_cache_slot {
	struct avf_dir_id id;
	struct avf_stamp stamp;
	struct avf_label label;
};

/*
 * The file cache: one table for every CPU, so that an anti-virus scan of
 * more files than a per-CPU table holds finds them cached on its next
 * pass, whichever CPU it runs on.  A file's entry is one of the FILE_WAYS
 * of the set its dentry hashes to (a scan of 10,000 files fills 16,384
 * direct-mapped entries only half without collisions); a full set loses
 * a way chosen at random.  Each entry has its own sequence count: a
 * reader never waits (an entry being written is a miss) and a writer
 * skips an entry that another CPU is writing.
 *
 * @memo_gen, @memo_level: the level @e's label stands for under the
 * policy of generation @memo_gen (0: not computed yet; U32_MAX: a label
 * that names no level, above every clearance), so that
 * a hit of the fast path compares no level names
 * (avf_label_cached_within()).
 */
struct avf_file_slot {
	spinlock_t lock;	/* serialises writers of @seq */
	seqcount_spinlock_t seq;
	struct avf_cache_slot e;
	u64 memo_gen;
	u32 memo_level;
};

/* Too large for a module's static per-CPU area: allocated at load. */
static struct avf_cache_slot __percpu *avf_cache;
/*
 * @hint: each way's dentry, written with it, so that a lookup finds the
 * way in one cache line (only a hint: the way's own entry decides).
 */
struct avf_file_set {
	const struct dentry *hint[FILE_WAYS];
	struct avf_file_slot way[FILE_WAYS];
};

static struct avf_file_set *avf_file_cache;
static atomic64_t avf_label_epoch = ATOMIC64_INIT(1);
static atomic_t avf_own_gen[1 << OWN_GEN_BITS];
seqlock_t *avf_mount_lock __ro_after_init;

/**
 * avf_label_changed - labels may have changed anywhere
 *
 * A directory's label, or a policy's label lines, changed: every cached
 * label goes.
 *
 * Context: any; call after the change is visible to getxattr.
 */
void avf_label_changed(void)
{
	/* The new label before the epoch: pairs with stamp_valid(). */
	smp_mb__before_atomic();
	atomic64_inc(&avf_label_epoch);
}

/**
 * avf_label_changed_inode - the label of @inode may have changed
 * @inode: the inode whose security.avfence xattr was set or removed, or
 *         NULL if not known
 *
 * A file's label classifies only the file: only entries of inodes that
 * hash alike go.  A directory's label classifies what is below it.
 *
 * Context: any; call after the change is visible to getxattr.
 */
void avf_label_changed_inode(const struct inode *inode)
{
	if (!inode || S_ISDIR(inode->i_mode)) {
		avf_label_changed();
		return;
	}
	/* The new label before the counter: pairs with stamp_valid(). */
	smp_mb__before_atomic();
	atomic_inc(&avf_own_gen[hash_ptr(inode, OWN_GEN_BITS)]);
}

static bool cacheable(const struct dentry *d)
{
	return local_fs(d->d_sb);
}

static void dir_id_of(struct dentry *d, struct inode *inode,
		      const struct vfsmount *mnt, struct avf_dir_id *id)
{
	/* @parent is set for file-table entries only (file_id_of()). */
	memset(id, 0, sizeof(*id));
	id->dentry = d;
	id->inode = inode;
	id->mnt = mnt;
	id->sb = d->d_sb;
	id->ino = inode->i_ino;
	id->generation = inode->i_generation;
}

/* Read the stamp before anything it covers (the walk, the xattr). */
static void stamp_begin(struct avf_stamp *st, const struct inode *own)
{
	st->epoch = atomic64_read(&avf_label_epoch);
	st->own = own ? atomic_read(&avf_own_gen[hash_ptr(own,
							  OWN_GEN_BITS)]) : 0;
	/* Its smp_rmb() orders the reads above before those that follow. */
	st->rename_seq = read_seqbegin(&rename_lock);
	st->mount_seq = read_seqbegin(avf_mount_lock);
}

/* Did nothing that @st covers change since stamp_begin()? */
static bool stamp_valid(const struct avf_stamp *st, const struct inode *own)
{
	/* What was read (the xattr, the walk) before the stamp again. */
	smp_rmb();
	return !read_seqretry(&rename_lock, st->rename_seq) &&
	       !read_seqretry(avf_mount_lock, st->mount_seq) &&
	       atomic64_read(&avf_label_epoch) == st->epoch &&
	       (!own || atomic_read(&avf_own_gen[hash_ptr(own,
						OWN_GEN_BITS)]) == st->own);
}

/*
 * Is @slot the entry of @d (its parent @parent for an entry of the file
 * table, a directory's too; NULL for the directory cache's), @inode,
 * reached through @mnt?  The one comparison
 * of an entry's identity: the fast paths call it without building an
 * identity first, cache_get() and file_get() with one dir_id_of() built.
 */
static bool slot_is(const struct avf_cache_slot *slot, const struct dentry *d,
		    const struct dentry *parent, const struct inode *inode,
		    const struct vfsmount *mnt)
{
	return slot->id.dentry == d && slot->id.parent == parent &&
	       slot->id.inode == inode && slot->id.mnt == mnt &&
	       slot->id.sb == d->d_sb && slot->id.ino == inode->i_ino &&
	       slot->id.generation == inode->i_generation;
}

/* Was @slot computed under @st (stamp_begin()'s)? */
static bool stamp_is(const struct avf_cache_slot *slot,
		     const struct avf_stamp *st)
{
	return slot->stamp.epoch == st->epoch &&
	       slot->stamp.rename_seq == st->rename_seq &&
	       slot->stamp.mount_seq == st->mount_seq &&
	       slot->stamp.own == st->own;
}

/* A directory's entry, if it is @id's computed under @st (this CPU's). */
static bool cache_get(const struct avf_dir_id *id, const struct avf_stamp *st,
		      struct avf_label *label)
{
	struct avf_cache_slot *slot;
	bool hit;

	slot = get_cpu_ptr(avf_cache) + hash_ptr(id->dentry, CACHE_BITS);
	hit = stamp_is(slot, st) &&
	      slot_is(slot, id->dentry, id->parent, id->inode, id->mnt);
	if (hit)
		*label = slot->label;
	put_cpu_ptr(avf_cache);
	return hit;
}

static void cache_put(const struct avf_dir_id *id, const struct avf_stamp *st,
		      const struct avf_label *label)
{
	struct avf_cache_slot *slot;

	slot = get_cpu_ptr(avf_cache) + hash_ptr(id->dentry, CACHE_BITS);
	slot->id = *id;
	slot->stamp = *st;
	slot->label = *label;
	put_cpu_ptr(avf_cache);
}

/*
 * The set @dentry hashes to, and the way it tries first: each lookup and
 * each store starts at its own first way and goes round the set from
 * there, so that a dentry is usually found at the first compare, not
 * after the ways filled before it.
 */
#define FILE_WAY_BITS 3
static struct avf_file_set *file_set(const struct dentry *dentry,
				     unsigned int *first)
{
	u32 h = hash_ptr(dentry, FILE_SET_BITS + FILE_WAY_BITS);

	BUILD_BUG_ON(FILE_WAYS != 1 << FILE_WAY_BITS);
	*first = h & (FILE_WAYS - 1);
	return &avf_file_cache[h >> FILE_WAY_BITS];
}

/*
 * An entry's sequence, read as a reader that never waits: the bare
 * seqcount_t, as a seqcount_spinlock_t reader that finds a write in
 * progress takes the lock on PREEMPT_RT.  Writers hold @lock.
 */
static unsigned int file_seq(const struct avf_file_slot *s)
{
	return raw_read_seqcount(&s->seq.seqcount);
}

static bool file_seq_changed(const struct avf_file_slot *s, unsigned int seq)
{
	return read_seqcount_retry(&s->seq.seqcount, seq);
}

/* The way that holds @dentry's entry, if any does. */
static struct avf_file_slot *file_find(const struct dentry *dentry)
{
	unsigned int i, first, w;
	struct avf_file_set *set = file_set(dentry, &first);

	for (i = 0; i < FILE_WAYS; i++) {
		w = (first + i) & (FILE_WAYS - 1);
		if (READ_ONCE(set->hint[w]) == dentry)
			return &set->way[w];
	}
	return NULL;
}

/*
 * A file's entry, if it is @id's computed under @st.  A reader never
 * waits: an entry that another CPU is writing is a miss.
 */
static bool file_get(const struct avf_dir_id *id, const struct avf_stamp *st,
		     struct avf_label *label)
{
	struct avf_file_slot *s = file_find(id->dentry);
	struct avf_label found;
	unsigned int seq;

	if (!s)
		return false;
	seq = file_seq(s);
	if (seq & 1 || !stamp_is(&s->e, st) ||
	    !slot_is(&s->e, id->dentry, id->parent, id->inode, id->mnt))
		return false;
	found = s->e.label;
	if (file_seq_changed(s, seq))
		return false;
	*label = found;
	return true;
}

/*
 * Keep @label as @id's entry: in the way that holds the dentry already,
 * else a free one (from its first way on), else one at random; not if
 * another CPU is writing it.
 */
static void file_put(const struct avf_dir_id *id, const struct avf_stamp *st,
		     const struct avf_label *label)
{
	struct avf_file_slot *s = file_find(id->dentry);
	unsigned int i, first, w;
	struct avf_file_set *set = file_set(id->dentry, &first);

	for (i = 0; !s && i < FILE_WAYS; i++) {
		w = (first + i) & (FILE_WAYS - 1);
		if (!READ_ONCE(set->hint[w]))
			s = &set->way[w];
	}
	if (!s)
		s = &set->way[get_random_u32() % FILE_WAYS];
	if (!spin_trylock(&s->lock))
		return;
	write_seqcount_begin(&s->seq);
	WRITE_ONCE(set->hint[s - set->way], id->dentry);
	s->e.id = *id;
	s->e.stamp = *st;
	s->e.label = *label;
	s->memo_gen = 0;
	write_seqcount_end(&s->seq);
	spin_unlock(&s->lock);
}

/**
 * avf_label_init - allocate the label caches
 *
 * Return: 0, or -ENOMEM.
 */
int avf_label_init(void)
{
	u32 i, way;

	avf_cache = __alloc_percpu(sizeof(*avf_cache) << CACHE_BITS,
				   __alignof__(*avf_cache));
	avf_file_cache = kvcalloc(1 << FILE_SET_BITS,
				  sizeof(*avf_file_cache), GFP_KERNEL);
	if (!avf_cache || !avf_file_cache) {
		free_percpu(avf_cache);
		kvfree(avf_file_cache);
		return -ENOMEM;
	}
	for (i = 0; i < 1 << FILE_SET_BITS; i++) {
		for (way = 0; way < FILE_WAYS; way++) {
			struct avf_file_slot *s = &avf_file_cache[i].way[way];

			spin_lock_init(&s->lock);
			seqcount_spinlock_init(&s->seq, &s->lock);
		}
	}
	return 0;
}

/** avf_label_exit - free the label caches; no hook may run. */
void avf_label_exit(void)
{
	free_percpu(avf_cache);
	kvfree(avf_file_cache);
}

/*
 * The cached label of @dentry's parent, looked up without taking a
 * reference: dget_parent() and dput() write the directory's reference
 * count, a cache line shared by every task opening files in it.  The
 * child holds its parent, and dentries and inodes are freed after an RCU
 * grace period, so reading the parent's identity under rcu_read_lock() is
 * safe; a rename meanwhile makes it a miss (rename_lock sequence).
 */
static bool cached_parent(struct dentry *dentry, struct vfsmount *mnt,
			  struct avf_label *label)
{
	struct avf_cache_slot *slot;
	struct avf_stamp st;
	struct dentry *parent;
	struct inode *inode;
	bool hit = false;

	stamp_begin(&st, NULL);
	rcu_read_lock();
	parent = READ_ONCE(dentry->d_parent);
	inode = READ_ONCE(parent->d_inode);
	if (inode && cacheable(parent)) {
		/* cache_get() of dir_id_of()'s identity, compared in place. */
		slot = get_cpu_ptr(avf_cache) + hash_ptr(parent, CACHE_BITS);
		hit = slot_is(slot, parent, NULL, inode, mnt) &&
		      stamp_is(slot, &st);
		if (hit)
			*label = slot->label;
		put_cpu_ptr(avf_cache);
	}
	rcu_read_unlock();
	return hit && !read_seqretry(&rename_lock, st.rename_seq) &&
	       !read_seqretry(avf_mount_lock, st.mount_seq);
}

/* Walk up from directory @d (a reference the walk consumes). */
static int walk_dirs(struct dentry *d, struct vfsmount *mnt,
		     struct avf_label *label)
{
	struct avf_dir_id seen[WALK_CACHED_MAX], id;
	unsigned int nseen = 0, i;
	bool cache = cacheable(d);
	struct dentry *parent;
	struct avf_stamp st;
	int err;

	stamp_begin(&st, NULL);
	for (;;) {
		if (cache) {
			dir_id_of(d, d_inode(d), mnt, &id);
			if (cache_get(&id, &st, label)) {
				err = 0;
				break;
			}
			if (nseen < WALK_CACHED_MAX)
				seen[nseen++] = id;
		}
		err = label_at(d, mnt, label);
		if (err != -ENODATA)
			break;
		if (IS_ROOT(d) && (d->d_flags & DCACHE_DISCONNECTED)) {
			/*
			 * From a file handle (open_by_handle_at, an NFS
			 * export) with its ancestors not in the dcache: the
			 * directories that may classify it are unknown.
			 */
			err = -ESTALE;
			break;
		}
		if (IS_ROOT(d)) {
			label->source = AVFENCE_LABEL_DEFAULT;
			label->len = 0;
			err = 0;
			break;
		}
		parent = dget_parent(d);
		dput(d);
		d = parent;
	}
	dput(d);
	if (!err && cache && stamp_valid(&st, NULL)) {
		for (i = 0; i < nseen; i++)
			cache_put(&seen[i], &st, label);
	}
	return err;
}

/*
 * On a filesystem a server or a daemon describes, the label of its root
 * in the policy is a floor: raise @label to it.  Under the mount's root
 * only the kernel's dentry tree, not the server, decides what is below.
 */
static void policy_floor(struct dentry *dentry, struct vfsmount *mnt,
			 struct avf_label *label)
{
	struct dentry *root = dentry->d_sb->s_root;
	struct avf_label floor;
	struct avf_policy *policy;
	bool unknown, higher = true;

	if (local_fs(dentry->d_sb) || !root)
		return;
	if (label_at_root_policy(root, mnt, &floor))
		return;
	rcu_read_lock();
	policy = rcu_dereference(avf_policy);
	if (policy && label->source != AVFENCE_LABEL_DEFAULT)
		higher = avf_label_level(&policy->levels, floor.name,
					 floor.len, &unknown) >
			 avf_label_level(&policy->levels, label->name,
					 label->len, &unknown);
	rcu_read_unlock();
	if (higher) {
		*label = floor;
		if (dentry != root && (!mnt || dentry != mnt->mnt_root))
			label->source = AVFENCE_LABEL_POLICY_INHERITED;
	}
}

/*
 * The identity a file's entry is cached under: false if @dentry's label
 * is not cached (roots depend on where they are mounted).  A directory
 * has an entry here too, for the fast path of a tagged task listing it
 * (opendir(), getdents()), besides its entry in the directory cache that
 * walks up from below use.  Its entry goes with the same changes as a
 * file's: a label set on a directory bumps the epoch
 * (avf_label_changed_inode()), as do a load, a rename and a mount their
 * counters.  Under rcu_read_lock() or with a reference.
 */
static bool file_id_of(struct dentry *dentry, const struct vfsmount *mnt,
		       struct avf_dir_id *id)
{
	struct inode *inode = d_inode(dentry);

	if (!inode || IS_ROOT(dentry) || !cacheable(dentry))
		return false;
	dir_id_of(dentry, inode, mnt, id);
	id->parent = READ_ONCE(dentry->d_parent);
	return true;
}

/*
 * The sequence of one of the kernel's seqlocks (rename_lock, mount_lock)
 * as the fast path compares it with an entry's stamp: the bare seqcount_t,
 * never waiting as read_seqbegin() does while a write is in progress.  A
 * write in progress (odd) matches no stamp (stamp_begin() took them even
 * with read_seqbegin()): a miss, as it would be once the write is done.
 */
static unsigned int seq_now(const seqlock_t *sl)
{
	return raw_read_seqcount(&sl->seqcount.seqcount);
}

/*
 * The first hit of entry @s (read at @seq) under @policy: the level its
 * label stands for, computed from the label and kept in the entry if it
 * is still the one read.  Out of line, so that the hit path of
 * avf_label_cached_within() copies no label and needs no stack.
 * Return: as avf_label_cached_within(), for @clearance.
 */
static noinline bool memo_fill(struct avf_file_slot *s, unsigned int seq,
			       const struct avf_policy *policy, u32 clearance)
{
	struct avf_label label = s->e.label;
	bool unknown = false;
	u32 level;

	if (file_seq_changed(s, seq))
		return false;
	level = label.source == AVFENCE_LABEL_DEFAULT ?
		policy->default_level :
		avf_label_level(&policy->levels, label.name, label.len,
				&unknown);
	/* An unknown level is above every clearance. */
	if (unknown)
		level = U32_MAX;
	/* Kept for the next hit, if the entry is still the one read. */
	if (spin_trylock(&s->lock)) {
		if (!file_seq_changed(s, seq)) {
			write_seqcount_begin(&s->seq);
			s->memo_level = level;
			s->memo_gen = policy->generation;
			write_seqcount_end(&s->seq);
		}
		spin_unlock(&s->lock);
	}
	return level <= clearance;
}

/**
 * avf_label_cached_within - is a file's cached effective label within a
 * clearance?
 * @dentry: a positive dentry of a regular file or a directory, held by
 *          the caller
 * @mnt: the mount it is reached through, as avf_label_effective() had it
 * @policy: the policy in force, dereferenced under an RCU read-side
 *          critical section
 * @clearance: the level index the caller is cleared for under @policy
 *
 * What avf_label_effective() would return, without reading anything from
 * the filesystem: true only if the file's entry is cached and valid, and
 * the level its label stands for under @policy is known and no higher
 * than @clearance.  That level is computed from the entry's label once
 * per entry and policy (memo_fill()), then kept in the entry.
 *
 * Not asked again here, as file_id_of() asks before an entry is stored:
 * a root (its parent is itself, never the parent an entry was stored
 * with) and a filesystem whose labels are not cached (an entry of that
 * dentry, inode and super block was stored while they were a cacheable
 * file's, and none of them is freed and reused without the mount_lock
 * sequence moving: an unmount bumps it, and a pointer reused by a new
 * dentry or inode must still match the inode's number and generation).
 *
 * Context: an RCU read-side critical section (for @policy); never
 * sleeps or waits: a rename or a mount in progress is a miss.
 * Return: true if allowed on the cached label alone.
 */
bool notrace avf_label_cached_within(struct dentry *dentry,
				     const struct vfsmount *mnt,
				     const struct avf_policy *policy,
				     u32 clearance)
{
	struct inode *inode = d_inode(dentry);
	struct avf_file_slot *s;
	unsigned int seq;
	bool ok;

	if (!inode)
		return false;
	s = file_find(dentry);
	if (!s)
		return false;
	seq = file_seq(s);
	/*
	 * What file_get() compares, without building the identity and the
	 * stamp first: the stamp's counters in stamp_begin()'s order.
	 */
	if (seq & 1 ||
	    !slot_is(&s->e, dentry, READ_ONCE(dentry->d_parent), inode, mnt) ||
	    s->e.stamp.epoch != atomic64_read(&avf_label_epoch) ||
	    s->e.stamp.own != atomic_read(&avf_own_gen[hash_ptr(inode,
							   OWN_GEN_BITS)]) ||
	    s->e.stamp.rename_seq != seq_now(&rename_lock) ||
	    s->e.stamp.mount_seq != seq_now(avf_mount_lock))
		return false;
	if (unlikely(s->memo_gen != policy->generation))
		return memo_fill(s, seq, policy, clearance);
	ok = s->memo_level <= clearance;
	return !file_seq_changed(s, seq) && ok;
}

/*
 * The label of a file, computed (and not reported yet): the part of
 * avf_label_effective() that may read the filesystem.
 */
static int label_effective(struct dentry *dentry, struct vfsmount *mnt,
			   struct avf_label *label)
{
	int err = label_at(dentry, mnt, label);

	if (err == -ENODATA) {
		if (IS_ROOT(dentry)) {
			if (dentry->d_flags & DCACHE_DISCONNECTED)
				return -ESTALE;
			label->source = AVFENCE_LABEL_DEFAULT;
			label->len = 0;
			err = 0;
		} else if (!d_is_dir(dentry)) {
			/* The file itself is not a cached directory. */
			if (cached_parent(dentry, mnt, label))
				err = 0;
			else
				err = walk_dirs(dget_parent(dentry), mnt,
						label);
		} else {
			err = walk_dirs(dget(dentry), mnt, label);
		}
		if (!err && label->source == AVFENCE_LABEL_OWN)
			label->source = AVFENCE_LABEL_INHERITED;
		if (!err && label->source == AVFENCE_LABEL_POLICY)
			label->source = AVFENCE_LABEL_POLICY_INHERITED;
	}
	if (!err)
		policy_floor(dentry, mnt, label);
	return err;
}

/**
 * avf_label_effective - find the label that classifies a dentry
 * @dentry: a positive dentry
 * @mnt: the mount it was reached through, or NULL if unknown (then a
 *       filesystem mounted on a labelled mount point is only known to be
 *       covered once it has been seen there)
 * @label: filled in; source AVFENCE_LABEL_DEFAULT if no label was found
 *
 * The result is cached for avf_label_cached_within(), a directory's too
 * (walks up from the files below it look in the directory cache).
 *
 * Context: process context, may sleep (filesystems read xattrs from disk).
 * Return: 0, or an error on which the caller must fail closed: one from
 * the filesystem, or -ESTALE for a disconnected dentry.
 */
int avf_label_effective(struct dentry *dentry, struct vfsmount *mnt,
			struct avf_label *label)
{
	struct avf_stamp st;
	struct avf_dir_id id;
	bool cache = file_id_of(dentry, mnt, &id);
	int err;

	if (cache) {
		stamp_begin(&st, id.inode);
		if (file_get(&id, &st, label))
			return 0;
	}
	err = label_effective(dentry, mnt, label);
	if (!err && cache && stamp_valid(&st, id.inode))
		file_put(&id, &st, label);
	return err;
}

/**
 * avf_label_query - what a status request reports of a file's label
 * @path: the file
 * @q: filled in
 *
 * The one view of labels the control interface has: the file's own
 * xattr as written, where its effective label comes from, and the level
 * that label stands for under the policy in force.
 *
 * Context: process context, may sleep.
 * Return: 0, or an error from the filesystem.
 */
int avf_label_query(const struct path *path, struct avf_label_query *q)
{
	struct avf_policy *policy;
	struct avf_label label;
	bool unknown;
	u32 level;
	int err;

	memset(q, 0, sizeof(*q));
	err = avf_label_own(path->dentry, &label);
	if (!err) {
		memcpy(q->own, label.name, label.len);
		q->own[label.len] = '\0';
		q->has_own = true;
	} else if (err != -ENODATA) {
		return err;
	}
	err = avf_label_effective(path->dentry, path->mnt, &label);
	if (err)
		return err;
	q->source = label.source;
	rcu_read_lock();
	policy = rcu_dereference(avf_policy);
	if (policy) {
		if (label.source == AVFENCE_LABEL_DEFAULT)
			level = policy->default_level;
		else
			level = avf_label_level(&policy->levels, label.name,
						label.len, &unknown);
		strscpy(q->effective, policy->levels.name[level],
			sizeof(q->effective));
		q->has_effective = true;
	}
	rcu_read_unlock();
	return 0;
}
