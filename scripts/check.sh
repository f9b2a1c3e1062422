#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# `make check`: every stage writes TAP items ("ok - ...", "not ok - ...",
# "ok - ... # SKIP why") to build/results/NN-stage.tap, then
# scripts/summarize.py prints the per-stage results and the final line
# "N passed, N failed" (", N skipped").  Stages run even when an earlier
# one failed, so one run shows everything; the exit status is non-zero if
# any item failed.
set -uo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
res="$top/build/results"
# One `make check` at a time in a tree: they share build/results.
mkdir -p "$top/build"
. "$top/scripts/one-at-a-time.sh"
one_at_a_time "$top/build/check.lock" \
	"check.sh: waiting for another make check in this tree"
rm -rf "$res" && mkdir -p "$res"

# stage NAME COMMAND...: run COMMAND, log to NAME.log, time it.
stage() {
	local name=$1; shift
	local t0=$(date +%s)
	echo "=== $name: $*"
	"$@" 2>&1 | tee "$res/$name.log"
	local rc=${PIPESTATUS[0]}
	echo "$(( $(date +%s) - t0 ))" > "$res/$name.seconds"
	return "$rc"
}
item() { # item FILE RC TEXT
	if [ "$2" = 0 ]; then echo "ok - $3"; else echo "not ok - $3"; fi >> "$1"
}

