"""Writes the malformed-model corpus: for each format (upstream .pt, .safetensors, encoder
directory), files that are truncated, bit-flipped, of the wrong kind, declare huge sizes,
hold NaN weights or mismatched layer shapes, plus a few format-specific attacks. Every one
must be refused with an InputError (CLI: exit code 2) whose message contains the fragment
recorded in expected.json. Run by hand:  /work/refvenv/bin/python make_malformed.py
"""
import json
import shutil
import struct
import zipfile
from pathlib import Path

import torch

HERE = Path(__file__).parent
FIXTURES = HERE.parent
SOURCE_PT = FIXTURES / "checkpoints" / "default_pca.pt"
SOURCE_ST = FIXTURES / "formats" / "python_default_pca.safetensors"
expected = {}


def out(name, data, fragment):
    (HERE / name).write_bytes(data)
    expected[name] = fragment


def flip(data, index, bit):
    b = bytearray(data)
    b[index] ^= 1 << bit
    return bytes(b)


# --- upstream .pt -----------------------------------------------------------------------
pt = SOURCE_PT.read_bytes()
out("pt_truncated.pt", pt[: len(pt) // 2], "no end of central directory")
# A bit in a weight storage's data: the zip's CRC catches it.
with zipfile.ZipFile(SOURCE_PT) as z:
    info = z.getinfo("default_pca/data/0")
name_length, extra_length = struct.unpack("<HH", pt[info.header_offset + 26 : info.header_offset + 30])
out("pt_bitflip.pt", flip(pt, info.header_offset + 30 + name_length + extra_length + 5, 3), "CRC mismatch")
out("pt_wrong_magic.pt", b"GZ" + pt[2:], "not a model glassbox can read")
# The first central directory record claims a 4 GB entry.
cd = pt.index(b"PK\x01\x02")
huge = bytearray(pt)
huge[cd + 20 : cd + 28] = struct.pack("<II", 0xFFFFFFF0, 0xFFFFFFF0)
out("pt_huge_size.pt", bytes(huge), "runs past the end of the file")


def save_pt(name, mutate, fragment):
    c = torch.load(SOURCE_PT, weights_only=False)
    mutate(c)
    torch.save(c, HERE / name)
    expected[name] = fragment


def nan_pt(c):
    c["state_dict"]["encoder.model.4.weight"][2, 3] = float("nan")


def mismatch_pt(c):
    c["state_dict"]["encoder.model.4.weight"] = torch.zeros(8, 7)


save_pt("pt_nan_weight.pt", nan_pt, "NaN")
save_pt("pt_shape_mismatch.pt", mismatch_pt, "expects 7 inputs but the layer before produces 8")

# --- .safetensors -------------------------------------------------------------------------
st = SOURCE_ST.read_bytes()
(n,) = struct.unpack("<Q", st[:8])
header = json.loads(st[8 : 8 + n])
data = st[8 + n :]


def write_st(name, header, data, fragment, pad=True):
    text = json.dumps(header).encode()
    out(name, struct.pack("<Q", len(text)) + text + data, fragment)


out("st_truncated.safetensors", st[: 8 + n + len(data) // 2], "outside the")
colon = st.index(b'":', 8) + 1
out("st_bitflip.safetensors", flip(st, colon, 0), "expected ':' after an object key")
out("st_wrong_magic.safetensors", b"\x89PNG\r\n\x1a\n" + st[8:], "more than the 100000000 allowed")
out("st_huge_header.safetensors", struct.pack("<Q", 1 << 62) + st[8:], "more than the 100000000 allowed")
h = json.loads(json.dumps(header))
h["encoder.model.0.weight"]["shape"] = [1 << 62, 8]
write_st("st_huge_shape.safetensors", h, data, "more elements than can be counted")
h = json.loads(json.dumps(header))
h["encoder.model.0.weight"]["data_offsets"] = [0, 1 << 60]
write_st("st_huge_offsets.safetensors", h, data, "outside the")
# NaN in encoder.model.4.weight, element 0.
h = header["encoder.model.4.weight"]
begin = h["data_offsets"][0]
nan = bytearray(data)
nan[begin : begin + 4] = struct.pack("<f", float("nan"))
write_st("st_nan_weight.safetensors", header, bytes(nan), "NaN")
# Header and description agree on an (8, 7) weight, which cannot follow an 8-wide layer.
h = json.loads(json.dumps(header))
meta = json.loads(h["__metadata__"]["glassbox"])
for layer in meta["layers"]:
    if layer["name"] == "encoder.model.4":
        layer["tensors"]["weight"]["shape"] = [8, 7]
h["__metadata__"]["glassbox"] = json.dumps(meta)
w = h["encoder.model.4.weight"]
w["shape"] = [8, 7]
w["data_offsets"] = [w["data_offsets"][0], w["data_offsets"][0] + 8 * 7 * 4]
shift = 8 * 4
for k, v in h.items():
    if k != "__metadata__" and v["data_offsets"][0] > w["data_offsets"][0]:
        v["data_offsets"] = [v["data_offsets"][0] - shift, v["data_offsets"][1] - shift]
cut = header["encoder.model.4.weight"]["data_offsets"][0] + 8 * 7 * 4
write_st("st_shape_mismatch.safetensors", h, data[:cut] + data[cut + shift :], "expects 7 inputs but the layer before produces 8")
# The header and the description disagree.
h = json.loads(json.dumps(header))
meta = json.loads(h["__metadata__"]["glassbox"])
meta["layers"][0]["tensors"]["weight"]["dtype"] = "F64"
h["__metadata__"]["glassbox"] = json.dumps(meta)
write_st("st_description_disagrees.safetensors", h, data, "but the description says")
# Two tensors share bytes.
h = json.loads(json.dumps(header))
h["encoder.model.1.weight"]["data_offsets"] = h["encoder.model.5.weight"]["data_offsets"]
write_st("st_overlap.safetensors", h, data, "overlap")
deep = b"{" + b'"a":[' * 1 + b"[" * 5000 + b"]" * 5000 + b"]}"
out("st_deep_header.safetensors", struct.pack("<Q", len(deep)) + deep, "nests deeper than")
h = {k: v for k, v in header.items() if k != "__metadata__"}
write_st("st_no_metadata.safetensors", h, data, "no glassbox model description")
h = json.loads(json.dumps(header))
h["encoder.model.0.weight"]["dtype"] = "I32"
write_st("st_int_dtype.safetensors", h, data, "dtype 'I32' is not supported")

# --- encoder directories ----------------------------------------------------------------
with open(SOURCE_ST, "rb") as f:
    from safetensors import safe_open
    with safe_open(SOURCE_ST, "pt") as st_file:
        tensors = {k: st_file.get_tensor(k) for k in st_file.keys()}
        base_meta = json.loads(st_file.metadata()["glassbox"])


def write_dir(name, fragment, meta=None, edit=None, json_text=None):
    d = HERE / name
    shutil.rmtree(d, ignore_errors=True)
    d.mkdir()
    m = json.loads(json.dumps(meta or base_meta))
    text = json_text if json_text is not None else json.dumps(m, indent=2) + "\n"
    (d / "encoder.json").write_bytes(text if isinstance(text, bytes) else text.encode())
    for k, t in tensors.items():
        rows = t.float().numpy()
        lines = [",".join(repr(float(x)) for x in r) for r in rows] if t.dim() == 2 else [repr(float(x)) for x in rows]
        (d / f"{k}.csv").write_text("\n".join(lines) + "\n")
    if edit:
        edit(d)
    expected[name + "/"] = fragment


def truncate(d):
    p = d / "encoder.model.4.weight.csv"
    p.write_text(p.read_text()[: len(p.read_text()) // 2])


def bitflip(d):
    p = d / "encoder.model.0.weight.csv"
    text = bytearray(p.read_bytes())
    text[text.index(b".")] ^= 1  # '.' becomes '/'
    p.write_bytes(bytes(text))


def nan_csv(d):
    p = d / "encoder.model.4.weight.csv"
    lines = p.read_text().split("\n")
    lines[2] = "nan," + lines[2].split(",", 1)[1]
    p.write_text("\n".join(lines))


def mismatch(d):
    p = d / "encoder.model.4.weight.csv"
    p.write_text("\n".join(",".join(r.split(",")[:7]) for r in p.read_text().strip().split("\n")) + "\n")


write_dir("dir_truncated", "the file ends after", edit=truncate)
write_dir("dir_bitflip", "expected a number, found", edit=bitflip)
write_dir("dir_wrong_magic", "expected a JSON value", json_text=b"\x89PNG\r\n\x1a\n")
m = json.loads(json.dumps(base_meta))
m["format"] = "something-else"
write_dir("dir_wrong_format", "not a glassbox model description", meta=m)
m = json.loads(json.dumps(base_meta))
m["layers"][4]["tensors"]["weight"]["shape"] = [1 << 62, 1 << 62]
write_dir("dir_huge_shape", "overflows", meta=m)
m = json.loads(json.dumps(base_meta))
m["layers"][4]["tensors"]["weight"]["shape"] = [100000000, 8]
write_dir("dir_huge_declared", "the file ends after 8 lines, expected 100000000", meta=m)
write_dir("dir_nan_weight", "weights must be finite", edit=nan_csv)
m = json.loads(json.dumps(base_meta))
m["layers"][4]["tensors"]["weight"]["shape"] = [8, 7]
write_dir("dir_shape_mismatch", "expects 7 inputs but the layer before produces 8", meta=m, edit=mismatch)
m = json.loads(json.dumps(base_meta))
m["layers"][0]["name"] = "../../../../etc/passwd"
write_dir("dir_path_traversal", "'name' must be a dotted module name", meta=m)
m = json.loads(json.dumps(base_meta))
m["attrs"]["deep"] = 0
text = json.dumps(m).replace('"deep": 0', '"deep": ' + "[" * 5000 + "]" * 5000)
write_dir("dir_deep_json", "nests deeper than 64 levels", json_text=text)
write_dir("dir_missing_csv", "no such file", edit=lambda d: (d / "preprocess.pca.mean.csv").unlink())

(HERE / "expected.json").write_text(json.dumps(expected, indent=1, sort_keys=True) + "\n")
print(len(expected), "cases")
