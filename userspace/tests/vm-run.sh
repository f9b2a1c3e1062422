#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Boot one test kernel with avfence and run checks.sh (avfencectl end to end).
#
#   userspace/tests/vm-run.sh KVER [AVFENCE_KO]
#
# KVER is a line of build/kernels/list; AVFENCE_KO defaults to
# build/kmod/KVER/avfence.ko (scripts/kmod-build.sh).  Needs
# userspace/avfencectl.static (make -C userspace static).  Prints the
# results; exit status 0 if all passed.
set -euo pipefail

top=$(cd "$(dirname "$0")/../.." && pwd)
kver=$1
ko=${2:-$top/build/kmod/$kver/avfence.ko}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
r=$work/root
mkdir -p "$r"/{bin,sbin,dev,proc,sys,tmp,mnt,etc/avfence,lib/modules}
cp /bin/busybox "$r/bin/"
cp "$top/userspace/tests/checks.sh" "$r/checks.sh"
cp "$ko" "$r/lib/modules/avfence.ko"
cp "$top/userspace/avfencectl.static" "$r/bin/avfencectl"
cp "$top/policy/example.conf" "$r/etc/avfence/"
cat > "$r/init" <<'EOS'
#!/bin/busybox sh
/bin/busybox --install -s /bin
export PATH=/bin:/sbin
mount -t proc proc /proc; mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev; mount -t tmpfs tmpfs /tmp
insmod /lib/modules/avfence.ko
sh /checks.sh > /dev/ttyS1 2>&1
dmesg | grep avfence > /dev/ttyS1
poweroff -f
EOS
chmod +x "$r/init"
(cd "$r" && find . | cpio -o -H newc --quiet -R 0:0) > "$work/initrd"
: > "$work/out"
timeout 300 qemu-system-x86_64 -accel tcg -cpu max -smp 2 -m 512 \
	-nographic -no-reboot -kernel "$top/build/kernels/$kver/vmlinuz" \
	-initrd "$work/initrd" -append "console=ttyS0 quiet panic=-1 oops=panic" \
	-serial mon:stdio -serial "file:$work/out" < /dev/null > "$work/console" 2>&1 || true
tr -d '\r' < "$work/out"
grep -q '^vm: [0-9]* run, 0 failed' <(tr -d '\r' < "$work/out")
