// SPDX-License-Identifier: GPL-2.0
/*
 * avfencectl suggest: from refusals to policy words, like aa-logprof and
 * audit2allow.
 *
 * Each input line is one refusal on route "write" or "connect", denied
 * (enforce mode) or let through (audit mode), in any of the forms avfence
 * writes them:
 *
 *   kernel log      avfence: audit write pid=.. comm=.. clearance=L path=P
 *                   avfence: audit connect pid=.. comm=.. clearance=L
 *                   socket=/path|@name peer=..
 *   audit record    avfence=audit route=write pid=.. comm=".." exe=".."
 *                   clearance=L path=".." (values may be hex-encoded)
 *   monitor         TIME audited write pid=.. comm=.. exe=.. path=.. seq=..
 *   monitor --json  {"type":"access","action":"audited","route":"write",
 *                    "exe":"..","clearance":"L","path":"..",...}
 *
 * Anything else is ignored, so a whole dmesg or journal can be fed in.
 * A write refusal needs the directory the path lies in as a write= entry;
 * entries below another one are dropped (write= covers what lies below).
 * A connect refusal needs the socket, "/path" or "@name", as a connect=
 * entry.  Subjects are named by their executable; a kernel log line names
 * only the command (comm), which then stands in as "comm:NAME".
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "decide.h"
#include "output.h"
#include "suggest.h"

#define FIELD_MAX 4096

/* The fields of one refusal. */
struct refusal {
	char action[16];
	char route[32];
	char exe[FIELD_MAX];
	char comm[64];
	char clearance[AVFENCE_LEVEL_NAME_MAX];
	char path[FIELD_MAX];
	char what[FIELD_MAX];
};

void suggest_init(struct suggest *s)
{
	memset(s, 0, sizeof(*s));
}

