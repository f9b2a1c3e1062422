// SPDX-License-Identifier: GPL-2.0
/*
 * avfence: the policy object.
 *
 * A policy is built completely, validated by netlink.c, and only then
 * published with one rcu_assign_pointer(), so a reader sees either the old
 * policy or the new one, never a mix.  Readers never take a lock.
 */
#include <crypto/sha2.h>
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

static u32 key_hash(const struct avf_subject_key *key, u32 bits)
{
	return hash_64(((u64)key->dev << 32) ^ key->ino, bits);
}

/**
 * avf_policy_alloc - allocate an empty policy with room for subjects
 * @nsubjects: how many subjects will be added
 *
 * Return: the policy, or NULL on allocation failure.
 */
struct avf_policy *avf_policy_alloc(u32 nsubjects)
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
	policy->subjects = kvcalloc(max(nsubjects, 1U),
				    sizeof(*policy->subjects), GFP_KERNEL);
	policy->level_stats = alloc_percpu(struct avf_level_stats);
	if (!policy->buckets || !policy->subjects || !policy->level_stats) {
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
		kfree(policy->subjects[i].path);
	kvfree(policy->subjects);
	kvfree(policy->buckets);
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
 * avf_policy_add_subject - add a subject to a policy being built
 * @policy: the unpublished policy, allocated for enough subjects
 * @path: the path the subject was named by (copied)
 * @key: identity of the binary
 * @clearance: its clearance
 * @allow: AVFENCE_ALLOW_* flags
 *
 * Return: 0, -EEXIST if the same binary is already a subject, -E2BIG if the
 * policy is full, or -ENOMEM.
 */
int avf_policy_add_subject(struct avf_policy *policy, const char *path,
			   const struct avf_subject_key *key, u32 clearance,
			   u32 allow)
{
	struct avf_subject *subject;

	if (avf_policy_find(policy, key))
		return -EEXIST;
	if (policy->nsubjects >= policy->capacity)
		return -E2BIG;
	subject = &policy->subjects[policy->nsubjects];
	subject->path = kstrdup(path, GFP_KERNEL);
	if (!subject->path)
		return -ENOMEM;
	subject->key = *key;
	subject->clearance = clearance;
	subject->allow = allow;
	hlist_add_head(&subject->node,
		       &policy->buckets[key_hash(key, policy->hash_bits)]);
	policy->nsubjects++;
	return 0;
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
	struct sort_entry *sorted;
	size_t lcp;
	u32 i;

	sorted = kvmalloc_array(max(policy->nsubjects, 1U), sizeof(*sorted),
				GFP_KERNEL);
	if (!sorted)
		return -ENOMEM;
	lcp = common_prefix(policy);
	for (i = 0; i < policy->nsubjects; i++) {
		sorted[i].subject = &policy->subjects[i];
		sorted[i].key = path_key(policy->subjects[i].path + lcp);
	}
	/* avfencectl sends the subjects in this order: check, then sort. */
	for (i = 1; i < policy->nsubjects; i++) {
		if (cmp_entry(&sorted[i - 1], &sorted[i]) > 0) {
			sort(sorted, policy->nsubjects, sizeof(*sorted),
			     cmp_entry, NULL);
			break;
		}
	}
	avf_canon_header(&policy->levels, policy->default_level, emit, ctx);
	for (i = 0; i < policy->nsubjects; i++) {
		subject = sorted[i].subject;
		avf_canon_subject(subject->path,
				  policy->levels.name[subject->clearance],
				  subject->allow, emit, ctx);
	}
	kvfree(sorted);
	return 0;
}

static void emit_sha256(void *ctx, const char *s, size_t len)
{
	sha256_update(ctx, (const u8 *)s, len);
}

/**
 * avf_policy_digest - compute the digest of a complete policy
 * @policy: the policy, not yet published
 *
 * Return: 0, or -ENOMEM.
 */
int avf_policy_digest(struct avf_policy *policy)
{
	struct sha256_state sha;
	int err;

	sha256_init(&sha);
	err = avf_policy_canon(policy, emit_sha256, &sha);
	sha256_final(&sha, policy->digest);
	return err;
}

/**
 * avf_policy_replace - publish a complete policy, free the old one
 * @policy: the new policy; ownership passes to the policy store
 *
 * Context: process context, avf_config_lock held.
 */
void avf_policy_replace(struct avf_policy *policy)
{
	struct avf_policy *old;

	lockdep_assert_held(&avf_config_lock);
	policy->generation = ++avf_generation;
	old = rcu_replace_pointer(avf_policy, policy,
				  lockdep_is_held(&avf_config_lock));
	/* Tasks already running a subject binary are fenced from now on. */
	avf_subject_tag_running(policy);
	/*
	 * Expedited: a normal grace period is several ticks (6-10 ms of a
	 * load in the benchmark VM); loads are rare and an administrator
	 * waits for them.
	 */
	synchronize_rcu_expedited();
	avf_policy_free(old);
	/*
	 * A fork that began before its parent was tagged above may only now
	 * have put the child in the task list: look once more.
	 */
	avf_subject_tag_running(policy);
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
