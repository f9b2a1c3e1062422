// SPDX-License-Identifier: GPL-2.0
/*
 * avfence: the rules of an AVFENCE_A_SUBJECT_TABLE, plain C for the module
 * and for avfencectl's unit tests (subject_rec.h).
 */
#ifdef __KERNEL__
#include <linux/errno.h>
#include <linux/string.h>
#else
#include <errno.h>
#include <string.h>
#endif

#include "subject_rec.h"

/* One record at @p, @rem bytes left in the table: whether it keeps them. */
static bool rec_ok(const unsigned char *p, size_t rem)
{
	const struct avfence_subject_rec *rec = (const void *)p;
	size_t room, path_len, i;

	if (rem < sizeof(*rec) + 4 || rec->len > rem ||
	    rec->len < sizeof(*rec) + 4 || rec->pad)
		return false;
	room = rec->len - sizeof(*rec);
	path_len = strnlen(rec->path, room);
	if (path_len == room || path_len >= AVFENCE_PATH_MAX ||
	    rec->path[0] != '/' || rec->len != avf_subject_rec_len(path_len))
		return false;
	/* After the NUL, up to 3 bytes of padding: zeros. */
	for (i = path_len + 1; i < room; i++)
		if (rec->path[i])
			return false;
	return true;
}

/**
 * avf_subject_table_check - whether @data is a well-formed subject table
 * @data: the attribute's payload, 4-byte aligned
 * @len: its length
 * @bad: set to the offset of the first bad record (0 for an empty table)
 *
 * Every record: a length that is exactly avf_subject_rec_len() of its
 * path and within the table, a zero spare byte, an absolute path with
 * one NUL and fewer than AVFENCE_PATH_MAX bytes, zeros after it; the
 * records end exactly at @len; at least one.  The clearance is not
 * checked here: the levels are in another attribute.
 *
 * Return: 0, or -EINVAL with *@bad set.
 */
int avf_subject_table_check(const unsigned char *data, size_t len,
			    size_t *bad)
{
	size_t off = 0;

	*bad = 0;
	if (!len)
		return -EINVAL;
	while (off < len) {
		if (!rec_ok(data + off, len - off)) {
			*bad = off;
			return -EINVAL;
		}
		off += ((const struct avfence_subject_rec *)(data + off))->len;
	}
	return 0;
}
