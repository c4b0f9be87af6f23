"""Speed of the SMART critic and of the `align` command around it.

    python -m evals.bench_smart [--runs 5]

Measures the critique cost per goal in a batch (rules only, and with values, where the
embedding model is already loaded), the cost of folding one answer into a goal
(`merge_answer`), `align --help` wall time as a subprocess (median of several runs), and
cold `align critique` runs without and with `--value` (which loads the embedding model).
Prints a table with each target.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

DATA = Path(__file__).parent / "data" / "smart_goals.jsonl"
GOAL = "Cut onboarding time from 6 weeks to 3 weeks by the end of Q1 2027 using a buddy program"


def _command() -> list[str]:
    align = shutil.which("align")
    return [align] if align else [sys.executable, "-m", "agent.cli"]


def _wall(argv: list[str], env: dict[str, str]) -> float:
    started = time.perf_counter()
    subprocess.run(argv, env=env, check=True, capture_output=True)
    return time.perf_counter() - started


PEAK = (
    "import resource, subprocess, sys\n"
    "subprocess.run(sys.argv[1:], check=True, capture_output=True)\n"
    "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n"
)


def _peak_mb(argv: list[str], env: dict[str, str]) -> float:
    """Peak resident memory of one run of a command, in MB (Linux reports KiB)."""
    out = subprocess.run([sys.executable, "-c", PEAK, *argv], env=env, check=True,
                         capture_output=True, text=True).stdout
    return int(out.split()[-1]) / 1024


def batch_cost(goals: list[str], repeats: int, values: list[str]) -> float:
    """Milliseconds per goal, critiquing the whole list `repeats` times."""
    from agent.smart import critique

    today = date(2026, 11, 22)
    critique(goals[0], today=today, values=values)  # warm up (and load the model if needed)
    started = time.perf_counter()
    for _ in range(repeats):
        for goal in goals:
            critique(goal, today=today, values=values)
    return 1000 * (time.perf_counter() - started) / (repeats * len(goals))


# Answers as a coaching conversation gets them: (goal, answer, letter asked).
ANSWERS = [
    ("get fitter", "I would like to run a half marathon", "specific"),
    ("read more", "2 books a month", "measurable"),
    ("hire two engineers", "probably by end of Q1", "time_bound"),
    ("launch the pilot by June", "my manager will back me, 7/10", "achievable"),
    ("hold regular team retros", "every other Monday", "measurable"),
    ("run 3 times a week", "it keeps me healthy for my kids", "relevant"),
]


def merge_cost(repeats: int) -> float:
    """Milliseconds per answer folded into its goal."""
    from agent.smart import merge_answer

    today = date(2026, 11, 22)
    started = time.perf_counter()
    for _ in range(repeats):
        for goal, answer, letter in ANSWERS:
            merge_answer(goal, answer, today=today, letter=letter)
    return 1000 * (time.perf_counter() - started) / (repeats * len(ANSWERS))


def main(argv: list[str] | None = None) -> int:
    from evals.smart import load

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="subprocess runs per timing (median)")
    args = parser.parse_args(argv)

    goals = [row["goal"] for row in load(DATA)]
    rules_ms = batch_cost(goals, repeats=3, values=[])
    merge_ms = merge_cost(repeats=20)
    values_ms = batch_cost(goals, repeats=1, values=["family", "health"])

    command = _command()
    with tempfile.TemporaryDirectory() as home:
        env = {**os.environ, "ALIGN_HOME": home, "ORT_DISABLE_TELEMETRY": "1"}
        help_s = statistics.median(_wall([*command, "--help"], env) for _ in range(args.runs))
        cold_s = statistics.median(
            _wall([*command, "critique", GOAL, "--json"], env) for _ in range(args.runs)
        )
        value_s = statistics.median(
            _wall([*command, "critique", GOAL, "--value", "growth", "--json"], env)
            for _ in range(args.runs)
        )
        cold_mb = _peak_mb([*command, "critique", GOAL, "--json"], env)
        value_mb = _peak_mb([*command, "critique", GOAL, "--value", "growth", "--json"], env)

    rows = [
        (
            f"critique per goal, batch of {len(goals)} (rules only)",
            f"{rules_ms:.2f} ms",
            "< 5 ms",
            rules_ms < 5,
        ),
        ("critique per goal, batch, with values (model warm)", f"{values_ms:.2f} ms", "-", None),
        ("merge_answer per answer", f"{merge_ms:.2f} ms", "< 5 ms", merge_ms < 5),
        ("align --help (subprocess)", f"{help_s:.2f} s", "< 0.5 s", help_s < 0.5),
        ('align critique "..." cold', f"{cold_s:.2f} s", "< 1.5 s", cold_s < 1.5),
        ('align critique "..." --value cold (model load)', f"{value_s:.2f} s", "-", None),
        ('align critique "..." peak memory', f"{cold_mb:.0f} MB", "< 150 MB", cold_mb < 150),
        ('align critique "..." --value peak memory', f"{value_mb:.0f} MB", "< 400 MB",
         value_mb < 400),
    ]
    print(
        f"SMART critic benchmark ({' '.join(os.path.basename(c) for c in command)}, median of "
        f"{args.runs} runs per command)\n"
    )
    width = max(len(r[0]) for r in rows)
    print(f"{'measure':<{width}}  {'result':>9}  {'target':>7}  ok")
    for name, result, target, ok in rows:
        mark = "" if ok is None else ("yes" if ok else "NO")
        print(f"{name:<{width}}  {result:>9}  {target:>7}  {mark}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
