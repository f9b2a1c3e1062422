#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# avfence benchmark: boot each kernel in qemu (TCG, one CPU, deterministic
# clock with -icount shift=0,sleep=off) and print the table.
#
#   tests/bench/run.sh [KVER...]      default: every kernel of build/kernels/list
#
# Each kernel boots twice: once with the instruction-count clock (the
# figures the targets are judged on) and once more without -icount, for the
# wall-time medians printed beside them (TCG wall time is noisy, ~4%).
#
# Environment: BENCH_ROUNDS (5), BENCH_N (2000 iterations per loop),
# BENCH_WALL_ROUNDS (3 rounds of the wall-time boot), BENCH_WALL=0 (no
# wall-time boot), BENCH_ICOUNT=0 (only one boot, on wall time),
# BENCH_TIMEOUT (seconds per VM, 1800), BENCH_QUICK=1 (while iterating:
# only the noload, untagged and tagged phases and the fuse rows, no peers,
# no scale rows).
# Output: build/bench/KVER/{raw.txt,table.txt} (the table with the wall-time
# columns), build/bench/KVER-wall/{raw.txt,table.txt}.  A benchmark, not a
# test: targets are reported, never asserted.
#
# Peer fapolicyd: Debian's package, fetched here (apt-get download, cached in
# build/fapolicyd, unpacked, never installed); the daemon and the host's
# copies of the shared libraries it needs (scripts/deps.sh installs them)
# go into the initramfs at their own paths.  Without them the case is
# skipped, with an AVFB-ERROR line saying why.
set -euo pipefail

