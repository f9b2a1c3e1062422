#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Summarize `make check` (scripts/check.sh).

  summarize.py DIR
      Read DIR/NN-stage.tap (items "ok - ...", "not ok - ...",
      "ok - ... # SKIP why"), print each stage's counts and time, every
      failed item, and last the line "N passed, N failed" (plus
      ", N skipped" if any).  Exit 1 if anything failed or nothing ran.

  summarize.py --tap-from-log NAME RC LOG
      Turn a test log into items: its TAP lines ("ok N x", "not ok N x",
      "ok N x # SKIP why"; googletest's "[       OK ]" / "[  FAILED  ]"
      lines too), each prefixed "NAME: ".  Without any, one item from the
      exit status RC; a non-zero RC with no failed item adds a failure.

Convention (contract): ok counts as passed, "not ok" as failed, SKIP
separately and never as passed.
"""
import glob
import os
import re
import sys

ITEM = re.compile(r"^(not )?ok\b(?:\s+\d+)?(?:\s+-)?\s*(.*?)(?:\s+#\s*(SKIP|TODO)\b\s*(.*))?$")
GTEST = re.compile(r"^\[\s+(OK|FAILED|SKIPPED)\s+\]\s+(\S+\.\S+)(?: \(\d+ ms\))?$")


def classify(line):
    """Return (status, text) for an item line, or None.  status: ok/fail/skip."""
    m = ITEM.match(line)
    if m:
        if m.group(1):
            return "fail", m.group(2)
        if m.group(3) == "SKIP":
            return "skip", f"{m.group(2)} # SKIP {m.group(4)}"
        return "ok", m.group(2)
    return None


def tap_from_log(name, rc, path):
    items = []
    try:
        lines = open(path, errors="replace").read().splitlines()
    except OSError:
        lines = []
    for l in lines:
        c = classify(l)
        if c:
            items.append(c)
            continue
        m = GTEST.match(l)
        if m:
            st = {"OK": "ok", "FAILED": "fail", "SKIPPED": "skip"}[m.group(1)]
            items.append((st, m.group(2) + (" # SKIP" if st == "skip" else "")))
    if not items:
        items.append(("ok" if rc == 0 else "fail", f"exit status {rc}"))
    elif rc != 0 and not any(s == "fail" for s, _ in items):
        items.append(("fail", f"exit status {rc}"))
    for st, text in items:
        print(("not ok - " if st == "fail" else "ok - ") + f"{name}: {text}")
    return 0


def summarize(d):
    totals = {"ok": 0, "fail": 0, "skip": 0}
    failed = []
    print("=== summary")
    for path in sorted(glob.glob(os.path.join(d, "*.tap"))):
        stage = re.sub(r"^\d+-", "", os.path.basename(path)[:-4])
        c = {"ok": 0, "fail": 0, "skip": 0}
        for l in open(path, errors="replace").read().splitlines():
            r = classify(l)
            if r:
                c[r[0]] += 1
                if r[0] == "fail":
                    failed.append(r[1])
        base = path[:-4]
        t = 0.0
        for f in glob.glob(base + "*.seconds"):
            if not f.endswith(".boot-seconds"):
                t += float(open(f).read().strip() or 0)
        secs = f" ({t:.0f} s" if t else ""
        for f in glob.glob(base + "*.boot-seconds"):
            secs += f", VM {float(open(f).read().strip()):.1f} s"
        secs += ")" if secs else ""
        for k in c:
            totals[k] += c[k]
        line = f"{stage:40s} {c['ok']} passed, {c['fail']} failed"
        if c["skip"]:
            line += f", {c['skip']} skipped"
        print(line + secs + ("  FAILED" if c["fail"] else ""))
    if failed:
        print("failed items:")
        for f in failed:
            print(f"  not ok - {f}")
    final = f"{totals['ok']} passed, {totals['fail']} failed"
    if totals["skip"]:
        final += f", {totals['skip']} skipped"
    try:
        with open(os.path.join(d, "summary.txt"), "w") as f:
            f.write(final + "\n")
    except OSError:
        pass
    print(final)
    return 1 if totals["fail"] or not totals["ok"] else 0


def main(argv):
    if len(argv) == 5 and argv[1] == "--tap-from-log":
        return tap_from_log(argv[2], int(argv[3]), argv[4])
    if len(argv) == 2:
        return summarize(argv[1])
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
