"""Settings for the whole suite. ``src`` and ``tests`` (for ``helpers``) are on
the path through pytest's ``pythonpath`` option in pyproject.toml, so the tests
exercise this checkout's source whatever is pip-installed."""

import os

from hypothesis import settings

# CI draws the same examples every run; locally each run explores new ones
settings.register_profile("ci", derandomize=True, print_blob=True)
if os.environ.get("CI"):
    settings.load_profile("ci")
