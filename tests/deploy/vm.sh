#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Deployment VM test: boot KVER with the installed file layout and show
# the fence in force before a subject binary starts.
#
#   tests/deploy/vm.sh KVER
#
# The initramfs is filled by the installer itself (scripts/install.sh, what
# `make install` runs) with DESTDIR=<initramfs>: the module goes to
# /lib/modules/KVER/updates/avfence.ko and `depmod -b` indexes it, so that
# `modprobe avfence` finds it; avfence-load, avfence.service's script, goes
# to /usr/libexec/avfence/.  /etc/avfence/policy.conf is the test policy
# (written first: the installer keeps an existing one).  tests/deploy/init
# runs avfence-load start, then the subject for the first time.  A second
# boot with lockdown=integrity checks that an unsigned module is refused
# loudly.
#
# Uses what `make check` built: build/kmod/KVER/avfence.ko (AVF_KO),
# userspace/avfencectl.static (AVF_AVFENCECTL), build/kselftest/probe.
# Output: TAP items on stdout and in build/deploy/vm-KVER/results.tap.
# Exit status 0 if all passed.
set -uo pipefail

top=$(cd "$(dirname "$0")/../.." && pwd)
kver=${1:?usage: $0 KVER}
kdir="$top/build/kernels/$kver"
out="$top/build/deploy/vm-$kver"
rm -rf "$out" && mkdir -p "$out"
tap="$out/results.tap"
: > "$tap"
item() { echo "$1" | tee -a "$tap"; }
fail_setup() { item "not ok - $kver: deploy VM setup: $*"; exit 1; }

# The module: AVF_KO, else the one `make check` built, else the one the
# deploy stage's DKMS run built (tests/deploy/run.sh).
ko=${AVF_KO:-$top/build/kmod/$kver/avfence.ko}
dkms_ko=$top/build/deploy/dkms/root/lib/modules/$kver/updates/dkms/avfence.ko
if [ -z "${AVF_KO:-}" ] && [ ! -f "$ko" ]; then
	if [ -f "$dkms_ko" ]; then
		ko=$dkms_ko
	elif [ -f "$dkms_ko.xz" ]; then
		xz -dc "$dkms_ko.xz" > "$out/avfence.ko" && ko=$out/avfence.ko
	fi
fi
ctl=${AVF_AVFENCECTL:-$top/userspace/avfencectl.static}
probe=${AVF_PROBE:-$top/build/kselftest/probe}
[ -f "$kdir/vmlinuz" ] || fail_setup "no kernel $kver in build/kernels (make deps)"
[ -f "$ko" ] || fail_setup "no $ko (scripts/kmod-build.sh $kver)"
[ -x "$ctl" ] || fail_setup "no $ctl (make -C userspace static)"
[ -x "$probe" ] || fail_setup "no $probe (make -C tests/kselftest)"

root="$out/initramfs"
mkdir -p "$root"/{bin,sbin,dev,proc,sys,tmp,run,srv,opt/av/bin,opt/deploy,etc/avfence}
cp /bin/busybox "$root/bin/busybox"
cp "$top/tests/deploy/init" "$root/init" && chmod 0755 "$root/init"
cp "$probe" "$root/opt/av/bin/scanner"
cp "$top/debian/avfence-dkms.prerm" "$root/opt/deploy/avfence-dkms.prerm"
cat > "$root/etc/avfence/policy.conf" <<'POLICY'
# deployment test policy (tests/deploy/vm.sh)
levels UNCLASSIFIED OFFICIAL SECRET TOP-SECRET
default UNCLASSIFIED
mode enforce
subject /opt/av/bin/scanner OFFICIAL write=/tmp
POLICY
cp "$root/etc/avfence/policy.conf" "$out/policy.conf.test"

# The installed layout, by the installer.
export DESTDIR=$root PREFIX=/usr AVFENCE_KO=$ko AVFENCECTL_BIN=$ctl
{ sh "$top/scripts/install.sh" module && sh "$top/scripts/install.sh" tools; } > "$out/install.log" 2>&1 ||
	{ cat "$out/install.log"; fail_setup "scripts/install.sh failed"; }
unset DESTDIR PREFIX AVFENCE_KO AVFENCECTL_BIN
cat "$out/install.log"
if cmp -s "$root/etc/avfence/policy.conf" "$out/policy.conf.test"; then
	item "ok - $kver: installer kept the existing /etc/avfence/policy.conf"
else
	item "not ok - $kver: installer kept the existing /etc/avfence/policy.conf"
fi
for f in modules.order modules.builtin modules.builtin.modinfo; do
	if [ -f "$kdir/modules/$f" ]; then cp "$kdir/modules/$f" "$root/lib/modules/$kver/"; else : > "$root/lib/modules/$kver/$f"; fi
done
depmod -b "$root" "$kver" || fail_setup "depmod -b failed"
# busybox's modprobe reads /lib/modules/KVER/modules.dep (text).
(cd "$root" && find . | LC_ALL=C sort | cpio -o -H newc --quiet -R 0:0) > "$out/initrd.cpio"

boot() { # boot NAME EXTRA-APPEND
	local name=$1 append="console=ttyS0 no_timer_check panic=-1 oops=panic AVF_DEPLOY=$1 $2"
	: > "$out/$name.raw"
	timeout -k 10 "${AVF_TIMEOUT:-600}" \
		qemu-system-x86_64 -accel tcg,thread=single -cpu max -smp 2 -m 512 \
		-nographic -no-reboot \
		-kernel "$kdir/vmlinuz" -initrd "$out/initrd.cpio" -append "$append" \
		-serial mon:stdio -serial "file:$out/$name.raw" \
		< /dev/null > "$out/$name.console" 2>&1
	local rc=$?
	tr -d '\r' < "$out/$name.raw" > "$out/$name.log"
	sed -n '/^AVF-DMESG-BEGIN/,/^AVF-DMESG-END/p' "$out/$name.log" | grep -v '^AVF-' | sed 's/^/# /'
	grep -E '^(not )?ok ' "$out/$name.log" | sed "s/^\(\(not \)\{0,1\}ok\) - /\1 - $kver: /" | tee -a "$tap"
	grep -E '^# ' "$out/$name.log" >&2
	if ! grep -q '^AVF-END' "$out/$name.log"; then
		item "not ok - $kver: deploy VM ($name) did not finish (qemu exit $rc; see $out/$name.console)"
	fi
}
boot main ""
boot lockdown "lockdown=integrity"

! grep -q '^not ok' "$tap" && grep -q '^ok' "$tap"
