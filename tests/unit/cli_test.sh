#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# avfencectl's command line without a kernel module: check, load --dry-run,
# usage errors, missing files, the size limits of Documentation/policy.rst
# at the limit and one past it.  TAP on stdout.
#
#   tests/unit/cli_test.sh [AVFENCECTL]     (default: userspace/avfencectl)
set -u
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
A=${1:-$top/userspace/avfencectl}
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
n=0 fails=0

# ck NAME WANT_RC CMD...: run CMD, keep stdout in $t/out, stderr in $t/err.
ck() {
	local name=$1 want=$2 rc
	shift 2
	"$@" > "$t/out" 2> "$t/err"; rc=$?
	n=$((n + 1))
	if [ "$rc" = "$want" ]; then
		echo "ok $n - cli: $name"
	else
		echo "not ok $n - cli: $name (exit $rc, want $want)"
		fails=$((fails + 1))
		sed 's/^/#   out: /' "$t/out" | head -5
		sed 's/^/#   err: /' "$t/err" | head -5
	fi
}
# has NAME FILE PATTERN: the last command's FILE (out or err) matches.
has() {
	n=$((n + 1))
	if grep -qE -- "$3" "$t/$2"; then
		echo "ok $n - cli: $1"
	else
		echo "not ok $n - cli: $1 (no /$3/ in std$2)"
		fails=$((fails + 1))
		sed "s/^/#   $2: /" "$t/$2" | head -5
	fi
}
# count NAME FILE PATTERN N: exactly N lines match.
count() {
	local c
	c=$(grep -cE -- "$3" "$t/$2")
	n=$((n + 1))
	if [ "$c" = "$4" ]; then
		echo "ok $n - cli: $1"
	else
		echo "not ok $n - cli: $1 ($c lines, want $4)"
		fails=$((fails + 1))
	fi
}

hdr='levels UNCLASSIFIED OFFICIAL SECRET TOP-SECRET
default UNCLASSIFIED
mode enforce'

# --- usage -----------------------------------------------------------------
ck "no arguments" 1 "$A"
has "no arguments: usage" err '^Usage: avfencectl COMMAND'
ck "unknown command" 1 "$A" frobnicate
has "unknown command named" err "unknown command 'frobnicate'"
ck "unknown top-level option" 1 "$A" --frob
has "unknown option named" err "unknown option '--frob'"
for c in load check status monitor ps lock mode show; do
	ck "$c --bogus" 1 "$A" $c --bogus x
	has "$c --bogus: says why" err "unknown option '--bogus'|unexpected argument|too many arguments|unknown mode"
done
ck "help" 0 "$A" help
for c in load check status monitor ps lock mode label unlabel show; do
	ck "help $c" 0 "$A" help $c
	ck "$c --help" 0 "$A" $c --help
done
# One getopt_long pattern for every command: --help/-h anywhere, "--" ends
# the options, unknown options and missing arguments named, exit status 1.
for c in load check status monitor ps lock mode label unlabel show help; do
	ck "$c --help (getopt)" 0 "$A" $c x --help
	has "$c --help: its usage on stdout" out "^Usage: avfencectl $c "
	ck "$c -h" 0 "$A" $c -h
	ck "$c --frob" 1 "$A" $c --frob
	has "$c --frob: named" err "^avfencectl: $c: unknown option '--frob'"
	has "$c --frob: usage" err "^Usage: avfencectl $c "
	ck "$c -Z" 1 "$A" $c -Z
	has "$c -Z: named" err "^avfencectl: $c: unknown option '-Z'"
	ck "$c -- --help: an operand, not help" 1 "$A" $c -- --help x y z
	has "$c -- --help: no help printed" err "."
done
ck "monitor --rcvbuf without a size" 1 "$A" monitor --rcvbuf
has "monitor --rcvbuf: needs an argument" err "option '--rcvbuf' needs an argument"
ck "monitor --rcvbuf=bad" 1 "$A" monitor --rcvbuf=12Q
has "monitor --rcvbuf=bad: says why" err "bad size '12Q'"
ck "status --json=yes" 1 "$A" status --json=yes
has "status --json=yes: takes no argument" err "option '--json' takes no argument"
ck "label -Rx" 1 "$A" label -Rx SECRET /nonexistent
has "label -Rx: names the letter" err "unknown option '-x'"
ck "status operand" 1 "$A" status now
has "status operand: named" err "unexpected argument 'now'"
ck "help status" 0 "$A" help status
has "status help names securityfs" out '/sys/kernel/security/avfence/status'
ck "check: missing file argument" 1 "$A" check
ck "check: two files" 1 "$A" check a b
ck "load: missing file argument" 1 "$A" load
ck "load --dry-run: missing file argument" 1 "$A" load --dry-run
ck "monitor --rcvbuf without size" 1 "$A" monitor --rcvbuf
ck "monitor --rcvbuf bad size" 1 "$A" monitor --rcvbuf 12X
ck "lock takes no argument" 1 "$A" lock now

