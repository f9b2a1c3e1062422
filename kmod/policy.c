// SPDX-License-Identifier: GPL-2.0
/*
 * avfence: the policy object.
 *
 * A policy is built completely, validated by netlink.c, and only then
 * published with one rcu_assign_pointer(), so a reader sees either the old
 * policy or the new one, never a mix.  Readers never take a lock.
 */
#include <crypto/hash.h>
#include <linux/hash.h>
#include <linux/log2.h>
#include <linux/percpu.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/string.h>

#include "canon.h"
#include "policy.h"

struct avf_policy __rcu *avf_policy;
/* Serialises policy loads, mode changes and the lock. */
DEFINE_MUTEX(avf_config_lock);
/* Set once by AVFENCE_CMD_LOCK, never cleared: read without the lock. */
bool avf_locked;

static u64 avf_generation;

/*
 * Subject paths are copied into chunks of at least a page, not one
 * allocation each: a 10,000-subject load made (and the next load freed)
 * 10,000 small strings, about a tenth of the kernel's part of the load.
 */
#define PATH_CHUNK_SIZE (PAGE_SIZE - sizeof(struct avf_path_chunk))

struct avf_path_chunk {
	struct avf_path_chunk *next;
	size_t used;
	size_t size;
	char data[];
};

/* A copy of @path, freed with the policy; NULL if memory is short. */
static const char *policy_path_dup(struct avf_policy *policy,
				   const char *path)
{
	struct avf_path_chunk *c = policy->path_chunks;
	size_t len = strlen(path) + 1;
	char *p;

	if (!c || c->size - c->used < len) {
		size_t size = max_t(size_t, len, PATH_CHUNK_SIZE);

		c = kmalloc(struct_size(c, data, size), GFP_KERNEL);
		if (!c)
			return NULL;
		c->used = 0;
		c->size = size;
		c->next = policy->path_chunks;
		policy->path_chunks = c;
	}
	p = c->data + c->used;
	memcpy(p, path, len);
	c->used += len;
	return p;
}

static u32 key_hash(const struct avf_subject_key *key, u32 bits)
{
	return hash_64(((u64)key->dev << 32) ^ key->ino, bits);
}

/**
 * avf_policy_alloc - allocate an empty policy with room for subjects
 * @nsubjects: how many subjects will be added
 * @nlabels: how many "label" lines will be added
 *
 * Return: the policy, or NULL on allocation failure.
 */
struct avf_policy *avf_policy_alloc(u32 nsubjects, u32 nlabels)
{
	struct avf_policy *policy;
	u32 nbuckets;

	policy = kzalloc(sizeof(*policy), GFP_KERNEL);
	if (!policy)
		return NULL;
	/* About one subject per bucket; hash_64() needs at least one bit. */
	policy->capacity = nsubjects;
	policy->hash_bits = nsubjects > 2 ?
			    ilog2(roundup_pow_of_two(nsubjects)) : 1;
	nbuckets = 1U << policy->hash_bits;
	policy->buckets = kvcalloc(nbuckets, sizeof(*policy->buckets),
				   GFP_KERNEL);
	/*
	 * Not zeroed: avf_policy_add_subject() sets every field of each
	 * entry it adds, and nothing reads past nsubjects.  Clearing them
	 * (880 KB for 10,000) is a byte at a time in the benchmark VM, whose
	 * TCG counts each iteration of a rep stosb as an instruction.
	 */
	policy->subjects = kvmalloc_array(max(nsubjects, 1U),
					  sizeof(*policy->subjects), GFP_KERNEL);
	policy->level_stats = alloc_percpu(struct avf_level_stats);
	policy->label_capacity = nlabels;
	policy->label_bits = nlabels > 2 ? ilog2(roundup_pow_of_two(nlabels)) : 1;
	policy->labels = kvcalloc(max(nlabels, 1U), sizeof(*policy->labels),
				  GFP_KERNEL);
	policy->label_buckets = kvcalloc(1U << policy->label_bits,
					 sizeof(*policy->label_buckets),
					 GFP_KERNEL);
	policy->mp_buckets = kvcalloc(1U << policy->label_bits,
				      sizeof(*policy->mp_buckets), GFP_KERNEL);
	spin_lock_init(&policy->adopt_lock);
	if (!policy->buckets || !policy->subjects || !policy->level_stats ||
	    !policy->labels || !policy->label_buckets || !policy->mp_buckets) {
		avf_policy_free(policy);
		return NULL;
	}
	return policy;
}

