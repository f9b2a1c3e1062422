#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# End-to-end checks of avfencectl against the real module, run as /init's
# payload by vm-run.sh: every command, error paths, kernel extack mapping,
# label rollback, size limits, check/status/ps/monitor.  Prints TAP-like
# "ok N - name" lines.  Not part of `make check`, whose VM suite runs the
# kselftests (tests/kselftest/ctl_test.c, monitor_test.c, zz_lock_test.c
# cover the same commands there).
set -u
n=0; fails=0
ck() { # ck NAME EXPECTED_RC CMD...
	name=$1; want=$2; shift 2
	out=$("$@" 2>&1); rc=$?
	n=$((n+1))
	if [ "$rc" = "$want" ]; then echo "ok $n - $name"; else echo "not ok $n - $name (rc=$rc want $want)"; fails=$((fails+1)); fi
	echo "$out" | sed 's/^/    | /'
}
A=avfencectl
ck "status no policy" 0 $A status
ck "status json no policy" 0 $A status --json
ck "mode without policy" 1 $A mode enforce
ck "label without policy" 1 $A label SECRET /etc/avfence/example.conf
mkdir -p /opt/av/bin && cp /bin/busybox /opt/av/bin/scanner
ck "load example" 0 $A load /etc/avfence/example.conf
ck "status" 0 $A status
ck "status json" 0 $A status --json
ck "mode audit" 0 $A mode audit
ck "mode print" 0 $A mode
ck "mode enforce" 0 $A mode enforce
mkdir -p /tmp/d/sub /tmp/d/sub2; echo x > /tmp/d/f; echo y > /tmp/d/sub/g; ln -s /tmp/d/f /tmp/d/link
ck "label file" 0 $A label SECRET /tmp/d/f
ck "show own" 0 $A show /tmp/d/f /tmp/d/sub/g
ck "label unknown level" 1 $A label BOGUS /tmp/d/f
ck "label lowercase level" 1 $A label secret /tmp/d/f
ck "label missing path: nothing applied" 1 $A label TOP-SECRET /tmp/d/sub/g /nonexistent
ck "  ...g still unlabelled" 0 $A show /tmp/d/sub/g
ck "label symlink refused" 1 $A label SECRET /tmp/d/link
ck "label -R dir" 0 $A label -R OFFICIAL /tmp/d/sub
ck "show after -R" 0 $A show /tmp/d/sub /tmp/d/sub/g /tmp/d/sub2 /tmp/d
ck "label dir only" 0 $A label TOP-SECRET /tmp/d/sub2
echo z > /tmp/d/sub2/h
ck "show inherited" 0 $A show /tmp/d/sub2/h
cd /tmp/d && ck "show relative" 0 $A show sub2/h f && cd /
ck "unlabel -R" 0 $A unlabel -R /tmp/d
ck "show after unlabel" 0 $A show /tmp/d/f /tmp/d/sub/g /tmp/d/sub2/h
ck "show missing" 1 $A show /nonexistent
ck "unknown option" 1 $A label -x SECRET /tmp/d/f
ck "help label" 0 $A help label
# rollback: a file on a filesystem whose xattr set fails midway? use /proc (read fails early)
ck "label on procfs refused before any change" 1 $A label SECRET /tmp/d/f /proc/version
ck "  ...f untouched" 0 $A show /tmp/d/f
# rollback: the last write fails (read-only mount) after the first ones succeeded
mkdir -p /mnt/ro && mount -t tmpfs tmpfs /mnt/ro && echo r > /mnt/ro/file && echo r > /mnt/ro/plain
ck "label ro file before remount" 0 $A label TOP-SECRET /mnt/ro/file
mount -o remount,ro /mnt/ro
ck "pre-label f OFFICIAL" 0 $A label OFFICIAL /tmp/d/f
ck "label with failing last write is undone" 1 $A label SECRET /tmp/d/f /tmp/d/sub/g /mnt/ro/file
ck "  ...f back to OFFICIAL, g unlabelled" 0 $A show /tmp/d/f /tmp/d/sub/g
ck "unlabel with failing write is undone" 1 $A unlabel /tmp/d/f /mnt/ro/file
ck "  ...f still OFFICIAL" 0 $A show /tmp/d/f
ck "unlabel of an unlabelled file on a ro fs is a no-op" 0 $A unlabel /tmp/d/sub/g /mnt/ro/plain
ck "cleanup unlabel" 0 $A unlabel /tmp/d/f
# tagged caller cannot load
cat > /tmp/tagged.sh <<'EOS'
#!/bin/sh
exec avfencectl load /etc/avfence/example.conf
EOS
chmod +x /tmp/tagged.sh
printf 'levels UNCLASSIFIED OFFICIAL SECRET TOP-SECRET\ndefault UNCLASSIFIED\nmode enforce\nsubject /opt/av/bin/scanner OFFICIAL\nsubject /tmp/tagged.sh OFFICIAL\n' > /tmp/p2.conf
ck "load p2" 0 $A load /tmp/p2.conf
ck "tagged caller refused" 1 /tmp/tagged.sh
ck "status shows capability route" 0 $A status
printf 'levels A B\ndefault A\nmode enforce\nsubject /opt/av/bin/scanner B allow=ptrace,raw-devices\n' > /tmp/allow.conf
ck "load allow=" 0 $A load /tmp/allow.conf
printf 'levels A B\ndefault A\nmode enforce\nsubject /opt/av/bin/scanner B allow=bpf\n' > /tmp/allow2.conf
ck "bad allow flag" 1 $A load /tmp/allow2.conf
ck "status json routes" 0 $A status --json
# kernel-side rejection mapped back to the line: race a rename against the load
i=0; : > /tmp/race.out
printf 'levels A B\ndefault A\nmode audit\n\nsubject /opt/av/bin/scanner B\nsubject /tmp/racer B\n' > /tmp/race.conf
touch /tmp/racer
( while :; do mv /tmp/racer /tmp/racer2; mv /tmp/racer2 /tmp/racer; done ) & rp=$!
while [ $i -lt 400 ]; do
	i=$((i+1))
	$A load /tmp/race.conf > /tmp/race.one 2>&1
	if grep -q "does not resolve" /tmp/race.one; then cp /tmp/race.one /tmp/race.out; break; fi
