#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Boot one Debian kernel in qemu (TCG) with avfence and the kselftests.
#
#   tests/vm/run.sh [--demo] [--no-build] [--unload-stress] [--tpm] [--no-direct] [--compat] KVER
#
# KVER is a line of build/kernels/list.  Builds kmod/avfence.ko against
# build/kernels/KVER/build, the static kselftests and avfencectl, packs an
# initramfs (busybox-static, the module, the kernel's own modules from
# modules.list, the test binaries), boots it and turns the serial output
# into TAP items in build/vm/KVER/results.tap (printed too).
#
# Exit status: 0 if every item passed, 1 otherwise.
# --unload-stress: the unload stress pass of make check: only unload_test
# and unload_load_test, with AVF_UNLOAD_STRESS=1, on single-threaded TCG
# (multi-threaded TCG can run stale code after live text patching:
# tests/vm/ftrace-toggle.sh), results in build/vm/KVER-unload.
# --tpm: boot with a software TPM (swtpm, tpm-tis) and tpm2-tools in the
# initramfs; runs measure_test and tpm_test (last: it locks) on the module
# loaded at boot (AVF_KEEP_MODULE=1), results in build/vm/KVER-tpm.  Needs swtpm and tpm2-tools (scripts/deps.sh).
# --no-direct: the module loaded with direct=0 (the file hooks through the
# ftrace callback, as when ftrace refuses their direct calls); runs the file
# tests (open, cache, attack_fd, race, label) and checks that the kernel log
# says so; results in build/vm/KVER-nodirect.
# --compat: this tree's avfencectl and tests against the module of the last
# release before subject tables (AVF_COMPAT_REV, default stop 24's 35a8ed3,
# built from git history into build/compat/KVER), as after an upgrade until
# the next boot: every load's first table is refused and avfencectl sends
# the subjects again as nests.  Runs ctl_test, open_test and label_test;
# results in build/vm/KVER-compat.  A clone without that commit gets a SKIP.
# --no-build: use what is built (build/kmod/KVER/avfence.ko from
# scripts/kmod-build.sh, build/kselftest, userspace/avfencectl.static).
#
# Environment: AVF_TIMEOUT (seconds for the VM, default 900),
# AVF_TESTS (comma-separated test names, default all), AVF_VERBOSE=1 (print
# the kernel console), AVF_KO (use this avfence.ko instead of building),
# AVF_UNLOAD_STRESS=1 (run the skipped unload stress tests), AVF_GUEST_ENV
# ("KEY=val ..." words for the tests' environment), AVF_TCG_THREAD=multi
# (qemu's multi-threaded TCG instead of the default, single: one host
# thread for both vCPUs; see Documentation/testing.rst),
# AVF_RUN=NAME (results in build/vm/KVER-NAME, items named "KVER NAME"),
# AVF_VM_MEM (MiB of guest RAM, default 768: the uncompressed initramfs,
# about 155 MB with the TPM tools, is unpacked into RAM, and 512 MiB
# failed at 158.6 MB on 6.12: "Initramfs unpacking failed: write error").
set -euo pipefail

top=$(cd "$(dirname "$0")/../.." && pwd)
here="$top/tests/vm"
mode=test
build=1
tpm=0
compat=0
expect_log=
while [ $# -gt 0 ]; do
	case "$1" in
	--demo) mode=demo; shift ;;
	--no-build) build=0; shift ;;
	--unload-stress)
		export AVF_RUN=unload AVF_TCG_THREAD=single AVF_UNLOAD_STRESS=1
		export AVF_TESTS=unload_test,unload_load_test
		shift ;;
	--tpm)
		tpm=1
		export AVF_RUN=tpm
		export AVF_TESTS=${AVF_TESTS:-measure_test,tpm_test}
		# one module for the whole boot: a reload starts a new log that
		# no longer replays to the PCR (as it should)
		export AVF_GUEST_ENV="${AVF_GUEST_ENV:-} AVF_KEEP_MODULE=1"
		shift ;;
	--no-direct)
		# The file hooks through the ftrace callback, as when ftrace
		# refuses the direct calls (another one holds the function).
		export AVF_RUN=nodirect
		export AVF_TESTS=${AVF_TESTS:-open_test,cache_test,attack_fd_test,race_test,label_test}
		export AVF_GUEST_ENV="${AVF_GUEST_ENV:-} AVF_INSMOD_ARGS=direct=0"
		expect_log="through the ftrace callback (direct=0)"
		shift ;;
	--compat)
		compat=1
		export AVF_RUN=compat
		export AVF_TESTS=${AVF_TESTS:-ctl_test,open_test,label_test}
		shift ;;
	-*) echo "usage: $0 [--demo] [--no-build] [--unload-stress] [--tpm] [--no-direct] [--compat] KVER" >&2; exit 2 ;;
	*) break ;;
	esac
