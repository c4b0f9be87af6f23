"""Speed of the guidance library: `python -m evals.bench_guidance [--repeat N]`.

Measures, on this machine, with the shipped cards:
- first use on a fresh data directory, in a new process: imports, model load, index
  build and the first search (what a person waits for the first time);
- the index build alone (target under 10 s), and reopening a built index;
- the cost of a search per question over the eval's questions, against the floor: the time
  to embed the question alone (targets: under 25 ms, and no more than 3x the floor);
- `ask` per question (search plus the composed answer);
- the vector query through chromadb directly and through `langchain_chroma.Chroma`.
Prints a table: per-question figures are medians over every question and round; one-off
timings are the best of --repeat runs.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

QUESTIONS = Path(__file__).parent / "data" / "guidance_questions.jsonl"

FIRST_USE = """
import sys, time
t = time.perf_counter()
from pathlib import Path
from agent.guidance import Library
from agent.settings import Settings
hits = Library(Settings(home=Path(sys.argv[1]))).search("How do I protect my weekends?")
import resource
print(time.perf_counter() - t, len(hits), resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""

PEAK_MB_TARGET = 700
"""Peak resident memory of a process that builds the index and searches it (MB)."""


def per_item(fn, items, rounds: int = 3) -> float:
    """Median seconds per call over every item and round (robust to a busy machine)."""
    times = []
    for _ in range(rounds):
        for item in items:
            start = time.perf_counter()
            fn(item)
            times.append(time.perf_counter() - start)
    return statistics.median(times)


def paired(first, second, items, rounds: int = 3) -> tuple[float, float]:
    """Median seconds per call of two functions timed back to back on each item, so a
    spell of load on the machine falls on both alike."""
    a, b = [], []
    for _ in range(rounds):
        for item in items:
            start = time.perf_counter()
            first(item)
            middle = time.perf_counter()
            second(item)
            a.append(middle - start)
            b.append(time.perf_counter() - middle)
    return statistics.median(a), statistics.median(b)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=3, help="runs of the one-off timings")
    args = parser.parse_args(argv)

    import json

    questions = [json.loads(line)["question"] for line in QUESTIONS.open(encoding="utf-8")]
    rows: list[tuple[str, float, str]] = []

    first_use = []
    peak_kb = 0
    for _ in range(args.repeat):
        with tempfile.TemporaryDirectory() as home:
            out = subprocess.run(
                [sys.executable, "-c", FIRST_USE, home], capture_output=True, text=True, check=True
            ).stdout.split()
            first_use.append(float(out[0]))
            peak_kb = max(peak_kb, int(out[2]))  # Linux reports ru_maxrss in KiB
    rows.append(("first use, fresh home (new process: import, load, build, search)",
                 min(first_use), "s"))
    rows.append((f"peak memory of that process (target < {PEAK_MB_TARGET} MB)", peak_kb / 1024, "MB"))

    from agent.embeddings import get_model
    from agent.guidance import Library, chroma_embedding_function_class, open_client
    from agent.settings import Settings

    t = time.perf_counter()
    model = get_model()
    model.embed(["warm up"])
    rows.append(("embedding model load", time.perf_counter() - t, "s"))

    builds, reopen = [], []
    with tempfile.TemporaryDirectory() as keep:
        for _ in range(args.repeat):
            with tempfile.TemporaryDirectory() as home:
                library = Library(Settings(home=Path(home)))
                t = time.perf_counter()
                library.ensure_index()
                builds.append(time.perf_counter() - t)
        library = Library(Settings(home=Path(keep)))
        library.ensure_index()
        passages = library._collection("align-cards").count()
        for _ in range(args.repeat):
            t = time.perf_counter()
            again = Library(Settings(home=Path(keep)))
            again.ensure_index()
            again.search("warm")
            reopen.append(time.perf_counter() - t)
        rows.append((f"index build, {len(library.cards())} cards / {passages} passages (target < 10 s)",
                     min(builds), "s"))
        rows.append(("reopen a built index + first search (same process)", min(reopen), "s"))

        library.search("warm up the corpus")
        embed, search = paired(lambda q: model.embed([q]), lambda q: library.search(q, 5), questions)
        ask = per_item(lambda q: library.ask(q, 3), questions, rounds=1)
        ask_warm = per_item(lambda q: library.ask(q, 3), questions)
        rows.append(("embed the question alone (the floor)", embed * 1000, "ms"))
        rows.append((f"search per question, {len(questions)} questions (target < 25 ms)",
                     search * 1000, "ms"))
        rows.append(("search / embedding alone (target <= 3x)", search / embed, "x"))
        rows.append(("ask per question, first time (sentences embedded)", ask * 1000, "ms"))
        rows.append(("ask per question, sentences cached", ask_warm * 1000, "ms"))

        # The vector query alone, straight through chromadb and through LangChain's wrapper.
        from langchain_chroma import Chroma

        from agent.guidance import CARDS_COLLECTION, langchain_embeddings

        chroma_embedding_function_class()
        client = open_client(Path(keep) / "index")
        collection = client.get_collection(CARDS_COLLECTION)
        store = Chroma(client=client, collection_name=CARDS_COLLECTION,
                       embedding_function=langchain_embeddings())
        vectors = [v.tolist() for v in model.embed(questions)]
        direct = per_item(
            lambda v: collection.query(query_embeddings=[v], n_results=passages,
                                       include=["distances"]), vectors)
        wrapped = per_item(
            lambda v: store.similarity_search_by_vector_with_relevance_scores(v, k=passages),
            vectors)
        rows.append(("vector query, chromadb directly", direct * 1000, "ms"))
        rows.append(("vector query, langchain_chroma.Chroma", wrapped * 1000, "ms"))

    width = max(len(r[0]) for r in rows) + 2
    print(f"{'measure':<{width}}{'value':>10}")
    for name, value, unit in rows:
        print(f"{name:<{width}}{value:>9.2f} {unit}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
