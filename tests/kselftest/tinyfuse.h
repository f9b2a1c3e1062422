/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A tiny read-only FUSE file system for the share tests, spoken straight
 * over /dev/fuse (no libfuse: the test binaries are static and the VM has
 * no fuse3 package).  Its tree:
 *
 *	/		nodeid 1 (FUSE_ROOT_ID)
 *	/secret		"secret\n"
 *	/sub/		nodeid 3
 *	/sub/inner	"inner\n"
 *
 * With @claim, the daemon answers every getxattr of security.avfence with
 * "UNCLASSIFIED": a hostile daemon lying about its labels.
 */
#ifndef AVF_TEST_TINYFUSE_H
#define AVF_TEST_TINYFUSE_H

#include <linux/fuse.h>
#include <signal.h>
#include <sys/mount.h>
#include <sys/wait.h>

#include "common.h"

struct tinyfuse {
	pid_t pid;
};

struct tf_node {
	uint64_t id, parent;
	const char *name;
	const char *data;	/* NULL: a directory */
};

static const struct tf_node tf_nodes[] = {
	{ FUSE_ROOT_ID, 0, "", NULL },
	{ 2, FUSE_ROOT_ID, "secret", "secret\n" },
	{ 3, FUSE_ROOT_ID, "sub", NULL },
	{ 4, 3, "inner", "inner\n" },
};

static inline const struct tf_node *tf_node(uint64_t id)
{
	size_t i;

	for (i = 0; i < sizeof(tf_nodes) / sizeof(tf_nodes[0]); i++)
		if (tf_nodes[i].id == id)
			return &tf_nodes[i];
	return NULL;
}

static inline void tf_attr(const struct tf_node *n, struct fuse_attr *a)
{
	memset(a, 0, sizeof(*a));
	a->ino = n->id;
	a->mode = n->data ? S_IFREG | 0444 : S_IFDIR | 0555;
	a->nlink = n->data ? 1 : 2;
	a->size = n->data ? strlen(n->data) : 0;
	a->blksize = 4096;
}

/* Reply to @unique with @error or @len bytes of @data. */
static inline void tf_reply(int fd, uint64_t unique, int error,
			    const void *data, size_t len)
{
	char buf[8192];
	struct fuse_out_header *out = (void *)buf;

	if (len > sizeof(buf) - sizeof(*out))
		len = 0;
	out->unique = unique;
	out->error = error;
	out->len = sizeof(*out) + (error ? 0 : len);
	if (!error && len)
		memcpy(buf + sizeof(*out), data, len);
	if (write(fd, buf, out->len) < 0) {
		/* the kernel may have dropped an interrupted request */
	}
}

