import subprocess
import sys


def test_rules_never_imports_textual():
    code = ("import sys, pkgutil, importlib, pokrovsk_tui.rules as r\n"
            "for m in pkgutil.iter_modules(r.__path__):\n"
            "    importlib.import_module('pokrovsk_tui.rules.' + m.name)\n"
            "import pokrovsk_tui.ai.policies\n"
            "print('textual' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_rules_sources_do_not_mention_ui_or_files():
    import pathlib

    import pokrovsk_tui.rules as r
    for path in pathlib.Path(r.__path__[0]).glob("*.py"):
        text = path.read_text()
        assert "import textual" not in text and "from textual" not in text, path
        assert "open(" not in text, f"{path.name} opens files: the engine must stay pure"


def test_engine_and_ai_keep_off_the_multithreaded_blas():
    """A matrix product in the engine or the AI goes to OpenBLAS's thread pool; with tournaments
    in parallel processes its spinning threads halved the throughput (measured: 8 games took as
    long with --jobs 2 as with 1). einsum without ``optimize`` stays single-threaded."""
    import ast
    import pathlib

    import pokrovsk_tui

    root = pathlib.Path(pokrovsk_tui.__path__[0])
    found = []
    for path in [*root.glob("rules/*.py"), *root.glob("ai/*.py"), *root.glob("game/*.py")]:
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.BinOp | ast.AugAssign) and isinstance(node.op, ast.MatMult):
                found.append(f"{path.name}:{node.lineno} uses @")
            if isinstance(node, ast.Attribute) and node.attr in ("dot", "matmul", "tensordot", "inner", "vdot"):
                found.append(f"{path.name}:{node.lineno} uses .{node.attr}")
    assert not found, found


def _outside_rules():
    import pathlib

    import pokrovsk_tui

    root = pathlib.Path(pokrovsk_tui.__path__[0])
    return root, [p for p in root.rglob("*.py") if "rules" not in p.relative_to(root).parts[:1]]


def test_engine_work_is_not_imported_outside_rules():
    """import-linter sees modules, not names: the engine's ``Work`` (its mutable turn in
    progress, rules/work.py, a protected module) is also reachable as ``engine.Work``; that
    name is checked here. Outside rules/ the engine is reached by resolve_turn and
    resolve_batch (which runs the AI's light look-ahead too, given a ``delivery``)."""
    import ast

    root, files = _outside_rules()
    found = []
    for path in files:
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and (node.module or "").endswith("rules.engine"):
                found += [f"{path.relative_to(root)}:{node.lineno}" for a in node.names if a.name == "Work"]
            if isinstance(node, ast.Attribute) and node.attr == "Work" and getattr(node.value, "id", "") == "engine":
                found.append(f"{path.relative_to(root)}:{node.lineno}")
    assert found == [], found


def test_every_engine_internal_module_is_protected_by_the_import_contract():
    """The contract lists the phase modules by name (import-linter's wildcards replace whole
    names only): a new phase_*.py or reference*.py must be added to it."""
    import pathlib
    import tomllib

    import pokrovsk_tui.rules as r

    pyproject = pathlib.Path(__file__).resolve().parents[1] / "pyproject.toml"
    contracts = tomllib.loads(pyproject.read_text())["tool"]["importlinter"]["contracts"]
    protected = {m for c in contracts if c["type"] == "protected" for m in c["protected_modules"]}
    internal = {f"pokrovsk_tui.rules.{p.stem}" for p in pathlib.Path(r.__path__[0]).glob("*.py")
                if p.stem.startswith(("phase_", "reference")) or p.stem in ("kernels", "work")}
    assert internal and internal <= protected, sorted(internal - protected)


def test_the_readme_test_command_is_what_ci_runs_and_checks_the_layers():
    import pathlib

    top = pathlib.Path(__file__).resolve().parents[1]
    readme = [ln for ln in (top / "README.md").read_text().splitlines() if "pip install -q -e '.[test]'" in ln]
    ci = (top / ".ci" / "run").read_text().strip().splitlines()[-1]
    assert readme == [ci]
    assert all(step in ci for step in ("ruff check src tests", "lint-imports", "pytest",
                                       "mypy src/pokrovsk_tui/rules src/pokrovsk_tui/ai"))


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    for root in sorted(graph):
        if root in index:
            continue
        # iterative depth-first search: (module, its successors still to visit)
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        todo = [(root, iter(sorted(graph[root])))]
        while todo:
            v, succ = todo[-1]
            w = next(succ, None)
            if w is not None:
                if w not in index:
                    index[w] = low[w] = len(index)
                    stack.append(w)
                    on_stack.add(w)
                    todo.append((w, iter(sorted(graph.get(w, ())))))
                elif w in on_stack:
                    low[v] = min(low[v], index[w])
                continue
            todo.pop()
            if todo:
                low[todo[-1][0]] = min(low[todo[-1][0]], low[v])
            if low[v] == index[v]:
                comp = []
                while True:
                    w = stack.pop()
                    on_stack.discard(w)
                    comp.append(w)
                    if w == v:
                        break
                if len(comp) > 1:
                    found.append(sorted(comp))
    return sorted(found)


def test_cycle_finder_finds_cycles():
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a", "d"}, "d": {"e"}, "e": {"d"}, "f": {"a"}}
    assert _cycles(graph) == [["a", "b", "c"], ["d", "e"]]
    assert _cycles({"a": {"b"}, "b": set()}) == []


def test_no_import_cycle_in_the_package():
    """No two modules of pokrovsk_tui reach each other by imports: at the top, inside a
    function, or only for type checking (grimp counts them all)."""
    import grimp

    g = grimp.build_graph("pokrovsk_tui", cache_dir=None)
    graph = {m: set(g.find_modules_directly_imported_by(m)) for m in g.modules}
    assert len(graph) > 100 and "pokrovsk_tui.rules.orders" in graph["pokrovsk_tui.rules.engine"]
    cycles = _cycles(graph)
    assert cycles == [], "import cycles: " + "; ".join(" <-> ".join(c) for c in cycles)
