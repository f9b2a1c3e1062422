// SPDX-License-Identifier: GPL-2.0
/*
 * avfence: the canonical form of a policy.
 *
 *	avfence-policy 1\n
 *	levels L0 L1 ... Ln\n		lowest first, single spaces
 *	default D\n
 *	subject PATH CLEARANCE[ allow=F1,F2]\n	one per subject, sorted by
 *					PATH (bytewise), flags in a fixed order
 *
 * The mode is not part of it: it can change without a new policy and is
 * reported on its own.  Paths are as written in the policy, not resolved,
 * so the form (and its digest) is the same on every host.
 */
#ifdef __KERNEL__
#include <linux/string.h>
#else
#include <string.h>
#endif

#include "canon.h"

static void emit_str(avf_emit_fn emit, void *ctx, const char *s)
{
	emit(ctx, s, strlen(s));
}

/**
 * avf_canon_header - emit the lines before the subjects
 * @levels: the ladder
 * @default_level: index of the default level
 * @emit: receives the text
 * @ctx: passed to @emit
 */
void avf_canon_header(const struct avf_levels *levels, u32 default_level,
		      avf_emit_fn emit, void *ctx)
{
	u32 i;

	emit_str(emit, ctx, "avfence-policy 1\nlevels");
	for (i = 0; i < levels->count; i++) {
		emit_str(emit, ctx, " ");
		emit_str(emit, ctx, levels->name[i]);
	}
	emit_str(emit, ctx, "\ndefault ");
	emit_str(emit, ctx, levels->name[default_level]);
	emit_str(emit, ctx, "\n");
}

/**
 * avf_canon_subject - emit one subject line; call in order of path
 * @path: the path as written in the policy
 * @clearance: its clearance level name
 * @allow: AVFENCE_ALLOW_* flags
 * @emit: receives the text
 * @ctx: passed to @emit
 */
void avf_canon_subject(const char *path, const char *clearance, u32 allow,
		       avf_emit_fn emit, void *ctx)
{
	const char *sep = " allow=";
	u32 flag;

	emit_str(emit, ctx, "subject ");
	emit_str(emit, ctx, path);
	emit_str(emit, ctx, " ");
	emit_str(emit, ctx, clearance);
	/* Lowest flag first: the canonical order of the words. */
	for (flag = 1; flag & __AVFENCE_ALLOW_ALL; flag <<= 1) {
		if (allow & flag) {
			emit_str(emit, ctx, sep);
			emit_str(emit, ctx, avf_allow_name(flag));
			sep = ",";
		}
	}
	emit_str(emit, ctx, "\n");
}
