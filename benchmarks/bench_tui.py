"""App benchmarks, run on demand (not in CI):

    python benchmarks/bench_tui.py [--steps N] [--size 160x50]

Everything is measured on the real program in a pseudo-terminal, the way a player sees it
(no Pilot: its own sleeps would be most of what it timed):

- `pokrovsk play` is started in a pty of the given size, straight into a new game of the main
  scenario, and left until its screen is quiet;
- then the cursor is stepped left and right on the map, one arrow key at a time: from the
  write of the key to the LAST byte of the output it causes (the output is over once nothing
  came for ``--quiet`` ms), and the first byte too (a first byte well before the last means
  the step reached the screen in more than one frame);
- the app's CPU time per step comes from the kernel (/proc/<pid>/stat, every thread), less
  what the app burns while idle over the same time;
- Tab (select the next unit, a jump of the cursor and a scroll) is timed the same way;
- the cursor walking 8 hexes east and back (new hexes, a scroll now and then);
- the peak memory (VmHWM) of the app at the end.

Also, in-process: the whole main map drawn cold (every cell and line built) and repainted.
"""

from __future__ import annotations

import argparse
import fcntl
import os
import select
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SRC = ROOT / "src"
TICK = os.sysconf("SC_CLK_TCK")
KEYS = {"right": b"\x1b[C", "left": b"\x1b[D", "tab": b"\t"}


