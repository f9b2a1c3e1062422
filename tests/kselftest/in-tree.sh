#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The avfence kselftests the kernel's way, as tools/testing/selftests/avfence/
# of a kernel tree.
#
#   tests/kselftest/in-tree.sh KTREE
#       Make KTREE/tools/testing/selftests/avfence/ a directory of symbolic
#       links to tests/kselftest/ (Makefile, tests, headers, config,
#       settings) and to the plain C shared with the module (kmod/decide.[ch],
#       kmod/uapi/).  Then, in KTREE:
#           make -C tools/testing/selftests TARGETS=avfence
#           make -C tools/testing/selftests TARGETS=avfence run_tests
#           make -C tools/testing/selftests TARGETS=avfence install
#       (run_tests and the installed run_kselftest.sh need root, the module
#       and a kernel to spare: the tests load policies and lock the module).
#
#   tests/kselftest/in-tree.sh --check [KTREE]
#       What make check tests, against the parts of Debian's linux-source
#       that scripts/deps.sh extracts (KTREE, default build/linux-tools):
#       link, build through lib.mk, install, list with run_kselftest.sh,
#       and merge ./config into each kernel's configuration with
#       merge_config.sh.  TAP items on stdout; exit 1 if any failed.
#       Nothing is run: that needs the VM (tests/vm/).
set -uo pipefail

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)

link_tree() {
	local ktree=$1 d
	d=$ktree/tools/testing/selftests/avfence
	if [ ! -f "$ktree/tools/testing/selftests/lib.mk" ]; then
		echo "in-tree.sh: $ktree/tools/testing/selftests/lib.mk: not a kernel tree" >&2
		return 1
	fi
	rm -rf "$d" && mkdir -p "$d" || return 1
	for f in "$here"/Makefile "$here"/*.c "$here"/*.h "$here"/config \
		 "$here"/settings "$top"/kmod/decide.c "$top"/kmod/decide.h; do
		ln -s "$f" "$d/" || return 1
	done
	ln -s "$top/kmod/uapi" "$d/uapi"
}

if [ "${1:-}" != --check ]; then
	[ $# -eq 1 ] || { echo "usage: $0 KTREE | --check [KTREE]" >&2; exit 1; }
	link_tree "$1"
	exit
fi

ktree=${2:-$top/build/linux-tools}
out=$top/build/kselftest-tree
log=$out/log
fails=0
rm -rf "$out" && mkdir -p "$out"
item() { # item RC TEXT [LOG]
	if [ "$1" = 0 ]; then
		echo "ok - kselftest: $2"
	else
		echo "not ok - kselftest: $2"
		fails=$((fails + 1))
		[ -n "${3:-}" ] && tail -n 20 "$3" | sed 's/^/# /'
	fi
}

link_tree "$ktree" > "$log.link" 2>&1
item $? "linked as tools/testing/selftests/avfence" "$log.link"

sel=$ktree/tools/testing/selftests
want=$(make -s -C "$here" list)
make -j"$(nproc)" -C "$sel" TARGETS=avfence O="$out/o" > "$log.build" 2>&1
rc=$?
for t in $want probe; do
	[ -x "$out/o/kselftest/avfence/$t" ] || rc=1
done
item $rc "builds via tools/testing/selftests lib.mk" "$log.build"

make -C "$sel" TARGETS=avfence O="$out/o" \
	KSFT_INSTALL_PATH="$out/install" install > "$log.install" 2>&1
rc=$?
for f in run_kselftest.sh kselftest-list.txt avfence/settings \
	 avfence/config avfence/probe; do
	[ -e "$out/install/$f" ] || { echo "missing $f" >> "$log.install"; rc=1; }
done
item $rc "installs with run_kselftest.sh, settings and config" "$log.install"

"$out/install/run_kselftest.sh" -l > "$log.list" 2>&1
rc=$?
got=$(sed -n 's/^avfence://p' "$log.list")
[ "$got" = "$want" ] || { echo "want: $want" >> "$log.list"; rc=1; }
item $rc "run_kselftest.sh lists the tests, in the VM's order" "$log.list"

grep -qx 'timeout=[0-9]*' "$here/settings"
item $? "settings names the per-test timeout"

# merge_config.sh reads CONFIG_X=V and "# CONFIG_X is not set" lines; every
# other line must be a comment or blank, and every option must come out of
# the merge with the fragment's value.
bad=$(grep -vE '^(CONFIG_[A-Za-z0-9_]+=.+|# CONFIG_[A-Za-z0-9_]+ is not set|#.*|)$' "$here/config")
[ -z "$bad" ] || echo "# lines merge_config.sh does not read: $bad"
item $([ -z "$bad" ]; echo $?) "config: only lines merge_config.sh reads"
for k in $(cat "$top/build/kernels/list" 2>/dev/null); do
	base=/usr/src/linux-headers-$k/.config
	if [ ! -f "$base" ]; then
		echo "ok - kselftest: config merges into $k's configuration # SKIP no $base"
		continue
	fi
	m=$out/merge-$k
	mkdir -p "$m"
	"$ktree/scripts/kconfig/merge_config.sh" -m -O "$m" "$base" \
		"$here/config" > "$log.merge-$k" 2>&1
	rc=$?
	grep -E '^CONFIG_' "$here/config" | while read -r line; do
		grep -qx "$line" "$m/.config" ||
			echo "$line: not so after the merge" >> "$log.merge-$k"
	done
	if grep -qE 'redefined|not so after' "$log.merge-$k"; then
		rc=1
	fi
	item $rc "config merges into $k's configuration, nothing changed" \
		"$log.merge-$k"
done
[ "$fails" = 0 ]