done
[ $# -eq 1 ] || { echo "usage: $0 [--demo] [--no-build] [--unload-stress] [--tpm] [--no-direct] [--compat] KVER" >&2; exit 2; }
kver=$1
kdir="$top/build/kernels/$kver"
[ -f "$kdir/vmlinuz" ] || { echo "run.sh: no kernel $kver in build/kernels (make deps)" >&2; exit 2; }

out="$top/build/vm/$kver${AVF_RUN:+-$AVF_RUN}"
[ "$mode" = demo ] && out="$top/build/vm/$kver-demo"
root="$out/initramfs"
# One run per kernel at a time: runs share build/vm/KVER and build/kmod/KVER.
mkdir -p "$top/build/vm"
. "$top/scripts/one-at-a-time.sh"
one_at_a_time "$top/build/vm/$kver.lock" \
	"run.sh[$kver]: waiting for another run on this kernel"
rm -rf "$out" && mkdir -p "$out"

log() { echo "run.sh[$kver]: $*" >&2; }
fail_setup() {
	# A setup failure is a failed item of this kernel, not a crash.
	echo "not ok - $kver: VM setup: $*" | tee "$out/results.tap"
	exit 1
}

# --- build ------------------------------------------------------------------
ko="${AVF_KO:-}"
if [ "$compat" = 1 ]; then
	rev=${AVF_COMPAT_REV:-35a8ed39e51b159d58b059312acd0192a4f92ba1}
	if ! git -C "$top" cat-file -e "$rev^{commit}" 2> /dev/null; then
		echo "ok - $kver compat: the module of $rev # SKIP $rev is not in this clone's history" |
			tee "$out/results.tap"
		exit 0
	fi
	cdir="$top/build/compat/$kver"
	"$top/scripts/kmod-tree.sh" "$cdir" "$rev"
	! grep -q AVFENCE_A_SUBJECT_TABLE "$cdir/kmod/uapi/avfence.h" ||
		fail_setup "the module of $rev knows subject tables: not an older one"
	make -C "$kdir/build" M="$cdir" modules > "$cdir/build.log" 2>&1 ||
		fail_setup "the module of $rev did not build: $cdir/build.log"
	ko="$cdir/kmod/avfence.ko"
fi
if [ -z "$ko" ]; then
	ko="$top/build/kmod/$kver/avfence.ko"
	if [ "$build" = 1 ]; then
		"$top/scripts/kmod-build.sh" "$kver" || fail_setup "module build failed"
	fi
fi
[ -f "$ko" ] || fail_setup "no $ko"
modinfo -F vermagic "$ko" | grep -q "^$kver " ||
	fail_setup "$ko is not built for $kver ($(modinfo -F vermagic "$ko"))"
if [ "$build" = 1 ]; then
	make -s -C "$top/tests/kselftest" > "$out/build-kselftest.log" 2>&1 ||
		{ cat "$out/build-kselftest.log" >&2; fail_setup "kselftest build failed"; }
	if [ -f "$top/userspace/Makefile" ]; then
		make -s -C "$top/userspace" static > "$out/build-avfencectl.log" 2>&1 ||
			{ cat "$out/build-avfencectl.log" >&2; log "avfencectl static build failed"; }
	fi
fi

# --- initramfs --------------------------------------------------------------
mkdir -p "$root"/{bin,sbin,dev,proc,sys,tmp,etc/avfence,opt/av/bin,opt/tests,lib/modules/extra}
cp /bin/busybox "$root/bin/busybox"
cp "$here/init" "$root/init"
cp "$here/demo.sh" "$root/opt/demo.sh" 2>/dev/null || true
cp "$ko" "$root/lib/modules/avfence.ko"

# The kernel's own modules, dependencies first, decompressed for busybox.
# The image package ships no modules.dep: follow modinfo's depends field.
mods="$kdir/modules"
: > "$root/lib/modules/extra/order"
add_module() {
	local name=$1 path dep
	grep -qx "$name.ko" "$root/lib/modules/extra/order" && return 0
	path=$(find "$mods/kernel" -name "$name.ko*" -print -quit)
	if [ -z "$path" ]; then
		path=$(find "$mods/kernel" -name "${name//_/-}.ko*" -print -quit)
	fi
	if [ -z "$path" ]; then
		grep -qE "/($name|${name//_/-})\.ko" "$mods/modules.builtin" 2>/dev/null ||
			log "module $name not found, skipped"
		return 0
	fi
	for dep in $(modinfo -F depends "$path" | tr ',' ' '); do
		add_module "$dep"
	done
	case "$path" in
	*.xz) xz -dc "$path" > "$root/lib/modules/extra/$name.ko" ;;
	*.zst) zstd -qdc "$path" > "$root/lib/modules/extra/$name.ko" ;;
	*.gz) gzip -dc "$path" > "$root/lib/modules/extra/$name.ko" ;;
	*) cp "$path" "$root/lib/modules/extra/$name.ko" ;;
	esac
	echo "$name.ko" >> "$root/lib/modules/extra/order"
}
for want in $(grep -v '^#' "$here/modules.list"); do
	add_module "$want"
