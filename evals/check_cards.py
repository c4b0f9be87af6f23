#!/usr/bin/env python3
"""Check the knowledge cards against the seed articles they paraphrase.

For every card in knowledge/*.md this reports the body word count, the longest run of
consecutive words it shares with any seed article, and every shared run of N (default 9)
or more words. It exits 1 if any card shares such a run (or a card cannot be parsed).

Words are the lowercased text split with the regex [a-z0-9']+. The seeds use curly
apostrophes (you’re) while cards usually use straight ones (you're); to close that gap
every text is tokenised twice, once as is and once with curly apostrophes turned straight,
and a run counts as shared if it matches under either tokenisation.

With --write-hashes it also writes tests/data/seed_ngrams.txt: the sorted set of the first
16 hex characters of sha1(" ".join(run)) for every N-word run of the seeds (under both
tokenisations), one per line. tests/test_knowledge.py checks the cards against that file,
so the seed text itself never has to be in the repository.

Usage (from anywhere):
    python evals/check_cards.py [--seeds DIR] [--knowledge DIR] [--n 9] [--write-hashes [FILE]]

Needs only the standard library and PyYAML.
"""

from __future__ import annotations

import argparse
import hashlib
import re
import sys
from pathlib import Path

import yaml

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SEEDS = REPO_ROOT / ".." / "shared" / "seeds"
DEFAULT_KNOWLEDGE = REPO_ROOT / "knowledge"
DEFAULT_HASHES = REPO_ROOT / "tests" / "data" / "seed_ngrams.txt"
N = 9
MIN_WORDS, MAX_WORDS = 80, 250

WORD_RE = re.compile(r"[a-z0-9']+")
CURLY = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'"})


def tokenisations(text: str) -> list[list[str]]:
    """The word lists of a text: as is, and with curly apostrophes made straight."""
    low = text.lower()
    raw = WORD_RE.findall(low)
    straight = WORD_RE.findall(low.translate(CURLY))
    return [raw] if raw == straight else [raw, straight]


def word_count(text: str) -> int:
    return len(WORD_RE.findall(text.lower().translate(CURLY)))


def ngrams(words: list[str], n: int) -> list[tuple[str, ...]]:
    return [tuple(words[i : i + n]) for i in range(len(words) - n + 1)]


def ngram_hash(gram: tuple[str, ...]) -> str:
    return hashlib.sha1(" ".join(gram).encode("utf-8")).hexdigest()[:16]


def split_card(text: str) -> tuple[dict, str]:
    """Front matter (parsed YAML) and body of a card."""
    lines = text.splitlines()
    if not lines or lines[0].strip() != "---":
        raise ValueError("card does not start with a '---' front matter line")
    try:
        end = next(i for i in range(1, len(lines)) if lines[i].strip() == "---")
    except StopIteration as exc:
        raise ValueError("front matter is not closed with '---'") from exc
    meta = yaml.safe_load("\n".join(lines[1:end])) or {}
    if not isinstance(meta, dict):
        raise ValueError("front matter is not a mapping")
    return meta, "\n".join(lines[end + 1 :]).strip()


def read_seeds(seeds_dir: Path) -> dict[str, str]:
    files = sorted(p for p in seeds_dir.iterdir() if p.is_file() and p.suffix == ".txt")
    if not files:
        raise SystemExit(f"no seed .txt files in {seeds_dir}")
    return {p.name: p.read_text(encoding="utf-8") for p in files}


def seed_index(seeds: dict[str, str], n: int) -> dict[tuple[str, ...], str]:
    """Every n-word run of the seeds, mapped to the seed file it comes from."""
    index: dict[tuple[str, ...], str] = {}
    for name, text in seeds.items():
        for words in tokenisations(text):
            for gram in ngrams(words, n):
                index.setdefault(gram, name)
    return index


def longest_shared_run(card_words: list[str], seed_word_lists: list[list[str]]) -> int:
    """Length of the longest run of consecutive words shared with any seed word list."""
    best = 0
    for seed_words in seed_word_lists:
        # classic longest-common-substring DP over words, one row at a time
        prev = [0] * (len(seed_words) + 1)
        for cw in card_words:
            cur = [0] * (len(seed_words) + 1)
            for j, sw in enumerate(seed_words, start=1):
                if cw == sw:
                    cur[j] = prev[j - 1] + 1
                    if cur[j] > best:
                        best = cur[j]
            prev = cur
    return best


def merge_hits(words: list[str], starts: list[int], n: int) -> list[str]:
    """Merge overlapping n-gram hits into maximal runs of text."""
    runs: list[tuple[int, int]] = []
    for s in sorted(starts):
        if runs and s <= runs[-1][1]:
            runs[-1] = (runs[-1][0], max(runs[-1][1], s + n))
        else:
            runs.append((s, s + n))
    return [" ".join(words[a:b]) for a, b in runs]


def write_hashes(seeds: dict[str, str], n: int, out: Path) -> int:
    hashes = sorted({ngram_hash(g) for g in seed_index(seeds, n)})
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text("\n".join(hashes) + "\n", encoding="utf-8")
    return len(hashes)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--seeds", type=Path, default=DEFAULT_SEEDS, help="seed article directory")
    ap.add_argument("--knowledge", type=Path, default=DEFAULT_KNOWLEDGE, help="card directory")
    ap.add_argument("--n", type=int, default=N, help="shared run length that fails (default 9)")
    ap.add_argument(
        "--write-hashes",
        nargs="?",
        const=DEFAULT_HASHES,
        type=Path,
        metavar="FILE",
        help=f"also write the seed n-gram hash file (default {DEFAULT_HASHES.relative_to(REPO_ROOT)})",
    )
    args = ap.parse_args(argv)

    seeds = read_seeds(args.seeds.resolve())
    index = seed_index(seeds, args.n)
    seed_word_lists = [w for text in seeds.values() for w in tokenisations(text)]

    if args.write_hashes:
        count = write_hashes(seeds, args.n, args.write_hashes)
        print(f"wrote {count} hashes to {args.write_hashes}")

    cards = sorted(args.knowledge.glob("*.md"))
    if not cards:
        print(f"no cards in {args.knowledge}")
        return 1

    failed = 0
    print(f"{'card':42} {'words':>5} {'longest':>7}  status")
    for path in cards:
        try:
            _meta, body = split_card(path.read_text(encoding="utf-8"))
        except (ValueError, yaml.YAMLError) as exc:
            print(f"{path.stem:42} {'-':>5} {'-':>7}  PARSE ERROR: {exc}")
            failed += 1
            continue
        count = word_count(body)
        longest = max(longest_shared_run(w, seed_word_lists) for w in tokenisations(body))
        hits: list[str] = []
        for words in tokenisations(body):
            starts = [i for i, g in enumerate(ngrams(words, args.n)) if g in index]
            hits.extend(merge_hits(words, starts, args.n))
        status = []
        if hits:
            status.append(f"SHARED RUN ({len(hits)})")
        if not MIN_WORDS <= count <= MAX_WORDS:
            status.append(f"word count outside {MIN_WORDS}-{MAX_WORDS}")
        print(f"{path.stem:42} {count:5d} {longest:7d}  {', '.join(status) or 'ok'}")
        for run in dict.fromkeys(hits):
            print(f"    shared: \"{run}\"")
        if hits:
            failed += 1

    print(f"\n{len(cards)} cards, {failed} with a shared run of {args.n}+ words or a parse error")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
