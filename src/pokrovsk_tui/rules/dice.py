"""Deterministic randomness: one generator per (game seed, turn, phase, stream).

Every random quantity of the rules is drawn as uniforms from its own stream, then turned into
a binomial, Poisson or die by the inverse-CDF functions below. The engine asks for uniforms of
shape (K, ...) and the reference adjudicator for (1, ...): PCG64 fills arrays row by row, so
replication 0 of a Monte Carlo batch sees exactly the draws of the single resolution.
"""

from __future__ import annotations

import functools
import math
import threading
from collections.abc import Sequence
from typing import Any

import numpy as np

PHASES = ("weather", "detection", "fires", "movement", "combat", "logistics", "recovery", "control")
STREAMS = {
    ("weather", "day"): 0,
    ("detection", "units"): 0,
    ("fires", "missions"): 0,
    ("combat", "die"): 0,
    ("combat", "att_loss"): 1,
    ("combat", "def_loss"): 2,
    ("combat", "contact"): 3,
    ("combat", "going"): 4,
    ("logistics", "ugv"): 0,
    ("recovery", "dig"): 0,
}


class Dice:
    """Uniform draws for one game seed; stateless apart from the seed.

    Stream (turn, phase, stream) is PCG64 seeded by ``np.random.SeedSequence(entropy=seed,
    spawn_key=(turn, phase index, stream index))``. Building a SeedSequence costs more than a
    turn's draws, so ``_stream_seed`` computes the same PCG64 state in plain Python (the seed's
    part of the mixing once per seed) and keeps the latest turns' states: the computer's
    look-ahead and Monte Carlo chunks ask for the same streams again and again."""

    def __init__(self, seed: int):
        self.seed = int(seed)

    def generator(self, turn: int, phase: str, stream: str) -> np.random.Generator:
        """The stream's generator (a new one, at the start of the stream)."""
        bits = np.random.PCG64(_NO_SEED)
        bits.state = _pcg_state(self.seed, turn, phase, stream)
        return np.random.Generator(bits)

    def uniform(self, turn: int, phase: str, stream: str, shape: tuple[int, ...]) -> np.ndarray:
        return _drawn(self.seed, turn, phase, stream, shape, 0)

    def uniform_at(self, turn: int, phase: str, stream: str, shape: tuple[int, ...],
                   at: tuple[np.ndarray, ...]) -> np.ndarray:
        """``uniform(turn, phase, stream, shape)[at]`` (``at``: one index array per axis), for
        streams read at a few places of a large shape: the batches made of blocks draw each
        block's distinct dice once and read them there, without making the whole batch."""
        return self.uniform(turn, phase, stream, shape)[at]


class DiceWindow(Dice):
    """The rows ``start .. start + K`` of a larger batch: replications resolved in chunks
    draw exactly what one big batch would (PCG64 uses one 64-bit output per double)."""

    def __init__(self, seed: int, start: int):
        super().__init__(seed)
        self.start = int(start)

    def uniform(self, turn, phase, stream, shape):
        row = int(np.prod(shape[1:], dtype=np.int64)) if len(shape) > 1 else 1
        return _drawn(self.seed, turn, phase, stream, shape, self.start * row)


class TiledDice(Dice):
    """The draws of replications ``0 .. rows`` repeated down the batch: a batch made of blocks
    of ``rows`` replications (the computer's candidate plans on one sample) in which every
    block sees exactly the dice it would see resolved on its own."""

    def __init__(self, seed: int, rows: int):
        super().__init__(seed)
        self.rows = int(rows)

    def uniform(self, turn, phase, stream, shape):
        blocks, rest = divmod(shape[0], self.rows)
        if rest:
            raise ValueError(f"a batch of {shape[0]} is not made of blocks of {self.rows}")
        u = _drawn(self.seed, turn, phase, stream, (self.rows, *shape[1:]), 0)
        return np.tile(u, (blocks,) + (1,) * (len(shape) - 1))

    def uniform_at(self, turn, phase, stream, shape, at):
        if shape[0] % self.rows:
            raise ValueError(f"a batch of {shape[0]} is not made of blocks of {self.rows}")
        u = _drawn(self.seed, turn, phase, stream, (self.rows, *shape[1:]), 0)
        return u[(at[0] % self.rows, *at[1:])]


