/* SPDX-License-Identifier: GPL-2.0 */
/*
 * avfencectl suggest: the write= and connect= words a policy needs, from
 * what audit mode (or enforce mode) refused.
 */
#ifndef _AVFENCECTL_SUGGEST_H
#define _AVFENCECTL_SUGGEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/**
 * struct suggest_subject - what one subject was refused
 * @name: its executable (exe= of events and audit records), or
 *	"comm:NAME" when only a kernel log line named it
 * @clearance: its clearance, from the first refusal seen
 * @write: directories it changed something in, minimal (none below
 *	another); @nwrite of them
 * @connect: sockets it connected to, "/path" or "@name"; @nconnect
 */
struct suggest_subject {
	char *name;
	char *clearance;
	char **write;
	size_t nwrite;
	char **connect;
	size_t nconnect;
};

/**
 * struct suggest - refusals gathered from any number of lines
 * @subjects: one per subject, in the order first seen; @nsubjects
 * @lines: lines read; @used: lines that were write or connect refusals
 * @skipped: refusals whose path cannot be written in a policy (listed on
 *	stderr by the command)
 */
struct suggest {
	struct suggest_subject *subjects;
	size_t nsubjects;
	size_t lines;
	size_t used;
	size_t skipped;
};

/* What suggest_line() made of a line. */
enum suggest_result {
	SUGGEST_IGNORED,	/* not a write or connect refusal */
	SUGGEST_USED,		/* recorded */
	SUGGEST_UNUSABLE,	/* a refusal, but no policy word can name it */
	SUGGEST_NOMEM,
};

void suggest_init(struct suggest *s);
void suggest_free(struct suggest *s);
enum suggest_result suggest_line(struct suggest *s, const char *line);
void suggest_print(FILE *f, const struct suggest *s);
void suggest_print_json(FILE *f, const struct suggest *s);

#endif /* _AVFENCECTL_SUGGEST_H */