/**
 * avf_policy_free - free a policy that no reader can see any more
 * @policy: the policy, or NULL
 */
void avf_policy_free(struct avf_policy *policy)
{
	u32 i;

	if (!policy)
		return;
	for (i = 0; i < policy->nsubjects; i++)
		avf_subject_lists_free(&policy->subjects[i].lists);
	while (policy->path_chunks) {
		struct avf_path_chunk *c = policy->path_chunks;

		policy->path_chunks = c->next;
		kfree(c);
	}
	kvfree(policy->subjects);
	kvfree(policy->buckets);
	for (i = 0; policy->labels && i < policy->nlabels; i++)
		kfree(policy->labels[i].path);
	kvfree(policy->labels);
	kvfree(policy->label_buckets);
	kvfree(policy->mp_buckets);
	free_percpu(policy->level_stats);
	kfree(policy);
}

/**
 * avf_policy_find - look a binary up among the subjects
 * @policy: the policy
 * @key: identity of the binary
 *
 * Return: the subject, or NULL if the binary is not a subject.
 */
const struct avf_subject *avf_policy_find(const struct avf_policy *policy,
					  const struct avf_subject_key *key)
{
	const struct avf_subject *subject;
	const struct hlist_head *head;

	head = &policy->buckets[key_hash(key, policy->hash_bits)];
	hlist_for_each_entry(subject, head, node) {
		if (subject->key.dev == key->dev && subject->key.ino == key->ino)
			return subject;
	}
	return NULL;
}

/**
 * avf_subject_lists_free - free what a &struct avf_subject_lists holds
 * @lists: the lists; left empty
 */
void avf_subject_lists_free(struct avf_subject_lists *lists)
{
	u32 i;

	if (!lists->write && !lists->write_key && !lists->connect)
		goto out;
	if (lists->write)
		for (i = 0; i < lists->nwrite; i++)
			kfree(lists->write[i]);
	if (lists->connect)
		for (i = 0; i < lists->nconnect; i++)
			kfree(lists->connect[i]);
	kfree(lists->write);
	kfree(lists->write_key);
	kfree(lists->connect);
out:
	memset(lists, 0, sizeof(*lists));
}

/**
 * avf_subject_write_dir - is a directory one of a subject's write= dirs?
 * @subject: the subject
 * @dir: identity of the directory
 *
 * Return: true if @dir is the very directory one of its write= entries
 * resolved to at load.
 */
bool avf_subject_write_dir(const struct avf_subject *subject,
			   const struct avf_subject_key *dir)
{
	const struct avf_subject_lists *l = &subject->lists;
	u32 i;

	for (i = 0; i < l->nwrite; i++)
		if (l->write_key[i].ino == dir->ino &&
		    l->write_key[i].dev == dir->dev)
			return true;
	return false;
}

/**
 * avf_subject_connect_listed - does a subject list a socket in connect=?
 * @subject: the subject
 * @name: "/path" of a socket file or "@name" of an abstract socket,
 *	spelled as avf_connect_name_valid() demands
 *
 * Return: true if @name is one of its connect= entries, byte for byte.
 */
