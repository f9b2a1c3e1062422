// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of userspace/measure_log.c: the replay of the kernel's
 * measurement log (the TPM's extend, recomputed here with Nettle), the
 * checks that refuse a log that is not whole, the state it leads to, and
 * the parsing of a TPM2 quote (TPMS_ATTEST).  The VM tests measure_test
 * and tpm_test run the same against the kernel and a software TPM.
 */
#include <endian.h>
#include <nettle/sha2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "measure_log.h"
#include "unit.h"

static struct avfence_measurement rec[4];

static void make_log(struct mlog *log)
{
	int i;

	memset(rec, 0, sizeof(rec));
	for (i = 0; i < 4; i++) {
		rec[i].version = htole16(AVFENCE_MEASURE_VERSION);
		rec[i].seq = htole64(i);
		rec[i].pcr = htole32(13);
		rec[i].pid = htole32(100 + i);
		rec[i].realtime_ns = htole64(1764763200000000000ull + i);
	}
	rec[0].event = htole16(AVFENCE_MEASURE_MODULE_LOAD);
	rec[1].event = htole16(AVFENCE_MEASURE_POLICY_LOAD);
	rec[1].generation = htole64(1);
	rec[1].mode = htole32(AVFENCE_MODE_AUDIT);
	memset(rec[1].digest, 0xab, sizeof(rec[1].digest));
	rec[2] = rec[1];
	rec[2].seq = htole64(2);
	rec[2].event = htole16(AVFENCE_MEASURE_MODE);
	rec[2].mode = htole32(AVFENCE_MODE_ENFORCE);
	rec[3] = rec[2];
	rec[3].seq = htole64(3);
	rec[3].event = htole16(AVFENCE_MEASURE_LOCK);
	log->rec = rec;
	log->nr = 4;
}

/* The TPM's extend, spelled out once more. */
static void extend(uint8_t pcr[32], const void *data, size_t len)
{
	struct sha256_ctx c;
	uint8_t d[32];

	sha256_init(&c);
	sha256_update(&c, len, data);
	sha256_digest(&c, 32, d);
	sha256_init(&c);
	sha256_update(&c, 32, pcr);
	sha256_update(&c, 32, d);
	sha256_digest(&c, 32, pcr);
}

TEST(replay_is_the_tpm_extend)
{
	uint8_t want[32] = { 0 }, got[32];
	struct mlog log;
	char why[256];
	int i;

	make_log(&log);
	ASSERT_EQ(80, sizeof(rec[0]));
	for (i = 0; i < 4; i++)
		extend(want, &rec[i], sizeof(rec[i]));
	ASSERT_EQ(0, mlog_replay(&log, 13, got, why, sizeof(why))) {
		TH_LOG("%s", why);
	}
	EXPECT_EQ(0, memcmp(want, got, 32));
	/* any byte changed: another value */
	rec[2].mode = htole32(AVFENCE_MODE_AUDIT);
	ASSERT_EQ(0, mlog_replay(&log, 13, got, why, sizeof(why)));
	EXPECT_NE(0, memcmp(want, got, 32));
}

TEST(incomplete_logs_refused)
{
	uint8_t got[32];
	struct mlog log;
	char why[256];

	make_log(&log);
	EXPECT_NE(0, mlog_replay(&log, 14, got, why, sizeof(why)));
	EXPECT_NE(NULL, strstr(why, "PCR 13, not 14"));
	rec[2].seq = htole64(5);
	EXPECT_NE(0, mlog_replay(&log, 13, got, why, sizeof(why)));
	EXPECT_NE(NULL, strstr(why, "missing"));
	make_log(&log);
	log.rec = rec + 1;	/* the module's load cut off */
	log.nr = 3;
	EXPECT_NE(0, mlog_replay(&log, 13, got, why, sizeof(why)));
	make_log(&log);
	rec[1].pcr = htole32(AVFENCE_MEASURE_UNMEASURED);
	EXPECT_NE(0, mlog_replay(&log, 13, got, why, sizeof(why)));
	EXPECT_NE(NULL, strstr(why, "not measured"));
	make_log(&log);
	rec[3].event = htole16(AVFENCE_MEASURE_MODULE_LOAD);
	EXPECT_NE(0, mlog_replay(&log, 13, got, why, sizeof(why)));
	make_log(&log);
	rec[0].version = htole16(2);
	EXPECT_NE(0, mlog_replay(&log, 13, got, why, sizeof(why)));
	log.nr = 0;
	EXPECT_NE(0, mlog_replay(&log, 13, got, why, sizeof(why)));
}

TEST(state_after_the_log)
{
	struct mstate st;
	struct mlog log;

	make_log(&log);
	log.nr = 3;
	mlog_state(&log, &st);
	EXPECT_TRUE(st.policy);
	EXPECT_FALSE(st.locked);
	EXPECT_EQ(1, st.generation);
	EXPECT_EQ(AVFENCE_MODE_ENFORCE, st.mode);
	EXPECT_EQ(&rec[1], st.policy_load);
	EXPECT_EQ(&rec[2], st.mode_set);
	EXPECT_EQ(0xab, st.digest[0]);
	log.nr = 4;
	mlog_state(&log, &st);
	EXPECT_TRUE(st.locked);
	EXPECT_EQ(&rec[3], st.lock);
	log.nr = 1;
	mlog_state(&log, &st);
	EXPECT_FALSE(st.policy);
}

TEST(read_whole_records_only)
{
	char path[] = "/tmp/avf-mlog-XXXXXX";
	struct mlog log, got;
	int fd = mkstemp(path);

	ASSERT_LE(0, fd);
	make_log(&log);
	ASSERT_EQ(sizeof(rec), write(fd, rec, sizeof(rec)));
	EXPECT_EQ(0, mlog_read(path, &got));
	EXPECT_EQ(4, got.nr);
	EXPECT_EQ(0, memcmp(rec, got.rec, sizeof(rec)));
	mlog_free(&got);
	ASSERT_EQ(1, write(fd, "x", 1));
	EXPECT_EQ(-EPROTO, mlog_read(path, &got));
	close(fd);
	unlink(path);
}

/* A quote as a TPM writes it: big-endian TPMS_ATTEST. */
static size_t make_quote(uint8_t *q, uint8_t pcr_select0, uint8_t pcr_select1)
{
	static const uint8_t head[] = {
		0xff, 0x54, 0x43, 0x47, 0x80, 0x18,	/* magic, quote */
		0x00, 0x02, 0xaa, 0xbb,			/* signer name */
		0x00, 0x04, 0xde, 0xad, 0xbe, 0xef,	/* extraData */
		0, 0, 0, 0, 0, 0, 0x12, 0x34,		/* clock */
		0, 0, 0, 7, 0, 0, 0, 2, 1,		/* reset, restart, safe */
		0, 0, 0, 0, 0, 0, 0, 0,			/* firmware */
		0, 0, 0, 1, 0x00, 0x0b, 3,		/* one bank, sha256 */
	};
	size_t n = sizeof(head);

	memcpy(q, head, n);
	q[n++] = pcr_select0;
	q[n++] = pcr_select1;
	q[n++] = 0;
	q[n++] = 0;
	q[n++] = 32;
	memset(q + n, 0x5a, 32);
	return n + 32;
}

TEST(quote_parsed)
{
	uint8_t msg[256];
	struct quote q;
	char why[256];
	size_t n;

	n = make_quote(msg, 0, 1 << 5);	/* PCR 13 */
	ASSERT_EQ(0, quote_parse(msg, n, &q, why, sizeof(why))) {
		TH_LOG("%s", why);
	}
	EXPECT_EQ(13, q.pcr);
	EXPECT_EQ(TPM_ALG_SHA256_ID, q.pcr_hash);
	EXPECT_EQ(4, q.nonce_len);
	EXPECT_EQ(0xde, q.nonce[0]);
	EXPECT_EQ(0x1234, q.clock);
	EXPECT_EQ(7, q.reset_count);
	EXPECT_EQ(32, q.pcr_digest_len);
	EXPECT_EQ(0x5a, q.pcr_digest[31]);
	/* two PCRs, none, cut short, not a quote: refused */
	n = make_quote(msg, 1, 1 << 5);
	EXPECT_NE(0, quote_parse(msg, n, &q, why, sizeof(why)));
	n = make_quote(msg, 0, 0);
	EXPECT_NE(0, quote_parse(msg, n, &q, why, sizeof(why)));
	n = make_quote(msg, 0, 1 << 5);
	EXPECT_NE(0, quote_parse(msg, n - 1, &q, why, sizeof(why)));
	msg[5] = 0x17;
	EXPECT_NE(0, quote_parse(msg, n, &q, why, sizeof(why)));
}

TEST(hex_nonce)
{
	uint8_t b[64];
	size_t n;

	EXPECT_EQ(0, hex_decode("00ffA0", b, sizeof(b), &n));
	EXPECT_EQ(3, n);
	EXPECT_EQ(0xa0, b[2]);
	EXPECT_NE(0, hex_decode("abc", b, sizeof(b), &n));
	EXPECT_NE(0, hex_decode("zz", b, sizeof(b), &n));
	EXPECT_NE(0, hex_decode("", b, sizeof(b), &n));
	EXPECT_NE(0, hex_decode("+1", b, sizeof(b), &n));
}

TEST_HARNESS_MAIN
