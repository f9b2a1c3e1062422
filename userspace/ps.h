/* SPDX-License-Identifier: GPL-2.0 */
/*
 * avfencectl ps: one tagged task of the AVFENCE_CMD_GET_TAGGED dump.
 */
#ifndef _AVFENCECTL_PS_H
#define _AVFENCECTL_PS_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <netlink/attr.h>

#include "uapi/avfence.h"

struct avf_task {
	uint32_t pid, tgid;
	char comm[64];
	char exe[AVFENCE_PATH_MAX];
	char clearance[AVFENCE_LEVEL_NAME_MAX];
	bool has_since;
	uint64_t since;		/* CLOCK_REALTIME ns when tagged */
};

int ps_task_parse(struct nlattr *nest, struct avf_task *t);
void ps_task_json(FILE *f, const struct avf_task *t);
void ps_task_text(FILE *f, const struct avf_task *t);

#endif /* _AVFENCECTL_PS_H */
