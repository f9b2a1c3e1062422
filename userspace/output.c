// SPDX-License-Identifier: GPL-2.0
/*
 * avfencectl: output helpers.
 */
#include <stdbool.h>
#include <string.h>
#include <time.h>

#include "output.h"

/* Length of the valid UTF-8 sequence at @s (1-4), or 0 if invalid. */
static size_t utf8_len(const unsigned char *s)
{
	size_t n, i;
	uint32_t c;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf) {
		n = 2;
		c = s[0] & 0x1f;
	} else if (s[0] >= 0xe0 && s[0] <= 0xef) {
		n = 3;
		c = s[0] & 0x0f;
	} else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		n = 4;
		c = s[0] & 0x07;
	} else {
		return 0;
	}
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;	/* also stops at the NUL */
		c = c << 6 | (s[i] & 0x3f);
	}
	/* Overlong forms, surrogates and beyond U+10FFFF are invalid. */
	if ((n == 3 && c < 0x800) || (n == 4 && c < 0x10000) ||
	    (c >= 0xd800 && c <= 0xdfff) || c > 0x10ffff)
		return 0;
	return n;
}

/**
 * json_string - print @s as a JSON string
 * @f: where
 * @s: NUL-terminated bytes, not necessarily UTF-8 (paths are bytes)
 *
 * Valid UTF-8 passes through; quotes, backslashes and control characters
 * are escaped; a byte that is not part of valid UTF-8 becomes \u00XX (the
 * code point of the same number), so the output is always valid JSON.
 */
void json_string(FILE *f, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	fputc('"', f);
	while (*p) {
		size_t n = utf8_len(p);

		if (*p == '"' || *p == '\\') {
			fputc('\\', f);
			fputc(*p, f);
		} else if (*p == '\n') {
			fputs("\\n", f);
		} else if (*p == '\t') {
			fputs("\\t", f);
		} else if (*p == '\r') {
			fputs("\\r", f);
		} else if (*p < 0x20 || *p == 0x7f || !n) {
			fprintf(f, "\\u%04x", *p);
		} else {
			fwrite(p, 1, n, f);
			p += n;
			continue;
		}
		p++;
	}
	fputc('"', f);
}

void json_string_or_null(FILE *f, const char *s)
{
	if (s)
		json_string(f, s);
	else
		fputs("null", f);
}

/**
 * text_value - print @s as one word of a "key=value" line
 * @f: where
 * @s: the value
 *
 * Printed as is when it is plain printable ASCII without blanks, quotes or
 * backslashes; otherwise in double quotes with C escapes (\" \\ \n \t
 * \xNN), so that a line is always one line and splits on blanks.
 */
void text_value(FILE *f, const char *s)
{
	const unsigned char *p;
	bool plain = *s != '\0';

	for (p = (const unsigned char *)s; *p && plain; p++)
		plain = *p > 0x20 && *p < 0x7f && *p != '"' && *p != '\\';
	if (plain) {
		fputs(s, f);
		return;
	}
	fputc('"', f);
	for (p = (const unsigned char *)s; *p; p++) {
		if (*p == '"' || *p == '\\')
			fprintf(f, "\\%c", *p);
		else if (*p == '\n')
			fputs("\\n", f);
		else if (*p == '\t')
			fputs("\\t", f);
		else if (*p < 0x20 || *p >= 0x7f)
			fprintf(f, "\\x%02x", *p);
		else
			fputc(*p, f);
	}
	fputc('"', f);
}

/**
 * iso_time - CLOCK_REALTIME nanoseconds as ISO 8601 UTC
 * @buf: room for the text
 * @ns: nanoseconds since the epoch
 *
 * Return: @buf, e.g. "2026-11-29T19:37:00.123456789Z".
 */
char *iso_time(char buf[ISO_TIME_MAX], uint64_t ns)
{
	time_t secs = (time_t)(ns / 1000000000u);
	struct tm tm;
	size_t n;

	if (!gmtime_r(&secs, &tm)) {
		snprintf(buf, ISO_TIME_MAX, "@%llu", (unsigned long long)ns);
		return buf;
	}
	n = strftime(buf, ISO_TIME_MAX, "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(buf + n, ISO_TIME_MAX - n, ".%09uZ",
		 (unsigned int)(ns % 1000000000u));
	return buf;
}
