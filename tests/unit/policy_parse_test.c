// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of userspace/policy_parse.c: every diagnostic with its exact
 * line, column and text, the limits at exactly the maximum and one past,
 * and valid files in their various shapes.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "policy_parse.h"
#include "unit.h"

/* Three valid lines; test lines start at line 4. */
#define HEAD "levels A B C\ndefault A\nmode enforce\n"

struct parsed {
	struct policy pol;
	struct policy_errors errs;
	int ret;
};

static void parse_buf(struct parsed *p, const char *buf, size_t len)
{
	char *copy = malloc(len ? len : 1);

	/* An exact-size copy: reading past @len would be a bug (ASan). */
	memcpy(copy, buf, len);
	memset(&p->errs, 0, sizeof(p->errs));
	p->ret = policy_parse(copy, len, &p->pol, &p->errs);
	free(copy);
}

static void parse(struct parsed *p, const char *text)
{
	parse_buf(p, text, strlen(text));
}

static void done(struct parsed *p)
{
	policy_free(&p->pol);
	policy_errors_free(&p->errs);
}

static void dump(const struct parsed *p)
{
	size_t i;

	for (i = 0; i < p->errs.nr; i++)
		printf("#   got %u:%u: %s\n", p->errs.v[i].line,
		       p->errs.v[i].col, p->errs.v[i].msg);
}

/* Is there an error at exactly @line:@col whose text is exactly @msg? */
static bool has(const struct parsed *p, unsigned int line, unsigned int col,
		const char *msg)
{
	size_t i;

	for (i = 0; i < p->errs.nr; i++)
		if (p->errs.v[i].line == line && p->errs.v[i].col == col &&
		    !strcmp(p->errs.v[i].msg, msg))
			return true;
	return false;
}

#define EXPECT_ERR(p, line, col, msg)					\
	do {								\
		EXPECT_TRUE(has(p, line, col, msg)) {			\
			TH_LOG("no error %u:%u: %s", line, col, msg);	\
			dump(p);					\
		}							\
	} while (0)

#define EXPECT_NR_ERRS(p, n)						\
	do {								\
		EXPECT_EQ(n, (p)->errs.nr);				\
		EXPECT_EQ((n) ? -EINVAL : 0, (p)->ret);			\
		if ((p)->errs.nr != (size_t)(n))			\
			dump(p);					\
	} while (0)

/* Parse HEAD + @line and expect exactly one error, on line 4. */
static void one(struct __test_metadata *_metadata, const char *line,
		unsigned int col, const char *msg)
{
	struct parsed p;
	char *text;

	if (asprintf(&text, HEAD "%s\n", line) < 0)
		abort();
	parse(&p, text);
	EXPECT_TRUE(p.errs.nr == 1 && has(&p, 4, col, msg)) {
		TH_LOG("'%s': want only 4:%u: %s", line, col, msg);
		dump(&p);
	}
	EXPECT_EQ(-EINVAL, p.ret);
	done(&p);
	free(text);
}

TEST(valid_file)
{
	struct parsed p;

	parse(&p,
	      "# avfence policy\n"
	      "\n"
	      "levels UNCLASSIFIED OFFICIAL SECRET TOP-SECRET   # lowest first\n"
	      "   default\tUNCLASSIFIED\n"
	      "mode audit#no blank before the comment\n"
	      "\t\n"
	      "subject /opt/av/bin/scanner OFFICIAL\n"
	      "subject /usr/sbin/clamd TOP-SECRET # the real one\n"
	      "# trailing comment, no newline at the end");
	EXPECT_NR_ERRS(&p, 0);
	EXPECT_EQ(4, p.pol.levels.count);
	EXPECT_STREQ("UNCLASSIFIED", p.pol.levels.name[0]);
	EXPECT_STREQ("TOP-SECRET", p.pol.levels.name[3]);
	EXPECT_EQ(3, p.pol.levels_line);
	EXPECT_EQ(8, p.pol.level_col[0]);
	EXPECT_EQ(21, p.pol.level_col[1]);
	EXPECT_EQ(0, p.pol.default_level);
	EXPECT_EQ(4, p.pol.default_line);
	EXPECT_EQ(AVFENCE_MODE_AUDIT, p.pol.mode);
	EXPECT_EQ(5, p.pol.mode_line);
	EXPECT_EQ(2, p.pol.nr_subjects);
	EXPECT_STREQ("/opt/av/bin/scanner", p.pol.subjects[0].path);
	EXPECT_EQ(1, p.pol.subjects[0].clearance);
	EXPECT_EQ(7, p.pol.subjects[0].line);
	EXPECT_EQ(9, p.pol.subjects[0].col);
	EXPECT_STREQ("/usr/sbin/clamd", p.pol.subjects[1].path);
	EXPECT_EQ(3, p.pol.subjects[1].clearance);
	done(&p);
}

