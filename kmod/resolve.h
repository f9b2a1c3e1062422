/* SPDX-License-Identifier: GPL-2.0 */
/*
 * avfence: resolving the subject paths of a policy being loaded.
 */
#ifndef _AVFENCE_RESOLVE_H
#define _AVFENCE_RESOLVE_H

#include <linux/path.h>

/**
 * struct avf_resolver - the directory of the previous subject path
 * @dir: that directory, resolved; valid if @dirname is set
 * @dirname: its path as written, NUL-terminated, or NULL
 * @dirlen: strlen(@dirname)
 */
struct avf_resolver {
	struct path dir;
	char *dirname;
	size_t dirlen;
};

int avf_resolve(struct avf_resolver *r, const char *path, struct path *out);
void avf_resolver_done(struct avf_resolver *r);

#endif /* _AVFENCE_RESOLVE_H */
