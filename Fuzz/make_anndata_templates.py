#!/usr/bin/env python3
"""Templates for FuzzAnnDataValues (run by hand, with h5py; see README.md):

    python make_anndata_templates.py   # from Fuzz/: fills corpus/anndata-templates and corpus/anndata-values

For each AnnData fixture: a copy, and `NAME.ranges` — one line `offset length` per stored
extent of every dataset's raw data (contiguous data, or each chunk as stored, compressed or
not), variable-length strings left out (their bytes are references into HDF5's global heap,
which libhdf5 does not check). Seeds: per template, inputs that select it (first byte) with a
few option bytes (second) and no patches.
"""
from pathlib import Path

import h5py

FUZZ = Path(__file__).resolve().parent
FIXTURES = FUZZ.parent / "Tests/GlassBoxCoreTests/Fixtures/anndata"
TEMPLATES = FUZZ / "corpus/anndata-templates"
SEEDS = FUZZ / "corpus/anndata-values"
NAMES = ["csr", "csc", "dense", "gzip", "shuffle", "wide64", "small_csr", "categories_07", "nan"]
# Selectors (see readEveryRow): labels cell_type; + --features highly_variable and 20 features;
# barcode ids and 3 named features; label group and 4 features (the small files).
OPTIONS = [0x02, 0x6A, 0x86, 0x24, 0x25]


def extents(f: h5py.File) -> list[tuple[int, int]]:
    out = []

    def visit(name, obj):
        if not isinstance(obj, h5py.Dataset) or h5py.check_string_dtype(obj.dtype) is not None:
            return
        if obj.dtype.kind == "O":
            return
        dsid = obj.id
        if obj.chunks is None:
            offset = dsid.get_offset()
            if offset is not None and dsid.get_storage_size() > 0:
                out.append((offset, dsid.get_storage_size()))
        else:
            for i in range(dsid.get_num_chunks()):
                info = dsid.get_chunk_info(i)
                out.append((info.byte_offset, info.size))

    f.visititems(visit)
    return out


def main() -> None:
    TEMPLATES.mkdir(parents=True, exist_ok=True)
    SEEDS.mkdir(parents=True, exist_ok=True)
    for k, name in enumerate(NAMES):
        source = FIXTURES / f"{name}.h5ad"
        target = TEMPLATES / f"{k}-{name}.h5ad"
        target.write_bytes(source.read_bytes())
        with h5py.File(target, "r") as f:
            ranges = extents(f)
        (TEMPLATES / f"{k}-{name}.ranges").write_text("".join(f"{o} {n}\n" for o, n in ranges))
        for option in OPTIONS:
            (SEEDS / f"{name}-{option:02x}").write_bytes(bytes([k, option]))
        print(f"{name}: {len(ranges)} extents, {sum(n for _, n in ranges)} bytes")


if __name__ == "__main__":
    main()