TEST(valid_any_order_crlf)
{
	struct parsed p;

	/* Level names are resolved after the whole file is read. */
	parse(&p, "subject /bin/x HIGH\r\nmode enforce\r\ndefault LOW\r\n"
		  "levels LOW HIGH\r\n");
	EXPECT_NR_ERRS(&p, 0);
	EXPECT_EQ(AVFENCE_MODE_ENFORCE, p.pol.mode);
	EXPECT_EQ(0, p.pol.default_level);
	EXPECT_EQ(1, p.pol.nr_subjects);
	EXPECT_EQ(1, p.pol.subjects[0].clearance);
	done(&p);
}

TEST(valid_no_subjects)
{
	struct parsed p;

	parse(&p, "levels ONLY\ndefault ONLY\nmode enforce");
	EXPECT_NR_ERRS(&p, 0);
	EXPECT_EQ(1, p.pol.levels.count);
	EXPECT_EQ(0, p.pol.nr_subjects);
	done(&p);
}

TEST(comments_everywhere)
{
	struct parsed p;

	parse(&p, "#levels X\n"
		  "levels A B#C\n"
		  "default B # A\n"
		  "mode enforce#audit\n"
		  "subject /a#b A\n"		/* the comment eats the level */
		  "    # indented comment\n"
		  "#\n");
	EXPECT_NR_ERRS(&p, 1);
	EXPECT_EQ(2, p.pol.levels.count);
	EXPECT_EQ(1, p.pol.default_level);
	EXPECT_EQ(AVFENCE_MODE_ENFORCE, p.pol.mode);
	EXPECT_ERR(&p, 5, 11, "'subject' needs a path and a level name");
	done(&p);
}

TEST(missing_directives)
{
	struct parsed p;

	parse(&p, "");
	EXPECT_NR_ERRS(&p, 3);
	EXPECT_ERR(&p, 1, 1, "missing 'levels' directive");
	EXPECT_ERR(&p, 1, 1, "missing 'default' directive");
	EXPECT_ERR(&p, 1, 1, "missing 'mode' directive");
	done(&p);

	parse(&p, "default A\nmode enforce\nsubject /x A\n");
	/* No ladder: the names are not also reported as unknown. */
	EXPECT_NR_ERRS(&p, 1);
	EXPECT_ERR(&p, 1, 1, "missing 'levels' directive");
	done(&p);

	parse(&p, "levels A\nmode enforce\n");
	EXPECT_NR_ERRS(&p, 1);
	EXPECT_ERR(&p, 1, 1, "missing 'default' directive");
	done(&p);

	parse(&p, "# only a comment\nlevels A\ndefault A\n\n");
	EXPECT_NR_ERRS(&p, 1);
	EXPECT_ERR(&p, 1, 1, "missing 'mode' directive");
	done(&p);
}

TEST(duplicate_directives)
{
	one(_metadata, "levels X", 1, "duplicate 'levels' directive (first on line 1)");
	one(_metadata, "  default B", 3,
	    "duplicate 'default' directive (first on line 2)");
	one(_metadata, "mode audit", 1, "duplicate 'mode' directive (first on line 3)");
}

