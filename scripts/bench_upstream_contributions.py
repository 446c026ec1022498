#!/usr/bin/env python3
"""Time upstream glass-box-umap 0.1.0's CPU `compute_contributions`, for comparison with glassbox.

Run by hand (needs the packages in SampleData/requirements.txt; CI never runs this).

IMPORTANT: this machine sets OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE in the environment; to
benchmark, run without them:

    env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE python scripts/bench_upstream_contributions.py \
        --model /work/bench-data/synth-50k/model.pt --data /work/bench-data/synth-50k/data.csv \
        [--rows N] [--batch-size B] [--threads T] [--repeat R]

Default mode: `pandas.read_csv` (+ conversion of the feature columns to float32) and
`GlassBoxUMAP.load` happen first and are *not* timed; then `compute_contributions(X)` is timed
and reported as

    upstream compute_contributions: N samples in T s = S samples/s

`--full-path` instead times the whole user path in one go,
`pandas.read_csv + GlassBoxUMAP.load + compute_contributions + numpy.save(contributions)`,
and reports the wall time of each step, the total, and the process's peak RSS
(resource.getrusage(RUSAGE_SELF).ru_maxrss; imports happen before the timer starts).

Data layout (as everywhere in glassbox): column 1 = id, column 2 = label, the rest = features.
An AnnData file (told by HDF5's signature, as glassbox tells it) is read the way its users read
it instead: `anndata.read_h5ad(path).X` as float32 (dense; a sparse X is densified, as
upstream's `fit(X)` / `compute_contributions(X)` need), reported as `read_h5ad`.
--batch-size defaults to the model's own `batch_size` attribute, as upstream does.
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

T_START = time.perf_counter()

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import torch  # noqa: E402

from glass_box_umap import GlassBoxUMAP  # noqa: E402

T_IMPORTED = time.perf_counter()


def is_h5ad(path: Path) -> bool:
    with open(path, "rb") as f:
        return f.read(8) == b"\x89HDF\r\n\x1a\n"


def read_features(path: Path, rows: int | None) -> np.ndarray:
    if is_h5ad(path):
        import anndata

        X = anndata.read_h5ad(path).X
        X = X[:rows] if rows else X
        X = X.toarray() if hasattr(X, "toarray") else X
        return np.ascontiguousarray(X, dtype=np.float32)
    df = pd.read_csv(path, nrows=rows)
    return np.ascontiguousarray(df.iloc[:, 2:].to_numpy(dtype=np.float32))


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0  # Linux: KiB


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--model", type=Path, required=True, help="upstream model.pt")
    ap.add_argument("--data", type=Path, required=True, help="data.csv (id, label, features...)")
    ap.add_argument("--rows", type=int, default=None, help="only the first N rows of the CSV")
    ap.add_argument("--batch-size", type=int, default=None,
                    help="Jacobian batch size (default: the model's batch_size)")
    ap.add_argument("--threads", type=int, default=None, help="torch.set_num_threads(T)")
    ap.add_argument("--repeat", type=int, default=1, help="timed repetitions (default mode); best and median are reported")
    ap.add_argument("--full-path", action="store_true",
                    help="time read_csv + load + compute_contributions + numpy.save together")
    ap.add_argument("--out", type=Path, default=None,
                    help="--full-path: where to numpy.save the contributions (default: a temp file, deleted)")
    a = ap.parse_args()

    if a.threads:
        torch.set_num_threads(a.threads)
    for var in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE"):
        if var in os.environ:
            print(f"warning: {var}={os.environ[var]} is set; benchmark with "
                  f"`env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE`", file=sys.stderr)
    print(f"torch {torch.__version__}: {torch.get_num_threads()} intra-op threads, "
          f"{torch.get_num_interop_threads()} inter-op threads; imports took {T_IMPORTED - T_START:.1f} s")

    if a.full_path:
        return full_path(a)

    t0 = time.perf_counter()
    X = read_features(a.data, a.rows)
    t1 = time.perf_counter()
    model = GlassBoxUMAP.load(a.model)
    bs = a.batch_size or model.batch_size
    print(f"read_csv: {X.shape[0]} x {X.shape[1]} in {t1 - t0:.1f} s (not timed below); batch size {bs}")

    n = X.shape[0]
    times = []
    for _ in range(max(1, a.repeat)):
        t = time.perf_counter()
        C = model.compute_contributions(X, batch_size=bs)
        times.append(time.perf_counter() - t)
        del C
    best = min(times)
    med = float(np.median(times))
    extra = (f" (best of {len(times)}: {', '.join(f'{x:.2f}' for x in times)} s; "
             f"median {med:.2f} s = {n / med:.0f} samples/s)") if len(times) > 1 else ""
    print(f"upstream compute_contributions: {n} samples in {best:.2f} s = {n / best:.0f} samples/s{extra}")
    print(f"peak RSS {peak_rss_mb():.0f} MB")
    return 0


def full_path(a) -> int:
    tmpdir = None
    out = a.out
    if out is None:
        tmpdir = tempfile.TemporaryDirectory()
        out = Path(tmpdir.name) / "contributions.npy"
    try:
        t0 = time.perf_counter()
        X = read_features(a.data, a.rows)
        t1 = time.perf_counter()
        model = GlassBoxUMAP.load(a.model)
        t2 = time.perf_counter()
        C = model.compute_contributions(X, batch_size=a.batch_size or model.batch_size)
        t3 = time.perf_counter()
        np.save(out, C)
        t4 = time.perf_counter()
        n = X.shape[0]
        print(f"{'read_h5ad' if is_h5ad(a.data) else 'read_csv'} {t1 - t0:.2f} s, load {t2 - t1:.2f} s, compute_contributions {t3 - t2:.2f} s, "
              f"numpy.save {t4 - t3:.2f} s ({out.stat().st_size / 1e6:.0f} MB)")
        print(f"upstream full path: {n} samples in {t4 - t0:.2f} s wall = {n / (t4 - t0):.0f} samples/s; "
              f"peak RSS {peak_rss_mb():.0f} MB")
    finally:
        if tmpdir is not None:
            tmpdir.cleanup()
    return 0


if __name__ == "__main__":
    sys.exit(main())
