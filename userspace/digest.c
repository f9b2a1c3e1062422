// SPDX-License-Identifier: GPL-2.0
/*
 * avfencectl: canonical form and digest of a policy.
 *
 * The text itself comes from kmod/canon.c, compiled here as in the module;
 * what is done here is what the kernel's avf_policy_canon() does around
 * it: the subjects in order of path, compared bytewise (strcmp compares
 * as unsigned char, like the kernel's).  The mode is not part of it.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "digest.h"

static int cmp_path(const void *a, const void *b)
{
	const struct policy_subject *const *x = a, *const *y = b;

	return strcmp((*x)->path, (*y)->path);
}

/**
 * policy_canon - emit the canonical form of @pol
 * @pol: a policy that parsed without error
 * @emit: receives the text, piece by piece
 * @ctx: passed to @emit
 *
 * Return: 0 or -ENOMEM.
 */
int policy_canon(const struct policy *pol, avf_emit_fn emit, void *ctx)
{
	const struct policy_subject **sorted;
	size_t i;

	sorted = malloc((pol->nr_subjects + 1) * sizeof(*sorted));
	if (!sorted)
		return -ENOMEM;
	for (i = 0; i < pol->nr_subjects; i++)
		sorted[i] = &pol->subjects[i];
	qsort(sorted, pol->nr_subjects, sizeof(*sorted), cmp_path);
	avf_canon_header(&pol->levels, pol->default_level, emit, ctx);
	for (i = 0; i < pol->nr_subjects; i++)
		avf_canon_subject(sorted[i]->path,
				  pol->levels.name[sorted[i]->clearance],
				  sorted[i]->allow, emit, ctx);
	free(sorted);
	return 0;
}

static void emit_file(void *ctx, const char *s, size_t len)
{
	fwrite(s, 1, len, ctx);
}

/* Print the canonical form to @f: 0 or -ENOMEM. */
int policy_canon_print(const struct policy *pol, FILE *f)
{
	return policy_canon(pol, emit_file, f);
}

static void emit_sha256(void *ctx, const char *s, size_t len)
{
	sha256_update(ctx, s, len);
}

/**
 * policy_digest - SHA-256 of the canonical form of @pol
 * @pol: a policy that parsed without error
 * @out: the digest
 *
 * Return: 0 or -ENOMEM.
 */
int policy_digest(const struct policy *pol, uint8_t out[SHA256_DIGEST_SIZE])
{
	struct sha256 s;
	int ret;

	sha256_init(&s);
	ret = policy_canon(pol, emit_sha256, &s);
	sha256_final(&s, out);
	return ret;
}
