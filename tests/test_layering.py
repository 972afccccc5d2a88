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
