"""Deterministic randomness: one generator per (game seed, turn, phase, stream).

Every random quantity of the rules is drawn as uniforms from its own stream, then turned into
a binomial, Poisson or die by the inverse-CDF functions below. The engine asks for uniforms of
shape (K, ...) and the reference adjudicator for (1, ...): PCG64 fills arrays row by row, so
replication 0 of a Monte Carlo batch sees exactly the draws of the single resolution.
"""

from __future__ import annotations

import math

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
    """Uniform draws for one game seed; stateless apart from the seed."""

    def __init__(self, seed: int):
        self.seed = int(seed)

    def generator(self, turn: int, phase: str, stream: str) -> np.random.Generator:
        key = (int(turn), PHASES.index(phase), STREAMS[(phase, stream)])
        ss = np.random.SeedSequence(entropy=self.seed, spawn_key=key)
        return np.random.Generator(np.random.PCG64(ss))

    def uniform(self, turn: int, phase: str, stream: str, shape: tuple[int, ...]) -> np.ndarray:
        return self.generator(turn, phase, stream).random(shape)


class DiceWindow(Dice):
    """The rows ``start .. start + K`` of a larger batch: replications resolved in chunks
    draw exactly what one big batch would (PCG64 uses one 64-bit output per double)."""

    def __init__(self, seed: int, start: int):
        super().__init__(seed)
        self.start = int(start)

    def uniform(self, turn, phase, stream, shape):
        g = self.generator(turn, phase, stream)
        row = int(np.prod(shape[1:], dtype=np.int64)) if len(shape) > 1 else 1
        if self.start and row:
            bits = g.bit_generator
            assert isinstance(bits, np.random.PCG64)
            bits.advance(self.start * row)
        return g.random(shape)


# ----- inverse CDFs: numpy (engine) ----------------------------------------------------

def binomial_icdf(u: np.ndarray, n: np.ndarray, p: np.ndarray) -> np.ndarray:
    """Smallest k with CDF(k) > u for Binomial(n, p), elementwise."""
    u = np.asarray(u, dtype=float)
    n = np.broadcast_to(np.asarray(n, dtype=np.int64), u.shape)
    p = np.clip(np.broadcast_to(np.asarray(p, dtype=float), u.shape), 0.0, 1.0)
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
