#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The host test, in the booted Debian image (tests/host/run.sh starts the
# VM): TAP items "ok - KVER host: ..." on /dev/ttyS1.  Two boots:
#   stage 1  the fence at first boot (policy placed before the packages,
#            audit mode), ClamAV in audit, the Ansible role (audit ->
#            enforce -> lock), ClamAV in enforce, clamonacc, the deputy
#            attacks through systemd/cron/at, upgrades; then reboot
#   stage 2  the fence after a reboot (module, policy, lock), remove and
#            purge of the packages; then power off
set -u
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin LC_ALL=C DEBIAN_FRONTEND=noninteractive
lib=/usr/local/lib/avfence-host
st=/var/lib/avfence-host
mkdir -p "$st"
. "$lib/flags"
kver=$(uname -r)
out=/dev/ttyS1
[ -w "$out" ] || out=/dev/null
stage=$(cat "$st/stage" 2>/dev/null || echo 1)
secret_marker=avf-host-secret-7f3a
failed=0

emit() { echo "$*" | tee -a "$st/results.tap" > "$out"; }
ok() { emit "ok - $kver host: $*"; }
notok() { emit "not ok - $kver host: $*"; failed=1; }
skip() { emit "ok - $kver host: $1 # SKIP $2"; }
todo() { emit "not ok - $kver host: $1 # TODO $2"; }
diag() { echo "$*" | sed 's/^/# /' | tee -a "$st/results.tap" > "$out"; }
check() { # check TEXT COMMAND...: ok if COMMAND succeeds
	local t=$1; shift
	if "$@" >> "$st/log" 2>&1; then ok "$t"; else notok "$t"; fi
}
# deputy TEXT LEAKED: LEAKED=1 if the attack got the secret or the route
# was open.  Counts once issue 12 has landed (flags: DEPUTY_LANDED).
deputy() {
	local t="deputy: $1" leaked=$2 what=$3
	if [ "$DEPUTY_LANDED" != yes ]; then
		skip "$t" "issue 12 not landed (today: $what)"
	elif [ "$leaked" = 0 ]; then
		ok "$t"
	else
		notok "$t ($what)"
	fi
}
# control TEXT GOT: the same route taken by an untagged root process (no
# agent) must work, or the deputy check above it proves nothing.
control() {
	if [ "$2" = 1 ]; then ok "deputy control (untagged): $1"
	else notok "deputy control (untagged): $1"; fi
}
has_marker() { grep -qs "$secret_marker" "$@" && echo 1 || echo 0; }
wait_for() { # wait_for SECONDS COMMAND...
	local n=$1; shift
	while [ "$n" -gt 0 ]; do "$@" > /dev/null 2>&1 && return 0; sleep 1; n=$((n - 1)); done
	return 1
}
field() { avfencectl status | sed -n "s/^$1:[[:space:]]*//p" | head -n1; }
klog_since() { journalctl -k -o cat --since "@$1" 2>/dev/null; }
# The tagged agent: a copy of bash that is a subject of the policy.
agent() { /usr/local/sbin/avf-agent -c "$*"; }
clamd_pid() { systemctl show -p MainPID --value clamav-daemon.service; }
clamd_tagged() { # clamd_tagged: the running clamd is in avfencectl ps
	local pid
	pid=$(clamd_pid)
	[ "${pid:-0}" -gt 0 ] && avfencectl ps | awk -v p="$pid" '$1 == p || $2 == p' | grep -q clamd
}
play() { # play NAME EXTRA-ARGS: the Ansible role, as a fleet would run it
	local name=$1
	# shellcheck disable=SC2086 # EXTRA-ARGS are words
	LC_ALL=C.UTF-8 ansible-playbook -c local -i localhost, "$lib/ansible/site.yml" \
		-e avfence_policy_src="$lib/policy.conf" -e avfence_debs_dir=/var/cache/avfence-debs \
		-e avfence_enforce=true -e '{"avfence_agent_units": ["clamav-daemon.service"]}' \
		-e avfence_report_dir="$st/reports" $2 > "$st/ansible-$name.log" 2>&1
}

