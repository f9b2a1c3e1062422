#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# `make install` / `make uninstall` / `make dkms-src`, and the file layout of
# the avfence-tools Debian package (debian/rules runs `tools`).
#
#   scripts/install.sh module     kmod/avfence.ko to /lib/modules/<kver>/updates/,
#                                 then depmod (not with DESTDIR)
#   scripts/install.sh tools      avfencectl, man pages, avfence-load, the
#                                 systemd unit, the initial policy and
#                                 /etc/default/avfence (existing ones kept)
#   scripts/install.sh uninstall  remove what module and tools installed;
#                                 configuration in /etc is kept
#   scripts/install.sh dkms-src DIR   the DKMS source tree: DIR/dkms.conf, DIR/kmod/
#
# Environment (make passes its variables): DESTDIR, PREFIX (/usr), SBINDIR,
# LIBEXECDIR, MANDIR, DATADIR, SYSCONFDIR (/etc), UNITDIR
# (/lib/systemd/system), MODDIR (/lib/modules), KVER (default: the kernel
# kmod/avfence.ko was built for), AVFENCE_KO (default kmod/avfence.ko),
# AVFENCECTL_BIN (install this avfencectl instead of building userspace/).
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
DESTDIR=${DESTDIR:-}
PREFIX=${PREFIX:-/usr}
SBINDIR=${SBINDIR:-$PREFIX/sbin}
LIBEXECDIR=${LIBEXECDIR:-$PREFIX/libexec}
MANDIR=${MANDIR:-$PREFIX/share/man}
DATADIR=${DATADIR:-$PREFIX/share}
SYSCONFDIR=${SYSCONFDIR:-/etc}
UNITDIR=${UNITDIR:-/lib/systemd/system}
MODDIR=${MODDIR:-/lib/modules}
ko=${AVFENCE_KO:-$top/kmod/avfence.ko}

say() { echo "install: $*"; }

module_kver() {
	if [ -n "${KVER:-}" ]; then echo "$KVER"; return; fi
	[ -f "$ko" ] || { echo "install: no $ko: run make KDIR=... first" >&2; exit 1; }
	modinfo -F vermagic "$ko" | cut -d' ' -f1
}

# keep_or_install SRC DST MODE: install SRC as DST unless DST exists.
keep_or_install() {
	if [ -e "$2" ]; then
		say "kept existing $2 (new version not installed)"
	else
		install -D -m "$3" "$1" "$2"
		say "installed $2"
	fi
}

case "${1:-}" in
module)
	kver=$(module_kver)
	[ -n "$kver" ] || { echo "install: cannot read the kernel version of $ko" >&2; exit 1; }
	install -D -m 0644 "$ko" "$DESTDIR$MODDIR/$kver/updates/avfence.ko"
	say "installed $DESTDIR$MODDIR/$kver/updates/avfence.ko"
	if [ -z "$DESTDIR" ]; then
		depmod -a "$kver"
		say "depmod -a $kver done: modprobe avfence loads it"
	else
		say "DESTDIR is set: depmod skipped (on the target: depmod -a $kver)"
	fi
	;;
tools)
	if [ -n "${AVFENCECTL_BIN:-}" ]; then
		# A prebuilt avfencectl (the static one, for the test VM).
		install -D -m 0755 "$AVFENCECTL_BIN" "$DESTDIR$SBINDIR/avfencectl"
		install -D -m 0644 "$top/userspace/avfencectl.8" "$DESTDIR$MANDIR/man8/avfencectl.8"
	else
		make -s -C "$top/userspace" install DESTDIR="$DESTDIR" SBINDIR="$SBINDIR" MANDIR="$MANDIR"
	fi
	install -D -m 0644 "$top/systemd/avfence-load.8" "$DESTDIR$MANDIR/man8/avfence-load.8"
	install -d "$DESTDIR$LIBEXECDIR/avfence" "$DESTDIR$UNITDIR"
	sed "s|AVFENCECTL:-avfencectl}|AVFENCECTL:-$SBINDIR/avfencectl}|" \
		"$top/systemd/avfence-load" > "$DESTDIR$LIBEXECDIR/avfence/avfence-load"
	chmod 0755 "$DESTDIR$LIBEXECDIR/avfence/avfence-load"
	sed "s|/usr/libexec/avfence/|$LIBEXECDIR/avfence/|g" \
		"$top/systemd/avfence.service" > "$DESTDIR$UNITDIR/avfence.service"
	chmod 0644 "$DESTDIR$UNITDIR/avfence.service"
	install -D -m 0644 "$top/systemd/policy.conf" "$DESTDIR$DATADIR/avfence/policy.conf"
	keep_or_install "$top/systemd/policy.conf" "$DESTDIR$SYSCONFDIR/avfence/policy.conf" 0644
	keep_or_install "$top/systemd/default" "$DESTDIR$SYSCONFDIR/default/avfence" 0644
	say "installed avfencectl, avfence-load, avfence.service (enable: systemctl daemon-reload; systemctl enable avfence)"
	;;
uninstall)
	for f in "$SBINDIR/avfencectl" "$MANDIR/man8/avfencectl.8" "$MANDIR/man8/avfence-load.8" \
		"$LIBEXECDIR/avfence/avfence-load" "$UNITDIR/avfence.service" \
		"$DATADIR/avfence/policy.conf"; do
		rm -f "$DESTDIR$f"
	done
	rmdir "$DESTDIR$LIBEXECDIR/avfence" "$DESTDIR$DATADIR/avfence" 2>/dev/null || true
	kver=${KVER:-}
	if [ -z "$kver" ] && [ -f "$ko" ]; then
		kver=$(modinfo -F vermagic "$ko" | cut -d' ' -f1)
	fi
	kver=${kver:-$(uname -r)}
	if [ -e "$DESTDIR$MODDIR/$kver/updates/avfence.ko" ]; then
		rm -f "$DESTDIR$MODDIR/$kver/updates/avfence.ko"
		if [ -z "$DESTDIR" ]; then depmod -a "$kver"; fi
		say "removed $DESTDIR$MODDIR/$kver/updates/avfence.ko"
	fi
	say "kept $DESTDIR$SYSCONFDIR/avfence/policy.conf and $DESTDIR$SYSCONFDIR/default/avfence (remove them by hand)"
	[ -d /sys/module/avfence ] && [ -z "$DESTDIR" ] &&
		say "the avfence module is still loaded: rmmod avfence (refused once locked)"
	exit 0
	;;
dkms-src)
	dst=${2:?usage: $0 dkms-src DIR}
	ver=$(sed -n 's/^PACKAGE_VERSION="\(.*\)"$/\1/p' "$top/dkms.conf")
	rm -rf "$dst" && mkdir -p "$dst/kmod/uapi"
	install -m 0644 "$top/dkms.conf" "$dst/dkms.conf"
	install -m 0644 "$top/Kbuild" "$dst/Kbuild"
	for f in "$top"/kmod/*.c "$top"/kmod/*.h "$top/kmod/Kbuild" "$top/kmod/Makefile"; do
		case "$f" in *.mod.c) continue ;; esac
		install -m 0644 "$f" "$dst/kmod/"
	done
	install -m 0644 "$top/kmod/uapi/avfence.h" "$dst/kmod/uapi/"
	say "DKMS source tree of avfence $ver in $dst (dkms add $dst, or copy it to /usr/src/avfence-$ver)"
	;;
*)
	echo "usage: $0 module|tools|uninstall|dkms-src DIR" >&2
	exit 2
	;;
esac
