import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# the tests always exercise this checkout's source, whatever is pip-installed
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(Path(__file__).parent))
