/* SPDX-License-Identifier: GPL-2.0 */
/*
 * avfencectl: all-or-nothing changes of the security.avfence xattr over a
 * set of paths: collect (and walk) first, snapshot the old values, apply,
 * and on the first failure put back what was already changed.  Every file
 * is reached from the path named on the command line without following a
 * symbolic link or crossing a mount, and must still be the file the walk
 * found (device and inode), so a tree changed meanwhile is never left.
 */
#ifndef _AVFENCECTL_LABELSET_H
#define _AVFENCECTL_LABELSET_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

/* A path named on the command line, as found when it was added. */
struct label_root {
	char *path;
	size_t rel_off;		/* where a target's part below it starts */
	dev_t dev;
	ino_t ino;
};

struct label_target {
	char *path;		/* for messages: the root's path, "/", rel */
	size_t root;		/* index in roots */
	bool below;		/* below the root (else the root itself) */
	dev_t dev;		/* the file found by the walk */
	ino_t ino;
	bool had_old;		/* an xattr existed before */
	char *old;		/* its raw value */
	size_t old_len;
};

struct labelset {
	const char *cmd;	/* command name, for messages */
	struct label_target *v;
	size_t nr;
	size_t alloc;
	struct label_root *roots;
	size_t nr_roots;
	int root_fd;		/* O_PATH fd of roots[root_fd_of], */
	size_t root_fd_of;	/* if root_fd_open */
	bool root_fd_open;
	unsigned int errors;	/* problems found while collecting */
	unsigned int skipped_mounts;
	unsigned int skipped_links;
};

int labelset_add(struct labelset *ls, const char *path, bool recursive);
int labelset_snapshot(struct labelset *ls);
int labelset_apply(struct labelset *ls, const char *value);
void labelset_free(struct labelset *ls);

#ifdef AVF_TEST_HOOKS
/* Unit tests: called before the walk enters the directory @path. */
extern void (*labelset_walk_hook)(const char *path);
#endif

#endif /* _AVFENCECTL_LABELSET_H */
