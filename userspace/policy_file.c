// SPDX-License-Identifier: GPL-2.0
/*
 * avfencectl: policy file in, struct policy or diagnostics out.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include "avfencectl.h"
#include "policy_file.h"

/**
 * policy_file_read - read a whole file into memory
 * @file: its name
 * @bufp: the contents, to free(); not NUL-terminated
 * @lenp: their length
 *
 * Return: 0, -EFBIG over POLICY_FILE_MAX, or another negative errno.
 */
int policy_file_read(const char *file, char **bufp, size_t *lenp)
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

/* The write= directories of @s must exist: the kernel resolves them. */
static int check_write_dirs(const struct policy_subject *s,
			    struct policy_errors *errs)
{
	struct stat st;
	u32 i;
	int ret = 0;

	for (i = 0; i < s->nr_write && !ret; i++) {
		if (stat(s->write[i], &st))
			ret = policy_error_add(errs, s->line, s->write_col,
					       "write= directory '%s': %s",
					       s->write[i], strerror(errno));
		else if (!S_ISDIR(st.st_mode))
			ret = policy_error_add(errs, s->line, s->write_col,
					       "write= entry '%s' is not a directory",
					       s->write[i]);
	}
	return ret;
}

/**
 * policy_check_subjects - resolve the subject paths as the kernel will
 * @pol: a parsed policy
 * @errs: problems are appended, like the parser's
 *
 * The kernel matches subjects by file identity, so each path must name an
 * existing regular file, and two paths naming the same file would be
 * ambiguous.  Each write= entry must name an existing directory.
 *
 * Return: 0 or -ENOMEM.
 */
int policy_check_subjects(const struct policy *pol,
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
		ret = ret ? ret : check_write_dirs(s, errs);
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
	return ret ? -ENOMEM : 0;
}

/* Print @errs sorted, then a summary line ending in @outcome; free them. */
static void print_errors(const char *file, struct policy_errors *errs,
			 const char *outcome)
{
	size_t i;

	policy_errors_sort(errs);
	for (i = 0; i < errs->nr; i++)
		fprintf(stderr, "%s:%u:%u: %s\n", file, errs->v[i].line,
			errs->v[i].col, errs->v[i].msg);
	fprintf(stderr, "%s: %s: %zu error%s, %s\n", prog, file, errs->nr,
		errs->nr == 1 ? "" : "s", outcome);
	policy_errors_free(errs);
}

/**
 * policy_file_report_subjects - print the problems of a policy's subjects
 * @file: the policy file's name
 * @pol: the policy, parsed without error
 * @outcome: the end of the summary line, e.g. "nothing loaded"
 *
 * For load, which leaves resolving the subjects to the kernel (it does
 * so anyway, and resolving each path twice doubled the time of a large
 * load): after the kernel refused the policy, list every subject problem
 * as check_subjects would have before sending.
 *
 * Return: 1 if problems were printed, 0 if none were found.
 */
int policy_file_report_subjects(const char *file, const struct policy *pol,
				const char *outcome)
{
	struct policy_errors errs = { 0 };

	if (policy_check_subjects(pol, &errs) || !errs.nr) {
		policy_errors_free(&errs);
		return 0;
	}
	print_errors(file, &errs, outcome);
	return 1;
}

/**
 * policy_file_get - read, parse and (with @resolve) check a policy file
 * @file: its name
 * @resolve: also check the subject paths on disk
 * @outcome: the end of the summary line when there are errors, e.g.
 *	"nothing loaded"
 * @pol: the policy; free with policy_free() whatever the result
 *
 * Every problem is printed to stderr as FILE:LINE:COL: message, sorted,
 * then one summary line.
 *
 * Return: 0 if the policy is valid, 1 after printing why not.
 */
int policy_file_get(const char *file, bool resolve, const char *outcome,
		    struct policy *pol)
{
	struct policy_errors errs = { 0 };
	char *buf = NULL;
	size_t len = 0;
	int ret;

	memset(pol, 0, sizeof(*pol));
	ret = policy_file_read(file, &buf, &len);
	if (ret) {
		fprintf(stderr, "%s: %s: %s\n", prog, file,
			ret == -EFBIG ? "file too large (limit 256 MiB)" :
			strerror(-ret));
		return 1;
	}
	ret = policy_parse(buf, len, pol, &errs);
	free(buf);
	/* Even with syntax errors: report all problems in one go. */
	if (resolve && ret != -ENOMEM && policy_check_subjects(pol, &errs))
		ret = -ENOMEM;
	if (ret == -ENOMEM) {
		fprintf(stderr, "%s: %s: out of memory\n", prog, file);
		policy_errors_free(&errs);
		return 1;
	}
	if (!errs.nr)
		return 0;
	print_errors(file, &errs, outcome);
	return 1;
}
