# SPDX-License-Identifier: GPL-2.0
#
# Sourced by scripts/check.sh, tests/vm/run.sh and tests/deploy/run.sh:
#
#   one_at_a_time LOCKFILE MESSAGE
#
# Hold LOCKFILE's lock (flock) for the rest of the calling shell, so that
# runs that share a directory do not overlap; if another run holds it,
# print MESSAGE on stderr and wait for it.  The lock's descriptor is left
# open in the shell (and its children), as `exec N>` would leave it.
one_at_a_time() {
	local fd

	exec {fd}> "$1"
	if ! flock -n "$fd"; then
		echo "$2" >&2
		flock "$fd"
	fi
}
