#!/usr/bin/env python3
"""Write a synthetic benchmark set for glassbox: a large CSV plus an *untrained* upstream model.

Run by hand (needs the packages in SampleData/requirements.txt; CI never runs this):

    python scripts/make_synthetic.py --n 50000 --d 2000 --pca 50 --hidden 128 --layers 3 \
        --seed 0 --out /work/bench-data/synth-50k

writes

    OUT/data.csv   header `id,label,f0001,...,f<d>`, then one row per sample: id `s0000001`,
                   label `group_A`... (a few groups of unequal size), d float32 values written
                   with %.9g (so they round-trip exactly). The values are "structured": each group
                   has a centre in a 12-dimensional latent space, mapped to the d features by a
                   random loading matrix, plus noise, then clipped at zero (about half exact
                   zeros, a bit like log-expression data).
    OUT/model.pt   saved by upstream's own `GlassBoxUMAP.save`, from
                   GlassBoxUMAP(pca_components=PCA, encoder_kwargs={'hidden_size': H,
                   'n_hidden_layers': L}, random_state=SEED) built *without training*:
                   `_mean`, `_pca`: exactly what upstream's `fit` would set had it been
                   trained on the first --pca-fit-rows rows Xs (default 5000): `_mean` =
                   `Xs.mean(axis=0)` (float32), `_pca` = sklearn PCA(PCA, random_state=SEED)
                   .fit(Xs - _mean), so pca.mean_ is only float32 rounding noise (~1e-5), as in
                   any upstream-trained model. With --full-mean, `_mean` is instead the mean of
                   all n rows (accumulated in float64), which makes pca.mean_ clearly non-zero
                   (~0.1): that exercises sklearn's mean_ term, and then sum_f C differs from Z
                   by J.P.mean_ (upstream's contributions do the same, ~5e-3 here);
                   encoder = `_build_model((PCA,))` with torch's default random init, then PReLU
                   slopes drawn from U(0.05, 0.6) and LayerNorm scales from U(0.5, 1.5) so that
                   they differ from the defaults (0.25 and 1).

`--pca 0` means no PCA (the encoder then sees the d centred features directly).
`--no-model` writes only data.csv; `--model-only` only model.pt (the data it needs are
regenerated in memory, deterministically, from the seed, without writing the CSV).

The CSV is streamed in chunks (--chunk rows at a time, formatted by --jobs worker processes), so
memory stays small whatever --n is. Every chunk has its own RNG stream derived from --seed, so
the output does not depend on --jobs; --chunk is part of the RNG layout (keep the default to
reproduce a set).
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import os
import string
import sys
import time
from pathlib import Path

import numpy as np

LATENT = 12


def group_names(g: int) -> list[str]:
    letters = string.ascii_uppercase
    return [f"group_{letters[i]}" if i < 26 else f"group_{i}" for i in range(g)]


def params(seed: int, d: int, groups: int):
    """Static generative parameters (same for every chunk)."""
    rng = np.random.default_rng([seed, 0])
    centres = rng.normal(0.0, 2.5, size=(groups, LATENT))
    loadings = rng.normal(0.0, 1.0, size=(LATENT, d)) / np.sqrt(LATENT)
    offset = rng.normal(-0.2, 0.6, size=d)                     # per-feature baseline
    scale = np.exp(rng.normal(0.0, 0.5, size=d))               # per-feature spread
    weights = rng.dirichlet(np.full(groups, 2.0))              # unequal group sizes
    return centres, loadings, offset, scale, weights


_P = None  # per-process cache of params


def _init(seed: int, d: int, groups: int) -> None:
    global _P
    _P = (seed, d, groups, params(seed, d, groups))


def gen_chunk(chunk_index: int, start: int, rows: int):
    """Rows [start, start+rows): labels (int) and float32 data, from the chunk's own RNG stream."""
    seed, d, groups, (centres, loadings, offset, scale, weights) = _P
    rng = np.random.default_rng([seed, 1, chunk_index])
    lab = rng.choice(groups, size=rows, p=weights)
    z = centres[lab] + rng.normal(0.0, 0.7, size=(rows, LATENT))
    x = (z @ loadings + offset) * scale + rng.normal(0.0, 0.35, size=(rows, d))
    x = np.where(x > 0.0, x, 0.0).astype(np.float32)          # +0.0, never -0.0
    return lab, x


