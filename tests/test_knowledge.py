"""The guidance knowledge cards in knowledge/*.md.

Each card is one idea from one of the two seed articles, paraphrased: YAML front matter
(id, title, source, section, tags) and a plain-text body of 80-250 words. Together the cards
must cover every section heading of both articles, and no card may share a run of nine
consecutive words with either article. That last check runs against
tests/data/seed_ngrams.txt (hashes of every 9-word run of the seeds, written by
`python evals/check_cards.py --write-hashes`), so the seed text need not be in the repository.

Standard library and PyYAML only: nothing here imports the agent package.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from pathlib import Path

import pytest
import yaml

REPO_ROOT = Path(__file__).resolve().parent.parent
KNOWLEDGE_DIR = REPO_ROOT / "knowledge"
HASH_FILE = Path(__file__).resolve().parent / "data" / "seed_ngrams.txt"


N = 9
MIN_WORDS, MAX_WORDS = 80, 250

SOURCE_VISION = (
    "Vision and Mission Alignment: How Executives and Leaders Can Achieve "
    "Personal and Professional Growth"
)
SOURCE_SMART = "Align Leadership Vision and Mission with SMART Goals"

# Every section heading, exactly as written in each article.
HEADINGS_VISION = (
    "Crafting a Vision That Integrates Personal and Professional Goals",
    "Creating a Unified Vision Statement",
    "Incorporating Core Values Into Leadership",
    "Leading by Example",
    "Aligning Ambition With Well-Being",
    "Setting Boundaries",
    "Prioritizing Self-Care",
    "Time Management Techniques for Leaders",
    "Practical Exercises for Vision and Mission Alignment",
    "Vision and Mission Alignment Worksheet",
    "Value-Driven Decision Making",
    "Regular Reflection and Adjustment",
    "Accountability and Support Systems",
    "Finding the Right Accountability Partner",
    "Utilizing Feedback for Growth",
    "Balancing Professional Growth With Personal Fulfillment",
    "The Role of Reflection in Maintaining Balance",
    "Delegation and Empowerment",
    "Tools and Techniques to Support Alignment",
    "Time Management Tools",
    "Decision-Making Frameworks",
    "Promoting Personal and Professional Growth Through Continuous Learning",
    "Learning Through Reading and Courses",
    "Embracing a Growth Mindset",
    "Call to Action: Aligning Vision, Mission, and Success",
    "Conclusion: Embrace Holistic Leadership",
)
HEADINGS_SMART = (
    "Setting SMART Goals",
    "Aligning Goals with Vision and Mission",
    "Leveraging Goals for Continuous Improvement",
    "Adjusting Goals for Relevance and Impact",
)
# The untitled opening (and, for the second article, closing) paragraphs may have cards.
UNTITLED_VISION = ("Introduction",)
UNTITLED_SMART = ("Introduction", "Conclusion")

REQUIRED_HEADINGS = {SOURCE_VISION: HEADINGS_VISION, SOURCE_SMART: HEADINGS_SMART}
ALLOWED_SECTIONS = {
    SOURCE_VISION: set(HEADINGS_VISION) | set(UNTITLED_VISION),
    SOURCE_SMART: set(HEADINGS_SMART) | set(UNTITLED_SMART),
}

ID_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
WORD_RE = re.compile(r"[a-z0-9']+")
CURLY = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'"})
HEX16_RE = re.compile(r"^[0-9a-f]{16}$")


# --- helpers (the same tokenising and hashing as evals/check_cards.py) ---------------------


def tokenisations(text: str) -> list[list[str]]:
    """Word lists of a text: as is, and with curly apostrophes made straight."""
    low = text.lower()
    raw = WORD_RE.findall(low)
    straight = WORD_RE.findall(low.translate(CURLY))
    return [raw] if raw == straight else [raw, straight]


def ngram_hashes(text: str, n: int = N) -> set[str]:
    hashes = set()
    for words in tokenisations(text):
        for i in range(len(words) - n + 1):
            gram = " ".join(words[i : i + n])
            hashes.add(hashlib.sha1(gram.encode("utf-8")).hexdigest()[:16])
    return hashes


def split_card(text: str) -> tuple[dict, str]:
    lines = text.splitlines()
    assert lines and lines[0].strip() == "---", "card must start with a '---' line"
    end = next((i for i in range(1, len(lines)) if lines[i].strip() == "---"), None)
    assert end is not None, "front matter must be closed with a '---' line"
    meta = yaml.safe_load("\n".join(lines[1:end])) or {}
    assert isinstance(meta, dict), "front matter must be a YAML mapping"
    return meta, "\n".join(lines[end + 1 :]).strip()


CARD_PATHS = sorted(KNOWLEDGE_DIR.glob("*.md"))


def load_all() -> dict[str, tuple[dict, str]]:
    return {p.stem: split_card(p.read_text(encoding="utf-8")) for p in CARD_PATHS}


@pytest.fixture(scope="module")
def cards() -> dict[str, tuple[dict, str]]:
    return load_all()


@pytest.fixture(scope="module")
def seed_hashes() -> set[str]:
    assert HASH_FILE.is_file(), f"missing {HASH_FILE}: run evals/check_cards.py --write-hashes"
    return {line.strip() for line in HASH_FILE.read_text(encoding="utf-8").splitlines() if line.strip()}


# --- the collection ---------------------------------------------------------------------------


def test_there_are_cards() -> None:
    assert len(CARD_PATHS) >= len(HEADINGS_VISION) + len(HEADINGS_SMART)


def test_ids_are_unique(cards) -> None:
    ids = Counter(meta.get("id") for meta, _ in cards.values())
    assert not [i for i, n in ids.items() if n > 1], f"duplicate ids: {ids}"


def test_titles_are_unique(cards) -> None:
    titles = Counter(str(meta.get("title", "")).strip().lower() for meta, _ in cards.values())
    assert not [t for t, n in titles.items() if n > 1]


@pytest.mark.parametrize("source", [SOURCE_VISION, SOURCE_SMART])
def test_every_heading_has_a_card(cards, source: str) -> None:
    covered = {meta.get("section") for meta, _ in cards.values() if meta.get("source") == source}
    missing = [h for h in REQUIRED_HEADINGS[source] if h not in covered]
    assert not missing, f"headings of {source!r} with no card: {missing}"


def test_hash_file_is_well_formed(seed_hashes) -> None:
    lines = HASH_FILE.read_text(encoding="utf-8").splitlines()
    assert len(seed_hashes) > 1000, "the hash file looks too small to cover both seed articles"
    assert all(HEX16_RE.match(line) for line in lines)
    assert lines == sorted(set(lines)), "hash file must be sorted and without duplicates"


# --- each card --------------------------------------------------------------------------------


@pytest.mark.parametrize("path", CARD_PATHS, ids=[p.stem for p in CARD_PATHS])
class TestCard:
    def test_front_matter(self, path: Path) -> None:
        meta, _ = split_card(path.read_text(encoding="utf-8"))
        for key in ("id", "title", "source", "section"):
            value = meta.get(key)
            assert isinstance(value, str) and value.strip(), f"{key} must be a non-empty string"
        assert meta["id"] == path.stem, "id must equal the file name without .md"
        assert ID_RE.match(meta["id"]), "id must be kebab-case"
        tags = meta.get("tags")
        assert isinstance(tags, list) and tags, "tags must be a non-empty list"
        assert all(isinstance(t, str) and t.strip() for t in tags), "tags must be non-empty strings"

    def test_source_and_section(self, path: Path) -> None:
        meta, _ = split_card(path.read_text(encoding="utf-8"))
        assert meta.get("source") in ALLOWED_SECTIONS, f"unknown source {meta.get('source')!r}"
        assert meta.get("section") in ALLOWED_SECTIONS[meta["source"]], (
            f"section {meta.get('section')!r} is not a heading of {meta['source']!r}"
        )

    def test_body_length(self, path: Path) -> None:
        _, body = split_card(path.read_text(encoding="utf-8"))
        count = len(WORD_RE.findall(body.lower().translate(CURLY)))
        assert MIN_WORDS <= count <= MAX_WORDS, f"body has {count} words"

    def test_body_is_plain(self, path: Path) -> None:
        _, body = split_card(path.read_text(encoding="utf-8"))
        headings = [line for line in body.splitlines() if line.lstrip().startswith("#")]
        assert not headings, f"no markdown headings in the body: {headings}"
        assert "---" not in body.splitlines(), "stray front matter delimiter in the body"

    def test_ends_with_something_to_try(self, path: Path) -> None:
        _, body = split_card(path.read_text(encoding="utf-8"))
        last = body.split("\n\n")[-1]
        assert last.startswith("Try this:"), "the last paragraph should give one thing to try"

    def test_no_long_run_shared_with_seeds(self, path: Path, seed_hashes) -> None:
        _, body = split_card(path.read_text(encoding="utf-8"))
        shared = ngram_hashes(body) & seed_hashes
        assert not shared, (
            f"{len(shared)} run(s) of {N} words shared with a seed article; "
            "run evals/check_cards.py to see them"
        )
