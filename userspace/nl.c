// SPDX-License-Identifier: GPL-2.0
/*
 * avfencectl: generic netlink transport.  One request at a time: send with
 * NLM_F_ACK, collect the reply messages, stop at the ack or the error, and
 * keep the kernel's extended ack (message and offending attribute offset).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <linux/netlink.h>
#include <netlink/netlink.h>
#include <netlink/genl/ctrl.h>
#include <netlink/genl/genl.h>

#include "nl.h"

#ifndef SOL_NETLINK
#define SOL_NETLINK 270
#endif

/* Reply attributes; strings must be NUL-terminated (libnl checks). */
static struct nla_policy reply_policy[AVFENCE_A_MAX + 1] = {
	[AVFENCE_A_ABI_VERSION]		= { .type = NLA_U32 },
	[AVFENCE_A_MODULE_VERSION]	= { .type = NLA_STRING },
	[AVFENCE_A_POLICY_LOADED]	= { .type = NLA_U8 },
	[AVFENCE_A_MODE]		= { .type = NLA_U32 },
	[AVFENCE_A_GENERATION]		= { .type = NLA_U64 },
	[AVFENCE_A_LEVELS]		= { .type = NLA_NESTED },
	[AVFENCE_A_DEFAULT_LEVEL]	= { .type = NLA_STRING },
	[AVFENCE_A_SUBJECT_COUNT]	= { .type = NLA_U32 },
	[AVFENCE_A_TAGGED]		= { .type = NLA_U32 },
	[AVFENCE_A_DENIED]		= { .type = NLA_U64 },
	[AVFENCE_A_AUDITED]		= { .type = NLA_U64 },
	[AVFENCE_A_PATH]		= { .type = NLA_STRING },
	[AVFENCE_A_LABEL]		= { .type = NLA_STRING },
	[AVFENCE_A_LABEL_SOURCE]	= { .type = NLA_U32 },
	[AVFENCE_A_EFFECTIVE_LEVEL]	= { .type = NLA_STRING },
	[AVFENCE_A_ROUTE_STATS]		= { .type = NLA_NESTED },
	[AVFENCE_A_LOCKED]		= { .type = NLA_U8 },
	[AVFENCE_A_DIGEST]		= { .minlen = AVFENCE_DIGEST_LEN },
	[AVFENCE_A_EVENTS_LOST]		= { .type = NLA_U64 },
	[AVFENCE_A_MEASURE_PCR]		= { .type = NLA_U32 },
	[AVFENCE_A_MEASURE_RECORDS]	= { .type = NLA_U64 },
	[AVFENCE_A_EVENT]		= { .type = NLA_NESTED },
	[AVFENCE_A_TASK]		= { .type = NLA_NESTED },
	[AVFENCE_A_SUBJECTS]		= { .type = NLA_NESTED },
	[AVFENCE_A_LEVEL_STATS]		= { .type = NLA_NESTED },
	[AVFENCE_A_POLICY_LABELS]	= { .type = NLA_NESTED },
	[AVFENCE_A_POLICY_LABEL_COUNT]	= { .type = NLA_U32 },
};

/* The reply message a reply callback is looking at, or NULL. */
static const struct nlmsghdr *current_reply;

/**
 * avf_nl_current_reply - the whole reply message, from a reply callback
 *
 * For attributes that may repeat, which the parsed table keeps only once.
 *
 * Return: the message, or NULL outside a reply callback.
 */
const struct nlmsghdr *avf_nl_current_reply(void)
{
	return current_reply;
}

static int nle_to_errno(int nle)
{
	switch (-nle) {
	case NLE_NOMEM:
		return -ENOMEM;
	case NLE_OBJ_NOTFOUND:
		return -ENOENT;
	case NLE_PERM:
		return -EPERM;
	case NLE_MSGSIZE:
		return -EMSGSIZE;
	case NLE_AF_NOSUPPORT:
	case NLE_PROTO_MISMATCH:
		return -EPROTONOSUPPORT;
	}
	return -EIO;
}

/**
 * avf_nl_open - connect and resolve the avfence family
 * @nl: filled in
 *
 * Return: 0, -ENOENT if the family is not registered (module not loaded),
 * or another negative errno.
 */
