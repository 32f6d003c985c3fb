"""The benchmark areas: each module here is one, found by ``leaderboard_bench.suite.discover``."""
