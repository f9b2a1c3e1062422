/* SPDX-License-Identifier: GPL-2.0 */
/*
 * avfencectl: the generic netlink transport to the avfence module.
 */
#ifndef _AVFENCECTL_NL_H
#define _AVFENCECTL_NL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <netlink/attr.h>
#include <linux/netlink.h>
#include <netlink/msg.h>

#include "uapi/avfence.h"

struct nl_sock;

struct avf_nl {
	struct nl_sock *sk;
	int family;
};

/**
 * struct avf_nl_ack - what the kernel said about a request
 * @error: 0, or the negative errno the kernel returned
 * @msg: NLMSGERR_ATTR_MSG, the kernel's explanation, or ""
 * @has_offs: the kernel named an offending attribute
 * @offs: NLMSGERR_ATTR_OFFS (or NLMSGERR_ATTR_MISS_NEST), a byte offset
 *	into the request, counted from the start of its struct nlmsghdr
 */
struct avf_nl_ack {
	int error;
	char msg[256];
	bool has_offs;
	uint32_t offs;
};

/* Called once per reply message with its attributes parsed. */
typedef int (*avf_nl_reply_fn)(struct nlattr **tb, void *arg);

int avf_nl_open(struct avf_nl *nl);
void avf_nl_close(struct avf_nl *nl);
struct nl_msg *avf_nl_msg(const struct avf_nl *nl, uint8_t cmd, size_t size);
int avf_nl_reserve_sndbuf(struct avf_nl *nl, size_t bytes);
void avf_nl_reserve_rcvbuf(struct avf_nl *nl, int bytes);
int avf_nl_transact(struct avf_nl *nl, struct nl_msg *msg,
		    avf_nl_reply_fn fn, void *arg, struct avf_nl_ack *ack);
int avf_nl_dump(struct avf_nl *nl, struct nl_msg *msg, avf_nl_reply_fn fn,
		void *arg, struct avf_nl_ack *ack);
void avf_nl_parse_ext_ack(const struct nlmsghdr *nlh,
			  const struct nlmsgerr *e, struct avf_nl_ack *ack);
void avf_nl_report(const char *what, int err, const struct avf_nl_ack *ack);
void avf_nl_report_open(int err);
const struct nlmsghdr *avf_nl_current_reply(void);

#endif /* _AVFENCECTL_NL_H */
