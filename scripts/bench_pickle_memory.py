#!/usr/bin/env python3
"""Peak memory of glassbox's restricted unpickler against Python's, on a hostile checkpoint.

    python3 scripts/bench_pickle_memory.py [--glassbox .build/release/glassbox] [--sizes 20 100]

For each size S (MB) it takes SampleData/wine/model.pt and adds to its data.pkl an entry
`junk` holding `[[]] * N` — one empty list referenced N times (2 bytes of pickle per
reference), so the pickle is S MB — then measures the peak RSS of
  - `glassbox inspect --model FILE` (which must refuse it, exit 2), and
  - a restricted `pickle.Unpickler` (find_class limited to the checkpoint's globals,
    storages as placeholders) loading the same data.pkl in a fresh Python process,
and prints both, with the file size and each one's time. Needs only the standard library.
"""
import argparse
import io
import os
import resource
import subprocess
import sys
import tempfile
import time
import zipfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

RESTRICTED_LOADER = r"""
import collections, pickle, resource, sys, time, zipfile
ALLOWED = {("collections", "OrderedDict"), ("torch._utils", "_rebuild_tensor_v2"), ("torch", "FloatStorage"),
           ("sklearn.decomposition._pca", "PCA"), ("numpy._core.multiarray", "_reconstruct"), ("numpy", "ndarray"),
           ("numpy", "dtype"), ("_codecs", "encode"), ("numpy._core.multiarray", "scalar"), ("pathlib", "PosixPath")}
class Stub:
    def __init__(self, *a, **k): pass
    def __setstate__(self, state): pass
    def __call__(self, *a, **k): return Stub()
class Restricted(pickle.Unpickler):
    def find_class(self, module, name):
        if (module, name) not in ALLOWED:
            raise pickle.UnpicklingError(f"refusing {module}.{name}")
        if (module, name) == ("collections", "OrderedDict"):
            return collections.OrderedDict
        return Stub
    def persistent_load(self, pid):
        return Stub()
data = zipfile.ZipFile(sys.argv[1]).read(sys.argv[2])
t0 = time.perf_counter()
try:
    Restricted(__import__("io").BytesIO(data)).load()
    outcome = "loaded"
except Exception as e:
    outcome = "refused: " + str(e)[:80]
print(time.perf_counter() - t0, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024, outcome)
"""


def hostile_checkpoint(path: str, megabytes: int) -> str:
    """Writes the wine checkpoint with `junk: [[]] * N` added; returns the data.pkl entry name."""
    source = zipfile.ZipFile(os.path.join(ROOT, "SampleData/wine/model.pt"))
    pkl_name = next(n for n in source.namelist() if n.endswith("/data.pkl"))
    original = source.read(pkl_name)
    # The root is `EMPTY_DICT, BINPUT 0, MARK, …pairs…, SETITEMS`: add a pair right after the MARK.
    at = original.index(b"(") + 1
    references = megabytes * 1_000_000 // 2
    junk = io.BytesIO()
    junk.write(b"X\x04\x00\x00\x00junk")          # key 'junk'
    junk.write(b"]")                               # the outer list
    junk.write(b"(]q\xff")                         # MARK, the inner list, memoized as 255
    batch = b"(" + b"h\xff" * 1000 + b"e"          # MARK, 1000 × BINGET 255, APPENDS
    junk.write(b"e")                               # APPENDS the first reference
    for _ in range(references // 1000):
        junk.write(batch)
    pickle = original[:at] + junk.getvalue() + original[at:]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as out:
        for name in source.namelist():
            out.writestr(name, pickle if name == pkl_name else source.read(name))
    return pkl_name


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--glassbox", default=os.path.join(ROOT, ".build/release/glassbox"))
    ap.add_argument("--sizes", type=int, nargs="+", default=[20, 100], help="pickle sizes in MB")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        for megabytes in args.sizes:
            path = os.path.join(tmp, f"junk{megabytes}.pt")
            pkl_name = hostile_checkpoint(path, megabytes)
            size = os.path.getsize(path)
            t0 = time.perf_counter()
            run = subprocess.run(["/usr/bin/time", "-f", "%M", args.glassbox, "inspect", "--model", path],
                                 capture_output=True, text=True)
            seconds = time.perf_counter() - t0
            rss = int(run.stderr.strip().splitlines()[-1]) * 1024
            message = next((l for l in run.stderr.splitlines() if "error" in l), "loaded")
            py = subprocess.run([sys.executable, "-c", RESTRICTED_LOADER, path, pkl_name],
                                capture_output=True, text=True, check=True).stdout.split(maxsplit=2)
            print(f"{megabytes} MB pickle ({size / 1e6:.1f} MB file):")
            print(f"  glassbox   exit {run.returncode}, {seconds:.2f} s, peak RSS {rss / 1e6:.0f} MB: {message[:150]}")
            print(f"  Python     {float(py[0]):.2f} s, peak RSS {int(py[1]) / 1e6:.0f} MB: {py[2].strip()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
