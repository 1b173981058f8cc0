"""Property tests: every parser, fed mutated real-world inputs, never raises and stays in bounds."""
