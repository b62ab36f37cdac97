"""The layer order of ``src/synthcheck``, written once, and the import check that keeps it.

Data flows top to bottom through these layers; a module imports only from its own
layer or the layers before it (lowest first):

1. foundation: pure building blocks with no project imports: the check-family catalog,
   the runbook anchors, statistics, the secret forms and redactor, the baseline
   comparison (``compare``).
2. settings: ``config`` (the environment file, the run options and every other setting,
   the load test's included).
3. inputs: ``plan`` (what to probe), ``history`` (the run store: read for baselines
   before the checks, written after the run; its records are plain data, so it sits
   below everything that reads or writes it), ``logsource`` (the service's log lines).
4. probe: the recording client and everything that sends traffic (recorded exchanges).
5. detectors over text and exchanges: ``leaks`` (known-value and pattern scanning) and
   ``scan`` (``synthcheck scan`` over files and git history).
6. verdicts: pure functions from recorded exchanges to ``CheckResult``.
7. checks: the run object the pytest checks read (``session``) and the load-test
   support (``load``: locust profiles, thresholds, the load verdict wiring).
8. reporting: summary.json, terminal, HTML, Markdown, Allure extras, the self-scan and
   the output guard.
9. after-run: what is published from the frozen summary (``endofrun``, ``afterrun``,
   ``alerts``, ``notify``, ``incident``, ``prometheus``).
10. entry points: the pytest plugin (``pytest_plugin``, the module pytest loads, and
    ``plugin``, its parts; ``pytest_startup``, the plugins a verify run skips), the
    console script (``entry``, ``__main__``), the CLI and the commands it dispatches to
    (``verify``, ``load_command``; ``history`` and ``scan`` keep their command modules
    inside their packages because those import nothing above them),
    the standalone tools (``init``, ``statuspage``, the Prometheus rules file),
    the embedded reference service and its launcher (``embedded``).

A new top-level module or package fails the check until it is placed in a layer here.

The reference service (``synthcheck.reference``) is a standalone test service: it may
import the foundation layer and itself, nothing else of the harness.

The check parses every module (every ``import`` / ``from`` anywhere in the file,
function-level and ``TYPE_CHECKING`` ones included, relative imports resolved) and fails
on an upward import, on any import circle between modules, and on a top-level name that
is in no layer.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

import pytest

PACKAGE = "synthcheck"
SOURCE_ROOT = Path(__file__).resolve().parents[2] / "src"


@dataclass(frozen=True)
class Layer:
    name: str
    members: frozenset[str]


def _layer(name: str, *members: str) -> Layer:
    return Layer(name, frozenset(members))


LAYERS: tuple[Layer, ...] = (
    _layer("foundation", "__init__", "catalog", "runbook", "stats", "secrets", "compare"),
    _layer("settings", "config"),
    _layer("inputs", "plan", "history", "logsource"),
    _layer("probe", "probe"),
    _layer("detectors", "leaks", "scan"),
    _layer("verdicts", "verdicts"),
    _layer("checks", "session", "load"),
    _layer("reporting", "reporting"),
    _layer("after-run", "endofrun", "afterrun", "alerts", "notify", "incident", "prometheus"),
    _layer(
        "entry points",
        "pytest_plugin",
        "plugin",
        "pytest_startup",
        "cli",
        "entry",
        "__main__",
        "verify",
        "load_command",
        "init",
        "statuspage",
        "prometheus_rules",
        "prometheus_rules_command",
        "embedded",
        "reference",
    ),
)

# Top-level name -> the layers it may import besides itself (instead of every lower one).
STANDALONE: Mapping[str, frozenset[str]] = {"reference": frozenset({"foundation"})}


@dataclass(frozen=True)
class Import:
    """One import statement's target, as a dotted module that exists in the tree."""

    importer: str
    target: str
    path: Path
    line: int


