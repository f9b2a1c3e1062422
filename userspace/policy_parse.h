/* SPDX-License-Identifier: GPL-2.0 */
/*
 * avfence policy file parser.
 *
 * policy_parse() is a pure function: it reads a buffer, fills a struct
 * policy and appends every problem it finds to a list of errors.  It does
 * no I/O and never stops at the first error, so the unit tests and a fuzzer
 * can call it without a kernel or a file system.
 */
#ifndef _AVFENCECTL_POLICY_PARSE_H
#define _AVFENCECTL_POLICY_PARSE_H

#include <stddef.h>
#include "decide.h"

/* Longest line accepted, in bytes, without the newline. */
#define POLICY_LINE_MAX		8192

/**
 * struct policy_subject - one "subject PATH LEVEL" line
 * @path: absolute path, NUL-terminated, owned by the policy
 * @path_len: strlen(@path)
 * @clearance: level index into policy.levels
 * @allow: AVFENCE_ALLOW_* side doors opened for this subject
 * @write: write= directories, sorted bytewise, unique; owned by the policy
 * @nr_write: entries in @write
 * @connect: connect= entries ("/path" or "@name"), sorted the same way
 * @nr_connect: entries in @connect
 * @write_col: column of the write= option, 0 without one
 * @line: line number of the directive (1-based)
 * @col: column of the path (1-based, in bytes)
 */
struct policy_subject {
	char *path;
	size_t path_len;
	u32 clearance;
	u32 allow;
	const char **write;
	u32 nr_write;
	const char **connect;
	u32 nr_connect;
	unsigned int write_col;
	unsigned int line;
	unsigned int col;
};

/**
 * struct policy_label - one "label PATH LEVEL" line
 * @path: absolute path, NUL-terminated, owned by the policy
 * @path_len: strlen(@path)
 * @level: level index into policy.levels
 * @line: line number of the directive (1-based)
 * @col: column of the path (1-based, in bytes)
 */
struct policy_label {
	char *path;
	size_t path_len;
	u32 level;
	unsigned int line;
	unsigned int col;
};

/**
 * struct policy - a parsed policy file
 * @levels: the ladder, lowest first
 * @levels_line: line of the "levels" directive, 0 if none
 * @level_col: column of each level name on that line
 * @default_level: index of the default level
 * @default_line: line of the "default" directive, 0 if none
 * @mode: enum avfence_mode
 * @mode_line: line of the "mode" directive, 0 if none
 * @subjects: the subjects, in file order
 * @nr_subjects: number of entries in @subjects
 * @alloc_subjects: allocated entries in @subjects
 * @by_path: the entries of @subjects in canonical order: by path, compared
 *	bytewise, as in the digest and the load request
 * @labels: the "label" lines, in file order
 * @nr_labels: number of entries in @labels
 * @alloc_labels: allocated entries in @labels
 * @labels_by_path: the entries of @labels in canonical order (by path,
 *	bytewise), as in the digest and the load request
 * @strings: where the paths are kept
 *
 * The fields are only meaningful when policy_parse() reported no error.
 */
struct policy {
	struct avf_levels levels;
	unsigned int levels_line;
	unsigned int level_col[AVFENCE_LEVELS_MAX];
	u32 default_level;
	unsigned int default_line;
	u32 mode;
	unsigned int mode_line;
	struct policy_subject *subjects;
	size_t nr_subjects;
	size_t alloc_subjects;
	const struct policy_subject **by_path;
	struct policy_label *labels;
	size_t nr_labels;
	size_t alloc_labels;
	const struct policy_label **labels_by_path;
	struct policy_strings *strings;
};

/**
 * struct policy_error - one diagnostic
 * @line: 1-based line
 * @col: 1-based column, in bytes
 * @seq: order of insertion, keeps sorting stable
 * @msg: the message, owned by the list
 */
struct policy_error {
	unsigned int line;
	unsigned int col;
	unsigned long seq;
	char *msg;
};

struct policy_errors {
	struct policy_error *v;
	size_t nr;
	size_t alloc;
};

int policy_parse(const char *buf, size_t len, struct policy *pol,
		 struct policy_errors *errs);
void policy_free(struct policy *pol);

int policy_error_add(struct policy_errors *errs, unsigned int line,
		     unsigned int col, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
void policy_errors_sort(struct policy_errors *errs);
void policy_errors_free(struct policy_errors *errs);

const char *policy_mode_name(u32 mode);

#endif /* _AVFENCECTL_POLICY_PARSE_H */
