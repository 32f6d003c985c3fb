"""Development tools: the devhub, the demo, synthetic repositories, tiny models, browsers and
benchmarks. No production stage imports this package; the CLI commands that drive it import
it lazily.
"""
