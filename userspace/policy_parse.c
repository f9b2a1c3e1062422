// SPDX-License-Identifier: GPL-2.0
/*
 * avfence policy file parser: buffer in, struct policy and a list of
 * "LINE:COL: message" diagnostics out.  See Documentation/policy.rst.
 *
 * The grammar is line based:
 *
 *	levels NAME...			lowest first, exactly once
 *	default NAME			exactly once
 *	mode enforce|audit		exactly once
 *	subject /ABS/PATH NAME [allow=FLAG,...] [write=DIR,...]
 *		[connect=PATH|@NAME,...]	any number; options in any order,
 *					each at most once
 *	label /ABS/PATH NAME		any number, one per path
 *
 * '#' starts a comment anywhere on a line.  Tokens are separated by blanks.
 * In a path, "\ooo" (three octal digits) stands for one byte, as in the
 * canonical form (kmod/canon.c): "\040" a blank, "\043" '#', "\134" '\'.
 * "default" and "subject" may come before "levels": level names are
 * resolved after the whole file has been read.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "policy_parse.h"

struct token {
	const char *s;
	size_t len;
	unsigned int col;
};

/* A level name waiting for the ladder: the default or a subject's clearance. */
struct pending {
	struct token name;
	unsigned int line;
	size_t subject;		/* index into policy.subjects, or SIZE_MAX */
	size_t label;		/* index into policy.labels, or SIZE_MAX */
};

struct parser {
	struct policy *pol;
	struct policy_errors *errs;
	struct token *tok;		/* tokens of the current line */
	char *path;			/* parse_path()'s result */
	struct pending *pend;
	size_t nr_pend;
	size_t alloc_pend;
	size_t nr_subject_lines;	/* well-formed subject lines seen */
	bool too_many_subjects;
	bool too_many_labels;
	int err;			/* -ENOMEM once allocation failed */
};

#define QUOTE_MAX 48

/* A token quoted for a message: escaped and cut short if long. */
struct quoted {
	char s[QUOTE_MAX * 4 + sizeof("...")];	/* every byte may be \xNN */
};

static struct quoted quote(const char *s, size_t len)
{
	struct quoted q;
	size_t i, o = 0;

	for (i = 0; i < len && i < QUOTE_MAX; i++) {
		unsigned char c = s[i];

		if (c >= 0x20 && c < 0x7f && c != '\\' && c != '\'')
			q.s[o++] = c;
		else
			o += snprintf(q.s + o, sizeof(q.s) - o, "\\x%02x", c);
	}
	if (len > QUOTE_MAX)
		o += snprintf(q.s + o, sizeof(q.s) - o, "...");
	q.s[o] = '\0';
	return q;
}

#define Q(t) quote((t)->s, (t)->len).s
#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

int policy_error_add(struct policy_errors *errs, unsigned int line,
		     unsigned int col, const char *fmt, ...)
{
	struct policy_error *e;
	va_list ap;
	int n;

	if (errs->nr == errs->alloc) {
		size_t alloc = errs->alloc ? errs->alloc * 2 : 16;
		struct policy_error *v = realloc(errs->v, alloc * sizeof(*v));

		if (!v)
			return -ENOMEM;
		errs->v = v;
		errs->alloc = alloc;
	}
	e = &errs->v[errs->nr];
	va_start(ap, fmt);
	n = vasprintf(&e->msg, fmt, ap);
	va_end(ap);
	if (n < 0)
		return -ENOMEM;
	e->line = line;
	e->col = col;
	e->seq = errs->nr;
	errs->nr++;
	return 0;
}

