// SPDX-License-Identifier: GPL-2.0
/*
 * Measurement into a TPM and attestation, end to end, in the VM that
 * tests/vm/run.sh --tpm boots with a software TPM (swtpm, tpm-tis) and
 * tpm2-tools: every change of the fence is extended into PCR 13 before it
 * takes effect; avfencectl attest quotes it for a nonce; avfencectl verify
 * says which policy and mode are in force, and fails for a tampered log, a
 * wrong nonce, a replayed quote and another key.  Skipped without a TPM
 * (the default VM).  The cases run in file order and build on each other;
 * the last one locks the fence, so it runs only if tpm_test is the last
 * test of the boot (run.sh --tpm makes it so).
 *
 * /tmp/tpm: ak.pub (the attestation key, persisted at 0x81010002),
 *           b-N/ the bundles
 */
#include "ctl.h"

#define DIR		"/tmp/tpm"
#define AK_PUB		DIR "/ak.pub"
#define TOOL(name)	"/bin/" name
#define PCR		"13"

/* Each tpm2-tools run takes seconds under TCG: minutes per case. */
#define TPM_TIMEOUT	300

static struct output o;

FIXTURE(tpm) {
};

FIXTURE_SETUP(tpm)
{
}

FIXTURE_TEARDOWN(tpm)
{
}

static bool have_tpm(void)
{
	setenv("TPM2TOOLS_TCTI", "device:/dev/tpmrm0", 1);
	return access("/dev/tpmrm0", F_OK) == 0 &&
	       access(TOOL("tpm2_quote"), X_OK) == 0;
}

#define TPM_OR_SKIP()							\
	do {								\
		if (!have_tpm())					\
			SKIP(return, "no TPM (/dev/tpmrm0) or no tpm2-tools: run tests/vm/run.sh --tpm"); \
	} while (0)

/* The AK, made once per boot: an EK, an AK under it, made persistent. */
static int provision(void)
{
	if (access(AK_PUB, F_OK) == 0)
		return 0;
	mkdirs(DIR);
	if (capture(&o, TOOL("tpm2_createek"), "-c", DIR "/ek.ctx", "-G", "rsa",
		    "-u", DIR "/ek.pub", NULL) ||
	    capture(&o, TOOL("tpm2_createak"), "-C", DIR "/ek.ctx", "-c",
		    DIR "/ak.ctx", "-G", "rsa", "-g", "sha256", "-s", "rsassa",
		    "-u", DIR "/ak.pem", "-f", "pem", "-n", DIR "/ak.name",
		    NULL) ||
	    capture(&o, TOOL("tpm2_evictcontrol"), "-c", DIR "/ak.ctx",
		    "0x81010002", NULL))
		return -EIO;
	return rename(DIR "/ak.pem", AK_PUB) ? -errno : 0;
}

/* The PCR's value as tpm2_pcrread prints it ("0x...", upper case). */
static int pcr_value(char *v, size_t len)
{
	char *p;

	if (capture(&o, TOOL("tpm2_pcrread"), "sha256:" PCR, NULL))
		return -EIO;
	p = strstr(o.out, PCR ": 0x");
	if (!p)
		return -EINVAL;
	snprintf(v, len, "%.64s", p + strlen(PCR ": 0x"));
	return 0;
}

static int attest(const char *nonce, const char *bundle)
{
	return ctl(&o, "attest", "--nonce", nonce, bundle, NULL);
}

static int verify(const char *nonce, const char *bundle)
{
	return ctl(&o, "verify", "--nonce", nonce, "--ak-pub", AK_PUB, bundle,
		   NULL);
}

/* The digest in force as avfencectl status --json reports it. */
static int status_digest(char *hex, size_t len)
{
	if (ctl(&o, "status", "--json", NULL) ||
	    !json_get(o.out, "digest", hex, len))
		return -EINVAL;
	return 0;
}

/* Is tpm_test the last test of this boot? (the lock lasts until reboot) */
static bool last_test(void)
{
	static char list[8192];
	const char *env = getenv("AVF_TESTS");
	char *p, *tok, *last = NULL;

	if (env)
		snprintf(list, sizeof(list), "%s", env);
	else if (read_text("/opt/tests/list", list, sizeof(list)))
		return false;
	for (tok = strtok_r(list, ", \n", &p); tok;
	     tok = strtok_r(NULL, ", \n", &p))
		last = tok;
	return last && !strcmp(last, "tpm_test");
}

