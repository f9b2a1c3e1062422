#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Turn one test VM's serial output into TAP items (tests/vm/run.sh).

Input: the results port log (markers, the kselftests' TAP, the kernel log)
and the kernel console log.  Output on stdout, one item a line:

    ok - KVER: TEST: CASE
    not ok - KVER: TEST: CASE
    ok - KVER: TEST: CASE # SKIP why
    # diagnostics

Exit 1 if any item failed.  Besides the test cases, each kernel gets:
insmod, every expected test ran to completion, the VM reached its end
marker, the final rmmod, and the kernel log is clean (no Oops, BUG,
WARNING, lockdep, general protection, Call Trace, KASAN/KFENCE/UBSAN
report, slab corruption).
"""
import argparse
import re
import sys

BAD = re.compile(
    r"Oops|\bBUG\b|WARNING:|lockdep|possible recursive locking|"
    r"circular locking|general protection|Call Trace|KASAN|KFENCE:|UBSAN|"
    r"list_(add|del) corruption|Poison overwritten|Redzone|Object padding|"
    r"Kernel panic|kernel BUG|blocked for more than|soft lockup|hard LOCKUP|"
    r"rcu_.*detected stall|refcount_t: |double free|use-after-free|"
    r"unreferenced object|Unable to handle kernel")

# Boot messages of these stock kernels that match BAD but are not faults.
ALLOW = [
    re.compile(r"RETBleed: WARNING: Spectre v2 mitigation"),
    re.compile(r"WARNING: Spectre v2 mitigation"),
    re.compile(r"Kernel command line:"),
    re.compile(r"kfence: initialized"),
    re.compile(r"MDS CPU bug present"),
    re.compile(r"MMIO Stale Data CPU bug present"),
    re.compile(r"TAA CPU bug present"),
    # The debug kernel (tests/debug-kernel) announces its checkers at boot.
    re.compile(r"rcu: \s*RCU lockdep checking is enabled\."),
    re.compile(r"rcu: \s*RCU callback double-/use-after-free debug is enabled\."),
]

TAP = re.compile(r"^(not )?ok (\d+)\s*(.*?)\s*(?:#\s*(SKIP|XFAIL|TODO)\b\s*(.*))?$")
RUN = re.compile(r"^#\s+RUN\s+(\S+) \.\.\.")
PLAN = re.compile(r"^1\.\.(\d+)")


def read(path):
    try:
        with open(path, "rb") as f:
            data = f.read().decode("utf-8", "replace")
    except OSError:
        return []
    return [l.rstrip("\r") for l in data.replace("\r\n", "\n").split("\n")]


def bad_lines(lines):
    found = []
    for l in lines:
        if BAD.search(l) and not any(a.search(l) for a in ALLOW):
            found.append(l)
    return found


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--kver", required=True)
    ap.add_argument("--qemu-rc", type=int, default=0)
    ap.add_argument("--expect", default="", help="comma-separated tests")
    ap.add_argument("--expect-log", default="",
                    help="text the kernel log must contain")
    ap.add_argument("results")
    ap.add_argument("console")
    a = ap.parse_args()
    k = a.kver
    items = []   # (status, text) status in ok/fail/skip

    def item(ok, text, skip=None):
        items.append(("skip" if skip is not None else ("ok" if ok else "fail"),
                      text, skip))

    res = read(a.results)
    con = read(a.console)
    diag = []

    insmod = [l for l in res if l.startswith("AVF-INSMOD ")]
    if insmod:
        rc = insmod[0].split("rc=")[-1]
        item(rc == "0", f"{k}: insmod avfence.ko")
    else:
        item(False, f"{k}: insmod avfence.ko (never reached)")

    for l in res:
        if l.startswith("AVF-MODPROBE-FAIL "):
            item(False, f"{k}: insmod {l.split()[1]}")
        if l.startswith("AVF-RELOAD-FAIL "):
            w = l.split()
            item(False, f"{k}: {w[1]}: {w[2]} avfence before the test")

    # Per-test TAP, between TEST-BEGIN and TEST-END markers.
    ran = []
    cur = None
    for l in res + ["AVF-EOF"]:
        if l.startswith("AVF-TEST-BEGIN "):
            cur = {"name": l.split()[1], "plan": None, "n": 0, "fail": 0, "rc": None}
            continue
        if cur is None:
            continue
        if l.startswith("AVF-TEST-END ") or l == "AVF-EOF" or (
                l.startswith("AVF-") and not l.startswith("AVF-TEST")):
            if l.startswith("AVF-TEST-END "):
                m = re.search(r"rc=(\S+)", l)
                cur["rc"] = m.group(1) if m else "?"
                m = re.search(r"secs=(\d+)", l)
                if m:
                    diag.append(f"{cur['name']}: {m.group(1)} s")
            t = cur["name"]
            ran.append(t)
            if cur["rc"] is None:
                item(False, f"{k}: {t}: did not finish (VM crashed or hung)")
            elif cur["plan"] is None:
                item(False, f"{k}: {t}: no TAP plan (exit status {cur['rc']})")
            elif cur["n"] != cur["plan"]:
                item(False, f"{k}: {t}: {cur['n']} of {cur['plan']} results "
                     f"(exit status {cur['rc']})")
            elif cur["rc"] != "0" and cur["fail"] == 0:
                item(False, f"{k}: {t}: exit status {cur['rc']} with no failed case")
            cur = None
            continue
        m = PLAN.match(l)
        if m:
            cur["plan"] = int(m.group(1))
            continue
        m = RUN.match(l)
        if m:
            cur["run"] = m.group(1)
            continue
        m = TAP.match(l)
        if m:
            cur["n"] += 1
            # The harness prints "ok N # SKIP why" without the case name.
            name = f"{k}: {cur['name']}: {m.group(3) or cur.get('run', '?')}"
            if m.group(1):
                cur["fail"] += 1
                item(False, name)
            elif m.group(4) == "SKIP":
                item(True, name, skip=m.group(5) or "")
            else:
                item(True, name)
        elif l.startswith("#") and ("FAIL" in l or ":Expected" in l or "Test terminated" in l):
            diag.append(f"{cur['name']}: {l}")

    for t in [x for x in a.expect.split(",") if x]:
        if t not in ran:
            item(False, f"{k}: {t}: not run")

    end = "AVF-END" in res
    item(end, f"{k}: VM reached end" +
         ("" if end else f" (qemu/timeout exit status {a.qemu_rc})"))

    rm = [l for l in res if l.startswith("AVF-RMMOD ")]
    if end and rm and rm[0].endswith("rc=locked"):
        item(True, f"{k}: final rmmod avfence", skip="module locked by zz_lock_test")
    elif end:
        item(bool(rm) and rm[0].endswith("rc=0"), f"{k}: final rmmod avfence")

    try:
        i = res.index("AVF-DMESG-BEGIN")
        j = res.index("AVF-DMESG-END")
        dmesg = res[i + 1:j]
    except ValueError:
        dmesg = []
    bad = bad_lines(dmesg) + [l for l in bad_lines(con) if l not in dmesg]
    item(end and not bad, f"{k}: kernel log clean" +
         ("" if end else " (no kernel log: VM did not finish)"))
    for l in bad[:40]:
        diag.append(f"kernel log: {l}")
    if a.expect_log:
        item(any(a.expect_log in l for l in dmesg),
             f"{k}: kernel log says \"{a.expect_log}\"")

    for st, text, skip in items:
        if st == "ok":
            print(f"ok - {text}")
        elif st == "skip":
            print(f"ok - {text} # SKIP {skip}")
        else:
            print(f"not ok - {text}")
    for d in diag:
        print(f"# {k}: {d}")
    return 1 if any(st == "fail" for st, _, _ in items) else 0


if __name__ == "__main__":
    sys.exit(main())
