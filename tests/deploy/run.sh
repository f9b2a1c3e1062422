#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Deployment tests (issue 5), the "deploy" stage of `make check`:
#
#   tests/deploy/run.sh [--tap FILE] [--no-dpkg] [--no-vm]
#
#  1. versions: dkms.conf, kmod/common.h and debian/changelog agree
#  2. make install / uninstall with DESTDIR and PREFIX=/usr: the layout,
#     an existing policy kept, configuration kept on uninstall, and
#     `modprobe -d DESTDIR` resolving avfence to updates/
#  3. systemd-analyze verify of the installed avfence.service
#  4. dpkg-buildpackage -us -uc -b: avfence-dkms and avfence-tools; lintian
#     with no error; the packages' contents
#  5. DKMS from the avfence-dkms package: dkms add/build/install against the
#     installed headers of every kernel of build/kernels/list, in a private
#     DKMS tree (--dkmstree/--sourcetree/--installtree, --no-depmod) and
#     with a throw-away signing key, so the host's DKMS state is not touched
#  6. install (apt-get install ./x.deb), remove (configuration kept) and
#     purge (configuration gone) of both packages on this host (root only; skipped, with the
#     reason, if avfence is already installed or with --no-dpkg)
#  7. tests/deploy/vm.sh for every kernel: a VM booted with the installed
#     layout (--no-vm skips it)
#
# The tests work on a copy of the source tree in build/deploy/src
# (AVF_DEPLOY_SRC=DIR: copy DIR instead), so the packaging's `clean` and
# builds never touch the working tree.  Items are TAP ("ok - ...",
# "not ok - ...", "ok - ... # SKIP why") on stdout and in FILE.
set -uo pipefail

top=$(cd "$(dirname "$0")/../.." && pwd)
tapfile=/dev/null
dpkg_test=1
vm_test=1
while [ $# -gt 0 ]; do
	case "$1" in
	--tap) tapfile=$2; shift 2 ;;
	--no-dpkg) dpkg_test=0; shift ;;
	--no-vm) vm_test=0; shift ;;
	*) echo "usage: $0 [--tap FILE] [--no-dpkg] [--no-vm]" >&2; exit 2 ;;
	esac
done
: > "$tapfile"
w="$top/build/deploy"
mkdir -p "$w"
# One run at a time: runs share build/deploy/ and the host's dpkg state.
. "$top/scripts/one-at-a-time.sh"
one_at_a_time "$top/build/.deploy.lock" \
	"# tests/deploy/run.sh: waiting for another run to finish"
log="$w/run.log"
: > "$log"

failed=0
ok() { echo "ok - deploy: $*" | tee -a "$tapfile"; }
notok() { echo "not ok - deploy: $*" | tee -a "$tapfile"; failed=1; }
skip() { echo "ok - deploy: $1 # SKIP $2" | tee -a "$tapfile"; }
check() { # check TEXT COMMAND...
	local t=$1; shift
	if "$@" >> "$log" 2>&1; then ok "$t"; else notok "$t (see build/deploy/run.log)"; fi
}
note() { echo "# $*"; echo "# $*" >> "$log"; }
# modprobe_finds ROOT KVER WANT TEXT: with KVER's modules.order & co
# copied into ROOT, depmod -b ROOT, and modprobe -d ROOT resolves avfence
# to the path WANT.  (Output captured first: grep -q closing a pipe early
# fails tee under pipefail.)
modprobe_finds() {
	local root=$1 k=$2 want=$3 t=$4 f out
	for f in modules.order modules.builtin modules.builtin.modinfo; do
		cp "$top/build/kernels/$k/modules/$f" "$root/lib/modules/$k/" 2>/dev/null || true
	done
	if depmod -b "$root" "$k" >> "$log" 2>&1 &&
		out=$(modprobe -d "$root" -S "$k" --show-depends avfence 2>>"$log") &&
		echo "$out" >> "$log" && grep -q "$want" <<< "$out"; then
		ok "$t"
	else
		notok "$t"
	fi
}

mapfile -t kvers < <(cat "$top/build/kernels/list" 2>/dev/null)

# The packaging tools (scripts/deps.sh installs the rest).
pkgs="dkms dh-dkms debhelper lintian"
need=
for p in $pkgs; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || need="$need $p"
done
if [ -n "$need" ] && [ "$(id -u)" = 0 ]; then
	note "installing$need"
	# shellcheck disable=SC2086
	DEBIAN_FRONTEND=noninteractive apt-get install -y -q -o DPkg::Lock::Timeout=900 --no-install-recommends $need >> "$log" 2>&1 ||
		{ apt-get update -q -o DPkg::Lock::Timeout=900 >> "$log" 2>&1 &&
		  DEBIAN_FRONTEND=noninteractive apt-get install -y -q -o DPkg::Lock::Timeout=900 --no-install-recommends $need >> "$log" 2>&1; } ||
		note "apt-get install$need failed"
