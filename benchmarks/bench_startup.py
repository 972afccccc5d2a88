"""Start-up benchmarks, run on demand (not in CI):

    python benchmarks/bench_startup.py [--repeat N]

Prints, each the median of N fresh processes (hyperfine-style repeated runs):
- `pokrovsk` to the title screen in a pseudo-terminal (a real start-up): wall time until the
  menu shows, and the CPU time of the process (start-up plus quitting at once), beside a
  trivial Textual app measured the same way;
- `pokrovsk scenarios`: wall and CPU time of the whole process, beside `python -c pass` (the
  interpreter's own start, site and .pth files included), and the command's own time in-process;
- from `python -X importtime`: which heavy modules each of the two imports (numpy, scipy,
  pydantic and the engine should be absent from both).

`--baseline SRC` also runs the title start-up from another source tree (e.g. a worktree of
main: `--baseline ../main/src`), alternating with this one run by run, so both see the same
load. Whether Python may cache compiled modules matters: with PYTHONDONTWRITEBYTECODE set and
no `__pycache__` in src/, every start compiles the game's own modules again (tens of ms);
`--bytecode` lets the runs cache them (under a temporary PYTHONPYCACHEPREFIX, warmed first),
as an installed package does.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

HEAVY = ("numpy", "scipy", "pydantic", "pokrovsk_tui.rules.engine", "pokrovsk_tui.game.session")

TRIVIAL_APP = r"""
from textual.app import App
from textual.widgets import Static
class Trivial(App):
    def compose(self):
        yield Static("New game")
    def on_key(self, event):
        self.exit()
Trivial().run()
"""


def pty_start(argv: list[str], marker: bytes, env: dict) -> tuple[float, float]:
    """(wall s until ``marker`` is on the pseudo-terminal, CPU s of the whole process): the
    program is sent ``q`` as soon as the marker shows, so its CPU is start-up plus quitting."""
    import pty
    import select
    import time

    pid, fd = pty.fork()
    if pid == 0:
        os.execvpe(argv[0], argv, dict(env, TERM="xterm-256color", COLUMNS="120", LINES="40"))
    t0 = time.perf_counter()
    buf, seen = b"", float("nan")
    while time.perf_counter() - t0 < 30:
        r, _, _ = select.select([fd], [], [], 0.02)
        if r:
            try:
                chunk = os.read(fd, 65536)
            except OSError:
                break
            if not chunk:
                break
            buf += chunk
            if marker in buf:
                seen = time.perf_counter() - t0
                break
    os.write(fd, b"q")
    deadline = time.time() + 10
    ru = None
    while time.time() < deadline:
        done, _, ru = os.wait4(pid, os.WNOHANG)
        if done:
            break
        r, _, _ = select.select([fd], [], [], 0.02)
        if r:
            try:
                os.read(fd, 65536)
            except OSError:
                pass
    else:
        os.kill(pid, 9)
        _, _, ru = os.wait4(pid, 0)
    os.close(fd)
    return seen, ru.ru_utime + ru.ru_stime


IN_PROCESS = r"""
import io, contextlib, time
t0 = time.perf_counter(); c0 = time.process_time()
from pokrovsk_tui.cli import main
with contextlib.redirect_stdout(io.StringIO()):
    main(["scenarios"])