static void free_list(char **v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

void suggest_free(struct suggest *s)
{
	size_t i;

	for (i = 0; i < s->nsubjects; i++) {
		free(s->subjects[i].name);
		free(s->subjects[i].clearance);
		free_list(s->subjects[i].write, s->subjects[i].nwrite);
		free_list(s->subjects[i].connect, s->subjects[i].nconnect);
	}
	free(s->subjects);
	suggest_init(s);
}

/* Copy at most @size - 1 bytes of @src[0, len) into @dst. */
static void set_field(char *dst, size_t size, const char *src, size_t len)
{
	if (len >= size)
		len = size - 1;
	memcpy(dst, src, len);
	dst[len] = '\0';
}

static int hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = tolower(c);
	return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/*
 * One value of a key=value word at @p: a double-quoted string with C
 * escapes (as the kernel log and monitor write them), else up to the next
 * blank.  Return: the position after it.
 */
static const char *text_value_at(const char *p, char *out, size_t size)
{
	size_t n = 0;
	int c, i;

	if (*p != '"') {
		while (*p && !isspace((unsigned char)*p)) {
			if (n + 1 < size)
				out[n++] = *p;
			p++;
		}
		out[n] = '\0';
		return p;
	}
	for (p++; *p && *p != '"'; p++) {
		c = *p;
		if (c == '\\' && p[1]) {
			p++;
			switch (*p) {
			case 'n': c = '\n'; break;
			case 't': c = '\t'; break;
			case 'r': c = '\r'; break;
			case 'a': c = '\a'; break;
			case 'b': c = '\b'; break;
			case 'f': c = '\f'; break;
			case 'v': c = '\v'; break;
			case 'e': c = 033; break;
			case 'x':
				for (c = 0, i = 0; i < 2 && hexval(p[1]) >= 0; i++)
					c = c * 16 + hexval(*++p);
				break;
			default:
				if (*p >= '0' && *p <= '7') {
					for (c = 0, i = 0; i < 3 && *p >= '0' &&
					     *p <= '7'; i++, p++)
						c = c * 8 + (*p - '0');
					p--;
				} else {
					c = *p;
				}
			}
		}
		if (n + 1 < size)
			out[n++] = c;
	}
	out[n] = '\0';
	if (*p == '"')
		p++;
	return p;
}

/* An audit record's hex-encoded value ("2F746D70"), decoded in place. */
static void unhex(char *s)
{
	size_t i, n = strlen(s);

	if (!n || n % 2 || s[0] == '/' || s[0] == '@')
		return;
	for (i = 0; i < n; i++)
		if (hexval(s[i]) < 0)
			return;
	for (i = 0; i < n / 2; i++)
		s[i] = hexval(s[2 * i]) * 16 + hexval(s[2 * i + 1]);
	s[n / 2] = '\0';
}

static bool is_action(const char *w)
{
	return !strcmp(w, "denied") || !strcmp(w, "audit") ||
	       !strcmp(w, "audited");
}

/* A kernel log line, audit record or monitor line: 0, or -1 if none. */
static int parse_text(const char *line, struct refusal *r)
{
	char key[32], word[64], val[FIELD_MAX];
	const char *p = line, *q;
	bool found = false, prev_action = false;
	size_t k;

	while (*p) {
		while (isspace((unsigned char)*p))
			p++;
		if (!*p)
			break;
		q = p;
		while (*q && *q != '=' && !isspace((unsigned char)*q))
			q++;
		if (*q != '=') {
			/* A bare word: "audit write" names action and route. */
			set_field(word, sizeof(word), p, q - p);
			if (prev_action && !found) {
				set_field(r->route, sizeof(r->route), word,
					  strlen(word));
				found = true;
			}
			prev_action = is_action(word);
			if (prev_action && !found)
				set_field(r->action, sizeof(r->action), word,
					  strlen(word));
			p = q;
			continue;
		}
		prev_action = false;
		k = q - p;
		set_field(key, sizeof(key), p, k);
		p = text_value_at(q + 1, val, sizeof(val));
		if (!strcmp(key, "avfence") && is_action(val)) {
			set_field(r->action, sizeof(r->action), val,
				  strlen(val));
		} else if (!strcmp(key, "route")) {
			set_field(r->route, sizeof(r->route), val, strlen(val));
			found = r->action[0];
		} else if (!strcmp(key, "exe") || !strcmp(key, "subject")) {
			unhex(val);
			set_field(r->exe, sizeof(r->exe), val, strlen(val));
		} else if (!strcmp(key, "comm")) {
			unhex(val);
			set_field(r->comm, sizeof(r->comm), val, strlen(val));
		} else if (!strcmp(key, "clearance")) {
			set_field(r->clearance, sizeof(r->clearance), val,
				  strlen(val));
		} else if (!strcmp(key, "path") || !strcmp(key, "socket")) {
			/* connect refusals name the socket in socket= */
			unhex(val);
			set_field(r->path, sizeof(r->path), val, strlen(val));
		} else if (!strcmp(key, "what")) {
			unhex(val);
			set_field(r->what, sizeof(r->what), val, strlen(val));
		}
	}
	return found ? 0 : -1;
}

/* A JSON string at @p (after the opening quote): the position after it. */
static const char *json_string_at(const char *p, char *out, size_t size)
{
	size_t n = 0;
	int c, i, v;

	for (; *p && *p != '"'; p++) {
		c = *p;
		if (c == '\\' && p[1]) {
			switch (*++p) {
			case 'n': c = '\n'; break;
			case 't': c = '\t'; break;
			case 'r': c = '\r'; break;
			case 'b': c = '\b'; break;
			case 'f': c = '\f'; break;
			case 'u':
				for (v = 0, i = 0; i < 4 && hexval(p[1]) >= 0; i++)
					v = v * 16 + hexval(*++p);
				/* Bytes the monitor escaped are below 0x100. */
				c = v < 0x100 ? v : '?';
				break;
			default:
				c = *p;
			}
		}
		if (n + 1 < size)
			out[n++] = c;
	}
	out[n] = '\0';
	return *p == '"' ? p + 1 : p;
}

/* A line of monitor --json: 0, or -1 if it is no access event. */
static int parse_json(const char *p, struct refusal *r)
{
	char key[32], val[FIELD_MAX], type[32] = "";

	if (*p++ != '{')
		return -1;
	for (;;) {
		while (isspace((unsigned char)*p) || *p == ',')
			p++;
		if (*p != '"')
			break;
		p = json_string_at(p + 1, key, sizeof(key));
		while (isspace((unsigned char)*p) || *p == ':')
			p++;
		val[0] = '\0';
		if (*p == '"') {
			p = json_string_at(p + 1, val, sizeof(val));
		} else {
			/* number, null, true, false: not needed */
			while (*p && *p != ',' && *p != '}')
				p++;
		}
		if (!strcmp(key, "type"))
			set_field(type, sizeof(type), val, strlen(val));
		else if (!strcmp(key, "action"))
			set_field(r->action, sizeof(r->action), val, strlen(val));
		else if (!strcmp(key, "route"))
			set_field(r->route, sizeof(r->route), val, strlen(val));
		else if (!strcmp(key, "exe"))
			set_field(r->exe, sizeof(r->exe), val, strlen(val));
		else if (!strcmp(key, "comm"))
			set_field(r->comm, sizeof(r->comm), val, strlen(val));
		else if (!strcmp(key, "clearance"))
			set_field(r->clearance, sizeof(r->clearance), val,
				  strlen(val));
		else if (!strcmp(key, "path"))
			set_field(r->path, sizeof(r->path), val, strlen(val));
		else if (!strcmp(key, "what"))
			set_field(r->what, sizeof(r->what), val, strlen(val));
	}
	return !strcmp(type, "access") && is_action(r->action) ? 0 : -1;
}

/* Is @a the directory @b or one above it? */
static bool covers(const char *a, const char *b)
{
	size_t n = strlen(a);

	if (!strcmp(a, "/"))
		return true;
	return !strncmp(a, b, n) && (b[n] == '\0' || b[n] == '/');
}

/* Add @dir to @v, keeping only entries that no other one covers. */
static int add_dir(char ***v, size_t *n, const char *dir)
{
	char **nv;
	size_t i, j;

	for (i = 0; i < *n; i++)
		if (covers((*v)[i], dir))
			return 0;
	for (i = j = 0; i < *n; i++) {
		if (covers(dir, (*v)[i]))
			free((*v)[i]);
		else
			(*v)[j++] = (*v)[i];
	}
	*n = j;
	nv = realloc(*v, (*n + 1) * sizeof(**v));
	if (!nv)
		return -1;
	*v = nv;
	nv[*n] = strdup(dir);
	if (!nv[*n])
		return -1;
	(*n)++;
	return 0;
}

static int add_name(char ***v, size_t *n, const char *name)
{
	char **nv;
	size_t i;

	for (i = 0; i < *n; i++)
		if (!strcmp((*v)[i], name))
			return 0;
	nv = realloc(*v, (*n + 1) * sizeof(**v));
	if (!nv)
		return -1;
	*v = nv;
	nv[*n] = strdup(name);
	if (!nv[*n])
		return -1;
	(*n)++;
	return 0;
}

static struct suggest_subject *subject_of(struct suggest *s,
					  const struct refusal *r)
{
	struct suggest_subject *sub, *nv;
	char name[FIELD_MAX + 8];
	size_t i;

	if (r->exe[0] && strcmp(r->exe, "?"))
		snprintf(name, sizeof(name), "%s", r->exe);
	else
		snprintf(name, sizeof(name), "comm:%s",
			 r->comm[0] ? r->comm : "?");
	for (i = 0; i < s->nsubjects; i++)
		if (!strcmp(s->subjects[i].name, name))
			return &s->subjects[i];
	nv = realloc(s->subjects, (s->nsubjects + 1) * sizeof(*nv));
	if (!nv)
		return NULL;
	s->subjects = nv;
	sub = &nv[s->nsubjects];
	memset(sub, 0, sizeof(*sub));
	sub->name = strdup(name);
	sub->clearance = strdup(r->clearance);
	if (!sub->name || !sub->clearance) {
		free(sub->name);
		free(sub->clearance);
		return NULL;
	}
	s->nsubjects++;
	return sub;
}

/* The directory of a refused write, into @dir: 0, or -1 if none fits. */
static int write_dir(const char *path, char *dir, size_t size)
{
	static const char deleted[] = " (deleted)";
	size_t n = strlen(path), dl = strlen(deleted);

	if (n >= size || path[0] != '/')
		return -1;
	memcpy(dir, path, n + 1);
	if (n > dl && !strcmp(dir + n - dl, deleted))
		dir[n -= dl] = '\0';
	while (n > 1 && dir[n - 1] == '/')
		dir[--n] = '\0';
	while (n > 0 && dir[n - 1] != '/')
		n--;
	if (n > 1)
		n--;	/* the slash, unless the directory is / */
	dir[n] = '\0';
	/* A policy line is split at blanks: no word can hold one. */
	if (strpbrk(dir, " \t\r\v\f"))
		return -1;
	return n && avf_list_path_valid(dir, n) ? 0 : -1;
}

/* The socket of a refused connect: "/path" or "@name" from the refusal. */
static int connect_name(const struct refusal *r, char *out, size_t size)
{
	const char *src = r->path[0] ? r->path : r->what;
	const char *p = src;
	size_t n;

	if (!r->path[0]) {
		/* "what" may describe the attempt: its first /path or @name. */
		while (*p && *p != '/' && *p != '@')
			p++;
		if (p != src && !isspace((unsigned char)p[-1]))
			return -1;
	}
	for (n = 0; p[n] && !isspace((unsigned char)p[n]); n++)
		;
	/* A policy line is split at blanks: no word can hold one. */
	if (!n || (r->path[0] && p[n]) || n >= size ||
	    !avf_connect_name_valid(p, n))
		return -1;
	memcpy(out, p, n);
	out[n] = '\0';
	return 0;
}

/**
 * suggest_line - take one line of input
 * @s: what was gathered so far
 * @line: one line, without or with its newline
 *
 * Return: what the line was (enum suggest_result).
 */
enum suggest_result suggest_line(struct suggest *s, const char *line)
{
	struct refusal *r = calloc(1, sizeof(*r));
	enum suggest_result ret = SUGGEST_IGNORED;
	struct suggest_subject *sub;
	char word[FIELD_MAX];
	const char *p = line;
	bool write;
	int err;

	if (!r)
		return SUGGEST_NOMEM;
	s->lines++;
	while (isspace((unsigned char)*p))
		p++;
	err = *p == '{' ? parse_json(p, r) : parse_text(p, r);
	write = !strcmp(r->route, "write");
	if (err || (!write && strcmp(r->route, "connect")))
		goto out;
	ret = SUGGEST_UNUSABLE;
	if (write ? write_dir(r->path, word, sizeof(word)) :
		    connect_name(r, word, sizeof(word))) {
		s->skipped++;
		goto out;
	}
	ret = SUGGEST_NOMEM;
	sub = subject_of(s, r);
	if (!sub)
		goto out;
	if (write ? add_dir(&sub->write, &sub->nwrite, word) :
		    add_name(&sub->connect, &sub->nconnect, word))
		goto out;
	s->used++;
	ret = SUGGEST_USED;
out:
	free(r);
	return ret;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void print_list(FILE *f, const char *key, char **v, size_t n)
{
	size_t i;

	if (!n)
		return;
	qsort(v, n, sizeof(*v), cmp_str);
	fprintf(f, " %s=", key);
	for (i = 0; i < n; i++)
		fprintf(f, "%s%s", i ? "," : "", v[i]);
}

/**
 * suggest_print - the subject lines a policy needs, one per subject
 * @f: where to
 * @s: what was gathered
 *
 * "subject EXE CLEARANCE write=... connect=...", ready to merge into a
 * policy; a subject known only by its command is printed as a comment.
 */
void suggest_print(FILE *f, const struct suggest *s)
{
	const struct suggest_subject *sub;
	size_t i;

	for (i = 0; i < s->nsubjects; i++) {
		sub = &s->subjects[i];
		if (!strncmp(sub->name, "comm:", 5))
			fprintf(f, "# command %s (the kernel log names no executable: put its path here)\n# subject PATH",
				sub->name + 5);
		else
			fprintf(f, "subject %s", sub->name);
		fprintf(f, " %s", sub->clearance[0] ? sub->clearance : "LEVEL");
		print_list(f, "write", sub->write, sub->nwrite);
		print_list(f, "connect", sub->connect, sub->nconnect);
		fputc('\n', f);
	}
}

static void json_list(FILE *f, const char *key, char **v, size_t n)
{
	size_t i;

	qsort(v, n, sizeof(*v), cmp_str);
	fprintf(f, ",\"%s\":[", key);
	for (i = 0; i < n; i++) {
		if (i)
			fputc(',', f);
		json_string(f, v[i]);
	}
	fputc(']', f);
}

/**
 * suggest_print_json - the same as one JSON object
 * @f: where to
 * @s: what was gathered
 *
 * {"subjects":[{"subject":EXE or null,"comm":NAME or null,
 * "clearance":..,"write":[..],"connect":[..]}],"lines":N,"used":N,
 * "skipped":N}
 */
void suggest_print_json(FILE *f, const struct suggest *s)
{
	const struct suggest_subject *sub;
	bool comm;
	size_t i;

	fputs("{\"subjects\":[", f);
	for (i = 0; i < s->nsubjects; i++) {
		sub = &s->subjects[i];
		comm = !strncmp(sub->name, "comm:", 5);
		fputs(i ? ",{\"subject\":" : "{\"subject\":", f);
		json_string_or_null(f, comm ? NULL : sub->name);
		fputs(",\"comm\":", f);
		json_string_or_null(f, comm ? sub->name + 5 : NULL);
		fputs(",\"clearance\":", f);
		json_string_or_null(f, sub->clearance[0] ? sub->clearance : NULL);
		json_list(f, "write", sub->write, sub->nwrite);
		json_list(f, "connect", sub->connect, sub->nconnect);
		fputc('}', f);
	}
	fprintf(f, "],\"lines\":%zu,\"used\":%zu,\"skipped\":%zu}\n", s->lines,
		s->used, s->skipped);
}
