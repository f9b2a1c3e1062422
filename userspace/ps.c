// SPDX-License-Identifier: GPL-2.0
/*
 * avfencectl ps: parse and print one entry of the AVFENCE_CMD_GET_TAGGED
 * dump.
 */
#include <errno.h>
#include <inttypes.h>
#include <string.h>

#include "output.h"
#include "ps.h"

static struct nla_policy task_policy[AVFENCE_TASK_A_MAX + 1] = {
	[AVFENCE_TASK_A_PID]		= { .type = NLA_U32 },
	[AVFENCE_TASK_A_TGID]		= { .type = NLA_U32 },
	[AVFENCE_TASK_A_COMM]		= { .type = NLA_STRING },
	[AVFENCE_TASK_A_EXE]		= { .type = NLA_STRING },
	[AVFENCE_TASK_A_CLEARANCE]	= { .type = NLA_STRING },
	[AVFENCE_TASK_A_SINCE]		= { .type = NLA_U64 },
};

static void copy_str(char *dst, size_t size, const struct nlattr *a)
{
	if (a)
		nla_strlcpy(dst, a, size);
	else
		dst[0] = '\0';
}

/**
 * ps_task_parse - one AVFENCE_A_TASK nest into a struct avf_task
 * @nest: the attribute
 * @t: filled in
 *
 * Return: 0, or -EPROTO if it is malformed or lacks the pid.
 */
int ps_task_parse(struct nlattr *nest, struct avf_task *t)
{
	struct nlattr *tb[AVFENCE_TASK_A_MAX + 1];

	memset(t, 0, sizeof(*t));
	if (nla_parse_nested(tb, AVFENCE_TASK_A_MAX, nest, task_policy) ||
	    !tb[AVFENCE_TASK_A_PID])
		return -EPROTO;
	t->pid = nla_get_u32(tb[AVFENCE_TASK_A_PID]);
	t->tgid = tb[AVFENCE_TASK_A_TGID] ?
		  nla_get_u32(tb[AVFENCE_TASK_A_TGID]) : t->pid;
	copy_str(t->comm, sizeof(t->comm), tb[AVFENCE_TASK_A_COMM]);
	copy_str(t->exe, sizeof(t->exe), tb[AVFENCE_TASK_A_EXE]);
	copy_str(t->clearance, sizeof(t->clearance),
		 tb[AVFENCE_TASK_A_CLEARANCE]);
	if (tb[AVFENCE_TASK_A_SINCE]) {
		t->has_since = true;
		t->since = nla_get_u64(tb[AVFENCE_TASK_A_SINCE]);
	}
	return 0;
}

/* One task as a JSON object. */
void ps_task_json(FILE *f, const struct avf_task *t)
{
	char when[ISO_TIME_MAX];

	fprintf(f, "{\"pid\":%" PRIu32 ",\"tgid\":%" PRIu32 ",\"comm\":",
		t->pid, t->tgid);
	json_string(f, t->comm);
	fputs(",\"exe\":", f);
	json_string_or_null(f, t->exe[0] ? t->exe : NULL);
	fputs(",\"clearance\":", f);
	json_string(f, t->clearance);
	fputs(",\"since\":", f);
	json_string_or_null(f, t->has_since ? iso_time(when, t->since) : NULL);
	fputc('}', f);
}

/* One task as a line of the table. */
void ps_task_text(FILE *f, const struct avf_task *t)
{
	char when[ISO_TIME_MAX];

	fprintf(f, "%7" PRIu32 " %7" PRIu32 " %-16s %-30s ", t->pid, t->tgid,
		t->clearance,
		t->has_since ? iso_time(when, t->since) : "-");
	text_value(f, t->comm[0] ? t->comm : "-");
	fputc(' ', f);
	text_value(f, t->exe[0] ? t->exe : "-");
	fputc('\n', f);
}
