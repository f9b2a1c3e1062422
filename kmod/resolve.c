// SPDX-License-Identifier: GPL-2.0
/*
 * avfence: resolving the subject paths of a policy being loaded.
 *
 * A policy names its subjects by path, and the kernel resolves each one to
 * the binary's identity.  Large policies keep many binaries in a few
 * directories, and a full path walk per subject was most of the time of a
 * 10,000-subject load.  So the directory part of a path is walked once for
 * a run of subjects in the same directory, and only the last component is
 * looked up in it.
 *
 * The shortcut only ever confirms what a full walk would find: a positive
 * regular file with nothing mounted on it.  Anything else (a symlink to
 * follow, a mount point, ".", "..", a trailing slash, an error of any
 * kind) is resolved again by kern_path() of the whole path, whose result
 * and error are the ones reported.
 */
#include <linux/dcache.h>
#include <linux/namei.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "resolve.h"

static void forget_dir(struct avf_resolver *r)
{
	if (r->dirname) {
		path_put(&r->dir);
		kfree(r->dirname);
		r->dirname = NULL;
	}
}

/* Make @r hold the directory of the first @len bytes of @path. */
static int hold_dir(struct avf_resolver *r, const char *path, size_t len)
{
	int err;

	if (r->dirname && r->dirlen == len && !memcmp(r->dirname, path, len))
		return 0;
	forget_dir(r);
	r->dirname = kmemdup_nul(path, len ? len : 1, GFP_KERNEL);
	if (!r->dirname)
		return -ENOMEM;
	r->dirlen = len;
	err = kern_path(r->dirname, LOOKUP_FOLLOW | LOOKUP_DIRECTORY, &r->dir);
	if (err) {
		kfree(r->dirname);
		r->dirname = NULL;
	}
	return err;
}

/* The shortcut: 0 and @out set, or nonzero to walk the whole path. */
static int lookup_in_dir(struct avf_resolver *r, const char *path,
			 struct path *out)
{
	const char *base = strrchr(path, '/');
	struct dentry *dentry;
	size_t len;

	if (!base)
		return -EINVAL;
	len = strlen(++base);
	if (!len || !strcmp(base, ".") || !strcmp(base, ".."))
		return -EINVAL;
	if (hold_dir(r, path, base - 1 - path))
		return -ENOENT;
	dentry = lookup_positive_unlocked(base, r->dir.dentry, len);
	if (IS_ERR(dentry))
		return PTR_ERR(dentry);
	if (!d_is_reg(dentry) || d_mountpoint(dentry)) {
		dput(dentry);
		return -EAGAIN;
	}
	out->mnt = mntget(r->dir.mnt);
	out->dentry = dentry;
	return 0;
}

/**
 * avf_resolve - resolve an absolute path as kern_path(LOOKUP_FOLLOW) does
 * @r: state kept between calls, zeroed before the first
 * @path: the path
 * @out: set to the result, to be released with path_put()
 *
 * Context: process context, may sleep.
 * Return: 0, or kern_path()'s error for @path.
 */
int avf_resolve(struct avf_resolver *r, const char *path, struct path *out)
{
	if (!lookup_in_dir(r, path, out))
		return 0;
	return kern_path(path, LOOKUP_FOLLOW, out);
}

/**
 * avf_resolver_done - release what avf_resolve() kept
 * @r: the state
 */
void avf_resolver_done(struct avf_resolver *r)
{
	forget_dir(r);
}
