#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Turn the benchmark VM's "AVFB CONFIG OP FILE NS" lines into a table:
min and median ns per operation over the rounds, and the ratio of the
median to the no-module median of the same operation on the same file.
Targets of issue 7 are reported, not asserted (exit status 0 unless the
run produced no figures)."""
import argparse
import statistics
import sys
from collections import defaultdict

ap = argparse.ArgumentParser()
ap.add_argument("--kver", default="?")
ap.add_argument("--clock", default="icount")
ap.add_argument("raw")
a = ap.parse_args()

vals = defaultdict(list)
order = []
extra = []
for line in open(a.raw, errors="replace"):
    w = line.split()
    if len(w) == 5 and w[0] == "AVFB":
        key = tuple(w[1:4])
        if key not in vals:
            order.append(key)
        vals[key].append(int(w[4]))
    elif w and (w[0].startswith("AVFB-TIME") or w[0] in ("AVFB-ERROR", "AVFB-OPEN")):
        if line.rstrip() not in extra:
            extra.append(line.rstrip())
if not vals:
    print(f"{a.kver}: no figures")
    sys.exit(1)

def med(k):
    return statistics.median(vals[k])

print(f"# {a.kver}, clock={a.clock}, rounds={max(len(v) for v in vals.values())}")
print(f"{'case':34} {'min ns':>9} {'median ns':>9} {'ratio':>7}")
for op in ("open", "stat", "scan"):
    for key in order:
        cfg, o, f = key
        if o != op:
            continue
        base = ("noload", o, f)
        ratio = med(key) / med(base) if base in vals else float("nan")
        print(f"{cfg + ' ' + o + ' ' + f:34} {min(vals[key]):9d} {med(key):9.0f} {ratio:6.3f}x")

def r(cfg, op, f):
    k, b = (cfg, op, f), ("noload", op, f)
    return med(k) / med(b) if k in vals and b in vals else None

print("# targets (issue 7), reported not asserted")
def rep(name, val, limit):
    if val is None:
        print(f"  {name}: not measured")
    else:
        print(f"  {name}: {val:.3f}x (target <= {limit}) {'MET' if val <= limit else 'NOT MET'}")
rep("untagged open, policy loaded", r("untagged", "open", "unl"), 1.02)
rep("tagged open, label 32 levels up", r("tagged", "open", "d32"), 1.15)
if ("tagged", "open", "sec") in vals and ("tagged", "open", "d1") in vals:
    d, al = med(("tagged", "open", "sec")), med(("tagged", "open", "d1"))
    print(f"  denied open {d:.0f} ns vs allowed (label 1 up) {al:.0f} ns: {'MET' if d <= al else 'NOT MET'}")
for op in ("open",):
    for who in ("untagged", "tagged"):
        series = [(c, med((c, op, "unl"))) for c in (who, who + "-s100", who + "-s10000", who + "-t100", who + "-t1000")
                  if (c, op, "unl") in vals]
        if series:
            lo, hi = min(s for _, s in series), max(s for _, s in series)
            print(f"  {who} {op} flat in subjects/tagged tasks: " +
                  ", ".join(f"{c} {s:.0f}" for c, s in series) + f" ns; spread {hi / lo - 1:.1%}")
for e in extra:
    if not e.startswith("AVFB-OPEN") or " ok" not in e:
        print("  " + e)
