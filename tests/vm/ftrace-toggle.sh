#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Does qemu's TCG survive live kernel text patching?  Without avfence.
#
#   tests/vm/ftrace-toggle.sh [--single] KVER [CYCLES]
#
# Boots KVER (a line of build/kernels/list) with a minimal busybox
# initramfs in which two shells open a tmpfs file in a loop (and fork for
# every second open) while /init switches the kernel's own function tracer
# on and off CYCLES times (default 300) on security_file_open and
# security_task_alloc: the same instruction rewriting (text_poke with
# int3) that every avfence insmod and rmmod does.  --single runs qemu with
# one host thread for both vCPUs (-accel tcg,thread=single).
#
# Prints "completed N cycles" or "LOCKED UP after about N cycles" and the
# first soft-lockup RIP; exits 0 if the cycles completed, 1 if not.
# With qemu 7.2's multi-threaded TCG, the kernel's tracer alone has locked
# up here (RIP security_file_open+0x0 with a NOP in memory: a vCPU keeps
# executing the int3 it translated before the patch completed); see
# Documentation/testing.rst.  This is why the unload stress tests run in
# the single-threaded pass of make check.
set -euo pipefail

top=$(cd "$(dirname "$0")/../.." && pwd)
accel=tcg
if [ "${1:-}" = --single ]; then
	accel=tcg,thread=single
	shift
fi
[ $# -ge 1 ] || { echo "usage: $0 [--single] KVER [CYCLES]" >&2; exit 2; }
kver=$1
cycles=${2:-300}
kdir="$top/build/kernels/$kver"
[ -f "$kdir/vmlinuz" ] || { echo "$0: no kernel $kver (make deps)" >&2; exit 2; }

work="$top/build/vm/ftrace-toggle-$kver-$$"
rm -rf "$work" && mkdir -p "$work/root/"{bin,dev,proc,sys,tmp}
cp "$(command -v busybox)" "$work/root/bin/busybox"
cat > "$work/root/init" <<'EOF'
#!/bin/busybox sh
/bin/busybox --install -s /bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
mount -t tmpfs tmpfs /tmp
mount -t tracefs nodev /sys/kernel/tracing
t=/sys/kernel/tracing
echo hi > /tmp/f
for w in 1 2; do
	(while :; do cat /tmp/f > /dev/null; (cat /tmp/f > /dev/null); done) &
done
echo 'security_file_open security_task_alloc' > $t/set_ftrace_filter
echo function > $t/current_tracer
# The tracer works on exactly these two functions, or nothing is shown.
[ "$(cat $t/current_tracer)" = function ] &&
	[ "$(grep -c . $t/enabled_functions)" = 2 ] && echo XTRACING > /dev/console
echo nop > $t/current_tracer
i=0
while [ $i -lt "$XN" ]; do
	echo function > $t/current_tracer
	sleep 0.05
	echo nop > $t/current_tracer
	sleep 0.05
	i=$((i + 1))
	[ $((i % 25)) = 0 ] && echo "XCYCLE $i" > /dev/console
done
echo "XDONE $i" > /dev/console
poweroff -f
EOF
chmod +x "$work/root/init"
(cd "$work/root" && find . | cpio -o -H newc --quiet -R 0:0) > "$work/initrd.cpio"

# About 1 s per cycle under load is plenty; a lockup never ends by itself.
set +e
timeout -k 5 $((cycles * 2 + 60)) qemu-system-x86_64 -accel "$accel" -cpu max \
	-smp 2 -m 512 -nographic -no-reboot -kernel "$kdir/vmlinuz" \
	-initrd "$work/initrd.cpio" \
	-append "console=ttyS0 no_timer_check panic=-1 XN=$cycles" \
	< /dev/null > "$work/console.log" 2>&1
set -e
if ! grep -aq "^XTRACING" "$work/console.log"; then
	echo "$kver ($accel): the function tracer could not be set up" \
		"(console: $work/console.log)"
	exit 2
fi
if grep -aq "^XDONE $cycles" "$work/console.log"; then
	echo "$kver ($accel): completed $cycles cycles"
	exit 0
fi
last=$(grep -a '^XCYCLE' "$work/console.log" | tail -1 | cut -d' ' -f2)
echo "$kver ($accel): LOCKED UP after about ${last:-0} cycles" \
	"($(grep -ac 'soft lockup' "$work/console.log") soft-lockup reports;" \
	"console: $work/console.log)"
grep -a -m1 'RIP: 0010' "$work/console.log" || true
exit 1