static inline void tf_serve(int fd, int claim)
{
	static char buf[FUSE_MIN_READ_BUFFER + 128 * 1024];
	const char *label = "UNCLASSIFIED";

	for (;;) {
		ssize_t n = read(fd, buf, sizeof(buf));
		struct fuse_in_header *in = (void *)buf;
		void *arg = buf + sizeof(*in);
		const struct tf_node *node;
		size_t i;

		if (n < 0 && (errno == EINTR || errno == EAGAIN ||
			      errno == ENOENT))
			continue;
		if (n < (ssize_t)sizeof(*in))
			_exit(0);	/* unmounted: ENODEV */
		node = tf_node(in->nodeid);
		switch (in->opcode) {
		case FUSE_INIT: {
			struct fuse_init_in *ii = arg;
			struct fuse_init_out o = {
				.major = FUSE_KERNEL_VERSION,
				.minor = ii->minor < FUSE_KERNEL_MINOR_VERSION ?
					 ii->minor : FUSE_KERNEL_MINOR_VERSION,
				.max_readahead = ii->max_readahead,
				.max_write = 65536,
				.time_gran = 1,
			};

			tf_reply(fd, in->unique, 0, &o, sizeof(o));
			break;
		}
		case FUSE_LOOKUP: {
			struct fuse_entry_out e;
			const char *name = arg;

			node = NULL;
			for (i = 0; i < sizeof(tf_nodes) / sizeof(tf_nodes[0]); i++)
				if (tf_nodes[i].parent == in->nodeid &&
				    !strcmp(tf_nodes[i].name, name))
					node = &tf_nodes[i];
			if (!node) {
				tf_reply(fd, in->unique, -ENOENT, NULL, 0);
				break;
			}
			memset(&e, 0, sizeof(e));
			e.nodeid = node->id;
			e.generation = 1;
			tf_attr(node, &e.attr);
			tf_reply(fd, in->unique, 0, &e, sizeof(e));
			break;
		}
		case FUSE_GETATTR: {
			struct fuse_attr_out a;

			if (!node) {
				tf_reply(fd, in->unique, -ENOENT, NULL, 0);
				break;
			}
			memset(&a, 0, sizeof(a));
			tf_attr(node, &a.attr);
			tf_reply(fd, in->unique, 0, &a, sizeof(a));
			break;
		}
		case FUSE_OPEN:
		case FUSE_OPENDIR: {
			struct fuse_open_out o = { .fh = in->nodeid };

			tf_reply(fd, in->unique, node ? 0 : -ENOENT, &o, sizeof(o));
			break;
		}
		case FUSE_READ: {
			struct fuse_read_in *r = arg;
			size_t len = node && node->data ? strlen(node->data) : 0;

			if (r->offset >= len) {
				tf_reply(fd, in->unique, 0, NULL, 0);
				break;
			}
			len -= r->offset;
			if (len > r->size)
				len = r->size;
			tf_reply(fd, in->unique, 0, node->data + r->offset, len);
			break;
		}
		case FUSE_GETXATTR: {
			struct fuse_getxattr_in *g = arg;
			const char *name = (const char *)(g + 1);
			struct fuse_getxattr_out go = { .size = strlen(label) };

			if (!claim || strcmp(name, "security.avfence"))
				tf_reply(fd, in->unique, -ENODATA, NULL, 0);
			else if (!g->size)
				tf_reply(fd, in->unique, 0, &go, sizeof(go));
			else if (g->size < strlen(label))
				tf_reply(fd, in->unique, -ERANGE, NULL, 0);
			else
				tf_reply(fd, in->unique, 0, label, strlen(label));
			break;
		}
		case FUSE_READDIR:	/* empty listing: nothing here needs one */
		case FUSE_RELEASE:
		case FUSE_RELEASEDIR:
		case FUSE_FLUSH:
			tf_reply(fd, in->unique, 0, NULL, 0);
			break;
		case FUSE_STATFS: {
			struct fuse_statfs_out s;

			memset(&s, 0, sizeof(s));
			s.st.bsize = 4096;
			s.st.namelen = 255;
			tf_reply(fd, in->unique, 0, &s, sizeof(s));
			break;
		}
		case FUSE_FORGET:
		case FUSE_BATCH_FORGET:
		case FUSE_INTERRUPT:
			break;		/* no reply */
		case FUSE_DESTROY:
			tf_reply(fd, in->unique, 0, NULL, 0);
			_exit(0);
		default:
			tf_reply(fd, in->unique, -ENOSYS, NULL, 0);
			break;
		}
	}
}

/* Mount the tiny file system on @dir, served by a child: 0 or -errno. */
static inline int tinyfuse_mount(const char *dir, int claim,
				 struct tinyfuse *f)
{
	char opts[128];
	int fd = open("/dev/fuse", O_RDWR | O_CLOEXEC);

	f->pid = -1;
	if (fd < 0)
		return -errno;
	snprintf(opts, sizeof(opts),
		 "fd=%d,rootmode=40000,user_id=0,group_id=0,allow_other", fd);
	if (mount("avtest", dir, "fuse.avtest", MS_NOSUID | MS_NODEV, opts)) {
		int err = -errno;

		close(fd);
		return err;
	}
	f->pid = fork();
	if (f->pid == 0)
		tf_serve(fd, claim);
	close(fd);
	return f->pid < 0 ? -errno : 0;
}

static inline void tinyfuse_umount(const char *dir, struct tinyfuse *f)
{
	umount2(dir, MNT_DETACH);
	if (f->pid > 0) {
		kill(f->pid, SIGKILL);
		waitpid(f->pid, NULL, 0);
	}
	f->pid = -1;
}

#endif /* AVF_TEST_TINYFUSE_H */