done

# The test-only helper module (capable_test), built for this kernel in a
# private copy; capable_test fails without it.  --no-build (make check's
# VM stages) builds it too when it is missing: make check's build stage
# does not, and a clean clone has none.
cap="$top/build/captest/$kver"
if [ "$build" = 1 ] || [ ! -f "$cap/avf_captest.ko" ]; then
	rm -rf "$cap" && mkdir -p "$cap" && cp "$here/captest/"* "$cap/"
	make -C "$kdir/build" M="$cap" modules > "$cap/build.log" 2>&1 ||
		log "avf_captest.ko did not build (capable_test will fail): $cap/build.log"
fi
if [ -f "$cap/avf_captest.ko" ]; then
	cp "$cap/avf_captest.ko" "$root/lib/modules/extra/"
	echo avf_captest.ko >> "$root/lib/modules/extra/order"
fi

# avfencectl: static build from userspace/.
if [ -f "$top/userspace/avfencectl.static" ]; then
	cp "$top/userspace/avfencectl.static" "$root/bin/avfencectl"
else
	log "userspace/avfencectl.static missing: tests that load policies will fail"
fi
[ -f "$top/policy/example.conf" ] && cp "$top/policy/example.conf" "$root/etc/avfence/"

# copy_tools FROM TO NAME...: FROM/NAME into the initramfs at TO/NAME, with
# the shared libraries ldd finds for them and the dynamic loader.
copy_tools() {
	local from=$1 to=$2 b libs
	shift 2
	mkdir -p "$root$to" "$root/lib/x86_64-linux-gnu" "$root/lib64"
	for b in "$@"; do
		cp "$from/$b" "$root$to/$b"
		libs=$(ldd "$from/$b" || true)
		case "$libs" in
		*"not found"*) log "$b: some libraries not found (make deps): $libs" ;;
		esac
		echo "$libs" | sed -n 's/.*=> \(\/[^ ]*\) .*/\1/p'
	done | sort -u | while read -r lib; do
		cp -L "$lib" "$root/lib/x86_64-linux-gnu/"
	done
	cp -L /lib64/ld-linux-x86-64.so.2 "$root/lib64/"
}

