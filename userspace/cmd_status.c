// SPDX-License-Identifier: GPL-2.0
/*
 * avfencectl status [--json]
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <sys/sysmacros.h>
#include <sys/utsname.h>

#include "avfencectl.h"
#include "digest.h"
#include "output.h"
#include "policy_parse.h"
#include "digest.h"
#include "status.h"

/* The running kernel's release, as uname -r prints it. */
static const char *kernel_release(void)
{
	static struct utsname u;

	return uname(&u) ? NULL : u.release;
}

/* "raw-devices,ptrace", as in the policy file, or "" */
static const char *allow_words(uint32_t allow)
{
	static char buf[64];
	size_t len = 0;
	uint32_t flag;

	buf[0] = '\0';
	for (flag = 1; flag & __AVFENCE_ALLOW_ALL; flag <<= 1) {
		if (allow & flag)
			len += snprintf(buf + len, sizeof(buf) - len, "%s%s",
					len ? "," : "", avf_allow_name(flag));
	}
	return buf;
}

static void json_list(char *const *v, uint32_t n)
{
	uint32_t i;

	printf("[");
	for (i = 0; i < n; i++) {
		if (i)
			printf(",");
		json_string(stdout, v[i]);
	}
	printf("]");
}

/* " write=A,B" as in the policy file, nothing for an empty list */
static void print_list(const char *word, char *const *v, uint32_t n)
{
	uint32_t i;

	for (i = 0; i < n; i++)
		printf("%s%s", i ? "," : word, v[i]);
}

static void print_json_lists(const struct avf_status *st)
{
	const struct avf_status_subject *s;
	u32 i;

	printf(",\"level_stats\":");
	if (!st->has_level_stats) {
		printf("null");
	} else {
		printf("[");
		for (i = 0; i < st->nr_level_stats; i++) {
			printf("%s{\"level\":", i ? "," : "");
			json_string(stdout, st->level_stats[i].name);
			printf(",\"denied\":%" PRIu64 ",\"audited\":%" PRIu64 "}",
			       st->level_stats[i].denied,
			       st->level_stats[i].audited);
		}
		printf("]");
	}
	printf(",\"subject_list\":");
	if (!st->has_subject_list) {
		printf("%s", st->policy_loaded && !st->subjects ? "[]" : "null");
		return;
	}
	printf("[");
	for (i = 0; i < st->nr_subject_list; i++) {
		s = &st->subject_list[i];
		printf("%s{\"path\":", i ? "," : "");
		json_string(stdout, s->path);
		printf(",\"clearance\":");
		json_string(stdout, s->clearance);
		printf(",\"allow\":");
		json_string(stdout, allow_words(s->allow));
		if (s->has_id)
			printf(",\"dev\":\"%u:%u\",\"ino\":%" PRIu64,
			       major(s->dev), minor(s->dev), s->ino);
		else
			printf(",\"dev\":null,\"ino\":null");
		printf(",\"write\":");
		json_list(s->write, s->nr_write);
		printf(",\"connect\":");
		json_list(s->connect, s->nr_connect);
		printf("}");
	}
	printf("]");
	printf(",\"subject_list_complete\":%s",
	       st->nr_subject_list == st->subjects && !st->list_nomem ?
	       "true" : "false");
	printf(",\"label_list\":");
	if (!st->has_plabel_list) {
		printf("null");
		return;
	}
	printf("[");
	for (i = 0; i < st->nr_plabel_list; i++) {
		const struct avf_status_plabel *l = &st->plabel_list[i];

		printf("%s{\"path\":", i ? "," : "");
		json_string(stdout, l->path);
		printf(",\"level\":");
		json_string(stdout, l->level);
		if (l->has_id)
			printf(",\"dev\":\"%u:%u\",\"ino\":%" PRIu64,
			       major(l->dev), minor(l->dev), l->ino);
		else
			printf(",\"dev\":null,\"ino\":null");
		printf(",\"mount_root\":%s}", l->mount_root ? "true" : "false");
	}
	printf("]");
}