def module_names(root: Path, package: str) -> dict[str, Path]:
    """Dotted name -> file, for every module of ``package`` under ``root``."""
    modules: dict[str, Path] = {}
    for path in sorted((root / package).rglob("*.py")):
        parts = list(path.relative_to(root).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        modules[".".join(parts)] = path
    return modules


def _existing(dotted: str, modules: Mapping[str, Path]) -> str | None:
    """The longest prefix of ``dotted`` that is a module of the tree."""
    parts = dotted.split(".")
    while parts:
        name = ".".join(parts)
        if name in modules:
            return name
        parts.pop()
    return None


def _base_of_relative(module: str, is_package: bool, level: int, name: str | None) -> str:
    parts = module.split(".")
    if not is_package:
        parts.pop()
    if level > 1:
        parts = parts[: len(parts) - (level - 1)]
    return ".".join([*parts, name] if name else parts)


def imports_of(module: str, path: Path, modules: Mapping[str, Path], package: str) -> list[Import]:
    """Every project import in one file, resolved to the modules it names."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    is_package = path.name == "__init__.py"
    found: dict[tuple[str, int], Import] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            dotted = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = _base_of_relative(module, is_package, node.level, node.module)
            else:
                base = node.module or ""
            # ``from pkg import sub`` imports the submodule when there is one.
            dotted = [f"{base}.{alias.name}" for alias in node.names]
        else:
            continue
        for name in dotted:
            if name != package and not name.startswith(package + "."):
                continue
            target = _existing(name, modules)
            if target is not None and target != module:
                found.setdefault((target, node.lineno), Import(module, target, path, node.lineno))
    return list(found.values())


def top_name(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


def upward_imports(
    imports: Iterable[Import],
    layers: tuple[Layer, ...],
    standalone: Mapping[str, frozenset[str]],
    root: Path,
) -> list[str]:
    """One message per import that goes to a higher layer (or out of a standalone part)."""
    index = {member: i for i, layer in enumerate(layers) for member in layer.members}
    by_name = {layer.name: i for i, layer in enumerate(layers)}
    problems: list[str] = []
    for imp in imports:
        source, target = top_name(imp.importer), top_name(imp.target)
        if source == target or source not in index or target not in index:
            continue
        low, high = layers[index[source]], layers[index[target]]
        allowed = standalone.get(source)
        where = f"{imp.path.relative_to(root)}:{imp.line}"
        if allowed is not None:
            if index[target] not in {by_name[name] for name in allowed}:
                problems.append(
                    f"{where}: {imp.importer} (standalone {source}) imports "
                    f"{imp.target} (layer {high.name}); it may import only "
                    f"{', '.join(sorted(allowed))}"
                )
            continue
        if index[target] > index[source]:
            problems.append(
                f"{where}: {imp.importer} (layer {low.name}) imports "
                f"{imp.target} (higher layer {high.name})"
            )
    return problems


def circles(imports: Iterable[Import]) -> list[list[str]]:
    """Every strongly connected group of modules, each printed as one circle."""
    graph: dict[str, set[str]] = {}
    for imp in imports:
        graph.setdefault(imp.importer, set()).add(imp.target)
        graph.setdefault(imp.target, set())
    # Tarjan's algorithm, iterative so that deep chains do not hit the recursion limit.
    order: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[list[str]] = []
    for start in sorted(graph):
        if start in order:
            continue
        work: list[tuple[str, list[str]]] = [(start, sorted(graph[start]))]
        order[start] = low[start] = len(order)
        stack.append(start)
        on_stack.add(start)
        while work:
            node, pending = work[-1]
            if pending:
                nxt = pending.pop(0)
                if nxt not in order:
                    order[nxt] = low[nxt] = len(order)
                    stack.append(nxt)
                    on_stack.add(nxt)
                    work.append((nxt, sorted(graph[nxt])))
                elif nxt in on_stack:
                    low[node] = min(low[node], order[nxt])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == order[node]:
                group: list[str] = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    group.append(member)
                    if member == node:
                        break
                if len(group) > 1:
                    groups.append(_as_circle(sorted(group), graph))
    return groups


def _as_circle(group: list[str], graph: Mapping[str, set[str]]) -> list[str]:
    """A path through ``group`` that returns to its start: a → b → … → a."""
    members = set(group)
    start = group[0]
    # Breadth-first from start back to start, inside the group.
    paths: dict[str, list[str]] = {start: [start]}
    queue = [start]
    while queue:
        node = queue.pop(0)
        for nxt in sorted(graph[node] & members):
            if nxt == start:
                return [*paths[node], start]
            if nxt not in paths:
                paths[nxt] = [*paths[node], nxt]
                queue.append(nxt)
    return [*group, start]


def unplaced(modules: Iterable[str], layers: tuple[Layer, ...]) -> list[str]:
    placed = {member for layer in layers for member in layer.members}
    return sorted({top_name(module) for module in modules} - placed)


def check_tree(
    root: Path,
    package: str,
    layers: tuple[Layer, ...] = LAYERS,
    standalone: Mapping[str, frozenset[str]] = STANDALONE,
) -> list[str]:
    """Every layer problem of ``package`` under ``root``, as readable lines (empty: clean)."""
    modules = module_names(root, package)
    imports = [
        imp for name, path in modules.items() for imp in imports_of(name, path, modules, package)
    ]
    problems = [
        f"{name}: in no layer of tests/unit/test_layers.py" for name in unplaced(modules, layers)
    ]
    problems += upward_imports(imports, layers, standalone, root)
    problems += ["import circle: " + " -> ".join(circle) for circle in circles(imports)]
    return problems


def test_synthcheck_imports_follow_the_layers() -> None:
    problems = check_tree(SOURCE_ROOT, PACKAGE)
    assert not problems, "\n".join(problems)


def test_every_layer_name_exists() -> None:
    names = {top_name(module) for module in module_names(SOURCE_ROOT, PACKAGE)}
    stale = sorted(member for layer in LAYERS for member in layer.members if member not in names)
    assert not stale, f"layers name modules that no longer exist: {stale}"


# --- the checker can fail -----------------------------------------------------------------


def _plant(root: Path, files: Mapping[str, str]) -> Path:
    for relative, text in files.items():
        path = root / "pkg" / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


PLANT_LAYERS = (_layer("low", "__init__", "base"), _layer("high", "top", "other"))


def test_checker_catches_a_planted_upward_import(tmp_path: Path) -> None:
    root = _plant(
        tmp_path,
        {
            "__init__.py": "",
            "top.py": "from pkg import base\n",
            "other.py": "",
            "base/__init__.py": "",
            "base/util.py": "def helper() -> None:\n    from ..top import x\n",
        },
    )
    problems = check_tree(root, "pkg", PLANT_LAYERS)
    assert problems == [
        "pkg/base/util.py:2: pkg.base.util (layer low) imports pkg.top (higher layer high)"
    ]


def test_checker_keeps_a_standalone_part_to_its_allowed_layers(tmp_path: Path) -> None:
    root = _plant(
        tmp_path,
        {
            "__init__.py": "",
            "base.py": "",
            "mid.py": "",
            "top.py": "",
            "other/__init__.py": "from pkg import base\nfrom . import helper\n",
            "other/helper.py": "import pkg.mid\n",
        },
    )
    layers = (_layer("low", "__init__", "base"), _layer("mid", "mid"), PLANT_LAYERS[1])
    # "other" is in the top layer: an ordinary member of it may import "mid"...
    assert check_tree(root, "pkg", layers, {}) == []
    # ...a standalone one only what it is allowed.
    assert check_tree(root, "pkg", layers, {"other": frozenset({"low"})}) == [
        "pkg/other/helper.py:1: pkg.other.helper (standalone other) imports pkg.mid"
        " (layer mid); it may import only low"
    ]


def test_checker_catches_a_planted_circle_and_an_unplaced_module(tmp_path: Path) -> None:
    root = _plant(
        tmp_path,
        {
            "__init__.py": "",
            "base.py": "",
            "top.py": "import pkg.other\n",
            "other.py": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from pkg.top import T\n",
            "stray.py": "",
        },
    )
    assert check_tree(root, "pkg", PLANT_LAYERS) == [
        "stray: in no layer of tests/unit/test_layers.py",
        "import circle: pkg.other -> pkg.top -> pkg.other",
    ]


def test_checker_accepts_a_clean_tree(tmp_path: Path) -> None:
    root = _plant(
        tmp_path,
        {
            "__init__.py": "",
            "base.py": "X = 1\n",
            "top.py": "from .base import X\n",
            "other.py": "",
        },
    )
    assert check_tree(root, "pkg", PLANT_LAYERS) == []


@pytest.mark.parametrize(
    ("module", "expected"),
    [("synthcheck", "__init__"), ("synthcheck.cli", "cli"), ("synthcheck.probe.client", "probe")],
)
def test_top_name(module: str, expected: str) -> None:
    assert top_name(module) == expected
