"""The application without Textual: what a game is between the rules and the screens.

- ``session``: a game in progress (``GameSession``): the orders being written, with undo,
  redo and a validated replace, and the flow of a day (``finish_orders`` says who comes next);
- ``loop``: one resolved day (``TurnRecord``), asking a policy for a side's orders
  (``decide``) and playing a day (``play_day``): the one loop of the app, ``simulate``,
  ``resume`` and the replay's take-command;
- ``sim``: headless games and their results; ``tournament``: many games with statistics;
  ``whatif``/``variants``: scenario variants compared; ``sweep``: games on Dask;
  ``fromturn``: a saved game played on from a turn;
- ``persist``: the session to and from saves, autosaves, the running mark, branches.

Nothing here imports Textual or rich; modules load only when used (the title screen opens
without the engine).
"""
