"""pokrovsk-tui: a turn-based hex-map wargame of the Pokrovsk sector."""

__version__ = "0.1.0"
