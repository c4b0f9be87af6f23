"""Check the decision matrix against hand-worked cases.

    python -m evals.decision [--data evals/data/decisions.json]

Each case in the dataset holds a decision (as in DECISION.json), the expected totals,
ranking, recommendation and sensitivity (criterion -> weight change or null), and the
arithmetic that produced them, done by hand from the definitions in `agent.decision`.
Ranking and recommendation must match exactly; totals and weight changes within 0.01.
Prints one row per case and the pass rate; exits 1 if any case fails.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from agent.decision import decision_from_data

DATA = Path(__file__).parent / "data" / "decisions.json"
TOLERANCE = 0.01


def _close(a: float | None, b: float | None) -> bool:
    if a is None or b is None:
        return a is b
    return abs(a - b) <= TOLERANCE + 1e-12


def check(case: dict) -> dict[str, bool]:
    """Named verdicts for one case: totals, ranking, recommendation, sensitivity."""
    decision = decision_from_data(case["decision"])
    expected = case["expected"]
    totals = {r.option: r.total for r in decision.ranking}
    sensitivity = {s.criterion: s.weight_change for s in decision.sensitivity}
    return {
        "totals": set(totals) == set(expected["totals"])
        and all(_close(totals[o], t) for o, t in expected["totals"].items()),
        "ranking": [r.option for r in decision.ranking] == expected["ranking"],
        "recommendation": decision.recommendation == expected["recommendation"],
        "sensitivity": set(sensitivity) == set(expected["sensitivity"])
        and all(_close(sensitivity[c], w) for c, w in expected["sensitivity"].items()),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DATA)
    args = parser.parse_args(argv)
    cases = json.loads(args.data.read_text(encoding="utf-8"))
    names = ("totals", "ranking", "recommendation", "sensitivity")
    print(f"{'case':<6} {'about':<62} " + " ".join(f"{n[:14]:<14}" for n in names))
    passed = {n: 0 for n in names}
    failures = 0
    for case in cases:
        verdicts = check(case)
        failures += not all(verdicts.values())
        for n in names:
            passed[n] += verdicts[n]
        cells = " ".join(f"{'ok' if verdicts[n] else 'FAIL':<14}" for n in names)
        print(f"{case['id']:<6} {case['about'][:62]:<62} {cells}")
    total = len(cases)
    print()
    print(f"{'metric':<16} {'passed':>8}")
    for n in names:
        print(f"{n:<16} {passed[n]:>4}/{total:<3}")
    print(f"{'all four':<16} {total - failures:>4}/{total:<3}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
