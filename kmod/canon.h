/* SPDX-License-Identifier: GPL-2.0 */
/*
 * avfence: the canonical form of a policy, whose SHA-256 is its digest.
 *
 * Shared by the module and avfencectl, so that `avfencectl check` prints
 * the digest the kernel will report for the same policy on any host.
 */
#ifndef _AVFENCE_CANON_H
#define _AVFENCE_CANON_H

#include "decide.h"

/* Receives the canonical form, a line (or a long line in parts) a call. */
typedef void (*avf_emit_fn)(void *ctx, const char *s, size_t len);

extern const bool avf_canon_plain_byte[256];

/*
 * Whether byte @c stands for itself in a canonical path; every other byte
 * is written as a backslash and three octal digits (avf_canon_path()).
 * Plain: the printable ASCII bytes '!' to '~' except '#' (comments), '\'
 * (the escape), ',' and '=' (lists and options: "allow=F,F").  A table
 * (canon.c): a path is scanned a byte at a time, and one load costs less
 * than six comparisons.
 */
static inline bool avf_canon_plain(unsigned char c)
{
	return avf_canon_plain_byte[c];
}

void avf_canon_path(const char *path, avf_emit_fn emit, void *ctx);

/**
 * struct avf_canon_lists - the list options of one subject
 * @write: write= directories, sorted bytewise (strcmp), no duplicates
 * @nwrite: entries in @write
 * @connect: connect= entries, sorted the same way
 * @nconnect: entries in @connect
 */
struct avf_canon_lists {
	const char *const *write;
	u32 nwrite;
	const char *const *connect;
	u32 nconnect;
};

void avf_canon_header(const struct avf_levels *levels, u32 default_level,
		      avf_emit_fn emit, void *ctx);
void avf_canon_subject(const char *path, const char *clearance, u32 allow,
		       const struct avf_canon_lists *lists,
		       avf_emit_fn emit, void *ctx);
void avf_canon_label(const char *path, const char *level, avf_emit_fn emit,
		     void *ctx);

#endif /* _AVFENCE_CANON_H */
