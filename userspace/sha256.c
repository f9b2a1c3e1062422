// SPDX-License-Identifier: GPL-2.0
/*
 * avfencectl: SHA-256 as specified in FIPS 180-4, section 6.2.
 *
 * The 64 rounds are unrolled by macros, with the variables renamed from
 * round to round instead of shifted, and the message schedule kept as a
 * rolling window of 16 words (W[t] overwrites W[t - 16]).  Whole blocks
 * are hashed straight from the caller's buffer; only a partial block is
 * copied.  The digest of a policy feeds many short pieces (see
 * policy_canon()), so an update that stays inside the current block is
 * kept cheap.
 */
#include <string.h>

#include "sha256.h"

static const uint32_t K[64] = {
	0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1,
	0x923f82a4, 0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3,
	0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786,
	0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
	0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147,
	0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
	0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b,
	0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
	0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a,
	0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208,
	0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
};

static inline uint32_t ror(uint32_t x, unsigned int n)
{
	return (x >> n) | (x << (32 - n));
}

static inline uint32_t load_be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | p[3];
}

static inline void store_be32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

/*
 * The functions of FIPS 180-4, 4.1.2, rotations nested so that each needs
 * one rotation fewer: ror(x, 2) ^ ror(x, 13) ^ ror(x, 22) is
 * ror(ror(ror(x, 9) ^ x, 11) ^ x, 2), and so on.
 */
#define BSIG0(x)	ror(ror(ror(x, 9) ^ (x), 11) ^ (x), 2)
#define BSIG1(x)	ror(ror(ror(x, 14) ^ (x), 5) ^ (x), 6)
#define SSIG0(x)	(ror(ror(x, 11) ^ (x), 7) ^ ((x) >> 3))
#define SSIG1(x)	(ror(ror(x, 2) ^ (x), 17) ^ ((x) >> 10))
#define CH(x, y, z)	((z) ^ ((x) & ((y) ^ (z))))

/* W[t] for t >= 16, in the slot of W[t - 16]. */
#define W(t)								\
	(w[(t) & 15] += SSIG1(w[((t) - 2) & 15]) + w[((t) - 7) & 15] +	\
			SSIG0(w[((t) - 15) & 15]))

/*
 * One round, t, on the working variables named in their order for that
 * round: instead of moving h = g, g = f, ... the caller rotates the names.
 *
 * Maj(a, b, c) is b ^ ((a ^ b) & (b ^ c)), and b ^ c is the previous
 * round's a ^ b: @ab receives this round's, @bc holds the previous one.
 */
#define ROUND(a, b, c, d, e, f, g, h, t, wt, ab, bc)			\
	do {								\
		uint32_t t1 = (h) + BSIG1(e) + CH(e, f, g) + K[t] + (wt); \
		(ab) = (a) ^ (b);					\
		(d) += t1;						\
		(h) = t1 + BSIG0(a) + ((b) ^ ((ab) & (bc)));		\
	} while (0)

#define ROUND8(t, wt)							\
	do {								\
		ROUND(a, b, c, d, e, f, g, h, (t) + 0, wt((t) + 0), x, y); \
		ROUND(h, a, b, c, d, e, f, g, (t) + 1, wt((t) + 1), y, x); \
		ROUND(g, h, a, b, c, d, e, f, (t) + 2, wt((t) + 2), x, y); \
		ROUND(f, g, h, a, b, c, d, e, (t) + 3, wt((t) + 3), y, x); \
		ROUND(e, f, g, h, a, b, c, d, (t) + 4, wt((t) + 4), x, y); \
		ROUND(d, e, f, g, h, a, b, c, (t) + 5, wt((t) + 5), y, x); \
		ROUND(c, d, e, f, g, h, a, b, (t) + 6, wt((t) + 6), x, y); \
		ROUND(b, c, d, e, f, g, h, a, (t) + 7, wt((t) + 7), y, x); \
	} while (0)

/* W[t] for t < 16: the message block itself, big endian. */
#define W0(t)	(w[t] = load_be32(p + 4 * (t)))