# --- missing and unreadable policy files ------------------------------------
ck "check: missing file" 1 "$A" check "$t/nope.conf"
has "check: missing file: errno text" err "nope.conf: No such file or directory"
ck "load: missing file" 1 "$A" load "$t/nope.conf"
ck "load --dry-run: missing file" 1 "$A" load --dry-run "$t/nope.conf"
ck "check: a directory" 1 "$A" check "$t"
has "check: a directory: errno text" err "Is a directory"
ck "check: empty file" 1 "$A" check /dev/null
count "check: empty file: three missing directives" err "^/dev/null:1:1: missing '(levels|default|mode)' directive" 3

# --- check ------------------------------------------------------------------
ck "check example.conf" 0 "$A" check "$top/policy/example.conf"
has "check: summary" out "example.conf: valid: 4 levels, 1 subject, mode enforce"
has "check: digest of the canonical form" out '^digest: 03c566606cafebc71cfcc608a0e5a54b3e78e4f9dbc8f2c4b3722c8a9f17030c$'
ck "check --canonical example.conf" 0 "$A" check --canonical "$top/policy/example.conf"
n=$((n + 1))
if [ "$(sha256sum < "$t/out" | cut -d' ' -f1)" = 03c566606cafebc71cfcc608a0e5a54b3e78e4f9dbc8f2c4b3722c8a9f17030c ]; then
	echo "ok $n - cli: sha256sum of --canonical is the digest"
else
	echo "not ok $n - cli: sha256sum of --canonical is the digest"; fails=$((fails + 1))