static void print_json(const struct avf_status *st)
{
	char hex[2 * AVFENCE_DIGEST_LEN + 1];
	u32 i;

	printf("{\"kernel\":");
	json_string_or_null(stdout, kernel_release());
	printf(",\"abi\":");
	if (st->has_abi)
		printf("%" PRIu32, st->abi);
	else
		printf("null");
	printf(",\"module_version\":");
	if (st->has_version)
		json_string(stdout, st->version);
	else
		printf("null");
	printf(",\"policy_loaded\":%s", st->policy_loaded ? "true" : "false");
	printf(",\"locked\":%s", !st->has_locked ? "null" :
	       st->locked ? "true" : "false");
	printf(",\"mode\":");
	if (st->has_mode)
		json_string(stdout, policy_mode_name(st->mode));
	else
		printf("null");
	printf(",\"generation\":");
	if (st->has_generation)
		printf("%" PRIu64, st->generation);
	else
		printf("null");
	printf(",\"levels\":[");
	for (i = 0; i < st->levels.count; i++) {
		if (i)
			putchar(',');
		json_string(stdout, st->levels.name[i]);
	}
	printf("],\"default\":");
	if (st->has_default)
		json_string(stdout, st->default_level);
	else
		printf("null");
	printf(",\"digest\":");
	if (st->has_digest) {
		digest_to_hex(st->digest, hex);
		json_string(stdout, hex);
	} else {
		printf("null");
	}
	printf(",\"labels\":");
	if (st->has_plabels)
		printf("%" PRIu32, st->plabels);
	else
		printf("null");
	printf(",\"subjects\":%" PRIu32 ",\"tagged\":%" PRIu32
	       ",\"denied\":%" PRIu64 ",\"audited\":%" PRIu64,
	       st->subjects, st->tagged, st->denied, st->audited);
	printf(",\"measured\":%s,\"measure_pcr\":", st->measured ? "true" : "false");
	if (st->measured)
		printf("%" PRIu32, st->measure_pcr);
	else
		printf("null");
	printf(",\"measure_records\":");
	if (st->has_measure_records)
		printf("%" PRIu64, st->measure_records);
	else
		printf("null");
	printf(",\"events_lost\":");
	if (st->has_events_lost)
		printf("%" PRIu64, st->events_lost);
	else
		printf("null");
	printf(",\"routes\":[");
	for (i = 0; i < st->nr_routes; i++) {
		printf("%s{\"route\":", i ? "," : "");
		json_string(stdout, st->routes[i].name);
		printf(",\"denied\":%" PRIu64 ",\"audited\":%" PRIu64 "}",
		       st->routes[i].denied, st->routes[i].audited);
	}
	printf("]");
	print_json_lists(st);
	printf("}\n");
}

static void print_human_lists(const struct avf_status *st)
{
	const struct avf_status_subject *s;
	u32 i;

	if (st->has_level_stats) {
		printf("files refused by level, under this policy:\n");
		for (i = 0; i < st->nr_level_stats; i++)
			printf("  %-14s denied %" PRIu64 ", audited %" PRIu64
			       "\n", st->level_stats[i].name,
			       st->level_stats[i].denied,
			       st->level_stats[i].audited);
	}
	if (st->nr_subject_list)
		printf("subject list (path, clearance, resolved to device:inode):\n");
	for (i = 0; i < st->nr_subject_list; i++) {
		s = &st->subject_list[i];
		/* escaped: a newline in a path cannot fake a line */
		printf("  ");
		canon_path_print(stdout, s->path);
		printf(" %s", s->clearance);
		if (s->has_id)
			printf(" dev %u:%u ino %" PRIu64, major(s->dev),
			       minor(s->dev), s->ino);
		if (s->allow)
			printf(" allow=%s", allow_words(s->allow));
		print_list(" write=", s->write, s->nr_write);
		print_list(" connect=", s->connect, s->nr_connect);
		printf("\n");
	}
	if (st->has_subject_list &&
	    (st->nr_subject_list < st->subjects || st->list_nomem))
		printf("  (%" PRIu32 " more not listed: the reply is limited to %u KiB;\n"
		       "  /sys/kernel/security/avfence/status lists them all)\n",
		       st->subjects - st->nr_subject_list,
		       AVFENCE_STATUS_SUBJECTS_MAX / 1024);
	if (st->nr_plabel_list)
		printf("label list (path, level, resolved to device:inode):\n");
	for (i = 0; i < st->nr_plabel_list; i++) {
		const struct avf_status_plabel *l = &st->plabel_list[i];

		printf("  %s %s", l->path, l->level);
		if (l->has_id)
			printf(" dev %u:%u ino %" PRIu64, major(l->dev),
			       minor(l->dev), l->ino);
		if (l->mount_root)
			printf(" (mount root)");
		printf("\n");
	}
}

