#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# `make check-race`: race_test (tests/kselftest/race_test.c) on the KCSAN
# kernel built by `tests/debug-kernel/build.sh --kcsan`, which runs first
# if build/kernels/kcsan-release is missing (about an hour of compiling on
# 2 CPUs).  Not part of `make check`.
#
#   tests/debug-kernel/race.sh [--red | --red-plain] [--runs N] [--rebuild]
#
# Fails if KCSAN reports a data race that names avfence (a frame in
# [avfence] or an avf_ function), or if race_test or any other item of
# tests/vm/run.sh fails, except "kernel log clean": a defconfig kernel
# reports data races of its own, which fail that item.  Instead
# kcsan-judge.py judges the kernel log: KCSAN reports that do not name
# avfence are counted and listed, not failed; every other line is judged
# as parse.py judges it.
#
# --red: the module with issue 17 defect 7 put back (defect7-red.patch:
# the tag's clearance name written and read with plain accesses, as
# before a9d0909); the run passes if KCSAN reports it, i.e. the check can
# fail.  --red-plain: defect7-red-plain.patch on top of that (the packed
# clearance word and the subject count plain accesses too), also expected
# to be reported.  --runs N: N boots (default 1), each judged; exit 1 if
# any failed.
#
# The VM runs on multi-threaded TCG (AVF_TCG_THREAD=multi): KCSAN sees a
# race only if the two tasks really run at once, and single-threaded TCG
# switches vCPUs far too seldom for that.  Knobs (environment):
# AVF_RACE_SECONDS (race_test's duration, default 60),
# AVF_KCSAN_SKIP_WATCH (default 500) and AVF_KCSAN_UDELAY (default 200):
# written to /sys/module/kcsan/parameters/skip_watch and udelay_task by
# race_test while it races (the boot keeps KCSAN's defaults, 4000 and 80).
#
# Results: build/vm/<release>-race[-red[-plain]]/ (results.tap, console.log,
# kcsan.txt, the judge's output).
set -uo pipefail

top=$(cd "$(dirname "$0")/../.." && pwd)
here="$top/tests/debug-kernel"
cd "$top" || exit 1
red=0
runs=1
rebuild=0
while [ $# -gt 0 ]; do
	case "$1" in
	--red) red=1; shift ;;
	--red-plain) red=2; shift ;;
	--runs) runs=$2; shift 2 ;;
	--rebuild) rebuild=1; shift ;;
	*) echo "usage: $0 [--red | --red-plain] [--runs N] [--rebuild]" >&2; exit 2 ;;
	esac
done

if [ "$rebuild" = 1 ] || [ ! -s build/kernels/kcsan-release ]; then
	tests/debug-kernel/build.sh --kcsan ||
		{ echo "not ok - KCSAN kernel: build failed"; exit 1; }
fi
rel=$(cat build/kernels/kcsan-release)
[ -f "build/kernels/$rel/vmlinuz" ] || { echo "not ok - KCSAN kernel: no build/kernels/$rel"; exit 1; }

# The module: kmod/ as it is, or with defect 7 put back.
name=race
[ "$red" = 1 ] && name=race-red
[ "$red" = 2 ] && name=race-red-plain
mdir="$top/build/kmod/$rel-$name"
scripts/kmod-tree.sh "$mdir"
if [ "$red" -ge 1 ]; then
	patch -s -d "$mdir" -p1 < "$here/defect7-red.patch" ||
		{ echo "not ok - $rel: defect7-red.patch does not apply"; exit 1; }
fi
if [ "$red" = 2 ]; then
	patch -s -d "$mdir" -p1 < "$here/defect7-red-plain.patch" ||
		{ echo "not ok - $rel: defect7-red-plain.patch does not apply"; exit 1; }
fi
# A kernel without a TPM driver has no tpm_transmit() to hook: the module
# would refuse to load (builds of config-kcsan before CONFIG_TCG_TPM).
if ! grep -q '^CONFIG_TCG_TPM=[ym]' "build/kernels/$rel/config"; then
	echo "# $rel has no TPM driver: module built with no-tpm.patch"
	patch -s -d "$mdir" -p1 < "$here/no-tpm.patch" ||
		{ echo "not ok - $rel: no-tpm.patch does not apply"; exit 1; }
fi
make -C "build/kernels/$rel/build" M="$mdir" modules > "$mdir/build.log" 2>&1 ||
	{ cat "$mdir/build.log" >&2; echo "not ok - $rel: module build failed"; exit 1; }

make -s -C tests/kselftest > /dev/null ||
	{ echo "not ok - $rel: kselftest build failed"; exit 1; }
make -s -C userspace static > /dev/null 2>&1 || true

fails=0
for i in $(seq 1 "$runs"); do
	out="build/vm/$rel-$name"
	t0=$(date +%s)
	AVF_KO="$mdir/kmod/avfence.ko" AVF_TESTS=race_test AVF_TCG_THREAD=multi \
		AVF_RUN=$name AVF_TIMEOUT=${AVF_TIMEOUT:-1800} \
		AVF_GUEST_ENV="AVF_RACE_SECONDS=${AVF_RACE_SECONDS:-60} AVF_KCSAN_SKIP_WATCH=${AVF_KCSAN_SKIP_WATCH:-500} AVF_KCSAN_UDELAY=${AVF_KCSAN_UDELAY:-200}" \
		tests/vm/run.sh --no-build "$rel" > /dev/null 2>&1
	secs=$(( $(date +%s) - t0 ))
	# Every item but the kernel log, which kcsan-judge.py judges.
	items_ok=1
	grep -v ': kernel log clean$' "$out/results.tap" | grep -q '^not ok' && items_ok=0
	grep -q 'race_test: race.tag_read_while_written$' "$out/results.tap" || items_ok=0
	python3 "$here/kcsan-judge.py" "$out/results.raw" "$out/console.log" > "$out/kcsan.txt"
	judge=$?
	nrep=$(sed -n 's/^kcsan: \([0-9]*\) avfence.*/\1/p' "$out/kcsan.txt")
	cyc=$(grep -o '[0-9]* cycles ([0-9]* loads), [0-9]* kills' "$out/results.raw" | head -1)
	if [ "$red" -ge 1 ]; then
		# Red: the race must be reported; the rest must still pass.
		ok=$(( items_ok && ${nrep:-0} > 0 ))
	else
		ok=$(( items_ok && judge == 0 ))
	fi
	st="ok"
	[ "$ok" = 1 ] || { st="not ok"; fails=$((fails + 1)); }
	echo "$st - $rel $name run $i$( [ "$red" -ge 1 ] && echo " (red: passes if KCSAN reports avfence)"): items $( [ $items_ok = 1 ] && echo ok || echo FAILED ), ${nrep:-?} avfence KCSAN report(s), ${cyc:-no cycle count}, ${secs}s"
	grep '^not ok' "$out/results.tap" | grep -v ': kernel log clean$' | sed 's/^/# /'
	sed 's/^/# /' "$out/kcsan.txt" | head -60
	if [ "$runs" -gt 1 ]; then rm -rf "$out.$i" && cp -r "$out" "$out.$i"; fi
done
echo "# $rel $name: $((runs - fails)) of $runs runs ok"
[ "$fails" = 0 ]