int avf_nl_open(struct avf_nl *nl)
{
	int one = 1, ret, fd;

	nl->sk = nl_socket_alloc();
	if (!nl->sk)
		return -ENOMEM;
	ret = genl_connect(nl->sk);
	if (ret < 0) {
		ret = nle_to_errno(ret);
		goto out_free;
	}
	fd = nl_socket_get_fd(nl->sk);
	/* The kernel's reason comes back only if we ask for it. */
	setsockopt(fd, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one));
	/* Don't echo a large policy back in the error message. */
	setsockopt(fd, SOL_NETLINK, NETLINK_CAP_ACK, &one, sizeof(one));

	nl->family = genl_ctrl_resolve(nl->sk, AVFENCE_GENL_NAME);
	if (nl->family < 0) {
		ret = nle_to_errno(nl->family);
		goto out_free;
	}
	return 0;

out_free:
	nl_socket_free(nl->sk);
	nl->sk = NULL;
	return ret;
}

void avf_nl_close(struct avf_nl *nl)
{
	if (nl->sk)
		nl_socket_free(nl->sk);
	nl->sk = NULL;
}

/**
 * avf_nl_msg - start a request
 * @nl: the connection
 * @cmd: enum avfence_cmd
 * @size: payload room needed in bytes, 0 for the default (a page)
 *
 * Return: the message, or NULL if out of memory.
 */
struct nl_msg *avf_nl_msg(const struct avf_nl *nl, uint8_t cmd, size_t size)
{
	struct nl_msg *msg;

	msg = size ? nlmsg_alloc_size(size + NLMSG_HDRLEN + GENL_HDRLEN) :
		     nlmsg_alloc();
	if (!msg)
		return NULL;
	if (!genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, nl->family, 0,
			 NLM_F_REQUEST | NLM_F_ACK, cmd,
			 AVFENCE_GENL_VERSION)) {
		nlmsg_free(msg);
		return NULL;
	}
	return msg;
}

/**
 * avf_nl_reserve_sndbuf - make room for sending a request of @bytes
 * @nl: the connection
 * @bytes: total length of the request
 *
 * The kernel refuses a netlink message longer than the socket's send
 * buffer.  SO_SNDBUFFORCE (CAP_NET_ADMIN) may exceed net.core.wmem_max;
 * SO_SNDBUF is the fallback.
 *
 * Return: 0, or -EMSGSIZE if the buffer could not be made large enough.
 */
int avf_nl_reserve_sndbuf(struct avf_nl *nl, size_t bytes)
{
	int fd = nl_socket_get_fd(nl->sk);
	int want, have = 0;
	socklen_t len = sizeof(have);

	/* The kernel keeps 32 bytes of the buffer for itself. */
	if (bytes > (size_t)(INT32_MAX / 2) - 4096)
		return -EMSGSIZE;
	want = (int)bytes + 4096;
	if (getsockopt(fd, SOL_SOCKET, SO_SNDBUF, &have, &len) == 0 &&
	    (size_t)have >= bytes + 32)
		return 0;
	if (setsockopt(fd, SOL_SOCKET, SO_SNDBUFFORCE, &want, sizeof(want)))
		setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &want, sizeof(want));
	len = sizeof(have);
	if (getsockopt(fd, SOL_SOCKET, SO_SNDBUF, &have, &len) ||
	    (size_t)have < bytes + 32)
		return -EMSGSIZE;
	return 0;
}

/**
 * avf_nl_reserve_rcvbuf - make room for receiving replies of @bytes
 * @nl: the connection
 * @bytes: receive buffer wanted (libnl sets 32 KiB)
 *
 * A reply and the ack after it must both fit, or the ack is dropped and
 * the socket reports ENOBUFS.  Best effort: capped by net.core.rmem_max
 * unless SO_RCVBUFFORCE (CAP_NET_ADMIN) works.
 */
void avf_nl_reserve_rcvbuf(struct avf_nl *nl, int bytes)
{
	int fd = nl_socket_get_fd(nl->sk);

	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &bytes, sizeof(bytes)))
		setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &bytes, sizeof(bytes));
}

struct transact {
	avf_nl_reply_fn fn;
	void *arg;
	struct avf_nl_ack *ack;
	int cb_err;	/* first error returned by @fn */
	bool done;
};

