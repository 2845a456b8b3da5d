"""The modules of symdepth import one way: no cycle, counting imports inside functions too
(a deferred import is still a dependency)."""

import ast
from pathlib import Path

import networkx as nx

PACKAGE = Path(__file__).resolve().parent.parent / "symdepth"


def import_graph(package: Path = PACKAGE) -> nx.DiGraph:
    """Modules (dotted names inside the package; a subpackage is its ``__init__``) and the
    package modules each imports, relative or absolute.  Importing a submodule runs its
    parent packages first, so an import of ``piecewise.regions`` is an edge to ``piecewise``
    too.  The top-level ``__init__``/``__main__`` (which import everything) are left out."""
    files = {}
    for path in package.rglob("*.py"):
        parts = path.relative_to(package).with_suffix("").parts
        if parts[-1] == "__init__":
            parts = parts[:-1]
        if parts and parts != ("__main__",):
            files[".".join(parts)] = (path, path.name == "__init__.py")
    graph = nx.DiGraph()
    graph.add_nodes_from(files)
    for name, (path, is_package) in files.items():
        here = name.split(".") if is_package else name.split(".")[:-1]
        for node in ast.walk(ast.parse(path.read_text())):
            if not isinstance(node, ast.ImportFrom):
                continue
            if node.level:
                base = here[:len(here) - (node.level - 1)] if node.level > 1 else here
            elif (node.module or "").split(".")[0] == package.name:
                base = []
            else:
                continue
            module = node.module.split(".") if node.module else []
            if not node.level:
                module = module[1:]
            targets = [base + module] if node.module else [base + [alias.name] for alias in node.names]
            for target in targets:
                for stop in range(1, len(target) + 1):
                    dotted = ".".join(target[:stop])
                    # a module's own parent packages are already being imported when it runs
                    if dotted in files and dotted != name and not name.startswith(dotted + "."):
                        graph.add_edge(name, dotted)
    return graph


def test_no_import_cycle():
    cycles = list(nx.simple_cycles(import_graph()))
    assert cycles == [], f"import cycles: {cycles}"


def test_the_check_sees_a_cycle(tmp_path):
    for name, imports in (("a", "from .b import x"), ("b", "def f():\n    from .a import y\n")):
        (tmp_path / f"{name}.py").write_text(imports + "\n")
    assert list(nx.simple_cycles(import_graph(tmp_path))) != []


def test_the_check_sees_a_cycle_through_a_subpackage(tmp_path):
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "__init__.py").write_text("from .a import x\n")
    (tmp_path / "sub" / "a.py").write_text("from ..b import y\n")
    (tmp_path / "b.py").write_text("def f():\n    from .sub.a import x\n")
    graph = import_graph(tmp_path)
    assert {("sub", "sub.a"), ("sub.a", "b"), ("b", "sub"), ("b", "sub.a")} <= set(graph.edges)
    assert list(nx.simple_cycles(graph)) != []


def test_the_piecewise_layers_import_one_way():
    graph = import_graph()
    assert {"piecewise.regions", "piecewise.linear", "piecewise.rational_array"} <= set(graph)
    assert not nx.has_path(graph, "piecewise.linear", "piecewise.polynomial")
    assert not nx.has_path(graph, "piecewise.regions", "piecewise.polynomial")
    assert graph.has_edge("piecewise.polynomial", "piecewise.linear")


def test_the_packages_import_one_way():
    """Each package's modules sit in layers: the series rings know nothing of the checks and
    bounds that use them; the rank engine nothing of the bounds built on it; a check's record
    nothing of the methods that fill it."""
    graph = import_graph()
    packages = {"series", "check", "bounds", "piecewise"}
    assert {f"{p}.{m}" for p, m in [("series", "line"), ("series", "balls"), ("check", "exact"), ("bounds", "rank"),
                                     ("bounds", "search"), ("piecewise", "cells")]} <= set(graph)
    for module in (n for n in graph if n.startswith("series.")):
        assert not any(nx.has_path(graph, module, p) for p in packages - {"series"}), module
    for low, high in [("bounds.rank", "bounds.shallow"), ("bounds.rank", "bounds.search"),
                      ("bounds.shallow", "bounds.search"), ("bounds.rank", "bounds.products"),
                      ("check.record", "check.problem"), ("check.values", "check.exact"),
                      ("check.problem", "check.randomized"), ("check.height", "check.taylor"),
                      ("piecewise.cells", "piecewise.regions"), ("piecewise.polynomial", "piecewise.crossing_numbers"),
                      ("piecewise.polynomial", "piecewise.networks")]:
        assert not nx.has_path(graph, low, high), f"{low} reaches {high}"
    assert not nx.has_path(graph, "check", "bounds") and not nx.has_path(graph, "series", "uniform")


def test_every_package_is_installed():
    """pyproject lists the packages by name: a new subpackage left out installs nowhere, which
    an editable install (the developers') hides and a fresh `pip install .` (CI's) does not."""
    import tomllib

    root = PACKAGE.parent
    listed = set(tomllib.loads((root / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"])
    found = {".".join(p.parent.relative_to(root).parts) for top in ("symdepth", "certcheck")
             for p in (root / top).rglob("__init__.py")}
    assert found - listed == set()
