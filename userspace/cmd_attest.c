// SPDX-License-Identifier: GPL-2.0
/*
 * avfencectl attest --nonce HEX [--ak KEY] [--log FILE] DIR
 * avfencectl verify --nonce HEX --ak-pub FILE [--digest HEX] DIR
 *
 * attest (on the host, root): replays the kernel's measurement log, checks
 * it against the PCR, has the TPM quote that PCR for the auditor's nonce
 * with the attestation key (tpm2_quote), and writes a bundle DIR: log.bin
 * (the log), quote.msg and quote.sig (the quote and its signature),
 * quote.pcrs (the PCR values, as tpm2_quote writes them).
 *
 * verify (anywhere, no TPM): checks the quote's signature with the AK's
 * public key and its nonce (tpm2_checkquote), parses the quote, replays
 * the log to the quoted PCR, and prints the policy digest and mode in
 * force and since when.  Any mismatch: exit status 1.
 */
#include <endian.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "avfencectl.h"
#include "digest.h"
#include "measure_log.h"

#define DEFAULT_AK	"0x81010002"	/* the AK's persistent handle */
#define MAX_TRIES	3		/* a change between log read and quote */

/* Run tpm2-tools' @argv, its output discarded, its errors shown. */
static int run_tool(char *const argv[])
{
	int st, fd;
	pid_t pid = fork();

	if (pid < 0)
		return -errno;
	if (!pid) {
		fd = open("/dev/null", O_WRONLY);
		if (fd >= 0)
			dup2(fd, 1);
		execvp(argv[0], argv);
		fprintf(stderr, "%s: %s: %s (install tpm2-tools)\n", prog,
			argv[0], strerror(errno));
		_exit(127);
	}
	if (waitpid(pid, &st, 0) < 0)
		return -errno;
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128;
}

static int read_all(const char *path, uint8_t *buf, size_t max, size_t *len)
{
	FILE *f = fopen(path, "rb");

	*len = 0;
	if (!f)
		return -errno;
	*len = fread(buf, 1, max, f);
	fclose(f);
	return 0;
}

static int write_log(const char *path, const struct mlog *log)
{
	FILE *f = fopen(path, "wb");
	size_t n;

	if (!f)
		return -errno;
	n = fwrite(log->rec, sizeof(*log->rec), log->nr, f);
	if (fclose(f) || n != log->nr)
		return -EIO;
	return 0;
}

static void hex_print(const uint8_t *d, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		printf("%02x", d[i]);
}

/* The PCR's value in the SHA-256 bank, by tpm2_pcrread, into @out. */
static int pcr_read(uint32_t pcr, const char *tmp, uint8_t out[32])
{
	char sel[32], *argv[] = { "tpm2_pcrread", sel, "-o", (char *)tmp,
				  NULL };
	size_t len;

	snprintf(sel, sizeof(sel), "sha256:%u", pcr);
	if (run_tool(argv))
		return -EIO;
	if (read_all(tmp, out, 32, &len) || len != 32)
		return -EIO;
	return 0;
}

static int nonce_ok(const char *cmd, const char *nonce)
{
	uint8_t buf[64];
	size_t len;

	if (!nonce)
		return command_usage_error(cmd, "--nonce HEX is required");
	if (hex_decode(nonce, buf, sizeof(buf), &len))
		return command_usage_error(cmd,
					   "--nonce: 1 to 64 bytes in hex, not '%s'",
					   nonce);
	return 0;
}

