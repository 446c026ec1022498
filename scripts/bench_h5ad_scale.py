#!/usr/bin/env python3
"""Time `glassbox export` on a large .h5ad, whole and a --rows slice, with its memory, in one run.

Run by hand on the files scripts/make_h5ad_bench.py writes (glassbox never needs Python):

    swift build -c release --product glassbox
    python scripts/bench_h5ad_scale.py --model /work/bench-data/anndata/synth-50k/model.pt \\
        --data /work/bench-data/anndata/dense-1m.h5ad --out /work/bench-data/anndata/out [--slice 10000]

Runs, one after the other on a warm page cache: the full export, then `--rows A:A+slice` from
the middle of the file. For each: wall time and, sampled every 50 ms from /proc, the peak of
RssAnon (the process's own memory: everything beyond the mapped file) and of RssFile (pages of
mapped files it holds). The slice's time is reported as a share of the full export's. Outputs
are deleted afterwards.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def run(cmd: list[str]) -> dict:
    peaks = {"RssAnon": 0, "RssFile": 0}
    t0 = time.perf_counter()
    p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL)
    done = threading.Event()

    def sample() -> None:
        while not done.is_set():
            try:
                with open(f"/proc/{p.pid}/status") as f:
                    for line in f:
                        key = line.split(":")[0]
                        if key in peaks:
                            peaks[key] = max(peaks[key], int(line.split()[1]) * 1024)
            except OSError:
                pass
            done.wait(0.05)

    t = threading.Thread(target=sample)
    t.start()
    out, err = p.communicate()
    wall = time.perf_counter() - t0
    done.set()
    t.join()
    if p.returncode != 0:
        sys.exit(f"{' '.join(cmd)} exited {p.returncode}:\n{out.decode()}\n{err.decode()}")
    return {"wall": wall, "anon": peaks["RssAnon"], "file": peaks["RssFile"], "stdout": out.decode(), "stderr": err.decode()}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--model", type=Path, required=True)
    ap.add_argument("--data", type=Path, required=True)
    ap.add_argument("--out", type=Path, required=True, help="a scratch directory for the outputs")
    ap.add_argument("--slice", type=int, default=10_000, help="rows in the --rows run")
    ap.add_argument("--rows", type=int, default=None, help="the file's rows (default: read from the full export's summary)")
    ap.add_argument("--glassbox", type=Path, default=ROOT / ".build/release/glassbox")
    ap.add_argument("--skip-full", action="store_true", help="only the slice (no share is then reported)")
    a = ap.parse_args()

    results = {}
    base = [str(a.glassbox), "export", "--model", str(a.model), "--data", str(a.data), "--quiet", "--timings"]
    n = a.rows
    if not a.skip_full:
        out = a.out / "full"
        results["full"] = run(base + ["--out", str(out)])
        shutil.rmtree(out, ignore_errors=True)
        n = n or int(results["full"]["stdout"].split()[1])
    start = (n or 2 * a.slice) // 2
    out = a.out / "slice"
    results["slice"] = run(base + ["--out", str(out), "--rows", f"{start}:{start + a.slice}"])
    shutil.rmtree(out, ignore_errors=True)
    for name, r in results.items():
        timings = next((l.split("timings (wall/CPU): ", 1)[1] for l in r["stderr"].splitlines() if "timings" in l), "")
        print(f"{name:5}: {r['wall']:7.2f} s; peak RssAnon {r['anon'] / 1e9:5.2f} GB (beyond the mapped file), "
              f"peak RssFile {r['file'] / 1e9:5.2f} GB")
        print(f"       {r['stdout'].strip()[:160]}")
        print(f"       phases (wall/CPU): {timings}")
    if "full" in results:
        print(f"the {a.slice}-row slice took {100 * results['slice']['wall'] / results['full']['wall']:.2f}% of the full export's time")
    return 0


if __name__ == "__main__":
    sys.exit(main())
