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
 *
 * No symbolic link is ever followed below a path named on the command
 * line, even one swapped in meanwhile: the walk is fd-relative (openat
 * O_NOFOLLOW, checked against fstatat), and every later read or write
 * reopens the file beneath its root with openat2(RESOLVE_BENEATH |
 * RESOLVE_NO_SYMLINKS | RESOLVE_NO_XDEV) as an O_PATH fd that must still
 * be the file walked (device and inode), then goes through
 * /proc/self/fd/N (the *xattr() calls on an fd refuse O_PATH fds, and
 * opening the file itself would open device nodes and FIFOs and tell a
 * watching agent).  A change found is an error: nothing, or everything
 * done so far undone.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/xattr.h>
#include <unistd.h>

#include "avfencectl.h"
#include "labelset.h"
#include "uapi/avfence.h"

#ifdef AVF_TEST_HOOKS
void (*labelset_walk_hook)(const char *path);
#define walk_hook(path)					\
	do {						\
		if (labelset_walk_hook)			\
			labelset_walk_hook(path);	\
	} while (0)
#else
#define walk_hook(path) do { } while (0)
#endif

static int push(struct labelset *ls, char *path, size_t root, bool below,
		const struct stat *st)
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
	t->root = root;
	t->below = below;
	t->dev = st->st_dev;
	t->ino = st->st_ino;
	ls->nr++;
	return 0;
}

static bool same_file(const struct stat *a, dev_t dev, ino_t ino)
{
	return a->st_dev == dev && a->st_ino == ino;
}

/*
 * Walk the directory @dfd (consumed), found at @dpath: push everything
 * below it, pre-order, without following links or leaving @dev.  Each
 * subdirectory is opened relative to its parent with O_NOFOLLOW and must
 * be the directory just stat()ed, so a directory swapped for a link (or
 * for another directory) while the walk runs is reported, not followed.
 */
