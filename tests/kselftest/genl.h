/* SPDX-License-Identifier: GPL-2.0 */
/*
 * avfence kselftests: a minimal generic netlink client for the avfence
 * family, so that tests see the kernel's exact errno (avfencectl only
 * reports it as text and an exit status).  Plain syscalls, no libnl.
 */
#ifndef AVF_TEST_GENL_H
#define AVF_TEST_GENL_H

#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>

#include "avfence.h"

#define AVF_NL_BUF 16384

struct avf_status {
	uint32_t abi_version;
	char module_version[64];
	int policy_loaded;
	uint32_t mode;
	uint64_t generation;
	uint32_t levels;
	char default_level[AVFENCE_LEVEL_NAME_MAX];
	uint32_t subject_count;
	uint32_t tagged;
	uint64_t denied;
	uint64_t audited;
};

struct avf_label_info {
	char label[AVFENCE_LEVEL_NAME_MAX];
	int has_label;
	uint32_t source;
	char effective[AVFENCE_LEVEL_NAME_MAX];
};

struct avf_nl_req {
	struct nlmsghdr n;
	struct genlmsghdr g;
	char buf[AVF_NL_BUF];
};

static inline struct nlattr *avf_nl_put(struct nlmsghdr *n, int type,
					const void *data, size_t len)
{
	struct nlattr *a = (struct nlattr *)((char *)n + NLMSG_ALIGN(n->nlmsg_len));

	if (NLMSG_ALIGN(n->nlmsg_len) + NLA_HDRLEN + NLA_ALIGN(len) >
	    sizeof(struct avf_nl_req))
		return NULL;
	a->nla_type = type;
	a->nla_len = NLA_HDRLEN + len;
	if (len)
		memcpy((char *)a + NLA_HDRLEN, data, len);
	n->nlmsg_len = NLMSG_ALIGN(n->nlmsg_len) + NLA_ALIGN(a->nla_len);
	return a;
}

static inline struct nlattr *avf_nl_put_str(struct nlmsghdr *n, int type,
					    const char *s)
{
	return avf_nl_put(n, type, s, strlen(s) + 1);
}

static inline struct nlattr *avf_nl_put_u32(struct nlmsghdr *n, int type,
					    uint32_t v)
{
	return avf_nl_put(n, type, &v, sizeof(v));
}

static inline struct nlattr *avf_nl_nest(struct nlmsghdr *n, int type)
{
	return avf_nl_put(n, type | NLA_F_NESTED, NULL, 0);
}

static inline void avf_nl_nest_end(struct nlmsghdr *n, struct nlattr *nest)
{
	nest->nla_len = (char *)n + n->nlmsg_len - (char *)nest;
}

/* Attributes of a reply, by type (no nesting), up to max. */
static inline void avf_nl_parse(struct nlattr **tb, int max,
				const struct nlattr *a, int len)
{
	memset(tb, 0, sizeof(*tb) * (max + 1));
	while (len >= NLA_HDRLEN && a->nla_len >= NLA_HDRLEN && a->nla_len <= len) {
		int type = a->nla_type & NLA_TYPE_MASK;

		if (type <= max)
			tb[type] = (struct nlattr *)a;
		len -= NLA_ALIGN(a->nla_len);
		a = (const struct nlattr *)((const char *)a + NLA_ALIGN(a->nla_len));
	}
}

#define avf_nla_data(a) ((void *)((char *)(a) + NLA_HDRLEN))
#define avf_nla_len(a) ((a)->nla_len - NLA_HDRLEN)

/*
 * Send @req (family and command set) with NLM_F_ACK; copy the reply's
 * attribute area into @reply (if any).  Return 0 or a negative errno.
 */
