"""Curation: the maintainers' acts (flag, rename, remove, relaunch, choice, do-not-submit) and
CODEOWNERS, each prepared as file changes for a pull request.
"""
