"""The three levels of the computer commander and exactly what each one changes.

Every level plays by the same rules: it is handed only its side's view (``view(state, side)``)
plus the public scenario data (map, objectives, sudden-death conditions, supply sources, unit
types, the reinforcement schedule), and its orders pass the engine's ``validate`` like a
human's. No level reads the true state, the enemy's orders or the dice of the real turn. The
levels differ only in how much thinking they do with what they know:

| setting | easy | normal | hard |
|---|---|---|---|
| candidate plans | 1 (balanced) | 3 (balanced, cautious, bold) | 5 (those 3 + strike-heavy, patrol-heavy) + 1 focused on each of 3 front sectors |
| hidden defenders in the odds | ignored: what is not seen is not there | expected from the prior | expected from the prior |
| supply lines (own to keep, enemy's to cut) in the value of ground | no | yes | yes |
| recon before strike, hunting drone/EW teams | no | yes | yes |
| Monte Carlo samples per plan | none | 6 (1 draw of enemy positions x 6 dice) | 24 (3 draws x 8 dice) |
| look-ahead | - | 1 day | 2 days (the second day both sides hold and patrol) |
| local search on the chosen plan | - | up to 2 attacks off / 2 on | up to 6 attacks off / 6 on |
| decision CPU time, main scenario (2-core machine, median of benchmarks/bench_ai.py; moves by 20% and more with the load) | ~20 ms | ~0.1 s | ~0.3 s |

A *draw* places the unseen enemy units on ground the enemy holds, thickest near the front
(combat units) or a few hexes back (support units); seen units stay where they were seen,
strength drawn inside their band. In each sample the enemy's ground units follow the easy
planner run on that sample (his drones patrol), and the day is resolved by the engine's own
phase functions with a flat logistics estimate (``rollout.light_resolve``). The local search
tries calling off each of the chosen plan's attacks and launching each near-miss attack it left
out, keeps every change that scores better on the same samples, then checks them together.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .plans import SIMPLE, Features

# Guards on the sudden-death ground (``Features.guards``) cost the defender about 20 VP a game
# in tournaments (the hex values already make that ground dear), so no level posts them.
PLANNED = Features(guards=False)


@dataclass(frozen=True)
class Level:
    name: str
    candidates: tuple[str, ...]
    sector_variants: int = 0        # extra plans, each weighting one sector of the front
    draws: int = 0                  # enemy-position draws for Monte Carlo (0: no Monte Carlo)
    reps: int = 8                   # replications (dice, enemy strengths) per draw
    lookahead: int = 1              # days resolved before scoring
    features: Features = field(default_factory=Features)   # what the planner takes into account
    rollout: str = "light"          # look-ahead with the engine's phases: "light" logistics or "full"
    refine: int = 0                 # local search: attacks of the chosen plan tried off, near misses tried on


LEVELS: dict[str, Level] = {
    "easy": Level("easy", ("balanced",), features=SIMPLE),
    "normal": Level("normal", ("balanced", "cautious", "bold"), draws=1, reps=6, lookahead=1, refine=2,
                    features=PLANNED),
    "hard": Level("hard", ("balanced", "cautious", "bold", "strike", "patrol"), sector_variants=3,
                  draws=3, reps=8, lookahead=2, refine=6, features=PLANNED),
}
