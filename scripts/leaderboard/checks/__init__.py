"""Checks: the rules a pull request must pass, the report they make, and ``submit``.

Everything here reads the repository as data (``store``) and the Hub through ``hub``; nothing
here evaluates or writes to ``main``.
"""
