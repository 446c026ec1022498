#!/usr/bin/env python3
"""Write the AnnData (.h5ad) fixtures for glassbox's tests, with anndata itself (and h5py for
the damaged ones), plus the same data as CSV for the bit-for-bit comparisons.

Run by hand from the repository root (Python is never needed to build or test glassbox):

    /work/venv/bin/python Tests/GlassBoxCoreTests/Fixtures/anndata/make_anndata.py

Data: 120 cells x 30 genes (G01..G30), float32, about 60% zeros, 20 genes marked
var['highly_variable']; obs: index 'cell', 'cell_type' categorical with missing values
(categories not in order of appearance), 'barcode' unique strings (stored as a string array),
'score' float64 with a NaN, 'n_genes' int64, 'is_doublet' bool, 'n_umi' and 'pass_qc' nullable
integers and booleans with missing values; layers['counts'] int32.

    dense.h5ad     X dense float32, contiguous            (+ layers/counts, dense int32)
    csr.h5ad       X csr_matrix (float32, int32 indices)
    csc.h5ad       X csc_matrix
    gzip.h5ad      X dense, chunks of 32 x 7, gzip
    shuffle.h5ad   X dense, chunks of 25 x 6, byte shuffle + gzip
    wide64.h5ad    X csr_matrix with float64 data and int64 indices/indptr
    data.csv       the same: cell, cell_type, barcode, score, n_genes, is_doublet, n_umi, pass_qc, G01..G30
    counts.csv     cell, cell_type, then layers['counts']

Damaged or unusual files (bad_*.h5ad, lzf.h5ad, legacy_frame.h5ad, nan.h5ad, inf.h5ad) are
made from a 6 x 4 matrix; each is described where it is written below.
"""

from pathlib import Path

import anndata as ad
import h5py
import numpy as np
import pandas as pd
import scipy.sparse as sp

OUT = Path(__file__).resolve().parent
N, D, HVG = 120, 30, 20


def base() -> ad.AnnData:
    rng = np.random.default_rng(7)
    X = rng.normal(0, 2, size=(N, D)).astype(np.float32)
    X[rng.random((N, D)) < 0.6] = 0
    X[3, :] = 0  # a row with no stored values
    cells = [f"cell-{i:03d}" for i in range(N)]
    cells[7] = "célula-7"  # UTF-8
    cell_type = pd.Categorical(rng.choice(["T", "B", "NK", "Mono"], size=N), categories=["Mono", "NK", "T", "B"])
    cell_type[[5, 40, 41, 119]] = np.nan
    score = rng.normal(size=N).round(3)
    score[10] = np.nan
    obs = pd.DataFrame({
        "cell_type": cell_type,
        "barcode": [f"AC{i:04d}-1" for i in range(N)],
        "score": score,
        "n_genes": rng.integers(100, 3000, size=N),
        "is_doublet": rng.random(N) < 0.1,
    }, index=pd.Index(cells, name="cell"))
    genes = [f"G{j + 1:02d}" for j in range(D)]
    hv = np.zeros(D, dtype=bool)
    hv[rng.choice(D, size=HVG, replace=False)] = True
    var = pd.DataFrame({"highly_variable": hv, "means": X.mean(axis=0).astype(np.float64)}, index=genes)
    a = ad.AnnData(X, obs=obs, var=var)
    a.layers["counts"] = rng.poisson(3, size=(N, D)).astype(np.int32)
    # pandas' nullable types (anndata's nullable-integer / nullable-boolean), with missing values.
    extra = np.random.default_rng(8)
    a.obs["n_umi"] = pd.array([None if i % 17 == 3 else int(v) for i, v in enumerate(extra.integers(500, 9000, size=N))], dtype="Int64")
    a.obs["pass_qc"] = pd.array([None if i % 13 == 5 else bool(v) for i, v in enumerate(extra.random(N) < 0.8)], dtype="boolean")
    return a


