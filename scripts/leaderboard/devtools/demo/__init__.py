"""``leaderboard demo``: the whole loop, offline, in one folder."""
