#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The real Debian host of tests/host/run.sh (issue 16): a Debian 12 system
# image with systemd, ClamAV, auditd, cron, at, sudo, ansible-core, dkms,
# build-essential and the image + headers of every kernel of
# build/kernels/list, and the project's own packages installed in it with
# apt, so that the DKMS hook builds avfence.ko in the chroot for both
# kernels (native speed: never in the TCG guest).
#
#   tests/host/image.sh [--debs DIR]
#
# Two layers, each cached under build/host/:
#  1. base-KEY/: mmdebstrap of bookworm from this host's apt sources;
#     KEY hashes the kernel list, the package list and
#     tests/host/customize.sh.  Rebuilt only when one of them changes.
#  2. disk-KEY2.raw: a copy of the base, the avfence .debs (built here with
#     dpkg-buildpackage from a copy of the tree, or taken from --debs DIR)
#     installed with apt-get in a chroot, tests/host/guest/ and the policy
#     placed; then one ext4 image (mkfs.ext4 -d) holding both kernels, and
#     each kernel's vmlinuz + initrd copied out to boot it directly.
#     KEY2 adds the hashes of the .debs, the policy and tests/host/guest.
# Prints the path of the disk image on the last line of stdout.
set -euo pipefail

top=$(cd "$(dirname "$0")/../.." && pwd)
w="$top/build/host"
mkdir -p "$w"
debs_dir=
while [ $# -gt 0 ]; do
	case "$1" in
	--debs) debs_dir=$2; shift 2 ;;
	*) echo "usage: $0 [--debs DIR]" >&2; exit 2 ;;
	esac
done
exec 8> "$w/.image.lock"
flock 8
log="$w/image.log"
note() { echo "# image: $*" >&2; }

