"""What holding up costs: `python -m evals.bench_reliability [--writers N] [--saves M]`.

Measures, on this machine:
- concurrent saves: N processes saving M records each into one fresh database at once
  (wall time, saves per second, and how many landed: the target is all of them);
- one save alone, for comparison (median over M);
- repair of a damaged index on the next start, in a new process: the card index built
  again and the person's documents indexed again, against a first use of a fresh home;
- the check every start makes that the index can give back what it holds (reopening a
  healthy index), which is what the repair costs when nothing is wrong.
The tests prove these outcomes; this prints how long they take.
"""

from __future__ import annotations

import argparse
import multiprocessing
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

TODAY = date(2026, 11, 22)

OPEN = """
import sys, time
t = time.perf_counter()
from pathlib import Path
from agent.guidance import Library
from agent.settings import Settings
library = Library(Settings(home=Path(sys.argv[1])))
library.ensure_index()
hits = library.search("When does my working day end?")
print(time.perf_counter() - t, len(library.notices))
"""


def _saver(path: str, worker: int, count: int, barrier) -> None:
    from agent.records import Reflection
    from agent.store import Store

    barrier.wait()
    store = Store(Path(path))
    for i in range(count):
        store.save(Reflection(id=f"w{worker}-{i:04d}", on=TODAY, text=f"worker {worker} note {i}"))


def concurrent_saves(writers: int, saves: int) -> tuple[float, int]:
    """Seconds for `writers` processes to save `saves` records each, and how many landed."""
    from agent.store import Store

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "align.db"
        ctx = multiprocessing.get_context("fork")
        barrier = ctx.Barrier(writers + 1)
        procs = [ctx.Process(target=_saver, args=(str(path), w, saves, barrier)) for w in range(writers)]
        for p in procs:
            p.start()
        barrier.wait()
        started = time.perf_counter()
        for p in procs:
            p.join()
        elapsed = time.perf_counter() - started
        return elapsed, len(Store(path).list("reflection"))


def single_save(saves: int) -> float:
    """Median seconds per save, one process alone."""
    from agent.records import Reflection
    from agent.store import Store

    with tempfile.TemporaryDirectory() as tmp:
        store = Store(Path(tmp) / "align.db")
        times = []
        for i in range(saves):
            started = time.perf_counter()
            store.save(Reflection(on=TODAY, text=f"note {i}"))
            times.append(time.perf_counter() - started)
        return statistics.median(times)


def open_in_new_process(home: Path) -> tuple[float, int]:
    done = subprocess.run([sys.executable, "-c", OPEN, str(home)], capture_output=True, text=True,
                          check=True)
    seconds, notices = done.stdout.split()
    return float(seconds), int(notices)


def index_timings(documents: int) -> dict[str, tuple[float, int]]:
    """First use, a healthy reopen, and a repair, each in a new process."""
    from agent.guidance import Library
    from agent.settings import Settings

    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        docs = root / "docs"
        docs.mkdir()
        for i in range(documents):
            (docs / f"note-{i:02d}.md").write_text(
                f"# Note {i}\n\nThe offsite in Porto needs a venue by March; item {i}.\n"
                "Keep one-to-ones weekly and never cancel them for status meetings.\n", encoding="utf-8")
        home = root / "home"
        first = open_in_new_process(home)
        Library(Settings(home=home)).index_paths([docs])
        healthy = open_in_new_process(home)
        (home / "index" / "chroma.sqlite3").write_bytes(b"not a database " * 4000)
        repaired = open_in_new_process(home)
        again = open_in_new_process(home)
        return {"first use, fresh home (cards only)": first,
                "reopen a healthy index (with the read-back check)": healthy,
                f"repair a garbled index ({documents} documents indexed again)": repaired,
                "the start after the repair": again}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--writers", type=int, default=4)
    parser.add_argument("--saves", type=int, default=100)
    parser.add_argument("--documents", type=int, default=20)
    args = parser.parse_args()

    elapsed, landed = concurrent_saves(args.writers, args.saves)
    total = args.writers * args.saves
    alone = single_save(args.saves)
    print("Reliability benchmark (align)")
    print(f"{'measure':62} {'result':>14}")
    print(f"{f'{args.writers} processes x {args.saves} saves at once: wall time':62} {elapsed:>12.2f} s")
    print(f"{'  saves per second, all processes':62} {total / elapsed:>12.0f} /s")
    print(f"{'  records that landed (target: all)':62} {f'{landed}/{total}':>14}")
    print(f"{'one save alone (median)':62} {alone * 1000:>11.2f} ms")
    for name, (seconds, notices) in index_timings(args.documents).items():
        note = f"  ({notices} notice)" if notices else ""
        print(f"{name + ', new process':62} {seconds:>12.2f} s{note}")
    return 0 if landed == total else 1


if __name__ == "__main__":
    sys.exit(main())
