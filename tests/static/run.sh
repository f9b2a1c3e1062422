#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The checks that need no VM, as TAP items on stdout (`make static`, and a
# stage of `make check`):
#   sparse.sh        sparse (make C=2) on the module, for each kernel
#   checkpatch.sh    checkpatch --strict on kmod/
#   cppcheck.sh      cppcheck on userspace/
#   fuzz-policy.sh   libFuzzer on avfencectl's policy parser, bounded
#                    (AVF_FUZZ_SECONDS, default 60)
#
#   tests/static/run.sh [KVER...]     (default: build/kernels/list)
#
# Exit status: 0 if every item passed.
set -uo pipefail

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
if [ $# -eq 0 ]; then
	mapfile -t kvers < <(cat "$top/build/kernels/list" 2>/dev/null)
	set -- "${kvers[@]}"
fi
rc=0
"$here/sparse.sh" "$@" || rc=1
"$here/checkpatch.sh" || rc=1
"$here/cppcheck.sh" || rc=1
"$here/fuzz-policy.sh" || rc=1
exit $rc
