"""An open LLM leaderboard that runs entirely on git."""

__version__ = "0.1.0"
