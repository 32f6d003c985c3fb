"""The ``leaderboard`` command: argument parsing only; ``main`` is in :mod:`.main`."""
