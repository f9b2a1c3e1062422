/* SPDX-License-Identifier: GPL-2.0 */
/*
 * avfencectl: the canonical form of a parsed policy and its SHA-256, the
 * digest the kernel reports for the same policy (kmod/canon.c).
 */
#ifndef _AVFENCECTL_DIGEST_H
#define _AVFENCECTL_DIGEST_H

#include <stdint.h>
#include <stdio.h>

#include "canon.h"
#include "policy_parse.h"
#include "sha256.h"

int policy_canon(const struct policy *pol, avf_emit_fn emit, void *ctx);
int policy_canon_print(const struct policy *pol, FILE *f);
int policy_digest(const struct policy *pol, uint8_t out[SHA256_DIGEST_SIZE]);

#endif /* _AVFENCECTL_DIGEST_H */
