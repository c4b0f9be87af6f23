"""Evals and benchmarks: datasets in evals/data, one runner per engine (python -m evals.<name>)."""
