/* SPDX-License-Identifier: GPL-2.0 */
/*
 * avfencectl: the canonical form of a parsed policy and its SHA-256, the
 * digest the kernel reports for the same policy (kmod/canon.c).  SHA-256
 * is Nettle's (nettle-dev), as the module uses the kernel's lib/crypto.
 */
#ifndef _AVFENCECTL_DIGEST_H
#define _AVFENCECTL_DIGEST_H

#include <nettle/sha2.h>
#include <stdint.h>
#include <stdio.h>

#include "canon.h"
#include "policy_parse.h"

/* Lower-case hex of a digest, as sha256sum and the kernel print it. */
#define DIGEST_HEX_SIZE	(2 * SHA256_DIGEST_SIZE + 1)

int policy_canon(const struct policy *pol, avf_emit_fn emit, void *ctx);
void canon_path_print(FILE *f, const char *path);
int policy_canon_print(const struct policy *pol, FILE *f);
int policy_digest(const struct policy *pol, uint8_t out[SHA256_DIGEST_SIZE]);
void digest_to_hex(const uint8_t d[SHA256_DIGEST_SIZE],
		   char hex[DIGEST_HEX_SIZE]);
int policy_digest_hex(const char *file, const struct policy *pol,
		      char hex[DIGEST_HEX_SIZE]);

#endif /* _AVFENCECTL_DIGEST_H */