static int walk(struct labelset *ls, size_t root, int dfd, const char *dpath,
		dev_t dev)
{
	const char *sep = dpath[strlen(dpath) - 1] == '/' ? "" : "/";
	struct dirent *de;
	int ret = 0;
	DIR *d;

	d = fdopendir(dfd);
	if (!d) {
		fprintf(stderr, "%s: %s: %s: cannot read directory: %s\n",
			prog, ls->cmd, dpath, strerror(errno));
		close(dfd);
		ls->errors++;
		return 0;
	}
	while (!ret) {
		bool descend = false;
		struct stat st, dst;
		char *path;
		int fd;

		errno = 0;
		de = readdir(d);
		if (!de) {
			if (errno) {
				fprintf(stderr, "%s: %s: %s: cannot read directory: %s\n",
					prog, ls->cmd, dpath, strerror(errno));
				ls->errors++;
			}
			break;
		}
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		if (asprintf(&path, "%s%s%s", dpath, sep, de->d_name) < 0) {
			ret = -ENOMEM;
			break;
		}
		if (fstatat(dirfd(d), de->d_name, &st, AT_SYMLINK_NOFOLLOW)) {
			fprintf(stderr, "%s: %s: %s: cannot stat: %s\n", prog,
				ls->cmd, path, strerror(errno));
			ls->errors++;
		} else if (S_ISLNK(st.st_mode)) {
			/* Labels on links are never consulted: opens follow them. */
			ls->skipped_links++;
		} else if (st.st_dev != dev) {
			/* Labels are inherited only within one file system. */
			fprintf(stderr, "%s: %s: note: not descending into %s (another file system)\n",
				prog, ls->cmd, path);
			ls->skipped_mounts++;
		} else {
			ret = push(ls, path, root, true, &st);
			descend = !ret && S_ISDIR(st.st_mode);
		}
		if (descend) {
			walk_hook(path);
			fd = openat(dirfd(d), de->d_name, O_RDONLY | O_DIRECTORY |
				    O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
			if (fd < 0 && errno != ELOOP && errno != ENOTDIR) {
				fprintf(stderr, "%s: %s: %s: cannot read directory: %s\n",
					prog, ls->cmd, path, strerror(errno));
				ls->errors++;
			} else if (fd < 0 || fstat(fd, &dst) ||
				   !same_file(&dst, st.st_dev, st.st_ino)) {
				fprintf(stderr, "%s: %s: %s: changed during the walk (not followed)\n",
					prog, ls->cmd, path);
				ls->errors++;
				if (fd >= 0)
					close(fd);
			} else {
				ret = walk(ls, root, fd, path, dev);
			}
		}
		free(path);
	}
	closedir(d);
	return ret;
}

static int add_root(struct labelset *ls, const char *path, const struct stat *st)
{
	struct label_root *r;

	r = realloc(ls->roots, (ls->nr_roots + 1) * sizeof(*r));
	if (!r)
		return -ENOMEM;
	ls->roots = r;
	r = &ls->roots[ls->nr_roots];
	r->path = strdup(path);
	if (!r->path)
		return -ENOMEM;
	r->rel_off = strlen(path) + (path[strlen(path) - 1] == '/' ? 0 : 1);
	r->dev = st->st_dev;
	r->ino = st->st_ino;
	ls->nr_roots++;
	return 0;
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
	int fd, dfd, ret;

	fd = open(path, O_PATH | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0 || fstat(fd, &st)) {
		fprintf(stderr, "%s: %s: %s: %s\n", prog, ls->cmd, path,
			strerror(errno));
		ls->errors++;
		if (fd >= 0)
			close(fd);
		return 0;
	}
	if (S_ISLNK(st.st_mode)) {
		fprintf(stderr,
			"%s: %s: %s: is a symbolic link; name its target instead\n",
			prog, ls->cmd, path);
		ls->errors++;
		close(fd);
		return 0;
	}
	ret = add_root(ls, path, &st);
	if (!ret)
		ret = push(ls, (char *)path, ls->nr_roots - 1, false, &st);
	if (ret || !recursive || !S_ISDIR(st.st_mode)) {
		close(fd);
		return ret;
	}
	dfd = openat(fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	close(fd);
	if (dfd < 0) {
		fprintf(stderr, "%s: %s: %s: cannot read directory: %s\n",
			prog, ls->cmd, path, strerror(errno));
		ls->errors++;
		return 0;
	}
	return walk(ls, ls->nr_roots - 1, dfd, path, st.st_dev);
}

static const char *open_error(int err)
{
	switch (err) {
	case ELOOP:
	case EXDEV:
	case ENOTDIR:
	case ESTALE:
		return "changed since the walk (now another file, or reached through a link or mount); not followed";
	case EPERM:
		return "Operation not permitted (security.* xattrs need CAP_SYS_ADMIN)";
	}
	return strerror(err);
}

/*
 * Open target @t as an O_PATH file descriptor: from its root (which must
 * still be the file named on the command line), beneath it with no link
 * and no mount crossed (openat2 RESOLVE_*), and still the file the walk
 * found.  O_PATH opens nothing: no device driver's open, no read access
 * and no open event for a watching agent.  Returns the fd or -errno.
 */
static int target_open(struct labelset *ls, const struct label_target *t)
{
	const struct label_root *r = &ls->roots[t->root];
	struct open_how how = {
		.flags = O_PATH | O_NOFOLLOW | O_CLOEXEC,
		.resolve = RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS |
			   RESOLVE_NO_XDEV,
	};
	struct stat st;
	int fd;

	if (!ls->root_fd_open || ls->root_fd_of != t->root) {
		if (ls->root_fd_open)
			close(ls->root_fd);
		ls->root_fd_open = false;
		fd = open(r->path, O_PATH | O_NOFOLLOW | O_CLOEXEC);
		if (fd < 0)
			return -errno;
		if (fstat(fd, &st) || !same_file(&st, r->dev, r->ino)) {
			close(fd);
			return -ESTALE;
		}
		ls->root_fd = fd;
		ls->root_fd_of = t->root;
		ls->root_fd_open = true;
	}
	if (t->below)
		fd = syscall(SYS_openat2, ls->root_fd, t->path + r->rel_off,
			     &how, sizeof(how));
	else
		fd = fcntl(ls->root_fd, F_DUPFD_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	if (fstat(fd, &st) || !same_file(&st, t->dev, t->ino)) {
		close(fd);
		return -ESTALE;
	}
	return fd;
}

/* The xattr calls take a path: this one names exactly the open file. */
static void fd_path(char *buf, size_t size, int fd)
{
	snprintf(buf, size, "/proc/self/fd/%d", fd);
}

/* Read the current raw value of open file @fd; *had = false if none. */
static int read_label(int fd, char **val, size_t *len, bool *had)
{
	char buf[AVFENCE_LEVEL_NAME_MAX * 4], p[32];
	ssize_t n;

	*had = false;
	*val = NULL;
	*len = 0;
	fd_path(p, sizeof(p), fd);
	n = getxattr(p, AVFENCE_XATTR_NAME, buf, sizeof(buf));
	if (n < 0 && errno == ERANGE) {
		/* Someone stored something long; keep it whole for undo. */
		n = getxattr(p, AVFENCE_XATTR_NAME, NULL, 0);
		if (n < 0)
			return -errno;
		*val = malloc(n ? n : 1);
		if (!*val)
			return -ENOMEM;
		n = getxattr(p, AVFENCE_XATTR_NAME, *val, n);
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
	struct stat st;
	int bad = 0;
	size_t i;

	if (ls->nr && stat("/proc/self/fd", &st)) {
		fprintf(stderr, "%s: %s: /proc/self/fd: %s (labels are written through it, so that no link is followed)\n",
			prog, ls->cmd, strerror(errno));
		return ls->nr;
	}
	for (i = 0; i < ls->nr; i++) {
		struct label_target *t = &ls->v[i];
		int fd = target_open(ls, t);
		int ret = fd;

		if (fd >= 0) {
			ret = read_label(fd, &t->old, &t->old_len,
					 &t->had_old);
			close(fd);
		}
		if (fd < 0)
			fprintf(stderr, "%s: %s: %s: %s\n", prog, ls->cmd,
				t->path, open_error(-fd));
		else if (ret == -EOPNOTSUPP)
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

static int set_or_remove(struct labelset *ls, const struct label_target *t,
			 const char *value, size_t len)
{
	int fd = target_open(ls, t);
	char p[32];
	int ret = 0;

	if (fd < 0)
		return fd;
	fd_path(p, sizeof(p), fd);
	if (value) {
		if (setxattr(p, AVFENCE_XATTR_NAME, value, len, 0))
			ret = -errno;
	} else if (removexattr(p, AVFENCE_XATTR_NAME) && errno != ENODATA) {
		ret = -errno;
	}
	close(fd);
	return ret;
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
		ret = set_or_remove(ls, &ls->v[done], value,
				    value ? strlen(value) : 0);
		if (ret)
			break;
	}
	if (!ret)
		return 0;

	fprintf(stderr, "%s: %s: %s: %s\n", prog, ls->cmd, ls->v[done].path,
		open_error(-ret));
	for (i = done; i-- > 0;) {
		const struct label_target *t = &ls->v[i];
		int r;

		if (!value && !t->had_old)
			continue;	/* was left alone */
		r = set_or_remove(ls, t, t->had_old ? t->old : NULL,
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
	for (i = 0; i < ls->nr_roots; i++)
		free(ls->roots[i].path);
	free(ls->roots);
	ls->roots = NULL;
	ls->nr_roots = 0;
	if (ls->root_fd_open)
		close(ls->root_fd);
	ls->root_fd_open = false;
}
