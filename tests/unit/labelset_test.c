// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of userspace/labelset.c, `avfencectl label/unlabel -R`, on a
 * real tree under $TMPDIR (or /tmp): the walk and the writes stay inside
 * the tree named even when a directory is swapped for a symbolic link (or
 * a file for another) while the walk runs or between walk and write.
 * Needs security.* xattrs on that file system (root on ext4 or tmpfs);
 * skipped otherwise.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/xattr.h>
#include <unistd.h>

#include "labelset.h"
#include "uapi/avfence.h"
#include "unit.h"


static char swap_dir[PATH_MAX], swap_to[PATH_MAX];

/* Move directory @dir aside (@dir.moved) and put a link to @to there. */
static int swap_for_link(const char *dir, const char *to)
{
	char moved[PATH_MAX + 8];

	snprintf(moved, sizeof(moved), "%s.moved", dir);
	return rename(dir, moved) || symlink(to, dir) ? -1 : 0;
}

/* The race, made deterministic: swap @swap_dir for a link to @swap_to. */
static void swap_hook(const char *path)
{
	if (!strcmp(path, swap_dir) && swap_for_link(swap_dir, swap_to))
		abort();
}

static void put(const char *dir, const char *name)
{
	char p[PATH_MAX];
	int fd;

	snprintf(p, sizeof(p), "%s/%s", dir, name);
	fd = open(p, O_WRONLY | O_CREAT | O_EXCL, 0644);
	if (fd < 0)
		abort();
	close(fd);
}

/* The label on @dir/@name, "" if none, "?" if it cannot be read. */
static const char *label_of(const char *dir, const char *name)
{
	static char v[64];
	char p[PATH_MAX];
	ssize_t n;

	snprintf(p, sizeof(p), "%s/%s", dir, name);
	n = lgetxattr(p, AVFENCE_XATTR_NAME, v, sizeof(v) - 1);
	if (n < 0)
		return errno == ENODATA ? "" : "?";
	v[n] = 0;
	return v;
}

/* What cmd_label.c's run() does: collect, snapshot, apply, all or none. */
static int label_tree(const char *path, const char *value,
		      struct labelset *ls)
{
	if (labelset_add(ls, path, true))
		return -ENOMEM;
	if (ls->errors)
		return -EINVAL;
	if (labelset_snapshot(ls))
		return -EIO;
	return labelset_apply(ls, value);
}

/*
 * top/in/{a/f,b,fifo,link->../out}, top/out/f (outside the tree labelled).
 */
FIXTURE(tree) {
	char top[64], in[96], out[96], a[128];
};

FIXTURE_SETUP(tree)
{
	const char *tmp = getenv("TMPDIR");
	char p[PATH_MAX];

	snprintf(self->top, sizeof(self->top), "%s/avf-labelset-XXXXXX",
		 tmp && *tmp ? tmp : "/tmp");
	ASSERT_NE(NULL, mkdtemp(self->top));
	snprintf(self->in, sizeof(self->in), "%s/in", self->top);
	snprintf(self->out, sizeof(self->out), "%s/out", self->top);
	snprintf(self->a, sizeof(self->a), "%s/a", self->in);
	ASSERT_EQ(0, mkdir(self->in, 0755));
	ASSERT_EQ(0, mkdir(self->out, 0755));
	ASSERT_EQ(0, mkdir(self->a, 0755));
	put(self->a, "f");
	put(self->in, "b");
	put(self->out, "f");
	snprintf(p, sizeof(p), "%s/fifo", self->in);
	ASSERT_EQ(0, mkfifo(p, 0600));
	snprintf(p, sizeof(p), "%s/link", self->in);
	ASSERT_EQ(0, symlink("../out", p));
	if (setxattr(self->out, AVFENCE_XATTR_NAME, "X", 1, 0) ||
	    removexattr(self->out, AVFENCE_XATTR_NAME))
		SKIP(return, "no %s xattrs on %s: %s", AVFENCE_XATTR_NAME,
		     self->top, strerror(errno));
	labelset_walk_hook = NULL;
}

FIXTURE_TEARDOWN(tree)
{
	char cmd[128];

	labelset_walk_hook = NULL;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", self->top);
	if (system(cmd))
		TH_LOG("cannot remove %s", self->top);
}

