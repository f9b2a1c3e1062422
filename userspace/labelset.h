/* SPDX-License-Identifier: GPL-2.0 */
/*
 * avfencectl: all-or-nothing changes of the security.avfence xattr over a
 * set of paths: collect (and walk) first, snapshot the old values, apply,
 * and on the first failure put back what was already changed.
 */
#ifndef _AVFENCECTL_LABELSET_H
#define _AVFENCECTL_LABELSET_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

struct label_target {
	char *path;
	bool had_old;		/* an xattr existed before */
	char *old;		/* its raw value */
	size_t old_len;
};

struct labelset {
	const char *cmd;	/* command name, for messages */
	struct label_target *v;
	size_t nr;
	size_t alloc;
	unsigned int errors;	/* problems found while collecting */
	unsigned int skipped_mounts;
	unsigned int skipped_links;
};

int labelset_add(struct labelset *ls, const char *path, bool recursive);
int labelset_snapshot(struct labelset *ls);
int labelset_apply(struct labelset *ls, const char *value);
void labelset_free(struct labelset *ls);

#endif /* _AVFENCECTL_LABELSET_H */