# Debian's audit tools for audit_test, with their libraries and loader, if
# scripts/deps.sh unpacked them (audit_test skips otherwise).
aud="$top/build/auditd/root"
if [ -x "$aud/sbin/auditd" ] && [ -x "$aud/sbin/ausearch" ]; then
	copy_tools "$aud/sbin" /sbin auditd auditctl ausearch
else
	log "no build/auditd (make deps): audit_test will skip"
fi

# Debian's NFS server tools (rpc.nfsd, rpc.mountd, exportfs) with their
# libraries, if scripts/deps.sh unpacked them, for share_test's NFS export
# over loopback (it skips its NFS fixture otherwise).  NFSv4 only: no
# rpcbind; mountd still answers the kernel's export cache upcalls.
nfs="$top/build/nfs/root"
if [ -x "$nfs/usr/sbin/rpc.nfsd" ] && [ -x "$nfs/usr/sbin/rpc.mountd" ]; then
	mkdir -p "$root/var/lib/nfs"
	copy_tools "$nfs/usr/sbin" /usr/sbin rpc.nfsd rpc.mountd exportfs
	# libtirpc's transports
	cp /etc/netconfig "$root/etc/netconfig"
else
	log "no build/nfs (make deps): share_test's NFS fixture will skip"
fi

# Samba's smbd and smbpasswd with their libraries (samba's private ones
# too), if scripts/deps.sh unpacked them, for share_test's SMB shares over
# loopback (its smb fixture skips otherwise).  smbpasswd and smbd look
# root and the guest account (nobody) up in /etc/passwd and /etc/group:
# smbd does not start without a guest account.
smb="$top/build/smb/root"
if [ -x "$smb/usr/sbin/smbd" ] && [ -x "$smb/usr/bin/smbpasswd" ]; then
	smblib="$smb/usr/lib/x86_64-linux-gnu"
	LD_LIBRARY_PATH="$smblib:$smblib/samba" copy_tools "$smb/usr/sbin" /usr/sbin smbd
	LD_LIBRARY_PATH="$smblib:$smblib/samba" copy_tools "$smb/usr/bin" /usr/bin smbpasswd
	[ -f "$root/etc/passwd" ] || printf '%s\n' "root:x:0:0:root:/:/bin/sh" \
		"nobody:x:65534:65534:nobody:/:/bin/false" > "$root/etc/passwd"
	[ -f "$root/etc/group" ] || printf '%s\n' "root:x:0:" "nogroup:x:65534:" \
		> "$root/etc/group"
else
	log "no build/smb (make deps): share_test's SMB fixture will skip"
fi

# Test binaries.  The probe is the subject binary (/opt/av/bin/scanner) and,
# as a separate file, an untagged twin (/bin/avprobe).
ks="$top/build/kselftest"
if [ -f "$ks/probe" ]; then
	cp "$ks/probe" "$root/opt/av/bin/scanner"
	cp "$ks/probe" "$root/bin/avprobe"
fi
make -s -C "$top/tests/kselftest" list > "$root/opt/tests/list"
while read -r t; do
	[ -f "$ks/$t" ] && cp "$ks/$t" "$root/opt/tests/$t"
done < "$root/opt/tests/list"

# tpm2-tools (one multi-call binary) with its libraries and the TCTI it
# loads at run time, for tpm_test and avfencectl attest/verify.
if [ "$tpm" = 1 ]; then
	command -v swtpm > /dev/null || fail_setup "--tpm: swtpm missing (make deps)"
	[ -x /usr/bin/tpm2 ] || fail_setup "--tpm: tpm2-tools missing (make deps)"
	mkdir -p "$root/lib/x86_64-linux-gnu" "$root/lib64"
	cp /usr/bin/tpm2 "$root/bin/tpm2"
	for t in createek createak evictcontrol pcrread quote checkquote \
		 flushcontext pcrextend pcrevent pcrreset; do
		ln -sf tpm2 "$root/bin/tpm2_$t"
	done
	{ ldd /usr/bin/tpm2 | sed -n 's/.*=> \(\/[^ ]*\) .*/\1/p'
	  ls /usr/lib/x86_64-linux-gnu/libtss2-tcti-device.so.0; } |
	sort -u | while read -r lib; do
		cp -L "$lib" "$root/lib/x86_64-linux-gnu/"
	done
	cp -L /lib64/ld-linux-x86-64.so.2 "$root/lib64/"
