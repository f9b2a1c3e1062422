#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# checkpatch --strict on the module's sources (kmod/*.[ch], kmod/uapi/*.h).
#
#   tests/static/checkpatch.sh
#
# ERRORs and WARNINGs fail, except those tests/static/checkpatch.allow
# accepts for one file and one checkpatch type, each with its reason (what
# an out-of-tree module for several kernels cannot avoid).  CHECKs are
# listed, counted, and do not fail.  TAP items on stdout.
set -uo pipefail

top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top"
cp=${CHECKPATCH:-build/linux-tools/scripts/checkpatch.pl}
allow="tests/static/checkpatch.allow"
if [ ! -f "$cp" ]; then
	echo "not ok - checkpatch: $cp missing (make deps)"
	exit 1
fi
if [ "$(git rev-parse --show-toplevel 2>/dev/null)" = "$top" ]; then
	mapfile -t files < <(git ls-files 'kmod/*.c' 'kmod/*.h')
else
	mapfile -t files < <(ls kmod/*.c kmod/*.h kmod/uapi/*.h | grep -v '\.mod\.c$')
fi
out=$(perl "$cp" --no-tree --strict --terse --show-types --no-summary -f "${files[@]}" 2>&1)

# FILE:LINE: LEVEL:TYPE: message
bad=() checks=0 allowed=0
while IFS= read -r line; do
	[ -n "$line" ] || continue
	file=${line%%:*}
	rest=${line#*: }
	level=${rest%%:*}
	type=${rest#*:}; type=${type%%:*}
	case "$level" in
	CHECK) checks=$((checks + 1)); continue ;;
	ERROR|WARNING) ;;
	*) continue ;;
	esac
	if grep -qE "^$file[[:space:]]+$type([[:space:]]|$)" "$allow" 2>/dev/null; then
		allowed=$((allowed + 1))
	else
		bad+=("$line")
	fi
done <<< "$out"

if [ ${#bad[@]} -gt 0 ]; then
	echo "not ok - checkpatch --strict: kmod has ${#bad[@]} ERROR/WARNING ($allowed allowed by $allow)"
	printf '# %s\n' "${bad[@]}"
	rc=1
else
	echo "ok - checkpatch --strict: kmod has no ERROR/WARNING ($allowed allowed by $allow, $checks CHECK notes)"
	rc=0
fi
echo "$out" | grep ': CHECK:' | sed 's/^/# /'
exit $rc