static void print_human(const struct avf_status *st)
{
	char hex[2 * AVFENCE_DIGEST_LEN + 1];
	const char *release = kernel_release();
	u32 i;

	if (release)
		printf("kernel:         %s\n", release);
	if (st->has_abi)
		printf("abi:            %" PRIu32 "\n", st->abi);
	if (st->has_version)
		printf("module version: %s\n", st->version);
	printf("policy loaded:  %s\n", st->policy_loaded ? "yes" : "no");
	if (st->has_locked)
		printf("locked:         %s\n", st->locked ?
		       "yes (until reboot: no load, no mode change, no unload)" :
		       "no");
	if (st->has_mode)
		printf("mode:           %s\n", policy_mode_name(st->mode));
	if (st->has_generation)
		printf("generation:     %" PRIu64 "\n", st->generation);
	if (st->levels.count) {
		printf("levels:        ");
		for (i = 0; i < st->levels.count; i++)
			printf(" %s", st->levels.name[i]);
		printf("\n");
	}
	if (st->has_default)
		printf("default:        %s\n", st->default_level);
	if (st->has_digest) {
		digest_to_hex(st->digest, hex);
		printf("digest:         %s\n", hex);
	}
	printf("subjects:       %" PRIu32 "\n", st->subjects);
	if (st->has_plabels)
		printf("labels:         %" PRIu32 "\n", st->plabels);
	printf("tagged:         %" PRIu32 "\n", st->tagged);
	printf("denied:         %" PRIu64 "\n", st->denied);
	printf("audited:        %" PRIu64 "\n", st->audited);
	if (st->has_events_lost)
		printf("events lost:    %" PRIu64 "\n", st->events_lost);
	if (st->measured)
		printf("measured:       TPM PCR %" PRIu32 ", %" PRIu64 " records\n",
		       st->measure_pcr, st->measure_records);
	else if (st->has_measure_records)
		printf("measured:       no (no TPM 2.0): not measured, %" PRIu64 " records in the log\n",
		       st->measure_records);
	/* Per route, only those with something to say. */
	for (i = 0; i < st->nr_routes; i++) {
		const struct avf_route_stat *r = &st->routes[i];

		if (r->denied || r->audited)
			printf("  %-14s denied %" PRIu64 ", audited %" PRIu64
			       "\n", r->name, r->denied, r->audited);
	}
	print_human_lists(st);
}

enum { OPT_JSON = OPT_LONG };

static const struct option status_options[] = {
	{ "json", no_argument, NULL, OPT_JSON },
	OPT_END
};

int status_main(int argc, char **argv)
{
	struct avf_status st;
	bool json = false;
	int c;

	while ((c = command_getopt(argc, argv, "", status_options)) != -1)
		if (c == OPT_JSON)
			json = true;
	if (optind < argc)
		return command_usage_error("status",
					   "unexpected argument '%s'",
					   argv[optind]);
	if (avf_status_fetch_full(&st))
		return 1;
	if (st.levels_bad)
		fprintf(stderr,
			"%s: warning: the kernel reported a level name avfencectl cannot use\n",
			prog);
	if (json)
		print_json(&st);
	else
		print_human(&st);
	avf_status_free(&st);
	return 0;
}
