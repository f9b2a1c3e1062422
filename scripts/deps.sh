#!/bin/bash
# Install everything the build and the VM test suite need on a Debian 12 host,
# and fetch Debian's own kernel images and headers for the supported kernels.
# Idempotent: what is already there is not fetched again.
#
# Output: build/kernels/<kver>/{vmlinuz,modules/,build -> headers}
#         build/kernels/list   one <kver> per line (6.1 first, then 6.12)
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
kdir="$top/build/kernels"
mkdir -p "$kdir"

# Meta packages name the current kernel of each series, so the harness
# follows Debian's updates without edits here.
METAS=${AVF_KERNEL_METAS:-"linux-headers-amd64 linux-headers-6.12-amd64"}

# swtpm and tpm2-tools: the TPM VM tests (tests/vm/run.sh --tpm) and
# avfencectl attest/verify, which run tpm2-tools.
# mmdebstrap, qemu-utils, dkms, dh-dkms, debhelper: the Debian host image of
# tests/host/ (make check-host) and the packages of tests/deploy/.
# The last line: the shared libraries of fapolicyd, whose package
# tests/bench/run.sh fetches itself and copies with these into the
# benchmark VM (without them it skips its fapolicyd peer).
PKGS="build-essential pkg-config libnl-3-dev libnl-genl-3-dev libgcrypt20-dev nettle-dev
      swtpm swtpm-tools tpm2-tools
      qemu-system-x86 busybox-static cpio xz-utils kmod attr rsync
      linux-source-6.1 python3 sparse cppcheck clang libclang-rt-dev
      mmdebstrap qemu-utils e2fsprogs dkms dh-dkms debhelper
      libaudit1 libauparse0 libcap-ng0 libwrap0 libgssapi-krb5-2
      liblmdb0 libmagic1 libmagic-mgc libseccomp2 libssl3 libudev1
      libtirpc3 libtirpc-common libnsl2 libblkid1 libuuid1"

need_apt=0
for p in $PKGS $METAS; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || need_apt=1
done
if [ "$need_apt" = 1 ]; then
	if [ "$(id -u)" != 0 ]; then
		echo "deps.sh: missing packages and not root; run as root: $0" >&2
		exit 1
	fi
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -q
	# shellcheck disable=SC2086
	apt-get install -y -q --no-install-recommends $PKGS $METAS
fi

: > "$kdir/list.new"
for meta in $METAS; do
	hdr=$(apt-cache depends "$meta" | sed -n 's/^ *Depends: \(linux-headers-.*-amd64\)$/\1/p' | head -n1)
	[ -n "$hdr" ] || { echo "deps.sh: cannot resolve $meta" >&2; exit 1; }
	kver=${hdr#linux-headers-}
	echo "$kver" >> "$kdir/list.new"
	dst="$kdir/$kver"
	if [ ! -f "$dst/vmlinuz" ]; then
		rm -rf "$dst.tmp" && mkdir -p "$dst.tmp"
		(cd "$dst.tmp" && apt-get download -q "linux-image-$kver-unsigned" >/dev/null)
		dpkg -x "$dst.tmp"/linux-image-*.deb "$dst.tmp/root"
		mkdir -p "$dst"
		cp "$dst.tmp/root/boot/vmlinuz-$kver" "$dst/vmlinuz"
		rm -rf "$dst/modules"
		mv "$dst.tmp/root/lib/modules/$kver" "$dst/modules"
		rm -rf "$dst.tmp"
	fi
	ln -sfn "/usr/src/linux-headers-$kver" "$dst/build"
done
mv "$kdir/list.new" "$kdir/list"

# kselftest harness and checkpatch come from Debian's linux-source-6.1, and
# what building the kselftests the kernel's way needs (tests/kselftest/
# in-tree.sh): the selftests Makefile, lib.mk, the runner and installer,
# scripts/subarch.include and merge_config.sh.
ks="$top/build/linux-tools"
if [ ! -f "$ks/tools/testing/selftests/kselftest_harness.h" ] ||
   [ ! -f "$ks/tools/testing/selftests/kselftest/runner.sh" ]; then
	rm -rf "$ks" && mkdir -p "$ks"
	tar -C "$ks" --strip-components=1 -xf /usr/src/linux-source-6.1.tar.xz \
		--wildcards '*/tools/testing/selftests/kselftest_harness.h' \
		'*/tools/testing/selftests/kselftest.h' \
		'*/tools/testing/selftests/Makefile' \
		'*/tools/testing/selftests/lib.mk' \
		'*/tools/testing/selftests/kselftest_install.sh' \
		'*/tools/testing/selftests/run_kselftest.sh' \
		'*/tools/testing/selftests/gen_kselftest_tar.sh' \
		'*/tools/testing/selftests/kselftest/*' \
		'*/scripts/subarch.include' '*/scripts/kconfig/merge_config.sh' \
		'*/scripts/checkpatch.pl' '*/scripts/spelling.txt' \
		'*/scripts/const_structs.checkpatch'
fi
# Debian's auditd, auditctl and ausearch for the VM's audit_test: unpacked
# here, never installed (the host's own audit trail stays untouched).  The
# libraries they need are in PKGS above.
aud="$top/build/auditd"
if [ ! -x "$aud/root/sbin/ausearch" ]; then
	rm -rf "$aud" && mkdir -p "$aud"
	(cd "$aud" && apt-get download -q auditd >/dev/null 2>&1) ||
		{ echo "deps.sh: cannot download the auditd package" >&2; exit 1; }
	dpkg -x "$aud"/auditd_*.deb "$aud/root"
fi
# Debian's NFS server tools (rpc.nfsd, rpc.mountd, exportfs) for the VM's
# share_test (an NFS export mounted over loopback inside the VM): unpacked
# here, never installed (no NFS server on the host).  Their libraries are
# in PKGS above.
nfs="$top/build/nfs"
if [ ! -x "$nfs/root/usr/sbin/rpc.mountd" ]; then
	rm -rf "$nfs" && mkdir -p "$nfs"
	(cd "$nfs" && apt-get download -q nfs-kernel-server >/dev/null 2>&1) ||
		{ echo "deps.sh: cannot download the nfs-kernel-server package" >&2; exit 1; }
	dpkg -x "$nfs"/nfs-kernel-server_*.deb "$nfs/root"
fi

# Samba's smbd and smbpasswd with the Samba libraries they need, for the
# VM's share_test (SMB shares over loopback inside the VM): unpacked here,
# never installed (no SMB server on the host).  Their system libraries are
# the host's (ldd in tests/vm/run.sh reports any missing).
smb="$top/build/smb"
if [ ! -x "$smb/root/usr/sbin/smbd" ] || [ ! -x "$smb/root/usr/bin/smbpasswd" ]; then
	rm -rf "$smb" && mkdir -p "$smb"
	(cd "$smb" && apt-get download -q samba samba-libs samba-common-bin \
		libwbclient0 libtalloc2 libtevent0 libtdb1 libldb2 >/dev/null 2>&1) ||
		{ echo "deps.sh: cannot download the samba packages" >&2; exit 1; }
	for deb in "$smb"/*.deb; do
		dpkg -x "$deb" "$smb/root"
	done
fi

echo "deps.sh: kernels: $(tr '\n' ' ' < "$kdir/list")"
