#!/usr/bin/env bash
# Builds the seed corpora in Fuzz/corpus/{checkpoint,safetensors,csv,directory,json} from the samples and the
# test fixtures. The safetensors seeds are made with `glassbox convert`; pass the binary as $1
# (default: ../.build/debug/glassbox) — without one, that corpus only gets the Python-made fixture.
set -euo pipefail
fuzz=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$fuzz")
glassbox=${1:-$root/.build/debug/glassbox}
out=$fuzz/corpus
mkdir -p "$out/checkpoint" "$out/safetensors" "$out/csv" "$out/directory" "$out/json" "$out/anndata"

# .pt: both samples and every upstream-written fixture (including the refused ones: bias,
# conv, evil_system reach deep paths before their refusal).
for sample in "$root"/SampleData/*/; do
    cp "$sample/model.pt" "$out/checkpoint/$(basename "$sample").pt"
done
cp "$root"/Tests/GlassBoxCoreTests/Fixtures/checkpoints/*.pt "$out/checkpoint/"

# .safetensors: each loadable checkpoint converted, plus the file Python's safetensors wrote.
cp "$root"/Tests/GlassBoxCoreTests/Fixtures/formats/*.safetensors "$out/safetensors/" 2>/dev/null || true
if [ -x "$glassbox" ]; then
    for pt in "$out"/checkpoint/*.pt; do
        name=$(basename "$pt" .pt)
        rm -f "$out/safetensors/$name.safetensors"
        "$glassbox" convert "$pt" "$out/safetensors/$name.safetensors" >/dev/null 2>&1 || true
    done
else
    echo "note: $glassbox not found; build glassbox first for the converted safetensors seeds" >&2
fi

# Encoder directories: each converted checkpoint, packed as `name NUL contents NUL` per file
# (see Sources/FuzzEncoderDirectory/main.swift), plus the malformed corpus's directories.
pack() {  # pack DIR OUTPUT
    for f in "$1"/*; do printf '%s\0' "$(basename "$f")"; cat "$f"; printf '\0'; done > "$2"
}
if [ -x "$glassbox" ]; then
    scratch=$(mktemp -d)
    for pt in "$out"/checkpoint/*.pt; do
        name=$(basename "$pt" .pt)
        case $name in pbmc68k) continue ;; esac  # 1 MB of CSV: too slow a seed
        "$glassbox" convert "$pt" "$scratch/$name" >/dev/null 2>&1 && pack "$scratch/$name" "$out/directory/$name"
    done
    rm -rf "$scratch"
fi
for dir in "$root"/Tests/GlassBoxCoreTests/Fixtures/malformed/dir_*/; do
    case $dir in *deep_json*|*huge_declared*) ;; *) pack "$dir" "$out/directory/malformed-$(basename "$dir")" ;; esac
done

# JSON: every safetensors header (its 8-byte length dropped) and encoder.json, plus the
# malformed corpus's descriptions.
for st in "$out"/safetensors/*.safetensors; do
    n=$(od -An -tu8 -N8 "$st" | tr -d ' ')
    tail -c +9 "$st" | head -c "$n" > "$out/json/header-$(basename "$st" .safetensors).json" || true
done
for dir in "$root"/Tests/GlassBoxCoreTests/Fixtures/malformed/dir_*/; do
    if [ -f "$dir/encoder.json" ]; then head -c 65536 "$dir/encoder.json" > "$out/json/encoder-$(basename "$dir").json"; fi
done
printf '{"a": [1, -0, 2.5e-3, true, false, null, "\\u00e9\\ud83d\\ude00"], "b": {}}' > "$out/json/small.json"

# CSV: the first byte of each input picks the reader options (see Sources/FuzzCSV/main.swift):
# 0x00 defaults, 0x0c id+label columns, 0x41 two expected features with missing=zero,
# 0xc2 two named features with missing=drop.
seed() {  # seed NAME SELECTOR FILE…
    local name=$1 selector=$2; shift 2
    { printf "\\x$selector"; cat "$@"; } > "$out/csv/$name"
}
seed wine-defaults 00 "$root/SampleData/wine/data.csv"
head -n 8 "$root/SampleData/pbmc68k/data.csv" | cut -d, -f1-40 > "$out/csv/.pbmc-head"
seed pbmc-head 0c "$out/csv/.pbmc-head"
gzip -c "$root/SampleData/wine/data.csv" > "$out/csv/.wine.gz"
seed wine-gzip 00 "$out/csv/.wine.gz"
rm -f "$out/csv/.pbmc-head" "$out/csv/.wine.gz"
printf 'id,label,a,b\nr1,x,1.5,-2e-3\n"r,2",y,NA,"3"\r\nr3,x,,4\n' > "$out/csv/.small"
seed small-zero 41 "$out/csv/.small"
seed small-drop c2 "$out/csv/.small"
printf 'a\tb\tlabel\n1\t2\tq\n' > "$out/csv/.tsv"
seed tab 10 "$out/csv/.tsv"
rm -f "$out/csv/.small" "$out/csv/.tsv"

# .h5ad: the first byte picks options (see Sources/FuzzAnnData/main.swift): the anndata-written
# fixtures with labels and the expected widths their features fit, and the damaged ones.
h5ad() {  # h5ad NAME SELECTOR FILE
    { printf "\\x$2"; cat "$3"; } > "$out/anndata/$1"
}
fixtures=$root/Tests/GlassBoxCoreTests/Fixtures/anndata
for f in dense csr csc gzip wide64; do
    h5ad "$f-labels" 02 "$fixtures/$f.h5ad"            # label cell_type
    h5ad "$f-mask" 6a "$fixtures/$f.h5ad"              # label cell_type, --features highly_variable, 20 features
    h5ad "$f-names" 86 "$fixtures/$f.h5ad"             # barcode ids, 3 named features
done
h5ad dense-layer 12 "$fixtures/dense.h5ad"             # layers/counts
for f in "$fixtures"/small_csr.h5ad "$fixtures"/bad_*.h5ad "$fixtures"/categories_07.h5ad "$fixtures"/nan.h5ad "$fixtures"/lzf.h5ad; do
    h5ad "$(basename "$f" .h5ad)" 24 "$f"               # label group, 4 features
done

for dir in "$out"/*/; do echo "$(basename "$dir"): $(ls "$dir" | wc -l) seeds"; done
