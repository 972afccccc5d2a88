"""The game's rules: every rule lives here once, pure (no Textual, no files, no clock).

Public face, for the app, the AI, reports, saves and the command line (import the modules
by name; nothing is re-exported here):

- ``scenario``, ``params``, ``world``, ``hexgrid``: a scenario's models and checks, its rules
  parameters, the compiled map and unit slots, hex geometry;
- ``state``: the game state (``GameState``, ``initial_state``, ``batched``/``replica``);
- ``orders``: the order model and its validation; ``view``: what one side knows;
- ``engine``: ``resolve_turn`` (one game's turn), ``resolve_batch`` (K replications),
  ``check_orders``; ``montecarlo``: replications and odds previews; ``dice``, ``events``;
- ``supply``: the delivery a side can work out for each hex;
- and the modules that answer a player's questions from the rules (what is legal, the odds,
  why something happened).

Internal to the engine (the import-linter contract in ``pyproject.toml`` keeps the other
layers out): ``work.Work`` (the day being resolved), the phase modules ``phase_*``, their
helpers ``kernels``, and the plain-Python reference adjudicator ``reference*`` (the engine's
cross-check in tests).
"""