static inline int avf_nl_talk(int fd, struct avf_nl_req *req,
			      char *reply, int *reply_len)
{
	static char rbuf[AVF_NL_BUF * 2];
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	static uint32_t seq = 1;
	ssize_t len;

	req->n.nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
	req->n.nlmsg_seq = ++seq;
	if (sendto(fd, req, req->n.nlmsg_len, 0, (struct sockaddr *)&sa,
		   sizeof(sa)) < 0)
		return -errno;
	for (;;) {
		struct nlmsghdr *h;

		len = recv(fd, rbuf, sizeof(rbuf), 0);
		if (len < 0)
			return -errno;
		for (h = (struct nlmsghdr *)rbuf; NLMSG_OK(h, len);
		     h = NLMSG_NEXT(h, len)) {
			if (h->nlmsg_seq != req->n.nlmsg_seq)
				continue;
			if (h->nlmsg_type == NLMSG_ERROR) {
				struct nlmsgerr *e = NLMSG_DATA(h);

				return e->error;
			}
			if (reply && reply_len) {
				int l = h->nlmsg_len - NLMSG_LENGTH(GENL_HDRLEN);

				if (l > AVF_NL_BUF)
					l = AVF_NL_BUF;
				memcpy(reply, (char *)NLMSG_DATA(h) + GENL_HDRLEN, l);
				*reply_len = l;
			}
		}
	}
}

static inline void avf_nl_init(struct avf_nl_req *req, uint16_t family,
			       uint8_t cmd, uint8_t version)
{
	memset(req, 0, sizeof(req->n) + sizeof(req->g));
	req->n.nlmsg_len = NLMSG_LENGTH(GENL_HDRLEN);
	req->n.nlmsg_type = family;
	req->g.cmd = cmd;
	req->g.version = version;
}

/*
 * Ask the generic netlink controller about the avfence family on @fd:
 * CTRL_ATTR_* attributes into @reply (AVF_NL_BUF), their length in @len.
 * Return: 0 or -errno.
 */
static inline int avf_nl_get_family(int fd, char *reply, int *len)
{
	static struct avf_nl_req req;

	avf_nl_init(&req, GENL_ID_CTRL, CTRL_CMD_GETFAMILY, 1);
	avf_nl_put_str(&req.n, CTRL_ATTR_FAMILY_NAME, AVFENCE_GENL_NAME);
	return avf_nl_talk(fd, &req, reply, len);
}

/* Open a generic netlink socket and resolve the avfence family. */
static inline int avf_nl_open(uint16_t *family)
{
	static char reply[AVF_NL_BUF];
	struct nlattr *tb[CTRL_ATTR_MAX + 1];
	int fd, err, len = 0;

	fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_GENERIC);
	if (fd < 0)
		return -errno;
	err = avf_nl_get_family(fd, reply, &len);
	if (err) {
		close(fd);
		return err;
	}
	avf_nl_parse(tb, CTRL_ATTR_MAX, (struct nlattr *)reply, len);
	if (!tb[CTRL_ATTR_FAMILY_ID]) {
		close(fd);
		return -ENOENT;
	}
	*family = *(uint16_t *)avf_nla_data(tb[CTRL_ATTR_FAMILY_ID]);
	return fd;
}

/* One request: @fill adds attributes; @reply gets the reply's attributes. */
static inline int avf_nl_do(uint8_t cmd,
			    void (*fill)(struct nlmsghdr *n, const void *arg),
			    const void *arg, char *reply, int *reply_len)
{
	static struct avf_nl_req req;
	uint16_t family = 0;
	int fd, err;

	fd = avf_nl_open(&family);
	if (fd < 0)
		return fd;
	avf_nl_init(&req, family, cmd, AVFENCE_GENL_VERSION);
	if (fill)
		fill(&req.n, arg);
	err = avf_nl_talk(fd, &req, reply, reply_len);
	close(fd);
	return err;
}

static inline void avf_copy_str(char *dst, size_t size, const struct nlattr *a)
{
	size_t l = avf_nla_len(a);

	if (l >= size)
		l = size - 1;
	memcpy(dst, avf_nla_data(a), l);
	dst[l] = '\0';
}

