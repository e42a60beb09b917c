"""Run the speed and memory benchmarks (the same as ``bpnn bench``).

    python benchmarks/speed.py --out benchmarks/speed.json

For timings, unset OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE in that command if
they are set (they select a slower BLAS kernel); see benchmarks/RESULTS.md.
"""

import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "src"))

from bpnn.cli import main

if __name__ == "__main__":
    sys.exit(main(["bench", *sys.argv[1:]]))
