// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of userspace/sha256.c against the FIPS 180-4 / NIST example
 * vectors, fed whole and in pieces of every size, and across the padding
 * boundaries (55, 56, 63, 64 bytes); and pieces of random sizes, short
 * and multi-block, against one update and a sha256sum vector.
 */
#include <stdlib.h>
#include <string.h>

#include "sha256.h"
#include "unit.h"

static const char *hex_of(const void *data, size_t len)
{
	static char hex[2 * SHA256_DIGEST_SIZE + 1];
	uint8_t d[SHA256_DIGEST_SIZE];

	sha256(data, len, d);
	sha256_hex(d, hex);
	return hex;
}

TEST(sha256_nist_vectors)
{
	static const char abc2[] =
		"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
	static const char abc4[] =
		"abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmn"
		"hijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu";

	EXPECT_STREQ("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
		     hex_of("", 0));
	EXPECT_STREQ("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
		     hex_of("abc", 3));
	EXPECT_STREQ("248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1",
		     hex_of(abc2, strlen(abc2)));
	EXPECT_STREQ("cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1",
		     hex_of(abc4, strlen(abc4)));
}

TEST(sha256_million_a)
{
	static char chunk[1000];
	uint8_t d[SHA256_DIGEST_SIZE];
	char hex[2 * SHA256_DIGEST_SIZE + 1];
	struct sha256 s;
	int i;

	memset(chunk, 'a', sizeof(chunk));
	sha256_init(&s);
	for (i = 0; i < 1000; i++)
		sha256_update(&s, chunk, sizeof(chunk));
	sha256_final(&s, d);
	sha256_hex(d, hex);
	EXPECT_STREQ("cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0",
		     hex);
}

/* Lengths around the padding boundaries; values from coreutils sha256sum. */
TEST(sha256_padding_boundaries)
{
	static const struct {
		size_t len;
		const char *hex;
	} v[] = {
		{ 55, "9f4390f8d30c2dd92ec9f095b65e2b9ae9b0a925a5258e241c9f1e910f734318" },
		{ 56, "b35439a4ac6f0948b6d6f9e3c6af0f5f590ce20f1bde7090ef7970686ec6738a" },
		{ 63, "7d3e74a05d7db15bce4ad9ec0658ea98e3f06eeecf16b4c6fff2da457ddc2f34" },
		{ 64, "ffe054fe7ae0cb6dc65c3af9b61d5209f439851db43d0ba5997337df154668eb" },
		{ 65, "635361c48bb9eab14198e76ea8ab7f1a41685d6ad62aa9146d301d4f17eb0ae0" },
	};
	char buf[128];
	size_t i;

	memset(buf, 'a', sizeof(buf));
	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++)
		EXPECT_STREQ(v[i].hex, hex_of(buf, v[i].len));
}

/* Any split of the input gives the same digest as one update. */
TEST(sha256_incremental)
{
	uint8_t whole[SHA256_DIGEST_SIZE], part[SHA256_DIGEST_SIZE];
	unsigned char buf[300];
	struct sha256 s;
	size_t i, step, off;

	for (i = 0; i < sizeof(buf); i++)
		buf[i] = (unsigned char)(i * 7 + 3);
	sha256(buf, sizeof(buf), whole);
	for (step = 1; step <= 130; step++) {
		sha256_init(&s);
		for (off = 0; off < sizeof(buf); off += step)
			sha256_update(&s, buf + off, off + step > sizeof(buf) ?
				      sizeof(buf) - off : step);
		sha256_final(&s, part);
		EXPECT_EQ(0, memcmp(whole, part, sizeof(whole)))
			TH_LOG("step %zu differs", step);
	}
	/* Zero-length updates change nothing. */
	sha256_init(&s);
	sha256_update(&s, "", 0);
	sha256_update(&s, "ab", 2);
	sha256_update(&s, "", 0);
	sha256_update(&s, "c", 1);
	sha256_final(&s, part);
	sha256((const uint8_t *)"abc", 3, whole);
	EXPECT_TRUE(!memcmp(whole, part, sizeof(whole)));
}

/* xorshift32: the same "random" sequence on every run. */
static uint32_t rnd(uint32_t *x)
{
	*x ^= *x << 13;
	*x ^= *x >> 17;
	*x ^= *x << 5;
	return *x;
}

/*
 * Random split sizes: mostly short pieces (the digest feeds words of a
 * line), some spanning several blocks, some empty, from any alignment.
 */
TEST(sha256_random_splits)
{
	static unsigned char buf[4099];
	uint8_t whole[SHA256_DIGEST_SIZE], part[SHA256_DIGEST_SIZE];
	char hex[2 * SHA256_DIGEST_SIZE + 1];
	uint32_t x = 0x2545f491;
	struct sha256 s;
	size_t i, off, n;
	int trial, bad = 0;

	for (i = 0; i < sizeof(buf); i++)
		buf[i] = (unsigned char)(i * 7 + 3);
	sha256(buf, sizeof(buf), whole);
	sha256_hex(whole, hex);
	/* python3: bytes((i * 7 + 3) & 255 for i in range(4099)) | sha256sum */
	EXPECT_STREQ("68950b5dc8001f651c3884f0201a276dd63eb870c6f2d153ed52719ddbce3101",
		     hex);
	for (trial = 0; trial < 500; trial++) {
		sha256_init(&s);
		for (off = 0; off < sizeof(buf); off += n) {
			uint32_t r = rnd(&x);

			n = r % 8 ? r % 24 : r % 300;
			if (n > sizeof(buf) - off)
				n = sizeof(buf) - off;
			sha256_update(&s, buf + off, n);
		}
		sha256_final(&s, part);
		if (memcmp(whole, part, sizeof(whole)) && !bad++)
			TH_LOG("trial %d differs", trial);
	}
	EXPECT_EQ(0, bad);
}

TEST_HARNESS_MAIN