finish() {
	local s
	s=$(journalctl -k -b -o cat | grep -E 'Oops|BUG:|WARNING:|circular locking|Call Trace' | head -n 5)
	if [ -z "$s" ]; then ok "boot $stage: no Oops/BUG/WARNING/lockdep in journalctl -k"
	else diag "$s"; notok "boot $stage: no Oops/BUG/WARNING/lockdep in journalctl -k"; fi
	emit "AVF-HOST-STAGE-END $stage failed=$failed"
	sync
}

eicar() { printf 'X5O!P%%@AP[4\\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*' > "$1"; }

if [ "$stage" = "done" ]; then
	systemctl poweroff
	exit 0
fi
emit "AVF-HOST-STAGE-BEGIN $stage"
diag "$(uname -a)"
diag "systemd $(systemctl --version | head -n1), up $(cut -d' ' -f1 /proc/uptime) s"

# --- both stages: the fence at boot ------------------------------------------
check "avfence.service active" systemctl is-active --quiet avfence.service
avf_t=$(systemctl show -p ActiveEnterTimestampMonotonic --value avfence.service)
clamd_t=$(systemctl show -p ExecMainStartTimestampMonotonic --value clamav-daemon.service)
diag "avfence.service active at ${avf_t} us, clamd started at ${clamd_t} us (monotonic)"
if [ "${avf_t:-0}" -gt 0 ] && [ "${clamd_t:-0}" -gt "$avf_t" ]; then
	ok "avfence.service active before clamav-daemon.service started"
else
	notok "avfence.service active before clamav-daemon.service started"
fi
check "clamav-daemon.service active" wait_for 120 systemctl is-active --quiet clamav-daemon.service
wait_for 120 test -S /run/clamav/clamd.ctl
want=$(avfencectl check /etc/avfence/policy.conf | sed -n 's/^digest: //p')
have=$(field digest)
diag "policy digest: file $want, kernel $have"
if [ -n "$want" ] && [ "$want" = "$have" ]; then
	ok "policy from /etc/avfence/policy.conf in force (digest $have)"
else
	notok "policy from /etc/avfence/policy.conf in force (file $want, kernel $have)"
fi
if clamd_tagged; then
	ok "clamd (pid $(clamd_pid)) tagged (avfencectl ps)"
else
	avfencectl ps | sed 's/^/# /' > "$out"
	notok "clamd (pid $(clamd_pid)) tagged (avfencectl ps)"
fi
if [ "$stage" = 1 ]; then
	grep -q '^mode audit' /etc/avfence/policy.conf &&
		[ "$(field mode)" = audit ] && ok "first boot: the placed policy kept by the package, audit mode" ||
		notok "first boot: the placed policy kept by the package, audit mode ($(field mode))"
fi

