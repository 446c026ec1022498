#!/usr/bin/env python3
"""Throughput and peak memory of glassbox's CSV reader against pandas, in one run.

    python3 scripts/bench_csv.py FILE.csv [--glassbox .build/release/glassbox-bench] [--repeat 1]

Times `pandas.read_csv(FILE).select_dtypes('number').to_numpy(np.float32)` in this process,
then `glassbox-bench csv FILE` (a release build) as a subprocess, on the same file with the
page cache warmed for both, and prints both times, their ratio and both peak RSS figures.
Make a file with scripts/make_csv_bench.py. Needs pandas and numpy.
"""
import argparse
import os
import resource
import subprocess
import sys
import time


def peak_rss_bytes(who=resource.RUSAGE_SELF) -> int:
    r = resource.getrusage(who).ru_maxrss
    return r if sys.platform == "darwin" else r * 1024


def cpu_seconds() -> float:
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("file")
    ap.add_argument("--glassbox", default=".build/release/glassbox-bench",
                    help="path to the glassbox-bench executable (release build)")
    ap.add_argument("--repeat", type=int, default=1, help="best of N for each reader")
    args = ap.parse_args()

    import numpy as np
    import pandas as pd

    size = os.path.getsize(args.file)
    with open(args.file, "rb") as f:  # warm the page cache for both readers
        while f.read(1 << 24):
            pass

    pandas_best = float("inf")
    pandas_cpu = float("inf")
    shape = None
    for _ in range(args.repeat):
        t0, c0 = time.perf_counter(), cpu_seconds()
        x = pd.read_csv(args.file).select_dtypes("number").to_numpy(np.float32)
        pandas_best = min(pandas_best, time.perf_counter() - t0)
        pandas_cpu = min(pandas_cpu, cpu_seconds() - c0)
        shape = x.shape
        pandas_checksum = float(x.sum(dtype=np.float64))
        del x
    pandas_rss = peak_rss_bytes()

    cmd = [args.glassbox, "csv", args.file, "--repeat", str(args.repeat)]
    out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
    line = next(l for l in out.splitlines() if l.startswith("RESULT "))
    fields = dict(kv.split("=", 1) for kv in line.split()[1:])
    swift_best = float(fields["seconds"])
    swift_cpu = float(fields["cpu_seconds"])
    swift_rss = int(fields["peak_rss"])
    matrix = int(fields["matrix_bytes"])
    swift_shape = (int(fields["rows"]), int(fields["cols"]))

    mb = size / 1e6
    print(f"file             {args.file}: {mb:.1f} MB")
    print(f"pandas           {pandas_best:8.3f} s  {mb / pandas_best:7.1f} MB/s  shape {shape}  "
          f"peak RSS {pandas_rss / 1e6:.1f} MB, CPU {pandas_cpu:.3f} s")
    print(f"glassbox         {swift_best:8.3f} s  {mb / swift_best:7.1f} MB/s  shape {swift_shape}  "
          f"peak RSS {swift_rss / 1e6:.1f} MB ({swift_rss / matrix:.2f}x the {matrix / 1e6:.1f} MB float32 matrix), "
          f"CPU {swift_cpu:.3f} s")
    print(f"speed-up         {pandas_best / swift_best:.2f}x pandas (wall clock; CPU time {pandas_cpu / swift_cpu:.2f}x)")
    if shape != swift_shape:
        print(f"warning: shapes differ: pandas {shape}, glassbox {swift_shape}", file=sys.stderr)
    elif abs(pandas_checksum - float(fields["checksum"])) > 1e-6 * max(1.0, abs(pandas_checksum)) + 1e-3:
        print(f"warning: checksums differ: pandas {pandas_checksum}, glassbox {fields['checksum']}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
