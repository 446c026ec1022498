#!/usr/bin/env python3
"""Write the AnnData benchmark files (run by hand; glassbox never needs Python).

    # the 50,000-cell CSV made by make_synthetic.py, as .h5ad: the same float32 values, dense,
    # uncompressed and contiguous (anndata's default), obs index = the id column, obs['label']
    # categorical, var index = the feature names
    python scripts/make_h5ad_bench.py from-csv /work/bench-data/anndata/synth-50k/data.csv \\
        /work/bench-data/anndata/synth-50k/data.h5ad

    # 1,000,000 cells x 2,000 genes from make_synthetic.py's generator (same seed and layout),
    # written a block of rows at a time: dense float32 (8 GB, contiguous) or CSR at ~10% density
    python scripts/make_h5ad_bench.py synthetic --n 1000000 --d 2000 --dense  /work/bench-data/anndata/dense-1m.h5ad
    python scripts/make_h5ad_bench.py synthetic --n 1000000 --d 2000 --sparse /work/bench-data/anndata/csr-1m.h5ad

obs and var are written by anndata itself (`anndata.io.write_elem`); X is then added with h5py
in blocks (an 8 GB matrix need not be in memory) with the attributes anndata gives it, and the
result is checked by opening it with `anndata.read_h5ad(..., backed="r")`.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import anndata as ad
import h5py
import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))
import make_synthetic as synth  # noqa: E402


def from_csv(csv: Path, out: Path) -> None:
    t0 = time.time()
    head = pd.read_csv(csv, nrows=0).columns
    df = pd.read_csv(csv, dtype={head[0]: str, head[1]: str}, engine="c")
    X = np.ascontiguousarray(df.iloc[:, 2:].to_numpy(dtype=np.float32))
    obs = pd.DataFrame({head[1]: pd.Categorical(df.iloc[:, 1])}, index=pd.Index(df.iloc[:, 0], name=head[0]))
    var = pd.DataFrame(index=list(head[2:]))
    ad.AnnData(X, obs=obs, var=var).write_h5ad(out)
    print(f"wrote {out} ({out.stat().st_size / 1e6:.0f} MB) from {csv} in {time.time() - t0:.0f} s")


def write_frames(out: Path, n: int, d: int, labels: np.ndarray, groups: int) -> None:
    names = synth.group_names(groups)
    obs = pd.DataFrame({"label": pd.Categorical.from_codes(labels, categories=names)},
                       index=pd.Index([f"s{i + 1:07d}" for i in range(n)], name="id"))
    var = pd.DataFrame(index=[f"f{j + 1:04d}" for j in range(d)])
    with h5py.File(out, "w") as f:
        f.attrs["encoding-type"] = "anndata"
        f.attrs["encoding-version"] = "0.1.0"
        ad.io.write_elem(f, "obs", obs)
        ad.io.write_elem(f, "var", var)
        for group in ["layers", "obsm", "obsp", "varm", "varp", "uns"]:
            ad.io.write_elem(f, group, {})


def synthetic(a) -> None:
    t0 = time.time()
    synth._init(a.seed, a.d, a.groups)
    chunks = [(ci, start, min(a.chunk, a.n - start)) for ci, start in enumerate(range(0, a.n, a.chunk))]
    labels = np.empty(a.n, dtype=np.int64)
    out = a.out
    write_frames(out, a.n, a.d, np.zeros(a.n, dtype=np.int64), a.groups)   # labels filled below
    with h5py.File(out, "r+") as f:
        if a.dense:
            X = f.create_dataset("X", shape=(a.n, a.d), dtype=np.float32)   # contiguous
            X.attrs["encoding-type"] = "array"
            X.attrs["encoding-version"] = "0.2.0"
            for ci, start, rows in chunks:
                lab, x = synth.gen_chunk(ci, start, rows)
                labels[start:start + rows] = lab
                X[start:start + rows] = x
                if ci % 200 == 0:
                    print(f"  {start + rows}/{a.n} rows, {time.time() - t0:.0f} s", flush=True)
        else:
            g = f.create_group("X")
            g.attrs["encoding-type"] = "csr_matrix"
            g.attrs["encoding-version"] = "0.1.0"
            g.attrs["shape"] = np.array([a.n, a.d], dtype=np.int64)
            data = g.create_dataset("data", shape=(0,), maxshape=(None,), dtype=np.float32, chunks=(1 << 20,))
            indices = g.create_dataset("indices", shape=(0,), maxshape=(None,), dtype=np.int32, chunks=(1 << 20,))
            indptr = np.zeros(a.n + 1, dtype=np.int64)
            keep = a.density * 2   # about half the generated values are zero
            for ci, start, rows in chunks:
                lab, x = synth.gen_chunk(ci, start, rows)
                labels[start:start + rows] = lab
                rng = np.random.default_rng([a.seed, 2, ci])
                x[rng.random(x.shape) >= keep] = 0
                r, c = np.nonzero(x)
                at = data.shape[0]
                data.resize((at + len(r),))
                indices.resize((at + len(r),))
                data[at:] = x[r, c]
                indices[at:] = c.astype(np.int32)
                indptr[start + 1:start + rows + 1] = at + np.cumsum(np.bincount(r, minlength=rows))
                if ci % 200 == 0:
                    print(f"  {start + rows}/{a.n} rows, {at + len(r)} stored, {time.time() - t0:.0f} s", flush=True)
            g.create_dataset("indptr", data=indptr)
            print(f"  density {indptr[-1] / (a.n * a.d):.4f}")
        del f["obs"]
    # obs again, now with the labels the chunks drew.
    with h5py.File(out, "r+") as f:
        names = synth.group_names(a.groups)
        obs = pd.DataFrame({"label": pd.Categorical.from_codes(labels, categories=names)},
                           index=pd.Index([f"s{i + 1:07d}" for i in range(a.n)], name="id"))
        ad.io.write_elem(f, "obs", obs)
    back = ad.read_h5ad(out, backed="r")
    assert back.shape == (a.n, a.d), back.shape
    print(f"wrote {out} ({out.stat().st_size / 1e9:.2f} GB) in {time.time() - t0:.0f} s")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="command", required=True)
    c = sub.add_parser("from-csv")
    c.add_argument("csv", type=Path)
    c.add_argument("out", type=Path)
    s = sub.add_parser("synthetic")
    s.add_argument("--n", type=int, default=1_000_000)
    s.add_argument("--d", type=int, default=2000)
    s.add_argument("--groups", type=int, default=6)
    s.add_argument("--seed", type=int, default=0)
    s.add_argument("--chunk", type=int, default=500, help="rows per block (make_synthetic.py's RNG layout)")
    s.add_argument("--density", type=float, default=0.1, help="--sparse: stored fraction, about")
    kind = s.add_mutually_exclusive_group(required=True)
    kind.add_argument("--dense", action="store_true")
    kind.add_argument("--sparse", action="store_true")
    s.add_argument("out", type=Path)
    a = ap.parse_args()
    if a.command == "from-csv":
        from_csv(a.csv, a.out)
    else:
        synthetic(a)
    return 0


if __name__ == "__main__":
    sys.exit(main())