int attest_main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "nonce", required_argument, NULL, 'n' },
		{ "ak", required_argument, NULL, 'k' },
		{ "log", required_argument, NULL, 'l' },
		OPT_END
	};
	const char *nonce = NULL, *ak = DEFAULT_AK, *log_path = MEASURE_BINARY_LOG;
	char path[4][4096], sel[32], why[256];
	uint8_t want[32], got[32];
	struct mlog log, again;
	uint32_t pcr;
	int c, tries, err;

	const char *dir;

	while ((c = command_getopt(argc, argv, "", opts)) != -1) {
		if (c == 'n')
			nonce = optarg;
		else if (c == 'k')
			ak = optarg;
		else if (c == 'l')
			log_path = optarg;
	}
	if (nonce_ok("attest", nonce))
		return 1;
	dir = command_one_operand(argc, argv, "bundle directory");
	if (!dir)
		return 1;
	if (mkdir(dir, 0755) && errno != EEXIST) {
		fprintf(stderr, "%s: attest: %s: %s\n", prog, dir,
			strerror(errno));
		return 1;
	}
	snprintf(path[0], sizeof(path[0]), "%s/log.bin", dir);
	snprintf(path[1], sizeof(path[1]), "%s/quote.msg", dir);
	snprintf(path[2], sizeof(path[2]), "%s/quote.sig", dir);
	snprintf(path[3], sizeof(path[3]), "%s/quote.pcrs", dir);

	for (tries = 0; tries < MAX_TRIES; tries++) {
		char *quote[] = { "tpm2_quote", "-Q", "-c", (char *)ak, "-l", sel,
				  "-q", (char *)nonce, "-m", path[1], "-s",
				  path[2], "-o", path[3], "-g", "sha256", NULL };

		err = mlog_read(log_path, &log);
		if (err) {
			fprintf(stderr, "%s: attest: %s: %s\n", prog, log_path,
				strerror(-err));
			return 1;
		}
		pcr = log.nr ? le32toh(log.rec[0].pcr) : 0;
		if (mlog_replay(&log, pcr, want, why, sizeof(why))) {
			fprintf(stderr, "%s: attest: %s: %s\n", prog, log_path,
				why);
			mlog_free(&log);
			return 1;
		}
		if (pcr_read(pcr, path[3], got)) {
			fprintf(stderr, "%s: attest: cannot read PCR %u (tpm2_pcrread)\n",
				prog, pcr);
			mlog_free(&log);
			return 1;
		}
		snprintf(sel, sizeof(sel), "sha256:%u", pcr);
		if (memcmp(want, got, sizeof(want))) {
			/* maybe a change came in between: read again */
			mlog_free(&log);
			continue;
		}
		if (run_tool(quote)) {
			fprintf(stderr, "%s: attest: tpm2_quote with key %s failed\n",
				prog, ak);
			mlog_free(&log);
			return 1;
		}
		err = mlog_read(log_path, &again);
		if (!err && again.nr == log.nr) {
			mlog_free(&again);
			break;
		}
		mlog_free(&again);
		mlog_free(&log);
	}
	if (tries == MAX_TRIES) {
		fprintf(stderr, "%s: attest: the log does not replay to PCR %u (tried %d times)\n",
			prog, pcr, MAX_TRIES);
		return 1;
	}
	err = write_log(path[0], &log);
	if (err) {
		fprintf(stderr, "%s: attest: %s: %s\n", prog, path[0],
			strerror(-err));
		mlog_free(&log);
		return 1;
	}
	printf("%s: %zu records, PCR %u = ", dir, log.nr, pcr);
	hex_print(want, sizeof(want));
	printf(", quoted for nonce %s\n", nonce);
	mlog_free(&log);
	return 0;
}

static void print_since(const char *what, const struct avfence_measurement *r)
{
	uint64_t ns = le64toh(r->realtime_ns);
	time_t t = ns / 1000000000ull;
	char when[64];
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", &tm);
	printf("%-15s %s (record %llu, by pid %u, %.3f s after boot)\n", what,
	       when, (unsigned long long)le64toh(r->seq), le32toh(r->pid),
	       le64toh(r->boottime_ns) / 1e9);
}

static const char *mode_word(uint32_t mode)
{
	return mode == AVFENCE_MODE_ENFORCE ? "enforce" :
	       mode == AVFENCE_MODE_AUDIT ? "audit" : "none";
}

static int verify_fail(const char *fmt, const char *arg)
{
	fprintf(stderr, "%s: verify: ", prog);
	fprintf(stderr, fmt, arg);
	fprintf(stderr, "\n%s: verify: FAILED: nothing can be concluded about this host\n",
		prog);
	return 1;
}

