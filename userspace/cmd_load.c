// SPDX-License-Identifier: GPL-2.0
/*
 * avfencectl load FILE
 *
 * Parse, check subjects on disk, and only when there is nothing to complain
 * about send one AVFENCE_CMD_LOAD_POLICY request.  If the kernel refuses,
 * its extended ack is tied back to the policy line it concerns.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include "avfencectl.h"
#include "nl.h"
#include "policy_msg.h"
#include "policy_parse.h"

/* Far above the largest sensible policy; protects against reading /dev/zero. */
#define POLICY_FILE_MAX (256UL << 20)

static int read_file(const char *file, char **bufp, size_t *lenp)
{
	size_t len = 0, alloc = 0;
	char *buf = NULL;
	int fd, ret = 0;

	fd = open(file, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	for (;;) {
		ssize_t n;

		if (len == alloc) {
			char *b;

			if (alloc >= POLICY_FILE_MAX) {
				ret = -EFBIG;
				break;
			}
			alloc = alloc ? alloc * 2 : 65536;
			b = realloc(buf, alloc);
			if (!b) {
				ret = -ENOMEM;
				break;
			}
			buf = b;
		}
		n = read(fd, buf + len, alloc - len);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			ret = -errno;
			break;
		}
		if (n == 0)
			break;
		len += n;
	}
	close(fd);
	if (ret) {
		free(buf);
		return ret;
	}
	*bufp = buf;
	*lenp = len;
	return 0;
}

struct subject_id {
	dev_t dev;
	ino_t ino;
	size_t index;
};

static int subject_id_cmp(const void *a, const void *b)
{
	const struct subject_id *x = a, *y = b;

	if (x->dev != y->dev)
		return x->dev < y->dev ? -1 : 1;
	if (x->ino != y->ino)
		return x->ino < y->ino ? -1 : 1;
	return x->index < y->index ? -1 : x->index > y->index;
}

/*
 * The kernel matches subjects by file identity, so each path must name an
 * existing regular file, and two paths naming the same file would be
 * ambiguous.  Errors go to @errs like the parser's.
 */
static int check_subjects(const struct policy *pol,
			  struct policy_errors *errs)
{
	struct subject_id *ids;
	size_t i, first, n = 0;
	int ret = 0;

	ids = calloc(pol->nr_subjects + 1, sizeof(*ids));
	if (!ids)
		return -ENOMEM;
	for (i = 0; i < pol->nr_subjects && !ret; i++) {
		const struct policy_subject *s = &pol->subjects[i];
		struct stat st;

		if (stat(s->path, &st))
			ret = policy_error_add(errs, s->line, s->col,
					       "subject path '%s': %s",
					       s->path, strerror(errno));
		else if (!S_ISREG(st.st_mode))
			ret = policy_error_add(errs, s->line, s->col,
					       "subject path '%s' is not a regular file",
					       s->path);
		else
			ids[n++] = (struct subject_id){ st.st_dev, st.st_ino, i };
	}
	qsort(ids, n, sizeof(*ids), subject_id_cmp);
	for (i = 1, first = 0; i < n && !ret; i++) {
		const struct policy_subject *a, *b;

		if (ids[i].dev != ids[first].dev ||
		    ids[i].ino != ids[first].ino) {
			first = i;
			continue;
		}
		a = &pol->subjects[ids[first].index];
		b = &pol->subjects[ids[i].index];
		/* The parser already reported a repeated path. */
		if (!strcmp(a->path, b->path))
			continue;
		ret = policy_error_add(errs, b->line, b->col,
				       "subject path '%s' is the same file as '%s' (line %u)",
				       b->path, a->path, a->line);
	}
	free(ids);
	return ret;
}

static void report_kernel_error(const char *file, const struct policy *pol,
				const struct policy_msg_map *map, int err,
				const struct avf_nl_ack *ack)
{
	const char *why = ack->msg[0] ? ack->msg : strerror(-err);
	struct policy_loc loc;

	avf_nl_report("load policy", err, ack);
	if (!ack->has_offs)
		return;
	loc = policy_msg_locate(pol, map, ack->offs);
	switch (loc.kind) {
	case POLICY_LOC_SUBJECT:
		fprintf(stderr, "%s:%u: subject %s: %s\n", file, loc.line,
			pol->subjects[loc.index].path, why);
		break;
	case POLICY_LOC_LEVEL:
		fprintf(stderr, "%s:%u:%u: level %s: %s\n", file, loc.line,
			pol->level_col[loc.index],
			pol->levels.name[loc.index], why);
		break;
	case POLICY_LOC_LEVELS:
		fprintf(stderr, "%s:%u: levels: %s\n", file, loc.line, why);
		break;
	case POLICY_LOC_DEFAULT:
		fprintf(stderr, "%s:%u: default: %s\n", file, loc.line, why);
		break;
	case POLICY_LOC_MODE:
		fprintf(stderr, "%s:%u: mode: %s\n", file, loc.line, why);
		break;
	case POLICY_LOC_SUBJECTS:
		fprintf(stderr, "%s: subjects: %s\n", file, why);
		break;
	case POLICY_LOC_NONE:
		fprintf(stderr,
			"%s: the kernel pointed at offset %u of the request, outside the policy\n",
			file, ack->offs);
		break;
	}
}

