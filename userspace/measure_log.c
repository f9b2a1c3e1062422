// SPDX-License-Identifier: GPL-2.0
/*
 * avfencectl: read, check and replay the measurement log; parse a quote.
 *
 * A log is accepted for replay only if it is whole: records of version
 * AVFENCE_MEASURE_VERSION, seq 0, 1, 2, ... without a gap, the first a
 * module load, every one extended into the same PCR.  The replay is the
 * TPM's: PCR := SHA-256(PCR || SHA-256(record)) from 32 zero bytes, since
 * the PCRs this can use (8-15) are zero after a reboot.
 */
#include <endian.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "digest.h"
#include "measure_log.h"

static int why_set(char *why, size_t len, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int why_set(char *why, size_t len, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, len, fmt, ap);
	va_end(ap);
	return -EINVAL;
}

/**
 * mlog_read - read a binary measurement log
 * @path: the kernel's (MEASURE_BINARY_LOG) or a copy
 * @log: filled in; free with mlog_free()
 *
 * Return: 0, -EPROTO if the size is not a whole number of records, or
 * -errno.
 */
int mlog_read(const char *path, struct mlog *log)
{
	size_t len = 0, size = 0;
	char *buf = NULL;
	ssize_t n;
	int fd;

	log->rec = NULL;
	log->nr = 0;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	for (;;) {
		if (len == size) {
			char *p = realloc(buf, size ? 2 * size : 65536);

			if (!p) {
				free(buf);
				close(fd);
				return -ENOMEM;
			}
			buf = p;
			size = size ? 2 * size : 65536;
		}
		n = read(fd, buf + len, size - len);
		if (n < 0) {
			n = -errno;
			free(buf);
			close(fd);
			return n;
		}
		if (!n)
			break;
		len += n;
	}
	close(fd);
	if (len % sizeof(*log->rec)) {
		free(buf);
		return -EPROTO;
	}
	log->rec = (struct avfence_measurement *)buf;
	log->nr = len / sizeof(*log->rec);
	return 0;
}

void mlog_free(struct mlog *log)
{
	free(log->rec);
	log->rec = NULL;
	log->nr = 0;
}

/**
 * mlog_replay - check a log and compute the PCR value it leads to
 * @log: the records
 * @pcr: the PCR every record must name
 * @out: the PCR value after the last record
 * @why: set to the reason when the log is refused
 * @why_len: its size
 *
 * Return: 0, or -EINVAL with @why set.
 */
int mlog_replay(const struct mlog *log, uint32_t pcr, uint8_t out[32],
		char *why, size_t why_len)
{
	uint8_t ext[2 * SHA256_DIGEST_SIZE];
	size_t i;

	memset(out, 0, SHA256_DIGEST_SIZE);
	if (!log->nr)
		return why_set(why, why_len, "the log is empty");
	for (i = 0; i < log->nr; i++) {
		const struct avfence_measurement *r = &log->rec[i];

		if (le16toh(r->version) != AVFENCE_MEASURE_VERSION)
			return why_set(why, why_len,
				       "record %zu: version %u, not %u", i,
				       le16toh(r->version),
				       AVFENCE_MEASURE_VERSION);
		if (le64toh(r->seq) != i)
			return why_set(why, why_len,
				       "record %zu: seq %llu: records missing or out of order",
				       i, (unsigned long long)le64toh(r->seq));
		if (!i && le16toh(r->event) != AVFENCE_MEASURE_MODULE_LOAD)
			return why_set(why, why_len,
				       "the log does not start with the module's load");
		if (i && le16toh(r->event) == AVFENCE_MEASURE_MODULE_LOAD)
			return why_set(why, why_len,
				       "record %zu: a second module load", i);
		if (le32toh(r->pcr) == AVFENCE_MEASURE_UNMEASURED)
			return why_set(why, why_len,
				       "record %zu was not measured (no TPM when it was made)",
				       i);
		if (le32toh(r->pcr) != pcr)
			return why_set(why, why_len,
				       "record %zu was extended into PCR %u, not %u",
				       i, le32toh(r->pcr), pcr);
		/* PCR := SHA-256(PCR || SHA-256(record)) */
		memcpy(ext, out, SHA256_DIGEST_SIZE);
		digest_sha256_once(r, sizeof(*r), ext + SHA256_DIGEST_SIZE);
		digest_sha256_once(ext, sizeof(ext), out);
	}
	return 0;
}

