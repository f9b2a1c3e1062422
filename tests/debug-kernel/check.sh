#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# `make check-debug`: the whole VM suite on the debug kernel (KASAN, KFENCE,
# lockdep with PROVE_LOCKING and PROVE_RCU, DEBUG_ATOMIC_SLEEP, DEBUG_LIST,
# DEBUG_OBJECTS, UBSAN bounds) built by tests/debug-kernel/build.sh, which
# runs first if the kernel is not built yet (about an hour of compiling on
# 2 CPUs: see Documentation/testing.rst).
#
#   tests/debug-kernel/check.sh [--rebuild]
#
# Results: build/vm/<release>/results.tap, then the summary line
# "N passed, N failed" (build/results-debug/).  The run takes far longer
# than on the stock kernels (sanitisers under TCG): AVF_TIMEOUT defaults
# to 5400 s here.
set -uo pipefail

top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top"
if [ "${1:-}" = --rebuild ] || [ ! -s build/kernels/debug-release ]; then
	tests/debug-kernel/build.sh || { echo "not ok - debug kernel: build failed"; exit 1; }
fi
rel=$(cat build/kernels/debug-release)
[ -f "build/kernels/$rel/vmlinuz" ] || { echo "not ok - debug kernel: no build/kernels/$rel"; exit 1; }

res=build/results-debug
rm -rf "$res" && mkdir -p "$res"
make -s -C tests/kselftest > "$res/build-kselftest.log" 2>&1
make -s -C userspace static > "$res/build-avfencectl.log" 2>&1
t0=$(date +%s)
AVF_TIMEOUT=${AVF_TIMEOUT:-5400} tests/vm/run.sh "$rel" 2>&1 | tee "$res/01-vm-$rel.log"
cp "build/vm/$rel/results.tap" "$res/01-vm-$rel.tap" 2>/dev/null ||
	echo "not ok - $rel: VM run produced no results" > "$res/01-vm-$rel.tap"
echo "$(( $(date +%s) - t0 ))" > "$res/01-vm-$rel.seconds"
# The unload stress tests, on single-threaded TCG as in make check.
AVF_TIMEOUT=${AVF_TIMEOUT:-5400} tests/vm/run.sh --no-build --unload-stress \
	"$rel" 2>&1 | tee "$res/02-vm-$rel-unload.log"
cp "build/vm/$rel-unload/results.tap" "$res/02-vm-$rel-unload.tap" 2>/dev/null ||
	echo "not ok - $rel unload: VM run produced no results" > "$res/02-vm-$rel-unload.tap"
echo
exec python3 scripts/summarize.py "$res"
