// SPDX-License-Identifier: GPL-2.0
/*
 * The measurement log (kmod/measure.c) without a TPM, as in the default
 * VM: every change of the fence's state is a record in
 * /sys/kernel/security/avfence/binary_measurements (and a line of
 * ascii_measurements) with the state after it; records are only ever
 * appended; the status says nothing is measured.  The lock record is
 * checked by zz_lock_test (locking lasts until reboot), the TPM side by
 * tpm_test.c in the VM with a software TPM.
 *
 * TMP (tmpfs): nothing but the policy file's neighbours
 */
#include "ctl.h"

#define BINARY_LOG	SECFS "/avfence/binary_measurements"
#define ASCII_LOG	SECFS "/avfence/ascii_measurements"
#define LOG_MAX		4096	/* records read: plenty for one boot of tests */

static struct output o;

/* Read the binary log into @rec: the number of records, or -errno. */
static int read_log(struct avfence_measurement *rec, size_t max)
{
	size_t len = 0, size = max * sizeof(*rec);
	int fd = open(BINARY_LOG, O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -errno;
	while (len < size && (n = read(fd, (char *)rec + len, size - len)) > 0)
		len += n;
	close(fd);
	if (len % sizeof(*rec))
		return -EPROTO;
	return len / sizeof(*rec);
}

/* The kernel's digest of the policy in force, as 32 bytes. */
static int status_digest(uint8_t *d)
{
	char v[128];
	int i;

	if (ctl(&o, "status", "--json", NULL) ||
	    !json_get(o.out, "digest", v, sizeof(v)) || strlen(v) != 64)
		return -EINVAL;
	for (i = 0; i < 32; i++)
		if (sscanf(v + 2 * i, "%2hhx", &d[i]) != 1)
			return -EINVAL;
	return 0;
}

static struct avfence_measurement before[LOG_MAX], after[LOG_MAX];

FIXTURE(measure) {
};

FIXTURE_SETUP(measure)
{
	ASSERT_EQ(0, mount_tmpfs(TMP));
	ASSERT_EQ(0, mount_securityfs());
}

FIXTURE_TEARDOWN(measure)
{
	load_no_subject();
	umount_tmpfs(TMP);
}

/* The first record is the module's load, with no policy. */
TEST_F(measure, module_load_first)
{
	static const uint8_t zero[AVFENCE_DIGEST_LEN];
	int n = read_log(before, LOG_MAX);

	ASSERT_LT(0, n);
	EXPECT_EQ(AVFENCE_MEASURE_VERSION, before[0].version);
	EXPECT_EQ(AVFENCE_MEASURE_MODULE_LOAD, before[0].event);
	EXPECT_EQ(0, before[0].seq);
	EXPECT_EQ(0, before[0].generation);
	EXPECT_EQ(AVFENCE_MODE_UNSPEC, before[0].mode);
	EXPECT_NE(0, before[0].pid);
	EXPECT_EQ(0, memcmp(zero, before[0].digest, sizeof(zero)));
	ASSERT_EQ(0, read_text(SECFS_STATUS, o.out, sizeof(o.out)));
	if (access("/dev/tpmrm0", F_OK)) {
		/* no TPM (the default VM): not measured, the status says so */
		EXPECT_EQ(AVFENCE_MEASURE_UNMEASURED, before[0].pcr);
		EXPECT_NE(NULL, strstr(o.out, "\nmeasured: no (no TPM): not measured, ")) {
			TH_LOG("%s", o.out);
		}
	} else {
		/* run.sh --tpm: the default PCR */
		EXPECT_EQ(13, before[0].pcr);
		EXPECT_NE(NULL, strstr(o.out, "\nmeasured: pcr 13, ")) {
			TH_LOG("%s", o.out);
		}
	}
}

/* A load and a mode change each append one record; nothing else moves. */
TEST_F(measure, load_and_mode_appended)
{
	uint8_t digest[AVFENCE_DIGEST_LEN];
	struct avf_status st;
	int n, m, i;

	n = read_log(before, LOG_MAX);
	ASSERT_LT(0, n);
	ASSERT_EQ(0, load_scanner("audit", "OFFICIAL"));
	ASSERT_EQ(0, avfencectl("mode", "enforce", NULL));
	m = read_log(after, LOG_MAX);
	ASSERT_EQ(n + 2, m);
	/* append-only: what was there is unchanged */
	EXPECT_EQ(0, memcmp(before, after, n * sizeof(*before)));
	for (i = 0; i < m; i++)
		EXPECT_EQ(i, after[i].seq);

	ASSERT_EQ(0, status_digest(digest));
	ASSERT_EQ(0, avf_get_status(&st));
	EXPECT_EQ(AVFENCE_MEASURE_POLICY_LOAD, after[n].event);
	EXPECT_EQ(st.generation, after[n].generation);
	EXPECT_EQ(AVFENCE_MODE_AUDIT, after[n].mode);
	EXPECT_EQ(0, memcmp(digest, after[n].digest, sizeof(digest)));
	EXPECT_NE(0, after[n].pid);
	EXPECT_EQ(AVFENCE_MEASURE_MODE, after[n + 1].event);
	EXPECT_EQ(st.generation, after[n + 1].generation);
	EXPECT_EQ(AVFENCE_MODE_ENFORCE, after[n + 1].mode);
	EXPECT_EQ(0, memcmp(digest, after[n + 1].digest, sizeof(digest)));
	EXPECT_LE(after[n].realtime_ns, after[n + 1].realtime_ns);
	EXPECT_LE(after[n].boottime_ns, after[n + 1].boottime_ns);
	EXPECT_LT(0, after[n].boottime_ns);
}

/* A refused load or mode change adds no record. */
TEST_F(measure, refused_change_not_recorded)
{
	int n, m;

	ASSERT_EQ(0, load_no_subject());
	n = read_log(before, LOG_MAX);
	EXPECT_NE(0, load_policy(LEVELS "default NOPE\nmode enforce\n"));
	EXPECT_NE(0, load_policy(LEVELS "default UNCLASSIFIED\nmode enforce\n"
				 "subject " TMP "/missing OFFICIAL\n"));
	m = read_log(after, LOG_MAX);
	EXPECT_EQ(n, m);
}

/* The text file has one line per record with the record's fields. */
TEST_F(measure, ascii_matches_binary)
{
	static char text[OUT_MAX];
	char want[256], *line, *save;
	int n, i = 0;

	ASSERT_EQ(0, load_scanner("enforce", "SECRET"));
	n = read_log(before, LOG_MAX);
	ASSERT_LT(1, n);
	ASSERT_EQ(0, read_text(ASCII_LOG, text, sizeof(text)));
	for (line = strtok_r(text, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save), i++) {
		if (i >= n)
			break;
		snprintf(want, sizeof(want), " %d %s digest=", i,
			 before[i].event == AVFENCE_MEASURE_MODULE_LOAD ?
			 "module-load" :
			 before[i].event == AVFENCE_MEASURE_POLICY_LOAD ?
			 "policy-load" :
			 before[i].event == AVFENCE_MEASURE_MODE ? "mode" :
			 "lock");
		EXPECT_NE(NULL, strstr(line, want)) {
			TH_LOG("line %d: %s (want '%s')", i, line, want);
		}
		EXPECT_EQ(access("/dev/tpmrm0", F_OK) ? '-' : '1', line[0]);
		snprintf(want, sizeof(want), " generation=%llu mode=",
			 (unsigned long long)before[i].generation);
		EXPECT_NE(NULL, strstr(line, want));
	}
	EXPECT_EQ(n, i);
	EXPECT_EQ(AVFENCE_MEASURE_POLICY_LOAD, before[n - 1].event);
}

/* Root cannot change the log by writing or truncating its files. */
TEST_F(measure, log_not_writable)
{
	static const struct avfence_measurement fake = { .event = 1 };
	int n = read_log(before, LOG_MAX), fd;

	fd = open(BINARY_LOG, O_WRONLY | O_CLOEXEC);
	if (fd >= 0) {
		EXPECT_GT(0, write(fd, &fake, sizeof(fake)));
		close(fd);
	}
	truncate(BINARY_LOG, 0);	/* may "succeed": nothing to cut */
	fd = open(ASCII_LOG, O_WRONLY | O_APPEND | O_CLOEXEC);
	if (fd >= 0) {
		EXPECT_GT(0, write(fd, "x\n", 2));
		close(fd);
	}
	EXPECT_EQ(n, read_log(after, LOG_MAX));
	EXPECT_EQ(0, memcmp(before, after, n * sizeof(*before)));
}

TEST_HARNESS_MAIN
