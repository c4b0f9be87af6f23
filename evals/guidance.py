"""Retrieval eval of the guidance library: `python -m evals.guidance [--knowledge DIR]`.

Dataset: evals/data/guidance_questions.jsonl, one question per line with `sections`, the
article headings that answer it (`[]` when the library cannot). A question is a hit@k
when any of the top k passages has one of those sections.

Prints, for vector-only, BM25-only and the shipped blend: hit@1, hit@3 and MRR over the
answerable questions (ranking alone, no floor), hit@3 once the relevance floor is applied,
and the floor's two error rates: the share of unanswerable questions refused, and of
answerable ones wrongly refused. Then the same two rates over a range of floors, and the
ranking over a range of keyword weights, so the shipped values can be checked, not trusted.
"""

from __future__ import annotations

import argparse
import json
import tempfile
from dataclasses import dataclass
from pathlib import Path

DATA = Path(__file__).parent / "data" / "guidance_questions.jsonl"


@dataclass
class Ranked:
    question: str
    sections: list[str]
    ranked_sections: list[str]
    top_similarity: float

    @property
    def rank(self) -> int | None:
        """1-based rank of the first passage from a right section, or None."""
        return next(
            (i for i, s in enumerate(self.ranked_sections, 1) if s in self.sections), None
        )


def load(path: Path = DATA) -> list[dict]:
    with path.open(encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def rank_all(library, questions: list[dict], keyword_weight: float) -> list[Ranked]:
    """Every question ranked against every card with the given keyword weight, no floor."""
    library.keyword_weight = keyword_weight
    library.floor = -1.0
    out = []
    for q in questions:
        scored = library.scored(q["question"], k=1000, include_documents=False)
        out.append(
            Ranked(
                question=q["question"],
                sections=q["sections"],
                ranked_sections=[p.section for p, _ in scored],
                top_similarity=max((s for _, s in scored), default=0.0),
            )
        )
    return out


def metrics(results: list[Ranked], floor: float) -> dict[str, float]:
    """hit@1, hit@3, MRR (no floor), hit@3 with the floor, and the floor's error rates."""
    answerable = [r for r in results if r.sections]
    unanswerable = [r for r in results if not r.sections]
    ranks = [r.rank for r in answerable]

    def share(items: list, test) -> float:
        return sum(1 for x in items if test(x)) / len(items) if items else float("nan")

    return {
        "hit@1": share(ranks, lambda r: r is not None and r <= 1),
        "hit@3": share(ranks, lambda r: r is not None and r <= 3),
        "mrr": sum(1 / r for r in ranks if r) / len(ranks) if ranks else float("nan"),
        "hit@3 floored": share(
            answerable, lambda r: r.top_similarity >= floor and r.rank is not None and r.rank <= 3
        ),
        "unanswerable refused": share(unanswerable, lambda r: r.top_similarity < floor),
        "answerable refused": share(answerable, lambda r: r.top_similarity < floor),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Retrieval eval of the guidance library.")
    parser.add_argument("--knowledge", type=Path, default=None, help="card directory")
    parser.add_argument("--data", type=Path, default=DATA, help="questions (JSON lines)")
    args = parser.parse_args(argv)

    from agent import guidance
    from agent.settings import Settings

    questions = load(args.data)
    answerable = sum(1 for q in questions if q["sections"])
    with tempfile.TemporaryDirectory() as home:
        library = guidance.Library(Settings(home=Path(home)), args.knowledge)
        library.ensure_index()
        cards = len(library.cards())
        methods = {
            "vector only": 0.0,
            "BM25 only": 1.0,
            f"blend (keyword {guidance.KEYWORD_WEIGHT:.2f}, shipped)": guidance.KEYWORD_WEIGHT,
        }
        runs = {name: rank_all(library, questions, w) for name, w in methods.items()}
        sweep = {w: rank_all(library, questions, w) for w in (0.1, 0.2, 0.3, 0.4, 0.5, 0.7)}

    floor = guidance.RELEVANCE_FLOOR
    print(
        f"guidance retrieval: {len(questions)} questions ({answerable} answerable), {cards} cards,"
        f" relevance floor {floor:.2f}\n"
    )
    columns = ["hit@1", "hit@3", "mrr", "hit@3 floored", "unanswerable refused", "answerable refused"]
    width = max(len(n) for n in methods) + 2
    print(f"{'method':<{width}}" + "".join(f"{c:>22}" for c in columns))
    for name, results in runs.items():
        m = metrics(results, floor)
        print(f"{name:<{width}}" + "".join(f"{m[c]:>22.3f}" for c in columns))

    blended = runs[next(n for n in methods if "shipped" in n)]
    print("\nrelevance floor trade-off (on the top passage's vector similarity)")
    print(f"{'floor':>6}{'unanswerable refused':>22}{'answerable refused':>20}{'hit@3 floored':>15}")
    for f in (0.10, 0.15, 0.18, 0.20, 0.22, 0.25, 0.28, 0.30, 0.35):
        m = metrics(blended, f)
        mark = "  <- shipped" if abs(f - floor) < 1e-9 else ""
        print(
            f"{f:>6.2f}{m['unanswerable refused']:>22.3f}{m['answerable refused']:>20.3f}"
            f"{m['hit@3 floored']:>15.3f}{mark}"
        )
    answer_sims = sorted(r.top_similarity for r in blended if r.sections)
    other_sims = sorted(r.top_similarity for r in blended if not r.sections)
    print(
        f"top similarity: answerable min {answer_sims[0]:.3f}, unanswerable max"
        f" {other_sims[-1]:.3f}" if answer_sims and other_sims else ""
    )

    print("\nkeyword weight sweep (ranking only)")
    print(f"{'weight':>6}{'hit@1':>8}{'hit@3':>8}{'mrr':>8}")
    for w, results in sweep.items():
        m = metrics(results, floor)
        print(f"{w:>6.2f}{m['hit@1']:>8.3f}{m['hit@3']:>8.3f}{m['mrr']:>8.3f}")

    misses = [r for r in blended if r.sections and (r.rank is None or r.rank > 3)]
    if misses:
        print("\nanswerable questions missed at 3 by the blend:")
        for r in misses:
            print(f"  rank {r.rank}: {r.question[:70]!r} wants {r.sections}; got {r.ranked_sections[:3]}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
