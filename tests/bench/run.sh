#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# avfence benchmark: boot each kernel in qemu (TCG, one CPU, deterministic
# clock with -icount shift=0,sleep=off) and print the table.
#
#   tests/bench/run.sh [KVER...]      default: every kernel of build/kernels/list
#
# Environment: BENCH_ROUNDS (5), BENCH_N (2000 iterations per loop),
# BENCH_ICOUNT=0 (wall time instead of the instruction-count clock),
# BENCH_TIMEOUT (seconds per VM, 1800).
# Output: build/bench/KVER[-wall]/{raw.txt,table.txt}.  A benchmark, not a
# test: targets are reported, never asserted.
set -euo pipefail

top=$(cd "$(dirname "$0")/../.." && pwd)
here="$top/tests/bench"
kvers=("$@")
[ ${#kvers[@]} -gt 0 ] || mapfile -t kvers < "$top/build/kernels/list"
icount=${BENCH_ICOUNT:-1}

mkdir -p "$top/build/bench"
gcc -static -O2 -Wall -Wextra -o "$top/build/bench/bench.$$" "$here/bench.c"
mv "$top/build/bench/bench.$$" "$top/build/bench/bench"
make -s -C "$top/userspace" static

for kver in "${kvers[@]}"; do
	kdir="$top/build/kernels/$kver"
	[ -f "$kdir/vmlinuz" ] || { echo "bench: no kernel $kver (make deps)" >&2; exit 2; }
	out="$top/build/bench/$kver"
	[ "$icount" = 1 ] || out="$out-wall"
	root="$out/initramfs"
	rm -rf "$out" && mkdir -p "$root"/{bin,sbin,dev,proc,sys,tmp,etc/avfence,opt/av/bin,lib/modules}
	# The module, built in a private copy of kmod/ (build/kmod/KVER belongs
	# to the VM suite, which may be running).
	mkdir -p "$out/kmod"
	(cd "$top/kmod" && find . \( -name '*.[ch]' -o -name Kbuild -o -name Makefile -o -name '*.include' \) \
		! -name '*.mod.c' -print0 | cpio -0pdm --quiet "$out/kmod")
	make -C "$out/kmod" KDIR="$kdir/build" > "$out/kmod-build.log" 2>&1 ||
		{ cat "$out/kmod-build.log" >&2; exit 1; }
	cp /bin/busybox "$root/bin/busybox"
	cp "$here/init" "$root/init"
	cp "$out/kmod/avfence.ko" "$root/lib/modules/avfence.ko"
	cp "$top/userspace/avfencectl.static" "$root/bin/avfencectl"
	cp "$top/build/bench/bench" "$root/bin/bench"
	cp "$top/build/bench/bench" "$root/opt/av/bin/avbench"
	(cd "$root" && find . | LC_ALL=C sort | cpio -o -H newc --quiet -R 0:0) > "$out/initrd.cpio"

	qargs=(-accel tcg -cpu max -smp 1 -m 1024)
	[ "$icount" = 1 ] && qargs+=(-icount shift=0,sleep=off)
	append="console=ttyS0 quiet panic=-1 BENCH_ROUNDS=${BENCH_ROUNDS:-5} BENCH_N=${BENCH_N:-2000}"
	echo "bench[$kver]: qemu-system-x86_64 ${qargs[*]} ... (${BENCH_ROUNDS:-5} rounds)" >&2
	start=$(date +%s)
	timeout -k 10 "${BENCH_TIMEOUT:-1800}" qemu-system-x86_64 "${qargs[@]}" \
		-nographic -no-reboot -kernel "$kdir/vmlinuz" -initrd "$out/initrd.cpio" \
		-append "$append" -serial mon:stdio -serial "file:$out/raw.txt" \
		< /dev/null > "$out/console.log" 2>&1 || true
	echo "bench[$kver]: VM done after $(( $(date +%s) - start ))s" >&2
	tr -d '\r' < "$out/raw.txt" > "$out/raw.clean"
	python3 "$here/report.py" --kver "$kver" --clock "$([ "$icount" = 1 ] && echo icount || echo wall)" \
		"$out/raw.clean" | tee "$out/table.txt"
done
