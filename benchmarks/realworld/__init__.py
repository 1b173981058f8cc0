"""The real-world benchmark: the linter's verdicts against a reviewer's on public plugin repositories."""
