// SPDX-License-Identifier: GPL-2.0
/*
 * avfence: the canonical form of a policy.
 *
 *	avfence-policy 2\n
 *	levels L0 L1 ... Ln\n		lowest first, single spaces
 *	default D\n
 *	subject PATH CLEARANCE[ allow=F1,F2][ write=D1,D2][ connect=S1,S2]\n
 *					one per subject, sorted by PATH
 *					(bytewise), flags in a fixed order,
 *					each list sorted bytewise without
 *					duplicates, empty lists left out
 *	label PATH LEVEL\n		one per "label" line, after all
 *					subjects, sorted by PATH (bytewise)
 *
 * The mode is not part of it: it can change without a new policy and is
 * reported on its own.  Paths are as written in the policy, not resolved,
 * so the form (and its digest) is the same on every host.
 *
 * One text per policy and one policy per text: every path goes through
 * avf_canon_path(), which writes each byte the grammar uses (blanks,
 * control bytes, '#', '\', ',', '=') and every byte from 0x7f up as a
 * backslash and three octal digits, as /proc/mounts does.  An escaped path
 * is one word, and since '\' itself is escaped, two paths never give
 * the same text.  Version 1 wrote paths unescaped: "/a L1\nsubject /b" at
 * L0 read as two subjects.
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

	emit_str(emit, ctx, "avfence-policy 2\nlevels");
	for (i = 0; i < levels->count; i++) {
		emit_str(emit, ctx, " ");
		emit_str(emit, ctx, levels->name[i]);
	}
	emit_str(emit, ctx, "\ndefault ");
	emit_str(emit, ctx, levels->name[default_level]);
	emit_str(emit, ctx, "\n");
}

/*
 * " WORD=E1,E2" for a non-empty list, already sorted and unique; each
 * entry escaped like a path (a ',' in one would be "\054").
 */
static void emit_list(avf_emit_fn emit, void *ctx, const char *word,
		      const char *const *v, u32 n)
{
	u32 i;

	for (i = 0; i < n; i++) {
		emit_str(emit, ctx, i ? "," : word);
		avf_canon_path(v[i], emit, ctx);
	}
}

/**
 * avf_canon_path - emit a path (or any name) as one canonical word
 * @path: NUL-terminated, any bytes
 * @emit: receives the text
 * @ctx: passed to @emit
 *
 * A byte for which avf_canon_plain() is false becomes "\ooo" (three
 * octal digits: "\040" a blank, "\012" a newline, "\134" a
 * backslash); the others stand for themselves.  Runs of plain bytes go to
 * @emit in one piece.
 */
void avf_canon_path(const char *path, avf_emit_fn emit, void *ctx)
{
	const char *run = path, *p;

	for (p = path; *p; p++) {
		unsigned char c = *p;
		char esc[4];

		if (avf_canon_plain(c))
			continue;
		if (p > run)
			emit(ctx, run, p - run);
		esc[0] = '\\';
		esc[1] = '0' + (c >> 6);
		esc[2] = '0' + ((c >> 3) & 7);
		esc[3] = '0' + (c & 7);
		emit(ctx, esc, sizeof(esc));
		run = p + 1;
	}
	if (p > run)
		emit(ctx, run, p - run);
}

/**
 * avf_canon_subject - emit one subject line; call in order of path
 * @path: the path as written in the policy (escaped here)
 * @clearance: its clearance level name
 * @allow: AVFENCE_ALLOW_* flags
 * @lists: its write= and connect= entries, each sorted bytewise, unique
 * @emit: receives the text
 * @ctx: passed to @emit
 */
void avf_canon_subject(const char *path, const char *clearance, u32 allow,
		       const struct avf_canon_lists *lists,
		       avf_emit_fn emit, void *ctx)
{
	const char *sep = " allow=";
	u32 flag;

	emit_str(emit, ctx, "subject ");
	avf_canon_path(path, emit, ctx);
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
	emit_list(emit, ctx, " write=", lists->write, lists->nwrite);
	emit_list(emit, ctx, " connect=", lists->connect, lists->nconnect);
	emit_str(emit, ctx, "\n");
}

/**
 * avf_canon_label - emit one "label" line; call in order of path, after
 *	every subject
 * @path: the path as written in the policy
 * @level: the level name it gives
 * @emit: receives the text
 * @ctx: passed to @emit
 */
void avf_canon_label(const char *path, const char *level, avf_emit_fn emit,
		     void *ctx)
{
	emit_str(emit, ctx, "label ");
	avf_canon_path(path, emit, ctx);
	emit_str(emit, ctx, " ");
	emit_str(emit, ctx, level);
	emit_str(emit, ctx, "\n");
}
