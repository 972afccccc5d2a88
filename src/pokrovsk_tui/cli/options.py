"""Names the command line accepts."""

POLICY_NAMES = ("hold", "random", "easy", "normal", "hard")

JOBS_HELP = ("play the games in N processes (the results do not depend on N). Each game is "
             "independent, so N idle cores play about N times as many games an hour; more "
             "processes than idle cores only share them, and a busy machine gains little "
             "(this machine has %d cores). For more machines, see --scheduler")
