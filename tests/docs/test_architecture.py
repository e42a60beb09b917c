"""The floor plan holds: imports only point down, and no module imports itself
round a circle (docs/architecture.md)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "src" / "bpnn"

#: each part, and the parts below it that it may import
GROUND = {"errors", "_version"}
BELOW = {"errors": set(), "_version": set(), "fast": GROUND}
BELOW["engine"] = {"fast", *BELOW["fast"]}
for _part in ("files", "explain", "data"):
    BELOW[_part] = {"engine", *BELOW["engine"]}
BELOW["train"] = {"files", *BELOW["files"]}
BELOW["interop"] = {"train", "explain", "data", *BELOW["train"]}
BELOW["distributed"] = {"train", "data", *BELOW["train"]}
BELOW["apps"] = {"interop", "distributed", *BELOW["interop"]}
BELOW["playground"] = {"apps", *BELOW["apps"]}
BELOW["cli"] = {"playground", *BELOW["playground"]}
#: the package's front door and the public names it keeps (``bpnn.datasets``,
#: ``bpnn.sklearn``, ...): they may import any part, and no part imports them
FACADE = {"__init__", "__main__", "datasets", "sklearn", "_aliases"}
#: the two deliberate conveniences: Network.fit and Network.save, lazy imports
EXCEPTIONS = {
    ("bpnn.engine.network", "bpnn.train.loop"),
    ("bpnn.engine.network", "bpnn.files.model"),
}


def module_name(path: Path) -> str:
    parts = ["bpnn", *path.relative_to(PACKAGE).with_suffix("").parts]
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports_of(path: Path) -> set[str]:
    """Every bpnn module ``path`` imports, at the top or inside a function."""
    name = module_name(path)
    package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name.startswith("bpnn")}
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            if not target.startswith("bpnn"):
                continue
            for alias in node.names:  # ``from . import x`` may name a module
                sub = f"{target}.{alias.name}"
                found.add(sub if MODULES.get(sub) else target)
    return found


MODULES = {module_name(p): p for p in PACKAGE.rglob("*.py")}
GRAPH = {name: imports_of(path) for name, path in MODULES.items()}


def part(module: str) -> str:
    parts = module.split(".")
    return "__init__" if len(parts) == 1 else parts[1]


def test_every_module_lives_in_a_known_part():
    unknown = sorted({part(m) for m in MODULES} - set(BELOW) - FACADE)
    assert not unknown, f"modules outside the floor plan: {unknown}"


@pytest.mark.parametrize("module", sorted(MODULES))
def test_imports_point_down(module):
    upward = upward_imports(module, GRAPH[module])
    assert not upward, f"{module} imports above itself: {upward}"


def upward_imports(module, targets) -> list:
    """The ``targets`` that ``module`` may not import under the rule."""
    here = part(module)
    if here in FACADE:
        return []
    return [
        target
        for target in sorted(targets)
        if part(target) != here
        and part(target) not in BELOW[here]
        and (module, target) not in EXCEPTIONS
    ]


def test_no_import_cycles():
    graph = {
        m: {t for t in targets if t in GRAPH and (m, t) not in EXCEPTIONS}
        for m, targets in GRAPH.items()
    }
    done, stack, cycles = set(), [], []

    def visit(m):
        if m in stack:
            cycles.append(stack[stack.index(m) :] + [m])
            return
        if m in done:
            return
        stack.append(m)
        for t in sorted(graph[m]):
            # a package's __init__ importing its own modules is no cycle
            if not t.startswith(m + "."):
                visit(t)
        stack.pop()
        done.add(m)

    for m in sorted(graph):
        visit(m)
    assert not cycles, "import cycles:\n" + "\n".join(" -> ".join(c) for c in cycles)


def test_the_checker_sees_relative_imports_and_an_upward_one(tmp_path):
    # relative imports of a real module are resolved to full names
    assert "bpnn.engine.activations" in imports_of(PACKAGE / "engine" / "layers.py")
    # the rule refuses an engine module importing train or cli, allows fast
    targets = {"bpnn.train.loop", "bpnn.cli.entry", "bpnn.fast.parallel"}
    assert upward_imports("bpnn.engine.layers", targets) == [
        "bpnn.cli.entry",
        "bpnn.train.loop",
    ]
    # only the two named conveniences are let through
    assert upward_imports("bpnn.engine.network", {"bpnn.train.loop"}) == []
    assert upward_imports("bpnn.engine.network", {"bpnn.train.state"}) == [
        "bpnn.train.state"
    ]


def test_bpnn_01_module_paths_still_import_with_a_warning():
    import importlib
    import sys

    import bpnn
    from bpnn._aliases import MOVED

    for old, new in MOVED.items():
        sys.modules.pop(f"bpnn.{old}", None)
        with pytest.warns(DeprecationWarning, match=f"bpnn.{old} moved to bpnn.{new}"):
            module = importlib.import_module(f"bpnn.{old}")
        assert module is importlib.import_module(f"bpnn.{new}")
    assert bpnn.datasets.load_admissions is bpnn.data.datasets.load_admissions