/* AVFENCE_CMD_GET_STATUS.  Return 0 or a negative errno. */
static inline int avf_get_status(struct avf_status *st)
{
	static char reply[AVF_NL_BUF];
	struct nlattr *tb[AVFENCE_A_MAX + 1];
	int err, len = 0;

	memset(st, 0, sizeof(*st));
	err = avf_nl_do(AVFENCE_CMD_GET_STATUS, NULL, NULL, reply, &len);
	if (err)
		return err;
	avf_nl_parse(tb, AVFENCE_A_MAX, (struct nlattr *)reply, len);
#define U32(x) (tb[x] ? *(uint32_t *)avf_nla_data(tb[x]) : 0)
#define U64(x) (tb[x] ? *(uint64_t *)avf_nla_data(tb[x]) : 0)
	st->abi_version = U32(AVFENCE_A_ABI_VERSION);
	st->policy_loaded = tb[AVFENCE_A_POLICY_LOADED] ?
			    *(uint8_t *)avf_nla_data(tb[AVFENCE_A_POLICY_LOADED]) : 0;
	st->mode = U32(AVFENCE_A_MODE);
	st->generation = U64(AVFENCE_A_GENERATION);
	st->subject_count = U32(AVFENCE_A_SUBJECT_COUNT);
	st->tagged = U32(AVFENCE_A_TAGGED);
	st->denied = U64(AVFENCE_A_DENIED);
	st->audited = U64(AVFENCE_A_AUDITED);
#undef U32
#undef U64
	if (tb[AVFENCE_A_MODULE_VERSION])
		avf_copy_str(st->module_version, sizeof(st->module_version),
			     tb[AVFENCE_A_MODULE_VERSION]);
	if (tb[AVFENCE_A_DEFAULT_LEVEL])
		avf_copy_str(st->default_level, sizeof(st->default_level),
			     tb[AVFENCE_A_DEFAULT_LEVEL]);
	if (tb[AVFENCE_A_LEVELS]) {
		struct nlattr *a = avf_nla_data(tb[AVFENCE_A_LEVELS]);
		int l = avf_nla_len(tb[AVFENCE_A_LEVELS]);

		while (l >= NLA_HDRLEN && a->nla_len >= NLA_HDRLEN && a->nla_len <= l) {
			st->levels++;
			l -= NLA_ALIGN(a->nla_len);
			a = (struct nlattr *)((char *)a + NLA_ALIGN(a->nla_len));
		}
	}
	return 0;
}

static inline void avf_fill_mode(struct nlmsghdr *n, const void *arg)
{
	avf_nl_put_u32(n, AVFENCE_A_MODE, *(const uint32_t *)arg);
}

/* AVFENCE_CMD_SET_MODE.  Return 0 or a negative errno. */
static inline int avf_set_mode(uint32_t mode)
{
	return avf_nl_do(AVFENCE_CMD_SET_MODE, avf_fill_mode, &mode, NULL, NULL);
}

static inline void avf_fill_path(struct nlmsghdr *n, const void *arg)
{
	avf_nl_put_str(n, AVFENCE_A_PATH, arg);
}

/* AVFENCE_CMD_GET_LABEL.  Return 0 or a negative errno. */
static inline int avf_get_label(const char *path, struct avf_label_info *li)
{
	static char reply[AVF_NL_BUF];
	struct nlattr *tb[AVFENCE_A_MAX + 1];
	int err, len = 0;

	memset(li, 0, sizeof(*li));
	err = avf_nl_do(AVFENCE_CMD_GET_LABEL, avf_fill_path, path, reply, &len);
	if (err)
		return err;
	avf_nl_parse(tb, AVFENCE_A_MAX, (struct nlattr *)reply, len);
	if (tb[AVFENCE_A_LABEL]) {
		li->has_label = 1;
		avf_copy_str(li->label, sizeof(li->label), tb[AVFENCE_A_LABEL]);
	}
	li->source = tb[AVFENCE_A_LABEL_SOURCE] ?
		     *(uint32_t *)avf_nla_data(tb[AVFENCE_A_LABEL_SOURCE]) : ~0u;
	if (tb[AVFENCE_A_EFFECTIVE_LEVEL])
		avf_copy_str(li->effective, sizeof(li->effective),
			     tb[AVFENCE_A_EFFECTIVE_LEVEL]);
	return 0;
}

