// SPDX-License-Identifier: GPL-2.0
/*
 * avfencectl load [--dry-run] FILE
 *
 * Parse, and only when there is nothing to complain about send one
 * AVFENCE_CMD_LOAD_POLICY request.  The kernel resolves every subject
 * path (and refuses the whole policy if one does not resolve), so load
 * does not resolve them first: that doubled the time of a large load.
 * If the kernel refuses, the subjects are checked on disk and every
 * problem is listed as FILE:LINE:COL: message; if none is found, the
 * kernel's extended ack is tied back to the policy line it concerns.
 * With --dry-run, the subjects are checked on disk and the request is
 * built but not sent.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "avfencectl.h"
#include "digest.h"
#include "nl.h"
#include "policy_file.h"
#include "policy_msg.h"
#include "policy_parse.h"
#include "status.h"

static void report_kernel_error(const char *file, const struct policy *pol,
				const struct policy_msg_map *map, int err,
				const struct avf_nl_ack *ack)
{
	const char *why = ack->msg[0] ? ack->msg : strerror(-err);
	struct policy_loc loc;

	avf_nl_report("load policy", err, ack);
	if (!ack->has_offs)
		return;
	loc = policy_msg_locate(pol, map, ack->offs);
	switch (loc.kind) {
	case POLICY_LOC_SUBJECT:
		fprintf(stderr, "%s:%u: subject ", file, loc.line);
		canon_path_print(stderr, pol->subjects[loc.index].path);
		fprintf(stderr, ": %s\n", why);
		break;
	case POLICY_LOC_LABEL:
		fprintf(stderr, "%s:%u: label ", file, loc.line);
		canon_path_print(stderr, pol->labels[loc.index].path);
		fprintf(stderr, ": %s\n", why);
		break;
	case POLICY_LOC_LABELS:
		fprintf(stderr, "%s: labels: %s\n", file, why);
		break;
	case POLICY_LOC_LEVEL:
		fprintf(stderr, "%s:%u:%u: level %s: %s\n", file, loc.line,
			pol->level_col[loc.index],
			pol->levels.name[loc.index], why);
		break;
	case POLICY_LOC_LEVELS:
		fprintf(stderr, "%s:%u: levels: %s\n", file, loc.line, why);
		break;
	case POLICY_LOC_DEFAULT:
		fprintf(stderr, "%s:%u: default: %s\n", file, loc.line, why);
		break;
	case POLICY_LOC_MODE:
		fprintf(stderr, "%s:%u: mode: %s\n", file, loc.line, why);
		break;
	case POLICY_LOC_SUBJECTS:
		fprintf(stderr, "%s: subjects: %s\n", file, why);
		break;
	case POLICY_LOC_NONE:
		fprintf(stderr,
			"%s: the kernel pointed at offset %u of the request, outside the policy\n",
			file, ack->offs);
		break;
	}
}

/* The request for @pol, subjects over as many attributes as needed. */
static struct nl_msg *build_request(const struct avf_nl *nl, const char *file,
				    const struct policy *pol,
				    enum policy_msg_form form,
				    struct policy_msg_map *map)
{
	struct nl_msg *msg;
	int ret;

	msg = avf_nl_msg(nl, AVFENCE_CMD_LOAD_POLICY, policy_msg_size(pol));
	if (!msg) {
		fprintf(stderr, "%s: load: %s: out of memory\n", prog, file);
		return NULL;
	}
	ret = policy_msg_fill(msg, pol, form, map);
	if (ret) {
		fprintf(stderr, "%s: load: %s: cannot build request: %s\n",
			prog, file, strerror(-ret));
		nlmsg_free(msg);
		return NULL;
	}
	return msg;
}

static void print_summary(const char *file, const struct policy *pol,
			  const char *what)
{
	printf("%s: %s %u level%s, %zu subject%s, ", file, what,
	       pol->levels.count, pol->levels.count == 1 ? "" : "s",
	       pol->nr_subjects, pol->nr_subjects == 1 ? "" : "s");
	if (pol->nr_labels)
		printf("%zu label%s, ", pol->nr_labels,
		       pol->nr_labels == 1 ? "" : "s");
	printf("mode %s\n", policy_mode_name(pol->mode));
}

/* The generation and digest the kernel gave the policy it just loaded. */
struct load_result {
	bool has_digest;
	uint64_t generation;
	uint8_t digest[AVFENCE_DIGEST_LEN];
};

static int load_reply(struct nlattr **tb, void *arg)
{
	struct load_result *res = arg;

	if (tb[AVFENCE_A_GENERATION] && tb[AVFENCE_A_DIGEST] &&
	    nla_len(tb[AVFENCE_A_DIGEST]) == AVFENCE_DIGEST_LEN) {
		res->generation = nla_get_u64(tb[AVFENCE_A_GENERATION]);
		memcpy(res->digest, nla_data(tb[AVFENCE_A_DIGEST]),
		       AVFENCE_DIGEST_LEN);
		res->has_digest = true;
	}
	return 0;
}

/*
 * The digest printed is the kernel's: SHA-256 of the canonical form of
 * what it parsed and now enforces, the figure status, securityfs and the
 * measurement log show.  `avfencectl check FILE` prints the file's own,
 * on any host, for comparing.  A module that does not reply to the load
 * (older than this avfencectl) is asked with GET_STATUS instead.
 */
