"""The core: no I/O. Errors, ids and paths, the data models, state transitions, and the
environment variables, read in one place. Every other stage may import it.
"""