fi
for f in "$top"/policy/*.conf; do
	ck "check $(basename "$f")" 0 "$A" check "$f"
	d=$(sed -n 's/^digest: //p' "$t/out")
	"$A" check --canonical "$f" > "$t/canon"
	n=$((n + 1))
	if [ -n "$d" ] && [ "$(sha256sum < "$t/canon" | cut -d' ' -f1)" = "$d" ]; then
		echo "ok $n - cli: $(basename "$f"): digest = sha256sum of canonical form"
	else
		echo "not ok $n - cli: $(basename "$f"): digest = sha256sum of canonical form"; fails=$((fails + 1))
	fi
done
# check does not look at the disk: subjects that do not exist are fine.
printf '%s\nsubject /nonexistent/agent OFFICIAL\n' "$hdr" > "$t/ghost.conf"
ck "check: subject need not exist" 0 "$A" check "$t/ghost.conf"
ck "load --dry-run: subject must exist" 1 "$A" load --dry-run "$t/ghost.conf"
has "load --dry-run: missing subject at its line and column" err "ghost.conf:4:9: subject path '/nonexistent/agent': No such file or directory"
has "load --dry-run: nothing sent" err "1 error, dry run failed"

# Every error of a file, in order, as FILE:LINE:COL: message.
cat > "$t/bad.conf" <<'EOP'
levels A A b@d
default Z
mode permissive
subject relative/path A
subject /x A allow=bpf
frob
levels B
EOP
ck "check: all errors" 1 "$A" check "$t/bad.conf"
count "check: seven errors, one line each" err "^$t/bad.conf:[0-9]+:[0-9]+: " 8
has "duplicate level" err "bad.conf:1:10: duplicate level 'A' \(first at column 8\)"
has "invalid level name" err "bad.conf:1:12: invalid level name 'b@d'"
has "unknown default level" err "bad.conf:2:9: unknown level 'Z'"
has "unknown mode" err "bad.conf:3:6: unknown mode 'permissive'"
has "relative subject" err "bad.conf:4:9: subject path 'relative/path' is not absolute"
has "unknown allow flag" err "bad.conf:5:20: unknown allow flag 'bpf'"
has "unknown directive" err "bad.conf:6:1: unknown directive 'frob'"
has "duplicate levels directive" err "bad.conf:7:1: duplicate 'levels' directive \(first on line 1\)"
has "summary line" err "bad.conf: 8 errors, policy not valid"
n=$((n + 1))
if [ ! -s "$t/out" ]; then echo "ok $n - cli: check: no digest for an invalid policy"; else echo "not ok $n - cli: check: no digest for an invalid policy"; fails=$((fails + 1)); fi

# --- load --dry-run ---------------------------------------------------------
mkdir -p "$t/bin" "$t/dir"
printf '#!/bin/sh\n' > "$t/bin/agent"; chmod +x "$t/bin/agent"
ln "$t/bin/agent" "$t/bin/agent-link"
printf '%s\nsubject %s OFFICIAL\n' "$hdr" "$t/bin/agent" > "$t/ok.conf"
ck "load --dry-run: valid" 0 "$A" load --dry-run "$t/ok.conf"
has "load --dry-run: says nothing is sent" out "dry run, nothing sent: would load 4 levels, 1 subject, mode enforce"
has "load --dry-run: request size" out "^request: [0-9]+ bytes, 1 subject attribute$"
"$A" check "$t/ok.conf" > "$t/check.out"
d=$(sed -n 's/^digest: //p' "$t/check.out")
has "load --dry-run: same digest as check" out "^digest: $d\$"
ck "load FILE --dry-run (option after the file)" 0 "$A" load "$t/ok.conf" --dry-run
ck "load --dry (unique prefix)" 0 "$A" load --dry "$t/ok.conf"
cp "$t/ok.conf" "$t/-dash.conf"
ck "load --dry-run -- -FILE" 0 "$A" load --dry-run -- "$t/-dash.conf"
absA=$(realpath "$A")
ck "check -- -FILE" 0 env -C "$t" "$absA" check -- -dash.conf
ck "check -FILE without --" 1 env -C "$t" "$absA" check -dash.conf
has "check -FILE without --: an option" err "unknown option '-d'"
printf '%s\nsubject %s OFFICIAL\nsubject %s SECRET\nsubject %s SECRET\n' "$hdr" "$t/dir" "$t/bin/agent" "$t/bin/agent-link" > "$t/subj.conf"
ck "load --dry-run: bad subjects" 1 "$A" load --dry-run "$t/subj.conf"
has "directory subject" err "subj.conf:4:9: subject path '$t/dir' is not a regular file"
has "two paths, one file" err "subj.conf:6:9: subject path '$t/bin/agent-link' is the same file as '$t/bin/agent' \(line 5\)"
if [ "$(id -u)" = 0 ] && command -v setpriv > /dev/null; then
	mkdir -m 700 "$t/private"; : > "$t/private/agent"; chmod 755 "$t" "$t/bin"
	printf '%s\nsubject %s/private/agent OFFICIAL\n' "$hdr" "$t" > "$t/priv.conf"
	chmod 644 "$t/priv.conf"
	ck "load --dry-run: unreadable subject path (as nobody)" 1 setpriv --reuid=65534 --regid=65534 --clear-groups "$A" load --dry-run "$t/priv.conf"
	has "unreadable subject path: EACCES at its line" err "priv.conf:4:9: subject path '$t/private/agent': Permission denied"
	ck "check: unreadable policy file (as nobody)" 1 setpriv --reuid=65534 --regid=65534 --clear-groups "$A" check "$t/private/agent"
	has "unreadable policy file: EACCES" err "Permission denied"
else
	n=$((n + 1)); echo "ok $n - cli: unreadable subject path # SKIP needs root and setpriv"
fi

# --- limits: at the limit passes, one past fails ----------------------------
gen_levels() { local i; for ((i = 1; i <= $1; i++)); do printf ' L%d' $i; done; }
printf 'levels%s\ndefault L1\nmode audit\n' "$(gen_levels 32)" > "$t/l32.conf"
ck "32 levels" 0 "$A" check "$t/l32.conf"
printf 'levels%s\ndefault L1\nmode audit\n' "$(gen_levels 33)" > "$t/l33.conf"
ck "33 levels" 1 "$A" check "$t/l33.conf"
has "33 levels: message" err "l33.conf:1:[0-9]+: too many levels \(limit 32\)"
name63=$(printf 'N%.0s' $(seq 63)); name64=${name63}N
printf 'levels A %s\ndefault A\nmode audit\n' "$name63" > "$t/n63.conf"
ck "63-byte level name" 0 "$A" check "$t/n63.conf"
printf 'levels A %s\ndefault A\nmode audit\n' "$name64" > "$t/n64.conf"
ck "64-byte level name" 1 "$A" check "$t/n64.conf"
has "64-byte level name: message" err "n64.conf:1:10: invalid level name"
p4095=/$(printf 'p%.0s' $(seq 4094)); p4096=${p4095}p
printf '%s\nsubject %s OFFICIAL\n' "$hdr" "$p4095" > "$t/p4095.conf"
ck "4095-byte subject path" 0 "$A" check "$t/p4095.conf"
printf '%s\nsubject %s OFFICIAL\n' "$hdr" "$p4096" > "$t/p4096.conf"
ck "4096-byte subject path" 1 "$A" check "$t/p4096.conf"
has "4096-byte subject path: message" err "p4096.conf:4:9: subject path too long \(4096 bytes, limit 4095\)"
l8192="subject /x A #$(printf 'x%.0s' $(seq 8178))"	# 8192 bytes
printf 'levels A\ndefault A\nmode audit\n%s\n' "$l8192" > "$t/line8192.conf"
ck "8192-byte line" 0 "$A" check "$t/line8192.conf"
printf 'levels A\ndefault A\nmode audit\n%sx\n' "$l8192" > "$t/line8193.conf"
ck "8193-byte line" 1 "$A" check "$t/line8193.conf"
has "8193-byte line: message" err "line8193.conf:4:8193: line too long \(8193 bytes, limit 8192\)"
{ echo "$hdr"; seq -f 'subject /opt/av/s%.0f OFFICIAL' 0 16383; } > "$t/s16384.conf"
ck "16384 subjects" 0 "$A" check "$t/s16384.conf"
has "16384 subjects: counted" out "16384 subjects"
{ cat "$t/s16384.conf"; echo "subject /opt/av/s16384 OFFICIAL"; } > "$t/s16385.conf"
ck "16385 subjects" 1 "$A" check "$t/s16385.conf"
has "16385 subjects: at the 16385th, once" err "s16385.conf:16388:1: too many subjects \(limit 16384\)"
count "16385 subjects: one error" err "too many subjects" 1
# Real files for the dry run of a full policy: the request is split.
mkdir -p "$t/many"
(cd "$t/many" && seq -f 's%.0f' 0 16383 | xargs touch)
{ echo "$hdr"; seq -f "subject $t/many/s%.0f OFFICIAL" 0 16383; } > "$t/m16384.conf"
ck "load --dry-run: 16384 subjects" 0 "$A" load --dry-run "$t/m16384.conf"
has "load --dry-run: 16384 subjects split over several attributes" out "^request: [0-9]+ bytes, ([2-9]|[1-9][0-9]+) subject attributes$"

# --- label --apply / --verify: the declared label map -------------------------
# Needs security.* xattrs where the test runs (tmpfs, ext4) and root.
mkdir -p "$t/lm/srv/a/b" "$t/lm/srv/c"
echo x > "$t/lm/srv/a/f"; echo y > "$t/lm/srv/a/b/g"; echo z > "$t/lm/srv/c/h"
printf '%s\nlabel %s SECRET\nlabel %s OFFICIAL\n' "$hdr" "$t/lm/srv/a" "$t/lm/srv/a/b" > "$t/lm.conf"
if setfattr -n security.avfence -v X "$t/lm/srv/c/h" 2> /dev/null; then
	ck "label --verify: nothing labelled yet is drift" 1 "$A" label --verify "$t/lm.conf"
	count "label --verify: every declared file listed" out "no label, declared" 4
	has "label --verify: summary" out "4 files checked, 4 drifted"
	ck "label --apply" 0 "$A" label --apply "$t/lm.conf"
	has "label --apply: summary" out "4 files labelled, 4 changed"
	ck "label --apply: nearer line wins" 0 getfattr --only-values -n security.avfence "$t/lm/srv/a/b/g"
	has "label --apply: OFFICIAL below SECRET" out "^OFFICIAL$"
	ck "label --apply: outside the map untouched" 0 getfattr --only-values -n security.avfence "$t/lm/srv/c/h"
	has "label --apply: X kept" out "^X$"
	ck "label --verify: clean" 0 "$A" label --verify "$t/lm.conf"
	ck "label --verify --json: clean" 0 "$A" label --verify --json "$t/lm.conf"
	has "label --verify --json: counts" out '"files":4,"drifted":0'
	setfattr -n security.avfence -v UNCLASSIFIED "$t/lm/srv/a/f"
	ck "label --verify: drift by hand" 1 "$A" label --verify "$t/lm.conf"
	has "label --verify: the drifted file" out "^$t/lm/srv/a/f: own UNCLASSIFIED, declared SECRET \($t/lm.conf:4\)$"
	count "label --verify: only that one" out "declared" 1
	ck "label --verify --json: drift" 1 "$A" label --verify --json "$t/lm.conf"
	has "label --verify --json: drift entry" out '"drift":\[\{"path":"[^"]*/lm/srv/a/f","own":"UNCLASSIFIED"\}\]'
	ck "label --apply --json" 0 "$A" label --apply --json "$t/lm.conf"
	has "label --apply --json: one changed" out '"files":4,"changed":1'
	ck "label --verify after apply" 0 "$A" label --verify "$t/lm.conf"