/**
 * avf_nl_parse_ext_ack - pull the extended ack TLVs out of an NLMSG_ERROR
 * @nlh: the error (or ack) message, whole
 * @e: its payload
 * @ack: @msg, @has_offs and @offs are filled in if present
 */
void avf_nl_parse_ext_ack(const struct nlmsghdr *nlh,
			  const struct nlmsgerr *e, struct avf_nl_ack *ack)
{
	struct nlattr *tb[NLMSGERR_ATTR_MAX + 1];
	size_t hlen = NLMSG_HDRLEN + sizeof(*e);
	const struct nlattr *attrs;

	if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS))
		return;
	/* Without NLM_F_CAPPED the request's payload is echoed too. */
	if (!(nlh->nlmsg_flags & NLM_F_CAPPED))
		hlen += NLMSG_ALIGN(e->msg.nlmsg_len - NLMSG_HDRLEN);
	if (nlh->nlmsg_len <= hlen)
		return;
	attrs = (const struct nlattr *)((const char *)nlh + hlen);
	if (nla_parse(tb, NLMSGERR_ATTR_MAX, (struct nlattr *)attrs,
		      nlh->nlmsg_len - hlen, NULL))
		return;
	if (tb[NLMSGERR_ATTR_MSG] && nla_len(tb[NLMSGERR_ATTR_MSG]) > 0) {
		const char *s = nla_data(tb[NLMSGERR_ATTR_MSG]);
		size_t n = strnlen(s, nla_len(tb[NLMSGERR_ATTR_MSG]));

		if (n >= sizeof(ack->msg))
			n = sizeof(ack->msg) - 1;
		memcpy(ack->msg, s, n);
		ack->msg[n] = '\0';
	}
	if (tb[NLMSGERR_ATTR_OFFS] &&
	    nla_len(tb[NLMSGERR_ATTR_OFFS]) >= 4) {
		ack->has_offs = true;
		ack->offs = nla_get_u32(tb[NLMSGERR_ATTR_OFFS]);
	} else if (tb[NLMSGERR_ATTR_MISS_NEST] &&
		   nla_len(tb[NLMSGERR_ATTR_MISS_NEST]) >= 4) {
		ack->has_offs = true;
		ack->offs = nla_get_u32(tb[NLMSGERR_ATTR_MISS_NEST]);
	}
}

static int error_cb(struct sockaddr_nl *nla, struct nlmsgerr *e, void *arg)
{
	struct transact *t = arg;
	const struct nlmsghdr *nlh = (const struct nlmsghdr *)e - 1;

	(void)nla;
	t->ack->error = e->error;
	avf_nl_parse_ext_ack(nlh, e, t->ack);
	t->done = true;
	return NL_STOP;
}

static int ack_cb(struct nl_msg *msg, void *arg)
{
	struct transact *t = arg;
	struct nlmsghdr *nlh = nlmsg_hdr(msg);

	/* A successful ack may still carry a warning. */
	if (nlh->nlmsg_len >= NLMSG_HDRLEN + sizeof(struct nlmsgerr))
		avf_nl_parse_ext_ack(nlh, nlmsg_data(nlh), t->ack);
	t->ack->error = 0;
	t->done = true;
	return NL_STOP;
}

/* The end of a dump; its payload is the dump's error code, if any. */
static int finish_cb(struct nl_msg *msg, void *arg)
{
	struct transact *t = arg;
	struct nlmsghdr *nlh = nlmsg_hdr(msg);

	if (nlh->nlmsg_len >= NLMSG_HDRLEN + sizeof(int)) {
		memcpy(&t->ack->error, nlmsg_data(nlh), sizeof(int));
		if (t->ack->error)
			avf_nl_parse_ext_ack(nlh, nlmsg_data(nlh), t->ack);
	}
	t->done = true;
	return NL_STOP;
}

static int valid_cb(struct nl_msg *msg, void *arg)
{
	struct transact *t = arg;
	struct nlattr *tb[AVFENCE_A_MAX + 1];
	int ret;

	ret = genlmsg_parse(nlmsg_hdr(msg), 0, tb, AVFENCE_A_MAX,
			    reply_policy);
	if (ret < 0) {
		if (!t->cb_err)
			t->cb_err = -EPROTO;
		return NL_SKIP;
	}
	if (t->fn) {
		current_reply = nlmsg_hdr(msg);
		ret = t->fn(tb, t->arg);
		current_reply = NULL;
		if (ret < 0 && !t->cb_err)
			t->cb_err = ret;
	}
	return NL_OK;
}

