// SPDX-License-Identifier: GPL-2.0
/*
 * avfencectl label --apply [--json] FILE
 * avfencectl label --verify [--json] FILE
 *
 * The label map a policy declares ("label PATH LEVEL" lines), applied as
 * security.avfence xattrs or checked against them, as restorecon and
 * restorecon -n do for SELinux's file_contexts.  Each line covers PATH and
 * everything below it on the same file system (the walk of label -R,
 * labelset.c), except what a nearer label line covers.  File systems
 * without security.* xattrs (NFS, vfat, FUSE...) are labelled by the
 * policy alone: nothing is written there and nothing can drift.
 *
 * Exit status: 0; 1 if --verify found drift; 2 on any other problem (and
 * --apply then changes nothing it can undo, see labelset_apply()).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/xattr.h>

#include "avfencectl.h"
#include "decide.h"
#include "labelset.h"
#include "output.h"
#include "policy_file.h"

#define EXIT_DRIFT	1
#define EXIT_TROUBLE	2

/* What one label line covers, walked. */
struct decl {
	const struct policy_label *l;
	const char *level;
	bool policy_only;	/* no security.* xattrs there */
	struct labelset ls;
	size_t changed;		/* targets whose own label differs */
};

/* Is @path @dir itself or below it (string comparison, as written)? */
static bool under(const char *path, const char *dir)
{
	size_t n = strlen(dir);

	if (n == 1 && dir[0] == '/')
		return path[0] == '/';
	return !strncmp(path, dir, n) && (path[n] == '\0' || path[n] == '/');
}

/* Drop the targets of @d that a nearer label line covers. */
static void drop_nearer(struct decl *d, const struct policy *pol)
{
	size_t i, j, keep = 0;

	for (i = 0; i < d->ls.nr; i++) {
		struct label_target *t = &d->ls.v[i];
		bool nearer = false;

		for (j = 0; j < pol->nr_labels && !nearer; j++) {
			const struct policy_label *o = &pol->labels[j];

			nearer = o != d->l && o->path_len > d->l->path_len &&
				 under(o->path, d->l->path) &&
				 under(t->path, o->path);
		}
		if (nearer) {
			free(t->path);
			free(t->old);
			continue;
		}
		d->ls.v[keep++] = *t;
	}
	d->ls.nr = keep;
}

static bool own_is(const struct label_target *t, const char *level)
{
	size_t len = t->had_old ? avf_label_trim(t->old, t->old_len) : 0;

	return t->had_old && len == strlen(level) && !memcmp(t->old, level, len);
}

/* Walk and snapshot what @d covers: 0, or the number of problems. */
static unsigned int collect(struct decl *d, const struct policy *pol,
			    const char *cmd)
{
	char buf[4];
	struct stat st;

	d->ls.cmd = cmd;
	if (lstat(d->l->path, &st)) {
		fprintf(stderr, "%s: %s: line %u: %s: %s\n", prog, cmd,
			d->l->line, d->l->path, strerror(errno));
		return 1;
	}
	if (lgetxattr(d->l->path, AVFENCE_XATTR_NAME, buf, sizeof(buf)) < 0 &&
	    (errno == EOPNOTSUPP || errno == ENOTSUP)) {
		d->policy_only = true;
		return 0;
	}
	if (labelset_add(&d->ls, d->l->path, true)) {
		fprintf(stderr, "%s: %s: out of memory\n", prog, cmd);
		return 1;
	}
	if (d->ls.errors)
		return d->ls.errors;
	drop_nearer(d, pol);
	return labelset_snapshot(&d->ls);
}

static void json_decl(const struct decl *d, bool verify, bool *first)
{
	size_t i;

	printf("%s{\"path\":", *first ? "" : ",");
	*first = false;
	json_string(stdout, d->l->path);
	printf(",\"level\":");
	json_string(stdout, d->level);
	printf(",\"line\":%u,\"xattrs\":%s,\"files\":%zu,\"%s\":%zu",
	       d->l->line, d->policy_only ? "false" : "true", d->ls.nr,
	       verify ? "drifted" : "changed", d->changed);
	if (verify) {
		bool firstd = true;

		printf(",\"drift\":[");
		for (i = 0; i < d->ls.nr; i++) {
			const struct label_target *t = &d->ls.v[i];
			char own[AVFENCE_LEVEL_NAME_MAX * 4 + 1];
			size_t len;

			if (own_is(t, d->level))
				continue;
			printf("%s{\"path\":", firstd ? "" : ",");
			firstd = false;
			json_string(stdout, t->path);
			printf(",\"own\":");
			if (t->had_old) {
				len = avf_label_trim(t->old, t->old_len);
				if (len >= sizeof(own))
					len = sizeof(own) - 1;
				memcpy(own, t->old, len);
				own[len] = '\0';
				json_string(stdout, own);
			} else {
				printf("null");
			}
			printf("}");
		}
		printf("]");
	}
	printf("}");
}

