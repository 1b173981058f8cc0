"""The GitHub channels: annotations, check run, PR review, step summary, sticky comment, step outputs.

Importing this package is cheap; the modules that speak to GitHub load only when a channel runs.
"""
