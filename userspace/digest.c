// SPDX-License-Identifier: GPL-2.0
/*
 * avfencectl: canonical form and digest of a policy.
 *
 * The text itself comes from kmod/canon.c, compiled here as in the module;
 * what is done here is what the kernel's avf_policy_canon() does around
 * it: the subjects in order of path, compared bytewise (strcmp compares
 * as unsigned char, like the kernel's).  The parser has already put them
 * in that order, pol->by_path.  The mode is not part of it.
 */
#include <errno.h>
#include <string.h>

#include "avfencectl.h"
#include "digest.h"

/**
 * policy_canon - emit the canonical form of @pol
 * @pol: a policy that parsed without error
 * @emit: receives the text, piece by piece
 * @ctx: passed to @emit
 *
 * Return: 0, or -EINVAL if the subjects' order is unknown (the policy did
 * not come from a successful policy_parse()).
 */
int policy_canon(const struct policy *pol, avf_emit_fn emit, void *ctx)
{
	size_t i;

	if ((pol->nr_subjects && !pol->by_path) ||
	    (pol->nr_labels && !pol->labels_by_path))
		return -EINVAL;
	avf_canon_header(&pol->levels, pol->default_level, emit, ctx);
	for (i = 0; i < pol->nr_subjects; i++) {
		const struct policy_subject *s = pol->by_path[i];
		const struct avf_canon_lists lists = {
			.write = s->write,
			.nwrite = s->nr_write,
			.connect = s->connect,
			.nconnect = s->nr_connect,
		};

		avf_canon_subject(s->path, pol->levels.name[s->clearance],
				  s->allow, &lists, emit, ctx);
	}
	for (i = 0; i < pol->nr_labels; i++) {
		const struct policy_label *l = pol->labels_by_path[i];

		avf_canon_label(l->path, pol->levels.name[l->level], emit, ctx);
	}
	return 0;
}

static void emit_file(void *ctx, const char *s, size_t len)
{
	fwrite(s, 1, len, ctx);
}

/* Print @path to @f escaped as in the canonical form: one unambiguous word. */
void canon_path_print(FILE *f, const char *path)
{
	avf_canon_path(path, emit_file, f);
}

/* Print the canonical form to @f: 0 or -EINVAL, as policy_canon(). */
int policy_canon_print(const struct policy *pol, FILE *f)
{
	return policy_canon(pol, emit_file, f);
}

/* libgcrypt is set up by its first caller: here, before any use. */
static void digest_lib_init(void)
{
	static bool done;

	if (!done) {
		gcry_check_version(NULL);
		gcry_control(GCRYCTL_INITIALIZATION_FINISHED, 0);
		done = true;
	}
}

/**
 * digest_sha256_once - SHA-256 of one buffer
 * @data: the bytes
 * @len: their number
 * @out: the digest
 */
void digest_sha256_once(const void *data, size_t len,
			uint8_t out[SHA256_DIGEST_SIZE])
{
	digest_lib_init();
	gcry_md_hash_buffer(GCRY_MD_SHA256, out, data, len);
}

/*
 * The canonical form comes a line at a time: gathered here and hashed a
 * buffer at a time, which saves libgcrypt's per-call work on every line.
 */
struct digest_buf {
	gcry_md_hd_t md;
	size_t len;
	uint8_t buf[4096];
};

static void emit_sha256(void *ctx, const char *s, size_t len)
{
	struct digest_buf *d = ctx;

	if (d->len + len > sizeof(d->buf)) {
		gcry_md_write(d->md, d->buf, d->len);
		d->len = 0;
	}
	if (len > sizeof(d->buf)) {
		gcry_md_write(d->md, s, len);
		return;
	}
	memcpy(d->buf + d->len, s, len);
	d->len += len;
}

/**
 * policy_digest - SHA-256 of the canonical form of @pol
 * @pol: a policy that parsed without error
 * @out: the digest
 *
 * Return: 0, -EINVAL as policy_canon(), or -ENOMEM if libgcrypt could not
 * open a hash.
 */
int policy_digest(const struct policy *pol, uint8_t out[SHA256_DIGEST_SIZE])
{
	struct digest_buf d;
	int ret;

	digest_lib_init();
	if (gcry_md_open(&d.md, GCRY_MD_SHA256, 0))
		return -ENOMEM;
	d.len = 0;
	ret = policy_canon(pol, emit_sha256, &d);
	gcry_md_write(d.md, d.buf, d.len);
	memcpy(out, gcry_md_read(d.md, GCRY_MD_SHA256), SHA256_DIGEST_SIZE);
	gcry_md_close(d.md);
	return ret;
}

/**
 * digest_to_hex - lower-case hex of a digest
 * @d: the digest
 * @hex: DIGEST_HEX_SIZE bytes: 64 hex digits and a NUL
 */
void digest_to_hex(const uint8_t d[SHA256_DIGEST_SIZE],
		   char hex[DIGEST_HEX_SIZE])
{
	static const char digits[] = "0123456789abcdef";
	size_t i;

	for (i = 0; i < SHA256_DIGEST_SIZE; i++) {
		hex[2 * i] = digits[d[i] >> 4];
		hex[2 * i + 1] = digits[d[i] & 15];
	}
	hex[2 * SHA256_DIGEST_SIZE] = '\0';
}

/**
 * policy_digest_hex - the digest of @pol in hex, for avfencectl's commands
 * @file: the policy file, for the message
 * @pol: a policy that parsed without error
 * @hex: DIGEST_HEX_SIZE bytes
 *
 * Return: 0, or 1 (an exit status) after printing why there is none.
 */
int policy_digest_hex(const char *file, const struct policy *pol,
		      char hex[DIGEST_HEX_SIZE])
{
	uint8_t digest[SHA256_DIGEST_SIZE];
	int ret = policy_digest(pol, digest);

	if (ret) {
		fprintf(stderr, "%s: %s: no canonical form: %s\n", prog, file,
			strerror(-ret));
		return 1;
	}
	digest_to_hex(digest, hex);
	return 0;
}
