#!/usr/bin/env python3
"""Time `glassbox export` against the Python user path on the same files, in one run.

Run by hand (the Python side needs upstream glass-box-umap and the packages in
SampleData/requirements.txt; CI never runs this). Build glassbox first:

    swift build -c release --product glassbox
    python scripts/bench_export.py --model /work/bench-data/synth-50k/model.pt \\
        --data /work/bench-data/synth-50k/data.csv [--repeat 3] [--glassbox .build/release/glassbox]

    # AnnData: the Python side reads it with anndata.read_h5ad; --compare-csv also times
    # glassbox on the CSV of the same cells, in the same run
    python scripts/bench_export.py --model /work/bench-data/anndata/synth-50k/model.pt \\
        --data /work/bench-data/anndata/synth-50k/data.h5ad \\
        --compare-csv /work/bench-data/anndata/synth-50k/data.csv

Each repetition runs, as separate processes on a warm page cache, one after the other:

  glassbox  `glassbox export --model M --data D --out DIR --id-column id --quiet --timings`
            (embedding.csv, contributions.npy, pca_contributions.npy, top_features.csv,
            groups.csv, verification.json with both files' SHA-256) — the whole process.
            For a .h5ad, ids come from obs's index (no --id-column).
  csv       with --compare-csv: the same glassbox export on the CSV of the same cells.
  python    `scripts/bench_upstream_contributions.py --full-path`: pandas.read_csv (for a .h5ad:
            anndata.read_h5ad) +
            GlassBoxUMAP.load + compute_contributions + numpy.save. Reported twice: the
            process as a user runs it (interpreter start and imports included), and the four
            steps alone as that script times them (imports excluded) — the stricter baseline.

Peak RSS is each child's own ru_maxrss (os.wait4). Output directories are fresh for every run
and deleted afterwards (outside the timings). OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE are removed
from the Python side's environment (see bench_upstream_contributions.py). Best and median over
the repetitions are printed, and the two contributions arrays are compared at the end.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def run_child(cmd: list[str], env: dict[str, str] | None = None) -> tuple[float, float, float, str, str]:
    """Runs cmd; returns (wall seconds, CPU seconds (user + system), peak RSS in MB, stdout, stderr)."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        t0 = time.perf_counter()
        p = subprocess.Popen(cmd, stdout=out, stderr=err, stdin=subprocess.DEVNULL, env=env)
        _, status, usage = os.wait4(p.pid, 0)
        wall = time.perf_counter() - t0
        p.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read().decode(), err.read().decode()
    if p.returncode != 0:
        sys.exit(f"{cmd[0]} exited {p.returncode}:\n{stdout}\n{stderr}")
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024.0, stdout, stderr


