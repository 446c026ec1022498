#!/usr/bin/env python3
"""Generate glassbox's bundled sample data and its upstream-computed test fixtures.

Run by hand (never by CI; Python is not a dependency of glassbox), from the repository root:

    python -m venv /tmp/gbvenv && /tmp/gbvenv/bin/pip install -r SampleData/requirements.txt
    /tmp/gbvenv/bin/python SampleData/make_samples.py            # train + data + fixtures
    /tmp/gbvenv/bin/python SampleData/make_samples.py --fixtures-only   # keep model.pt/data.csv
    /tmp/gbvenv/bin/python SampleData/make_samples.py --h5ad-only       # only (re)write data.h5ad

For each sample (`pbmc68k`, `wine`) it writes

    SampleData/<name>/data.csv        id column, label column, then one float column per feature (%.9g)
    SampleData/pbmc68k/data.h5ad      the same cells as AnnData, written by anndata: X = data.csv's
                                      float32 values (dense), obs = scanpy's obs (index 'cell';
                                      bulk_labels, louvain, phase, … as categoricals), var = scanpy's
                                      var (highly_variable, means, …)
    SampleData/<name>/model.pt        trained with glass-box-umap 0.1.0, saved with upstream's `save`
    SampleData/<name>/PROVENANCE.txt  source, versions, command, date

and, computed by upstream itself from `GlassBoxUMAP.load(model.pt)` applied to the data *as read
back from data.csv* (pandas.read_csv -> float32, exactly what the Swift side parses):

    Tests/GlassBoxCoreTests/Fixtures/<name>/embedding.npy      transform(X)                  (n, m)
    Tests/GlassBoxCoreTests/Fixtures/<name>/contributions.npy  compute_contributions(X)      (n, m, d)
    Tests/GlassBoxCoreTests/Fixtures/<name>/l2.npy             ... reduction="l2"            (n, d)
    Tests/GlassBoxCoreTests/Fixtures/<name>/encoder_input.npy  u = pca.transform(X - mean) or X - mean
    Tests/GlassBoxCoreTests/Fixtures/<name>/jacobian.npy       compute_jacobian(u)           (n, m, k|d)
    Tests/GlassBoxCoreTests/Fixtures/<name>/verification.json  asdict(verify_jacobian(Z, J, u)) + n_samples

All arrays are float32, saved with numpy.save (little-endian, C order, format version 1.0).
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as _dt
import json
import sys
import time
from importlib.metadata import version as _pkg_version
from pathlib import Path

import numpy as np
import pandas as pd
import torch

from glass_box_umap import GlassBoxUMAP
from glass_box_umap.jacobian import verify_jacobian

REPO = Path(__file__).resolve().parent.parent
SAMPLES = REPO / "SampleData"
FIXTURES = REPO / "Tests" / "GlassBoxCoreTests" / "Fixtures"

# Training settings. Kept tiny on purpose (2 CPU cores, a minute or so in total); the samples
# only need a model whose embedding shows some structure, not a converged UMAP.
# batch_size is lowered from upstream's default 10_000 so that each epoch takes several
# optimizer steps on these small graphs (700 x 15 and 178 x 15 edges).
SETTINGS = {
    "pbmc68k": dict(pca_components=50, random_state=0, quiet=True, epochs=50, batch_size=512),
    "wine": dict(pca_components=None, random_state=0, quiet=True, epochs=100, batch_size=512),
}

VERSION_PACKAGES = ["glass-box-umap", "torch", "scanpy", "anndata", "scikit-learn", "numpy", "pandas",
                    "pytorch-lightning", "umap-learn"]


def versions() -> str:
    out = []
    for p in VERSION_PACKAGES:
        try:
            out.append(f"{p}=={_pkg_version(p)}")
        except Exception:  # pragma: no cover
            out.append(f"{p}==?")
    return " ".join(out)


# --------------------------------------------------------------------------------------------
# Data sources
# --------------------------------------------------------------------------------------------

def load_pbmc68k() -> tuple[str, str, pd.Index, pd.Series, list[str], np.ndarray]:
    import scanpy as sc

    adata = sc.datasets.pbmc68k_reduced()  # bundled with scanpy, no download
    X = np.asarray(adata.X, dtype=np.float32)  # already float32 (scaled log-expression), used as is
    labels = adata.obs["bulk_labels"].astype(str)
    return "cell", "bulk_labels", adata.obs_names, labels, list(adata.var_names), X


def load_wine() -> tuple[str, str, pd.Index, pd.Series, list[str], np.ndarray]:
    from sklearn.datasets import load_wine as _load_wine
    from sklearn.preprocessing import StandardScaler

    bunch = _load_wine()
    X = StandardScaler().fit_transform(bunch.data).astype(np.float32)
    names = [str(bunch.target_names[t]) for t in bunch.target]  # class_0, class_1, class_2
    ids = pd.Index([f"wine-{i + 1:03d}" for i in range(X.shape[0])])
    return "sample", "class", ids, pd.Series(names), list(bunch.feature_names), X


SOURCES = {"pbmc68k": load_pbmc68k, "wine": load_wine}


# --------------------------------------------------------------------------------------------
# CSV
# --------------------------------------------------------------------------------------------

def _check_field(s: str) -> str:
    if any(c in s for c in ',"\n\r'):
        raise ValueError(f"field needs CSV quoting, refusing to write it: {s!r}")
    return s


def write_csv(path: Path, id_col: str, label_col: str, ids, labels, features, X: np.ndarray) -> None:
    """Plain CSV, no quoting needed (checked), floats as %.9g of the float32 values."""
    X = np.ascontiguousarray(X, dtype=np.float32)
    ids, labels = [str(s) for s in ids], [str(s) for s in labels]
    header = [id_col, label_col, *features]
    row_fmt = ",".join(["%.9g"] * X.shape[1])
    with open(path, "w", newline="\n") as f:
        f.write(",".join(_check_field(h) for h in header) + "\n")
        for i in range(X.shape[0]):
            vals = row_fmt % tuple(float(v) for v in X[i])
            f.write(f"{_check_field(ids[i])},{_check_field(labels[i])},{vals}\n")


def read_csv(path: Path) -> tuple[pd.DataFrame, np.ndarray]:
    """Read the CSV the way a user would; the feature block becomes float32.

    DataFrame.to_numpy() returns a Fortran-ordered block; it is made C-contiguous so that
    reductions (the training mean) and BLAS calls see a well-defined, row-major layout.
    """
    cols = pd.read_csv(path, nrows=0).columns
    df = pd.read_csv(path, dtype={cols[0]: str, cols[1]: str}, keep_default_na=False)
    X = np.ascontiguousarray(df.iloc[:, 2:].to_numpy(dtype=np.float32))
    return df, X


# --------------------------------------------------------------------------------------------
# AnnData
# --------------------------------------------------------------------------------------------

def write_h5ad(name: str, log) -> None:
    """data.h5ad: data.csv's values, as read back, with the source's obs and var (pbmc68k only).

    X is exactly the float32 matrix the model was trained on (checked after reading the file
    back with anndata), stored dense and uncompressed, as anndata writes it by default.
    """
    import anndata as ad
    import scanpy as sc

    if name != "pbmc68k":
        return
    sdir = SAMPLES / name
    df, X = read_csv(sdir / "data.csv")
    source = sc.datasets.pbmc68k_reduced()
    assert list(source.obs_names) == list(df.iloc[:, 0]) and list(source.var_names) == list(df.columns[2:])
    obs = source.obs.copy()
    obs.index.name = "cell"
    adata = ad.AnnData(X=X, obs=obs, var=source.var.copy())
    path = sdir / "data.h5ad"
    adata.write_h5ad(path)
    back = ad.read_h5ad(path)
    assert back.X.dtype == np.float32 and np.array_equal(back.X.view(np.uint32), X.view(np.uint32))
    assert list(back.obs["bulk_labels"].astype(str)) == list(df.iloc[:, 1])
    log(f"[{name}] data.h5ad: {adata.n_obs} x {adata.n_vars}, {path.stat().st_size / 1e6:.1f} MB, X identical to data.csv")


# --------------------------------------------------------------------------------------------
# Fixtures
# --------------------------------------------------------------------------------------------

def save_npy(path: Path, a: np.ndarray) -> None:
    a = np.ascontiguousarray(a, dtype="<f4")
    with open(path, "wb") as f:
        np.lib.format.write_array(f, a, version=(1, 0), allow_pickle=False)


def compute_fixtures(name: str, log) -> dict:
    sdir = SAMPLES / name
    fdir = FIXTURES / name
    fdir.mkdir(parents=True, exist_ok=True)

    df, X = read_csv(sdir / "data.csv")
    model = GlassBoxUMAP.load(sdir / "model.pt")

    # Exactly upstream's inference path (core.py): float32 X, minus the stored mean, then
    # sklearn's PCA.transform (if any), cast to float32.
    Xc = X.astype(np.float32) - model._mean
    if model._pca is not None:
        u = model._pca.transform(Xc).astype(np.float32)
    else:
        u = Xc
    u = np.ascontiguousarray(u, dtype=np.float32)

    Z = model.transform(X)
    C = model.compute_contributions(X)
    L2 = model.compute_contributions(X, reduction="l2")
    J = model.compute_jacobian(torch.from_numpy(u), batch_size=model.batch_size).cpu().numpy()

    ver = dataclasses.asdict(verify_jacobian(Z, J, u))
    ver["n_samples"] = int(X.shape[0])

    save_npy(fdir / "embedding.npy", Z)
    save_npy(fdir / "contributions.npy", C)
    save_npy(fdir / "l2.npy", L2)
    save_npy(fdir / "encoder_input.npy", u)
    save_npy(fdir / "jacobian.npy", J)
    with open(fdir / "verification.json", "w") as f:
        json.dump(ver, f, indent=2)
        f.write("\n")

    # Checks (printed, not stored).
    sums = C.astype(np.float64).sum(-1)
    sum_err = float(np.abs(sums - Z).max())
    l2_err = float(np.abs(np.linalg.norm(C, axis=1) - L2).max())
    log(f"[{name}] X {X.shape}, Z {Z.shape}, C {C.shape}, J {J.shape}, u {u.shape}")
    log(f"[{name}] max|sum_f C - Z| = {sum_err:.3g} (max|Z| = {float(np.abs(Z).max()):.4g}); "
        f"verify_jacobian max_error = {ver['max_error']:.3g}, relative = {ver['relative_error']:.3g}; "
        f"l2 consistency {l2_err:.3g}")
    if model._pca is not None:
        pca = model._pca
        log(f"[{name}] pca: components_ {pca.components_.dtype}{pca.components_.shape}, "
            f"mean_ {pca.mean_.dtype} max|mean_| = {float(np.abs(pca.mean_).max()):.3g}, "
            f"svd_solver={pca.svd_solver!r} -> {getattr(pca, '_fit_svd_solver', '?')!r}, "
            f"whiten={pca.whiten}")
    return {"sum_err": sum_err, "verification": ver}


# --------------------------------------------------------------------------------------------
# Main
# --------------------------------------------------------------------------------------------

def make_sample(name: str, log, train: bool) -> None:
    sdir = SAMPLES / name
    sdir.mkdir(parents=True, exist_ok=True)
    if train:
        id_col, label_col, ids, labels, features, X = SOURCES[name]()
        write_csv(sdir / "data.csv", id_col, label_col, ids, labels, features, X)

        # Round-trip guarantee: what we read back is bit-identical to what we wrote.
        df, Xr = read_csv(sdir / "data.csv")
        assert Xr.shape == X.shape, (Xr.shape, X.shape)
        assert np.array_equal(Xr.view(np.uint32), X.view(np.uint32)), "CSV round trip is not exact"
        assert list(df.iloc[:, 0]) == [str(s) for s in ids]
        assert list(df.iloc[:, 1]) == [str(s) for s in labels]
        assert list(df.columns[2:]) == [str(s) for s in features]

        settings = SETTINGS[name]
        t0 = time.time()
        model = GlassBoxUMAP(**settings)
        model.fit(Xr)  # train on the CSV's values
        model.save(sdir / "model.pt")
        log(f"[{name}] trained in {time.time() - t0:.1f} s with {settings}")

        args = ", ".join(f"{k}={v!r}" for k, v in settings.items())
        today = _dt.date.today().isoformat()
        src = {
            "pbmc68k": "scanpy.datasets.pbmc68k_reduced() (bundled with scanpy; adata.X as is, "
                       "label obs['bulk_labels'], id obs_names)",
            "wine": "sklearn.datasets.load_wine(), StandardScaler().fit_transform, no PCA "
                    "(label target_names, id wine-NNN)",
        }[name]
        (sdir / "PROVENANCE.txt").write_text(
            f"source: {src}; {versions()}\n"
            f"command: python SampleData/make_samples.py --only {name}  "
            f"(GlassBoxUMAP({args}).fit(X from data.csv).save('model.pt')); date: {today}\n"
        )

    write_h5ad(name, log)
    # Load once to make sure upstream's own loader accepts it.
    GlassBoxUMAP.load(sdir / "model.pt")
    compute_fixtures(name, log)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--only", choices=sorted(SOURCES), action="append",
                    help="only this sample (repeatable); default: all")
    ap.add_argument("--fixtures-only", action="store_true",
                    help="do not retrain or rewrite data.csv; recompute fixtures from the existing files")
    ap.add_argument("--h5ad-only", action="store_true",
                    help="only write data.h5ad from the existing data.csv (no training, no fixtures)")
    args = ap.parse_args()

    names = args.only or list(SOURCES)

    def log(msg: str) -> None:
        print(msg, flush=True)

    if args.h5ad_only:
        for name in names:
            write_h5ad(name, log)
        return 0

    for name in names:
        make_sample(name, log, train=not args.fixtures_only)
    return 0


if __name__ == "__main__":
    sys.exit(main())
