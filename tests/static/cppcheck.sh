#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# cppcheck on the userspace C (userspace/*.c and the plain-C files of
# kmod/ that avfencectl compiles).  Every finding fails (severities error,
# warning, style, performance, portability), except the false positives
# listed, with their reason, in tests/static/cppcheck.suppress.
#
#   tests/static/cppcheck.sh
set -uo pipefail

top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top"
if ! command -v cppcheck >/dev/null; then
	echo "ok - cppcheck: userspace # SKIP cppcheck not installed"
	exit 0
fi
sup=tests/static/cppcheck.suppress
out=$(cppcheck -q --enable=warning,style,performance,portability --std=c11 \
	-D_GNU_SOURCE -I kmod -I kmod/uapi -I userspace --inline-suppr \
	--suppressions-list=<(grep -v '^#' "$sup" | awk 'NF { print $1 }') \
	--template='{file}:{line}: {severity}:{id}: {message}' \
	userspace/*.c kmod/decide.c kmod/canon.c kmod/subject_rec.c 2>&1)
n=$(printf '%s' "$out" | grep -c ': [a-z]*:[A-Za-z]*: ' || true)
if [ "$n" -gt 0 ]; then
	echo "not ok - cppcheck: userspace has $n findings ($(cppcheck --version))"
	echo "$out" | sed 's/^/# /'
	exit 1
fi
echo "ok - cppcheck: userspace clean ($(cppcheck --version))"
