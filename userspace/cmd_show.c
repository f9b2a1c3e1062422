// SPDX-License-Identifier: GPL-2.0
/*
 * avfencectl show PATH...
 *
 * Ask the kernel (AVFENCE_CMD_GET_LABEL) for each path's own and effective
 * label.  Without the module, read the xattr here and say that the
 * effective level is unknown.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/xattr.h>
#include <netlink/attr.h>

#include "avfencectl.h"
#include "decide.h"
#include "nl.h"

struct label_reply {
	bool has_label, has_source, has_effective;
	char label[AVFENCE_LEVEL_NAME_MAX * 4];
	size_t label_len;
	uint32_t source;
	char effective[AVFENCE_LEVEL_NAME_MAX];
};

/* Print a label as text; odd bytes as \xNN so the line stays one line. */
static void print_label(const char *s, size_t len)
{
	size_t i;

	len = avf_label_trim(s, len);
	if (!len) {
		printf("\"\"");
		return;
	}
	for (i = 0; i < len; i++) {
		unsigned char c = s[i];

		if (c > 0x20 && c < 0x7f && c != '\\')
			putchar(c);
		else
			printf("\\x%02x", c);
	}
}

static const char *source_name(uint32_t source)
{
	switch (source) {
	case AVFENCE_LABEL_OWN:
		return "own";
	case AVFENCE_LABEL_INHERITED:
		return "inherited";
	case AVFENCE_LABEL_DEFAULT:
		return "default";
	case AVFENCE_LABEL_POLICY:
		return "policy";
	case AVFENCE_LABEL_POLICY_INHERITED:
		return "inherited from policy";
	}
	return "unknown source";
}

static int label_reply(struct nlattr **tb, void *arg)
{
	struct label_reply *r = arg;

	if (tb[AVFENCE_A_LABEL]) {
		size_t n = nla_len(tb[AVFENCE_A_LABEL]);

		if (n > sizeof(r->label))
			n = sizeof(r->label);
		memcpy(r->label, nla_data(tb[AVFENCE_A_LABEL]), n);
		r->label_len = n;
		r->has_label = true;
	}
	if (tb[AVFENCE_A_LABEL_SOURCE]) {
		r->source = nla_get_u32(tb[AVFENCE_A_LABEL_SOURCE]);
		r->has_source = true;
	}
	if (tb[AVFENCE_A_EFFECTIVE_LEVEL]) {
		nla_strlcpy(r->effective, tb[AVFENCE_A_EFFECTIVE_LEVEL],
			    sizeof(r->effective));
		r->has_effective = true;
	}
	return 0;
}

/* The kernel resolves the path itself; make a relative one absolute. */
static char *absolute(const char *path)
{
	char cwd[PATH_MAX];
	char *abs;

	if (path[0] == '/')
		return strdup(path);
	if (!getcwd(cwd, sizeof(cwd)))
		return NULL;
	if (asprintf(&abs, "%s/%s", cwd, path) < 0)
		return NULL;
	return abs;
}

static int show_kernel(struct avf_nl *nl, const char *path)
{
	struct label_reply r = { 0 };
	struct avf_nl_ack ack;
	struct nl_msg *msg;
	char *abs;
	int ret;

	abs = absolute(path);
	if (!abs) {
		fprintf(stderr, "%s: show: %s: %s\n", prog, path,
			strerror(errno));
		return 1;
	}
	msg = avf_nl_msg(nl, AVFENCE_CMD_GET_LABEL, strlen(abs) + 64);
	if (!msg || nla_put_string(msg, AVFENCE_A_PATH, abs)) {
		if (msg)
			nlmsg_free(msg);
		free(abs);
		fprintf(stderr, "%s: show: %s: out of memory\n", prog, path);
		return 1;
	}
	free(abs);
	ret = avf_nl_transact(nl, msg, label_reply, &r, &ack);
	if (ret) {
		fprintf(stderr, "%s: show: %s: %s%s%s\n", prog, path,
			strerror(-ret), ack.msg[0] ? ": " : "", ack.msg);
		return 1;
	}
	printf("%s\town=", path);
	if (r.has_label)
		print_label(r.label, r.label_len);
	else
		printf("-");
	if (r.has_effective)
		printf("\teffective=%s (%s)\n", r.effective,
		       r.has_source ? source_name(r.source) : "unknown source");
	else
		printf("\teffective=- (no policy)\n");
	return 0;
}

static int show_local(const char *path)
{
	char buf[AVFENCE_LEVEL_NAME_MAX * 4];
	ssize_t n;

	n = getxattr(path, AVFENCE_XATTR_NAME, buf, sizeof(buf));
	if (n < 0 && errno != ENODATA && errno != EOPNOTSUPP) {
		fprintf(stderr, "%s: show: %s: %s\n", prog, path,
			strerror(errno));
		return 1;
	}
	printf("%s\town=", path);
	if (n >= 0)
		print_label(buf, n);
	else
		printf("-");
	printf("\teffective=unknown (module not loaded)\n");
	return 0;
}

static const struct option show_options[] = { OPT_END };

int show_main(int argc, char **argv)
{
	int i, failed = 0, ret;
	struct avf_nl nl;

	while (command_getopt(argc, argv, "", show_options) != -1)
		;
	i = optind;
	if (i >= argc)
		return command_usage_error("show", "missing path");

	ret = avf_nl_open(&nl);
	if (ret == -ENOENT) {
		fprintf(stderr,
			"%s: show: avfence module not loaded; showing own labels only\n",
			prog);
		for (; i < argc; i++)
			failed |= show_local(argv[i]);
		return failed;
	}
	if (ret) {
		avf_nl_report_open(ret);
		return 1;
	}
	for (; i < argc; i++)
		failed |= show_kernel(&nl, argv[i]);
	avf_nl_close(&nl);
	return failed;
}