/* The module was loaded with the TPM there: measured into PCR 13. */
TEST_F_TIMEOUT(tpm, measured_into_pcr, TPM_TIMEOUT)
{
	char v[128];

	TPM_OR_SKIP();
	ASSERT_EQ(0, mount_securityfs());
	ASSERT_EQ(0, ctl(&o, "status", "--json", NULL));
	EXPECT_STREQ("true", json_get(o.out, "measured", v, sizeof(v)));
	EXPECT_STREQ(PCR, json_get(o.out, "measure_pcr", v, sizeof(v)));
	ASSERT_EQ(0, read_text(SECFS_STATUS, o.out, sizeof(o.out)));
	EXPECT_NE(NULL, strstr(o.out, "\nmeasured: pcr " PCR ", ")) {
		TH_LOG("%s", o.out);
	}
	ASSERT_EQ(0, pcr_value(v, sizeof(v)));
	EXPECT_STRNE("0000000000000000000000000000000000000000000000000000000000000000",
		     v);
	ASSERT_EQ(0, provision()) {
		TH_LOG("%s%s", o.out, o.err);
	}
}

/*
 * No one else may extend or reset the PCR (measure.c refuses it in
 * tpm_transmit()): else root could append records of its own making.
 * PCR 16, the debug PCR, is the control: the tools and the TPM work.
 */
TEST_F_TIMEOUT(tpm, pcr_refused_to_others, TPM_TIMEOUT)
{
	static const char zero[] = "sha256=0000000000000000000000000000000000000000000000000000000000000000";
	char before[80], after[80], arg[128];

	TPM_OR_SKIP();
	ASSERT_EQ(0, pcr_value(before, sizeof(before)));
	snprintf(arg, sizeof(arg), PCR ":%s", zero);
	EXPECT_NE(0, capture(&o, TOOL("tpm2_pcrextend"), arg, NULL));
	TH_LOG("tpm2_pcrextend " PCR ": %s", o.err);
	ASSERT_EQ(0, write_file(DIR "/data", "forged\n"));
	EXPECT_NE(0, capture(&o, TOOL("tpm2_pcrevent"), DIR "/data", PCR,
			     NULL));
	EXPECT_NE(0, capture(&o, TOOL("tpm2_pcrreset"), PCR, NULL));
	ASSERT_EQ(0, pcr_value(after, sizeof(after)));
	EXPECT_STREQ(before, after);
	snprintf(arg, sizeof(arg), "16:%s", zero);
	EXPECT_EQ(0, capture(&o, TOOL("tpm2_pcrextend"), arg, NULL)) {
		TH_LOG("%s", o.err);
	}
	EXPECT_EQ(0, capture(&o, TOOL("tpm2_pcrevent"), DIR "/data", "16",
			     NULL)) {
		TH_LOG("%s", o.err);
	}
}

/* A load and a mode change move the PCR; verify names what is in force. */
TEST_F_TIMEOUT(tpm, load_mode_attest_verify, TPM_TIMEOUT)
{
	char before[80], after[80], digest[80], line[160];

	TPM_OR_SKIP();
	ASSERT_EQ(0, provision());
	ASSERT_EQ(0, pcr_value(before, sizeof(before)));
	ASSERT_EQ(0, load_scanner("audit", "SECRET"));
	ASSERT_EQ(0, pcr_value(after, sizeof(after)));
	EXPECT_STRNE(before, after);
	ASSERT_EQ(0, avfencectl("mode", "enforce", NULL));
	ASSERT_EQ(0, pcr_value(before, sizeof(before)));
	EXPECT_STRNE(before, after);
	ASSERT_EQ(0, status_digest(digest, sizeof(digest)));

	ASSERT_EQ(0, attest("a1b2c3d4e5f60718", DIR "/b-1")) {
		TH_LOG("%s%s", o.out, o.err);
	}
	ASSERT_EQ(0, verify("a1b2c3d4e5f60718", DIR "/b-1")) {
		TH_LOG("%s%s", o.out, o.err);
	}
	TH_LOG("%s", o.out);
	snprintf(line, sizeof(line), "\npolicy digest:  %s\n", digest);
	EXPECT_NE(NULL, strstr(o.out, line));
	EXPECT_NE(NULL, strstr(o.out, "\nmode:           enforce\n"));
	EXPECT_NE(NULL, strstr(o.out, "\nlocked:         no\n"));
	/* --digest: the auditor's expected policy */
	EXPECT_EQ(0, ctl(&o, "verify", "--nonce", "a1b2c3d4e5f60718",
			 "--ak-pub", AK_PUB, "--digest", digest, DIR "/b-1",
			 NULL));
	EXPECT_EQ(1, ctl(&o, "verify", "--nonce", "a1b2c3d4e5f60718",
			 "--ak-pub", AK_PUB, "--digest",
			 "ae88f56d17bce08d895df894e16de46b05454e2fdd25461664224245efe6cc69",
			 DIR "/b-1", NULL));
}

