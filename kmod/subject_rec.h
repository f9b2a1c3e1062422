/* SPDX-License-Identifier: GPL-2.0 */
/*
 * avfence: the rules of an AVFENCE_A_SUBJECT_TABLE (struct
 * avfence_subject_rec in uapi/avfence.h).
 *
 * Shared by the module, whose family policy checks every table with it
 * before the load's handler runs, and avfencectl, which builds the tables
 * and whose unit tests check what it builds with the kernel's own rules.
 */
#ifndef _AVFENCE_SUBJECT_REC_H
#define _AVFENCE_SUBJECT_REC_H

#ifdef __KERNEL__
#include <linux/types.h>
#else
#include <stdbool.h>
#include <stddef.h>
#endif

#include "uapi/avfence.h"

/* The exact length of the record of a path of @path_len bytes. */
static inline size_t avf_subject_rec_len(size_t path_len)
{
	return (sizeof(struct avfence_subject_rec) + path_len + 1 + 3) &
	       ~(size_t)3;
}

int avf_subject_table_check(const unsigned char *data, size_t len,
			    size_t *bad);

#endif /* _AVFENCE_SUBJECT_REC_H */
