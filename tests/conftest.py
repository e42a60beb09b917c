import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# the tests always exercise this checkout's source, whatever is pip-installed
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(Path(__file__).parent))

import os

from hypothesis import settings

# CI draws the same examples every run; locally each run explores new ones
settings.register_profile("ci", derandomize=True, print_blob=True)
if os.environ.get("CI"):
    settings.load_profile("ci")
