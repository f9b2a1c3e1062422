/* SPDX-License-Identifier: GPL-2.0 */
/*
 * avfencectl: formatting shared by the commands: JSON strings, key=value
 * words, ISO 8601 times.
 */
#ifndef _AVFENCECTL_OUTPUT_H
#define _AVFENCECTL_OUTPUT_H

#include <stdint.h>
#include <stdio.h>

/* "2026-11-29T19:37:00.123456789Z" plus the NUL, with room to spare. */
#define ISO_TIME_MAX 40

void json_string(FILE *f, const char *s);
void json_string_or_null(FILE *f, const char *s);
void text_value(FILE *f, const char *s);
char *iso_time(char buf[ISO_TIME_MAX], uint64_t ns);

#endif /* _AVFENCECTL_OUTPUT_H */
