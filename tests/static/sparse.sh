#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# sparse on the module (`make C=2`: every file of kmod/, whether rebuilt
# or not) for each kernel given, in a private copy of the top-level Kbuild
# and kmod/ (scripts/kmod-tree.sh) under build/static/ so that it never
# touches the objects the VM suite uses.
#
#   tests/static/sparse.sh KVER...
#
# TAP items on stdout: "ok - sparse: KVER: ..." or "not ok - ..." with the
# warnings as "# " lines; the full log in build/static/sparse-KVER/build.log.
set -uo pipefail

top=$(cd "$(dirname "$0")/../.." && pwd)
rc=0
if ! command -v sparse >/dev/null; then
	for k in "$@"; do
		echo "ok - sparse: $k: module # SKIP sparse not installed (scripts/deps.sh installs it)"
	done
	exit 0
fi
for k in "$@"; do
	kdir="$top/build/kernels/$k/build"
	dst="$top/build/static/sparse-$k"
	if [ ! -d "$kdir/" ]; then
		echo "not ok - sparse: $k: no headers at $kdir (make deps)"
		rc=1
		continue
	fi
	"$top/scripts/kmod-tree.sh" "$dst"
	if ! make -C "$kdir" M="$dst" C=2 modules > "$dst/build.log" 2>&1; then
		echo "not ok - sparse: $k: module build with C=2 failed"
		sed 's/^/# /' "$dst/build.log" | tail -n 20
		rc=1
		continue
	fi
	# sparse reports as FILE:LINE:COL: warning|error: ...
	found=$(grep -E '^[^ :]+:[0-9]+:[0-9]+: (warning|error):' "$dst/build.log" |
		sed "s|^$dst/||")
	if [ -n "$found" ]; then
		echo "not ok - sparse: $k: module has $(echo "$found" | wc -l) sparse warnings (make C=2)"
		echo "$found" | sed 's/^/# /'
		rc=1
	else
		echo "ok - sparse: $k: module clean (make C=2)"
	fi
done
exit $rc