fi

(cd "$root" && find . | LC_ALL=C sort | cpio -o -H newc --quiet -R 0:0) > "$out/initrd.cpio"

# --- boot -------------------------------------------------------------------
append="console=ttyS0 no_timer_check panic=-1 oops=panic slub_debug=FZPU kfence.sample_interval=100"
append="$append AVF_MODE=$mode"
[ -n "${AVF_TESTS:-}" ] && append="$append AVF_TESTS=$AVF_TESTS"
# Switches for the tests themselves reach them through /init's environment.
[ -n "${AVF_UNLOAD_STRESS:-}" ] && append="$append AVF_UNLOAD_STRESS=$AVF_UNLOAD_STRESS"
[ -n "${AVF_GUEST_ENV:-}" ] && append="$append $AVF_GUEST_ENV"
accel=tcg
case "${AVF_TCG_THREAD:-single}" in
single) accel=tcg,thread=single; append="$append AVF_TCG_THREAD=single" ;;
multi) ;;
*) echo "run.sh: AVF_TCG_THREAD must be single or multi" >&2; exit 2 ;;
esac
tpm_args=()
if [ "$tpm" = 1 ]; then
	# A fresh TPM per boot: its PCRs start at zero, as after a reboot.
	mkdir -p "$out/tpm"
	swtpm socket --tpm2 --tpmstate dir="$out/tpm" \
		--ctrl type=unixio,path="$out/tpm/sock" \
		--pid file="$out/tpm/pid" --log file="$out/tpm/log" \
		--terminate --daemon || fail_setup "swtpm did not start"
	tpm_args=(-chardev "socket,id=chrtpm,path=$out/tpm/sock"
		  -tpmdev emulator,id=tpm0,chardev=chrtpm
		  -device tpm-tis,tpmdev=tpm0)
fi
: > "$out/results.raw"
log "booting ($mode)"
start=$(date +%s%N)
set +e
timeout -k 10 "${AVF_TIMEOUT:-900}" \
	qemu-system-x86_64 -accel "$accel" -cpu max -smp 2 -m "${AVF_VM_MEM:-768}" \
	-nographic -no-reboot \
	-kernel "$kdir/vmlinuz" -initrd "$out/initrd.cpio" -append "$append" \
	-serial mon:stdio -serial "file:$out/results.raw" "${tpm_args[@]}" \
	< /dev/null > "$out/console.log" 2>&1
qrc=$?
# swtpm --terminate ends with qemu's connection; make sure of it.
if [ "$tpm" = 1 ] && [ -f "$out/tpm/pid" ]; then
	kill "$(cat "$out/tpm/pid")" 2>/dev/null || true
fi
set -e
end=$(date +%s%N)
ms=$(( (end - start) / 1000000 ))
secs=$((ms / 1000)).$(printf %03d $((ms % 1000)))
log "VM exited rc=$qrc after ${secs}s"
echo "$secs" > "$out/boot-seconds"
[ "${AVF_VERBOSE:-0}" = 1 ] && cat "$out/console.log" >&2

if [ "$mode" = demo ]; then
	tr -d '\r' < "$out/results.raw" | sed -n '/^AVF-DEMO-END/q;/^AVF-INSMOD/,$p' | grep -v '^AVF-'
	grep -q '^AVF-DEMO-END rc=0' <(tr -d '\r' < "$out/results.raw")
	exit $?
fi

prc=0
python3 "$here/parse.py" --kver "$kver${AVF_RUN:+ $AVF_RUN}" --qemu-rc "$qrc" \
	--expect "${AVF_TESTS:-$(tr '\n' ',' < "$root/opt/tests/list")}" \
	${expect_log:+--expect-log "$expect_log"} \
	"$out/results.raw" "$out/console.log" > "$out/results.tap" || prc=$?
cat "$out/results.tap"
exit $prc
