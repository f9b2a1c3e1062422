// SPDX-License-Identifier: GPL-2.0
/*
 * avfencectl: all-or-nothing xattr changes over a set of paths.
 *
 * Nothing is written until every path has been found and its current
 * label read: most failures (missing file, file system without security
 * xattrs, unreadable directory) show up before the first change.  What can
 * only fail while writing (EPERM, ENOSPC, a file removed meanwhile) makes
 * labelset_apply() undo the changes already made, newest first, so that
 * the same file listed twice ends up as it was.
 */
#include <errno.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/xattr.h>

#include "avfencectl.h"
#include "labelset.h"
#include "uapi/avfence.h"

static int push(struct labelset *ls, const char *path)
{
	struct label_target *t;

	if (ls->nr == ls->alloc) {
		size_t alloc = ls->alloc ? ls->alloc * 2 : 64;
		struct label_target *v = realloc(ls->v, alloc * sizeof(*v));

		if (!v)
			return -ENOMEM;
		ls->v = v;
		ls->alloc = alloc;
	}
	t = &ls->v[ls->nr];
	memset(t, 0, sizeof(*t));
	t->path = strdup(path);
	if (!t->path)
		return -ENOMEM;
	ls->nr++;
	return 0;
}

/* nftw() has no context argument. */
static struct labelset *walk_ls;
static dev_t walk_dev;
static int walk_err;

static int walk_cb(const char *path, const struct stat *sb, int type,
		   struct FTW *ftw)
{
	(void)ftw;
	switch (type) {
	case FTW_SL:
	case FTW_SLN:
		/* Labels on links are never consulted: opens follow them. */
		walk_ls->skipped_links++;
		return FTW_CONTINUE;
	case FTW_NS:
		fprintf(stderr, "%s: %s: %s: cannot stat: %s\n", prog,
			walk_ls->cmd, path, strerror(errno));
		walk_ls->errors++;
		return FTW_CONTINUE;
	case FTW_DNR:
		fprintf(stderr, "%s: %s: %s: cannot read directory: %s\n",
			prog, walk_ls->cmd, path, strerror(errno));
		walk_ls->errors++;
		return FTW_CONTINUE;
	}
	if (sb->st_dev != walk_dev) {
		/* Labels are inherited only within one file system. */
		fprintf(stderr, "%s: %s: note: not descending into %s (another file system)\n",
			prog, walk_ls->cmd, path);
		walk_ls->skipped_mounts++;
		return type == FTW_D ? FTW_SKIP_SUBTREE : FTW_CONTINUE;
	}
	if (push(walk_ls, path)) {
		walk_err = -ENOMEM;
		return FTW_STOP;
	}
	return FTW_CONTINUE;
}

/**
 * labelset_add - add a path given on the command line
 * @ls: the set
 * @path: the path
 * @recursive: also add everything below it (same file system, no links)
 *
 * Problems with the path are printed and counted in @ls->errors.
 *
 * Return: 0, or -ENOMEM.
 */
int labelset_add(struct labelset *ls, const char *path, bool recursive)
{
	struct stat st;

	if (lstat(path, &st)) {
		fprintf(stderr, "%s: %s: %s: %s\n", prog, ls->cmd, path,
			strerror(errno));
		ls->errors++;
		return 0;
	}
	if (S_ISLNK(st.st_mode)) {
		fprintf(stderr,
			"%s: %s: %s: is a symbolic link; name its target instead\n",
			prog, ls->cmd, path);
		ls->errors++;
		return 0;
	}
	if (!recursive || !S_ISDIR(st.st_mode))
		return push(ls, path);

	walk_ls = ls;
	walk_dev = st.st_dev;
	walk_err = 0;
	if (nftw(path, walk_cb, 32, FTW_PHYS | FTW_ACTIONRETVAL) < 0 &&
	    !walk_err) {
		fprintf(stderr, "%s: %s: %s: %s\n", prog, ls->cmd, path,
			strerror(errno));
		ls->errors++;
	}
	return walk_err;
}