static void print_kernel_digest(struct avf_nl *nl,
				const struct load_result *res)
{
	char hex[2 * AVFENCE_DIGEST_LEN + 1];
	struct avf_status st;
	struct avf_nl_ack ack;

	if (res->has_digest) {
		digest_to_hex(res->digest, hex);
		printf("generation: %" PRIu64 "\ndigest: %s\n",
		       res->generation, hex);
		return;
	}
	if (avf_status_get(nl, &st, &ack) || !st.has_digest) {
		fprintf(stderr,
			"%s: load: warning: loaded, but the kernel did not tell the digest\n",
			prog);
		return;
	}
	digest_to_hex(st.digest, hex);
	printf("generation: %" PRIu64 "\ndigest: %s\n", st.generation, hex);
}

/*
 * Build and send the request: 0, a negative errno (the kernel's, or the
 * transport's), or 1 if it was not sent (why is printed).
 */
static int transact_policy(struct avf_nl *nl, const char *file,
			   const struct policy *pol, enum policy_msg_form form,
			   struct policy_msg_map *map, struct load_result *res,
			   struct avf_nl_ack *ack)
{
	struct nl_msg *msg;

	msg = build_request(nl, file, pol, form, map);
	if (!msg)
		return 1;
	if (avf_nl_reserve_sndbuf(nl, nlmsg_hdr(msg)->nlmsg_len)) {
		fprintf(stderr,
			"%s: load: request of %u bytes exceeds the netlink send buffer (run as root, or raise net.core.wmem_max)\n",
			prog, nlmsg_hdr(msg)->nlmsg_len);
		nlmsg_free(msg);
		return 1;
	}
	return avf_nl_transact(nl, msg, load_reply, res, ack);
}

static int send_policy(const char *file, const struct policy *pol)
{
	struct load_result res = { .has_digest = false };
	struct policy_msg_map map = { 0 };
	struct avf_nl_ack ack;
	struct avf_nl nl;
	int ret;

	ret = avf_nl_open(&nl);
	if (ret) {
		avf_nl_report_open(ret);
		return 1;
	}
	ret = transact_policy(&nl, file, pol, POLICY_MSG_TABLES, &map, &res,
			      &ack);
	/*
	 * A module from before subject tables (still running after an
	 * upgrade, until the next boot) refuses the first table as an unknown
	 * attribute: the same subjects again, as nests.
	 */
	if (ret == -EINVAL && ack.has_offs && map.first_table_off &&
	    ack.offs == map.first_table_off) {
		policy_msg_map_free(&map);
		ret = transact_policy(&nl, file, pol, POLICY_MSG_NESTS, &map,
				      &res, &ack);
	}
	if (ret > 0)
		goto out;
	if (ret) {
		if (!policy_file_report_subjects(file, pol, "nothing loaded"))
			report_kernel_error(file, pol, &map, ret, &ack);
		goto out;
	}
	if (ack.msg[0])
		fprintf(stderr, "%s: load: kernel: %s\n", prog, ack.msg);
	print_summary(file, pol, "loaded");
	print_kernel_digest(&nl, &res);
	policy_msg_map_free(&map);
	avf_nl_close(&nl);
	return 0;

out:
	policy_msg_map_free(&map);
	avf_nl_close(&nl);
	return 1;
}

/* Everything but the sending: the request is built to see that it can be. */
static int dry_run(const char *file, const struct policy *pol,
		   const char *hex)
{
	struct policy_msg_map map = { 0 };
	struct avf_nl nl = { .family = 0 };
	struct nl_msg *msg;

	msg = build_request(&nl, file, pol, POLICY_MSG_TABLES, &map);
	if (!msg) {
		policy_msg_map_free(&map);
		return 1;
	}
	print_summary(file, pol, "dry run, nothing sent: would load");
	printf("request: %u bytes, %u subject attribute%s\n",
	       nlmsg_hdr(msg)->nlmsg_len, map.nr_nests,
	       map.nr_nests == 1 ? "" : "s");
	printf("digest: %s\n", hex);
	nlmsg_free(msg);
	policy_msg_map_free(&map);
	return 0;
}

enum { OPT_DRY_RUN = OPT_LONG };

static const struct option load_options[] = {
	{ "dry-run", no_argument, NULL, OPT_DRY_RUN },
	OPT_END
};

int load_main(int argc, char **argv)
{
	char hex[DIGEST_HEX_SIZE];
	struct policy pol;
	const char *file;
	bool dry = false;
	int ret;

	while ((ret = command_getopt(argc, argv, "", load_options)) != -1)
		if (ret == OPT_DRY_RUN)
			dry = true;
	file = command_one_operand(argc, argv, "policy file");
	if (!file)
		return 1;
	ret = policy_file_get(file, dry, dry ? "dry run failed" :
			      "nothing loaded", &pol);
	if (ret)
		goto out;
	if (!dry)
		ret = send_policy(file, &pol);
	else if (!policy_digest_hex(file, &pol, hex))
		ret = dry_run(file, &pol, hex);
	else
		ret = 1;
out:
	policy_free(&pol);
	return ret;
}