else
	n=$((n + 1)); echo "ok $n - cli: label --apply/--verify # SKIP no security.* xattrs here (or not root)"
fi
printf '%s\nlabel %s/absent SECRET\n' "$hdr" "$t" > "$t/lm-absent.conf"
ck "label --verify: missing path" 2 "$A" label --verify "$t/lm-absent.conf"
has "label --verify: missing path: message" err "line 4: $t/absent: No such file or directory"
ck "label --apply: no label lines" 2 "$A" label --apply "$t/s16384.conf"
has "label --apply: no label lines: message" err "declares no labels"
ck "label --apply and --verify" 1 "$A" label --apply --verify "$t/lm.conf"
ck "label --verify: bad policy" 2 "$A" label --verify "$t/line8193.conf"

# --- bash completion (bash-completion's helpers stubbed) ---------------------
complete() { :; }
_init_completion() {
	words=("${COMP_WORDS[@]}"); cword=$COMP_CWORD
	cur=${words[cword]}; prev=${words[cword - 1]}
}
_filedir() { COMPREPLY=(FILES); }
# shellcheck source=../../userspace/completion/avfencectl.bash
. "$top/userspace/completion/avfencectl.bash"
# comp NAME "WORDS..." WANT: completing the last word gives exactly WANT.
comp() {
	local got
	read -r -a COMP_WORDS <<< "$2"
	[[ $2 == *" " ]] && COMP_WORDS+=("")
	COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
	COMPREPLY=()
	_avfencectl
	got="${COMPREPLY[*]}"
	n=$((n + 1))
	if [ "$got" = "$3" ]; then
		echo "ok $n - cli: completion: $1"
	else
		echo "not ok $n - cli: completion: $1 (got '$got', want '$3')"
		fails=$((fails + 1))
	fi
}
comp "commands" "avfencectl " "load check status monitor ps suggest mode lock label unlabel show attest verify help --help"
comp "command prefix" "avfencectl mo" "monitor mode"
comp "mode values" "avfencectl mode " "enforce audit --help"
comp "nothing after the mode" "avfencectl mode audit " ""
comp "load options" "avfencectl load --" "--dry-run --help"
comp "load file" "avfencectl load " "FILES"
comp "check options" "avfencectl check --c" "--canonical"
comp "monitor options" "avfencectl monitor --" "--json --rcvbuf --help"
comp "monitor --rcvbuf sizes" "avfencectl monitor --rcvbuf " "256K 1M 4M 16M"
comp "ps options" "avfencectl ps " "--json --help"
comp "help topics" "avfencectl help l" "load lock label"
comp "unlabel -R" "avfencectl unlabel -" "-R --recursive --help"
comp "label --r" "avfencectl label --r" "--recursive"
comp "label options" "avfencectl label -" "-R --recursive --apply --verify --help"
comp "label --verify options" "avfencectl label --verify -" "--json"
comp "label --apply file" "avfencectl label --apply " "FILES"

# --- man pages: no groff warnings -----------------------------------------------
if command -v man > /dev/null && man --version > /dev/null 2>&1; then
	for m in "$top/userspace/avfencectl.8" "$top/userspace/avfence.policy.5"; do
		ck "man $(basename "$m") renders without warnings" 0 env MANWIDTH=80 man --warnings -l "$m"
		n=$((n + 1))
		if [ ! -s "$t/err" ] && [ -s "$t/out" ]; then
			echo "ok $n - cli: man $(basename "$m"): no warnings"
		else
			echo "not ok $n - cli: man $(basename "$m"): no warnings"; fails=$((fails + 1))
			sed 's/^/#   err: /' "$t/err" | head -5
		fi
	done
else
	n=$((n + 1)); echo "ok $n - cli: man pages render # SKIP no man"
fi

echo "1..$n"
echo "cli: $((n - fails)) passed, $fails failed"
[ "$fails" = 0 ]
