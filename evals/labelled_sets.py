"""The command line shared by the runners that score labelled sets (main, then held-out)."""

from __future__ import annotations

import argparse
from collections.abc import Callable, Sequence
from pathlib import Path


def run_sets(
    description: str,
    sets: Sequence[tuple[str, Path]],
    report: Callable[..., None],
    what: str,
    argv: list[str] | None = None,
) -> int:
    """Parse `--errors`/`--data` and print `report(label, path, errors=...)` for each set."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--errors", action="store_true", help="list every disagreement")
    parser.add_argument(
        "--data", type=Path, default=None, help=f"one file of labelled {what} (JSONL) instead"
    )
    args = parser.parse_args(argv)
    chosen = [("given set", args.data)] if args.data else list(sets)
    for i, (label, path) in enumerate(chosen):
        if i:
            print("\n" + "=" * 60 + "\n")
        report(label, path, errors=args.errors)
    return 0