print(time.perf_counter() - t0, time.process_time() - c0)
"""


def run_cpu(argv: list[str], env: dict) -> tuple[float, float, str]:
    """(wall s, CPU s of the child, its stdout)."""
    import time

    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    out = subprocess.run(argv, env=env, capture_output=True, text=True, check=True).stdout
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, out


def heavy_imports(code: str, env: dict) -> list[str]:
    err = subprocess.run([sys.executable, "-X", "importtime", "-c", code], env=env, capture_output=True,
                         text=True).stderr
    names = {line.rsplit("|", 1)[-1].strip() for line in err.splitlines() if line.startswith("import time:")}
    return [m for m in HEAVY if m in names]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--repeat", type=int, default=10)
    ap.add_argument("--baseline", metavar="SRC", help="also time the title from this source tree, alternating")
    ap.add_argument("--bytecode", action="store_true",
                    help="let Python cache compiled modules (a temporary PYTHONPYCACHEPREFIX, warmed first)")
    ap.add_argument("--title-only", action="store_true", help="only the title start-up, not `pokrovsk scenarios`")
    args = ap.parse_args()
    n = args.repeat
    env = dict(os.environ, TEXTUAL_ANIMATIONS="none", POKROVSK_SAVE_DIR=tempfile.mkdtemp())
    if args.bytecode:
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env["PYTHONPYCACHEPREFIX"] = tempfile.mkdtemp(prefix="pycache-")
    med = statistics.median
    here = str(Path(__file__).resolve().parents[1] / "src")
    trees = {"this tree": dict(env, PYTHONPATH=os.pathsep.join(p for p in (here, env.get("PYTHONPATH")) if p))}
    if args.baseline:
        trees["baseline"] = dict(env, PYTHONPATH=str(Path(args.baseline).resolve()))
    print(f"compiled modules cached: {'yes' if 'PYTHONDONTWRITEBYTECODE' not in env else 'no (PYTHONDONTWRITEBYTECODE)'}"
          f"; {n} runs each, medians")
    if args.bytecode:                  # warm the cache: the first start compiles and writes it
        for tree_env in trees.values():
            pty_start([sys.executable, "-m", "pokrovsk_tui"], b"New game", tree_env)
        pty_start([sys.executable, "-c", TRIVIAL_APP], b"New game", env)

    runs: dict[str, list[tuple[float, float]]] = {name: [] for name in (*trees, "trivial")}
    for _ in range(n):                 # alternate, so every kind of run sees the same load
        for name, tree_env in trees.items():
            runs[name].append(pty_start([sys.executable, "-m", "pokrovsk_tui"], b"New game", tree_env))
        runs["trivial"].append(pty_start([sys.executable, "-c", TRIVIAL_APP], b"New game", env))
    loaded = heavy_imports("from pokrovsk_tui.tui.app import PokrovskApp", trees["this tree"])
    for name in trees:
        title = runs[name]
        label = "pokrovsk to title screen (pty)" + (" baseline" if name == "baseline" else "")
        print(f"{label:42s}{med(w for w, _ in title) * 1000:7.0f} ms wall "
              f"{med(c for _, c in title) * 1000:5.0f} ms CPU   (target <= 400 ms)")
    trivial = runs["trivial"]
    print(f"a trivial Textual app, the same way       {med(w for w, _ in trivial) * 1000:7.0f} ms wall "
          f"{med(c for _, c in trivial) * 1000:5.0f} ms CPU")
    print(f"  heavy modules imported for the title: {', '.join(loaded) or 'none'}")

    if args.title_only:
        return
    env = trees["this tree"]
    bare = [run_cpu([sys.executable, "-c", "pass"], env) for _ in range(n)]
    sc = [run_cpu([sys.executable, "-m", "pokrovsk_tui", "scenarios"], env) for _ in range(n)]
    inproc = [subprocess.run([sys.executable, "-c", IN_PROCESS], env=env, capture_output=True, text=True,
                             check=True).stdout.split() for _ in range(n)]
    print(f"python -c pass (interpreter start)        {med(w for w, _, _ in bare) * 1000:7.0f} ms wall "
          f"{med(c for _, c, _ in bare) * 1000:5.0f} ms CPU")
    print(f"pokrovsk scenarios, whole process         {med(w for w, _, _ in sc) * 1000:7.0f} ms wall "
          f"{med(c for _, c, _ in sc) * 1000:5.0f} ms CPU")
    print(f"pokrovsk scenarios, in-process            {med(float(w) for w, _ in inproc) * 1000:7.0f} ms wall "
          f"{med(float(c) for _, c in inproc) * 1000:5.0f} ms CPU   (target <= 100 ms)")
    sc_heavy = heavy_imports("import sys; sys.argv=['pokrovsk','scenarios']\n"
                             "from pokrovsk_tui.cli import main; main()", env)
    print(f"  heavy modules loaded by `scenarios`: {', '.join(sc_heavy) or 'none'}")


if __name__ == "__main__":
    main()
