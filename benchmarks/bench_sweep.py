"""A sweep on Dask, checked against a local run (issue #15's "Done when"), run on demand:

    python benchmarks/bench_sweep.py [SCENARIO] [--games 200] [--turns T] [--ua normal] [--ru normal]

Starts a Dask scheduler and two workers on 127.0.0.1 (each its own process), then:
1. plays the games here (`pokrovsk simulate --json --jobs 2`);
2. plays them on the cluster with `--scheduler ... --out FILE`, kills one worker once a third
   of the games are in FILE (its games rerun on the other), and interrupts the sweep (SIGINT)
   at two thirds;
3. starts a new worker and resumes the sweep from FILE;
and prints the wall time of each step, how many games the resumed run played, and whether the
final JSON equals the local run's byte for byte.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _worker(addr: str, name: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "distributed.cli.dask_worker", addr, "--nthreads", "1",
                             "--no-dashboard", "--no-nanny", "--host", "127.0.0.1", "--name", name],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def _lines(path: Path) -> int:
    try:
        return max(0, len(path.read_bytes().splitlines()) - 1)
    except OSError:
        return 0


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("scenario", nargs="?", default="pokrovsk-winter-2026")
    ap.add_argument("--games", type=int, default=200)
    ap.add_argument("--turns", type=int, default=None)
    ap.add_argument("--ua", default="normal")
    ap.add_argument("--ru", default="normal")
    args = ap.parse_args()
    sim = [sys.executable, "-m", "pokrovsk_tui", "simulate", args.scenario, "--ua", args.ua, "--ru", args.ru,
           "--games", str(args.games), "--json"] + (["--turns", str(args.turns)] if args.turns else [])
    port = _port()
    addr = f"tcp://127.0.0.1:{port}"
    sched = subprocess.Popen([sys.executable, "-m", "distributed.cli.dask_scheduler", "--host", "127.0.0.1",
                              "--port", str(port), "--no-dashboard"],
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    workers = [_worker(addr, "w0"), _worker(addr, "w1")]
    try:
        t = time.perf_counter()
        local = subprocess.run([*sim, "--jobs", "2"], capture_output=True, text=True, check=True).stdout
        print(f"local run (--jobs 2): {args.games} games in {time.perf_counter() - t:.0f} s")
        out = Path(tempfile.mkdtemp()) / "sweep.jsonl"
        t = time.perf_counter()
        run = subprocess.Popen([*sim, "--scheduler", addr, "--out", str(out)], stdout=subprocess.PIPE,
                               stderr=subprocess.DEVNULL, text=True)
        killed = interrupted = None
        while run.poll() is None:
            n = _lines(out)
            if killed is None and n >= args.games // 3:
                workers[0].kill()
                killed = n
                print(f"killed worker w0 with {n} games in the file")
            if interrupted is None and n >= 2 * args.games // 3:
                run.send_signal(signal.SIGINT)
                interrupted = n
                print(f"interrupted the sweep with {n} games in the file")
            time.sleep(0.2)
        first = run.communicate()[0]
        print(f"first run ended (exit {run.returncode}) after {time.perf_counter() - t:.0f} s, "
              f"{_lines(out)} games in the file")
        workers.append(_worker(addr, "w2"))
        before = _lines(out)
        t = time.perf_counter()
        resumed = subprocess.run([*sim, "--scheduler", addr, "--out", str(out)], capture_output=True, text=True,
                                 check=True).stdout
        print(f"resumed run: played {_lines(out) - before} games in {time.perf_counter() - t:.0f} s")
        final = resumed if interrupted is not None else first
        same = final == local
        print(f"results identical to the local run, byte for byte: {same}")
        if not same:
            a, b = json.loads(local), json.loads(final)
            print("first difference in game", next(i for i, (x, y) in enumerate(zip(a["games"], b["games"],
                                                                                   strict=False)) if x != y))
    finally:
        for p in [*workers, sched]:
            if p.poll() is None:
                p.terminate()
        for p in [*workers, sched]:
            try:
                p.wait(timeout=10)
            except subprocess.TimeoutExpired:
                p.kill()


if __name__ == "__main__":
    os.environ.setdefault("DASK_DISTRIBUTED__WORKER__DAEMON", "False")
    main()
