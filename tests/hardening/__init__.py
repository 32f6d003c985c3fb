"""Hardening: workflow checks, hostile inputs, the parser property test, the bench command."""
