"""Generates the checkpoint fixtures for Tests/GlassBoxCoreTests/Checkpoint*.swift.

Every .pt file is written by upstream's own `GlassBoxUMAP.save` (glass-box-umap 0.1.0);
each <name>.json holds a few input rows X and the expected embedding:
  z           – the encoder evaluated in float64 by torch on float64-preprocessed X
                (the Swift test's Double forward pass must match it to ~1e-9),
  z_transform – upstream's float32 `transform(X)`, where it runs (float32 models).

Pinned versions used to generate them:
  Python 3.11.7, torch 2.15.0+cu132, numpy 2.4.6, scikit-learn 1.9.1,
  glass-box-umap 0.1.0, pytorch-lightning 2.6.6
Run:  /work/refvenv/bin/python make_checkpoints.py   (from this folder)
"""
import copy
import functools
import io
import json
import os
import zipfile
from pathlib import Path

import numpy as np
import torch
from sklearn.decomposition import PCA
from torch import nn

from glass_box_umap import GlassBoxUMAP
from glass_box_umap.components import VmapPReLU
from glass_box_umap.parametric_umap.models import ResidualMLPBlock
from glass_box_umap.parametric_umap.registry import register_encoder

OUT = Path(__file__).resolve().parent
ROWS = 4


@register_encoder("glassbox_test_residual")
class ResidualNet(nn.Sequential):
    """A custom encoder saved directly under `encoder.<i>` (no `.model`)."""

    def __init__(self, input_dims, n_components, hidden_size=8):
        d = int(np.prod(input_dims))
        super().__init__(
            nn.Linear(d, hidden_size, bias=False),
            nn.PReLU(num_parameters=hidden_size),  # per-channel slopes
            ResidualMLPBlock(hidden_size, hidden_dim=12),
            ResidualMLPBlock(hidden_size, use_norm=False),
            nn.Linear(hidden_size, n_components, bias=False),
        )


@register_encoder("glassbox_test_bias")
class BiasNet(nn.Module):
    def __init__(self, input_dims, n_components, hidden_size=6):
        super().__init__()
        d = int(np.prod(input_dims))
        self.model = nn.Sequential(
            nn.Linear(d, hidden_size, bias=True), VmapPReLU(), nn.Linear(hidden_size, n_components, bias=False)
        )

    def forward(self, x):
        return self.model(x)


def randomize(module, gen):
    """Non-trivial LayerNorm scales and PReLU slopes (defaults are 1 and 0.25)."""
    with torch.no_grad():
        for name, p in module.named_parameters():
            if name.endswith("scale"):
                p.copy_(0.5 + torch.rand(p.shape, generator=gen))
            elif p.ndim == 1:  # PReLU weight
                p.copy_(torch.rand(p.shape, generator=gen) * 1.2 - 0.4)


def built(d, pca=None, mean=None, seed=0, **kwargs):
    """A model with random weights, without training (fast and deterministic)."""
    torch.manual_seed(seed)
    m = GlassBoxUMAP(quiet=True, **kwargs)
    m._model = m._build_model((pca.n_components_,) if pca is not None else (d,) if isinstance(d, int) else d)
    randomize(m._model, torch.Generator().manual_seed(seed + 1))
    m._pca = pca
    m._mean = mean
    return m


def reference(m, X):
    xc = X.astype(np.float64) - np.asarray(m._mean, dtype=np.float64).reshape(-1)
    if m._pca is not None:
        u = (xc - m._pca.mean_.astype(np.float64)) @ m._pca.components_.astype(np.float64).T
    else:
        u = xc
    enc = copy.deepcopy(m._model.encoder).double().eval()
    with torch.no_grad():
        return enc(torch.from_numpy(u)).numpy()


def write(name, m, X, transform=False, save=None):
    (save or m.save)(OUT / f"{name}.pt")
    expected = {"X": X.astype(np.float64).tolist(), "z": reference(m, X).tolist()}
    if transform:
        expected["z_transform"] = m.transform(X).astype(np.float64).tolist()
    (OUT / f"{name}.json").write_text(json.dumps(expected))


def rewrite_pickle(src, dst, old, new):
    """Copy a checkpoint, replacing bytes in its data.pkl (GLOBAL names are newline-terminated)."""
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_STORED) as zout:
        for info in zin.infolist():
            data = zin.read(info.filename)
            if info.filename.endswith("/data.pkl"):
                assert old in data
                data = data.replace(old, new)
            zout.writestr(info.filename.replace(Path(src).stem + "/", Path(dst).stem + "/"), data)


