"""Eval of the Eisenhower triage against labelled tasks: the main set, then the held-out set.

    python -m evals.priorities            # the metrics tables, main set first, then held-out
    python -m evals.priorities --errors   # also list every disagreement
    python -m evals.priorities --data FILE   # one set only

Per quadrant: precision, recall and F1; overall accuracy (an undecided task counts as
wrong); and how many tasks were left undecided for the person.

`priorities.jsonl` is the main set, seen while the rules were written; the held-out set
`priorities_holdout.jsonl` was labelled apart and is not used to tune the rules, so its
figures are the honest ones.
"""

from __future__ import annotations

import json
import sys
import time
from datetime import date
from pathlib import Path

from evals.labelled_sets import run_sets
from evals.smart import prf

DATA = Path(__file__).parent / "data" / "priorities.jsonl"
HOLDOUT = Path(__file__).parent / "data" / "priorities_holdout.jsonl"
SETS = (("main set", DATA), ("held-out set", HOLDOUT))
QUADRANTS = ("do", "schedule", "delegate", "drop")


def load(path: Path = DATA) -> list[dict]:
    """The labelled tasks, one dict per line."""
    return [
        json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()
    ]


def main(argv: list[str] | None = None) -> int:
    return run_sets(__doc__.splitlines()[0], SETS, report, "tasks", argv)


def report(label: str, path: Path, *, errors: bool = False) -> None:
    """Print the tables for one labelled set."""
    from agent.priorities import prioritize

    rows = load(path)
    started = time.perf_counter()
    results = []
    for row in rows:
        placed = prioritize(
            [row["task"]],
            today=date.fromisoformat(row["today"]),
            values=row.get("values") or [],
            vision=row.get("vision"),
        ).tasks[0]
        results.append((row, placed))
    seconds = time.perf_counter() - started
    pairs = [(row["quadrant"], placed.quadrant) for row, placed in results]

    print(
        f"Eisenhower triage, {label}: {len(rows)} labelled tasks ({path.name}), {seconds:.1f} s\n"
    )
    print(f"{'quadrant':<10} {'precision':>9} {'recall':>7} {'F1':>6} {'labelled':>9}")
    for quadrant in QUADRANTS:
        p, r, f = prf(pairs, positive=quadrant)
        n = sum(1 for gold, _ in pairs if gold == quadrant)
        print(f"{quadrant:<10} {p:9.3f} {r:7.3f} {f:6.3f} {n:9d}")
    accuracy = sum(1 for gold, got in pairs if gold == got) / len(pairs)
    undecided = sum(1 for _, got in pairs if got == "undecided")
    decided = [(g, p) for g, p in pairs if p != "undecided"]
    decided_accuracy = sum(1 for g, p in decided if g == p) / len(decided) if decided else 0.0
    importance = sum(1 for row, t in results if t.important == row["important"]) / len(rows)
    urgency = sum(1 for row, t in results if t.urgent == row["urgent"]) / len(rows)
    print(
        f"\naccuracy {accuracy:.3f} (undecided counted wrong); on the {len(decided)} decided: {decided_accuracy:.3f}"
    )
    print(f"undecided {undecided} of {len(rows)}")
    print(f"important right {importance:.3f}, urgent right {urgency:.3f}")

    if errors:
        print("\nDisagreements")
        for row, placed in results:
            if placed.quadrant != row["quadrant"]:
                print(
                    f"{row['id']} label {row['quadrant']}, got {placed.quadrant} | {row['task']} | {placed.reason}"
                )


if __name__ == "__main__":
    sys.exit(main())