TEST(unknown_directive)
{
	one(_metadata, "  frob x y", 3,
	    "unknown directive 'frob' (expected levels, default, mode, subject or label)");
	one(_metadata, "Levels A", 1,
	    "unknown directive 'Levels' (expected levels, default, mode, subject or label)");
	one(_metadata, "subjects /x A", 1,
	    "unknown directive 'subjects' (expected levels, default, mode, subject or label)");
}

TEST(unknown_levels)
{
	struct parsed p;

	parse(&p, "levels A B C\ndefault D\nmode enforce\n");
	EXPECT_NR_ERRS(&p, 1);
	EXPECT_ERR(&p, 2, 9, "unknown level 'D'");
	done(&p);

	one(_metadata, "subject /bin/true a", 19, "unknown level 'a'");
	one(_metadata, "subject /bin/true  AB", 20, "unknown level 'AB'");
}

TEST(duplicate_level)
{
	struct parsed p;

	parse(&p, "levels A B A B\ndefault A\nmode enforce\n");
	EXPECT_NR_ERRS(&p, 2);
	EXPECT_ERR(&p, 1, 12, "duplicate level 'A' (first at column 8)");
	EXPECT_ERR(&p, 1, 14, "duplicate level 'B' (first at column 10)");
	EXPECT_EQ(2, p.pol.levels.count);
	done(&p);
}

TEST(bad_level_names)
{
	static const char *const bad[] = {
		"-A", "_A", "A.B", "A@B", "A/B", "\xc3\x89T\xc3\x89",
	};
	struct parsed p;
	char text[256], msg[256];
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		snprintf(text, sizeof(text),
			 "levels A %s\ndefault A\nmode audit\n", bad[i]);
		parse(&p, text);
		EXPECT_NR_ERRS(&p, 1);
		snprintf(msg, sizeof(msg),
			 "invalid level name '%s': 1-63 characters of A-Z a-z 0-9 _ -, starting with a letter or digit",
			 i == 5 ? "\\xc3\\x89T\\xc3\\x89" : bad[i]);
		EXPECT_ERR(&p, 1, 10, msg);
		done(&p);
	}
}

TEST(level_name_length)
{
	struct parsed p;
	char text[256], name[80];

	memset(name, 'N', sizeof(name));
	name[63] = '\0';
	snprintf(text, sizeof(text), "levels %s\ndefault %s\nmode audit\n",
		 name, name);
	parse(&p, text);
	EXPECT_NR_ERRS(&p, 0);
	done(&p);

	name[63] = 'N';
	name[64] = '\0';
	snprintf(text, sizeof(text), "levels A %s\ndefault A\nmode audit\n",
		 name);
	parse(&p, text);
	EXPECT_NR_ERRS(&p, 1);
	EXPECT_TRUE(p.errs.nr == 1 && p.errs.v[0].line == 1 &&
	       p.errs.v[0].col == 10 &&
	       strstr(p.errs.v[0].msg, "invalid level name 'NNNN"));
	/* Long tokens are cut short in messages. */
	EXPECT_TRUE(p.errs.nr == 1 && strstr(p.errs.v[0].msg, "N...'"));
	done(&p);
}

/* "levels L0 L1 ... L@n-1" */
static char *levels_line(int n)
{
	return numbered_text("levels", " L%d", n);
}

TEST(too_many_levels)
{
	struct parsed p;
	char *lv, *text;
	unsigned int col;

	lv = levels_line(AVFENCE_LEVELS_MAX);
	if (asprintf(&text, "%s\ndefault L0\nmode audit\nsubject /x L31\n",
		     lv) < 0)
		abort();
	parse(&p, text);
	EXPECT_NR_ERRS(&p, 0);
	EXPECT_EQ(AVFENCE_LEVELS_MAX, p.pol.levels.count);
	EXPECT_EQ(31, p.pol.subjects[0].clearance);
	done(&p);
	free(text);
	free(lv);

	lv = levels_line(AVFENCE_LEVELS_MAX + 2);
	col = strstr(lv, " L32") - lv + 2;
	if (asprintf(&text, "%s\ndefault L0\nmode audit\n", lv) < 0)
		abort();
	parse(&p, text);
	/* Reported once, at the first name past the limit. */
	EXPECT_NR_ERRS(&p, 1);
	EXPECT_ERR(&p, 1, col, "too many levels (limit 32)");
	done(&p);
	free(text);
	free(lv);
}

