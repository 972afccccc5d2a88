"""Statistics over a game's history and after-action reports, for instructors.

Pure functions over a loaded ``SaveGame`` returning plain data (no Textual, no terminal):

- ``timeline``: the turns of a save for a replay screen: states before and after, orders,
  events, the three views (truth, UA, RU) and the surprises of each turn;
- ``series``: per-turn time series (strength, casualties by cause, hexes, supply, drones, VP)
  and their CSV export;
- ``reroll``: a turn's same orders re-adjudicated K times: how likely was what happened?
- ``aar``: the after-action report as Markdown or HTML (with inline SVG charts from ``svg``).

This layer may import rules, ai and store, never tui or textual.
"""
