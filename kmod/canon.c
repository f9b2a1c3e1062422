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

/*
 * The text is gathered a line (or a buffer) at a time and handed to the
 * sink in one call; a subject line came in some seven pieces before.  For
 * a 10,000-subject policy that took the canonical form from 6.9 M to 5.8 M
 * instructions in the kernel (sort keys included) and from 5.6 M to 3.6 M
 * in avfencectl.
 */
struct canon_writer {
	avf_emit_fn emit;
	void *ctx;
	size_t len;
	char buf[256];
};

/* Not an initializer: that would clear the buffer, a line's worth of work. */
static void w_init(struct canon_writer *w, avf_emit_fn emit, void *ctx)
{
	w->emit = emit;
	w->ctx = ctx;
	w->len = 0;
}

static void w_flush(struct canon_writer *w)
{
	if (w->len)
		w->emit(w->ctx, w->buf, w->len);
	w->len = 0;
}

static void w_put(struct canon_writer *w, const char *s, size_t len)
{
	if (len > sizeof(w->buf) - w->len) {
		w_flush(w);
		if (len > sizeof(w->buf)) {
			w->emit(w->ctx, s, len);
			return;
		}
	}
	memcpy(w->buf + w->len, s, len);
	w->len += len;
}

static void w_str(struct canon_writer *w, const char *s)
{
	w_put(w, s, strlen(s));
}

/* avf_canon_plain()'s table (canon.h). */
const bool avf_canon_plain_byte[256] = {
	/* '!' to '~' but '#' (0x23), ',' (0x2c), '=' (0x3d), '\\' (0x5c) */
	[0x21 ... 0x22] = true, [0x24 ... 0x2b] = true, [0x2d ... 0x3c] = true,
	[0x3e ... 0x5b] = true, [0x5d ... 0x7e] = true,
};

/*
 * Runs of plain bytes are copied in one piece; a byte for which
 * avf_canon_plain() is false becomes "\ooo" (three octal digits: "\040"
 * a blank, "\012" a newline, "\134" a backslash).
 */
static void w_path(struct canon_writer *w, const char *path)
{
	const unsigned char *p = (const unsigned char *)path, *run;
	char esc[4];

	for (;;) {
		for (run = p; avf_canon_plain(*p); p++)
			;
		w_put(w, (const char *)run, p - run);
		if (!*p)
			return;
		esc[0] = '\\';
		esc[1] = '0' + (*p >> 6);
		esc[2] = '0' + ((*p >> 3) & 7);
		esc[3] = '0' + (*p & 7);
		w_put(w, esc, sizeof(esc));
		p++;
	}
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
	struct canon_writer w;
	u32 i;

	w_init(&w, emit, ctx);
	w_str(&w, "avfence-policy 2\nlevels");
	for (i = 0; i < levels->count; i++) {
		w_put(&w, " ", 1);
		w_str(&w, levels->name[i]);
	}
	w_str(&w, "\ndefault ");
	w_str(&w, levels->name[default_level]);
	w_put(&w, "\n", 1);
	w_flush(&w);
}

/*
 * " WORD=E1,E2" for a non-empty list, already sorted and unique; each
 * entry escaped like a path (a ',' in one would be "\054").
 */
static void w_list(struct canon_writer *w, const char *word,
		   const char *const *v, u32 n)
{
	u32 i;

	for (i = 0; i < n; i++) {
		if (i)
			w_put(w, ",", 1);
		else
			w_str(w, word);
		w_path(w, v[i]);
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
 * backslash); the others stand for themselves.
 */
void avf_canon_path(const char *path, avf_emit_fn emit, void *ctx)
{
	struct canon_writer w;

	w_init(&w, emit, ctx);
	w_path(&w, path);
	w_flush(&w);
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
	struct canon_writer w;
	const char *sep = " allow=";
	u32 flag;

	w_init(&w, emit, ctx);
	w_put(&w, "subject ", 8);
	w_path(&w, path);
	w_put(&w, " ", 1);
	w_str(&w, clearance);
	/* Lowest flag first: the canonical order of the words. */
	for (flag = 1; allow && (flag & __AVFENCE_ALLOW_ALL); flag <<= 1) {
		if (allow & flag) {
			w_str(&w, sep);
			w_str(&w, avf_allow_name(flag));
			sep = ",";
		}
	}
	w_list(&w, " write=", lists->write, lists->nwrite);
	w_list(&w, " connect=", lists->connect, lists->nconnect);
	w_put(&w, "\n", 1);
	w_flush(&w);
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
	struct canon_writer w;

	w_init(&w, emit, ctx);
	w_put(&w, "label ", 6);
	w_path(&w, path);
	w_put(&w, " ", 1);
	w_str(&w, level);
	w_put(&w, "\n", 1);
	w_flush(&w);
}
