// SPDX-License-Identifier: GPL-2.0
/*
 * avfencectl ps [--json]
 *
 * The tagged (fenced) tasks, from the AVFENCE_CMD_GET_TAGGED dump: one
 * line per task (thread), sorted by pid.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <netlink/attr.h>

#include "avfencectl.h"
#include "nl.h"
#include "ps.h"

struct task_list {
	struct avf_task *v;
	size_t nr, alloc;
	bool bad;
};

static int task_reply(struct nlattr **tb, void *arg)
{
	struct task_list *l = arg;

	if (!tb[AVFENCE_A_TASK])
		return 0;
	if (l->nr == l->alloc) {
		size_t alloc = l->alloc ? 2 * l->alloc : 64;
		struct avf_task *v = realloc(l->v, alloc * sizeof(*v));

		if (!v)
			return -ENOMEM;
		l->v = v;
		l->alloc = alloc;
	}
	if (ps_task_parse(tb[AVFENCE_A_TASK], &l->v[l->nr]))
		l->bad = true;
	else
		l->nr++;
	return 0;
}

static int task_cmp(const void *a, const void *b)
{
	const struct avf_task *x = a, *y = b;

	return x->pid < y->pid ? -1 : x->pid > y->pid;
}

enum { OPT_JSON = OPT_LONG };

static const struct option ps_options[] = {
	{ "json", no_argument, NULL, OPT_JSON },
	OPT_END
};

int ps_main(int argc, char **argv)
{
	struct task_list l = { 0 };
	struct avf_nl_ack ack;
	struct nl_msg *msg;
	struct avf_nl nl;
	bool json = false;
	size_t i;
	int ret;

	while ((ret = command_getopt(argc, argv, "", ps_options)) != -1)
		if (ret == OPT_JSON)
			json = true;
	if (optind < argc)
		return command_usage_error("ps", "unexpected argument '%s'",
					   argv[optind]);
	ret = avf_nl_open(&nl);
	if (ret) {
		avf_nl_report_open(ret);
		return 1;
	}
	msg = avf_nl_msg(&nl, AVFENCE_CMD_GET_TAGGED, 0);
	ret = msg ? avf_nl_dump(&nl, msg, task_reply, &l, &ack) : -ENOMEM;
	avf_nl_close(&nl);
	if (ret) {
		avf_nl_report("list tagged tasks", ret, &ack);
		free(l.v);
		return 1;
	}
	if (l.bad)
		fprintf(stderr, "%s: ps: warning: malformed task entries skipped\n",
			prog);
	qsort(l.v, l.nr, sizeof(*l.v), task_cmp);
	if (json) {
		putchar('[');
		for (i = 0; i < l.nr; i++) {
			if (i)
				putchar(',');
			ps_task_json(stdout, &l.v[i]);
		}
		printf("]\n");
	} else {
		printf("%7s %7s %-16s %-30s %s %s\n", "PID", "TGID",
		       "CLEARANCE", "SINCE", "COMM", "EXE");
		for (i = 0; i < l.nr; i++)
			ps_task_text(stdout, &l.v[i]);
	}
	free(l.v);
	return 0;
}