fi

# --- the source copy ---------------------------------------------------------
src="$w/src"
rm -rf "$src" "$w"/*.deb "$w"/*.changes "$w"/*.buildinfo && mkdir -p "$src"
from=${AVF_DEPLOY_SRC:-$top}
(cd "$from" && tar --exclude=./build --exclude=./.git --exclude='*.o' --exclude='*.ko' \
	--exclude='*.mod.c' --exclude='*.mod' --exclude='.*.cmd' -cf - .) | tar -C "$src" -xf - ||
	{ notok "copy of the source tree"; exit 1; }

# --- 1. versions -------------------------------------------------------------
v_dkms=$(sed -n 's/^PACKAGE_VERSION="\(.*\)"$/\1/p' "$src/dkms.conf")
v_kmod=$(sed -n 's/^#define AVFENCE_VERSION "\(.*\)"$/\1/p' "$src/kmod/common.h")
v_deb=$(cd "$src" && dpkg-parsechangelog -S Version)
v_deb=${v_deb%%-*}
if [ -n "$v_dkms" ] && [ "$v_dkms" = "$v_kmod" ] && [ "$v_dkms" = "$v_deb" ]; then
	ok "version $v_dkms in dkms.conf, kmod/common.h and debian/changelog"
else
	notok "versions agree: dkms.conf '$v_dkms', kmod/common.h '$v_kmod', debian/changelog '$v_deb'"
fi

# --- 2. make install / uninstall ---------------------------------------------
dest="$w/destdir"
rm -rf "$dest"
k0=${kvers[0]:-}
if [ -z "$k0" ] || [ ! -d "$top/build/kernels/$k0/build/" ]; then
	notok "make install: no kernel headers in build/kernels (make deps)"
else
	if make -C "$src" install DESTDIR="$dest" PREFIX=/usr KDIR="$top/build/kernels/$k0/build" >> "$log" 2>&1; then
		ok "make install DESTDIR=... PREFIX=/usr (module for $k0)"
	else
		notok "make install DESTDIR=... PREFIX=/usr (module for $k0)"
	fi
	missing=
	for f in "lib/modules/$k0/updates/avfence.ko" usr/sbin/avfencectl usr/share/man/man8/avfencectl.8 \
		usr/share/man/man8/avfence-load.8 usr/libexec/avfence/avfence-load \
		lib/systemd/system/avfence.service etc/avfence/policy.conf etc/default/avfence \
		usr/share/avfence/policy.conf; do
		[ -e "$dest/$f" ] || missing="$missing /$f"
	done
	if [ -z "$missing" ]; then ok "make install: the installed layout is complete"; else notok "make install: missing$missing"; fi
	check "make install: avfence-load calls /usr/sbin/avfencectl" \
		grep -q 'AVFENCECTL:-/usr/sbin/avfencectl}' "$dest/usr/libexec/avfence/avfence-load"
	echo "# edited by the administrator" >> "$dest/etc/avfence/policy.conf"
	make -C "$src" install DESTDIR="$dest" PREFIX=/usr KDIR="$top/build/kernels/$k0/build" >> "$log" 2>&1
	check "make install again: the edited /etc/avfence/policy.conf is kept" \
		grep -q '^# edited by the administrator' "$dest/etc/avfence/policy.conf"
	cp -a "$dest" "$w/destdir.depmod"
	modprobe_finds "$w/destdir.depmod" "$k0" "/lib/modules/$k0/updates/avfence.ko" \
		"depmod -b + modprobe --show-depends avfence: found in /lib/modules/$k0/updates/"
	rm -rf "$w/destdir.depmod"

	# --- 3. the unit, as installed: exec paths and man pages in DESTDIR.
	unit="$w/unit/avfence.service"
	mkdir -p "$w/unit"
	sed "s|/usr/libexec/|$dest/usr/libexec/|g" "$dest/lib/systemd/system/avfence.service" > "$unit"
	if ! command -v systemd-analyze > /dev/null; then
		skip "systemd-analyze verify avfence.service" "systemd-analyze not installed"
	elif out=$(MANPATH="$dest/usr/share/man" systemd-analyze verify "$unit" 2>&1) && [ -z "$out" ]; then
		ok "systemd-analyze verify avfence.service: no message"
	else
		echo "$out" | sed 's/^/# /'
		notok "systemd-analyze verify avfence.service: no message"
	fi
	check "avfence.service: Type=oneshot, RemainAfterExit, DefaultDependencies=no, Before=sysinit.target, ExecReload" \
		sh -c "grep -qx 'Type=oneshot' '$unit' && grep -qx 'RemainAfterExit=yes' '$unit' &&
			grep -qx 'DefaultDependencies=no' '$unit' && grep -q '^Before=sysinit.target' '$unit' &&
			grep -q '^ExecReload=.*avfence-load reload' '$unit'"

	if make -C "$src" uninstall DESTDIR="$dest" PREFIX=/usr KDIR="$top/build/kernels/$k0/build" >> "$log" 2>&1 &&
		[ ! -e "$dest/usr/sbin/avfencectl" ] && [ ! -e "$dest/lib/modules/$k0/updates/avfence.ko" ] &&
		[ ! -e "$dest/lib/systemd/system/avfence.service" ] && [ -e "$dest/etc/avfence/policy.conf" ]; then
		ok "make uninstall: programs, module and unit removed, configuration kept"
	else
		notok "make uninstall: programs, module and unit removed, configuration kept"
	fi
fi

# --- 4. Debian packages ------------------------------------------------------
debs_ok=0
if ! command -v dpkg-buildpackage > /dev/null || ! dpkg-checkbuilddeps -d 'debhelper-compat (= 13), dh-sequence-dkms' /dev/null 2>/dev/null; then
	notok "dpkg-buildpackage: debhelper/dh-dkms missing (scripts/deps.sh installs them)"
elif (cd "$src" && dpkg-buildpackage -us -uc -b) >> "$w/dpkg-buildpackage.log" 2>&1; then
	mv "$w"/avfence*.deb "$w"/avfence*.changes "$w"/avfence*.buildinfo "$w/" 2>/dev/null
	ok "dpkg-buildpackage -us -uc -b"
	debs_ok=1
else
	tail -n 30 "$w/dpkg-buildpackage.log" | sed 's/^/# /'
	notok "dpkg-buildpackage -us -uc -b (see build/deploy/dpkg-buildpackage.log)"
fi
deb_dkms=$(ls "$w"/avfence-dkms_*_all.deb 2>/dev/null | head -n1)
deb_tools=$(ls "$w"/avfence-tools_*_amd64.deb 2>/dev/null | head -n1)
if [ "$debs_ok" = 1 ]; then
	if [ -n "$deb_dkms" ] && [ -n "$deb_tools" ]; then
		ok "packages built: $(basename "$deb_dkms") $(basename "$deb_tools")"
	else
		notok "packages built: avfence-dkms and avfence-tools"
	fi
	changes=$(ls "$w"/avfence_*.changes | head -n1)
	lintian -EvIL +pedantic "$changes" > "$w/lintian.log" 2>&1
	sed 's/^/# lintian: /' "$w/lintian.log"
	nerr=$(grep -c '^E: ' "$w/lintian.log")
	nwarn=$(grep -c '^W: ' "$w/lintian.log")
	if [ "$nerr" = 0 ]; then ok "lintian: no error ($nwarn warnings)"; else notok "lintian: $nerr errors"; fi
	c_dkms=$(dpkg-deb -c "$deb_dkms" | awk '{print $6}')
	c_tools=$(dpkg-deb -c "$deb_tools" | awk '{print $6}')
	check "avfence-dkms ships /usr/src/avfence-$v_dkms/{dkms.conf,Kbuild,kmod/Kbuild,kmod/uapi/avfence.h}" \
		sh -c "echo '$c_dkms' | grep -qx './usr/src/avfence-$v_dkms/dkms.conf' &&
			echo '$c_dkms' | grep -qx './usr/src/avfence-$v_dkms/Kbuild' &&
			echo '$c_dkms' | grep -qx './usr/src/avfence-$v_dkms/kmod/Kbuild' &&
			echo '$c_dkms' | grep -qx './usr/src/avfence-$v_dkms/kmod/uapi/avfence.h'"
	check "avfence-tools ships avfencectl, avfence-load, avfence.service, man pages; /etc/default/avfence is a conffile" \
		sh -c "for f in ./usr/sbin/avfencectl ./usr/libexec/avfence/avfence-load ./lib/systemd/system/avfence.service \
			./usr/share/man/man8/avfencectl.8.gz ./usr/share/man/man8/avfence-load.8.gz ./usr/share/avfence/policy.conf; do
			echo '$c_tools' | grep -qx \"\$f\" || exit 1; done &&
			dpkg-deb --ctrl-tarfile '$deb_tools' | tar -xOf - ./conffiles | grep -qx /etc/default/avfence"
fi

# --- 5. DKMS against the installed headers of every kernel --------------------
if ! command -v dkms > /dev/null; then
	notok "dkms: not installed (scripts/deps.sh installs it)"
elif [ -z "$deb_dkms" ]; then
	notok "dkms: no avfence-dkms package to take the source from"
else
	d="$w/dkms"
	rm -rf "$d" && mkdir -p "$d/pkg" "$d/tree" "$d/root/lib/modules" "$d/keys"
	dpkg-deb -x "$deb_dkms" "$d/pkg"
	# Throw-away signing key: dkms 3.0.10 signs with $mok_signing_key and
	# $mok_certificate (default /var/lib/dkms/mok.{key,pub}, generated).
	export mok_signing_key="$d/keys/mok.key" mok_certificate="$d/keys/mok.pub"
	dk=(--dkmstree "$d/tree" --sourcetree "$d/pkg/usr/src" --installtree "$d/root/lib/modules")
	check "dkms add -m avfence -v $v_dkms (source from the avfence-dkms package)" \
		dkms add -m avfence -v "$v_dkms" "${dk[@]}"
	for k in "${kvers[@]}"; do
		hdr=/lib/modules/$k/build
		extra=()
		if [ ! -d "$hdr/" ]; then
			# deps.sh installs the headers packages, which make this link.
			hdr=$top/build/kernels/$k/build
			extra=(--kernelsourcedir "$hdr")
			note "$k: /lib/modules/$k/build missing, using $hdr"
		fi
		check "dkms build -m avfence -v $v_dkms -k $k" \
			dkms build -m avfence -v "$v_dkms" -k "$k" "${dk[@]}" "${extra[@]}"
		mkdir -p "$d/root/lib/modules/$k"
		check "dkms install -m avfence -v $v_dkms -k $k (--no-depmod)" \
			dkms install -m avfence -v "$v_dkms" -k "$k" --no-depmod "${dk[@]}" "${extra[@]}"
		m=$(find "$d/root/lib/modules/$k/updates" -name 'avfence.ko*' 2>/dev/null | head -n1)
		if [ -n "$m" ] && modinfo -F vermagic "$m" | grep -q "^$k "; then
			ok "$k: dkms installed ${m#"$d/root"} with vermagic $k"
		else
			notok "$k: dkms installed avfence.ko under /lib/modules/$k/updates/ with vermagic $k"
		fi
		if [ -n "$m" ] && [ -n "$(modinfo -F signer "$m")" ]; then
			ok "$k: the DKMS module is signed (signer: $(modinfo -F signer "$m"))"
		else
			notok "$k: the DKMS module is signed with the DKMS MOK key"
		fi
		modprobe_finds "$d/root" "$k" "/lib/modules/$k/updates/dkms/avfence.ko" \
			"$k: modprobe resolves avfence to the DKMS module in updates/dkms/"
	done
	dkms status -m avfence "${dk[@]}" 2>/dev/null | sed 's/^/# /'
	unset mok_signing_key mok_certificate
fi

# --- 6. dpkg install / remove / purge on this host --------------------------
if [ "$dpkg_test" = 0 ]; then
	skip "dpkg install, remove, purge" "--no-dpkg"
elif [ "$(id -u)" != 0 ]; then
	skip "dpkg install, remove, purge" "not root"
elif [ -z "$deb_dkms" ] || [ -z "$deb_tools" ]; then
	notok "dpkg install, remove, purge: no packages"
elif dpkg-query -W -f='${Status}' avfence-dkms avfence-tools 2>/dev/null | grep -q 'installed\|config-files'; then
	skip "dpkg install, remove, purge" "avfence packages already on this host: not touching them"
elif [ -d /sys/module/avfence ]; then
	skip "dpkg install, remove, purge" "an avfence module is loaded in this host's kernel"
else
	d="$w/dpkg"
	rm -rf "$d" && mkdir -p "$d/keys"
	# apt-get waits for the dpkg lock (other apt users on this host).
	apt=(env DEBIAN_FRONTEND=noninteractive apt-get -y -q -o DPkg::Lock::Timeout=900)
	# apt_step TEXT VERB ARG...: apt-get VERB ARG..., logged to
	# build/deploy/dpkg/VERB.log, whose tail is shown if it fails.
	apt_step() {
		local t=$1 l="$d/$2.log"
		shift
		if "${apt[@]}" "$@" > "$l" 2>&1; then
			ok "$t"
		else
			tail -n 20 "$l" | sed 's/^/# /'
			notok "$t (see build/deploy/dpkg/${l##*/})"
		fi
	}
	export mok_signing_key="$d/keys/mok.key" mok_certificate="$d/keys/mok.pub"
	# depmod, run by dkms, writes modules.* index files for kernels whose
	# image is not installed here: remember which exist, to remove only ours.
	ls -d /lib/modules/*/modules.* 2>/dev/null | sort > "$d/depmod.before"
	apt_step "apt-get install ./avfence-dkms_*.deb ./avfence-tools_*.deb" install \
		--no-install-recommends "$deb_dkms" "$deb_tools"
	grep -E '^Building|Installing to|skipped|Error' "$d/install.log" | sed 's/^/# /'
	check "postinst created /etc/avfence/policy.conf (the initial policy)" \
		cmp /etc/avfence/policy.conf /usr/share/avfence/policy.conf
	st=$(dkms status -m avfence 2>/dev/null)
	echo "$st" >> "$log"
	if grep -q ': installed' <<< "$st"; then
		ok "dkms status after install: installed for $(grep ': installed' <<< "$st" | cut -d, -f2 | tr -d ' ' | tr '\n' ' ')"
	else
		notok "dkms status after install: avfence installed for a kernel with headers"
	fi
	if out=$(systemd-analyze verify avfence.service 2>&1) && [ -z "$out" ]; then
		ok "systemd-analyze verify avfence.service (installed by the package): no message"
	else
		echo "$out" | sed 's/^/# /'
		notok "systemd-analyze verify avfence.service (installed by the package): no message"
	fi
	check "avfence.service enabled (sysinit.target.wants)" test -L /etc/systemd/system/sysinit.target.wants/avfence.service
	echo "# edited by the administrator" >> /etc/avfence/policy.conf
	apt_step "apt-get remove avfence-tools avfence-dkms" remove avfence-tools avfence-dkms
	check "remove: configuration kept (edited policy.conf, /etc/default/avfence)" \
		sh -c "grep -q '^# edited by the administrator' /etc/avfence/policy.conf && test -e /etc/default/avfence"
	check "remove: no module left (/usr/src/avfence-*, /lib/modules/*/updates/dkms/avfence.ko*, dkms status)" \
		sh -c "! ls -d /usr/src/avfence-* /lib/modules/*/updates/dkms/avfence.ko* 2>/dev/null | grep -q . &&
			[ -z \"\$(dkms status -m avfence 2>/dev/null)\" ]"
	apt_step "apt-get purge avfence-tools avfence-dkms" purge avfence-tools avfence-dkms
	check "purge: /etc/avfence, /etc/default/avfence and the enable link are gone" \
		sh -c "[ ! -e /etc/avfence ] && [ ! -e /etc/default/avfence ] &&
			[ ! -e /etc/systemd/system/sysinit.target.wants/avfence.service ]"
	check "purge: dpkg knows no avfence package" \
		sh -c "! dpkg-query -W -f='\${Status}\n' avfence-dkms avfence-tools 2>/dev/null | grep -q 'installed\|config-files'"
	ls -d /lib/modules/*/modules.* 2>/dev/null | sort > "$d/depmod.after"
	new=$(comm -13 "$d/depmod.before" "$d/depmod.after")
	if [ -n "$new" ]; then
		note "removing depmod index files dkms created for kernels without an image here: $(echo "$new" | wc -l) files"
		echo "$new" | xargs rm -f
	fi
	unset mok_signing_key mok_certificate
fi

# --- 7. the VM with the installed layout --------------------------------------
if [ "$vm_test" = 0 ]; then
	skip "VM boot with the installed layout" "--no-vm"
else
	for k in "${kvers[@]}"; do
		"$top/tests/deploy/vm.sh" "$k" > "$w/vm-$k.log" 2>&1
		grep -E '^(not )?ok ' "$w/vm-$k.log" | sed 's/^\(\(not \)\{0,1\}ok\) - /\1 - deploy: vm: /' | tee -a "$tapfile"
		grep -qE '^(not )?ok ' "$w/vm-$k.log" || notok "vm: $k: tests/deploy/vm.sh produced no result (build/deploy/vm-$k.log)"
		grep -q '^not ok ' "$w/vm-$k.log" && failed=1
	done
fi

exit $failed