def main():
    rng = np.random.default_rng(0)

    # 1. Default encoder with PCA, really fitted (1 epoch): hidden 8, 3 hidden layers.
    X = rng.normal(size=(60, 10)).astype(np.float32)
    m = GlassBoxUMAP(pca_components=5, encoder_kwargs=dict(hidden_size=8, n_hidden_layers=3), epochs=1,
                     batch_size=64, n_neighbors=5, quiet=True, random_state=0)
    m.fit(X)
    write("default_pca", m, X[:ROWS], transform=True)

    # 2. numpy < 2 spelling of the numpy globals.
    rewrite_pickle(OUT / "default_pca.pt", OUT / "numpy_core.pt", b"numpy._core.multiarray", b"numpy.core.multiarray")

    # 3. One hidden layer (no LayerNorm), no PCA, checkpoint_dir as a pathlib path.
    X = rng.normal(size=(ROWS, 7)).astype(np.float32)
    mean = rng.normal(size=7).astype(np.float32)
    m = built(7, mean=mean, seed=3, encoder_kwargs=dict(hidden_size=6, n_hidden_layers=1),
              checkpoint_dir=Path("/tmp/glassbox-ckpts/run1"))
    write("one_hidden", m, X, transform=True)
    # The same model through pickle protocol 4 (FRAME, MEMOIZE, SHORT_BINUNICODE, STACK_GLOBAL).
    save4 = functools.partial(torch.save, pickle_protocol=4)
    orig, torch.save = torch.save, save4
    try:
        m.save(OUT / "protocol4.pt")
    finally:
        torch.save = orig

    # 4. float64 everywhere: module, PCA and mean.
    Xtrain = rng.normal(size=(30, 9))
    pca = PCA(n_components=4, random_state=0).fit(Xtrain - Xtrain.mean(0))
    m = built(9, pca=pca, mean=Xtrain.mean(0), seed=4, encoder_kwargs=dict(hidden_size=8, n_hidden_layers=3))
    m._model.double()
    write("float64", m, rng.normal(size=(ROWS, 9)))

    # 5. float16 module, float16 mean.
    m = built(6, mean=rng.normal(size=6).astype(np.float16), seed=5, encoder_kwargs=dict(hidden_size=8, n_hidden_layers=2))
    m._model.half()
    write("float16", m, rng.normal(size=(ROWS, 6)).astype(np.float32))

    # 6. Mixed per-layer dtypes: bfloat16 Linears, float32 PReLU, float64 LayerNorm; big-endian mean.
    Xtrain = rng.normal(size=(30, 8)).astype(np.float32)
    pca = PCA(n_components=5, random_state=0).fit(Xtrain - Xtrain.mean(0))
    m = built(8, pca=pca, mean=Xtrain.mean(0).astype(">f8"), seed=6, encoder_kwargs=dict(hidden_size=8, n_hidden_layers=2))
    m._model.bfloat16()
    m._model.encoder.model[1].float()
    m._model.encoder.model[2].double()
    write("mixed_bfloat16", m, rng.normal(size=(ROWS, 8)).astype(np.float32))

    # 7. A registered custom encoder with ResidualMLPBlocks, saved under `encoder.<i>`.
    m = built(6, mean=rng.normal(size=6).astype(np.float32), seed=7, encoder_name="glassbox_test_residual",
              n_components=3)
    write("residual", m, rng.normal(size=(ROWS, 6)).astype(np.float32), transform=True)

    # 8. Refused: a Linear with a bias; the convolutional default encoder.
    m = built(5, mean=np.zeros(5, np.float32), seed=8, encoder_name="glassbox_test_bias")
    m.save(OUT / "bias.pt")
    m = built((1, 8, 8), mean=np.zeros((1, 8, 8), np.float32), seed=9, encoder_name="default_conv",
              encoder_kwargs=dict(hidden_dims=[4]))
    m.save(OUT / "conv.pt")

    # 9. Hostile: a checkpoint whose pickle calls os.system (pickled as posix.system).
    class Evil:
        def __reduce__(self):
            return (os.system, ("touch /tmp/glassbox-pwned-checkpoint-fixture",))

    torch.save({"attrs": {"n_neighbors": 15}, "payload": Evil()}, OUT / "evil_system.pt")


if __name__ == "__main__":
    main()
