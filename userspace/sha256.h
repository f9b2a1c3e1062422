/* SPDX-License-Identifier: GPL-2.0 */
/*
 * avfencectl: SHA-256 (FIPS 180-4), small and self-contained, for the
 * policy digest (`avfencectl check`).  Not constant-time: it only ever
 * hashes public data.
 */
#ifndef _AVFENCECTL_SHA256_H
#define _AVFENCECTL_SHA256_H

#include <stddef.h>
#include <stdint.h>

#define SHA256_DIGEST_SIZE	32
#define SHA256_BLOCK_SIZE	64

struct sha256 {
	uint32_t h[8];
	uint64_t bytes;			/* hashed so far */
	uint8_t buf[SHA256_BLOCK_SIZE];	/* partial block */
};

void sha256_init(struct sha256 *s);
void sha256_update(struct sha256 *s, const void *data, size_t len);
void sha256_final(struct sha256 *s, uint8_t out[SHA256_DIGEST_SIZE]);
void sha256(const void *data, size_t len, uint8_t out[SHA256_DIGEST_SIZE]);
void sha256_hex(const uint8_t d[SHA256_DIGEST_SIZE],
		char hex[2 * SHA256_DIGEST_SIZE + 1]);

#endif /* _AVFENCECTL_SHA256_H */