/* Read the current raw value; *had = false if there is none. */
static int read_label(const char *path, char **val, size_t *len, bool *had)
{
	char buf[AVFENCE_LEVEL_NAME_MAX * 4];
	ssize_t n;

	*had = false;
	*val = NULL;
	*len = 0;
	n = lgetxattr(path, AVFENCE_XATTR_NAME, buf, sizeof(buf));
	if (n < 0 && errno == ERANGE) {
		/* Someone stored something long; keep it whole for undo. */
		n = lgetxattr(path, AVFENCE_XATTR_NAME, NULL, 0);
		if (n < 0)
			return -errno;
		*val = malloc(n ? n : 1);
		if (!*val)
			return -ENOMEM;
		n = lgetxattr(path, AVFENCE_XATTR_NAME, *val, n);
		if (n < 0) {
			int err = -errno;

			free(*val);
			*val = NULL;
			return err;
		}
		*had = true;
		*len = n;
		return 0;
	}
	if (n < 0)
		return errno == ENODATA ? 0 : -errno;
	*val = malloc(n ? n : 1);
	if (!*val)
		return -ENOMEM;
	memcpy(*val, buf, n);
	*had = true;
	*len = n;
	return 0;
}

/**
 * labelset_snapshot - remember every target's current label
 * @ls: the set
 *
 * Also proves that each file system supports security.* xattrs before
 * anything is written.
 *
 * Return: the number of targets that could not be read (each printed).
 */
int labelset_snapshot(struct labelset *ls)
{
	int bad = 0;
	size_t i;

	for (i = 0; i < ls->nr; i++) {
		struct label_target *t = &ls->v[i];
		int ret = read_label(t->path, &t->old, &t->old_len,
				     &t->had_old);

		if (ret == -EOPNOTSUPP)
			fprintf(stderr,
				"%s: %s: %s: file system does not support %s\n",
				prog, ls->cmd, t->path, AVFENCE_XATTR_NAME);
		else if (ret)
			fprintf(stderr, "%s: %s: %s: cannot read %s: %s\n",
				prog, ls->cmd, t->path, AVFENCE_XATTR_NAME,
				strerror(-ret));
		if (ret)
			bad++;
	}
	return bad;
}

static int set_or_remove(const char *path, const char *value, size_t len)
{
	if (value)
		return lsetxattr(path, AVFENCE_XATTR_NAME, value, len, 0) ?
		       -errno : 0;
	if (lremovexattr(path, AVFENCE_XATTR_NAME) && errno != ENODATA)
		return -errno;
	return 0;
}

/**
 * labelset_apply - write @value to every target, or to none
 * @ls: the set, snapshotted
 * @value: the label (without NUL), or NULL to remove labels
 *
 * Return: 0, or the negative errno of the change that failed, after
 * undoing the earlier ones and reporting what happened.
 */
int labelset_apply(struct labelset *ls, const char *value)
{
	size_t i, done, undo_failed = 0;
	int ret = 0;

	for (done = 0; done < ls->nr; done++) {
		/* Nothing to remove: don't write (it may be read-only). */
		if (!value && !ls->v[done].had_old)
			continue;
		ret = set_or_remove(ls->v[done].path, value,
				    value ? strlen(value) : 0);
		if (ret)
			break;
	}
	if (!ret)
		return 0;

	fprintf(stderr, "%s: %s: %s: %s\n", prog, ls->cmd, ls->v[done].path,
		ret == -EPERM ? "Operation not permitted (security.* xattrs need CAP_SYS_ADMIN)" :
		strerror(-ret));
	for (i = done; i-- > 0;) {
		const struct label_target *t = &ls->v[i];
		int r;

		if (!value && !t->had_old)
			continue;	/* was left alone */
		r = set_or_remove(t->path, t->had_old ? t->old : NULL,
				  t->old_len);

		if (r) {
			fprintf(stderr, "%s: %s: %s: could not restore the previous label: %s\n",
				prog, ls->cmd, t->path, strerror(-r));
			undo_failed++;
		}
	}
	if (undo_failed)
		fprintf(stderr, "%s: %s: %zu of %zu changes could not be undone\n",
			prog, ls->cmd, undo_failed, done);
	else
		fprintf(stderr, "%s: %s: nothing changed (%zu change%s undone)\n",
			prog, ls->cmd, done, done == 1 ? "" : "s");
	return ret;
}

void labelset_free(struct labelset *ls)
{
	size_t i;

	for (i = 0; i < ls->nr; i++) {
		free(ls->v[i].path);
		free(ls->v[i].old);
	}
	free(ls->v);
	ls->v = NULL;
	ls->nr = ls->alloc = 0;
}