/**
 * avf_nl_transact - send a request and wait for its ack
 * @nl: the connection
 * @msg: the request, freed here
 * @fn: called for each reply message, may be NULL
 * @arg: passed to @fn
 * @ack: filled with the kernel's verdict
 *
 * Return: 0, the kernel's negative errno (details in @ack), the first
 * negative value @fn returned, or another negative errno.
 */
int avf_nl_transact(struct avf_nl *nl, struct nl_msg *msg,
		    avf_nl_reply_fn fn, void *arg, struct avf_nl_ack *ack)
{
	struct transact t = { .fn = fn, .arg = arg, .ack = ack };
	struct nl_cb *cb;
	int ret;

	memset(ack, 0, sizeof(*ack));
	cb = nl_cb_alloc(NL_CB_DEFAULT);
	if (!cb) {
		nlmsg_free(msg);
		return -ENOMEM;
	}
	nl_cb_err(cb, NL_CB_CUSTOM, error_cb, &t);
	nl_cb_set(cb, NL_CB_ACK, NL_CB_CUSTOM, ack_cb, &t);
	nl_cb_set(cb, NL_CB_VALID, NL_CB_CUSTOM, valid_cb, &t);
	nl_cb_set(cb, NL_CB_FINISH, NL_CB_CUSTOM, finish_cb, &t);

	ret = nl_send_auto(nl->sk, msg);
	nlmsg_free(msg);
	if (ret < 0) {
		ret = nle_to_errno(ret);
		goto out;
	}
	ret = 0;
	while (!t.done) {
		int r = nl_recvmsgs(nl->sk, cb);

		if (r < 0 && !t.done) {
			ret = nle_to_errno(r);
			goto out;
		}
	}
	if (ack->error)
		ret = ack->error;
	else if (t.cb_err)
		ret = t.cb_err;
out:
	nl_cb_put(cb);
	return ret;
}

/**
 * avf_nl_dump - send a dump request and collect every message of it
 * @nl: the connection
 * @msg: from avf_nl_msg(), freed here
 * @fn: called for each message, may be NULL
 * @arg: passed to @fn
 * @ack: the kernel's verdict (from NLMSG_DONE or an error)
 *
 * Return: as avf_nl_transact().
 */
int avf_nl_dump(struct avf_nl *nl, struct nl_msg *msg, avf_nl_reply_fn fn,
		void *arg, struct avf_nl_ack *ack)
{
	struct nlmsghdr *nlh = nlmsg_hdr(msg);

	/* A dump ends with NLMSG_DONE, never with an ack. */
	nlh->nlmsg_flags = (nlh->nlmsg_flags & ~NLM_F_ACK) | NLM_F_DUMP;
	return avf_nl_transact(nl, msg, fn, arg, ack);
}

static const char *kernel_errno_hint(int err)
{
	switch (err) {
	case -EPERM:
		return "permission denied (needs CAP_MAC_ADMIN or CAP_SYS_ADMIN, from a task that is not a fenced subject)";
	case -EMSGSIZE:
		return "message too large for the netlink socket";
	}
	return strerror(-err);
}

/**
 * avf_nl_report - print a failed request to stderr
 * @what: what was attempted, e.g. "load policy"
 * @err: the negative errno
 * @ack: the kernel's ack, or NULL
 */
void avf_nl_report(const char *what, int err, const struct avf_nl_ack *ack)
{
	/* The kernel's own reason beats our guess (e.g. "locked"). */
	if (ack && ack->msg[0])
		fprintf(stderr, "avfencectl: %s: %s: %s\n", what,
			strerror(-err), ack->msg);
	else
		fprintf(stderr, "avfencectl: %s: %s\n", what,
			kernel_errno_hint(err));
}

/* Explain why avf_nl_open() failed. */
void avf_nl_report_open(int err)
{
	if (err == -ENOENT)
		fprintf(stderr,
			"avfencectl: avfence module not loaded (no generic netlink family '%s')\n",
			AVFENCE_GENL_NAME);
	else
		fprintf(stderr, "avfencectl: cannot open netlink socket: %s\n",
			strerror(-err));
}
