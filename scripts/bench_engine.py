#!/usr/bin/env python3
"""Engine throughput, glassbox vs upstream, in one run on the same model and data.

Times upstream glass-box-umap's CPU `compute_contributions` (Jacobian + projection +
contributions) and `glassbox-bench engine` (the same work in Swift) on the first N rows of
the same CSV, and prints samples/s for both and their ratio. The CSV parse is excluded on
both sides (it has its own benchmark, scripts/bench_csv.py).

Run where the reference virtualenv exists, with OpenBLAS's forced core type unset for numpy:
    env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE /path/to/venv/bin/python scripts/bench_engine.py \
        --model /work/bench-data/synth-50k/model.pt --data /work/bench-data/synth-50k/data.csv
(build first: swift build -c release --product glassbox-bench)
"""
import argparse
import os
import re
import subprocess
import time

import numpy as np
import pandas as pd
import torch


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", required=True)
    ap.add_argument("--data", required=True)
    ap.add_argument("--rows", type=int, default=50_000)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--bench", default=None, help="path to glassbox-bench (default: release build)")
    args = ap.parse_args()

    from glass_box_umap import GlassBoxUMAP

    frame = pd.read_csv(args.data, nrows=args.rows)
    X = frame.select_dtypes("number").to_numpy(np.float32)
    model = GlassBoxUMAP.load(args.model)
    model.to("cpu")
    best = float("inf")
    for _ in range(args.repeat):
        t = time.perf_counter()
        C = model.compute_contributions(X)
        best = min(best, time.perf_counter() - t)
        del C
    upstream = len(X) / best
    print(f"upstream compute_contributions: {len(X)} samples in {best:.2f} s = {upstream:,.0f} samples/s "
          f"(torch {torch.__version__}, {torch.get_num_threads()} threads, best of {args.repeat})")

    bench = args.bench
    if bench is None:
        root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
        path = subprocess.run(["swift", "build", "-c", "release", "--show-bin-path"], cwd=root,
                              capture_output=True, text=True, check=True).stdout.strip()
        bench = os.path.join(path, "glassbox-bench")
    out = subprocess.run([bench, "engine", "--model", args.model, "--data", args.data, "--n", str(args.rows),
                          "--repeat", str(args.repeat)], capture_output=True, text=True, check=True).stdout
    print(out.strip())
    rate = float(re.search(r"([\d.]+) samples/s", out).group(1))
    print(f"glassbox / upstream throughput: {rate / upstream:.1f}x")


if __name__ == "__main__":
    main()
