"""The harness: the only package that imports lm-eval.

Model arguments, the run itself, failure classification and the reproduce command.
"""