static int error_cmp(const void *a, const void *b)
{
	const struct policy_error *x = a, *y = b;

	if (x->line != y->line)
		return x->line < y->line ? -1 : 1;
	if (x->col != y->col)
		return x->col < y->col ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/**
 * policy_errors_sort - order diagnostics by line, then column
 * @errs: the list; entries on the same spot keep their insertion order
 */
void policy_errors_sort(struct policy_errors *errs)
{
	if (errs->nr > 1)
		qsort(errs->v, errs->nr, sizeof(*errs->v), error_cmp);
}

void policy_errors_free(struct policy_errors *errs)
{
	size_t i;

	for (i = 0; i < errs->nr; i++)
		free(errs->v[i].msg);
	free(errs->v);
	errs->v = NULL;
	errs->nr = errs->alloc = 0;
}

/*
 * The subject paths, copied in chunks rather than one allocation each: a
 * policy of ten thousand subjects spent a quarter of its parse in
 * strndup() and free().
 */
struct policy_strings {
	struct policy_strings *next;
	size_t used, size;
	char s[];
};

#define STRINGS_CHUNK (64 * 1024)

static char *strings_dup(struct policy_strings **head, const char *s,
			 size_t len)
{
	struct policy_strings *c = *head;
	char *p;

	if (!c || c->size - c->used < len + 1) {
		size_t size = len + 1 > STRINGS_CHUNK ? len + 1 : STRINGS_CHUNK;

		c = malloc(sizeof(*c) + size);
		if (!c)
			return NULL;
		c->next = *head;
		c->used = 0;
		c->size = size;
		*head = c;
	}
	p = c->s + c->used;
	memcpy(p, s, len);
	p[len] = '\0';
	c->used += len + 1;
	return p;
}

void policy_free(struct policy *pol)
{
	struct policy_strings *c, *next;
	size_t i;

	for (c = pol->strings; c; c = next) {
		next = c->next;
		free(c);
	}
	pol->strings = NULL;
	for (i = 0; i < pol->nr_subjects; i++) {
		free(pol->subjects[i].write);
		free(pol->subjects[i].connect);
	}
	free(pol->by_path);
	pol->by_path = NULL;
	free(pol->labels_by_path);
	pol->labels_by_path = NULL;
	free(pol->labels);
	pol->labels = NULL;
	pol->nr_labels = pol->alloc_labels = 0;
	free(pol->subjects);
	pol->subjects = NULL;
	pol->nr_subjects = pol->alloc_subjects = 0;
}

const char *policy_mode_name(u32 mode)
{
	switch (mode) {
	case AVFENCE_MODE_AUDIT:
		return "audit";
	case AVFENCE_MODE_ENFORCE:
		return "enforce";
	}
	return "unknown";
}

/* Record an error; remember allocation failure and carry on quietly. */
#define perr(p, line, col, ...)						\
	do {								\
		if (policy_error_add((p)->errs, line, col, __VA_ARGS__))	\
			(p)->err = -ENOMEM;				\
	} while (0)

static bool tok_is(const struct token *t, const char *word)
{
	size_t n = strlen(word);

	return t->len == n && memcmp(t->s, word, n) == 0;
}

/* A table, not five comparisons: every byte of the file is tested. */
static const bool blank[256] = {
	[' '] = true, ['\t'] = true, ['\r'] = true, ['\v'] = true, ['\f'] = true,
};

static bool is_blank(char c)
{
	return blank[(unsigned char)c];
}

static size_t tokenize(const char *s, size_t len, struct token *tok)
{
	size_t i = 0, n = 0;

	while (i < len) {
		size_t start;

		while (i < len && is_blank(s[i]))
			i++;
		if (i == len)
			break;
		start = i;
		while (i < len && !is_blank(s[i]))
			i++;
		tok[n].s = s + start;
		tok[n].len = i - start;
		tok[n].col = start + 1;
		n++;
	}
	return n;
}

/* Column just after a token: where a missing argument was expected. */
static unsigned int col_after(const struct token *t)
{
	return t->col + t->len;
}

static void add_pending(struct parser *p, const struct token *name,
			unsigned int line, size_t subject, size_t label)
{
	if (p->nr_pend == p->alloc_pend) {
		size_t alloc = p->alloc_pend ? p->alloc_pend * 2 : 64;
		struct pending *v = realloc(p->pend, alloc * sizeof(*v));

		if (!v) {
			p->err = -ENOMEM;
			return;
		}
		p->pend = v;
		p->alloc_pend = alloc;
	}
	p->pend[p->nr_pend].name = *name;
	p->pend[p->nr_pend].line = line;
	p->pend[p->nr_pend].subject = subject;
	p->pend[p->nr_pend].label = label;
	p->nr_pend++;
}

/* "levels" "mode" and "default" may appear once; returns false if seen. */
static bool first_time(struct parser *p, unsigned int *seen_line,
		       const struct token *t, unsigned int line)
{
	if (*seen_line) {
		perr(p, line, t->col,
		     "duplicate '%s' directive (first on line %u)",
		     Q(t), *seen_line);
		return false;
	}
	*seen_line = line;
	return true;
}

static void do_levels(struct parser *p, const struct token *tok, size_t n,
		      unsigned int line)
{
	struct policy *pol = p->pol;
	size_t i;

	if (!first_time(p, &pol->levels_line, &tok[0], line))
		return;
	if (n < 2) {
		perr(p, line, col_after(&tok[0]),
		     "'levels' needs at least one level name");
		return;
	}
	for (i = 1; i < n; i++) {
		const struct token *t = &tok[i];
		enum avf_level_err err;
		int dup;

		err = avf_levels_add(&pol->levels, t->s, t->len);
		switch (err) {
		case AVF_LEVEL_OK:
			pol->level_col[pol->levels.count - 1] = t->col;
			break;
		case AVF_LEVEL_BAD_NAME:
			perr(p, line, t->col,
			     "invalid level name '%s': 1-%d characters of A-Z a-z 0-9 _ -, starting with a letter or digit",
			     Q(t), AVFENCE_LEVEL_NAME_MAX - 1);
			break;
		case AVF_LEVEL_DUPLICATE:
			dup = avf_levels_find(&pol->levels, t->s, t->len);
			perr(p, line, t->col,
			     "duplicate level '%s' (first at column %u)",
			     Q(t), pol->level_col[dup]);
			break;
		case AVF_LEVEL_TOO_MANY:
			perr(p, line, t->col, "too many levels (limit %d)",
			     AVFENCE_LEVELS_MAX);
			return;
		}
	}
}

static void do_default(struct parser *p, const struct token *tok, size_t n,
		       unsigned int line)
{
	if (!first_time(p, &p->pol->default_line, &tok[0], line))
		return;
	if (n != 2) {
		if (n < 2)
			perr(p, line, col_after(&tok[0]),
			     "'default' needs a level name");
		else
			perr(p, line, tok[2].col,
			     "'default' takes exactly one level name, got %zu arguments",
			     n - 1);
		return;
	}
	add_pending(p, &tok[1], line, SIZE_MAX, SIZE_MAX);
}

static void do_mode(struct parser *p, const struct token *tok, size_t n,
		    unsigned int line)
{
	if (!first_time(p, &p->pol->mode_line, &tok[0], line))
		return;
	if (n != 2) {
		if (n < 2)
			perr(p, line, col_after(&tok[0]),
			     "'mode' needs 'enforce' or 'audit'");
		else
			perr(p, line, tok[2].col,
			     "'mode' takes exactly one argument, got %zu",
			     n - 1);
		return;
	}
	if (tok_is(&tok[1], "enforce"))
		p->pol->mode = AVFENCE_MODE_ENFORCE;
	else if (tok_is(&tok[1], "audit"))
		p->pol->mode = AVFENCE_MODE_AUDIT;
	else
		perr(p, line, tok[1].col,
		     "unknown mode '%s' (expected 'enforce' or 'audit')",
		     Q(&tok[1]));
}

#define ALLOW_PREFIX "allow="

/* Parse "allow=F1,F2" into @allow; every bad flag is reported. */
static void parse_allow(struct parser *p, const struct token *t,
			unsigned int line, u32 *allow)
{
	size_t plen = strlen(ALLOW_PREFIX), i = plen;

	if (t->len == plen) {
		perr(p, line, t->col,
		     "'allow=' needs flags: raw-devices, ptrace");
		return;
	}
	while (i <= t->len) {
		size_t start = i;
		u32 flag;
		struct token f;

		while (i < t->len && t->s[i] != ',')
			i++;
		f = (struct token){ t->s + start, i - start,
				    t->col + (unsigned int)start };
		i++;		/* past the comma */
		if (!f.len) {
			perr(p, line, f.col, "empty flag in 'allow='");
			continue;
		}
		/* The words of "allow=": avf_allow_name() of each flag. */
		for (flag = 1; flag & __AVFENCE_ALLOW_ALL; flag <<= 1)
			if (tok_is(&f, avf_allow_name(flag)))
				break;
		if (!(flag & __AVFENCE_ALLOW_ALL))
			perr(p, line, f.col,
			     "unknown allow flag '%s' (expected raw-devices or ptrace)",
			     Q(&f));
		else if (*allow & flag)
			perr(p, line, f.col, "duplicate allow flag '%s'",
			     Q(&f));
		else
			*allow |= flag;
	}
}

static int octal_digit(char c)
{
	return c >= '0' && c <= '7' ? c - '0' : -1;
}

/**
 * parse_path - decode an absolute path word of the file
 * @p: the parser
 * @t: the word: bytes stand for themselves, except "\ooo"
 * @line: its line
 * @what: names it in messages ("subject path")
 * @len: set to the length of the decoded path
 *
 * A backslash must start three octal digits from 001 to 377, the escape
 * avf_canon_path() writes; every other use is reported at its column.
 * Then the path must be absolute and shorter than AVFENCE_PATH_MAX.
 *
 * Return: the decoded path, NUL-terminated, in p->path until the next
 * call, or NULL once every problem has been reported.
 */
static const char *decode_word(struct parser *p, const struct token *t,
			       unsigned int line, const char *what,
			       size_t *len)
{
	size_t i, o = 0;
	bool bad = false;

	/* Most words have no escape: copied in one piece. */
	if (!memchr(t->s, '\\', t->len)) {
		memcpy(p->path, t->s, t->len);
		p->path[t->len] = '\0';
		*len = t->len;
		return p->path;
	}
	for (i = 0; i < t->len; i++) {
		int d0, d1, d2, c;

		if (t->s[i] != '\\') {
			p->path[o++] = t->s[i];
			continue;
		}
		d0 = i + 3 < t->len ? octal_digit(t->s[i + 1]) : -1;
		d1 = d0 >= 0 ? octal_digit(t->s[i + 2]) : -1;
		d2 = d1 >= 0 ? octal_digit(t->s[i + 3]) : -1;
		c = d0 * 64 + d1 * 8 + d2;
		if (d2 < 0 || c < 1 || c > 0377) {
			perr(p, line, t->col + (unsigned int)i,
			     "bad escape in %s: '\\' starts a byte as three octal digits, \\001 to \\377 (\\040 a blank, \\134 a backslash)",
			     what);
			bad = true;
			continue;
		}
		p->path[o++] = (char)c;
		i += 3;
	}
	p->path[o] = '\0';
	*len = o;
	return bad ? NULL : p->path;
}

/* decode_word(), then the path must be absolute and fit AVFENCE_PATH_MAX. */
static const char *parse_path(struct parser *p, const struct token *t,
			      unsigned int line, const char *what, size_t *len)
{
	size_t o;

	if (!decode_word(p, t, line, what, &o))
		return NULL;
	if (p->path[0] != '/') {
		perr(p, line, t->col, "%s '%s' is not absolute", what, Q(t));
		return NULL;
	}
	if (o >= AVFENCE_PATH_MAX) {
		perr(p, line, t->col, "%s too long (%zu bytes, limit %d)",
		     what, o, AVFENCE_PATH_MAX - 1);
		return NULL;
	}
	*len = o;
	return p->path;
}

#define WRITE_PREFIX "write="
#define CONNECT_PREFIX "connect="

static bool has_prefix(const struct token *t, const char *prefix)
{
	size_t n = strlen(prefix);

	return t->len >= n && memcmp(t->s, prefix, n) == 0;
}

/* A decoded write= or connect= entry, for sorting. */
struct entry {
	const char *s;		/* in the policy's strings */
	size_t len;
	unsigned int col;
};

static int entry_cmp(const void *a, const void *b)
{
	const struct entry *x = a, *y = b;
	size_t n = x->len < y->len ? x->len : y->len;
	int r = memcmp(x->s, y->s, n);

	if (r)
		return r;
	if (x->len != y->len)
		return x->len < y->len ? -1 : 1;
	return x->col < y->col ? -1 : x->col > y->col;
}

/* One entry of a list: decoded (\ooo) and checked; NULL if reported. */
static const char *list_entry(struct parser *p, const struct token *e,
			      unsigned int line, bool connect, size_t *len)
{
	const char *what = connect ? "connect" : "write";
	const char *s;

	if (!e->len) {
		perr(p, line, e->col, "empty entry in '%s='", what);
		return NULL;
	}
	if (e->s[0] != '/' && !(connect && e->s[0] == '@')) {
		perr(p, line, e->col, connect ?
		     "connect= entry '%s' is neither an absolute path nor an @abstract name" :
		     "write= directory '%s' is not absolute",
		     Q(e));
		return NULL;
	}
	s = decode_word(p, e, line, connect ? "connect= entry" :
			"write= directory", len);
	if (!s)
		return NULL;
	if (connect ? avf_connect_name_valid(s, *len) :
	    avf_list_path_valid(s, *len))
		return s;
	if (s[0] == '@')
		perr(p, line, e->col,
		     "invalid abstract name '%s' (1-%d bytes, no ',' or control characters)",
		     Q(e), AVFENCE_ABSTRACT_MAX);
	else
		perr(p, line, e->col,
		     "%s path '%s' must be spelled without '.' or '..' components, '//', a trailing '/', ',' or control characters",
		     what, Q(e));
	return NULL;
}

/*
 * Parse "write=D1,D2" or "connect=S1,S2" into a sorted, duplicate-free
 * array of decoded strings at @out.  The list is split on ',' first, then
 * each entry decoded.  Every bad entry is reported; returns false if any
 * was.
 */
static bool parse_list(struct parser *p, const struct token *t,
		       unsigned int line, bool connect, const char ***out,
		       u32 *nr)
{
	const char *what = connect ? "connect" : "write";
	size_t plen = strlen(connect ? CONNECT_PREFIX : WRITE_PREFIX);
	size_t i = plen, n = 0, k, len, before = p->errs->nr;
	struct entry *v;
	const char **res;
	const char *s;

	if (t->len == plen) {
		perr(p, line, t->col, connect ?
		     "'connect=' needs socket paths or @names" :
		     "'write=' needs directories");
		return false;
	}
	/* At most one entry per two bytes of the list. */
	v = malloc(((t->len - plen) / 2 + 1) * sizeof(*v));
	if (!v) {
		p->err = -ENOMEM;
		return false;
	}
	while (i <= t->len) {
		size_t start = i;
		struct token e;

		while (i < t->len && t->s[i] != ',')
			i++;
		e = (struct token){ t->s + start, i - start,
				    t->col + (unsigned int)start };
		i++;		/* past the comma */
		s = list_entry(p, &e, line, connect, &len);
		if (!s)
			continue;
		v[n].s = strings_dup(&p->pol->strings, s, len);
		if (!v[n].s) {
			free(v);
			p->err = -ENOMEM;
			return false;
		}
		v[n].len = len;
		v[n].col = e.col;
		n++;
	}
	qsort(v, n, sizeof(*v), entry_cmp);
	for (k = 1; k < n; k++) {
		if (v[k].len == v[k - 1].len &&
		    !memcmp(v[k].s, v[k - 1].s, v[k].len)) {
			perr(p, line, v[k].col,
			     "duplicate %s entry '%s' (first at column %u)",
			     what, quote(v[k].s, v[k].len).s, v[k - 1].col);
			/* compare the next one with the first occurrence */
			v[k].col = v[k - 1].col;
		}
	}
	if (n > (connect ? AVFENCE_CONNECT_MAX : AVFENCE_WRITE_MAX))
		perr(p, line, t->col, "too many %s= entries (%zu, limit %d)",
		     what, n, connect ? AVFENCE_CONNECT_MAX : AVFENCE_WRITE_MAX);
	if (p->errs->nr != before || !n) {
		free(v);
		return false;
	}
	res = malloc(n * sizeof(*res));
	if (!res) {
		free(v);
		p->err = -ENOMEM;
		return false;
	}
	for (k = 0; k < n; k++)
		res[k] = v[k].s;
	free(v);
	*out = res;
	*nr = n;
	return true;
}

/* The options after the level name, in any order, each at most once. */
struct subject_opts {
	u32 allow;
	const char **write, **connect;
	u32 nr_write, nr_connect;
	unsigned int allow_col, write_col, connect_col;
};

static void parse_option(struct parser *p, const struct token *t,
			 unsigned int line, struct subject_opts *o, bool *bad)
{
	size_t before = p->errs->nr;
	unsigned int *seen;
	const char *word;

	if (has_prefix(t, ALLOW_PREFIX)) {
		seen = &o->allow_col;
		word = "allow=";
	} else if (has_prefix(t, WRITE_PREFIX)) {
		seen = &o->write_col;
		word = "write=";
	} else if (has_prefix(t, CONNECT_PREFIX)) {
		seen = &o->connect_col;
		word = "connect=";
	} else {
		perr(p, line, t->col,
		     "unexpected '%s' after the level name (expected allow=, write= or connect=)",
		     Q(t));
		*bad = true;
		return;
	}
	if (*seen) {
		perr(p, line, t->col,
		     "duplicate '%s' option (first at column %u)", word, *seen);
		*bad = true;
		return;
	}
	*seen = t->col;
	if (seen == &o->allow_col)
		parse_allow(p, t, line, &o->allow);
	else if (seen == &o->write_col)
		parse_list(p, t, line, false, &o->write, &o->nr_write);
	else
		parse_list(p, t, line, true, &o->connect, &o->nr_connect);
	*bad |= p->errs->nr != before;
}

static void do_subject(struct parser *p, const struct token *tok, size_t n,
		       unsigned int line)
{
	struct policy *pol = p->pol;
	struct subject_opts o = { 0 };
	struct policy_subject *s;
	bool bad = false;
	const char *path;
	size_t i, len;

	if (n < 3) {
		perr(p, line, n == 1 ? col_after(&tok[0]) :
		     col_after(&tok[1]),
		     "'subject' needs a path and a level name");
		return;
	}
	for (i = 3; i < n; i++)
		parse_option(p, &tok[i], line, &o, &bad);
	if (++p->nr_subject_lines > AVFENCE_SUBJECTS_MAX) {
		if (!p->too_many_subjects)
			perr(p, line, tok[0].col,
			     "too many subjects (limit %d)",
			     AVFENCE_SUBJECTS_MAX);
		p->too_many_subjects = true;
		goto out_free;
	}
	path = parse_path(p, &tok[1], line, "subject path", &len);
	if (!path || bad)
		goto out_free;
	if (pol->nr_subjects == pol->alloc_subjects) {
		size_t alloc = pol->alloc_subjects ?
			       pol->alloc_subjects * 2 : 16;
		struct policy_subject *v;

		v = realloc(pol->subjects, alloc * sizeof(*v));
		if (!v) {
			p->err = -ENOMEM;
			goto out_free;
		}
		pol->subjects = v;
		pol->alloc_subjects = alloc;
	}
	s = &pol->subjects[pol->nr_subjects];
	s->path = strings_dup(&pol->strings, path, len);
	if (!s->path) {
		p->err = -ENOMEM;
		goto out_free;
	}
	s->path_len = len;
	s->clearance = 0;
	s->allow = o.allow;
	s->write = o.write;
	s->nr_write = o.nr_write;
	s->connect = o.connect;
	s->nr_connect = o.nr_connect;
	s->write_col = o.write_col;
	s->line = line;
	s->col = tok[1].col;
	pol->nr_subjects++;
	add_pending(p, &tok[2], line, pol->nr_subjects - 1, SIZE_MAX);
	return;

out_free:
	free(o.write);
	free(o.connect);
}

static void do_label(struct parser *p, const struct token *tok, size_t n,
		     unsigned int line)
{
	struct policy *pol = p->pol;
	struct policy_label *l;
	const char *path;
	size_t len;

	if (n != 3) {
		if (n < 3)
			perr(p, line, n == 1 ? col_after(&tok[0]) :
			     col_after(&tok[1]),
			     "'label' needs a path and a level name");
		else
			perr(p, line, tok[3].col,
			     "unexpected '%s' after the level name ('label' takes a path and a level)",
			     Q(&tok[3]));
		return;
	}
	path = parse_path(p, &tok[1], line, "label path", &len);
	if (!path)
		return;
	if (pol->nr_labels >= AVFENCE_POLICY_LABELS_MAX) {
		if (!p->too_many_labels)
			perr(p, line, tok[0].col, "too many labels (limit %d)",
			     AVFENCE_POLICY_LABELS_MAX);
		p->too_many_labels = true;
		return;
	}
	if (pol->nr_labels == pol->alloc_labels) {
		size_t alloc = pol->alloc_labels ? pol->alloc_labels * 2 : 16;
		struct policy_label *v;

		v = realloc(pol->labels, alloc * sizeof(*v));
		if (!v) {
			p->err = -ENOMEM;
			return;
		}
		pol->labels = v;
		pol->alloc_labels = alloc;
	}
	l = &pol->labels[pol->nr_labels];
	l->path = strings_dup(&pol->strings, path, len);
	if (!l->path) {
		p->err = -ENOMEM;
		return;
	}
	l->path_len = len;
	l->level = 0;
	l->line = line;
	l->col = tok[1].col;
	pol->nr_labels++;
	add_pending(p, &tok[2], line, SIZE_MAX, pol->nr_labels - 1);
}

static void parse_line(struct parser *p, const char *s, size_t len,
		       unsigned int line)
{
	const char *nul, *hash;
	size_t n;

	nul = memchr(s, '\0', len);
	if (nul) {
		perr(p, line, (unsigned int)(nul - s) + 1, "NUL byte in file");
		return;
	}
	if (len > POLICY_LINE_MAX) {
		perr(p, line, POLICY_LINE_MAX + 1,
		     "line too long (%zu bytes, limit %d)", len,
		     POLICY_LINE_MAX);
		return;
	}
	hash = memchr(s, '#', len);
	if (hash)
		len = hash - s;
	n = tokenize(s, len, p->tok);
	if (n == 0)
		return;
	if (tok_is(&p->tok[0], "levels"))
		do_levels(p, p->tok, n, line);
	else if (tok_is(&p->tok[0], "default"))
		do_default(p, p->tok, n, line);
	else if (tok_is(&p->tok[0], "mode"))
		do_mode(p, p->tok, n, line);
	else if (tok_is(&p->tok[0], "subject"))
		do_subject(p, p->tok, n, line);
	else if (tok_is(&p->tok[0], "label"))
		do_label(p, p->tok, n, line);
	else
		perr(p, line, p->tok[0].col,
		     "unknown directive '%s' (expected levels, default, mode, subject or label)",
		     Q(&p->tok[0]));
}

/* Resolve the default and the clearances now that the ladder is known. */
static void resolve_levels(struct parser *p)
{
	struct policy *pol = p->pol;
	const struct token *last = NULL;
	int idx = -1;
	size_t i;

	for (i = 0; i < p->nr_pend; i++) {
		const struct pending *pd = &p->pend[i];

		/* Subjects mostly repeat a few names: look each up once. */
		if (!last || last->len != pd->name.len ||
		    memcmp(last->s, pd->name.s, pd->name.len)) {
			last = &pd->name;
			idx = avf_levels_find(&pol->levels, pd->name.s,
					      pd->name.len);
		}
		if (idx < 0) {
			/* Without a ladder every name would be "unknown". */
			if (pol->levels.count)
				perr(p, pd->line, pd->name.col,
				     "unknown level '%s'", Q(&pd->name));
			continue;
		}
		if (pd->label != SIZE_MAX)
			pol->labels[pd->label].level = idx;
		else if (pd->subject == SIZE_MAX)
			pol->default_level = idx;
		else
			pol->subjects[pd->subject].clearance = idx;
	}
}

/* By path, bytewise; the same path by line. */
static int subject_cmp(const struct policy_subject *x,
		       const struct policy_subject *y)
{
	int r = strcmp(x->path, y->path);

	if (r)
		return r;
	return x->line < y->line ? -1 : 1;
}

/*
 * Sort @v (@n entries) with subject_cmp(): a merge sort of the runs
 * already in order, so that a policy written in order costs n - 1
 * comparisons and one written in a few sorted stretches (generated
 * names: s1..s9, s10..s99, ...) a few passes.  @tmp has room for @n
 * entries, @run for @n + 1.  Return: @v or @tmp, whichever holds the
 * result.
 */
static const struct policy_subject **
sort_subjects(const struct policy_subject **v,
	      const struct policy_subject **tmp, size_t *run, size_t n)
{
	size_t i, nr = 0;

	run[nr++] = 0;
	for (i = 1; i < n; i++)
		if (subject_cmp(v[i - 1], v[i]) > 0)
			run[nr++] = i;
	run[nr] = n;
	while (nr > 1) {
		const struct policy_subject **src = v, **dst = tmp;
		size_t k;

		for (k = 0; k < nr; k += 2) {
			size_t lo = run[k], mid = run[k + 1];
			size_t hi = k + 1 < nr ? run[k + 2] : mid;
			size_t a = lo, b = mid, o = lo;

			while (a < mid && b < hi)
				dst[o++] = subject_cmp(src[a], src[b]) < 0 ?
					   src[a++] : src[b++];
			memcpy(dst + o, src + a, (mid - a) * sizeof(*dst));
			o += mid - a;
			memcpy(dst + o, src + b, (hi - b) * sizeof(*dst));
			run[k / 2] = lo;
		}
		nr = (nr + 1) / 2;
		run[nr] = n;
		v = dst;
		tmp = src;
	}
	return v;
}

/*
 * Sort a view of the subjects by path so duplicates are neighbours.  When
 * there are none, that is the canonical order: keep it as pol->by_path.
 */
static void find_duplicate_subjects(struct parser *p)
{
	struct policy *pol = p->pol;
	const struct policy_subject **v, **tmp, **sorted;
	size_t i, first, before = p->errs->nr, *run;

	if (!pol->nr_subjects)
		return;
	v = malloc(pol->nr_subjects * sizeof(*v));
	tmp = malloc(pol->nr_subjects * sizeof(*tmp));
	run = malloc((pol->nr_subjects + 1) * sizeof(*run));
	if (!v || !tmp || !run) {
		free(v);
		free(tmp);
		free(run);
		p->err = -ENOMEM;
		return;
	}
	for (i = 0; i < pol->nr_subjects; i++)
		v[i] = &pol->subjects[i];
	sorted = sort_subjects(v, tmp, run, pol->nr_subjects);
	free(run);
	if (sorted != v) {
		free(v);
		v = sorted;
	} else {
		free(tmp);
	}
	/* Point every repeat at the first occurrence, v[first]. */
	for (i = 1, first = 0; i < pol->nr_subjects; i++) {
		if (v[i]->path_len != v[first]->path_len ||
		    memcmp(v[i]->path, v[first]->path, v[i]->path_len)) {
			first = i;
			continue;
		}
		perr(p, v[i]->line, v[i]->col,
		     "duplicate subject path '%s' (first on line %u)",
		     quote(v[i]->path, v[i]->path_len).s, v[first]->line);
	}
	if (p->errs->nr == before)
		pol->by_path = v;
	else
		free(v);
}

static int label_cmp(const void *a, const void *b)
{
	const struct policy_label *const *x = a, *const *y = b;
	int r = strcmp((*x)->path, (*y)->path);

	if (r)
		return r;
	return (*x)->line < (*y)->line ? -1 : (*x)->line > (*y)->line;
}

/*
 * Sort a view of the labels by path: duplicates are neighbours, and
 * without any it is the canonical order, kept as pol->labels_by_path.
 */
static void find_duplicate_labels(struct parser *p)
{
	struct policy *pol = p->pol;
	const struct policy_label **v;
	size_t i, first, before = p->errs->nr;

	if (!pol->nr_labels)
		return;
	v = malloc(pol->nr_labels * sizeof(*v));
	if (!v) {
		p->err = -ENOMEM;
		return;
	}
	for (i = 0; i < pol->nr_labels; i++)
		v[i] = &pol->labels[i];
	qsort(v, pol->nr_labels, sizeof(*v), label_cmp);
	for (i = 1, first = 0; i < pol->nr_labels; i++) {
		if (strcmp(v[i]->path, v[first]->path)) {
			first = i;
			continue;
		}
		perr(p, v[i]->line, v[i]->col,
		     "duplicate label path '%s' (first on line %u)",
		     quote(v[i]->path, v[i]->path_len).s, v[first]->line);
	}
	if (p->errs->nr == before)
		pol->labels_by_path = v;
	else
		free(v);
}

/**
 * policy_parse - parse a policy file held in memory
 * @buf: the file's contents; need not be NUL-terminated, may contain NULs
 * @len: its length in bytes
 * @pol: filled in; free with policy_free() whatever the result
 * @errs: every problem found is appended here, sorted by line and column
 *
 * Return: 0 if the policy is valid, -EINVAL if @errs holds diagnostics,
 * -ENOMEM if memory ran out (the diagnostics may then be incomplete).
 */
int policy_parse(const char *buf, size_t len, struct policy *pol,
		 struct policy_errors *errs)
{
	struct parser p = { .pol = pol, .errs = errs };
	size_t pos = 0, nr_errs = errs->nr;
	unsigned int line = 1;

	memset(pol, 0, sizeof(*pol));
	/* A line of POLICY_LINE_MAX bytes has at most half as many tokens. */
	p.tok = malloc((POLICY_LINE_MAX / 2 + 1) * sizeof(*p.tok));
	p.path = malloc(POLICY_LINE_MAX + 1);
	if (!p.tok || !p.path) {
		free(p.tok);
		free(p.path);
		return -ENOMEM;
	}

	while (pos < len && !p.err) {
		const char *s = buf + pos;
		const char *eol = memchr(s, '\n', len - pos);
		size_t n = eol ? (size_t)(eol - s) : len - pos;

		parse_line(&p, s, n, line);
		pos += n + (eol ? 1 : 0);
		line++;
	}

	if (!p.err) {
		resolve_levels(&p);
		find_duplicate_subjects(&p);
		find_duplicate_labels(&p);
		if (!pol->levels_line)
			perr(&p, 1, 1, "missing 'levels' directive");
		if (!pol->default_line)
			perr(&p, 1, 1, "missing 'default' directive");
		if (!pol->mode_line)
			perr(&p, 1, 1, "missing 'mode' directive");
	}
	free(p.tok);
	free(p.path);
	free(p.pend);
	policy_errors_sort(errs);
	if (p.err)
		return p.err;
	return errs->nr > nr_errs ? -EINVAL : 0;
}
