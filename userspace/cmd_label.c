// SPDX-License-Identifier: GPL-2.0
/*
 * avfencectl label [-R] LEVEL PATH...
 * avfencectl label --apply|--verify [--json] FILE (cmd_label_decl.c)
 * avfencectl unlabel [-R] PATH...
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "avfencectl.h"
#include "decide.h"
#include "labelset.h"
#include "status.h"

static const struct option label_options[] = {
	{ "recursive", no_argument, NULL, 'R' },
	OPT_END
};

/* label and unlabel: -R/--recursive.  Returns the first operand's index. */
static int parse_opts(int argc, char **argv, bool *recursive)
{
	*recursive = false;
	while (command_getopt(argc, argv, "R", label_options) != -1)
		*recursive = true;
	return optind;
}

/* The level must be one the kernel knows, or the label would fail closed. */
static int check_level(const char *level)
{
	struct avf_status st;
	u32 i;

	if (!avf_level_name_valid(level, strlen(level))) {
		fprintf(stderr, "%s: label: '%s' is not a valid level name\n",
			prog, level);
		return -EINVAL;
	}
	if (avf_status_fetch(&st)) {
		fprintf(stderr,
			"%s: label: cannot check level '%s' against the kernel's policy; nothing labelled\n",
			prog, level);
		return -ENOENT;
	}
	if (!st.policy_loaded) {
		fprintf(stderr,
			"%s: label: no policy loaded, so level '%s' cannot be checked; load one first\n",
			prog, level);
		return -ENOENT;
	}
	if (avf_levels_find(&st.levels, level, strlen(level)) < 0) {
		fprintf(stderr, "%s: label: level '%s' is not in the loaded policy (levels:",
			prog, level);
		for (i = 0; i < st.levels.count; i++)
			fprintf(stderr, " %s", st.levels.name[i]);
		fprintf(stderr, ")\n");
		return -EINVAL;
	}
	return 0;
}

static int run(const char *cmd, const char *level, int npaths, char **paths,
	       bool recursive)
{
	struct labelset ls = { .cmd = cmd };
	int i, ret = 1;

	for (i = 0; i < npaths; i++) {
		if (labelset_add(&ls, paths[i], recursive)) {
			fprintf(stderr, "%s: %s: out of memory\n", prog, cmd);
			goto out;
		}
	}
	if (ls.errors) {
		fprintf(stderr, "%s: %s: %u problem%s found, nothing changed\n",
			prog, cmd, ls.errors, ls.errors == 1 ? "" : "s");
		goto out;
	}
	if (labelset_snapshot(&ls)) {
		fprintf(stderr, "%s: %s: nothing changed\n", prog, cmd);
		goto out;
	}
	if (labelset_apply(&ls, level))
		goto out;
	if (level)
		printf("labelled %zu path%s %s\n", ls.nr,
		       ls.nr == 1 ? "" : "s", level);
	else
		printf("unlabelled %zu path%s\n", ls.nr,
		       ls.nr == 1 ? "" : "s");
	ret = 0;
out:
	labelset_free(&ls);
	return ret;
}

enum { OPT_APPLY = OPT_LONG, OPT_VERIFY, OPT_JSON };

static const struct option label_main_options[] = {
	{ "recursive", no_argument, NULL, 'R' },
	{ "apply", no_argument, NULL, OPT_APPLY },
	{ "verify", no_argument, NULL, OPT_VERIFY },
	{ "json", no_argument, NULL, OPT_JSON },
	OPT_END
};

int label_main(int argc, char **argv)
{
	bool recursive = false, json = false;
	int c, decl = 0;
	const char *file;

	while ((c = command_getopt(argc, argv, "R", label_main_options)) != -1) {
		switch (c) {
		case 'R':
			recursive = true;
			break;
		case OPT_APPLY:
		case OPT_VERIFY:
			if (decl && decl != c)
				return command_usage_error("label",
							   "--apply and --verify exclude each other");
			decl = c;
			break;
		case OPT_JSON:
			json = true;
			break;
		}
	}
	if (decl) {
		/* The label map a policy file declares (cmd_label_decl.c). */
		if (recursive)
			return command_usage_error("label",
						   "-R does not go with --apply or --verify");
		file = command_one_operand(argc, argv, "policy file");
		if (!file)
			return 1;
		return label_declared(file, decl == OPT_VERIFY, json);
	}
	if (json)
		return command_usage_error("label",
					   "--json goes with --apply or --verify");
	if (argc - optind < 2)
		return command_usage_error("label", argc - optind < 1 ?
					   "missing level and path" :
					   "missing path");
	if (check_level(argv[optind]))
		return 1;
	return run("label", argv[optind], argc - optind - 1,
		   argv + optind + 1, recursive);
}

int unlabel_main(int argc, char **argv)
{
	bool recursive;
	int i;

	i = parse_opts(argc, argv, &recursive);
	if (argc - i < 1)
		return command_usage_error("unlabel", "missing path");
	return run("unlabel", NULL, argc - i, argv + i, recursive);
}
