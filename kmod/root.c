// SPDX-License-Identifier: GPL-2.0
/*
 * avfence: do two tasks see the same root directory?
 *
 * Asked by the ptrace check (door.c: a /proc/PID/root link of a task
 * rooted where current is) and by the event queue (event.c: may the work
 * item, rooted at init_fs, format current's paths).
 */

#include <linux/fs_struct.h>
#include <linux/path.h>
#include <linux/seqlock.h>

#include "common.h"

/* @fs's root, read for comparison only (no reference taken). */
static void root_of(struct fs_struct *fs, struct path *root)
{
	unsigned int seq;

	do {
		seq = read_seqcount_begin(&fs->seq);
		*root = fs->root;
	} while (read_seqcount_retry(&fs->seq, seq));
}

/**
 * avf_same_root - have @a and @b the same root directory?
 * @a: an fs_struct, kept alive by the caller
 * @b: another, likewise
 *
 * Each root is read whole (under @fs->seq) but the two not at one
 * instant: a chroot() racing the call may go either way, as it would
 * a moment earlier or later.
 *
 * Context: process context; sleeps not.
 * Return: true if @a and @b share their root (or are one fs_struct).
 */
bool avf_same_root(struct fs_struct *a, struct fs_struct *b)
{
	struct path ra, rb;

	if (a == b)
		return true;
	root_of(a, &ra);
	root_of(b, &rb);
	return path_equal(&ra, &rb);
}
