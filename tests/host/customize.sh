#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# mmdebstrap --customize-hook of tests/host/image.sh: what any booted
# Debian test host needs.  ROOT is $1.  The test itself (units, policy,
# fixtures) is layer 2: tests/host/guest/, copied in by image.sh.
set -e
root=$1
echo avf-host > "$root/etc/hostname"
printf '127.0.0.1 localhost\n127.0.1.1 avf-host\n' > "$root/etc/hosts"
printf 'LABEL=avf-root / ext4 defaults,errors=remount-ro 0 1\n' > "$root/etc/fstab"
# root logs in on the console without a password (a test VM, no network).
chroot "$root" passwd -d root > /dev/null
# No network, no updates: nothing that waits for one.
for u in apt-daily.timer apt-daily-upgrade.timer man-db.timer e2scrub_all.timer \
	fstrim.timer systemd-networkd-wait-online.service clamav-freshclam.service; do
	chroot "$root" systemctl mask "$u" > /dev/null 2>&1 || true
done
