"""Eval of the SMART critic against labelled goals: the main set, then the held-out set.

    python -m evals.smart            # the metrics tables, main set first, then held-out
    python -m evals.smart --errors   # also list every disagreement, letter by letter
    python -m evals.smart --data FILE   # one set only

For each letter: precision, recall and F1 with `met` as the positive class, accuracy over
the four statuses, and the confusion of statuses (rows: label, columns: the critic).

`smart_goals.jsonl` is the main set: the rules were written and tuned while looking at it,
so its figures flatter them. `smart_goals_holdout.jsonl` holds goals labelled before the
rules were tuned on them and kept out of that loop since: its figures are the honest ones.
Do not tune rules on it (its disagreements are listed with --errors only to report them).
"""

from __future__ import annotations

import json
import sys
import time
from datetime import date
from pathlib import Path

from evals.labelled_sets import run_sets

DATA = Path(__file__).parent / "data" / "smart_goals.jsonl"
HOLDOUT = Path(__file__).parent / "data" / "smart_goals_holdout.jsonl"
SETS = (("main set", DATA), ("held-out set", HOLDOUT))
STATUSES = ("met", "partial", "missing", "unknown")


def load(path: Path = DATA) -> list[dict]:
    """The labelled goals, one dict per line."""
    return [
        json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()
    ]


def prf(pairs: list[tuple[str, str]], positive: str = "met") -> tuple[float, float, float]:
    """Precision, recall and F1 of `positive` over (label, predicted) pairs."""
    tp = sum(1 for gold, got in pairs if gold == positive and got == positive)
    fp = sum(1 for gold, got in pairs if gold != positive and got == positive)
    fn = sum(1 for gold, got in pairs if gold == positive and got != positive)
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def run(
    rows: list[dict],
) -> tuple[dict[str, list[tuple[str, str]]], list[tuple[dict, object]], float]:
    """Critique every goal; return per-letter (label, predicted) pairs, results and seconds."""
    from agent.smart import LETTERS, critique

    pairs: dict[str, list[tuple[str, str]]] = {name: [] for name in LETTERS}
    results = []
    started = time.perf_counter()
    for row in rows:
        result = critique(
            row["goal"],
            today=date.fromisoformat(row["today"]),
            vision=row.get("vision"),
            values=row.get("values") or [],
        )
        results.append((row, result))
        for name in LETTERS:
            pairs[name].append((row["labels"][name], getattr(result.criteria, name).status))
    return pairs, results, time.perf_counter() - started


def main(argv: list[str] | None = None) -> int:
    return run_sets(__doc__.splitlines()[0], SETS, report, "goals", argv)


def report(label: str, path: Path, *, errors: bool = False) -> None:
    """Print the tables for one labelled set."""
    rows = load(path)
    pairs, results, seconds = run(rows)

    print(f"SMART critic, {label}: {len(rows)} labelled goals ({path.name}), {seconds:.1f} s\n")
    print(f"{'letter':<11} {'precision':>9} {'recall':>7} {'F1':>6} {'accuracy':>9}")
    for name, letter_pairs in pairs.items():
        p, r, f = prf(letter_pairs)
        accuracy = sum(1 for gold, got in letter_pairs if gold == got) / len(letter_pairs)
        print(f"{name:<11} {p:9.3f} {r:7.3f} {f:6.3f} {accuracy:9.3f}")

    print("\nConfusion (rows: label, columns: critic)")
    for name, letter_pairs in pairs.items():
        print(f"\n{name}")
        print(f"{'':<9}" + "".join(f"{s:>9}" for s in STATUSES))
        for gold in STATUSES:
            counts = [sum(1 for g, p in letter_pairs if g == gold and p == got) for got in STATUSES]
            if sum(counts):
                print(f"{gold:<9}" + "".join(f"{c:>9}" for c in counts))

    if errors:
        print("\nDisagreements")
        for row, result in results:
            for name in pairs:
                got = getattr(result.criteria, name)
                if got.status != row["labels"][name]:
                    print(
                        f"{row['id']} {name}: label {row['labels'][name]}, critic {got.status}"
                        f" {got.evidence} | {row['goal']}"
                    )


if __name__ == "__main__":
    sys.exit(main())
