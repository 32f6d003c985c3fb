"""Suites: loading their definitions and scoring results against them."""
