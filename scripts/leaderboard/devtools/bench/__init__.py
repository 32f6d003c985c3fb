"""Benchmarks, one module per area, each with ``run(quick: bool = False) -> list[BenchFigure]``.

``leaderboard bench`` runs them side by side and prints one table (``--json`` for machines).
"""
