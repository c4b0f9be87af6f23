"""Intent eval of the offline coach: `python -m evals.coach [--split dev|heldout|all] [--errors]`.

Dataset: evals/data/conversations.jsonl, one conversation per line:
`{"id", "split", "turns": [{"message", "intent"}...]}`. Each message is labelled with what
the person means, decided by hand from the message and the conversation so far (assuming
the coach asks one question after a goal, a decision or a vision request), before the
classifier existed:

- values / vision: states their values / their vision statement
- draft_vision, goal, decision, prioritize, guidance (a question for the guidance),
  checkin (progress on a goal), reflect: starts that kind of work
- answer: replies to what the coach just asked ("by March", "2", "the second one")
- skip / done: passes on the question / stops the thread
- hostile: tries to override the coach or destroy data
- chat: anything else (greetings, thanks, feelings)

A guidance turn may also carry `"covered": true|false`: whether the guidance library
(knowledge/) has something that answers it, judged by hand from the cards' topics. The
eval then checks that the coach answers the covered ones and says plainly that it has
little or nothing on the others (the turn's Answer record has `found` false).

The `dev` split was used while writing the rules; `heldout` was written at the same time
and kept out of that loop, so its figures are the honest ones. (c31-c39 and h23-h27 came
later, with the goal-request and score rules: c31-c35 were the cases those rules were
written for; h23-h27 were written before those rules were run on them.)

Every conversation runs end to end through `Coach.reply` (real engines, a fresh store
each, offline) and the turn's `intent` is compared with the label. Prints per-intent
precision, recall and support, accuracy per split, the guidance coverage table, and
latency percentiles of `Coach.reply` (the cold start, loading the embedding model and
building the guidance index, is timed apart before the first message).
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
from collections import Counter
from datetime import date
from pathlib import Path

DATA = Path(__file__).parent / "data" / "conversations.jsonl"
TODAY = date(2026, 11, 22)


def load(path: Path = DATA) -> list[dict]:
    with path.open(encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def run(conversations: list[dict], root: Path) -> tuple[list[dict], list[float], float]:
    """Every turn with its predicted intent and latency (s), and the cold start's seconds."""
    from agent.coach import Coach
    from agent.guidance import Library
    from agent.session import Session
    from agent.settings import Settings
    from agent.store import Store

    settings = Settings(home=root / "shared", provider="offline")
    library = Library(settings)  # one index for all; a fresh store per conversation
    # Cold start apart: load the embedding model and build the guidance index first.
    start = time.perf_counter()
    library.ensure_index()
    cold = time.perf_counter() - start
    rows, latencies = [], []
    for n, conv in enumerate(conversations):
        store = Store(root / f"conv{n}" / "align.db")
        coach = Coach(settings, store=store, library=library)
        session = Session()
        for turn in conv["turns"]:
            start = time.perf_counter()
            result = coach.reply(session, turn["message"], today=TODAY)
            elapsed = time.perf_counter() - start
            latencies.append(elapsed)
            answer = next((r for r in result.records if r.kind == "answer"), None)
            rows.append({"id": conv["id"], "split": conv["split"], "message": turn["message"],
                         "label": turn["intent"], "predicted": result.intent,
                         "reply": result.reply, "seconds": elapsed,
                         "covered": turn.get("covered"),
                         "found": None if answer is None else answer.found,
                         "top_score": answer.passages[0].score if answer and answer.passages
                         else None})
    return rows, latencies, cold


def per_intent(rows: list[dict]) -> list[tuple[str, float, float, int, int]]:
    """(intent, precision, recall, support, predicted) for every intent seen."""
    labels = sorted({r["label"] for r in rows} | {r["predicted"] for r in rows})
    out = []
    for intent in labels:
        tp = sum(r["label"] == intent and r["predicted"] == intent for r in rows)
        predicted = sum(r["predicted"] == intent for r in rows)
        support = sum(r["label"] == intent for r in rows)
        precision = tp / predicted if predicted else float("nan")
        recall = tp / support if support else float("nan")
        out.append((intent, precision, recall, support, predicted))
    return out


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))
    return ordered[index]


