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
    for path in [*root.glob("rules/*.py"), *root.glob("ai/*.py"), root / "tournament.py", root / "sim.py"]:
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.BinOp | ast.AugAssign) and isinstance(node.op, ast.MatMult):
                found.append(f"{path.name}:{node.lineno} uses @")
            if isinstance(node, ast.Attribute) and node.attr in ("dot", "matmul", "tensordot", "inner", "vdot"):
                found.append(f"{path.name}:{node.lineno} uses .{node.attr}")
    assert not found, found
