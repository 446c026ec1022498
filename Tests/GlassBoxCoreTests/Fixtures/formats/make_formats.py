"""Writes safetensors fixtures with Python's `safetensors`, independently of glassbox's writer:
tensors and the `glassbox` description are built here straight from upstream checkpoints.
Run by hand with the reference venv:  /work/refvenv/bin/python make_formats.py
"""
import json
import re
from pathlib import Path

import numpy as np
import torch
from safetensors.torch import save_file

HERE = Path(__file__).parent
CHECKPOINTS = HERE.parent / "checkpoints"
DTYPES = {torch.float16: "F16", torch.bfloat16: "BF16", torch.float32: "F32", torch.float64: "F64"}


def jsonable(v):
    if isinstance(v, dict):
        return {str(k): jsonable(x) for k, x in v.items()}
    if isinstance(v, (list, tuple)):
        return [jsonable(x) for x in v]
    if isinstance(v, (bool, int, float, str)) or v is None:
        return v
    return str(v)


def convert(name, feature_names=None):
    ck = torch.load(CHECKPOINTS / f"{name}.pt", weights_only=False)
    tensors, layers = {}, []
    by_index = {}
    for key, t in ck["state_dict"].items():
        m = re.match(r"(encoder\.model)\.(\d+)\.(.+)", key)
        if m:
            by_index.setdefault(int(m.group(2)), []).append((m.group(3), t))
    for i in range(max(by_index) + 1):
        layer_name = f"encoder.model.{i}"
        params = by_index.get(i, [])
        if not params:
            layers.append({"type": "Dropout", "name": layer_name})
            continue
        (param, t), = params
        kind = {"scale": "LayerNormDetached"}.get(param, "Linear" if t.dim() == 2 else "PReLU")
        layer = {"type": kind, "name": layer_name}
        if kind == "LayerNormDetached":
            layer["eps"] = 1e-12
        layer["tensors"] = {param: {"dtype": DTYPES[t.dtype], "shape": list(t.shape)}}
        layers.append(layer)
        tensors[f"{layer_name}.{param}"] = t.contiguous()
    preprocess = {}

    def add(key, array):
        array = np.ascontiguousarray(array).astype(array.dtype.newbyteorder("="))
        t = torch.from_numpy(array)
        preprocess[key] = {"dtype": DTYPES[t.dtype], "shape": list(t.shape)}
        tensors[f"preprocess.{key}"] = t

    add("mean", np.asarray(ck["mean"]).reshape(-1))
    if ck.get("pca") is not None:
        add("pca.components", ck["pca"].components_)
        add("pca.mean", ck["pca"].mean_)
    description = {
        "format": "glassbox-encoder", "format_version": 1,
        "n_components": ck["attrs"]["n_components"], "input_dims": list(ck["input_dims"]),
        "feature_names": feature_names, "preprocess": preprocess, "layers": layers,
        "attrs": jsonable(ck["attrs"]),
    }
    save_file(tensors, HERE / f"python_{name}.safetensors", metadata={"glassbox": json.dumps(description)})


convert("default_pca", feature_names=[f"gene{i}" for i in range(10)])
convert("mixed_bfloat16")
