"""Files on disk: scenarios, saved games, replays; every write atomic, every file read as
untrusted input (a defect becomes a message naming the file and the place, never a traceback).

Public face (import the modules by name; nothing is re-exported here):

- ``scenarios``: the bundled scenarios, reading and validating a scenario file;
- ``saves``: build, write, load (validated and migrated) and autosave a game (its parts:
  ``save_build``, ``save_text`` and ``save_load``, whose names ``saves`` re-exports);
  ``savefmt``: the save format's models; ``migrations``: older formats brought up to date;
- ``replay``: replay, verify and branch a saved game; ``annotations``: an instructor's notes;
- ``paths``: where saves live (light enough for start-up).

Helpers of the above: ``atomic`` (atomic writes), ``snapshot`` (a state to TOML data and
back), ``tomlw`` (the one TOML writer: a save's layout, and everything else written in TOML).
"""