def coverage(rows: list[dict]) -> dict[tuple[bool, bool], int]:
    """(covered, answered) -> count over guidance turns labelled `covered` and answered by
    the guidance (a turn read as something else has no answer and is left out)."""
    counts: Counter[tuple[bool, bool]] = Counter()
    for r in rows:
        if r["covered"] is not None and r["found"] is not None:
            counts[(r["covered"], r["found"])] += 1
    return dict(counts)


def print_coverage(rows: list[dict]) -> None:
    counts = coverage(rows)
    labelled = sum(1 for r in rows if r["covered"] is not None)
    print(f"\nguidance coverage ({labelled} labelled turns, {sum(counts.values())} read as guidance "
          "questions):")
    for covered, name in ((True, "covered"), (False, "not covered")):
        answered, declined = counts.get((covered, True), 0), counts.get((covered, False), 0)
        right = answered if covered else declined
        total = answered + declined
        print(f"  {name:<12} answered {answered:>3}  said little/nothing {declined:>3}  "
              f"right {right}/{total}")
    for r in rows:
        if r["covered"] is not None and r["found"] is not None:
            top = "none " if r["top_score"] is None else f"{r['top_score']:.3f}"
            print(f"    top passage {top}  covered={r['covered']!s:<5} "
                  f"answered={r['found']!s:<5} {r['message'][:60]!r}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Intent eval of the offline coach.")
    parser.add_argument("--split", choices=("dev", "heldout", "all"), default="all",
                        help="which conversations to score (default: all)")
    parser.add_argument("--errors", action="store_true", help="list every misread message")
    args = parser.parse_args(argv)

    conversations = load()
    with tempfile.TemporaryDirectory() as tmp:
        rows, latencies, cold = run(conversations, Path(tmp))
    scored = rows if args.split == "all" else [r for r in rows if r["split"] == args.split]

    print(f"conversations: {len(conversations)}, messages scored: {len(scored)} "
          f"(split: {args.split}), today: {TODAY}")
    print(f"\n{'intent':<14}{'precision':>10}{'recall':>8}{'support':>9}{'predicted':>11}")
    for intent, p, r, support, predicted in per_intent(scored):
        print(f"{intent:<14}{p:>10.2f}{r:>8.2f}{support:>9}{predicted:>11}")
    for split in ("dev", "heldout"):
        part = [r for r in rows if r["split"] == split]
        if part:
            right = sum(r["label"] == r["predicted"] for r in part)
            print(f"accuracy {split:<8} {right}/{len(part)} = {right / len(part):.3f}")
    macro = [r for _, _, r, s, _ in per_intent(scored) if s]
    print(f"macro recall ({args.split}): {statistics.fmean(macro):.3f}")
    confusion = Counter((r["label"], r["predicted"]) for r in scored if r["label"] != r["predicted"])
    if confusion:
        print("most common confusions (label -> predicted): " + ", ".join(
            f"{a}->{b} x{n}" for (a, b), n in confusion.most_common(5)))

    print_coverage(scored)

    print(f"\nCoach.reply latency over all {len(latencies)} messages (after a cold start of "
          f"{cold:.1f} s: embedding model loaded, guidance index built):")
    for q in (50, 90, 99):
        print(f"  p{q:<4} {percentile(latencies, q) * 1000:8.1f} ms")
    print(f"  max   {max(latencies, default=float('nan')) * 1000:8.1f} ms")
    by_intent: dict[str, list[float]] = {}
    for r in rows:
        by_intent.setdefault(r["predicted"], []).append(r["seconds"])
    print("  median by intent: " + ", ".join(
        f"{k} {statistics.median(v) * 1000:.0f} ms" for k, v in sorted(by_intent.items())))

    if args.errors:
        print("\nmisread messages:")
        for r in scored:
            if r["label"] != r["predicted"]:
                print(f"  [{r['split']} {r['id']}] {r['message'][:70]!r}: "
                      f"label {r['label']}, got {r['predicted']}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
