#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Run the unit test programs named as arguments (kselftest_harness TAP on
# stdout), then print "unit: N passed, N failed" (", N skipped" if any)
# over all of them.  A program that fails without a "not ok" line (a crash
# before its plan) counts as one failure.  Exit 1 if anything failed.
pass=0 fail=0 skip=0 rc=0
for t; do
	log=$t.log
	./"$t" > "$log" 2>&1
	r=$?
	cat "$log"
	p=$(grep -Ec '^ok [0-9]+ ' "$log")
	s=$(grep -Ec '^ok [0-9]+ .*# SKIP' "$log")
	f=$(grep -Ec '^not ok [0-9]+ ' "$log")
	if [ "$r" -ne 0 ] && [ "$f" -eq 0 ]; then
		echo "not ok - $t: exit status $r"
		f=1
	fi
	pass=$((pass + p - s)) skip=$((skip + s)) fail=$((fail + f))
	[ "$r" -eq 0 ] || rc=1
done
[ "$fail" -eq 0 ] || rc=1
if [ "$skip" -gt 0 ]; then
	echo "unit: $pass passed, $fail failed, $skip skipped"
else
	echo "unit: $pass passed, $fail failed"
fi
exit $rc