/* The state after the last record: what is in force, and since which. */
void mlog_state(const struct mlog *log, struct mstate *st)
{
	size_t i;

	memset(st, 0, sizeof(*st));
	for (i = 0; i < log->nr; i++) {
		const struct avfence_measurement *r = &log->rec[i];

		switch (le16toh(r->event)) {
		case AVFENCE_MEASURE_MODULE_LOAD:
			memset(st, 0, sizeof(*st));
			st->module_load = r;
			break;
		case AVFENCE_MEASURE_POLICY_LOAD:
			st->policy_load = r;
			st->mode_set = r;
			break;
		case AVFENCE_MEASURE_MODE:
			st->mode_set = r;
			break;
		case AVFENCE_MEASURE_LOCK:
			st->locked = true;
			st->lock = r;
			break;
		}
		st->policy = le64toh(r->generation) != 0;
		st->generation = le64toh(r->generation);
		st->mode = le32toh(r->mode);
		memcpy(st->digest, r->digest, sizeof(st->digest));
	}
}

/* A cursor over big-endian TPM structures. */
struct cur {
	const uint8_t *p;
	size_t left;
	bool bad;
};

static const uint8_t *take(struct cur *c, size_t n)
{
	const uint8_t *p = c->p;

	if (c->bad || c->left < n) {
		c->bad = true;
		return NULL;
	}
	c->p += n;
	c->left -= n;
	return p;
}

static uint64_t be(struct cur *c, size_t n)
{
	const uint8_t *p = take(c, n);
	uint64_t v = 0;
	size_t i;

	for (i = 0; p && i < n; i++)
		v = v << 8 | p[i];
	return v;
}

/* A TPM2B: 16-bit size, then that many bytes, into @out (@max). */
static size_t tpm2b(struct cur *c, uint8_t *out, size_t max)
{
	size_t n = be(c, 2);
	const uint8_t *p = take(c, n);

	if (!p || n > max) {
		c->bad = true;
		return 0;
	}
	if (out)
		memcpy(out, p, n);
	return n;
}

/**
 * quote_parse - take apart a TPMS_ATTEST quote (tpm2_quote -m)
 * @msg: its bytes; the signature over them is checked elsewhere
 * @len: their number
 * @q: filled in
 * @why: set to the reason if refused
 * @why_len: its size
 *
 * Only a quote of exactly one PCR of one bank is accepted.
 * Return: 0, or -EINVAL with @why set.
 */
int quote_parse(const uint8_t *msg, size_t len, struct quote *q,
		char *why, size_t why_len)
{
	struct cur c = { msg, len, false };
	uint32_t count, i, bit;
	const uint8_t *sel;
	size_t sel_len;

	memset(q, 0, sizeof(*q));
	if (be(&c, 4) != 0xff544347)	/* TPM_GENERATED_VALUE */
		return why_set(why, why_len, "not a TPM-generated structure");
	if (be(&c, 2) != 0x8018)	/* TPM_ST_ATTEST_QUOTE */
		return why_set(why, why_len, "not a quote");
	tpm2b(&c, NULL, 1024);		/* qualifiedSigner */
	q->nonce_len = tpm2b(&c, q->nonce, sizeof(q->nonce));
	q->clock = be(&c, 8);
	q->reset_count = be(&c, 4);
	q->restart_count = be(&c, 4);
	be(&c, 1);			/* safe */
	be(&c, 8);			/* firmwareVersion */
	count = be(&c, 4);
	if (c.bad || count != 1)
		return why_set(why, why_len,
			       "the quote must select one PCR bank, not %u",
			       count);
	q->pcr_hash = be(&c, 2);
	sel_len = be(&c, 1);
	sel = take(&c, sel_len);
	if (!sel)
		return why_set(why, why_len, "truncated quote");
	q->pcr = UINT32_MAX;
	for (i = 0; i < sel_len; i++)
		for (bit = 0; bit < 8; bit++) {
			if (!(sel[i] & (1u << bit)))
				continue;
			if (q->pcr != UINT32_MAX)
				return why_set(why, why_len,
					       "the quote must select one PCR");
			q->pcr = i * 8 + bit;
		}
	if (q->pcr == UINT32_MAX)
		return why_set(why, why_len, "the quote selects no PCR");
	q->pcr_digest_len = tpm2b(&c, q->pcr_digest, sizeof(q->pcr_digest));
	if (c.bad)
		return why_set(why, why_len, "truncated quote");
	return 0;
}

/* Hex to bytes: 0, or -EINVAL if not an even number of hex digits. */
int hex_decode(const char *hex, uint8_t *out, size_t max, size_t *len)
{
	size_t n = strlen(hex), i;

	if (n % 2 || n / 2 > max || !n)
		return -EINVAL;
	for (i = 0; i < n / 2; i++) {
		unsigned int v;

		if (sscanf(hex + 2 * i, "%2x", &v) != 1 ||
		    !strchr("0123456789abcdefABCDEF", hex[2 * i]) ||
		    !strchr("0123456789abcdefABCDEF", hex[2 * i + 1]))
			return -EINVAL;
		out[i] = v;
	}
	*len = n / 2;
	return 0;
}
