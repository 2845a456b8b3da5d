"""The modules of symdepth import one way: no cycle, counting imports inside functions too
(a deferred import is still a dependency)."""

import ast
from pathlib import Path

import networkx as nx

PACKAGE = Path(__file__).resolve().parent.parent / "symdepth"


def import_graph(package: Path = PACKAGE) -> nx.DiGraph:
    graph = nx.DiGraph()
    modules = {p.stem for p in package.glob("*.py")} - {"__init__", "__main__"}
    for name in modules:
        graph.add_node(name)
        for node in ast.walk(ast.parse((package / f"{name}.py").read_text())):
            if isinstance(node, ast.ImportFrom) and node.level == 1:
                targets = [node.module] if node.module else [alias.name for alias in node.names]
                graph.add_edges_from((name, t.split(".")[0]) for t in targets if t.split(".")[0] in modules)
    return graph


def test_no_import_cycle():
    cycles = list(nx.simple_cycles(import_graph()))
    assert cycles == [], f"import cycles: {cycles}"


def test_the_check_sees_a_cycle(tmp_path):
    for name, imports in (("a", "from .b import x"), ("b", "def f():\n    from .a import y\n")):
        (tmp_path / f"{name}.py").write_text(imports + "\n")
    assert list(nx.simple_cycles(import_graph(tmp_path))) != []