mapfile -t kvers < <(cat "$top/build/kernels/list")
[ ${#kvers[@]} -gt 0 ] || { echo "image.sh: build/kernels/list names no kernel (make deps)" >&2; exit 1; }
[ "$(id -u)" = 0 ] || { echo "image.sh: needs root (mmdebstrap, chroot, mkfs)" >&2; exit 1; }
for t in mmdebstrap mkfs.ext4 qemu-img dpkg-buildpackage; do
	command -v "$t" > /dev/null || { echo "image.sh: $t missing (scripts/deps.sh installs it)" >&2; exit 1; }
done

pkgs="systemd-sysv dbus udev kmod initramfs-tools zstd ca-certificates
      dkms build-essential openssl cron at auditd sudo attr procps iproute2
      clamav clamav-daemon clamdscan ansible-core python3 python3-apt
      libnl-3-200 libnl-genl-3-200 libgcrypt20"
for k in "${kvers[@]}"; do pkgs="$pkgs linux-image-$k linux-headers-$k"; done
pkgs=$(echo $pkgs | tr ' ' '\n' | sort -u | tr '\n' ',' | sed 's/,$//')
key=$( { echo "$pkgs"; cat "$top/tests/host/customize.sh"; } | sha256sum | cut -c1-16)
base="$w/base-$key"

# --- 1. the base system ------------------------------------------------------
if [ ! -e "$base/etc/os-release" ]; then
	rm -rf "$w"/base-*
	src=/etc/apt/sources.list.d/debian.sources
	[ -f "$src" ] || src=/etc/apt/sources.list
	note "mmdebstrap bookworm ($(echo "$pkgs" | tr ',' ' ' | wc -w) packages) -> $base"
	t0=$(date +%s)
	# Recommends off (a lean image); hooks: tests/host/customize.sh.
	if ! mmdebstrap --variant=apt --include="$pkgs" \
		--aptopt='APT::Install-Recommends "false"' \
		--customize-hook="sh '$top/tests/host/customize.sh' \"\$1\"" \
		bookworm "$base.tmp" "$src" > "$log" 2>&1; then
		tail -n 30 "$log" >&2
		rm -rf "$base.tmp"
		echo "image.sh: mmdebstrap failed (build/host/image.log)" >&2
		exit 1
	fi
	mv "$base.tmp" "$base"
	echo "$(( $(date +%s) - t0 ))" > "$w/base.seconds"
	note "base built in $(cat "$w/base.seconds") s"
else
	note "base cached: $base"
fi

# --- 2. the project's packages -----------------------------------------------
if [ -z "$debs_dir" ]; then
	debs_dir="$w/debs"
	rm -rf "$debs_dir" "$w/src" && mkdir -p "$debs_dir" "$w/src"
	(cd "$top" && tar --exclude=./build --exclude=./.git --exclude='*.o' --exclude='*.ko' \
		--exclude='*.mod.c' --exclude='*.mod' --exclude='.*.cmd' -cf - .) | tar -C "$w/src" -xf -
	note "dpkg-buildpackage -us -uc -b"
	(cd "$w/src" && dpkg-buildpackage -us -uc -b) > "$w/dpkg-buildpackage.log" 2>&1 ||
		{ tail -n 30 "$w/dpkg-buildpackage.log" >&2; echo "image.sh: dpkg-buildpackage failed" >&2; exit 1; }
	mv "$w"/avfence-dkms_*_all.deb "$w"/avfence-tools_*_amd64.deb "$debs_dir/"
	rm -f "$w"/avfence_*.changes "$w"/avfence_*.buildinfo "$w"/avfence-tools-dbgsym_*.deb
fi
ls "$debs_dir"/avfence-dkms_*.deb "$debs_dir"/avfence-tools_*.deb > /dev/null ||
	{ echo "image.sh: no avfence-dkms/avfence-tools .deb in $debs_dir" >&2; exit 1; }
key2=$( { echo "$key"; cat "$debs_dir"/avfence-*.deb "$top/policy/clamav.conf" "$top/tests/host/image.sh";
	tar -C "$top" -cf - tests/host/guest tests/host/policy-test.conf tests/host/customize.sh | cat; } |
	sha256sum | cut -c1-16)
disk="$w/disk-$key2.raw"
if [ -s "$disk" ] && [ -s "$w/boot-$key2/ok" ]; then
	note "disk cached: $disk"
	echo "$disk"
	exit 0
fi
rm -rf "$w"/disk-*.raw "$w"/boot-* "$w/root"
t0=$(date +%s)
root="$w/root"
cp -a "$base" "$root"
mounts=()
cleanup() {
	local m
	for ((i = ${#mounts[@]} - 1; i >= 0; i--)); do umount -l "${mounts[$i]}" 2>/dev/null || true; done
}
trap cleanup EXIT
for m in proc sys dev dev/pts; do
	mount --bind "/$m" "$root/$m" && mounts+=("$root/$m")
done
# No service starts in the chroot.
printf '#!/bin/sh\nexit 101\n' > "$root/usr/sbin/policy-rc.d"
chmod 0755 "$root/usr/sbin/policy-rc.d"
mkdir -p "$root/var/cache/avfence-debs"
cp "$debs_dir"/avfence-dkms_*.deb "$debs_dir"/avfence-tools_*.deb "$root/var/cache/avfence-debs/"
# The guest side of the test (tests/host/guest/: the test unit, ClamAV's
# offline settings and signature), the tagged test agent (a copy of bash)
# and the policy: ClamAV's (policy/clamav.conf) plus the test agent,
# placed before the packages are installed, as configuration management
# would (the postinst keeps it).  The test itself (tests/host/test.sh, the
# Ansible role) is on a second disk that run.sh makes for every run.
cp -a "$top/tests/host/guest/." "$root/"
cp "$root/bin/bash" "$root/usr/local/sbin/avf-agent"
mkdir -p "$root/etc/avfence" "$root/usr/local/lib/avfence-host"
cat "$top/policy/clamav.conf" "$top/tests/host/policy-test.conf" > "$root/etc/avfence/policy.conf"
echo 'LABEL=avf-test /usr/local/lib/avfence-host ext4 ro,nofail 0 0' >> "$root/etc/fstab"
# clamav-daemon again, for the upgrade check (no network in the guest).
# The image's apt lists are gone (mmdebstrap cleans them): this host's apt
# downloads the version the image has.
ver=$(chroot "$root" dpkg-query -W -f='${Version}' clamav-daemon)
(cd "$root/var/cache/avfence-debs" && apt-get download -q "clamav-daemon=$ver") > "$w/download.log" 2>&1 ||
	{ cat "$w/download.log" >&2; echo "image.sh: apt-get download clamav-daemon failed" >&2; exit 1; }
note "apt-get install avfence-dkms avfence-tools in the chroot (DKMS builds for ${kvers[*]})"
# dkms signs with a key it generates in /var/lib/dkms (dkms 3.0.10).
if ! chroot "$root" sh -c 'DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
	/var/cache/avfence-debs/avfence-dkms_*.deb /var/cache/avfence-debs/avfence-tools_*.deb' \
	> "$w/chroot-install.log" 2>&1; then
	tail -n 40 "$w/chroot-install.log" >&2
	echo "image.sh: apt-get install of the .debs in the chroot failed (build/host/chroot-install.log)" >&2
	exit 1
fi
for k in "${kvers[@]}"; do
	m=$(find "$root/lib/modules/$k/updates" -name 'avfence.ko*' 2>/dev/null | head -n1)
	[ -n "$m" ] || { grep -i -E 'dkms|error|avfence' "$w/chroot-install.log" | tail -n 20 >&2;
		echo "image.sh: DKMS built no avfence.ko for $k in the chroot" >&2; exit 1; }
	echo "$k ${m#"$root"}" >> "$w/dkms-built.txt.tmp"
done
mv "$w/dkms-built.txt.tmp" "$w/dkms-built.txt"
chroot "$root" dkms status > "$root/var/lib/avfence-host-dkms-status" 2>&1 || true
rm -f "$root/usr/sbin/policy-rc.d"
chroot "$root" systemctl enable avfence-hosttest.service >> "$log" 2>&1
cleanup
mounts=()
trap - EXIT
# Kernels and initrds, to boot with qemu -kernel/-initrd.
bootd="$w/boot-$key2"
mkdir -p "$bootd"
for k in "${kvers[@]}"; do
	cp "$root/boot/vmlinuz-$k" "$root/boot/initrd.img-$k" "$bootd/" ||
		{ echo "image.sh: no /boot/vmlinuz-$k or initrd.img-$k in the image" >&2; exit 1; }
done
note "mkfs.ext4 -d (one image, both kernels)"
size=$(( $(du -sm "$root" | cut -f1) + 1536 ))
mkfs.ext4 -q -F -L avf-root -E root_owner=0:0 -d "$root" "$disk.tmp" "${size}M" >> "$log" 2>&1 ||
	{ echo "image.sh: mkfs.ext4 -d failed" >&2; exit 1; }
mv "$disk.tmp" "$disk"
rm -rf "$root"
echo "$(( $(date +%s) - t0 ))" > "$w/disk.seconds"
echo ok > "$bootd/ok"
note "disk built in $(cat "$w/disk.seconds") s: $disk (${size} MiB)"
echo "$disk"