# --- the data: an OFFICIAL and a SECRET tree on the root file system -----------
if [ "$stage" = 1 ]; then
	mkdir -p /srv/official /srv/secret/pub
	eicar /srv/official/eicar.com
	eicar /srv/secret/eicar.com
	echo "$secret_marker" > /srv/secret/plan.txt
	chmod 0644 /srv/official/* /srv/secret/*.*
	check "avfencectl label OFFICIAL /srv/official; label -R SECRET /srv/secret" \
		sh -c 'avfencectl label OFFICIAL /srv/official && avfencectl label -R SECRET /srv/secret'

	# --- audit mode: allowed, logged ----------------------------------------
	t0=$(date +%s)
	r=$(clamdscan --no-summary /srv/secret/eicar.com 2>&1)
	diag "audit: clamdscan /srv/secret/eicar.com: $r"
	grep -q 'FOUND' <<< "$r" && ok "audit mode: clamdscan reads the SECRET file (allowed)" ||
		notok "audit mode: clamdscan reads the SECRET file (allowed)"
	sleep 1
	if klog_since "$t0" | grep -q "avfence: audit open pid=$(clamd_pid) .*comm=clamd.* path=/srv/secret/eicar.com"; then
		ok "audit mode: journalctl -k has 'avfence: audit open pid=<clamd MainPID> ... comm=clamd'"
	else
		klog_since "$t0" | grep avfence | sed 's/^/# /' > "$out"
		notok "audit mode: journalctl -k has 'avfence: audit open pid=<clamd MainPID> ... comm=clamd'"
	fi

	# --- the Ansible role: audit, report, enforce (the lock comes later) ------
	rm -rf "$st/reports"
	if play enforce "-e avfence_lock=false"; then
		ok "ansible-playbook -c local contrib/ansible: audit, report, enforce"
	else
		tail -n 30 "$st/ansible-enforce.log" | sed 's/^/# /' > "$out"
		notok "ansible-playbook -c local contrib/ansible: audit, report, enforce"
	fi
	grep -E 'ok=.*changed=.*failed=' "$st/ansible-enforce.log" | tail -n 1 | sed 's/^/# /' > "$out"
	ls "$st/reports" 2>/dev/null | sed 's/^/# report: /' > "$out"
	if python3 - "$st/reports" <<'PY' > "$out" 2>&1
import json, sys, glob
d = sys.argv[1]
a = json.load(open(glob.glob(d + "/*-audit.json")[0]))
e = json.load(open(glob.glob(d + "/*-enforce.json")[0]))
assert a["mode"] == "audit" and a["digest"] is not None, a
assert e["mode"] == "enforce" and e["policy_loaded"], e
print("# reports: audit digest %s denied %s audited %s; enforce digest %s" % (a["digest"], a["denied"], a["audited"], e["digest"]))
PY
	then ok "ansible: status --json reported back in audit and in enforce mode"
	else notok "ansible: status --json reported back in audit and in enforce mode"
	fi
	[ "$(field mode)" = enforce ] && avfencectl status | grep -q '^locked:[[:space:]]*no' &&
		test -e /etc/systemd/system/clamav-daemon.service.d/avfence.conf &&
		ok "after the role: mode enforce, not locked, clamav-daemon drop-in placed" ||
		notok "after the role: mode enforce, not locked, clamav-daemon drop-in placed (mode $(field mode))"
	avfencectl check /etc/avfence/policy.conf | sed -n 's/^digest: //p' > "$st/digest"
fi

# --- enforce: the scanners ----------------------------------------------------
[ "$(field mode)" = enforce ] || notok "mode enforce (is $(field mode))"
t0=$(date +%s)
r=$(clamdscan --no-summary /srv/official/eicar.com 2>&1)
diag "clamdscan /srv/official/eicar.com: $r"
grep -q 'eicar.com: .*FOUND' <<< "$r" && ok "clamdscan finds EICAR in the OFFICIAL tree" ||
	notok "clamdscan finds EICAR in the OFFICIAL tree"
r=$(clamdscan --no-summary /srv/secret/eicar.com 2>&1)
diag "clamdscan /srv/secret/eicar.com: $r"
if ! grep -q FOUND <<< "$r" && grep -qi 'denied\|Can.t open\|ERROR' <<< "$r"; then
	ok "clamdscan refused the SECRET tree (no FOUND: $(echo "$r" | head -n1 | cut -c1-80))"
else
	notok "clamdscan refused the SECRET tree"
fi
r=$(clamscan --no-summary /srv/official/eicar.com /srv/secret/eicar.com 2>&1)
diag "clamscan: $r"
grep -q '/srv/official/eicar.com: .*FOUND' <<< "$r" && ! grep -q '/srv/secret/eicar.com: .*FOUND' <<< "$r" &&
	grep -qi 'denied' <<< "$r" &&
	ok "clamscan: EICAR found in OFFICIAL, 'Permission denied' on SECRET" ||
	notok "clamscan: EICAR found in OFFICIAL, 'Permission denied' on SECRET"
sleep 1
pid=$(clamd_pid)
line=$(klog_since "$t0" | grep -m1 "avfence: denied open .*comm=clamd .*path=/srv/secret/eicar.com")
diag "journal: $line"
if [ -n "$line" ] && grep -q "pid=$pid " <<< "$line"; then
	ok "journalctl -k: 'avfence: denied open pid=$pid' (clamd's MainPID) ... path=/srv/secret/eicar.com"
else
	notok "journalctl -k: 'avfence: denied open pid=<clamd MainPID $pid>' ... path=/srv/secret/eicar.com"
fi
# shellcheck disable=SC2046 # ausearch -ts takes the date and the time as two words
a=$(ausearch -m KERNEL_OTHER -ts $(date -d "@$t0" '+%x %T') 2>/dev/null | grep 'avfence=denied' | grep 'comm="clamd"' | head -n1)
diag "audit: $a"
if [ -n "$a" ] && grep -q " pid=$pid " <<< "$a" && grep -q 'path="/srv/secret/eicar.com"' <<< "$a"; then
	ok "ausearch -m KERNEL_OTHER: avfence=denied pid=$pid (same as the log line) path=/srv/secret/eicar.com"
else
	notok "ausearch -m KERNEL_OTHER: avfence=denied pid=<clamd MainPID $pid> path=/srv/secret/eicar.com"
fi

if [ "$stage" = 1 ]; then
	# --- on access: clamonacc with fanotify mount marks vs directory descent ---
	# A tmpfs of its own (labels work on tmpfs), so that the mount mark sees
	# only the test data: OFFICIAL data below a SECRET directory.
	mkdir -p /srv/data && mount -t tmpfs -o size=16m avf-data /srv/data
	mkdir -p /srv/data/secret/pub /srv/data/official
	avfencectl label SECRET /srv/data/secret
	avfencectl label OFFICIAL /srv/data/secret/pub /srv/data/official
	echo "$secret_marker" > /srv/data/secret/plan.txt
	onacc() { # onacc NAME OPTION-LINES: clamonacc with its own clamd.conf
		local name=$1 conf=/etc/clamav/clamd-$1.conf
		grep -v '^OnAccess' /etc/clamav/clamd.conf > "$conf"
		printf '%s\n' "$2" >> "$conf"
		printf 'OnAccessExcludeUname clamav\nOnAccessMaxFileSize 5M\n' >> "$conf"
		: > "/var/log/clamav/onacc-$name.log"
		onacc_t=$(date +%s)
		clamonacc --fdpass -c "$conf" -l "/var/log/clamav/onacc-$name.log" &
		sleep 15
	}
	onacc_run() { # onacc_run NAME: the workload, then what clamonacc saw
		local name=$1 t=$onacc_t denied=0 f
		eicar /srv/data/official/e-$name.com
		eicar /srv/data/secret/pub/e-$name.com
		for f in /srv/data/official/e-$name.com /srv/data/secret/pub/e-$name.com /srv/data/secret/plan.txt; do
			cat "$f" > /dev/null 2>&1 || denied=$((denied + 1))
		done
		sleep 10
		onacc_denied=$denied
		onacc_found_off=$(grep -c "official/e-$name.com: .*FOUND" "/var/log/clamav/onacc-$name.log")
		onacc_found_pub=$(grep -c "secret/pub/e-$name.com: .*FOUND" "/var/log/clamav/onacc-$name.log")
		onacc_ddd=$(klog_since "$t" | grep -c 'avfence: denied .*comm=clamonacc')
		diag "clamonacc $name: workload denied $denied times; FOUND official $onacc_found_off, secret/pub $onacc_found_pub; kernel log 'denied ... comm=clamonacc*' $onacc_ddd"
		klog_since "$t" | grep 'avfence: denied' | sort | uniq -c | sort -rn | head -n 6 | sed "s/^/# $name kernel: /" > "$out"
		grep -v '^$' "/var/log/clamav/onacc-$name.log" | tail -n 8 | sed "s/^/# $name: /" > "$out"
		pkill -x clamonacc
		sleep 2
	}
	onacc mount "OnAccessMountPath /srv/data"
	onacc_run mount
	[ "$onacc_denied" = 0 ] && ok "clamonacc (OnAccessMountPath): the workload is never denied" ||
		notok "clamonacc (OnAccessMountPath): the workload is never denied ($onacc_denied)"
	[ "$onacc_found_off" -gt 0 ] && ok "clamonacc (OnAccessMountPath): EICAR in the OFFICIAL tree found on access" ||
		notok "clamonacc (OnAccessMountPath): EICAR in the OFFICIAL tree found on access"
	[ "$onacc_found_pub" -gt 0 ] && ok "clamonacc (OnAccessMountPath): EICAR in an OFFICIAL directory below a SECRET one found on access" ||
		notok "clamonacc (OnAccessMountPath): EICAR in an OFFICIAL directory below a SECRET one found on access"
	onacc ddd "OnAccessIncludePath /srv/data"
	onacc_run ddd
	[ "$onacc_denied" = 0 ] && ok "clamonacc (OnAccessIncludePath): the workload is never denied" ||
		notok "clamonacc (OnAccessIncludePath): the workload is never denied ($onacc_denied)"
	diag "measured: OnAccessIncludePath (directory descent) found EICAR below the SECRET directory $onacc_found_pub times (mount marks: see above)"
	umount /srv/data

	# --- deputies: the tagged agent asks an untagged root process to read -----
	rm -f /tmp/dep-* /tmp/ctl-*
	systemd-run --quiet --wait --pipe cat /srv/secret/plan.txt > /tmp/ctl-pipe 2>&1
	control "systemd-run --pipe cat SECRET" "$(has_marker /tmp/ctl-pipe)"
	r=$(agent "systemd-run --quiet --wait --pipe cat /srv/secret/plan.txt" 2>&1)
	grep -q "$secret_marker" <<< "$r"; deputy "systemd-run --pipe cat SECRET" $((1 - $?)) \
		"$(grep -q "$secret_marker" <<< "$r" && echo leaked || echo "refused: $(echo "$r" | head -n1 | cut -c1-60)")"
	systemd-run --quiet --wait -p StandardOutput=file:/tmp/ctl-out cat /srv/secret/plan.txt > /dev/null 2>&1
	control "systemd-run -p StandardOutput=file:/tmp/x cat SECRET" "$(has_marker /tmp/ctl-out)"
	agent "systemd-run --quiet --wait -p StandardOutput=file:/tmp/dep-out cat /srv/secret/plan.txt" > /dev/null 2>&1
	l=$(has_marker /tmp/dep-out)
	deputy "systemd-run -p StandardOutput=file:/tmp/x cat SECRET" "$l" "$([ "$l" = 1 ] && echo leaked || echo refused)"
	printf '[Service]\nType=oneshot\nExecStart=/bin/sh -c "cat /srv/secret/plan.txt > /tmp/ctl-unit"\n' > /etc/systemd/system/avf-ctl.service &&
		systemctl daemon-reload && systemctl start avf-ctl.service > /dev/null 2>&1
	control "unit file + systemctl start" "$(has_marker /tmp/ctl-unit)"
	rm -f /etc/systemd/system/avf-ctl.service
	agent "printf '[Service]\nType=oneshot\nExecStart=/bin/sh -c \"cat /srv/secret/plan.txt > /tmp/dep-unit\"\n' > /etc/systemd/system/avf-dep.service && systemctl daemon-reload && systemctl start avf-dep.service" > /dev/null 2>&1
	l=$(has_marker /tmp/dep-unit)
	deputy "unit file + systemctl start" "$l" "$([ "$l" = 1 ] && echo leaked || echo refused)"
	rm -f /etc/systemd/system/avf-dep.service; systemctl daemon-reload
	echo '* * * * * root cat /srv/secret/plan.txt > /tmp/ctl-cron' > /etc/cron.d/avf-ctl
	echo 'cat /srv/secret/plan.txt > /tmp/ctl-at' | at now > /dev/null 2>&1
	agent "echo '* * * * * root cat /srv/secret/plan.txt > /tmp/dep-cron' > /etc/cron.d/avf-dep" > /dev/null 2>&1
	cron_set=$?
	agent "echo 'cat /srv/secret/plan.txt > /tmp/dep-at' | at now" > /dev/null 2>&1
	touch /etc/ld.so.preload.avf-ctl && rm /etc/ld.so.preload.avf-ctl; control "write in /etc (ld.so.preload's directory)" $((1 - $?))
	agent "echo >> /etc/ld.so.preload" > /dev/null 2>&1; l=$((1 - $?))
	deputy "tagged write to /etc/ld.so.preload" "$l" "$([ "$l" = 1 ] && echo written || echo refused)"
	[ -s /etc/ld.so.preload ] || rm -f /etc/ld.so.preload
	echo 'cat /srv/secret/plan.txt > /tmp/ctl-profile 2>/dev/null' > /etc/profile.d/avf-ctl.sh
	bash -lc true > /dev/null 2>&1
	rm -f /etc/profile.d/avf-ctl.sh
	control "profile.d script run by a root login shell" "$(has_marker /tmp/ctl-profile)"
	agent "echo 'cat /srv/secret/plan.txt > /tmp/dep-profile 2>/dev/null' > /etc/profile.d/avf-dep.sh" > /dev/null 2>&1
	bash -lc true > /dev/null 2>&1
	l=$(has_marker /tmp/dep-profile)
	deputy "profile.d script run by a root login shell" "$l" "$([ "$l" = 1 ] && echo leaked || echo refused)"
	rm -f /etc/profile.d/avf-dep.sh

	# --- a tagged systemctl ---------------------------------------------------
	# systemctl stats /proc/1/root (systemd's running_in_chroot()): a
	# tagged task may follow the root link of a process rooted where it
	# is; PID 1's environ stays refused and logged (the ptrace fence).
	t0=$(date +%s); sleep 1
	r=$(agent "stat -L -c %i /proc/1/root" 2>&1); rc=$?
	sleep 1
	n=$(klog_since "$t0" | grep -cE 'avfence: (denied|audit) ptrace')
	[ "$rc" = 0 ] && [ "$n" = 0 ] && ok "tagged stat -L /proc/1/root: allowed, no ptrace log line" ||
		notok "tagged stat -L /proc/1/root: allowed, no ptrace log line (exit $rc, $n lines: $r)"
	t0=$(date +%s); sleep 1
	agent "cat /proc/1/environ" > /dev/null 2>&1; rc=$?
	sleep 1
	n=$(klog_since "$t0" | grep -cE 'avfence: denied ptrace .*what="pid 1"')
	[ "$rc" != 0 ] && [ "$n" -gt 0 ] && ok "tagged read of /proc/1/environ: refused, 'denied ptrace' logged" ||
		notok "tagged read of /proc/1/environ: refused, 'denied ptrace' logged (exit $rc, $n lines)"
	cat /proc/1/environ > /dev/null && ok "untagged read of /proc/1/environ (control)" ||
		notok "untagged read of /proc/1/environ (control)"
	sleep 1
	t0=$(date +%s)
	agent "systemctl status avfence.service; systemctl is-active clamav-daemon.service" > /dev/null 2>&1
	sleep 1
	n=$(klog_since "$t0" | grep -cE 'avfence: (denied|audit) ptrace.*comm=systemctl')
	diag "tagged systemctl: $n 'denied/audit ptrace' kernel log lines"
	klog_since "$t0" | grep -E 'avfence: (denied|audit) ptrace.*comm=systemctl' | head -n 2 | sed 's/^/# /' > "$out"
	if [ "$n" = 0 ]; then ok "a tagged systemctl logs no 'denied ptrace'"
	else notok "a tagged systemctl logs no 'denied ptrace' ($n lines)"; fi

	# --- upgrades (issue 16 item 3) --------------------------------------------
	# Unlocked: the drop-in's ExecStartPre=avfence-load refresh loads the
	# policy again before the new clamd starts.
	reinstall_clamd() {
		apt-get install -y -q --reinstall /var/cache/avfence-debs/clamav-daemon_*.deb > "$st/reinstall-clamd-$1.log" 2>&1
	}
	old_ino=$(stat -c %i /usr/sbin/clamd)
	if reinstall_clamd 1; then
		wait_for 120 test -S /run/clamav/clamd.ctl
		sleep 3
		diag "clamd inode $old_ino -> $(stat -c %i /usr/sbin/clamd), MainPID $(clamd_pid)"
		if clamd_tagged; then
			ok "apt-get install --reinstall clamav-daemon (new inode): the restarted clamd is tagged, no manual step"
		else
			avfencectl ps | sed 's/^/# /' > "$out"
			notok "apt-get install --reinstall clamav-daemon (new inode): the restarted clamd is tagged, no manual step"
		fi
		r=$(clamdscan --no-summary /srv/secret/eicar.com 2>&1)
		! grep -q FOUND <<< "$r" && ok "after the upgrade: clamdscan still refused the SECRET tree" ||
			notok "after the upgrade: clamdscan still refused the SECRET tree"
	else
		tail -n 10 "$st/reinstall-clamd-1.log" | sed 's/^/# /' > "$out"
		notok "apt-get install --reinstall clamav-daemon"
	fi

	# --- the lock, by the role ----------------------------------------------
	if play lock "-e avfence_lock=true" && grep -q 'failed=0' "$st/ansible-lock.log"; then
		ok "ansible: second run with avfence_lock=true ($(grep -o 'changed=[0-9]*' "$st/ansible-lock.log" | tail -n1))"
	else
		tail -n 20 "$st/ansible-lock.log" | sed 's/^/# /' > "$out"
		notok "ansible: second run with avfence_lock=true"
	fi
	[ "$(field mode)" = enforce ] && avfencectl status | grep -q '^locked:[[:space:]]*yes' &&
		grep -q '^AVFENCE_LOCK=yes' /etc/default/avfence &&
		ok "after the role: mode enforce, locked, AVFENCE_LOCK=yes" ||
		notok "after the role: mode enforce, locked, AVFENCE_LOCK=yes (mode $(field mode), $(avfencectl status | grep '^locked'))"
	avfencectl check /etc/avfence/policy.conf | sed -n 's/^digest: //p' > "$st/digest"

	# Locked: the new clamd cannot become a subject until reboot, so it
	# does not start (rather than run unfenced).
	if reinstall_clamd 2; then :; fi
	sleep 5
	if clamd_tagged; then
		ok "locked host, clamav-daemon reinstalled: clamd tagged"
	elif ! systemctl is-active --quiet clamav-daemon.service; then
		ok "locked host, clamav-daemon reinstalled: clamd does not start unfenced (refresh refused: $(journalctl -u clamav-daemon -o cat | grep -m1 -o 'fence is locked[^(]*'))"
	else
		notok "locked host, clamav-daemon reinstalled: clamd runs untagged"
	fi

	before=$(field digest)
	if apt-get install -y -q --reinstall /var/cache/avfence-debs/avfence-tools_*.deb > "$st/reinstall-tools.log" 2>&1; then
		ok "apt-get install --reinstall avfence-tools"
	else
		tail -n 10 "$st/reinstall-tools.log" | sed 's/^/# /' > "$out"
		notok "apt-get install --reinstall avfence-tools"
	fi
	[ "$(field digest)" = "$before" ] && avfencectl status | grep -q '^locked:[[:space:]]*yes' &&
		[ "$(field mode)" = enforce ] && ok "after the reinstall: same policy, enforce, locked" ||
		notok "after the reinstall: same policy, enforce, locked"

	# cron and at had a minute.
	wait_for 70 test -e /tmp/ctl-cron
	control "cron.d job" "$(has_marker /tmp/ctl-cron)"
	rm -f /etc/cron.d/avf-ctl
	control "at job" "$(has_marker /tmp/ctl-at)"
	wait_for 10 test -e /tmp/dep-cron
	# Written is open: the control shows that cron runs what is there.
	l=$(has_marker /tmp/dep-cron)
	[ "$cron_set" = 0 ] && [ "$l" = 0 ] && l=2
	deputy "cron.d job written by the agent" "$l" "$(case $l in 1) echo leaked ;; 2) echo "written, not run yet" ;; *) echo refused ;; esac)"
	l=$(has_marker /tmp/dep-at)
	deputy "at job queued by the agent" "$l" "$([ "$l" = 1 ] && echo leaked || echo refused)"
	rm -f /etc/cron.d/avf-dep

	echo 2 > "$st/stage"
	finish
	systemctl reboot
	exit 0
fi

# --- stage 2: after the reboot ------------------------------------------------
check "after reboot: module loaded" test -d /sys/module/avfence
[ "$(field digest)" = "$(cat "$st/digest")" ] && ok "after reboot: the same policy (digest)" ||
	notok "after reboot: the same policy (digest $(field digest), before $(cat "$st/digest"))"
avfencectl status | grep -q '^locked:[[:space:]]*yes' && ok "after reboot: locked (AVFENCE_LOCK=yes)" ||
	notok "after reboot: locked (AVFENCE_LOCK=yes)"
r=$(agent "cat /srv/secret/plan.txt" 2>&1)
grep -q "$secret_marker" <<< "$r" && notok "after reboot: the tagged agent is refused SECRET" ||
	ok "after reboot: the tagged agent is refused SECRET"
grep -q "$secret_marker" /srv/secret/plan.txt && ok "after reboot: an untagged root process reads SECRET (control)" ||
	notok "after reboot: an untagged root process reads SECRET (control)"

# remove and purge, as the admin guide says: a locked fence stays until reboot.
r=$(apt-get remove -y -q avfence-tools avfence-dkms 2>&1)
rc=$?
echo "$r" > "$st/remove.log"
[ "$rc" = 0 ] && grep -q 'locked' <<< "$r" && test -d /sys/module/avfence &&
	ok "apt-get remove: 'the fence is locked' said, the module stays loaded" ||
	notok "apt-get remove: 'the fence is locked' said, the module stays loaded"
test -e /etc/avfence/policy.conf && test -e /etc/default/avfence && ! test -e /usr/sbin/avfencectl &&
	! ls /lib/modules/*/updates/dkms/avfence.ko* > /dev/null 2>&1 &&
	ok "remove: configuration kept, avfencectl and the DKMS modules gone" ||
	notok "remove: configuration kept, avfencectl and the DKMS modules gone"
r=$(agent "cat /srv/secret/plan.txt" 2>&1)
grep -q "$secret_marker" <<< "$r" && notok "after remove: the locked fence still refuses the agent" ||
	ok "after remove: the locked fence still refuses the agent"
apt-get purge -y -q avfence-tools avfence-dkms > "$st/purge.log" 2>&1 &&
	! test -e /etc/avfence && ! test -e /etc/default/avfence &&
	ok "apt-get purge: /etc/avfence and /etc/default/avfence gone" ||
	notok "apt-get purge: /etc/avfence and /etc/default/avfence gone"
echo "done" > "$st/stage"
finish
systemctl poweroff
