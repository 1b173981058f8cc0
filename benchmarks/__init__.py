"""Benchmarks that measure the linter against ground truth (not shipped with the package)."""
