"""A big CSV through ``bpnn train csv`` against ``pandas.read_csv``, and the
start-up of small commands: the last rows of ``bpnn bench``, on their own.

    python benchmarks/big_csv.py                  # 1,000,000 rows
    python benchmarks/big_csv.py --rows 10000000  # 10 million (about 1.9 GB)
    python benchmarks/big_csv.py --startup-only

The file is made in a temporary folder (``--folder``: under that one), seeded:
20 numeric features, one category of 4 values, a numeric target. See
``bpnn.apps.bench.csvrun`` for what each figure measures.
"""

from __future__ import annotations

import argparse
import json
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "src"))

from bpnn.apps.bench import csvrun


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--rows", type=int, default=1_000_000)
    p.add_argument("--steps", type=int, default=2000)
    p.add_argument("--repeats", type=int, default=1, help="runs of each big measure")
    p.add_argument("--startup-only", action="store_true")
    p.add_argument("--folder", help="where the temporary CSV is made")
    args = p.parse_args()
    print(json.dumps(csvrun.startup(folder=args.folder), indent=1), flush=True)
    if not args.startup_only:
        big = csvrun.big_csv(args.rows, args.steps, args.folder, args.repeats)
        print(json.dumps(big, indent=1))


if __name__ == "__main__":
    main()
