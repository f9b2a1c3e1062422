#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# `make demo`, inside the VM: a tagged scanner is fenced off a SECRET file
# that an untagged reader gets.  Runs as /opt/demo.sh from /init.
set -e
say() { printf '\n$ %s\n' "$*"; }
run() { say "$*"; "$@"; }

echo "== avfence demo on Linux $(uname -r)"
mkdir -p /srv && mount -t tmpfs tmpfs /srv
mkdir -p /srv/classified
echo "the launch codes" > /srv/classified/plan.txt
echo "the canteen menu" > /srv/menu.txt

run cat /etc/avfence/example.conf
run avfencectl load /etc/avfence/example.conf
run avfencectl label SECRET /srv/classified
run avfencectl show /srv/classified/plan.txt /srv/menu.txt

# /opt/av/bin/scanner is the subject of the policy (OFFICIAL).
say "/opt/av/bin/scanner cat /srv/menu.txt          # tagged, unclassified file: allowed"
/opt/av/bin/scanner cat /srv/menu.txt
say "/opt/av/bin/scanner cat /srv/classified/plan.txt   # tagged, SECRET file"
rc=0
/opt/av/bin/scanner cat /srv/classified/plan.txt || rc=$?
echo "scanner: exit status $rc ($([ $rc = 13 ] && echo EACCES, denied || echo NOT DENIED))"
say "cat /srv/classified/plan.txt                  # untagged reader: allowed"
cat /srv/classified/plan.txt
run avfencectl status
say "dmesg | grep avfence"
dmesg | grep avfence
[ $rc = 13 ]
