"""Run every eval and benchmark in turn: `python -m evals` (or `python -m evals smart guidance`).

Each runner prints its own table; this prints a heading before each and a summary of
which runners returned a non-zero status (a target missed or a case failing).
"""

from __future__ import annotations

import runpy
import sys
import time

EVALS = ("smart", "priorities", "vision", "decision", "guidance", "coach")
BENCHMARKS = ("bench_smart", "bench_guidance", "bench_llm", "bench_reliability")


def main(argv: list[str] | None = None) -> int:
    names = list(argv if argv is not None else sys.argv[1:]) or [*EVALS, *BENCHMARKS]
    failed = []
    for name in names:
        print(f"\n=== evals.{name} " + "=" * max(0, 60 - len(name)), flush=True)
        started = time.perf_counter()
        saved_argv, sys.argv = sys.argv, [f"evals.{name}"]
        try:
            runpy.run_module(f"evals.{name}", run_name="__main__")
            status = 0
        except SystemExit as stop:
            status = stop.code
        finally:
            sys.argv = saved_argv
        print(f"(evals.{name}: {time.perf_counter() - started:.1f} s, status {status or 0})", flush=True)
        if status:
            failed.append(name)
    print("\nall runners finished" + (f"; non-zero status: {', '.join(failed)}" if failed else ""))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
