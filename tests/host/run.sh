#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# A real Debian host (issue 16): `make check-host`.
#
#   tests/host/run.sh [--no-image] [KVER...]     (default: build/kernels/list)
#
# tests/host/image.sh builds (or takes from its cache) one ext4 image of
# Debian 12 with both kernels, ClamAV, auditd, cron, at, ansible-core and
# the avfence packages installed with apt (DKMS built the module in the
# chroot).  For each kernel: a qcow2 overlay on that image, qemu boots the
# image's own vmlinuz and initrd with systemd as PID 1, and the unit
# avfence-hosttest.service (tests/host/guest/) runs tests/host/test.sh
# (from a second, read-only disk) after
# multi-user.target; it reboots once, and powers off.  Its TAP items arrive on
# the second serial port: build/host/KVER/results.tap; the console is
# build/host/KVER/console.log.  No module is ever built in the guest.
#
# --no-image: use the image already built (tests/host/image.sh), so that
# only the VMs run under a VM slot:
#   tests/host/image.sh && /work/bin/vmslot tests/host/run.sh --no-image
# AVF_HOST_TIMEOUT: seconds per kernel (default 2700).  The kernels boot in
# parallel, one qemu (one host core) each; AVF_HOST_PARALLEL=0 boots them
# one after the other.  Under /work/bin/vmslot (one slot = one VM), give
# each call one KVER.
set -uo pipefail

top=$(cd "$(dirname "$0")/../.." && pwd)
w="$top/build/host"
build=1
kvers=()
while [ $# -gt 0 ]; do
	case "$1" in
	--no-image) build=0; shift ;;
	-*) echo "usage: $0 [--no-image] [KVER...]" >&2; exit 2 ;;
	*) kvers+=("$1"); shift ;;
	esac
done
[ ${#kvers[@]} -gt 0 ] || mapfile -t kvers < <(cat "$top/build/kernels/list" 2>/dev/null)
mkdir -p "$w"
t0=$(date +%s)
if [ "$build" = 1 ]; then
	disk=$("$top/tests/host/image.sh" | tail -n1) || {
		for k in "${kvers[@]}"; do echo "not ok - $k host: image build (tests/host/image.sh; build/host/image.log)"; done
		exit 1
	}
else
	disk=$(ls -t "$w"/disk-*.raw 2>/dev/null | head -n1)
	[ -n "$disk" ] || { echo "run.sh: no image: run tests/host/image.sh first" >&2; exit 1; }
fi
echo "$(( $(date +%s) - t0 ))" > "$w/image-step.seconds"
key2=${disk##*/disk-}; key2=${key2%.raw}
bootd="$w/boot-$key2"
# One kernel: its own overlay, test disk and VM.  The kernels boot in
# parallel (each qemu is one single-threaded TCG vCPU: one host core each);
# AVF_HOST_PARALLEL=0 boots them one after the other.
host_one() {
	local k=$1 out td tap t1 qrc s
	out="$w/$k"
	rm -rf "$out" && mkdir -p "$out"
	tap="$out/results.tap"
	# The test disk (LABEL=avf-test, mounted read-only on
	# /usr/local/lib/avfence-host): the test, its flags, the policy the Ansible
	# role places and the role itself.  Made for every run: a change to the
	# test does not rebuild the image.
	td="$out/testdisk"
	rm -rf "$td" "$out/test.raw" && mkdir -p "$td"
	cp "$top/tests/host/test.sh" "$top/tests/host/flags" "$td/"
	cp -a "$top/contrib/ansible" "$td/ansible"
	cat "$top/policy/clamav.conf" "$top/tests/host/policy-test.conf" > "$td/policy.conf"
	mkfs.ext4 -q -F -L avf-test -d "$td" "$out/test.raw" 32M > /dev/null 2>&1 ||
		{ echo "not ok - $k host: mkfs.ext4 of the test disk" > "$tap"; return 1; }
	qemu-img create -q -f qcow2 -b "$disk" -F raw "$out/overlay.qcow2" ||
		{ echo "not ok - $k host: qcow2 overlay" > "$tap"; return 1; }
	t1=$(date +%s)
	# Single-threaded TCG (KERNEL-FACTS.md); no network; the guest reboots
	# once (qemu boots the same -kernel again), then powers off.  nowatchdog:
	# on a loaded host the TCG vCPU is starved for tens of seconds, which
	# the soft-lockup detector reports as "BUG: soft lockup ... [init:1]"
	# (seen in the initramfs, before the module was loaded).  For the same
	# reason no RCU stall warnings and no hung-task reports: a starved
	# vCPU is neither, and either would print a "Call Trace" (a red CI
	# for load).  The busybox VM suite keeps both detectors on.
	timeout -k 10 "${AVF_HOST_TIMEOUT:-2700}" \
		qemu-system-x86_64 -accel tcg,thread=single -cpu max -smp 1 -m 2048 \
		-display none -monitor none -nic none \
		-kernel "$bootd/vmlinuz-$k" -initrd "$bootd/initrd.img-$k" \
		-append "root=/dev/vda rw console=ttyS0 quiet systemd.show_status=0 panic=-1 nowatchdog rcupdate.rcu_cpu_stall_suppress=1 sysctl.kernel.hung_task_timeout_secs=0" \
		-drive "file=$out/overlay.qcow2,if=virtio,format=qcow2,cache=unsafe" \
		-drive "file=$out/test.raw,if=virtio,format=raw,readonly=on" \
		-serial "file:$out/console.raw" -serial "file:$out/results.raw" \
		< /dev/null > "$out/qemu.log" 2>&1
	qrc=$?
	echo "$(( $(date +%s) - t1 ))" > "$out/seconds"
	tr -d '\r' < "$out/console.raw" > "$out/console.log"
	tr -d '\r' < "$out/results.raw" > "$out/results.log"
	grep -E '^(not )?ok - ' "$out/results.log" > "$tap"
	for s in 1 2; do
		grep -q "^AVF-HOST-STAGE-END $s " "$out/results.log" ||
			echo "not ok - $k host: boot $s finished (qemu exit $qrc after $(cat "$out/seconds") s; build/host/$k/console.log)" >> "$tap"
	done
	if grep -E 'Oops|BUG:|WARNING:|possible circular locking|Call Trace' "$out/console.log" > "$out/splats.txt"; then
		echo "not ok - $k host: no Oops/BUG/WARNING on the console (build/host/$k/splats.txt)" >> "$tap"
	else
		echo "ok - $k host: no Oops/BUG/WARNING on the console" >> "$tap"
	fi
	rm -f "$out/overlay.qcow2"
}

rc=0
pids=()
for k in "${kvers[@]}"; do
	if [ "${AVF_HOST_PARALLEL:-1}" = 1 ]; then
		host_one "$k" &
		pids+=($!)
	else
		host_one "$k"
	fi
done
for p in "${pids[@]}"; do wait "$p"; done
for k in "${kvers[@]}"; do
	out="$w/$k"
	[ -s "$out/results.tap" ] || echo "not ok - $k host: no results (build/host/$k/)" >> "$out/results.tap"
	grep -E '^# ' "$out/results.log" 2>/dev/null
	echo "# $k host: $(cat "$out/seconds" 2>/dev/null) s in qemu"
	cat "$out/results.tap"
	grep '^not ok - ' "$out/results.tap" | grep -qv '# TODO' && rc=1
done
echo "# host: $(( $(date +%s) - t0 )) s in all (image step $(cat "$w/image-step.seconds") s)"
exit $rc
