"""Benchmarks: ``make bench`` (or ``.venv/bin/python -m bench [name…]``); see docs/benchmarks.md."""
