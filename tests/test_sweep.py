"""Sweeps on Dask (issue #15, item 1): a scheduler and two workers on 127.0.0.1 give the same
results as a local run, byte for byte; a sweep streams to --out and resumes from it."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from pokrovsk_tui.cli import main

pytest.importorskip("distributed")

SRC = str(Path(__file__).resolve().parents[1] / "src")
TUT = "tutorial-hryshyne"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    """A Dask scheduler and two single-threaded workers, each its own process."""
    port = _free_port()
    addr = f"tcp://127.0.0.1:{port}"
    env = dict(os.environ, PYTHONPATH=SRC + os.pathsep + os.environ.get("PYTHONPATH", ""),
               DASK_DISTRIBUTED__WORKER__DAEMON="False")
    logs = tmp_path_factory.mktemp("dask")
    procs = [subprocess.Popen([sys.executable, "-m", "distributed.cli.dask_scheduler", "--host", "127.0.0.1",
                               "--port", str(port), "--no-dashboard"], env=env,
                              stdout=subprocess.DEVNULL, stderr=(logs / "scheduler.log").open("w"))]
    for i in range(2):
        procs.append(subprocess.Popen([sys.executable, "-m", "distributed.cli.dask_worker", addr, "--nthreads", "1",
                                       "--no-dashboard", "--no-nanny", "--host", "127.0.0.1", "--name", f"w{i}"], env=env,
                                      stdout=subprocess.DEVNULL, stderr=(logs / f"worker{i}.log").open("w")))
    try:
        from distributed import Client

        deadline = time.time() + 60
        while True:
            try:
                with Client(addr, timeout="5s") as c:
                    c.wait_for_workers(2, timeout=max(1, deadline - time.time()))
                break
            except (OSError, TimeoutError):
                if time.time() > deadline:
                    raise
                time.sleep(0.5)
        yield addr
    finally:
        for p in reversed(procs):
            p.terminate()
        for p in procs:
            try:
                p.wait(timeout=10)
            except subprocess.TimeoutExpired:
                p.kill()


def _run(capsys, *argv) -> tuple[int, str]:
    capsys.readouterr()
    code = main(list(argv))
    return code, capsys.readouterr().out


def test_simulate_on_dask_equals_the_local_run_byte_for_byte(cluster, capsys, tmp_path):
    args = ["simulate", TUT, "--ua", "random", "--ru", "easy", "--games", "4", "--turns", "3", "--json"]
    code, local = _run(capsys, *args)
    assert code == 0
    code, remote = _run(capsys, *args, "--scheduler", cluster)
    assert code == 0 and remote == local
    out = tmp_path / "games.jsonl"
    code, streamed = _run(capsys, *args, "--scheduler", cluster, "--out", str(out))
    assert code == 0 and streamed == local
    lines = out.read_text().splitlines()
    assert json.loads(lines[0])["sweep"]["kind"] == "tournament"
    assert sorted(json.loads(x)["key"] for x in lines[1:]) == [f"seed {s}" for s in range(1, 5)]


def test_whatif_on_dask_equals_the_local_run(cluster, capsys):
    args = ["whatif", TUT, "--set", "deliveries.ru_glide_bombs=0", "--ua", "random", "--ru", "easy",
            "--games", "2", "--turns", "2", "--json"]
    code, local = _run(capsys, *args)
    assert code == 0
    code, remote = _run(capsys, *args, "--scheduler", cluster)
    assert code == 0 and remote == local


def test_an_interrupted_sweep_resumes_without_replaying(capsys, tmp_path, monkeypatch):
    from pokrovsk_tui.game import tournament

    args = ["simulate", TUT, "--ua", "random", "--ru", "easy", "--games", "5", "--turns", "2", "--json"]
    code, whole = _run(capsys, *args)
    out = tmp_path / "sweep.jsonl"
    code, _ = _run(capsys, *args[:7], "3", *args[8:], "--out", str(out))     # the first 3 games only
    with out.open("a") as f:
        f.write('{"key": "seed 4", "resu')                                    # killed mid-line
    played = []
    real = tournament.play_one
    monkeypatch.setattr(tournament, "play_one", lambda w, ua, ru, seed, turns=None: played.append(seed) or
                        real(w, ua, ru, seed, turns))
    code, resumed = _run(capsys, *args, "--out", str(out))
    assert code == 0 and resumed == whole
    assert played == [4, 5]                                                    # only the games not in the file
    assert len(out.read_text().splitlines()) == 1 + 5


def test_the_output_of_another_sweep_is_refused(capsys, tmp_path):
    out = tmp_path / "sweep.jsonl"
    base = ["simulate", TUT, "--ru", "easy", "--games", "1", "--turns", "1", "--out", str(out)]
    assert main([*base, "--ua", "random"]) == 0
    assert main([*base, "--ua", "hold"]) == 1
    assert "the output of another sweep" in capsys.readouterr().err
    assert main(["simulate", TUT, "--ua", "random", "--ru", "easy", "--save", "--out", str(out)]) == 2
