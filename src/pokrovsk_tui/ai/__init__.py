"""Computer opponents. They see the game only through a side's view, like a player.

``decide(level, view, rng)`` gives the orders of the computer commander at a level
(``easy``, ``normal``, ``hard``) with its commander's intent; ``policies.POLICIES`` maps every
policy name (those levels, ``hold`` and ``random``) to a ``(view, rng) -> orders`` callable.
"""

from __future__ import annotations


def decide(level: str, view, rng):
    """The computer's ``Decision`` (orders and intent lines) for a side's view at a level;
    ``None`` for a policy that is not the commander (``hold``, ``random``)."""
    from .commander import COMMANDERS

    cmd = COMMANDERS.get(level)
    return cmd.decide(view, rng) if cmd is not None else None