class PtyApp:
    """`pokrovsk play` in a pseudo-terminal of ``cols`` x ``rows``."""

    def __init__(self, cols: int, rows: int, save_dir: str, profile: str | None = None):
        self.fd, slave = os.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
        env = dict(os.environ, TERM="xterm-256color", COLORTERM="truecolor", POKROVSK_SAVE_DIR=save_dir,
                   TEXTUAL_ANIMATIONS="none", PYTHONPATH=f"{SRC}{os.pathsep}{os.environ.get('PYTHONPATH', '')}")
        env.pop("COLUMNS", None)
        env.pop("LINES", None)
        prof = ["-m", "cProfile", "-o", profile] if profile else []
        self.proc = subprocess.Popen([sys.executable, *prof, "-m", "pokrovsk_tui", "play", "--seed", "1"],
                                     stdin=slave, stdout=slave, stderr=slave, env=env, start_new_session=True,
                                     close_fds=True)
        os.close(slave)
        self.buf = bytearray()

    def read_until_quiet(self, quiet: float, limit: float = 10.0) -> tuple[float | None, float | None, int]:
        """Read until nothing came for ``quiet`` s; (time of first byte, of last byte, bytes)."""
        first = last = None
        n = 0
        end = time.perf_counter() + limit
        while time.perf_counter() < end:
            wait = quiet if last is None else max(0.0, last + quiet - time.perf_counter())
            if last is None and first is None:
                wait = min(limit, end - time.perf_counter())
            r, _, _ = select.select([self.fd], [], [], wait)
            if not r:
                if last is not None:
                    break
                continue
            try:
                chunk = os.read(self.fd, 1 << 16)
            except OSError:
                break
            now = time.perf_counter()
            if not chunk:
                break
            first = now if first is None else first
            last = now
            n += len(chunk)
            self.buf += chunk
        return first, last, n

    def wait_for(self, text: bytes, limit: float = 30.0) -> bool:
        end = time.perf_counter() + limit
        while time.perf_counter() < end and text not in self.buf:
            self.read_until_quiet(0.2, limit=1.0)
        return text in self.buf

    def cpu(self) -> float:
        """The app's CPU seconds so far (user + system, every thread)."""
        fields = Path(f"/proc/{self.proc.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / TICK

    def peak_mb(self) -> float:
        for line in Path(f"/proc/{self.proc.pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
        return float("nan")

    def press(self, key: str, quiet: float) -> tuple[float, float, int]:
        """(key to first byte, key to last byte, bytes written) in seconds."""
        t0 = time.perf_counter()
        os.write(self.fd, KEYS[key])
        first, last, n = self.read_until_quiet(quiet)
        if last is None:
            return float("nan"), float("nan"), 0
        return first - t0, last - t0, n

    def close(self) -> None:
        try:
            os.write(self.fd, b"\x11")   # ctrl+q
        except OSError:
            pass
        try:
            self.proc.wait(timeout=3)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        os.close(self.fd)


def steps(app: PtyApp, keys: list[str], quiet: float) -> dict:
    cpu0 = app.cpu()
    t0 = time.perf_counter()
    res = [app.press(k, quiet) for k in keys]
    wall = time.perf_counter() - t0
    cpu = app.cpu() - cpu0
    return {"first": [r[0] for r in res], "last": [r[1] for r in res], "bytes": [r[2] for r in res],
            "cpu": cpu, "wall": wall}


def idle_cpu_per_second(app: PtyApp, seconds: float) -> float:
    cpu0 = app.cpu()
    t0 = time.perf_counter()
    app.read_until_quiet(seconds, limit=seconds)
    time.sleep(max(0.0, seconds - (time.perf_counter() - t0)))
    return (app.cpu() - cpu0) / (time.perf_counter() - t0)


def in_pty(n: int, cols: int, rows: int, quiet: float, profile: str | None = None) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        app = PtyApp(cols, rows, tmp, profile)
        try:
            if not app.wait_for(b"Select a unit", limit=60):
                raise SystemExit("the game did not start in the pseudo-terminal:\n" + app.buf[-2000:].decode(errors="replace"))
            # let the opening toasts come and go
            time.sleep(0.5)
            app.read_until_quiet(1.0, limit=15)
            idle = idle_cpu_per_second(app, 2.0)
            # warm up: the cells around the cursor built once
            steps(app, ["right", "left"] * 3, quiet)
            cur = steps(app, ["right", "left"] * (n // 2), quiet)
            walk = steps(app, (["right"] * 8 + ["left"] * 8) * max(1, n // 16), quiet)
            tab = steps(app, ["tab"] * max(3, n // 4), quiet)
            peak = app.peak_mb()
        finally:
            app.close()
    return {"idle": idle, "cursor": cur, "walk": walk, "tab": tab, "peak_mb": peak}


def whole_map() -> dict:
    """The main map drawn in-process, cold (every cell and line built) and repainted."""
    sys.path.insert(0, str(SRC))
    from pokrovsk_tui.rules.world import build_world
    from pokrovsk_tui.store.scenarios import load_scenario
    from pokrovsk_tui.tui.picture import MapPicture
    from pokrovsk_tui.tui.widgets.hexmap import HexMap

    world = build_world(load_scenario("pokrovsk-winter-2026"))
    m = HexMap(world)
    m.picture = MapPicture(control=world.initial_control.copy())
    m._style = lambda *names: None      # no app: the styles are not looked up here
    cold = []
    for _ in range(5):
        if hasattr(m, "invalidate_cache"):
            m.invalidate_cache()
        else:                           # the map before issue 14
            m._cells.clear()
            m._strips.clear()
        t = time.perf_counter()
        m.render_all()
        cold.append(time.perf_counter() - t)
    warm = []
    for _ in range(5):
        t = time.perf_counter()
        m.render_all()
        warm.append(time.perf_counter() - t)
    return {"cold_ms": statistics.median(cold) * 1000, "warm_ms": statistics.median(warm) * 1000}


def ms(xs: list[float]) -> str:
    xs = [x * 1000 for x in xs if x == x]
    if not xs:
        return "     n/a"
    q = statistics.quantiles(xs, n=10) if len(xs) >= 10 else [max(xs)] * 9
    return f"{statistics.median(xs):6.1f} ms median, {q[8]:6.1f} p90, {max(xs):6.1f} max"


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--steps", type=int, default=40, help="cursor steps to time (default 40)")
    ap.add_argument("--size", default="160x50", help="terminal size, COLSxROWS (default 160x50)")
    ap.add_argument("--quiet", type=float, default=50, help="ms without output that end a step (default 50)")
    ap.add_argument("--profile", metavar="FILE", help="run the app under cProfile, its stats to FILE")
    ap.add_argument("--src", metavar="DIR", help="the package from another tree (e.g. an older version's src/)")
    args = ap.parse_args()
    if args.src:
        global SRC
        SRC = Path(args.src).resolve()
    cols, rows = (int(x) for x in args.size.lower().split("x"))
    quiet = args.quiet / 1000
    load = os.getloadavg()
    print(f"{os.cpu_count()} cores, load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}; "
          f"pokrovsk play in a {cols}x{rows} pty, quiet = {args.quiet:g} ms, package from {SRC}")
    r = in_pty(args.steps, cols, rows, quiet, args.profile)
    for name, what in (("cursor", "cursor step, back and forth"), ("walk", "cursor walk, 8 hexes and back"),
                       ("tab", "Tab to the next unit")):
        s = r[name]
        k = len(s["last"])
        idle = r["idle"] * s["wall"]
        print(f"{what:30s} key to last byte  {ms(s['last'])}   (target <= 17 ms)")
        print(f"{'':30s} key to first byte {ms(s['first'])}")
        print(f"{'':30s} app CPU per key   {(s['cpu'] - idle) / k * 1000:6.1f} ms  "
              f"({s['cpu'] / k * 1000:.1f} ms less {idle / k * 1000:.1f} ms idle; target <= 5 ms), "
              f"{statistics.median(s['bytes']):.0f} bytes")
    print(f"app idle CPU                {r['idle'] * 100:6.1f} % of a core")
    print(f"app peak memory (VmHWM)     {r['peak_mb']:6.1f} MB")
    wm = whole_map()
    print(f"whole main map, cold        {wm['cold_ms']:6.1f} ms  (every cell and line built)")
    print(f"whole main map, cached      {wm['warm_ms']:6.2f} ms")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
