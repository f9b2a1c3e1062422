#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Build avfence.ko for one kernel of build/kernels/list, in a private copy
# of kmod/ (build/kmod/KVER/), so that builds for several kernels, and a
# developer's own build in kmod/, never share object files.
#
#   scripts/kmod-build.sh [--strict] KVER [make args, e.g. W=1]
#
# Output: build/kmod/KVER/avfence.ko and build/kmod/KVER/build.log.
# --strict: fail if the build log has any warning (compiler or modpost).
# AVF_KMOD_REV=<git revision>: build kmod/ as committed there (default: the
# work tree).
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
strict=0
[ "${1:-}" = --strict ] && { strict=1; shift; }
kver=${1:?usage: $0 [--strict] KVER [make args]}
shift
kdir="$top/build/kernels/$kver/build"
[ -d "$kdir/" ] || { echo "kmod-build: no headers for $kver at $kdir (make deps)" >&2; exit 2; }

dst="$top/build/kmod/$kver"
rm -rf "$dst" && mkdir -p "$dst"
if [ -n "${AVF_KMOD_REV:-}" ]; then
	# The module as committed at that revision, not the work tree.
	git -C "$top" archive "$AVF_KMOD_REV" kmod | tar -x -C "$dst" --strip-components=1
else
	(cd "$top/kmod" && find . \( -name '*.[ch]' -o -name Kbuild -o -name Makefile -o -name '*.include' \) \
		! -name '*.mod.c' -print0 | cpio -0pdm --quiet "$dst")
fi

rc=0
make -C "$dst" KDIR="$kdir" "$@" > "$dst/build.log" 2>&1 || rc=$?
if [ $rc -ne 0 ]; then
	cat "$dst/build.log" >&2
	echo "kmod-build: $kver: build failed (exit $rc)" >&2
	exit 1
fi
if [ "$strict" = 1 ] && grep -qi 'warning:' "$dst/build.log"; then
	grep -i -B2 -A4 'warning:' "$dst/build.log" >&2
	echo "kmod-build: $kver: build has warnings" >&2
	exit 1
fi
[ -f "$dst/avfence.ko" ] || { echo "kmod-build: $kver: no avfence.ko" >&2; exit 1; }