static char *subjects_file(int n)
{
	size_t size = 64 + (size_t)n * 40;
	char *s = malloc(size);
	int i, o;

	o = sprintf(s, "levels A B\ndefault A\nmode enforce\n");
	for (i = 0; i < n; i++)
		o += sprintf(s + o, "subject /opt/av/bin/agent-%05d B\n", i);
	return s;
}

TEST(too_many_subjects)
{
	struct parsed p;
	char *text;

	text = subjects_file(AVFENCE_SUBJECTS_MAX);
	parse(&p, text);
	EXPECT_NR_ERRS(&p, 0);
	EXPECT_EQ(AVFENCE_SUBJECTS_MAX, p.pol.nr_subjects);
	EXPECT_EQ(3 + AVFENCE_SUBJECTS_MAX,
		  p.pol.subjects[AVFENCE_SUBJECTS_MAX - 1].line);
	done(&p);
	free(text);

	text = subjects_file(AVFENCE_SUBJECTS_MAX + 2);
	parse(&p, text);
	EXPECT_NR_ERRS(&p, 1);
	EXPECT_ERR(&p, 4 + AVFENCE_SUBJECTS_MAX, 1,
		   "too many subjects (limit 16384)");
	done(&p);
	free(text);
}

TEST(relative_subject)
{
	one(_metadata, "subject opt/av/scanner A", 9,
	    "subject path 'opt/av/scanner' is not absolute");
	one(_metadata, "subject ./scanner A", 9,
	    "subject path './scanner' is not absolute");
	one(_metadata, "subject ~/scanner A", 9,
	    "subject path '~/scanner' is not absolute");
}

TEST(subject_path_length)
{
	struct parsed p;
	char *path = malloc(AVFENCE_PATH_MAX + 1), *text;

	memset(path, 'p', AVFENCE_PATH_MAX);
	path[0] = '/';
	path[AVFENCE_PATH_MAX - 1] = '\0';		/* 4095 bytes */
	if (asprintf(&text, HEAD "subject %s B\n", path) < 0)
		abort();
	parse(&p, text);
	EXPECT_NR_ERRS(&p, 0);
	EXPECT_EQ(AVFENCE_PATH_MAX - 1, strlen(p.pol.subjects[0].path));
	done(&p);
	free(text);

	path[AVFENCE_PATH_MAX - 1] = 'p';
	path[AVFENCE_PATH_MAX] = '\0';			/* 4096 bytes */
	if (asprintf(&text, HEAD "subject %s B\n", path) < 0)
		abort();
	parse(&p, text);
	EXPECT_NR_ERRS(&p, 1);
	EXPECT_ERR(&p, 4, 9, "subject path too long (4096 bytes, limit 4095)");
	done(&p);
	free(text);
	free(path);
}

TEST(duplicate_subject)
{
	struct parsed p;

	parse(&p, HEAD "subject /bin/a A\nsubject /bin/b B\n"
		  "  subject /bin/a C\nsubject /bin/a A\n");
	EXPECT_NR_ERRS(&p, 2);
	EXPECT_ERR(&p, 6, 11,
		   "duplicate subject path '/bin/a' (first on line 4)");
	EXPECT_ERR(&p, 7, 9,
		   "duplicate subject path '/bin/a' (first on line 4)");
	done(&p);
}