static int send_policy(const char *file, const struct policy *pol)
{
	struct policy_msg_map map;
	struct avf_nl_ack ack;
	struct nl_msg *msg;
	struct avf_nl nl;
	size_t size;
	int ret;

	ret = avf_nl_open(&nl);
	if (ret) {
		avf_nl_report_open(ret);
		return 1;
	}
	size = policy_msg_size(pol);
	msg = avf_nl_msg(&nl, AVFENCE_CMD_LOAD_POLICY, size);
	if (!msg) {
		fprintf(stderr, "%s: load: out of memory\n", prog);
		goto out_close;
	}
	/*
	 * ABI 1 takes one AVFENCE_A_SUBJECTS nest, and a netlink attribute
	 * holds at most 64 KiB, so a large policy does not fit; see
	 * policy_msg_fill().  Splitting needs a kernel that reads every
	 * AVFENCE_A_SUBJECTS nest: an ABI 1 kernel would keep only the last.
	 */
	ret = policy_msg_fill(msg, pol, false, &map);
	if (ret == -E2BIG) {
		fprintf(stderr,
			"%s: load: %s: the subjects do not fit one netlink attribute (%u bytes at most, about %zu subjects of this policy's path lengths); the kernel ABI %d takes no more\n",
			prog, file, POLICY_NEST_MAX,
			(size_t)POLICY_NEST_MAX * pol->nr_subjects /
			(policy_msg_size(pol) + 1), AVFENCE_GENL_VERSION);
		nlmsg_free(msg);
		goto out_map;
	}
	if (ret) {
		fprintf(stderr, "%s: load: cannot build request: %s\n", prog,
			strerror(-ret));
		nlmsg_free(msg);
		goto out_map;
	}
	ret = avf_nl_reserve_sndbuf(&nl, nlmsg_hdr(msg)->nlmsg_len);
	if (ret) {
		fprintf(stderr,
			"%s: load: request of %u bytes exceeds the netlink send buffer (run as root, or raise net.core.wmem_max)\n",
			prog, nlmsg_hdr(msg)->nlmsg_len);
		nlmsg_free(msg);
		goto out_map;
	}
	ret = avf_nl_transact(&nl, msg, NULL, NULL, &ack);
	if (ret) {
		report_kernel_error(file, pol, &map, ret, &ack);
		goto out_map;
	}
	if (ack.msg[0])
		fprintf(stderr, "%s: load: kernel: %s\n", prog, ack.msg);
	printf("%s: loaded %u levels, %zu subject%s, mode %s\n", file,
	       pol->levels.count, pol->nr_subjects,
	       pol->nr_subjects == 1 ? "" : "s", policy_mode_name(pol->mode));
	policy_msg_map_free(&map);
	avf_nl_close(&nl);
	return 0;

out_map:
	policy_msg_map_free(&map);
out_close:
	avf_nl_close(&nl);
	return 1;
}

int load_main(int argc, char **argv)
{
	struct policy_errors errs = { 0 };
	struct policy pol;
	const char *file;
	size_t len = 0, i;
	char *buf = NULL;
	int ret;

	if (argc != 2)
		return command_usage_error("load", argc < 2 ?
					   "missing policy file" :
					   "too many arguments");
	file = argv[1];
	if (file[0] == '-' && file[1])
		return command_usage_error("load", "unknown option '%s'",
					   file);
	ret = read_file(file, &buf, &len);
	if (ret) {
		fprintf(stderr, "%s: %s: %s\n", prog, file, strerror(-ret));
		return 1;
	}
	ret = policy_parse(buf, len, &pol, &errs);
	free(buf);
	if (ret != -ENOMEM && check_subjects(&pol, &errs))
		ret = -ENOMEM;
	if (ret == -ENOMEM) {
		fprintf(stderr, "%s: %s: out of memory\n", prog, file);
		goto out;
	}
	if (errs.nr) {
		policy_errors_sort(&errs);
		for (i = 0; i < errs.nr; i++)
			fprintf(stderr, "%s:%u:%u: %s\n", file,
				errs.v[i].line, errs.v[i].col, errs.v[i].msg);
		fprintf(stderr, "%s: %s: %zu error%s, nothing loaded\n", prog,
			file, errs.nr, errs.nr == 1 ? "" : "s");
		ret = 1;
		goto out;
	}
	ret = send_policy(file, &pol);
out:
	policy_errors_free(&errs);
	policy_free(&pol);
	return ret ? 1 : 0;
}
