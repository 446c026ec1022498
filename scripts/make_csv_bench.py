#!/usr/bin/env python3
"""Write the numeric CSV used by the CSV reader benchmark, streaming (constant memory).

    python3 scripts/make_csv_bench.py --n 50000 --d 2000 --out /tmp/bench.csv

Columns: `cell_id` (text), `label` (text), then d float columns g0..g{d-1} written with
'%.6g' (about 9 bytes a cell: 50,000 x 2,000 is about 0.9 GB). Needs numpy only.
"""
import argparse
import sys

import numpy as np


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=50000, help="rows (samples)")
    ap.add_argument("--d", type=int, default=2000, help="numeric feature columns")
    ap.add_argument("--out", required=True, help="output .csv path")
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args()

    rng = np.random.default_rng(args.seed)
    labels = np.array([f"type_{k}" for k in range(12)])
    row_fmt = ",".join(["%.6g"] * args.d)
    block = 500
    with open(args.out, "w", newline="") as f:
        f.write("cell_id,label," + ",".join(f"g{j}" for j in range(args.d)) + "\n")
        for start in range(0, args.n, block):
            m = min(block, args.n - start)
            x = rng.standard_normal((m, args.d)).astype(np.float32)
            lab = labels[rng.integers(0, len(labels), m)]
            lines = [
                f"cell_{start + i:07d},{lab[i]}," + row_fmt % tuple(x[i].tolist())
                for i in range(m)
            ]
            f.write("\n".join(lines) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