TEST(argument_counts)
{
	struct parsed p;

	parse(&p, "levels\ndefault A\nmode enforce\n");
	EXPECT_NR_ERRS(&p, 1);
	EXPECT_ERR(&p, 1, 7, "'levels' needs at least one level name");
	done(&p);

	parse(&p, "levels A\ndefault\nmode enforce\n");
	EXPECT_NR_ERRS(&p, 1);
	EXPECT_ERR(&p, 2, 8, "'default' needs a level name");
	done(&p);

	parse(&p, "levels A B\ndefault A B\nmode enforce\n");
	EXPECT_NR_ERRS(&p, 1);
	EXPECT_ERR(&p, 2, 11,
		   "'default' takes exactly one level name, got 2 arguments");
	done(&p);

	parse(&p, "levels A\ndefault A\nmode   # none\n");
	EXPECT_NR_ERRS(&p, 1);
	EXPECT_ERR(&p, 3, 5, "'mode' needs 'enforce' or 'audit'");
	done(&p);

	parse(&p, "levels A\ndefault A\nmode enforce audit\n");
	EXPECT_NR_ERRS(&p, 1);
	EXPECT_ERR(&p, 3, 14, "'mode' takes exactly one argument, got 2");
	done(&p);

	one(_metadata, "subject", 8, "'subject' needs a path and a level name");
	one(_metadata, "subject /bin/a", 15, "'subject' needs a path and a level name");
	one(_metadata, "subject /bin/a A B", 18,
	    "unexpected 'B' after the level name (expected allow=, write= or connect=)");
}

TEST(subject_allow_flags)
{
	struct parsed p;

	parse(&p, HEAD "subject /a A\nsubject /b B allow=ptrace\n"
		  "subject /c C allow=raw-devices,ptrace # both\n"
		  "subject /d C allow=ptrace,raw-devices\n");
	EXPECT_NR_ERRS(&p, 0);
	if (p.pol.nr_subjects == 4) {
		EXPECT_EQ(0, p.pol.subjects[0].allow);
		EXPECT_EQ(AVFENCE_ALLOW_PTRACE, p.pol.subjects[1].allow);
		EXPECT_EQ(AVFENCE_ALLOW_PTRACE | AVFENCE_ALLOW_RAW_DEVICES,
			  p.pol.subjects[2].allow);
		EXPECT_EQ(p.pol.subjects[2].allow, p.pol.subjects[3].allow);
	}
	done(&p);

	one(_metadata, "subject /a A allow=", 14,
	    "'allow=' needs flags: raw-devices, ptrace");
	one(_metadata, "subject /a A allow=ptrace,bpf", 27,
	    "unknown allow flag 'bpf' (expected raw-devices or ptrace)");
	one(_metadata, "subject /a A allow=Ptrace", 20,
	    "unknown allow flag 'Ptrace' (expected raw-devices or ptrace)");
	one(_metadata, "subject /a A allow=ptrace,ptrace", 27,
	    "duplicate allow flag 'ptrace'");
	one(_metadata, "subject /a A allow=ptrace,,raw-devices", 27,
	    "empty flag in 'allow='");
	one(_metadata, "subject /a A allow=ptrace,", 27, "empty flag in 'allow='");
	one(_metadata, "subject /a A allow=ptrace allow=raw-devices", 27,
	    "duplicate 'allow=' option (first at column 14)");
	parse(&p, HEAD "subject /a A allow ptrace\n");
	EXPECT_NR_ERRS(&p, 2);
	EXPECT_ERR(&p, 4, 14,
		   "unexpected 'allow' after the level name (expected allow=, write= or connect=)");
	EXPECT_ERR(&p, 4, 20,
		   "unexpected 'ptrace' after the level name (expected allow=, write= or connect=)");
	EXPECT_EQ(0, p.pol.nr_subjects);
	done(&p);
}

TEST(unknown_mode)
{
	struct parsed p;

	parse(&p, "levels A\ndefault A\nmode Enforce\n");
	EXPECT_NR_ERRS(&p, 1);
	EXPECT_ERR(&p, 3, 6,
		   "unknown mode 'Enforce' (expected 'enforce' or 'audit')");
	done(&p);

	parse(&p, "levels A\ndefault A\nmode permissive\n");
	EXPECT_NR_ERRS(&p, 1);
	EXPECT_ERR(&p, 3, 6,
		   "unknown mode 'permissive' (expected 'enforce' or 'audit')");
	done(&p);
}

