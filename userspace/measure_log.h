/* SPDX-License-Identifier: GPL-2.0 */
/*
 * avfencectl: the kernel's measurement log (kmod/measure.c) read, checked
 * and replayed, and the TPM quote over its PCR taken apart.  No TPM is
 * needed here: attest and verify (cmd_attest.c) call tpm2-tools for what
 * needs one or a signature check.
 */
#ifndef _AVFENCECTL_MEASURE_LOG_H
#define _AVFENCECTL_MEASURE_LOG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "uapi/avfence.h"

#define MEASURE_BINARY_LOG "/sys/kernel/security/avfence/binary_measurements"

struct mlog {
	struct avfence_measurement *rec;
	size_t nr;
};

/* The fence's state after the last record, and which records made it. */
struct mstate {
	bool policy;		/* a policy is loaded */
	bool locked;
	uint8_t digest[AVFENCE_DIGEST_LEN];
	uint64_t generation;
	uint32_t mode;
	const struct avfence_measurement *module_load, *policy_load,
		*mode_set, *lock;
};

/* What a TPM2 quote (TPMS_ATTEST of type TPM_ST_ATTEST_QUOTE) says. */
struct quote {
	uint8_t nonce[64];
	size_t nonce_len;
	uint16_t pcr_hash;	/* TPM_ALG_* of the one selection */
	uint32_t pcr;		/* the one PCR selected */
	uint8_t pcr_digest[64];	/* hash of the selected PCR values */
	size_t pcr_digest_len;
	uint64_t clock;
	uint32_t reset_count, restart_count;
};

#define TPM_ALG_SHA256_ID 0x000b

int mlog_read(const char *path, struct mlog *log);
void mlog_free(struct mlog *log);
int mlog_replay(const struct mlog *log, uint32_t pcr, uint8_t out[32],
		char *why, size_t why_len);
void mlog_state(const struct mlog *log, struct mstate *st);
int quote_parse(const uint8_t *msg, size_t len, struct quote *q,
		char *why, size_t why_len);
int hex_decode(const char *hex, uint8_t *out, size_t max, size_t *len);

#endif /* _AVFENCECTL_MEASURE_LOG_H */
