#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Copy what builds the module (the top-level Kbuild and kmod/'s sources)
# into DIR, so that `make -C KDIR M=DIR` builds DIR/kmod/avfence.ko there
# as it would from the repository root, without sharing object files.
#
#   scripts/kmod-tree.sh DIR [REV]
#
# REV: take the files as committed at that git revision instead of the
# work tree (a revision from before the top-level Kbuild gets one).
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
dst=${1:?usage: $0 DIR [REV]}
rev=${2:-}
rm -rf "$dst" && mkdir -p "$dst/kmod"
if [ -n "$rev" ]; then
	git -C "$top" archive "$rev" kmod | tar -x -C "$dst"
	git -C "$top" show "$rev:Kbuild" > "$dst/Kbuild" 2>/dev/null ||
		echo 'obj-m += kmod/' > "$dst/Kbuild"
else
	cp "$top/Kbuild" "$dst/Kbuild"
	(cd "$top/kmod" && find . \( -name '*.[ch]' -o -name Kbuild -o -name Makefile -o -name '*.include' \) \
		! -name '*.mod.c' -print0 | cpio -0pdm --quiet "$dst/kmod")
fi