# 1. dependencies
stage 01-deps bash scripts/deps.sh; item "$res/01-deps.tap" $? "deps: scripts/deps.sh"
mapfile -t kvers < <(cat build/kernels/list 2>/dev/null)
[ ${#kvers[@]} -gt 0 ] || echo "not ok - deps: build/kernels/list names no kernel" >> "$res/01-deps.tap"

# 2. userspace unit tests: their own TAP items, else the exit status.
stage 02-unit make -C userspace unit; rc=$?
python3 scripts/summarize.py --tap-from-log "unit" "$rc" "$res/02-unit.log" > "$res/02-unit.tap"

# 2b. checks without a VM (tests/static/run.sh): sparse (make C=2) on the
#     module for each kernel, checkpatch --strict, cppcheck on userspace,
#     and a bounded libFuzzer run (AVF_FUZZ_SECONDS, 60) of the policy parser.
stage 02-static tests/static/run.sh "${kvers[@]}"; rc=$?
grep -E '^(not )?ok - ' "$res/02-static.log" > "$res/02-static.tap" ||
	item "$res/02-static.tap" 1 "static: tests/static/run.sh produced no results (exit $rc)"

# 3. builds: the module with W=1 for each kernel (no warnings allowed),
#    avfencectl (dynamic and static), the kselftests.
for k in "${kvers[@]}"; do
	stage "03-build-kmod-$k" scripts/kmod-build.sh --strict "$k" W=1
	item "$res/03-build.tap" $? "$k: module builds with W=1, no warnings"
done
# The entry point kernel developers use, from the repository root itself
# (the top-level Kbuild, obj-m through kmod/): kmod/avfence.ko for that
# kernel; cleaned with M=kmod (kbuild's clean of M=root would delete every
# *.ko below it, build/ included).
for k in "${kvers[@]}"; do
	kd="build/kernels/$k/build"
	stage "03-build-kbuild-root-$k" make -C "$kd" M="$top" modules
	rc=$?
	[ "$rc" = 0 ] && [ "$(modinfo -F vermagic kmod/avfence.ko 2>/dev/null | cut -d' ' -f1)" = "$k" ] || rc=1
	item "$res/03-build.tap" $rc "$k: make -C KDIR M=\$PWD at the repository root builds kmod/avfence.ko"
	make -s -C "$kd" M="$top/kmod" clean > /dev/null 2>&1
	rm -f Module.symvers modules.order .Module.symvers.cmd .modules.order.cmd \
	      .module-common.o ..module-common.o.cmd
done
stage 03-build-avfencectl make -C userspace all static
item "$res/03-build.tap" $? "build: avfencectl and avfencectl.static"
if grep -i 'warning:' "$res/03-build-avfencectl.log" | grep -qv 'in statically linked applications'; then
	item "$res/03-build.tap" 1 "build: avfencectl has no compiler warnings"
fi
stage 03-build-kselftest make -k -C tests/kselftest
item "$res/03-build.tap" $? "build: kselftests and probe"
# The same kselftests the kernel's way: linked as tools/testing/selftests/
# avfence/ of the extracted linux-source parts, built through lib.mk,
# installed and listed by run_kselftest.sh, config merged (not run: VM).
stage 03-build-kselftest-tree tests/kselftest/in-tree.sh --check
grep -E '^(not )?ok - ' "$res/03-build-kselftest-tree.log" >> "$res/03-build.tap" ||
	item "$res/03-build.tap" 1 "kselftest: in-tree.sh --check produced no results"

# 3b. the image of the real Debian host (stage 6), built in the background
#     while the VM stages run: mmdebstrap, the .debs, DKMS in the chroot
#     (tests/host/image.sh; cached in build/host/).  AVF_CHECK_HOST=0
#     leaves the host stage out (its items are then SKIPs).
host_img=
if [ "${AVF_CHECK_HOST:-1}" = 1 ]; then
	( t0=$(date +%s); tests/host/image.sh > "$res/host-image.log" 2>&1
	  echo $? > "$res/host-image.rc"
	  echo "$(( $(date +%s) - t0 ))" > "$res/host-image.seconds" ) &
	host_img=$!
fi

# 4. the VM suite, one kernel at a time.
n=4
for k in "${kvers[@]}"; do
	stage "0$n-vm-$k" tests/vm/run.sh --no-build "$k"
	cp "build/vm/$k/results.tap" "$res/0$n-vm-$k.tap" 2>/dev/null ||
		echo "not ok - $k: VM run produced no results" > "$res/0$n-vm-$k.tap"
	cp "build/vm/$k/boot-seconds" "$res/0$n-vm-$k.boot-seconds" 2>/dev/null
	n=$((n + 1))
done

# vm_runs RUN OPTION: one more VM run on every kernel, tests/vm/run.sh
# --no-build OPTION KVER, whose results are in build/vm/KVER-RUN.
vm_runs() {
	local run=$1 opt=$2 k

	for k in "${kvers[@]}"; do
		stage "0$n-vm-$k-$run" tests/vm/run.sh --no-build "$opt" "$k"
		cp "build/vm/$k-$run/results.tap" "$res/0$n-vm-$k-$run.tap" 2>/dev/null ||
			echo "not ok - $k $run: VM run produced no results" > "$res/0$n-vm-$k-$run.tap"
		n=$((n + 1))
	done
}

# 4b. unload under load, in a VM on single-threaded TCG: multi-threaded
#     TCG can run stale code after text patching (tests/vm/ftrace-toggle.sh),
#     which every insmod and rmmod does while the stress tests run.
vm_runs unload --unload-stress

# 4c. the file hooks through the ftrace callback (avfence.direct=0), as
#     when ftrace refuses their direct calls: the file tests again.
vm_runs nodirect --no-direct

# 4d. this tree's avfencectl against the module of the last release before
#     subject tables, as after an upgrade until the next boot: the loads
#     fall back to nests (ctl_test, open_test, label_test).
vm_runs compat --compat

# 4e. measurement and attestation with a software TPM (swtpm, tpm-tis):
#     measure_test and tpm_test, which locks the fence last.
vm_runs tpm --tpm

# 5. deployment: make install, Debian packages and lintian, DKMS against
#    every kernel's installed headers, dpkg install/remove/purge, and a VM
#    booted with the installed layout (tests/deploy/run.sh writes the items).
stage "0$n-deploy" tests/deploy/run.sh --tap "$res/0$n-deploy.tap"
rc=$?
[ -s "$res/0$n-deploy.tap" ] ||
	item "$res/0$n-deploy.tap" 1 "deploy: tests/deploy/run.sh produced no results (exit $rc)"

n=$((n + 1))

# 6. a real Debian host (issue 16): the image from stage 3b booted with
#    systemd on every kernel at once (tests/host/run.sh), ClamAV fenced,
#    the Ansible role, deputies, upgrades, a reboot, remove and purge.
if [ -n "$host_img" ]; then
	wait "$host_img"
	echo "=== 0$n-host: image built in $(cat "$res/host-image.seconds" 2>/dev/null) s (in the background), exit $(cat "$res/host-image.rc" 2>/dev/null)"
	if [ "$(cat "$res/host-image.rc" 2>/dev/null)" = 0 ]; then
		item "$res/0$n-host.tap" 0 "host: image built (tests/host/image.sh, $(cat "$res/host-image.seconds") s)"
		stage "0$n-host" tests/host/run.sh --no-image "${kvers[@]}"
		for k in "${kvers[@]}"; do
			cat "build/host/$k/results.tap" 2>/dev/null ||
				echo "not ok - $k host: no results (build/host/$k/)"
		done >> "$res/0$n-host.tap"
	else
		tail -n 20 "$res/host-image.log"
		item "$res/0$n-host.tap" 1 "host: image built (tests/host/image.sh; build/results/host-image.log)"
	fi
else
	echo "ok - host: real Debian host test # SKIP AVF_CHECK_HOST=0" > "$res/0$n-host.tap"
fi

echo
exec python3 scripts/summarize.py "$res"
