/* SPDX-License-Identifier: GPL-2.0 */
/*
 * avfence: audit records and events for refusals.
 */
#ifndef _AVFENCE_AUDIT_H
#define _AVFENCE_AUDIT_H

#include "common.h"

struct path;

bool avf_audit_wanted(void);
void avf_audit_refusal(bool denied, u32 route, const char *clearance,
		       const char *label, const char *op, const char *key,
		       const char *value);
bool avf_audit_refusal_held(bool denied, u32 route, const char *clearance,
			    const char *label, const struct path *path);
void avf_audit_tagged(const char *clearance, const char *mark,
		      const char *path);

#endif /* _AVFENCE_AUDIT_H */
