"""No import circle anywhere in `vidjil_local`: neither between modules (function-level imports
count: hiding a circle inside a function does not break it) nor between the feature packages of
`services/`. A circle means two modules that cannot be understood, tested or moved apart."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

PACKAGE = "vidjil_local"
SOURCE = Path(__file__).resolve().parents[2] / "src"
# Read in a process of its own on the source tree (the installed package may hold modules that a
# move left behind in a build directory; what is in `src/` is what counts).
GRAPH_CODE = (
    "import grimp, json; graph = grimp.build_graph('vidjil_local', exclude_type_checking_imports"
    "=True); print(json.dumps({module: sorted(graph.find_modules_directly_imported_by(module)) "
    "for module in graph.modules}))"
)
SERVICE_FEATURES = (
    "accounts",
    "admin",
    "analyses",
    "backups",
    "exchange",
    "metrics",
    "network",
    "notifications",
    "results",
    "samples",
    "workers",
)


def strongly_connected(edges: dict[str, set[str]]) -> list[list[str]]:
    """The circles of a graph: its strongly connected components of more than one node
    (Tarjan's algorithm, iterative so deep graphs do not hit the recursion limit)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    circles: list[list[str]] = []
    for root in sorted(edges):
        if root in index:
            continue
        work = [(root, iter(sorted(edges[root])))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(edges.get(child, ())))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    circles.append(sorted(component))
    return circles


def module_edges() -> dict[str, set[str]]:
    """Who imports whom in `src/`. A package's `__init__` re-exporting its own modules is not a
    circle (Python runs the `__init__` first): imports of a module by its parents are left out."""
    environment = {**os.environ, "PYTHONPATH": str(SOURCE)}
    answer = subprocess.run(
        [sys.executable, "-c", GRAPH_CODE], env=environment, capture_output=True, text=True
    )
    assert answer.returncode == 0, answer.stderr
    imports: dict[str, list[str]] = json.loads(answer.stdout)
    return {
        module: {other for other in imported if not other.startswith(module + ".")}
        for module, imported in imports.items()
    }


def feature_of(module: str) -> str | None:
    parts = module.split(".")
    if parts[:2] == [PACKAGE, "services"] and len(parts) > 2 and parts[2] in SERVICE_FEATURES:
        return parts[2]
    return None


def test_the_graph_finder_sees_a_circle() -> None:
    edges = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert strongly_connected(edges) == [["a", "b", "c"]]


def test_no_module_imports_itself_through_others() -> None:
    assert strongly_connected(module_edges()) == []


def test_no_circle_between_service_features() -> None:
    edges: dict[str, set[str]] = {feature: set() for feature in SERVICE_FEATURES}
    for module, imported in module_edges().items():
        source = feature_of(module)
        if source is None:
            continue
        edges[source] |= {t for other in imported if (t := feature_of(other)) not in (None, source)}
    assert strongly_connected(edges) == []
