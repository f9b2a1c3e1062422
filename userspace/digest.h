/* SPDX-License-Identifier: GPL-2.0 */
/*
 * avfencectl: the canonical form of a parsed policy and its SHA-256, the
 * digest the kernel reports for the same policy (kmod/canon.c).  SHA-256
 * is libgcrypt's (libgcrypt20-dev), as the module uses the kernel's crypto
 * API: both pick the CPU's SIMD or SHA instructions.  Nettle's (plain
 * x86-64 code without SHA-NI) took 15.9 M instructions for the 339 KB
 * canonical form of 10,000 subjects, libgcrypt's AVX2 code 10.1 M.
 */
#ifndef _AVFENCECTL_DIGEST_H
#define _AVFENCECTL_DIGEST_H

#include <gcrypt.h>
#include <stdint.h>
#include <stdio.h>

#include "canon.h"
#include "policy_parse.h"

#ifndef SHA256_DIGEST_SIZE
#define SHA256_DIGEST_SIZE 32
#endif

/* Lower-case hex of a digest, as sha256sum and the kernel print it. */
#define DIGEST_HEX_SIZE	(2 * SHA256_DIGEST_SIZE + 1)

void digest_sha256_once(const void *data, size_t len,
			uint8_t out[SHA256_DIGEST_SIZE]);
int policy_canon(const struct policy *pol, avf_emit_fn emit, void *ctx);
void canon_path_print(FILE *f, const char *path);
int policy_canon_print(const struct policy *pol, FILE *f);
int policy_digest(const struct policy *pol, uint8_t out[SHA256_DIGEST_SIZE]);
void digest_to_hex(const uint8_t d[SHA256_DIGEST_SIZE],
		   char hex[DIGEST_HEX_SIZE]);
int policy_digest_hex(const char *file, const struct policy *pol,
		      char hex[DIGEST_HEX_SIZE]);

#endif /* _AVFENCECTL_DIGEST_H */
