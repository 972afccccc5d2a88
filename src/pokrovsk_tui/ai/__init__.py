"""Computer opponents. They see the game only through a side's view, like a player.

``commander.COMMANDERS`` holds the computer commander at each level (``easy``, ``normal``,
``hard``), which gives orders with its commander's intent; ``policies.POLICIES`` maps every
policy name (those levels, ``hold`` and ``random``) to a ``(view, rng) -> orders`` callable.
The game asks any of them one way: ``game.loop.decide(policy, view, rng)``.
"""
