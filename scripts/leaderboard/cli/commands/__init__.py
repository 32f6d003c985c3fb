"""One module per CLI command. Each defines ``register(subparsers)``; ``cli`` finds them all.

Command modules only parse arguments and print: the work is done by library functions, and
heavy imports (torch, lm-eval) happen inside the command's function, never at registration.
"""