int verify_main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "nonce", required_argument, NULL, 'n' },
		{ "ak-pub", required_argument, NULL, 'k' },
		{ "digest", required_argument, NULL, 'd' },
		OPT_END
	};
	const char *nonce = NULL, *ak_pub = NULL, *want_digest = NULL;
	char path[3][4096], why[256], hex[DIGEST_HEX_SIZE];
	uint8_t msg[4096], nonce_bin[64], pcr[32], pcr_sum[32];
	size_t msg_len, nonce_len;
	struct mstate st;
	struct quote q;
	struct mlog log;
	int c, err;

	const char *dir;

	while ((c = command_getopt(argc, argv, "", opts)) != -1) {
		if (c == 'n')
			nonce = optarg;
		else if (c == 'k')
			ak_pub = optarg;
		else if (c == 'd')
			want_digest = optarg;
	}
	if (nonce_ok("verify", nonce))
		return 1;
	if (!ak_pub)
		return command_usage_error("verify",
					   "--ak-pub FILE (the AK's public key) is required");
	dir = command_one_operand(argc, argv, "bundle directory");
	if (!dir)
		return 1;
	snprintf(path[0], sizeof(path[0]), "%s/log.bin", dir);
	snprintf(path[1], sizeof(path[1]), "%s/quote.msg", dir);
	snprintf(path[2], sizeof(path[2]), "%s/quote.sig", dir);
	hex_decode(nonce, nonce_bin, sizeof(nonce_bin), &nonce_len);

	/* 1. the signature over the quote, by the AK; the nonce in it */
	{
		char *check[] = { "tpm2_checkquote", "-u", (char *)ak_pub,
				  "-m", path[1], "-s", path[2], "-g", "sha256",
				  "-q", (char *)nonce, NULL };

		if (run_tool(check))
			return verify_fail("%s: the quote's signature or nonce does not check out (tpm2_checkquote)",
					   dir);
	}
	/* 2. what the signed quote says, read here rather than trusted */
	if (read_all(path[1], msg, sizeof(msg), &msg_len))
		return verify_fail("%s: cannot read", path[1]);
	if (quote_parse(msg, msg_len, &q, why, sizeof(why)))
		return verify_fail("quote: %s", why);
	if (q.nonce_len != nonce_len || memcmp(q.nonce, nonce_bin, nonce_len))
		return verify_fail("%s", "the quote is not for this nonce (an old quote replayed?)");
	if (q.pcr_hash != TPM_ALG_SHA256_ID || q.pcr_digest_len != 32)
		return verify_fail("%s", "the quote is not of a SHA-256 PCR");
	/* 3. the log replays to the quoted PCR */
	err = mlog_read(path[0], &log);
	if (err)
		return verify_fail("log.bin: %s", strerror(-err));
	if (mlog_replay(&log, q.pcr, pcr, why, sizeof(why))) {
		mlog_free(&log);
		return verify_fail("log.bin: %s", why);
	}
	digest_sha256_once(pcr, sizeof(pcr), pcr_sum);
	if (memcmp(pcr_sum, q.pcr_digest, sizeof(pcr_sum))) {
		mlog_free(&log);
		return verify_fail("%s", "the log does not replay to the quoted PCR value: it is not the host's log, or was changed");
	}
	/* 4. what is in force */
	mlog_state(&log, &st);
	printf("verified:       %zu records replay to PCR %u quoted by the AK for this nonce\n",
	       log.nr, q.pcr);
	printf("tpm:            clock %llu ms, reset count %u, restart count %u\n",
	       (unsigned long long)q.clock, q.reset_count, q.restart_count);
	print_since("module loaded:", st.module_load);
	if (st.policy) {
		digest_to_hex(st.digest, hex);
		printf("policy digest:  %s\n", hex);
		printf("generation:     %llu\n",
		       (unsigned long long)st.generation);
		print_since("loaded:", st.policy_load);
		printf("mode:           %s\n", mode_word(st.mode));
		print_since("mode since:", st.mode_set);
	} else {
		printf("policy digest:  none (no policy loaded: nothing is fenced)\n");
	}
	printf("locked:         %s\n", st.locked ? "yes" : "no");
	if (st.locked)
		print_since("locked since:", st.lock);
	mlog_free(&log);
	if (want_digest && (!st.policy || strcmp(want_digest, hex)))
		return verify_fail("the policy in force is not %s", want_digest);
	return 0;
}
