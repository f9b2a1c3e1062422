/* SPDX-License-Identifier: GPL-2.0 */
/*
 * avfence: a list of strings as one nest of AVFENCE_A_ENTRY attributes
 * (a subject's write= and connect= lists), shared by the module, which
 * writes it into GET_STATUS replies (an sk_buff), and avfencectl, which
 * writes it into LOAD requests (libnl's nl_msg).  The two netlink APIs
 * name their functions alike; nla_nest_end() returns the message length
 * in the kernel and 0 or a negative error in libnl.
 */
#ifndef AVFENCE_ENTRIES_H
#define AVFENCE_ENTRIES_H

#ifdef __KERNEL__
#include <net/netlink.h>
#define AVF_ENTRIES_MSG struct sk_buff
#else
#include <errno.h>
#include <stdint.h>
#include <netlink/attr.h>
#define AVF_ENTRIES_MSG struct nl_msg
#endif

#include "uapi/avfence.h"

/**
 * avf_put_entries - put @n strings as one nest of AVFENCE_A_ENTRY
 * @msg: the message
 * @type: the nest's attribute type
 * @v: the strings
 * @n: how many; nothing is put for none
 *
 * Return: 0, or -EMSGSIZE if @msg has no room.
 */
static inline int avf_put_entries(AVF_ENTRIES_MSG *msg, int type,
				  const char *const *v, uint32_t n)
{
	struct nlattr *nest;
	uint32_t i;

	if (!n)
		return 0;
	nest = nla_nest_start(msg, type);
	if (!nest)
		return -EMSGSIZE;
	for (i = 0; i < n; i++)
		if (nla_put_string(msg, AVFENCE_A_ENTRY, v[i]))
			return -EMSGSIZE;
	return nla_nest_end(msg, nest) < 0 ? -EMSGSIZE : 0;
}

#endif /* AVFENCE_ENTRIES_H */
