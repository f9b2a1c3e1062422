#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Build avfence.ko for one kernel of build/kernels/list, in a private copy
# of the top-level Kbuild and kmod/ (build/kmod/KVER/, scripts/kmod-tree.sh)
# with `make -C KDIR M=DIR`, the entry point of the repository root, so
# that builds for several kernels, and a developer's own build, never
# share object files.
#
#   scripts/kmod-build.sh [--strict] KVER [make args, e.g. W=1]
#
# Output: build/kmod/KVER/kmod/avfence.ko, linked as build/kmod/KVER/avfence.ko,
# and build/kmod/KVER/build.log.
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
# The tree as at the repository root (top-level Kbuild + kmod/), built
# the kernel's way: make -C KDIR M=DIR.
"$top/scripts/kmod-tree.sh" "$dst" ${AVF_KMOD_REV:+"$AVF_KMOD_REV"}

rc=0
make -C "$kdir" M="$dst" "$@" modules > "$dst/build.log" 2>&1 || rc=$?
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
[ -f "$dst/kmod/avfence.ko" ] || { echo "kmod-build: $kver: no kmod/avfence.ko" >&2; exit 1; }
# Where the VM suite, the deployment test and AVF_KO users look for it.
ln -f "$dst/kmod/avfence.ko" "$dst/avfence.ko"