/* The plain case: directories, files and the FIFO labelled, links not. */
TEST_F(tree, labels_whole_tree_only)
{
	struct labelset ls = { .cmd = "label" };

	EXPECT_EQ(0, label_tree(self->in, "SECRET", &ls));
	EXPECT_EQ(5, ls.nr);
	EXPECT_EQ(1, ls.skipped_links);
	labelset_free(&ls);
	EXPECT_STREQ("SECRET", label_of(self->in, ""));
	EXPECT_STREQ("SECRET", label_of(self->in, "a"));
	EXPECT_STREQ("SECRET", label_of(self->in, "a/f"));
	EXPECT_STREQ("SECRET", label_of(self->in, "b"));
	EXPECT_STREQ("SECRET", label_of(self->in, "fifo"));
	EXPECT_STREQ("", label_of(self->out, ""));
	EXPECT_STREQ("", label_of(self->out, "f"));

	ls = (struct labelset){ .cmd = "unlabel" };
	EXPECT_EQ(0, label_tree(self->in, NULL, &ls));
	labelset_free(&ls);
	EXPECT_STREQ("", label_of(self->in, "a/f"));
	EXPECT_STREQ("", label_of(self->in, "fifo"));
}

/* in/a becomes a link to ../out just before the walk enters it. */
TEST_F(tree, dir_swapped_for_link_during_walk)
{
	struct labelset ls = { .cmd = "label" };

	snprintf(swap_dir, sizeof(swap_dir), "%s", self->a);
	snprintf(swap_to, sizeof(swap_to), "%s", self->out);
	labelset_walk_hook = swap_hook;
	EXPECT_NE(0, label_tree(self->in, "SECRET", &ls));
	labelset_free(&ls);
	EXPECT_STREQ("", label_of(self->out, "f"));
	EXPECT_STREQ("", label_of(self->out, ""));
	/* All or nothing: the rest of the tree is left alone too. */
	EXPECT_STREQ("", label_of(self->in, "b"));
}

/* in/a becomes a link to ../out after the walk, before the writes. */
TEST_F(tree, dir_swapped_for_link_before_write)
{
	struct labelset ls = { .cmd = "label" };

	ASSERT_EQ(0, labelset_add(&ls, self->in, true));
	ASSERT_EQ(0, ls.errors);
	ASSERT_EQ(0, swap_for_link(self->a, self->out));
	EXPECT_NE(0, labelset_snapshot(&ls))
		labelset_apply(&ls, "SECRET");
	labelset_free(&ls);
	EXPECT_STREQ("", label_of(self->out, "f"));
	EXPECT_STREQ("", label_of(self->out, ""));
}

/* in/a/f is replaced by a hard link to out/f after the walk. */
TEST_F(tree, file_replaced_before_write)
{
	struct labelset ls = { .cmd = "label" };
	char f[160], g[160];

	ASSERT_EQ(0, labelset_add(&ls, self->in, true));
	ASSERT_EQ(0, labelset_snapshot(&ls));
	snprintf(f, sizeof(f), "%s/f", self->a);
	snprintf(g, sizeof(g), "%s/f", self->out);
	ASSERT_EQ(0, unlink(f));
	ASSERT_EQ(0, link(g, f));
	EXPECT_NE(0, labelset_apply(&ls, "SECRET"));
	labelset_free(&ls);
	EXPECT_STREQ("", label_of(self->out, "f"));
	EXPECT_STREQ("", label_of(self->in, "b"));
}

/*
 * The directory named itself is swapped for a link after the walk.  (Once
 * the snapshot has opened it, the writes go to the directory walked,
 * wherever it was moved.)
 */
TEST_F(tree, top_swapped_for_link_after_walk)
{
	struct labelset ls = { .cmd = "label" };

	ASSERT_EQ(0, labelset_add(&ls, self->a, true));
	ASSERT_EQ(0, swap_for_link(self->a, self->out));
	EXPECT_NE(0, labelset_snapshot(&ls))
		labelset_apply(&ls, "SECRET");
	labelset_free(&ls);
	EXPECT_STREQ("", label_of(self->out, ""));
	EXPECT_STREQ("", label_of(self->out, "f"));
}

TEST_HARNESS_MAIN