def write_csv(path: Path, a: ad.AnnData, M: np.ndarray, meta: list[str]) -> None:
    """Floats as %.9g of float32 (they read back exactly); missing metadata as NA."""
    def text(v):
        if isinstance(v, (float, np.floating)):
            return "NA" if np.isnan(v) else repr(float(v))
        if isinstance(v, (bool, np.bool_)):
            return "True" if v else "False"
        return "NA" if v is None or (isinstance(v, float) and np.isnan(v)) or pd.isna(v) else str(v)
    with open(path, "w", newline="\n") as f:
        f.write(",".join(["cell", *meta, *a.var_names]) + "\n")
        for i in range(a.n_obs):
            fields = [a.obs_names[i], *[text(a.obs[c].iloc[i]) for c in meta]]
            fields += ["%.9g" % float(v) for v in M[i]]
            f.write(",".join(fields) + "\n")


def small(X=None) -> ad.AnnData:
    X = np.array([[1, 0, 2, 0], [0, 3, 0, 4], [5, 0, 0, 6], [0, 0, 7, 0], [8, 9, 0, 0], [0, 1, 0, 2]], dtype=np.float32) if X is None else X
    obs = pd.DataFrame({"group": pd.Categorical(list("aabbab"))}, index=[f"c{i}" for i in range(6)])
    var = pd.DataFrame({"highly_variable": [True, False, True, True]}, index=["g1", "g2", "g3", "g4"])
    return ad.AnnData(X, obs=obs, var=var)