/*
 * A policy for AVFENCE_CMD_LOAD_POLICY, built by hand so that tests can
 * send what avfencectl would refuse to.  Arrays end with NULL; a zero
 * mode or a NULL default_level leaves the attribute out; subject_write,
 * if set, is the write= list of every subject.
 */
struct avf_policy_desc {
	uint32_t mode;
	const char *const *levels;
	const char *default_level;
	const char *const *subject_paths;
	const char *const *subject_clearances;
	const char *const *subject_write;
};

static inline void avf_fill_policy(struct nlmsghdr *n, const void *arg)
{
	const struct avf_policy_desc *p = arg;
	struct nlattr *nest, *sub;
	int i;

	if (p->mode)
		avf_nl_put_u32(n, AVFENCE_A_MODE, p->mode);
	if (p->levels) {
		nest = avf_nl_nest(n, AVFENCE_A_LEVELS);
		for (i = 0; p->levels[i]; i++)
			avf_nl_put_str(n, AVFENCE_LEVEL_A_NAME, p->levels[i]);
		avf_nl_nest_end(n, nest);
	}
	if (p->default_level)
		avf_nl_put_str(n, AVFENCE_A_DEFAULT_LEVEL, p->default_level);
	if (p->subject_paths) {
		nest = avf_nl_nest(n, AVFENCE_A_SUBJECTS);
		for (i = 0; p->subject_paths[i]; i++) {
			sub = avf_nl_nest(n, AVFENCE_A_SUBJECT);
			avf_nl_put_str(n, AVFENCE_SUBJECT_A_PATH, p->subject_paths[i]);
			if (p->subject_clearances && p->subject_clearances[i])
				avf_nl_put_str(n, AVFENCE_SUBJECT_A_CLEARANCE,
					       p->subject_clearances[i]);
			if (p->subject_write) {
				struct nlattr *w = avf_nl_nest(n, AVFENCE_SUBJECT_A_WRITE);
				int j;

				for (j = 0; p->subject_write[j]; j++)
					avf_nl_put_str(n, AVFENCE_A_ENTRY,
						       p->subject_write[j]);
				avf_nl_nest_end(n, w);
			}
			avf_nl_nest_end(n, sub);
		}
		avf_nl_nest_end(n, nest);
	}
}

/*
 * A LOAD_POLICY built by hand around one subject: mode enforce, @levels
 * (NULL-terminated; the default is the first), and the subject @path at
 * @clearance, whose nest stays open for the caller's own attributes.
 * @nests[2] remembers the open nests for avf_nl_one_subject_end().
 */
static inline void avf_nl_one_subject(struct nlmsghdr *n,
				      const char *const *levels,
				      const char *path, const char *clearance,
				      struct nlattr *nests[2])
{
	struct nlattr *nest;
	int i;

	avf_nl_put_u32(n, AVFENCE_A_MODE, AVFENCE_MODE_ENFORCE);
	nest = avf_nl_nest(n, AVFENCE_A_LEVELS);
	for (i = 0; levels[i]; i++)
		avf_nl_put_str(n, AVFENCE_LEVEL_A_NAME, levels[i]);
	avf_nl_nest_end(n, nest);
	avf_nl_put_str(n, AVFENCE_A_DEFAULT_LEVEL, levels[0]);
	nests[0] = avf_nl_nest(n, AVFENCE_A_SUBJECTS);
	nests[1] = avf_nl_nest(n, AVFENCE_A_SUBJECT);
	avf_nl_put_str(n, AVFENCE_SUBJECT_A_PATH, path);
	avf_nl_put_str(n, AVFENCE_SUBJECT_A_CLEARANCE, clearance);
}

static inline void avf_nl_one_subject_end(struct nlmsghdr *n,
					  struct nlattr *nests[2])
{
	avf_nl_nest_end(n, nests[1]);
	avf_nl_nest_end(n, nests[0]);
}

/* AVFENCE_CMD_LOAD_POLICY.  Return 0 or a negative errno. */
static inline int avf_load(const struct avf_policy_desc *p)
{
	return avf_nl_do(AVFENCE_CMD_LOAD_POLICY, avf_fill_policy, p, NULL, NULL);
}

#endif /* AVF_TEST_GENL_H */
