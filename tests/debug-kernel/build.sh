#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Build the avfence debug kernel (KASAN, KFENCE, lockdep with PROVE_LOCKING and
# PROVE_RCU, DEBUG_ATOMIC_SLEEP, ...) from Debian's linux-source-6.1 and lay it
# out like the kernels of scripts/deps.sh, so tests/vm/run.sh boots it:
#
#   build/kernels/<release>/{vmlinuz,modules/,build}    release = 6.1.N-avfdebug
#   build/kernels/debug-release                          the release string
#
# It is NOT added to build/kernels/list (which drives `make check`); use
# `make check-debug` (tests/debug-kernel/check.sh).
#
#   tests/debug-kernel/build.sh [--kcsan] [-j N]
#
# Configuration: `make defconfig` + tests/debug-kernel/config.  Every "=y"
# (or value) line of the fragment must survive olddefconfig, else the build
# stops before compiling.  Timing goes to build/debug-kernel/build-seconds.
#
# --kcsan builds the data-race kernel instead: config-kcsan merged after
# config (its lines win), release 6.1.N-avfkcsan, work tree
# build/debug-kernel-kcsan, release string in build/kernels/kcsan-release.
set -euo pipefail

top=$(cd "$(dirname "$0")/../.." && pwd)
here="$top/tests/debug-kernel"
variant=debug
fragments="$here/config"
if [ "${1:-}" = --kcsan ]; then
	variant=kcsan
	fragments="$fragments $here/config-kcsan"
	shift
fi
work="$top/build/debug-kernel"
[ "$variant" = debug ] || work="$work-$variant"
src="$work/linux-source-6.1"
obj="$work/obj"
tar=${AVF_LINUX_SOURCE:-/usr/src/linux-source-6.1.tar.xz}
jobs=$(nproc)
[ "${1:-}" = -j ] && { jobs=$2; shift 2; }

log() { echo "debug-kernel: $*" >&2; }

# Host tools a kernel build needs beyond build-essential.
need=""
for p in linux-source-6.1 flex bison bc libelf-dev libssl-dev; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || need="$need $p"
done
if [ -n "$need" ]; then
	[ "$(id -u)" = 0 ] || { log "missing packages:$need (run as root)"; exit 1; }
	export DEBIAN_FRONTEND=noninteractive
	apt-get install -y -q --no-install-recommends $need >&2 ||
		{ apt-get update -q && apt-get install -y -q --no-install-recommends $need >&2; }
fi
[ -f "$tar" ] || { log "no $tar (apt-get install linux-source-6.1)"; exit 1; }

mkdir -p "$work"
stamp="$work/source.stamp"
want_stamp="$(stat -c '%s %Y' "$tar")"
if [ ! -f "$src/Makefile" ] || [ "$(cat "$stamp" 2>/dev/null)" != "$want_stamp" ]; then
	log "unpacking $tar"
	rm -rf "$src" "$obj"
	tar -C "$work" -xJf "$tar"
	echo "$want_stamp" > "$stamp"
fi

# One fragment of every symbol's last line (a later fragment wins).
# shellcheck disable=SC2086
awk '/^CONFIG_[A-Za-z0-9_]*=/ { sym = $0; sub(/=.*/, "", sym) }
     /^# CONFIG_[A-Za-z0-9_]* is not set/ { sym = $2 }
     sym != "" { if (!(sym in line)) order[n++] = sym; line[sym] = $0; sym = "" }
     END { for (i = 0; i < n; i++) print line[order[i]] }' $fragments > "$work/fragment"

t0=$(date +%s)
mkdir -p "$obj"
make -s -C "$src" O="$obj" defconfig > "$work/config.log" 2>&1
"$src/scripts/kconfig/merge_config.sh" -m -O "$obj" "$obj/.config" "$work/fragment" >> "$work/config.log" 2>&1
make -s -C "$src" O="$obj" olddefconfig >> "$work/config.log" 2>&1

# Check the fragment took effect.
bad=0
while IFS= read -r line; do
	case "$line" in
	CONFIG_*=*)
		grep -qxF "$line" "$obj/.config" || { log "config: wanted '$line', got '$(grep "^${line%%=*}=" "$obj/.config" || echo unset)'"; bad=1; }
		;;
	"# CONFIG_"*" is not set")
		sym=${line#\# }; sym=${sym%% *}
		grep -q "^$sym=" "$obj/.config" && log "config: note: $sym could not be disabled (selected by something else)"
		;;
	esac
done < "$work/fragment"
[ "$bad" = 0 ] || { log "config fragment did not apply (see $work/config.log)"; exit 1; }

log "building with -j$jobs (log: $work/build.log)"
if ! make -C "$src" O="$obj" -j"$jobs" bzImage modules > "$work/build.log" 2>&1; then
	tail -n 40 "$work/build.log" >&2
	log "kernel build failed"
	exit 1
fi
rel=$(make -s -C "$src" O="$obj" kernelrelease)

kdir="$top/build/kernels/$rel"
rm -rf "$kdir" "$work/modinst"
mkdir -p "$kdir"
make -s -C "$src" O="$obj" INSTALL_MOD_PATH="$work/modinst" modules_install > "$work/modinst.log" 2>&1
mv "$work/modinst/lib/modules/$rel" "$kdir/modules"
rm -f "$kdir/modules/build" "$kdir/modules/source"
mkdir -p "$kdir/modules/kernel"
cp "$obj/arch/x86/boot/bzImage" "$kdir/vmlinuz"
cp "$obj/.config" "$kdir/config"
ln -sfn "$obj" "$kdir/build"
echo "$rel" > "$top/build/kernels/$variant-release"
secs=$(( $(date +%s) - t0 ))
echo "$secs" > "$work/build-seconds"
log "built $rel in ${secs}s (configure+compile+install, -j$jobs on $(nproc) CPUs)"
echo "$rel"