done
kill $rp; wait $rp 2>/dev/null
n=$((n+1)); if grep -q "^/tmp/race.conf:6: subject /tmp/racer: subject path does not resolve" /tmp/race.out; then echo "ok $n - kernel extack offset mapped to line (after $i tries)"; else echo "not ok $n - kernel extack offset mapped ($i tries)"; fails=$((fails+1)); fi
sed 's/^/    | /' /tmp/race.out
# size limits
mkdir -p /tmp/many
j=0; printf 'levels A B\ndefault A\nmode audit\n' > /tmp/many.conf
while [ $j -lt 1200 ]; do : > /tmp/many/s$j; echo "subject /tmp/many/s$j B" >> /tmp/many.conf; j=$((j+1)); done
ck "load 1200 subjects" 0 $A load /tmp/many.conf
ck "status 1200" 0 $A status
while [ $j -lt 2500 ]; do : > /tmp/many/s$j; echo "subject /tmp/many/s$j B" >> /tmp/many.conf; j=$((j+1)); done
ck "load 2500 subjects (split over several nests)" 0 $A load /tmp/many.conf
ck "status 2500" 0 $A status
# operator commands (issue 4); kselftests ctl_test, monitor_test and
# zz_lock_test cover them in depth
ck "check example" 0 $A check /etc/avfence/example.conf
ck "check --canonical" 0 $A check --canonical /etc/avfence/example.conf
ck "load --dry-run example" 0 $A load --dry-run /etc/avfence/example.conf
ck "load example again" 0 $A load /etc/avfence/example.conf
ck "status json digest" 0 $A status --json
ck "ps" 0 $A ps
ck "ps json" 0 $A ps --json
$A monitor > /tmp/mon.out 2>&1 & mp=$!
sleep 1; $A mode audit; $A mode enforce; sleep 1; kill -INT $mp; wait $mp; mrc=$?
n=$((n+1)); if [ $mrc = 0 ] && grep -q " mode pid=.* mode=enforce " /tmp/mon.out; then echo "ok $n - monitor saw mode events, exit 0 on SIGINT"; else echo "not ok $n - monitor (rc=$mrc)"; fails=$((fails+1)); fi
sed 's/^/    | /' /tmp/mon.out
rmmod avfence
ck "status no module" 1 $A status
ck "show no module" 0 $A show /tmp/d/f
ck "load no module" 1 $A load /tmp/p2.conf
echo "vm: $n run, $fails failed"