TEST(line_length)
{
	struct parsed p;
	char *text, *pad;
	size_t lead = strlen("subject /x B ");

	/* A line of exactly POLICY_LINE_MAX bytes, padded by a comment. */
	pad = malloc(POLICY_LINE_MAX + 2);
	memset(pad, 'c', POLICY_LINE_MAX + 1);
	pad[0] = '#';
	pad[POLICY_LINE_MAX - lead] = '\0';
	if (asprintf(&text, HEAD "subject /x B %s\n", pad) < 0)
		abort();
	EXPECT_EQ(POLICY_LINE_MAX, strchr(text + strlen(HEAD), '\n') -
				   (text + strlen(HEAD)));
	parse(&p, text);
	EXPECT_NR_ERRS(&p, 0);
	done(&p);
	free(text);

	pad[POLICY_LINE_MAX - lead] = 'c';
	pad[POLICY_LINE_MAX - lead + 1] = '\0';
	if (asprintf(&text, HEAD "subject /x B %s\nsubject /y B\n", pad) < 0)
		abort();
	parse(&p, text);
	EXPECT_NR_ERRS(&p, 1);
	EXPECT_ERR(&p, 4, POLICY_LINE_MAX + 1,
		   "line too long (8193 bytes, limit 8192)");
	/* The overlong line is skipped, the next one is read. */
	EXPECT_EQ(1, p.pol.nr_subjects);
	done(&p);
	free(text);
	free(pad);
}

TEST(nul_bytes)
{
	static const char text[] = HEAD "subject /bin/a\0b A\nfoo\0\n\0\n";
	struct parsed p;

	parse_buf(&p, text, sizeof(text) - 1);
	EXPECT_NR_ERRS(&p, 3);
	EXPECT_ERR(&p, 4, 15, "NUL byte in file");
	EXPECT_ERR(&p, 5, 4, "NUL byte in file");
	EXPECT_ERR(&p, 6, 1, "NUL byte in file");
	done(&p);
}

TEST(all_errors_in_order)
{
	struct parsed p;

	parse(&p, "levels A A\n"		/* 1:10 duplicate level */
		  "mode fast\n"			/* 2:6 unknown mode */
		  "subject rel A\n"		/* 3:9 not absolute */
		  "bogus\n"			/* 4:1 unknown directive */
		  "subject /x Z\n"		/* 5:12 unknown level */
		  "mode audit\n");		/* 6:1 duplicate directive */
	EXPECT_NR_ERRS(&p, 7);			/* + 1:1 missing default */
	if (p.errs.nr == 7) {
		EXPECT_EQ(1, p.errs.v[0].line);
		EXPECT_EQ(1, p.errs.v[0].col);
		EXPECT_STREQ("missing 'default' directive", p.errs.v[0].msg);
		EXPECT_EQ(10, p.errs.v[1].col);
		EXPECT_EQ(2, p.errs.v[2].line);
		EXPECT_EQ(3, p.errs.v[3].line);
		EXPECT_EQ(4, p.errs.v[4].line);
		EXPECT_EQ(5, p.errs.v[5].line);
		EXPECT_EQ(12, p.errs.v[5].col);
		EXPECT_EQ(6, p.errs.v[6].line);
	}
	done(&p);
}

TEST(quoting_in_messages)
{
	struct parsed p;
	char text[256], want[512];
	int o;

	/* Found by fuzzing: 48 escaped bytes once overflowed the buffer. */
	memset(text, 0, sizeof(text));
	o = sprintf(text, "levels A A b@");
	memset(text + o, 0xd4, 60);
	strcpy(text + o + 60, "\ndefault A\nmode audit\n");
	parse(&p, text);
	EXPECT_NR_ERRS(&p, 2);
	o = sprintf(want, "invalid level name 'b@");
	for (int i = 0; i < 46; i++)
		o += sprintf(want + o, "\\xd4");
	sprintf(want + o, "...': 1-63 characters of A-Z a-z 0-9 _ -, starting with a letter or digit");
	EXPECT_ERR(&p, 1, 12, want);
	done(&p);

	one(_metadata, "fr\x01o'b\\", 1,
	    "unknown directive 'fr\\x01o\\x27b\\x5c' (expected levels, default, mode, subject or label)");
}

TEST_HARNESS_MAIN