/* Print one drifted file as "PATH: own X, declared Y (FILE:LINE)". */
static void print_drift(const char *file, const struct decl *d,
			const struct label_target *t)
{
	size_t len, i;

	printf("%s: ", t->path);
	if (!t->had_old) {
		printf("no label");
	} else {
		printf("own ");
		len = avf_label_trim(t->old, t->old_len);
		for (i = 0; i < len; i++) {
			unsigned char c = t->old[i];

			if (c > 0x20 && c < 0x7f && c != '\\')
				putchar(c);
			else
				printf("\\x%02x", c);
		}
		if (!len)
			printf("\"\"");
	}
	printf(", declared %s (%s:%u)\n", d->level, file, d->l->line);
}

static int run(const char *file, bool verify, bool json)
{
	const char *cmd = verify ? "label --verify" : "label --apply";
	size_t i, j, files = 0, changed = 0, policy_only = 0;
	unsigned int problems = 0;
	struct decl *decls = NULL;
	struct policy pol;
	bool first = true;
	int ret = EXIT_TROUBLE;

	if (policy_file_get(file, false, "nothing done", &pol))
		goto out_pol;
	if (!pol.nr_labels) {
		fprintf(stderr, "%s: %s: %s declares no labels ('label PATH LEVEL' lines)\n",
			prog, cmd, file);
		goto out_pol;
	}
	decls = calloc(pol.nr_labels, sizeof(*decls));
	if (!decls) {
		fprintf(stderr, "%s: %s: out of memory\n", prog, cmd);
		goto out_pol;
	}
	for (i = 0; i < pol.nr_labels; i++) {
		decls[i].l = pol.labels_by_path[i];
		decls[i].level = pol.levels.name[decls[i].l->level];
		problems += collect(&decls[i], &pol, cmd);
	}
	if (problems) {
		fprintf(stderr, "%s: %s: %u problem%s found, nothing %s\n",
			prog, cmd, problems, problems == 1 ? "" : "s",
			verify ? "verified" : "changed");
		goto out;
	}
	for (i = 0; i < pol.nr_labels; i++) {
		struct decl *d = &decls[i];

		for (j = 0; j < d->ls.nr; j++)
			d->changed += !own_is(&d->ls.v[j], d->level);
		files += d->ls.nr;
		changed += d->changed;
		policy_only += d->policy_only;
	}
	if (!verify) {
		for (i = 0; i < pol.nr_labels; i++) {
			if (decls[i].changed &&
			    labelset_apply(&decls[i].ls, decls[i].level)) {
				if (i)
					fprintf(stderr, "%s: %s: the label lines before line %u were applied\n",
						prog, cmd, decls[i].l->line);
				goto out;
			}
		}
	}
	if (json) {
		printf("{\"file\":");
		json_string(stdout, file);
		printf(",\"files\":%zu,\"%s\":%zu,\"labels\":[", files,
		       verify ? "drifted" : "changed", changed);
		for (i = 0; i < pol.nr_labels; i++)
			json_decl(&decls[i], verify, &first);
		printf("]}\n");
	} else {
		for (i = 0; i < pol.nr_labels; i++) {
			const struct decl *d = &decls[i];

			if (d->policy_only) {
				printf("%s: %s by the policy alone (no %s on this file system)\n",
				       d->l->path, d->level, AVFENCE_XATTR_NAME);
				continue;
			}
			for (j = 0; verify && j < d->ls.nr; j++)
				if (!own_is(&d->ls.v[j], d->level))
					print_drift(file, d, &d->ls.v[j]);
		}
		if (verify)
			printf("%s: %zu file%s checked, %zu drifted%s\n", file,
			       files, files == 1 ? "" : "s", changed,
			       policy_only ? ", some trees labelled by the policy alone" : "");
		else
			printf("%s: %zu file%s labelled, %zu changed\n", file,
			       files, files == 1 ? "" : "s", changed);
	}
	ret = verify && changed ? EXIT_DRIFT : 0;
out:
	for (i = 0; i < pol.nr_labels; i++)
		labelset_free(&decls[i].ls);
	free(decls);
out_pol:
	policy_free(&pol);
	return ret;
}

/**
 * label_declared - label --apply|--verify [--json] FILE
 * @file: the policy file
 * @verify: check instead of writing
 * @json: one JSON object on stdout
 *
 * Return: the exit status.
 */
int label_declared(const char *file, bool verify, bool json)
{
	return run(file, verify, json);
}