/* Hash @n whole blocks at @p into @s. */
static void blocks(uint32_t s[8], const uint8_t *p, size_t n)
{
	uint32_t w[16], a, b, c, d, e, f, g, h, x, y;

	for (; n; n--, p += SHA256_BLOCK_SIZE) {
		a = s[0]; b = s[1]; c = s[2]; d = s[3];
		e = s[4]; f = s[5]; g = s[6]; h = s[7];
		y = b ^ c;
		ROUND8(0, W0);
		ROUND8(8, W0);
		ROUND8(16, W);
		ROUND8(24, W);
		ROUND8(32, W);
		ROUND8(40, W);
		ROUND8(48, W);
		ROUND8(56, W);
		s[0] += a; s[1] += b; s[2] += c; s[3] += d;
		s[4] += e; s[5] += f; s[6] += g; s[7] += h;
	}
}

void sha256_init(struct sha256 *s)
{
	static const uint32_t iv[8] = {
		0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
		0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
	};

	memcpy(s->h, iv, sizeof(iv));
	s->bytes = 0;
}

/*
 * The rest of sha256_update(): at least the current block is completed.
 * Out of line, so that the short path needs no stack frame.
 */
static __attribute__((noinline))
void update_blocks(struct sha256 *s, const uint8_t *p, size_t len, size_t have)
{
	if (have) {
		size_t n = SHA256_BLOCK_SIZE - have;

		memcpy(s->buf + have, p, n);
		blocks(s->h, s->buf, 1);
		p += n;
		len -= n;
	}
	if (len >= SHA256_BLOCK_SIZE) {
		blocks(s->h, p, len / SHA256_BLOCK_SIZE);
		p += len & ~(size_t)(SHA256_BLOCK_SIZE - 1);
		len %= SHA256_BLOCK_SIZE;
	}
	if (len)
		memcpy(s->buf, p, len);
}

void sha256_update(struct sha256 *s, const void *data, size_t len)
{
	size_t have = s->bytes % SHA256_BLOCK_SIZE;

	s->bytes += len;
	/* The common case for short pieces: still inside the block. */
	if (len < SHA256_BLOCK_SIZE - have) {
		memcpy(s->buf + have, data, len);
		return;
	}
	update_blocks(s, data, len, have);
}

void sha256_final(struct sha256 *s, uint8_t out[SHA256_DIGEST_SIZE])
{
	uint64_t bits = s->bytes * 8;
	size_t have = s->bytes % SHA256_BLOCK_SIZE;
	int i;

	/* 0x80, zeros up to 56 mod 64, then the length in bits, big endian. */
	s->buf[have++] = 0x80;
	if (have > 56) {
		memset(s->buf + have, 0, SHA256_BLOCK_SIZE - have);
		blocks(s->h, s->buf, 1);
		have = 0;
	}
	memset(s->buf + have, 0, 56 - have);
	store_be32(s->buf + 56, (uint32_t)(bits >> 32));
	store_be32(s->buf + 60, (uint32_t)bits);
	blocks(s->h, s->buf, 1);
	for (i = 0; i < 8; i++)
		store_be32(out + 4 * i, s->h[i]);
	memset(s, 0, sizeof(*s));
}

void sha256(const void *data, size_t len, uint8_t out[SHA256_DIGEST_SIZE])
{
	struct sha256 s;

	sha256_init(&s);
	sha256_update(&s, data, len);
	sha256_final(&s, out);
}

void sha256_hex(const uint8_t d[SHA256_DIGEST_SIZE],
		char hex[2 * SHA256_DIGEST_SIZE + 1])
{
	static const char digits[] = "0123456789abcdef";
	int i;

	for (i = 0; i < SHA256_DIGEST_SIZE; i++) {
		hex[2 * i] = digits[d[i] >> 4];
		hex[2 * i + 1] = digits[d[i] & 15];
	}
	hex[2 * SHA256_DIGEST_SIZE] = '\0';
}
