#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Fuzz avfencectl's policy parser for a bounded time: the libFuzzer target
# tests/unit/fuzz_policy.c (clang -fsanitize=fuzzer,address,undefined),
# seeded with tests/unit/corpus/ and policy/*.conf.
#
#   tests/static/fuzz-policy.sh [SECONDS]      (default AVF_FUZZ_SECONDS or 60)
#
# The corpus grows in build/fuzz/corpus (a copy: the seeds in the tree are
# never written).  A crash fails the run and leaves its input in
# build/fuzz/artifacts/; to make it a regression test, add that file to
# tests/unit/corpus/ (every run executes the whole seed corpus first, so it
# fails until the bug is fixed) and a case to tests/unit/policy_parse_test.c.
# AVF_SEED sets libFuzzer's -seed (default fixed, printed).
set -uo pipefail

top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top"
secs=${1:-${AVF_FUZZ_SECONDS:-60}}
seed=${AVF_SEED:-20261129}
work=build/fuzz
if ! command -v clang >/dev/null; then
	echo "ok - fuzz: policy parser # SKIP clang not installed"
	exit 0
fi
if ! make -s -C tests/unit fuzz_policy > "$work.build.log" 2>&1; then
	mkdir -p "$work"
	echo "not ok - fuzz: policy parser: fuzz_policy does not build"
	sed 's/^/# /' "$work.build.log" | tail -n 20
	exit 1
fi
rm -rf "$work/corpus" "$work/artifacts"
mkdir -p "$work/corpus" "$work/artifacts"
for f in tests/unit/corpus/* policy/*.conf; do
	[ -f "$f" ] && cp "$f" "$work/corpus/$(echo "$f" | tr / _)"
done
nseeds=$(ls "$work/corpus" | wc -l)

# -timeout: a hang, not a slow input; an input takes ~60 ms, but a starved
# CI machine once stalled one for 13 s (2026-12-04).
tests/unit/fuzz_policy -max_total_time="$secs" -seed="$seed" -timeout=60 \
	-rss_limit_mb=2048 -print_final_stats=1 -close_fd_mask=1 \
	-artifact_prefix="$work/artifacts/" "$work/corpus" > "$work/fuzz.log" 2>&1
rc=$?
execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$work/fuzz.log" | tail -n1)
rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$work/fuzz.log" | tail -n1)
ncorp=$(ls "$work/corpus" | wc -l)
crash=$(ls "$work"/artifacts/* 2>/dev/null | head -n1)
if [ $rc -ne 0 ] || [ -n "$crash" ]; then
	echo "not ok - fuzz: policy parser: crash or failed check (seed $seed, libFuzzer exit $rc)"
	grep -E 'ERROR|SUMMARY|runtime error|Test unit written|deadly signal' "$work/fuzz.log" | head -n 20 | sed 's/^/# /'
	if [ -n "$crash" ]; then
		echo "# input: $crash ($(stat -c %s "$crash") bytes); reproduce: tests/unit/fuzz_policy $crash"
		echo "# make it a regression test: cp $crash tests/unit/corpus/ (and add a unit test)"
		od -An -c "$crash" | head -n 8 | sed 's/^/# /'
	fi
	exit 1
fi
echo "ok - fuzz: policy parser: ${execs:-?} executions in ${secs} s (${rate:-?}/s), seed $seed, $nseeds seeds, corpus now $ncorp, no crash"
