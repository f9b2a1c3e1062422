// SPDX-License-Identifier: GPL-2.0
/*
 * avfencectl suggest [--json] [FILE...]
 *
 * Read refusals (kernel log, audit log, monitor or monitor --json lines)
 * from each FILE ("-" or none: stdin) and print the write= and connect=
 * words each subject's policy line needs (suggest.c).  Needs no module
 * and no privilege.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "avfencectl.h"
#include "suggest.h"

enum { OPT_JSON = OPT_LONG };

static const struct option suggest_options[] = {
	{ "json", no_argument, NULL, OPT_JSON },
	OPT_END
};

/* Feed every line of @f to @s.  Return: 0, or -ENOMEM. */
static int read_lines(struct suggest *s, FILE *f, const char *name)
{
	char *line = NULL;
	size_t size = 0;
	int err = 0;

	while (getline(&line, &size, f) >= 0) {
		switch (suggest_line(s, line)) {
		case SUGGEST_NOMEM:
			err = -ENOMEM;
			goto out;
		case SUGGEST_UNUSABLE:
			line[strcspn(line, "\n")] = '\0';
			fprintf(stderr, "%s: suggest: %s: no policy word can name this refusal: %s\n",
				prog, name, line);
			break;
		default:
			break;
		}
	}
out:
	free(line);
	return err;
}

int suggest_main(int argc, char **argv)
{
	bool json = false;
	struct suggest s;
	int c, i, ret = 0;
	FILE *f;

	while ((c = command_getopt(argc, argv, "", suggest_options)) != -1)
		if (c == OPT_JSON)
			json = true;
	suggest_init(&s);
	for (i = optind; i < argc || (i == optind && optind == argc); i++) {
		const char *name = i < argc ? argv[i] : "-";

		f = strcmp(name, "-") ? fopen(name, "r") : stdin;
		if (!f) {
			fprintf(stderr, "%s: suggest: %s: %s\n", prog, name,
				strerror(errno));
			ret = 1;
			break;
		}
		if (read_lines(&s, f, name)) {
			fprintf(stderr, "%s: suggest: out of memory\n", prog);
			ret = 1;
		}
		if (f != stdin)
			fclose(f);
		if (ret)
			break;
	}
	if (!ret) {
		if (json)
			suggest_print_json(stdout, &s);
		else
			suggest_print(stdout, &s);
		if (!json && !s.nsubjects)
			fprintf(stderr, "%s: suggest: no write or connect refusal in %zu lines\n",
				prog, s.lines);
	}
	suggest_free(&s);
	return ret;
}
