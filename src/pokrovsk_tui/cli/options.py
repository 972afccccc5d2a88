"""Names the command line accepts."""

POLICY_NAMES = ("hold", "random", "easy", "normal", "hard")