def main() -> None:
    a = base()
    X = a.X
    a.write_h5ad(OUT / "dense.h5ad")
    write_csv(OUT / "data.csv", a, X, ["cell_type", "barcode", "score", "n_genes", "is_doublet", "n_umi", "pass_qc"])
    write_csv(OUT / "counts.csv", a, a.layers["counts"], ["cell_type"])

    slim = a.copy()
    del slim.layers["counts"]
    slim.X = sp.csr_matrix(X)
    slim.write_h5ad(OUT / "csr.h5ad")
    slim.X = sp.csc_matrix(X)
    slim.write_h5ad(OUT / "csc.h5ad")
    wide = sp.csr_matrix(X.astype(np.float64))
    wide.indices = wide.indices.astype(np.int64)
    wide.indptr = wide.indptr.astype(np.int64)
    slim.X = wide
    slim.write_h5ad(OUT / "wide64.h5ad")
    slim.X = X
    slim.write_h5ad(OUT / "gzip.h5ad")
    with h5py.File(OUT / "gzip.h5ad", "r+") as f:
        del f["X"]
        ad.io.write_elem(f, "X", X, dataset_kwargs={"chunks": (32, 7), "compression": "gzip"})
    slim.write_h5ad(OUT / "shuffle.h5ad")
    with h5py.File(OUT / "shuffle.h5ad", "r+") as f:
        del f["X"]
        ad.io.write_elem(f, "X", X, dataset_kwargs={"chunks": (25, 6), "compression": "gzip", "shuffle": True})
    # The same with one chunk's compressed bytes overwritten.
    (OUT / "bad_chunk.h5ad").write_bytes((OUT / "shuffle.h5ad").read_bytes())
    with h5py.File(OUT / "bad_chunk.h5ad", "r") as f:
        info = f["X"].id.get_chunk_info_by_coord((50, 12))
    with open(OUT / "bad_chunk.h5ad", "r+b") as f:
        f.seek(info.byte_offset + info.size // 2)
        f.write(b"\xde\xad\xbe\xef" * 4)

    # Damaged and unusual files, from a 6 x 4 matrix.
    s = small()
    s.X = sp.csr_matrix(s.X)
    s.write_h5ad(OUT / "small_csr.h5ad")

    def variant(name: str, edit, source: str = "small_csr.h5ad") -> None:
        scratch = OUT / (name + ".tmp")
        scratch.write_bytes((OUT / source).read_bytes())
        with h5py.File(scratch, "r+") as f:
            edit(f)
        # Copied object by object into a fresh file: h5py leaves the space of what was deleted.
        with h5py.File(scratch, "r") as f, h5py.File(OUT / name, "w") as g:
            for key, value in f.attrs.items():
                g.attrs[key] = value
            for key in f:
                f.copy(key, g)
        scratch.unlink()

    def replace(f, path, data):
        attrs = dict(f[path].attrs)
        del f[path]
        f[path] = data
        for k, v in attrs.items():
            f[path].attrs[k] = v

    # indptr going down: row 2 "starts" before row 1.
    variant("bad_indptr_decreasing.h5ad", lambda f: replace(f, "X/indptr", np.array([0, 2, 1, 6, 7, 9, 11], dtype=np.int32)))
    # indptr past the stored values (the last offset agrees, a middle one is beyond).
    variant("bad_indptr_past.h5ad", lambda f: replace(f, "X/indptr", np.array([0, 2, 4, 99, 7, 9, 11], dtype=np.int32)))
    # a column index >= the 4 columns (entry 5).
    def bad_index(f):
        i = f["X/indices"][:]
        i[5] = 9001
        replace(f, "X/indices", i)
    variant("bad_indices.h5ad", bad_index)
    # obs with 5 rows for a 6-row X.
    def short_obs(f):
        replace(f, "obs/_index", f["obs/_index"][:5])
        replace(f, "obs/group/codes", f["obs/group/codes"][:5])
    variant("bad_obs_rows.h5ad", short_obs)
    # var with 3 rows for 4 columns.
    def short_var(f):
        replace(f, "var/_index", f["var/_index"][:3])
        replace(f, "var/highly_variable", f["var/highly_variable"][:3])
    variant("bad_var_rows.h5ad", short_var)
    # an encoding glassbox does not know.
    variant("bad_encoding.h5ad", lambda f: f["X"].attrs.__setitem__("encoding-type", "coo_matrix"))
    # a categorical code beyond its categories.
    variant("bad_codes.h5ad", lambda f: replace(f, "obs/group/codes", np.array([0, 0, 1, 5, 0, 1], dtype=np.int8)))

    # A dense X claiming 10^9 x 10^6 float32 (4 PB), stored as nothing (chunked, never written).
    def huge(f):
        del f["X"]
        d = f.create_dataset("X", shape=(10**9, 10**6), dtype=np.float32, chunks=(1000, 1000))
        d.attrs["encoding-type"] = "array"
        d.attrs["encoding-version"] = "0.2.0"
    variant("bad_huge.h5ad", huge)

    # X compressed with h5py's lzf, a filter libhdf5 does not ship.
    def lzf(f):
        X = f["X"]
        dense = sp.csr_matrix((X["data"][:], X["indices"][:], X["indptr"][:]), shape=(6, 4)).toarray()
        del f["X"]
        d = f.create_dataset("X", data=dense, chunks=(3, 4), compression="lzf")
        d.attrs["encoding-type"] = "array"
        d.attrs["encoding-version"] = "0.2.0"
    variant("lzf.h5ad", lzf)

    # obs as a table of records, as anndata < 0.7 wrote dataframes.
    def legacy(f):
        del f["obs"]
        rec = np.array([(f"c{i}".encode(), i % 2) for i in range(6)], dtype=[("index", "S2"), ("group", "i1")])
        f.create_dataset("obs", data=rec)
    variant("legacy_frame.h5ad", legacy)

    # anndata 0.7's categoricals: codes in obs/<col> with a reference to obs/__categories/<col>.
    def categories_07(f):
        cats = f["obs/group/categories"][:]
        codes = f["obs/group/codes"][:]
        del f["obs/group"]
        store = f["obs"].create_group("__categories")
        store["group"] = cats
        f["obs/group"] = codes
        f["obs/group"].attrs["categories"] = store["group"].ref
    variant("categories_07.h5ad", categories_07)

    # NaN and infinity in a dense X.
    nan = small()
    nan.X[2, 1] = np.nan
    nan.write_h5ad(OUT / "nan.h5ad")
    inf = small()
    inf.X[4, 3] = np.inf
    inf.write_h5ad(OUT / "inf.h5ad")


if __name__ == "__main__":
    main()
