#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Judge a KCSAN kernel's log for tests/debug-kernel/race.sh.

    kcsan-judge.py RESULTS.RAW CONSOLE.LOG

A defconfig kernel has data races of its own that KCSAN reports as
"BUG: KCSAN: data-race in ...": tests/vm/parse.py's "kernel log clean"
fails on every one of them.  Here a KCSAN report (the block from its
"BUG: KCSAN:" line to the closing "=====" line) counts only if it names
avfence: a frame "[avfence]" or a function of the module.  Every other
line of the log is judged as parse.py judges it (Oops, WARNING, lockdep,
...), without the other KCSAN reports.

Prints the number of avfence reports, of other KCSAN reports, and the
first avfence report (the title line of the others).  Exit 1 if any avfence report or any
other bad line was found.
"""
import importlib.util
import os
import re
import sys

here = os.path.dirname(os.path.abspath(__file__))
spec = importlib.util.spec_from_file_location(
    "parse", os.path.join(here, "..", "vm", "parse.py"))
parse = importlib.util.module_from_spec(spec)
spec.loader.exec_module(parse)

# The console prints "[  12.345678] " before each line; the dmesg copy too.
STAMP = re.compile(r"^\[\s*\d+\.\d+\]\s?")
AVF = re.compile(r"\[avfence\]|\bavf_|\btag_(floor|set|compute|clearance)\b")


def strip(l):
    return STAMP.sub("", l)


def names_avfence(block):
    """The title or a stack frame (an indented line) names avfence; other
    console lines printed into the middle of a report do not count."""
    return any(AVF.search(b) for b in block
               if b.startswith("BUG: KCSAN:") or b.startswith(" "))


def judge(lines):
    """(avfence reports, other KCSAN reports, other bad lines)"""
    avf, other, bad = [], [], []
    block = None
    for l in lines:
        s = strip(l)
        if block is not None:
            block.append(s)
            if s.startswith("=" * 20):
                (avf if names_avfence(block) else other).append(block)
                block = None
            continue
        if s.startswith("BUG: KCSAN:"):
            block = [s]
            continue
        bad.extend(parse.bad_lines([l]))
    if block is not None:	# cut off: judged on what came
        (avf if names_avfence(block) else other).append(block)
    return avf, other, bad


def main():
    raw = parse.read(sys.argv[1])
    con = parse.read(sys.argv[2]) if len(sys.argv) > 2 else []
    try:
        dmesg = raw[raw.index("AVF-DMESG-BEGIN") + 1:raw.index("AVF-DMESG-END")]
    except ValueError:
        dmesg = []
    # The console holds the whole log (the dmesg copy may have wrapped).
    avf, other, bad = judge(con if con else dmesg)
    print(f"kcsan: {len(avf)} avfence report(s), {len(other)} other KCSAN report(s), "
          f"{len(bad)} other bad line(s)")
    for n, b in enumerate(avf):
        if n == 0:
            print("kcsan: first avfence report:")
            for l in b[:40]:
                print(f"kcsan:   {l}")
        else:
            print(f"kcsan: avfence: {b[0]}")
    for b in other[:10]:
        print(f"kcsan: other: {b[0]}")
    for l in bad[:20]:
        print(f"kcsan: bad line: {l}")
    return 1 if avf or bad else 0


if __name__ == "__main__":
    sys.exit(main())