def summary(values: list[float]) -> str:
    return f"best {min(values):6.2f} s, median {statistics.median(values):6.2f} s"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--model", type=Path, required=True)
    ap.add_argument("--data", type=Path, required=True)
    ap.add_argument("--id-column", default="id")
    ap.add_argument("--glassbox", type=Path, default=ROOT / ".build/release/glassbox")
    ap.add_argument("--python", default=sys.executable, help="interpreter with glass-box-umap (default: this one)")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--tmp", type=Path, default=None, help="where the outputs go (default: the system temp dir)")
    ap.add_argument("--no-check", action="store_true", help="skip comparing the two contributions arrays")
    ap.add_argument("--compare-csv", type=Path, default=None,
                    help="also time glassbox on this CSV of the same cells (its first column the ids)")
    a = ap.parse_args()

    if not a.glassbox.exists():
        sys.exit(f"{a.glassbox} not found: build it with `swift build -c release --product glassbox`")
    with open(a.data, "rb") as f:  # warm the page cache for both sides
        while f.read(1 << 24):
            pass
    with open(a.data, "rb") as f:
        h5ad = f.read(8) == b"\x89HDF\r\n\x1a\n"   # glassbox tells AnnData by this signature too
    py_env = {k: v for k, v in os.environ.items() if k not in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE")}
    upstream = str(ROOT / "scripts/bench_upstream_contributions.py")

    rows = []
    csv_rows = []
    keep: dict[str, Path] = {}
    for r in range(a.repeat):
        gb_dir = Path(tempfile.mkdtemp(prefix="bench-glassbox-", dir=a.tmp))
        py_dir = Path(tempfile.mkdtemp(prefix="bench-python-", dir=a.tmp))
        gb_out = gb_dir / "export"
        ids = [] if h5ad else ["--id-column", a.id_column]
        gb_wall, gb_cpu, gb_rss, gb_stdout, gb_stderr = run_child(
            [str(a.glassbox), "export", "--model", str(a.model), "--data", str(a.data), "--out", str(gb_out),
             "--quiet", "--timings"] + ids)
        if a.compare_csv:
            csv_wall, csv_cpu, csv_rss, _, _ = run_child(
                [str(a.glassbox), "export", "--model", str(a.model), "--data", str(a.compare_csv),
                 "--out", str(gb_dir / "csv"), "--id-column", a.id_column, "--quiet"])
            csv_rows.append((csv_wall, csv_rss, csv_cpu))
            print(f"run {r + 1}: glassbox on the CSV {csv_wall:6.2f} s (CPU {csv_cpu:5.2f} s, {csv_rss:5.0f} MB)")
        py_wall, py_cpu, py_rss, py_stdout, _ = run_child(
            [a.python, upstream, "--full-path", "--model", str(a.model), "--data", str(a.data),
             "--out", str(py_dir / "contributions.npy")], env=py_env)
        steps = float(re.search(r"full path: \d+ samples in ([\d.]+) s wall", py_stdout).group(1))
        py_detail = re.search(r"read_(csv|h5ad) .*", py_stdout).group(0)
        gb_detail = next((l.split("timings (wall/CPU): ", 1)[1] for l in gb_stderr.splitlines() if "timings" in l), "")
        rows.append((gb_wall, gb_rss, py_wall, steps, py_rss, gb_cpu, py_cpu))
        print(f"run {r + 1}: glassbox {gb_wall:6.2f} s (CPU {gb_cpu:5.2f} s, {gb_rss:5.0f} MB) | python process {py_wall:6.2f} s "
              f"(CPU {py_cpu:5.2f} s, {py_rss:5.0f} MB), steps {steps:6.2f} s")
        print(f"       glassbox phases (wall/CPU): {gb_detail}")
        print(f"       python steps: {py_detail}")
        if r == a.repeat - 1 and not a.no_check:
            keep = {"glassbox": gb_out / "contributions.npy", "python": py_dir / "contributions.npy"}
            check(keep)
        shutil.rmtree(gb_dir)
        shutil.rmtree(py_dir)

    gb = [x[0] for x in rows]
    py = [x[2] for x in rows]
    st = [x[3] for x in rows]
    print()
    print(f"glassbox export          : {summary(gb)}; CPU {statistics.median(x[5] for x in rows):.2f} s (median); "
          f"peak RSS {max(x[1] for x in rows):.0f} MB")
    if csv_rows:
        cs = [x[0] for x in csv_rows]
        print(f"glassbox export, CSV     : {summary(cs)}; peak RSS {max(x[1] for x in csv_rows):.0f} MB; "
              f"the .h5ad is {min(cs) / min(gb):4.1f}x faster (best/best)")
    print(f"python, whole process    : {summary(py)}; CPU {statistics.median(x[6] for x in rows):.2f} s (median); "
          f"peak RSS {max(x[4] for x in rows):.0f} MB")
    print(f"python, the 4 steps only : {summary(st)}")
    print(f"speed-up vs python process: {min(py) / min(gb):5.1f}x (best/best), "
          f"{statistics.median(py) / statistics.median(gb):5.1f}x (median/median)")
    print(f"speed-up vs python steps  : {min(st) / min(gb):5.1f}x (best/best), "
          f"{statistics.median(st) / statistics.median(gb):5.1f}x (median/median)")
    print(f"CPU time ratio (python process / glassbox, medians): "
          f"{statistics.median(x[6] for x in rows) / statistics.median(x[5] for x in rows):5.1f}x")
    return 0


def check(paths: dict[str, Path]) -> None:
    """Compares the two contributions arrays, chunk by chunk (memory-mapped)."""
    import numpy as np

    g = np.load(paths["glassbox"], mmap_mode="r")
    p = np.load(paths["python"], mmap_mode="r")
    if g.shape != p.shape or g.dtype != p.dtype:
        print(f"check: shapes differ: glassbox {g.shape} {g.dtype}, python {p.shape} {p.dtype}")
        return
    worst, scale, diffs = 0.0, 0.0, []
    for s in range(0, g.shape[0], 4096):
        a, b = np.asarray(g[s:s + 4096], dtype=np.float64), np.asarray(p[s:s + 4096], dtype=np.float64)
        per = np.abs(a - b).reshape(a.shape[0], -1).max(axis=1)
        worst = max(worst, float(per.max()))
        scale = max(scale, float(np.abs(b).max()))
        diffs.append(per)
    per = np.concatenate(diffs)
    off = np.nonzero(per > 1e-5 * scale)[0]
    print(f"check: contributions {g.shape} {g.dtype}: max |glassbox - python| = {worst:.3g} "
          f"({worst / scale:.2g} of max |C|); samples beyond 1e-5 of max |C|: {len(off)} {off[:10].tolist()}")
    if len(off):
        print("       (float32 rounding can put a hidden pre-activation on the other side of a PReLU kink; "
              "check such samples with `glassbox export --precision double --rows A:B`)")


if __name__ == "__main__":
    sys.exit(main())