bool avf_subject_connect_listed(const struct avf_subject *subject,
				const char *name)
{
	const struct avf_subject_lists *l = &subject->lists;
	u32 lo = 0, hi = l->nconnect;

	/* Sorted bytewise at load: binary search. */
	while (lo < hi) {
		u32 mid = lo + (hi - lo) / 2;
		int r = strcmp(name, l->connect[mid]);

		if (!r)
			return true;
		if (r < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return false;
}

/**
 * avf_policy_add_subject - add a subject to a policy being built
 * @policy: the unpublished policy, allocated for enough subjects
 * @path: the path the subject was named by (copied)
 * @key: identity of the binary
 * @clearance: its clearance
 * @allow: AVFENCE_ALLOW_* flags
 * @lists: its write= and connect= lists; moved into the policy on
 *	success and freed on failure, left empty either way
 *
 * Return: 0, -EEXIST if the same binary is already a subject, -E2BIG if the
 * policy is full, or -ENOMEM.
 */
int avf_policy_add_subject(struct avf_policy *policy, const char *path,
			   const struct avf_subject_key *key, u32 clearance,
			   u32 allow, struct avf_subject_lists *lists)
{
	struct avf_subject *subject;
	int err = -EEXIST;

	if (avf_policy_find(policy, key))
		goto out_free;
	err = -E2BIG;
	if (policy->nsubjects >= policy->capacity)
		goto out_free;
	subject = &policy->subjects[policy->nsubjects];
	err = -ENOMEM;
	subject->path = policy_path_dup(policy, path);
	if (!subject->path)
		goto out_free;
	subject->key = *key;
	subject->clearance = clearance;
	subject->allow = allow;
	subject->lists = *lists;
	memset(lists, 0, sizeof(*lists));
	hlist_add_head(&subject->node,
		       &policy->buckets[key_hash(key, policy->hash_bits)]);
	policy->nsubjects++;
	return 0;

out_free:
	avf_subject_lists_free(lists);
	return err;
}

static u32 ino_hash(unsigned long ino, u32 bits)
{
	return hash_long(ino, bits);
}

static bool same_key(const struct avf_subject_key *a,
		     const struct avf_subject_key *b)
{
	return a->dev == b->dev && a->ino == b->ino;
}

/**
 * avf_policy_add_label - add a "label" line to a policy being built
 * @policy: the unpublished policy, allocated for enough labels
 * @path: the path as written (copied)
 * @level: the level it gives
 * @obj: identity of the object the path resolved to
 * @mp: identity of the mount point a filesystem mounted at @path would
 *      be mounted on, or NULL (the root of the namespace)
 * @mount_root: @obj is the root of a mounted filesystem
 *
 * Return: 0, -EEXIST if an earlier label names the same object, -E2BIG if
 * the policy is full, or -ENOMEM.
 */
int avf_policy_add_label(struct avf_policy *policy, const char *path,
			 u32 level, const struct avf_subject_key *obj,
			 const struct avf_subject_key *mp, bool mount_root)
{
	struct hlist_head *head;
	struct avf_plabel *pl;

	head = &policy->label_buckets[ino_hash(obj->ino, policy->label_bits)];
	hlist_for_each_entry(pl, head, node) {
		if (same_key(&pl->obj, obj))
			return -EEXIST;
	}
	if (policy->nlabels >= policy->label_capacity)
		return -E2BIG;
	pl = &policy->labels[policy->nlabels];
	pl->path = kstrdup(path, GFP_KERNEL);
	if (!pl->path)
		return -ENOMEM;
	pl->level = level;
	pl->obj = *obj;
	pl->mount_root = mount_root;
	pl->root = U32_MAX;
	pl->has_mp = mp;
	if (mp) {
		pl->mp = *mp;
		hlist_add_head(&pl->mp_node,
			       &policy->mp_buckets[ino_hash(mp->ino,
							    policy->label_bits)]);
	}
	hlist_add_head(&pl->node,
		       &policy->label_buckets[ino_hash(obj->ino,
						       policy->label_bits)]);
	policy->nlabels++;
	return 0;
}

/* The label index whose mount root filesystem @dev is, or U32_MAX. */
static u32 adopted_label(const struct avf_policy *policy, dev_t dev)
{
	u32 i, slot = hash_32(dev, ilog2(AVF_ADOPT_SLOTS));
	u64 v;

	for (i = 0; i < AVF_ADOPT_SLOTS; i++) {
		v = READ_ONCE(policy->adopted[(slot + i) % AVF_ADOPT_SLOTS]);
		if (!v)
			break;
		if ((dev_t)(v >> 32) == dev)
			return (u32)v - 1;
	}
	return U32_MAX;
}

/*
 * Record that filesystem @dev is covered by label @idx, unless it is
 * covered by a label at least as high already: one filesystem can be
 * mounted on several labelled mount points (two exports of one NFS server
 * filesystem share a client super block), and then its roots take the
 * highest of them, never the one seen last.  Slots are only ever filled
 * or raised, never emptied, so a lockless reader that stops at an empty
 * slot misses nothing.  Return: true if this changed anything.
 */
static bool adopt(struct avf_policy *policy, dev_t dev, u32 idx)
{
	u32 i, slot = hash_32(dev, ilog2(AVF_ADOPT_SLOTS)), at;
	u64 v, want = ((u64)dev << 32) | (idx + 1);
	bool changed = false;

	spin_lock(&policy->adopt_lock);
	for (i = 0; i < AVF_ADOPT_SLOTS; i++) {
		at = (slot + i) % AVF_ADOPT_SLOTS;
		v = policy->adopted[at];
		if (v && (dev_t)(v >> 32) != dev)
			continue;
		if (v && policy->labels[(u32)v - 1].level >=
			 policy->labels[idx].level)
			break;	/* as high already: only ever raised */
		if (v != want) {
			WRITE_ONCE(policy->adopted[at], want);
			changed = true;
		}
		break;
	}
	spin_unlock(&policy->adopt_lock);
	if (i == AVF_ADOPT_SLOTS)
		pr_warn_once("too many filesystems mounted on labelled mount points: %u:%u is covered only where it is mounted there\n",
			     MAJOR(dev), MINOR(dev));
	return changed;
}

/**
 * avf_policy_labels_done - link the labels once all are added
 * @policy: the unpublished policy
 *
 * A label inside a filesystem whose root is labelled too is matched on
 * that filesystem after it is mounted again (with a new device number).
 */
void avf_policy_labels_done(struct avf_policy *policy)
{
	struct avf_plabel *pl;
	u32 i, j;

	for (i = 0; i < policy->nlabels; i++) {
		if (policy->labels[i].mount_root)
			adopt(policy, policy->labels[i].obj.dev, i);
	}
	for (i = 0; i < policy->nlabels; i++) {
		pl = &policy->labels[i];
		if (pl->mount_root)
			continue;
		for (j = 0; j < policy->nlabels; j++) {
			if (policy->labels[j].mount_root &&
			    policy->labels[j].obj.dev == pl->obj.dev) {
				pl->root = j;
				break;
			}
		}
	}
}

/* The higher of two labels, either of which may be NULL. */
static const struct avf_plabel *higher(const struct avf_plabel *a,
				       const struct avf_plabel *b)
{
	if (!a || (b && b->level > a->level))
		return b;
	return a;
}

/**
 * avf_policy_label_find - the "label" line that labels an object itself
 * @policy: the policy
 * @obj: identity of the object
 * @sb_root: the object is a root of its filesystem (IS_ROOT)
 *
 * A root of a filesystem found on labelled mount points (adopted) takes
 * the higher of its own line and theirs.
 *
 * Context: rcu_read_lock() held, or the policy unpublished.
 * Return: the label, or NULL.
 */
const struct avf_plabel *avf_policy_label_find(struct avf_policy *policy,
					       const struct avf_subject_key *obj,
					       bool sb_root)
{
	const struct avf_plabel *pl, *found = NULL;
	const struct hlist_head *head;
	u32 idx;

	if (!policy->nlabels)
		return NULL;
	head = &policy->label_buckets[ino_hash(obj->ino, policy->label_bits)];
	hlist_for_each_entry(pl, head, node) {
		if (pl->obj.ino != obj->ino)
			continue;
		if (pl->obj.dev == obj->dev ||
		    (pl->root != U32_MAX &&
		     adopted_label(policy, obj->dev) == pl->root)) {
			found = pl;
			break;
		}
	}
	if (!sb_root)
		return found;
	idx = adopted_label(policy, obj->dev);
	if (idx < policy->nlabels)
		found = higher(found, &policy->labels[idx]);
	return found;
}

/**
 * avf_policy_label_mp - the "label" line on the mount point of a mount
 * @policy: the policy
 * @dev: the filesystem mounted there
 * @sb_root: the mount's root is a root of that filesystem (IS_ROOT), not
 *           a directory inside it (a bind mount of a subdirectory)
 * @mp: identity of the directory the mount is mounted on
 * @adopted: set to true if the filesystem was newly found on a labelled
 *           mount point, or on one higher than before (cached labels
 *           must then be forgotten)
 *
 * With @sb_root the filesystem is adopted: its roots take the label
 * wherever they are reached (avf_policy_label_find()).  A bind mount of a
 * subdirectory covers only what is reached through it.
 *
 * Context: rcu_read_lock() held.
 * Return: the label, or NULL.
 */
const struct avf_plabel *avf_policy_label_mp(struct avf_policy *policy,
					     dev_t dev, bool sb_root,
					     const struct avf_subject_key *mp,
					     bool *adopted)
{
	const struct avf_plabel *pl;
	const struct hlist_head *head;

	if (!policy->nlabels)
		return NULL;
	head = &policy->mp_buckets[ino_hash(mp->ino, policy->label_bits)];
	hlist_for_each_entry(pl, head, mp_node) {
		if (!same_key(&pl->mp, mp))
			continue;
		if (sb_root)
			*adopted |= adopt(policy, dev, pl - policy->labels);
		return pl;
	}
	return NULL;
}

/*
 * Sorting subjects by path for the canonical form: 10,000 paths take about
 * 130,000 comparisons, and a strcmp() over the prefix that every path
 * shares ("/opt/av/...") made the sort most of the digest's time.  Each
 * entry therefore carries the 8 bytes that follow the prefix common to all
 * paths, big endian and zero-padded after the end, so that comparing keys
 * orders as strcmp() would (bytewise, unsigned); only equal keys fall back
 * to strcmp().
 */
struct sort_entry {
	u64 key;
	const struct avf_subject *subject;
};

static u64 path_key(const char *s)
{
	u64 key = 0;
	int i;

	for (i = 0; i < 8; i++) {
		key <<= 8;
		if (*s)
			key |= (u8)*s++;
	}
	return key;
}

static int cmp_entry(const void *a, const void *b)
{
	const struct sort_entry *x = a, *y = b;

	if (x->key != y->key)
		return x->key < y->key ? -1 : 1;
	return strcmp(x->subject->path, y->subject->path);
}

static int cmp_label(const void *a, const void *b)
{
	const struct avf_plabel *const *x = a, *const *y = b;

	return strcmp((*x)->path, (*y)->path);
}

/* Length of the prefix common to every subject path. */
static size_t common_prefix(const struct avf_policy *policy)
{
	const char *first, *p;
	size_t lcp, j;
	u32 i;

	if (!policy->nsubjects)
		return 0;
	first = policy->subjects[0].path;
	lcp = strlen(first);
	for (i = 1; i < policy->nsubjects && lcp; i++) {
		p = policy->subjects[i].path;
		for (j = 0; j < lcp && p[j] == first[j]; j++)
			;
		lcp = j;
	}
	return lcp;
}

/**
 * avf_policy_canon - emit the canonical form of a policy (canon.c)
 * @policy: the policy
 * @emit: receives the text
 * @ctx: passed to @emit
 *
 * Return: 0, or -ENOMEM.
 */
int avf_policy_canon(const struct avf_policy *policy, avf_emit_fn emit,
		     void *ctx)
{
	const struct avf_subject *subject;
	const struct avf_plabel **labels;
	struct sort_entry *sorted;
	size_t lcp;
	u32 i;

	/*
	 * avfencectl sends the subjects in this order: checked as they are,
	 * sorted by keys only if they are not.
	 */
	for (i = 1; i < policy->nsubjects; i++)
		if (strcmp(policy->subjects[i - 1].path,
			   policy->subjects[i].path) > 0)
			break;
	sorted = NULL;
	if (i < policy->nsubjects) {
		sorted = kvmalloc_array(policy->nsubjects, sizeof(*sorted),
					GFP_KERNEL);
		if (!sorted)
			return -ENOMEM;
		lcp = common_prefix(policy);
		for (i = 0; i < policy->nsubjects; i++) {
			sorted[i].subject = &policy->subjects[i];
			sorted[i].key = path_key(policy->subjects[i].path + lcp);
		}
		sort(sorted, policy->nsubjects, sizeof(*sorted), cmp_entry,
		     NULL);
	}
	labels = kvmalloc_array(max(policy->nlabels, 1U), sizeof(*labels),
				GFP_KERNEL);
	if (!labels) {
		kvfree(sorted);
		return -ENOMEM;
	}
	for (i = 0; i < policy->nlabels; i++)
		labels[i] = &policy->labels[i];
	sort(labels, policy->nlabels, sizeof(*labels), cmp_label, NULL);
	avf_canon_header(&policy->levels, policy->default_level, emit, ctx);
	for (i = 0; i < policy->nsubjects; i++) {
		struct avf_canon_lists lists;

		subject = sorted ? sorted[i].subject : &policy->subjects[i];
		lists = (struct avf_canon_lists){
			.write = (const char *const *)subject->lists.write,
			.nwrite = subject->lists.nwrite,
			.connect = (const char *const *)subject->lists.connect,
			.nconnect = subject->lists.nconnect,
		};
		avf_canon_subject(subject->path,
				  policy->levels.name[subject->clearance],
				  subject->allow, &lists, emit, ctx);
	}
	/* After all subjects, by path. */
	for (i = 0; i < policy->nlabels; i++)
		avf_canon_label(labels[i]->path,
				policy->levels.name[labels[i]->level], emit, ctx);
	kvfree(labels);
	kvfree(sorted);
	return 0;
}

/*
 * The canonical form arrives a line at a time: gathered here and hashed a
 * page at a time.  Each crypto_shash_update() of the SIMD drivers saves
 * and restores the FPU state, which 512-byte pieces paid some 660 times in
 * a 10,000-subject load.
 */
struct digest_ctx {
	struct shash_desc *desc;
	int err;
	size_t len;
	u8 buf[4096];
};

static void digest_flush(struct digest_ctx *d)
{
	if (d->len && !d->err)
		d->err = crypto_shash_update(d->desc, d->buf, d->len);
	d->len = 0;
}

static void emit_digest(void *ctx, const char *s, size_t len)
{
	struct digest_ctx *d = ctx;

	if (d->len + len > sizeof(d->buf))
		digest_flush(d);
	if (len > sizeof(d->buf)) {
		if (!d->err)
			d->err = crypto_shash_update(d->desc, (const u8 *)s,
						     len);
		return;
	}
	memcpy(d->buf + d->len, s, len);
	d->len += len;
}

/**
 * avf_policy_digest - compute the digest of a complete policy
 * @policy: the policy, not yet published
 *
 * SHA-256 by the crypto API, not lib/crypto: "sha256" is the fastest
 * implementation registered (sha256-ni or sha256-avx2 of the
 * sha256_ssse3 module when the CPU has them, which udev loads at boot by
 * its CPU-feature modalias on both kernels; sha256-generic, built into
 * Debian's kernels, otherwise).  The result is the same SHA-256 either
 * way.
 *
 * Context: process context, may sleep.
 * Return: 0, -ENOMEM, or the crypto API's error; the policy is not to be
 * loaded unless 0.
 */
int avf_policy_digest(struct avf_policy *policy)
{
	struct crypto_shash *tfm;
	struct digest_ctx *d;
	int err;

	tfm = crypto_alloc_shash("sha256", 0, 0);
	if (IS_ERR(tfm))
		return PTR_ERR(tfm);
	d = kmalloc(sizeof(*d) + sizeof(*d->desc) +
		    crypto_shash_descsize(tfm), GFP_KERNEL);
	if (!d) {
		crypto_free_shash(tfm);
		return -ENOMEM;
	}
	d->desc = (struct shash_desc *)(d + 1);
	d->desc->tfm = tfm;
	d->len = 0;
	d->err = crypto_shash_init(d->desc);
	err = avf_policy_canon(policy, emit_digest, d);
	digest_flush(d);
	err = err ?: d->err;
	if (!err)
		err = crypto_shash_final(d->desc, policy->digest);
	shash_desc_zero(d->desc);
	kfree(d);
	crypto_free_shash(tfm);
	return err;
}

/**
 * avf_policy_next_generation - the generation the next load will get
 *
 * Context: avf_config_lock held, so that it is the one replace gives.
 * Return: the generation.
 */
u64 avf_policy_next_generation(void)
{
	lockdep_assert_held(&avf_config_lock);
	return avf_generation + 1;
}

/**
 * avf_policy_publish - make a complete policy the one in force
 * @policy: the new policy; ownership passes to the policy store
 *
 * Only the store changes here: re-tagging the running tasks and freeing
 * the old policy after a grace period are the loader's (load.c), so that
 * the policy store calls nothing above it.
 *
 * Context: process context, avf_config_lock held.
 * Return: the policy replaced, or NULL; the caller frees it after a
 * grace period.
 */
struct avf_policy *avf_policy_publish(struct avf_policy *policy)
{
	lockdep_assert_held(&avf_config_lock);
	policy->generation = ++avf_generation;
	return rcu_replace_pointer(avf_policy, policy,
				   lockdep_is_held(&avf_config_lock));
}

/**
 * avf_policy_exit - free the policy at module unload
 *
 * Context: no hook can run any more.
 */
void avf_policy_exit(void)
{
	avf_policy_free(rcu_replace_pointer(avf_policy, NULL, true));
}
