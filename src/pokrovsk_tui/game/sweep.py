"""Sweeps of many games: on a Dask cluster (``--scheduler ADDRESS``) or here, streamed to a
JSON-lines file (``--out FILE``) that an interrupted sweep resumes from.

Each game is a pure function of the scenario, the two policies, the seed and the game length,
so it gives the same result on any machine: a task carries the scenario itself (its data, not
a path, so a worker on another machine needs only pokrovsk-tui installed), and a worker builds
each scenario's World once. Dask reruns the tasks of a worker lost mid-game on another one.

The output file: a first line ``{"sweep": {...}}`` naming what is played (a file of another
sweep is refused), then one line ``{"key": ..., "result": ...}`` per finished game, written
and flushed as it finishes. A last line cut short (the run was killed while writing it) is
dropped when the sweep resumes; the games already in the file are not played again.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

Task = tuple[str, tuple]          # (key, arguments of the task function)


class SweepError(Exception):
    """A sweep that cannot run: an output file of another sweep, an unreachable scheduler."""


# ----- scenarios shipped to workers --------------------------------------------------------


def payload(scenario) -> tuple[str, dict]:
    """(key, data) of a validated Scenario, to send with tasks: the data rebuilds the same
    Scenario anywhere; the key (a digest of it) names its World in a worker's cache."""
    data = scenario.model_dump(mode="json")
    key = hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()[:16]
    return key, data


def world_of(key: str, data: dict, world=None):
    """The World of a shipped scenario, built once per process (``world``: one already built
    here, for local runs); kept in the process's small bounded cache of worlds
    (rules/world.py), not for the life of the process."""
    from pokrovsk_tui.rules.world import build_world, cached_world, keep_world

    key = f"sweep:{key}"
    found = cached_world(key)
    if found is None:
        if world is None:
            from pokrovsk_tui.rules.scenario import Scenario

            world = build_world(Scenario.model_validate(data))
        found = keep_world(key, world)
    return found


# ----- the output file -------------------------------------------------------------------

def _read_done(path: Path, header: dict) -> dict[str, Any]:
    """The finished games of ``path`` (key -> result); the file is cut back to its last whole
    line. Raises SweepError if it is the output of another sweep."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return {}
    except OSError as e:
        raise SweepError(f"{path}: (file): cannot read: {e.strerror or e}") from None
    good = raw[: raw.rfind(b"\n") + 1]
    lines = good.decode("utf-8", errors="replace").splitlines()
    if not lines:
        return {}
    try:
        first = json.loads(lines[0])
    except ValueError:
        first = None
    if not isinstance(first, dict) or first.get("sweep") != header:
        raise SweepError(f"{path}: line 1: the output of another sweep (or not a sweep file); "
                         "choose another --out file, or delete this one to start again")
    done: dict[str, Any] = {}
    for n, line in enumerate(lines[1:], start=2):
        try:
            rec = json.loads(line)
            done[str(rec["key"])] = rec["result"]
        except (ValueError, KeyError, TypeError):
            raise SweepError(f"{path}: line {n}: not a finished game of this sweep") from None
    if len(good) != len(raw):
        with path.open("r+b") as f:
            f.truncate(len(good))
    return done


class _Out:
    def __init__(self, path: Path | None, header: dict, resume: dict[str, Any]):
        self.f = None
        if path is not None:
            fresh = not resume and (not path.exists() or path.stat().st_size == 0)
            self.f = path.open("a", encoding="utf-8")
            if fresh:
                self.write({"sweep": header})

    def write(self, rec: dict) -> None:
        if self.f is not None:
            self.f.write(json.dumps(rec, sort_keys=True) + "\n")
            self.f.flush()
            os.fsync(self.f.fileno())

    def close(self) -> None:
        if self.f is not None:
            self.f.close()


# ----- running ---------------------------------------------------------------------------

def run_tasks(tasks: list[Task], fn: Callable[..., Any], *, header: dict, scheduler: str | None = None,
              out: str | Path | None = None, jobs: int = 1,
              progress: Callable[[int, int], None] | None = None) -> dict[str, Any]:
    """Run ``fn(*args)`` for every task not already in ``out``; key -> result for all tasks.
    ``fn`` must be a module-level function (it is sent to processes or workers) returning
    JSON data. Results stream to ``out`` and ``progress(done, total)`` as they finish."""
    path = Path(out) if out is not None else None
    done = _read_done(path, header) if path is not None else {}
    todo = [t for t in tasks if t[0] not in done]
    total = len(tasks)
    results = {k: v for k, v in done.items() if k in {t[0] for t in tasks}}
    sink = _Out(path, header, done)
    try:
        if progress and results:
            progress(len(results), total)
        for key, res in _stream(todo, fn, scheduler, jobs):
            res = json.loads(json.dumps(res))        # as it would read back from the file
            results[key] = res
            sink.write({"key": key, "result": res})
            if progress:
                progress(len(results), total)
    finally:
        sink.close()
    return results


def _stream(todo: list[Task], fn, scheduler: str | None, jobs: int) -> Iterable[tuple[str, Any]]:
    if not todo:
        return
    if scheduler is not None:
        yield from _on_dask(todo, fn, scheduler)
    elif jobs <= 1 or len(todo) <= 1:
        for key, args in todo:
            yield key, fn(*args)
    else:
        import multiprocessing as mp
        from concurrent.futures import ProcessPoolExecutor, as_completed

        ctx = mp.get_context("fork") if "fork" in mp.get_all_start_methods() else None
        with ProcessPoolExecutor(max_workers=jobs, mp_context=ctx) as ex:
            futs = {ex.submit(fn, *args): key for key, args in todo}
            for f in as_completed(futs):
                yield futs[f], f.result()


def _on_dask(todo: list[Task], fn, scheduler: str) -> Iterable[tuple[str, Any]]:
    try:
        from distributed import Client, as_completed
    except ImportError:
        raise SweepError("--scheduler needs Dask: python3 -m pip install 'dask[distributed]' "
                         "(or pokrovsk-tui[cluster])") from None
    try:
        client = Client(scheduler, timeout="20s")
    except (OSError, TimeoutError, ValueError) as e:
        raise SweepError(f"--scheduler {scheduler}: cannot reach the Dask scheduler ({e})") from None
    try:
        futs = {}
        for key, args in todo:
            f = client.submit(fn, *args, pure=False)
            futs[f] = key
        for f in as_completed(futs):
            yield futs[f], f.result()
    finally:
        client.close()
