/* SPDX-License-Identifier: GPL-2.0 */
/*
 * avfence policy decision logic.
 *
 * Plain C with no kernel dependencies beyond fixed-width types and string
 * functions, so that the module and the userspace unit tests compile the
 * very same code (see decide.c).
 */
#ifndef _AVFENCE_DECIDE_H
#define _AVFENCE_DECIDE_H

#ifdef __KERNEL__
#include <linux/types.h>
#else
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
typedef uint32_t u32;
#endif

#include "uapi/avfence.h"

/**
 * struct avf_levels - the ordered ladder of classification levels
 * @count: number of levels, 1..AVFENCE_LEVELS_MAX
 * @name: level names, lowest first, each NUL-terminated
 */
struct avf_levels {
	u32 count;
	char name[AVFENCE_LEVELS_MAX][AVFENCE_LEVEL_NAME_MAX];
};

enum avf_verdict {
	AVF_ALLOW,	/* at or below clearance */
	AVF_DENY,	/* above clearance, enforce mode */
	AVF_AUDIT,	/* above clearance, audit mode: allowed but logged */
};

/* Result codes of avf_levels_add(). */
enum avf_level_err {
	AVF_LEVEL_OK,
	AVF_LEVEL_BAD_NAME,	/* empty, too long or bad characters */
	AVF_LEVEL_DUPLICATE,	/* already in the ladder */
	AVF_LEVEL_TOO_MANY,	/* AVFENCE_LEVELS_MAX reached */
};

bool avf_level_name_valid(const char *name, size_t len);
int avf_levels_find(const struct avf_levels *levels, const char *name,
		    size_t len);
enum avf_level_err avf_levels_add(struct avf_levels *levels,
				  const char *name, size_t len);
const char *avf_level_err_str(enum avf_level_err err);
size_t avf_label_trim(const char *buf, size_t len);
u32 avf_label_level(const struct avf_levels *levels, const char *label,
		    size_t len, bool *unknown);
enum avf_verdict avf_decide(u32 clearance, u32 level, u32 mode);
bool avf_mode_valid(u32 mode);
enum avf_verdict avf_decide_write(u32 nsubjects, u32 granted, u32 mode);
u32 avf_proc_pid_of(const char *name);
bool avf_proc_pid_is(const char *name, u32 tgid);
/* PTRACE_MODE_* of linux/ptrace.h, for userspace builds of decide.c. */
#define AVF_PTRACE_MODE_READ		0x01
#define AVF_PTRACE_MODE_NOAUDIT		0x04
#define AVF_PTRACE_MODE_FSCREDS		0x08
bool avf_proc_root_link_ok(u32 mode, bool noted, bool same_root);
bool avf_ptrace_probe(u32 mode);
const char *avf_route_name(u32 route);
const char *avf_measure_event_name(u32 event);
const char *avf_allow_name(u32 flag);
bool avf_list_path_valid(const char *s, size_t len);
bool avf_connect_name_valid(const char *s, size_t len);
u32 avf_written_level(const struct avf_levels *levels, const char *mark,
		      size_t len);
enum avf_verdict avf_decide_follow(bool tagged, bool marked, bool policy,
				   u32 mode);

/**
 * struct avf_ipc_peer - the task on the other end of a unix socket
 * @tagged: the socket was made by a tagged task
 * @level: then, the clearance it had (level index)
 */
struct avf_ipc_peer {
	bool tagged;
	u32 level;
};

enum avf_verdict avf_ipc_decide(u32 clearance,
				const struct avf_ipc_peer *peer,
				bool two_way, bool listed, u32 mode);

#endif /* _AVFENCE_DECIDE_H */
