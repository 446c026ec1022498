#!/usr/bin/env python3
"""Time what `--feature-sets` adds to `glassbox export`, against the same export without it, in one run.

Run by hand (CI never runs this; only the standard library is needed). Build glassbox first:

    swift build -c release --product glassbox
    python3 scripts/bench_sets.py --model /work/bench-data/synth-50k/model.pt \\
        --data /work/bench-data/synth-50k/data.csv [--repeat 5] [--glassbox .build/release/glassbox]

Without --sets, writes a GMT of 50 hallmark-sized sets (50–200 members each, drawn with a fixed
seed from the data's feature columns, overlapping as MSigDB's hallmark sets do) next to the
output directories. Each repetition runs the two exports back to back, in alternating order, as
separate processes on a warm page cache — a shared, loaded machine slows both alike — and the
medians and the median of the per-repetition ratios are printed, of wall time and of the
children's CPU time (which other work on the machine disturbs far less). Output directories are fresh
for every run and deleted afterwards (outside the timings).
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def write_sets(data: Path, out: Path, count: int, smallest: int, largest: int, seed: int) -> None:
    """`count` sets of `smallest`..`largest` features from the data's numeric columns (all but id/label)."""
    with data.open() as f:
        header = f.readline().rstrip("\n").split(",")
    features = [h for h in header if h not in ("id", "label")]
    rng = random.Random(seed)
    with out.open("w") as f:
        for s in range(count):
            members = rng.sample(features, rng.randint(smallest, min(largest, len(features))))
            f.write("\t".join([f"SET_{s + 1:02d}", "synthetic hallmark-sized set"] + members) + "\n")


def run(cmd: list[str]) -> tuple[float, float]:
    """Runs cmd; returns (wall seconds, the child's CPU seconds, user + system)."""
    t0 = time.perf_counter()
    p = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(p.pid, 0)
    wall = time.perf_counter() - t0
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"{' '.join(cmd)} failed:\n{p.stderr.read().decode()}")
    p.stderr.close()
    return wall, usage.ru_utime + usage.ru_stime


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--model", required=True)
    ap.add_argument("--data", required=True)
    ap.add_argument("--id-column", default="id")
    ap.add_argument("--sets", help="a set file (default: 50 synthetic hallmark-sized sets)")
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--glassbox", default=str(ROOT / ".build/release/glassbox"))
    ap.add_argument("--scratch", default=None, help="where the exports go (default: a temporary directory)")
    args = ap.parse_args()

    scratch = Path(tempfile.mkdtemp(prefix="glassbox-bench-sets-", dir=args.scratch))
    try:
        sets = Path(args.sets) if args.sets else scratch / "hallmark-sized.gmt"
        if not args.sets:
            write_sets(Path(args.data), sets, count=50, smallest=50, largest=200, seed=15)
        base = [args.glassbox, "export", "--model", args.model, "--data", args.data, "--id-column", args.id_column, "--quiet"]
        runs = {"without sets": [], "with sets": []}
        cpu = {"without sets": [], "with sets": []}
        for r in range(args.repeat):
            order = ["without sets", "with sets"] if r % 2 == 0 else ["with sets", "without sets"]
            for name in order:
                out = scratch / f"out-{r}-{name.replace(' ', '-')}"
                extra = ["--feature-sets", str(sets)] if name == "with sets" else []
                wall, seconds = run(base + ["--out", str(out)] + extra)
                runs[name].append(wall)
                cpu[name].append(seconds)
                shutil.rmtree(out)
            print(f"repetition {r + 1}: " + ", ".join(f"{n} {runs[n][-1]:.2f} s (CPU {cpu[n][-1]:.2f} s)" for n in runs), flush=True)
        # Wall time, and the children's CPU time: other work on a shared machine stretches the
        # first much more than the second.
        for what, t in [("wall", runs), ("CPU", cpu)]:
            ratios = [w / wo for w, wo in zip(t["with sets"], t["without sets"])]
            print(f"{what:4s}: " + ", ".join(f"{n} median {statistics.median(v):.2f} s" for n, v in t.items())
                  + f"; with / without median ratio {statistics.median(ratios):.3f} "
                  f"(per repetition: {', '.join(f'{x:.3f}' for x in ratios)})")
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main()