/* Change one byte of the log (the mode of the last record): refused. */
TEST_F_TIMEOUT(tpm, tampered_log_fails, TPM_TIMEOUT)
{
	struct avfence_measurement r;
	int fd;
	off_t end;

	TPM_OR_SKIP();
	ASSERT_EQ(0, run("/bin/cp", "-r", DIR "/b-1", DIR "/b-t", NULL));
	fd = open(DIR "/b-t/log.bin", O_RDWR);
	ASSERT_LE(0, fd);
	end = lseek(fd, -(off_t)sizeof(r), SEEK_END);
	ASSERT_EQ(sizeof(r), pread(fd, &r, sizeof(r), end));
	ASSERT_EQ(AVFENCE_MODE_ENFORCE, r.mode);
	r.mode = AVFENCE_MODE_AUDIT;
	ASSERT_EQ(sizeof(r), pwrite(fd, &r, sizeof(r), end));
	close(fd);
	EXPECT_EQ(1, verify("a1b2c3d4e5f60718", DIR "/b-t"));
	EXPECT_NE(NULL, strstr(o.err, "does not replay to the quoted PCR")) {
		TH_LOG("%s", o.err);
	}
	/* a log with its last record dropped: refused too */
	ASSERT_EQ(0, truncate(DIR "/b-t/log.bin", end));
	EXPECT_EQ(1, verify("a1b2c3d4e5f60718", DIR "/b-t"));
}

TEST_F_TIMEOUT(tpm, wrong_nonce_fails, TPM_TIMEOUT)
{
	TPM_OR_SKIP();
	EXPECT_EQ(1, verify("a1b2c3d4e5f60719", DIR "/b-1"));
	EXPECT_NE(NULL, strstr(o.err, "FAILED")) {
		TH_LOG("%s", o.err);
	}
}

/*
 * A quote made before a change, shown after it: the auditor's fresh
 * nonce is not in it, so it fails; the new quote shows the new state.
 */
TEST_F_TIMEOUT(tpm, replayed_quote_fails, TPM_TIMEOUT)
{
	TPM_OR_SKIP();
	ASSERT_EQ(0, avfencectl("mode", "audit", NULL));
	ASSERT_EQ(0, run("/bin/cp", "-r", DIR "/b-1", DIR "/b-r", NULL));
	EXPECT_EQ(1, verify("0f0e0d0c0b0a0908", DIR "/b-r"));
	/* with the old quote and the new log: no match either */
	ASSERT_EQ(0, attest("0f0e0d0c0b0a0908", DIR "/b-2"));
	ASSERT_EQ(0, run("/bin/cp", DIR "/b-2/log.bin", DIR "/b-r/log.bin",
			 NULL));
	EXPECT_EQ(1, verify("a1b2c3d4e5f60718", DIR "/b-r"));
	ASSERT_EQ(0, verify("0f0e0d0c0b0a0908", DIR "/b-2"));
	EXPECT_NE(NULL, strstr(o.out, "\nmode:           audit\n"));
	ASSERT_EQ(0, avfencectl("mode", "enforce", NULL));
}

/* A quote checked with another key's public half: refused. */
TEST_F_TIMEOUT(tpm, other_key_fails, TPM_TIMEOUT)
{
	TPM_OR_SKIP();
	ASSERT_EQ(0, capture(&o, TOOL("tpm2_createek"), "-c", DIR "/ek2.ctx",
			     "-G", "rsa", NULL));
	ASSERT_EQ(0, capture(&o, TOOL("tpm2_createak"), "-C", DIR "/ek2.ctx",
			     "-c", DIR "/ak2.ctx", "-G", "rsa", "-g", "sha256",
			     "-s", "rsassa", "-u", DIR "/ak2.pem", "-f", "pem",
			     NULL));
	EXPECT_EQ(1, ctl(&o, "verify", "--nonce", "a1b2c3d4e5f60718",
			 "--ak-pub", DIR "/ak2.pem", DIR "/b-1", NULL));
}

/* The lock is measured too; verify then says the fence is locked. */
TEST_F_TIMEOUT(tpm, lock_measured, TPM_TIMEOUT)
{
	char before[80], after[80];

	TPM_OR_SKIP();
	if (!last_test())
		SKIP(return, "locking lasts until reboot: tpm_test must be the last test (run.sh --tpm)");
	ASSERT_EQ(0, pcr_value(before, sizeof(before)));
	ASSERT_EQ(0, ctl(&o, "lock", NULL));
	write_file("/run/avfence-locked", "avfence locked by tpm_test: rmmod must fail\n");
	ASSERT_EQ(0, pcr_value(after, sizeof(after)));
	EXPECT_STRNE(before, after);
	ASSERT_EQ(0, attest("5555aaaa5555aaaa", DIR "/b-3"));
	ASSERT_EQ(0, verify("5555aaaa5555aaaa", DIR "/b-3")) {
		TH_LOG("%s%s", o.out, o.err);
	}
	TH_LOG("%s", o.out);
	EXPECT_NE(NULL, strstr(o.out, "\nlocked:         yes\n"));
	EXPECT_NE(NULL, strstr(o.out, "\nlocked since:   "));
	EXPECT_NE(NULL, strstr(o.out, "\nmode:           enforce\n"));
}

TEST_HARNESS_MAIN