def format_chunk(args):
    """Worker: generate and format one chunk; return its CSV text, column sums, and the data."""
    chunk_index, start, rows, keep, want_text = args
    lab, x = gen_chunk(chunk_index, start, rows)
    text = None
    if want_text:
        names = group_names(_P[2])
        row_fmt = ",".join(["%.9g"] * x.shape[1])
        lines = [f"s{start + i + 1:07d},{names[lab[i]]}," + (row_fmt % tuple(x[i].tolist()))
                 for i in range(rows)]
        text = "\n".join(lines) + "\n"
    sums = x.sum(axis=0, dtype=np.float64)
    return chunk_index, text, sums, (x if keep else None)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=50000, help="rows (samples)")
    ap.add_argument("--d", type=int, default=2000, help="features")
    ap.add_argument("--pca", type=int, default=50, help="PCA components (0 = no PCA)")
    ap.add_argument("--hidden", type=int, default=128, help="encoder hidden_size")
    ap.add_argument("--layers", type=int, default=3, help="encoder n_hidden_layers")
    ap.add_argument("--components", type=int, default=2, help="embedding dimension (n_components)")
    ap.add_argument("--groups", type=int, default=6, help="number of label groups")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--out", type=Path, required=True, help="output directory")
    ap.add_argument("--pca-fit-rows", type=int, default=5000, help="rows used to fit the PCA")
    ap.add_argument("--full-mean", action="store_true",
                    help="model mean = mean of all n rows (pca.mean_ then clearly non-zero)")
    ap.add_argument("--chunk", type=int, default=500, help="rows per chunk (part of the RNG layout)")
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="formatting processes")
    g = ap.add_mutually_exclusive_group()
    g.add_argument("--no-model", action="store_true", help="write data.csv only")
    g.add_argument("--model-only", action="store_true", help="write model.pt only")
    a = ap.parse_args()

    if not a.no_model and (a.pca < 0 or a.pca > min(a.d, a.n, a.pca_fit_rows)):
        ap.error("--pca must be 0 or at most min(d, n, pca-fit-rows)")
    a.out.mkdir(parents=True, exist_ok=True)
    want_text = not a.model_only
    want_model = not a.no_model
    fit_rows = min(a.n, a.pca_fit_rows)

    t0 = time.time()
    tasks = []
    for ci, start in enumerate(range(0, a.n, a.chunk)):
        rows = min(a.chunk, a.n - start)
        keep = want_model and start < fit_rows
        if not want_text and not keep and not a.full_mean:
            break  # --model-only: only the rows the model is "fitted" on are needed
        tasks.append((ci, start, rows, keep, want_text))

    total = np.zeros(a.d, dtype=np.float64)
    kept: list[np.ndarray] = []
    csv_path = a.out / "data.csv"
    tmp_path = a.out / "data.csv.partial"
    f = open(tmp_path, "w", newline="\n") if want_text else None
    try:
        if f is not None:
            f.write(",".join(["id", "label", *[f"f{j + 1:04d}" for j in range(a.d)]]) + "\n")
        with mp.get_context("fork").Pool(max(1, a.jobs), initializer=_init,
                                         initargs=(a.seed, a.d, a.groups)) as pool:
            done = 0
            for ci, text, sums, x in pool.imap(format_chunk, tasks, chunksize=1):
                if f is not None:
                    f.write(text)
                total += sums
                if x is not None:
                    kept.append(x)
                done += 1
                if want_text and (done % max(1, len(tasks) // 10) == 0 or done == len(tasks)):
                    print(f"  {min(done * a.chunk, a.n)}/{a.n} rows, {time.time() - t0:.0f} s", flush=True)
    finally:
        if f is not None:
            f.close()
    if want_text:
        os.replace(tmp_path, csv_path)
        print(f"wrote {csv_path} ({csv_path.stat().st_size / 1e6:.1f} MB) in {time.time() - t0:.1f} s")

    if want_model:
        build_model(a, total, kept, fit_rows)
    return 0


def build_model(a, total: np.ndarray, kept: list[np.ndarray], fit_rows: int) -> None:
    import torch
    from sklearn.decomposition import PCA

    from glass_box_umap import GlassBoxUMAP
    from glass_box_umap.components import LayerNormDetached, VmapPReLU

    Xs = np.ascontiguousarray(np.concatenate(kept, axis=0)[:fit_rows], dtype=np.float32)
    if a.full_mean:
        mean = (total / a.n).astype(np.float32)
    else:
        mean = Xs.mean(axis=0)                                   # upstream: X.mean(axis=0), float32
    Xfit = Xs - mean                                             # float32, like upstream's fit

    model = GlassBoxUMAP(
        pca_components=a.pca or None,
        n_components=a.components,
        encoder_kwargs={"hidden_size": a.hidden, "n_hidden_layers": a.layers},
        random_state=a.seed,
        quiet=True,
        epochs=0,  # marker: never trained
    )
    model._mean = mean
    if a.pca:
        model._pca = PCA(n_components=a.pca, random_state=a.seed)
        model._pca.fit(Xfit)
        input_dims = (a.pca,)
    else:
        input_dims = (a.d,)

    torch.manual_seed(a.seed)
    model._model = model._build_model(input_dims)
    gen = torch.Generator().manual_seed(a.seed + 1)
    with torch.no_grad():
        for mod in model._model.encoder.modules():
            if isinstance(mod, VmapPReLU):
                mod.weight.copy_(0.05 + 0.55 * torch.rand(mod.weight.shape, generator=gen))
            elif isinstance(mod, LayerNormDetached):
                mod.scale.copy_(0.5 + torch.rand(mod.scale.shape, generator=gen))
    model._model.eval()

    path = a.out / "model.pt"
    model.save(path)
    print(f"wrote {path} ({path.stat().st_size / 1e6:.2f} MB): pca={a.pca or None}, hidden={a.hidden}, "
          f"layers={a.layers}, mean over {'all ' + str(a.n) if a.full_mean else 'first ' + str(fit_rows)} rows, "
          f"untrained (random weights, perturbed PReLU/LN)")

    # Sanity check with upstream's loader on the first rows.
    loaded = GlassBoxUMAP.load(path)
    Xs = kept[0][: min(200, len(kept[0]))]
    Z = loaded.transform(Xs)
    C = loaded.compute_contributions(Xs)
    err = float(np.abs(C.astype(np.float64).sum(-1) - Z).max())
    print(f"check on {len(Xs)} rows: max|sum_f C - Z| = {err:.3g} (max|Z| = {float(np.abs(Z).max()):.4g})")
    if a.pca:
        p = loaded._pca
        print(f"pca: components_ {p.components_.dtype}{p.components_.shape}, mean_ {p.mean_.dtype} "
              f"max|mean_| = {float(np.abs(p.mean_).max()):.3g}, solver {getattr(p, '_fit_svd_solver', '?')}")


if __name__ == "__main__":
    sys.exit(main())