class BlockDice(TiledDice):
    """The dice of a batch made of blocks of ``rows`` replications that each resolve on their
    own: different orders (a plan axis, see ``orders.stack_orders``) and, given a sequence of
    ``seed``s, different dice (one seed per block). Every block draws exactly what it would
    draw resolved alone with its seed. Streams drawn per order (missions, combat groups, robot
    runs) have one column per order of every block, block after block; ``columns[(phase,
    stream)]`` gives each block's count of them, and a block's rows hold zeros in the other
    blocks' columns (those orders do nothing there). The other streams are drawn per block."""

    def __init__(self, seed: int | Sequence[int], rows: int,
                 columns: dict[tuple[str, str], tuple[int, ...]] | None = None):
        seeds = (int(seed),) if isinstance(seed, (int, np.integer)) else tuple(int(x) for x in seed)
        super().__init__(seeds[0], rows)
        self.seeds = seeds
        self.columns = columns or {}

    def _seed(self, i: int, blocks: int) -> int:
        if len(self.seeds) == 1:
            return self.seeds[0]
        if blocks != len(self.seeds):
            raise ValueError(f"a batch of {blocks} blocks of {self.rows} for {len(self.seeds)} seeds")
        return self.seeds[i]

    def uniform(self, turn, phase, stream, shape):
        cols = self.columns.get((phase, stream))
        if cols is None:
            if len(self.seeds) == 1:
                return super().uniform(turn, phase, stream, shape)
            blocks, rest = divmod(shape[0], self.rows)
            if rest:
                raise ValueError(f"a batch of {shape[0]} is not made of blocks of {self.rows}")
            drawn: dict[int, np.ndarray] = {}
            parts = []
            for i in range(blocks):
                sd = self._seed(i, blocks)
                if sd not in drawn:
                    drawn[sd] = _drawn(sd, turn, phase, stream, (self.rows, *shape[1:]), 0)
                parts.append(drawn[sd])
            return np.concatenate(parts)
        if len(shape) != 2 or shape[0] != self.rows * len(cols) or shape[1] != sum(cols):
            raise ValueError(f"a batch of shape {shape} does not match blocks of {self.rows} with columns {cols}")
        out = np.zeros(shape)
        start = 0
        for i, c in enumerate(cols):
            if c:
                out[i * self.rows:(i + 1) * self.rows, start:start + c] = _drawn(
                    self._seed(i, len(cols)), turn, phase, stream, (self.rows, c), 0)
            start += c
        return out

    def uniform_at(self, turn, phase, stream, shape, at):
        if (phase, stream) in self.columns:
            return Dice.uniform_at(self, turn, phase, stream, shape, at)
        if len(self.seeds) == 1:
            return super().uniform_at(turn, phase, stream, shape, at)
        blocks, rest = divmod(shape[0], self.rows)
        if rest:
            raise ValueError(f"a batch of {shape[0]} is not made of blocks of {self.rows}")
        # each distinct seed's block of dice once, (S, rows, ...), read by each row's block's seed
        number: dict[int, int] = {}
        which = np.array([number.setdefault(self._seed(i, blocks), len(number)) for i in range(blocks)], np.int64)
        drawn = np.stack([_drawn(sd, turn, phase, stream, (self.rows, *shape[1:]), 0) for sd in number])
        k = at[0]
        return drawn[(which[k // self.rows], k % self.rows, *at[1:])]


# ----- the streams' PCG64 states, as np.random.SeedSequence + PCG64 make them -----------
# (numpy's algorithms, written out for 32-bit words; tests/test_engine.py checks them
# against numpy over many seeds and keys)

_MASK32 = 0xFFFFFFFF
_M128 = (1 << 128) - 1
_PCG_MULT = (2549297995355413924 << 64) + 4865540595714422341
_MIX_L, _MIX_R = 0xca01f9dd, 0x4973f715
_NO_SEED = np.random.SeedSequence(0)     # a fixed seed for new bit generators (their state is set)


def _consts(init: int, mult: int, n: int) -> tuple[int, ...]:
    out = [init]
    for _ in range(n):
        out.append(out[-1] * mult & _MASK32)
    return tuple(out)


_HASH_A = _consts(0x43b0d7e5, 0x931e8875, 64)     # SeedSequence's hash constants, in the order used
_HASH_B = _consts(0x8b51f9dd, 0x58f38ded, 8)


def _words(x: int) -> list[int]:
    out = [x & _MASK32]
    x >>= 32
    while x:
        out.append(x & _MASK32)
        x >>= 32
    return out


def _mix_in(pool: list[int], words: list[int], j: int) -> int:
    """SeedSequence.mix_entropy's last loop: each word hashed into every pool cell."""
    ha = _HASH_A
    for e in words:
        for d in range(4):
            v = (e ^ ha[j]) * ha[j + 1] & _MASK32
            j += 1
            r = (_MIX_L * pool[d] - _MIX_R * (v ^ (v >> 16))) & _MASK32
            pool[d] = r ^ (r >> 16)
    return j


@functools.lru_cache(maxsize=64)
def _seed_pool(seed: int) -> tuple[int, ...]:
    """The pool after mixing the seed's words (padded to 4, as a spawn key makes it)."""
    ent = _words(seed)
    ent += [0] * (4 - len(ent))
    ha = _HASH_A
    pool = []
    for i in range(4):
        v = (ent[i] ^ ha[i]) * ha[i + 1] & _MASK32
        pool.append(v ^ (v >> 16))
    j = 4
    for s in range(4):
        for d in range(4):
            if s != d:
                v = (pool[s] ^ ha[j]) * ha[j + 1] & _MASK32
                j += 1
                r = (_MIX_L * pool[d] - _MIX_R * (v ^ (v >> 16))) & _MASK32
                pool[d] = r ^ (r >> 16)
    pool += [j]
    return tuple(pool)


@functools.lru_cache(maxsize=1024)
def _stream_seed(seed: int, key: tuple[int, int, int]) -> tuple[int, int]:
    """PCG64 (state, inc) of ``PCG64(SeedSequence(entropy=seed, spawn_key=key))``."""
    extra = [w for k in key for w in _words(k)]
    if seed < 0 or any(k < 0 for k in key) or (len(_words(seed)) + len(extra) - 4) * 4 + 16 > 64:
        st = np.random.PCG64(np.random.SeedSequence(entropy=seed, spawn_key=key)).state["state"]
        return int(st["state"]), int(st["inc"])
    *pool, j = _seed_pool(seed)
    ent = _words(seed)
    if len(ent) > 4:                    # a seed of more than 128 bits: its extra words first
        j = _mix_in(pool, ent[4:], j)
    _mix_in(pool, extra, j)
    hb = _HASH_B
    w = []
    for i in range(8):
        v = (pool[i & 3] ^ hb[i]) * hb[i + 1] & _MASK32
        w.append(v ^ (v >> 16))
    initstate = (w[0] | w[1] << 32) << 64 | w[2] | w[3] << 32
    initseq = (w[4] | w[5] << 32) << 64 | w[6] | w[7] << 32
    inc = (initseq << 1 | 1) & _M128
    return ((inc + initstate) & _M128) * _PCG_MULT + inc & _M128, inc


def _pcg_state(seed: int, turn: int, phase: str, stream: str) -> Any:
    """The stream's PCG64 state, as ``PCG64.state`` takes it."""
    st, inc = _stream_seed(seed, (int(turn), PHASES.index(phase), STREAMS[(phase, stream)]))
    return {"bit_generator": "PCG64", "state": {"state": st, "inc": inc}, "has_uint32": 0, "uinteger": 0}


_local = threading.local()


def _drawn(seed: int, turn: int, phase: str, stream: str, shape: tuple[int, ...], skip: int) -> np.ndarray:
    """Uniforms of ``shape`` from the stream, after skipping ``skip`` draws (one reusable
    generator per thread: its state is set for each draw)."""
    key = (seed, turn, phase, stream, tuple(shape), skip)
    g = getattr(_local, "gen", None)
    if g is None:
        g = _local.gen = np.random.Generator(np.random.PCG64(_NO_SEED))
        _local.kept = {}
        _local.kept_size = 0
    kept: dict = _local.kept
    u = kept.get(key)
    if u is None:
        bits = g.bit_generator
        bits.state = _pcg_state(seed, turn, phase, stream)
        if skip:
            assert isinstance(bits, np.random.PCG64)
            bits.advance(skip)
        u = g.random(shape)
        if u.size > _KEEP_SIZE:
            return u
        size = _local.kept_size + u.size
        while kept and (len(kept) >= _KEEP or size > _KEEP_TOTAL):
            size -= kept.pop(next(iter(kept))).size          # the oldest
        kept[key] = u
        _local.kept_size = size
    return u.copy()


# the latest draws are kept (per thread), each handed out as a copy: the look-ahead's batches
# of one decision draw the same streams of the same dice again and again
_KEEP = 512             # draws kept at most
_KEEP_SIZE = 1 << 14    # uniforms in a draw kept at most
_KEEP_TOTAL = 1 << 19   # uniforms kept in all (4 MB)


# ----- inverse CDFs: numpy (engine) ----------------------------------------------------

def binomial_icdf(u: np.ndarray, n: np.ndarray, p: np.ndarray) -> np.ndarray:
    """Smallest k with CDF(k) > u for Binomial(n, p), elementwise."""
    u = np.asarray(u, dtype=float)
    n = np.broadcast_to(np.asarray(n, dtype=np.int64), u.shape)
    p = np.minimum(np.maximum(np.broadcast_to(np.asarray(p, dtype=float), u.shape), 0.0), 1.0)
    out = np.zeros(u.shape, dtype=np.int64)
    if u.size == 0:
        return out
    certain = p >= 1.0
    q = np.where(certain, 0.5, 1.0 - p)
    ratio = np.where(certain, 0.0, p / q)
    pmf = np.where(certain, 0.0, q ** n)
    cdf = pmf.copy()
    nmax = int(n.max()) if n.size else 0
    for k in range(nmax):
        more = (cdf <= u) & (k < n)
        if not more.any():          # the CDF only grows: no entry moves on after this
            break
        out += more
        pmf = pmf * ((n - k) / (k + 1)) * ratio
        cdf = cdf + pmf
    return np.where(certain, n, out)


def poisson_icdf(u: np.ndarray, lam: np.ndarray) -> np.ndarray:
    """Smallest k with CDF(k) > u for Poisson(lam), elementwise (lam up to ~700)."""
    u = np.asarray(u, dtype=float)
    lam = np.broadcast_to(np.asarray(lam, dtype=float), u.shape)
    out = np.zeros(u.shape, dtype=np.int64)
    if u.size == 0:
        return out
    lam_max = float(lam.max())
    kmax = int(lam_max + 12.0 * math.sqrt(lam_max) + 12)
    pmf = np.exp(-lam)
    cdf = pmf.copy()
    for k in range(kmax):
        more = cdf <= u
        if not more.any():
            break
        out += more
        pmf = pmf * lam / (k + 1)
        cdf = cdf + pmf
    return out


def die_from_uniform(u: np.ndarray) -> np.ndarray:
    """A d6 roll 1..6 from a uniform."""
    return np.minimum((np.asarray(u) * 6).astype(np.int64), 5) + 1


# ----- inverse CDFs: plain Python (reference adjudicator) ------------------------------

def binomial_icdf_py(u: float, n: int, p: float) -> int:
    p = min(max(p, 0.0), 1.0)
    if p >= 1.0:
        return n
    q = 1.0 - p
    ratio = p / q
    pmf = q ** n
    cdf = pmf
    k = 0
    while k < n and cdf <= u:
        pmf = pmf * ((n - k) / (k + 1)) * ratio
        cdf = cdf + pmf
        k += 1
    return k


def poisson_icdf_py(u: float, lam: float) -> int:
    pmf = math.exp(-lam)
    cdf = pmf
    k = 0
    kmax = int(lam + 12.0 * math.sqrt(lam) + 12)
    while cdf <= u and k < kmax:
        pmf = pmf * lam / (k + 1)
        cdf = cdf + pmf
        k += 1
    return k


def die_from_uniform_py(u: float) -> int:
    return min(int(u * 6), 5) + 1
