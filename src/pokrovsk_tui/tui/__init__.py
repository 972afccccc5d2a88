"""The Textual app: title, new game, the game screen with its hex map, turn flow, saves."""
