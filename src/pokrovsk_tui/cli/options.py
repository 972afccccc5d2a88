"""Names and help texts the command line shares."""

import os

POLICY_NAMES = ("hold", "random", "easy", "normal", "hard")

JOBS_HELP = ("play the games in N processes (the results do not depend on N). Each game is "
             "independent, so N idle cores play about N times as many games an hour; more "
             "processes than idle cores only share them, and a busy machine gains little "
             f"(this machine has {os.cpu_count() or 1} cores). For more machines, see --scheduler")