top=$(cd "$(dirname "$0")/../.." && pwd)
here="$top/tests/bench"
kvers=("$@")
[ ${#kvers[@]} -gt 0 ] || mapfile -t kvers < "$top/build/kernels/list"
icount=${BENCH_ICOUNT:-1}
wall=${BENCH_WALL:-1}
[ "$icount" = 1 ] || wall=0
rounds=${BENCH_ROUNDS:-5}
n=${BENCH_N:-2000}

mkdir -p "$top/build/bench"
gcc -static -O2 -Wall -Wextra -o "$top/build/bench/bench.$$" "$here/bench.c"
mv "$top/build/bench/bench.$$" "$top/build/bench/bench"
make -s -C "$top/userspace" static

fap="$top/build/fapolicyd"
# Prints why the fapolicyd peer cannot be measured, nothing if it can.
fap_fetch() {
	local missing
	if [ ! -x "$fap/root/usr/sbin/fapolicyd" ]; then
		rm -rf "$fap" && mkdir -p "$fap"
		if ! (cd "$fap" && apt-get download -q fapolicyd) > "$fap/download.log" 2>&1; then
			echo "cannot download the fapolicyd package: $(grep -v '^W:' "$fap/download.log" | tail -n1)"
			return
		fi
		dpkg -x "$fap"/fapolicyd_*.deb "$fap/root" 2>> "$fap/download.log" ||
			{ echo "cannot unpack $(cd "$fap" && echo fapolicyd_*.deb)"; return; }
	fi
	missing=$(ldd "$fap/root/usr/sbin/fapolicyd" 2>&1 | awk '/not found/ { printf "%s ", $1 }') ||
		{ echo "ldd $fap/root/usr/sbin/fapolicyd failed"; return; }
	[ -z "$missing" ] || { echo "libraries of fapolicyd not on this host: ${missing}(scripts/deps.sh)"; return; }
	[ -f /usr/share/misc/magic.mgc ] || echo "no /usr/share/misc/magic.mgc (libmagic-mgc, scripts/deps.sh)"
}
# The daemon, its libraries and the dynamic loader (as ldd resolves them on
# the host, at the same paths), its magic files and configuration: runs as
# root (uid/gid 0), watches tmpfs (the benchmark's /bench), trust backend
# "file" with an empty trust file.  tests/bench/init writes the rules.
fap_install() {
	local r=$1 lib
	install -D -m 755 "$fap/root/usr/sbin/fapolicyd" "$r/usr/sbin/fapolicyd"
	for lib in $(ldd "$fap/root/usr/sbin/fapolicyd" | grep -o '/[^ ]*'); do
		install -D -m 755 "$(readlink -f "$lib")" "$r$lib"
	done
	install -D -m 644 "$fap/root/usr/share/fapolicyd/fapolicyd-magic.mgc" \
		"$r/usr/share/fapolicyd/fapolicyd-magic.mgc"
	install -D -m 644 "$(readlink -f /usr/share/misc/magic.mgc)" "$r/usr/share/misc/magic.mgc"
	mkdir -p "$r/etc/fapolicyd/trust.d" "$r/var/lib/fapolicyd" "$r/run/fapolicyd"
	: > "$r/etc/fapolicyd/fapolicyd.trust"
	cat > "$r/etc/fapolicyd/fapolicyd.conf" <<-EOF
	# avfence benchmark (tests/bench/run.sh): Debian's defaults but uid/gid,
	# watch_fs, trust and the reports.
	permissive = 0
	nice_val = 14
	q_size = 640
	uid = 0
	gid = 0
	do_stat_report = 1
	detailed_report = 0
	db_max_size = 50
	subj_cache_size = 1549
	obj_cache_size = 8191
	watch_fs = tmpfs
	trust = file
	integrity = none
	syslog_format = rule,dec,perm,auid,pid,exe,:,path,ftype,trust
	rpm_sha256_only = 0
	allow_filesystem_mark = 0
	EOF
	chmod 644 "$r/etc/fapolicyd/fapolicyd.conf"
}
fap_skip=$(fap_fetch) || fap_skip="cannot fetch the fapolicyd package"
[ -z "$fap_skip" ] || echo "bench: fapolicyd peer not measured: $fap_skip" >&2

# boot OUT ICOUNT ROUNDS: run the initramfs OUT/initrd.cpio, raw output in
# OUT/raw.clean.
boot() {
	local out=$1 ic=$2 r=$3 qargs=(-accel tcg -cpu max -smp 1 -m 1024) start
	[ "$ic" = 1 ] && qargs+=(-icount shift=0,sleep=off)
	mkdir -p "$out"
	echo "bench[$kver]: qemu-system-x86_64 ${qargs[*]} ... ($r rounds)" >&2
	start=$(date +%s)
	timeout -k 10 "${BENCH_TIMEOUT:-1800}" qemu-system-x86_64 "${qargs[@]}" \
		-nographic -no-reboot -kernel "$kdir/vmlinuz" -initrd "$initrd" \
		-append "console=ttyS0 no_timer_check quiet panic=-1 BENCH_ROUNDS=$r BENCH_N=$n BENCH_QUICK=${BENCH_QUICK:-0}" \
		-serial mon:stdio -serial "file:$out/raw.txt" \
		< /dev/null > "$out/console.log" 2>&1 || true
	echo "bench[$kver]: VM done after $(( $(date +%s) - start ))s" >&2
	tr -d '\r' < "$out/raw.txt" > "$out/raw.clean"
}

for kver in "${kvers[@]}"; do
	kdir="$top/build/kernels/$kver"
	[ -f "$kdir/vmlinuz" ] || { echo "bench: no kernel $kver (make deps)" >&2; exit 2; }
	out="$top/build/bench/$kver"
	[ "$icount" = 1 ] || out="$out-wall"
	root="$out/initramfs"
	rm -rf "$out" && mkdir -p "$root"/{bin,sbin,dev,proc,sys,tmp,etc/avfence,opt/av/bin,lib/modules}
	# The module, built in a private copy of kmod/ (build/kmod/KVER belongs
	# to the VM suite, which may be running).
	"$top/scripts/kmod-tree.sh" "$out/src"
	make -C "$kdir/build" M="$out/src" modules > "$out/kmod-build.log" 2>&1 ||
		{ cat "$out/kmod-build.log" >&2; exit 1; }
	cp /bin/busybox "$root/bin/busybox"
	cp "$here/init" "$root/init"
	cp "$out/src/kmod/avfence.ko" "$root/lib/modules/avfence.ko"
	# What udev loads at boot by the CPU's features (a cpu: modalias,
	# 6.1 and 6.12 alike): the kernel's SHA-256 in AVX2/SHA-NI, sha256_ssse3.
	# The policy digest uses it when loaded (kmod/policy.c).
	for m in "$kdir"/modules/kernel/arch/x86/crypto/sha256-ssse3.ko*; do
		[ -f "$m" ] || continue
		if modinfo -F alias "$m" | grep -q '^cpu:type:x86'; then
			case $m in
			*.xz) xz -dc "$m" ;;
			*) cat "$m" ;;
			esac > "$root/lib/modules/sha256-ssse3.ko"
		fi
	done
	# FUSE for the "fuse" rows: a module on 6.1, built in on 6.12.
	for m in "$kdir"/modules/kernel/fs/fuse/fuse.ko*; do
		[ -f "$m" ] || continue
		case $m in
		*.xz) xz -dc "$m" ;;
		*) cat "$m" ;;
		esac > "$root/lib/modules/fuse.ko"
	done
	cp "$top/userspace/avfencectl.static" "$root/bin/avfencectl"
	cp "$top/build/bench/bench" "$root/bin/bench"
	cp "$top/build/bench/bench" "$root/opt/av/bin/avbench"
	if [ -z "$fap_skip" ]; then
		fap_install "$root"
	else
		echo "$fap_skip" > "$root/etc/fapolicyd.skip"
	fi
	(cd "$root" && find . | LC_ALL=C sort | cpio -o -H newc --quiet -R 0:0) > "$out/initrd.cpio"
	initrd="$out/initrd.cpio"

	boot "$out" "$icount" "$rounds"
	clock=$([ "$icount" = 1 ] && echo icount || echo wall)
	if [ "$wall" = 1 ]; then
		rm -rf "$out-wall"
		boot "$out-wall" 0 "${BENCH_WALL_ROUNDS:-3}"
		python3 "$here/report.py" --kver "$kver" --clock wall "$out-wall/raw.clean" \
			> "$out-wall/table.txt" || true
		python3 "$here/report.py" --kver "$kver" --clock "$clock" \
			--wall "$out-wall/raw.clean" "$out/raw.clean" | tee "$out/table.txt"
	else
		python3 "$here/report.py" --kver "$kver" --clock "$clock" \
			"$out/raw.clean" | tee "$out/table.txt"
	fi
done
