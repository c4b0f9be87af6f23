"""Knowledge cards: Markdown files with YAML front matter, one idea each.

A card file looks like::

    ---
    id: setting-boundaries
    title: "Set clear boundaries between work and personal life"
    source: "Title of the article it draws on"
    section: "The article's heading, exactly as written there"
    tags: [boundaries, work-life-balance]
    ---
    Body in Markdown, 80-250 words, in our own words.

This module only reads and splits cards and fills in citations from them; it knows
nothing of the index, so commands that only cite cards never load Chroma or the model.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping, Sequence
from functools import lru_cache
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from agent.documents import blocks, group_blocks, split_sentences
from agent.errors import UserError
from agent.records import Citation

DEFAULT_KNOWLEDGE_DIR = Path(__file__).resolve().parents[1] / "knowledge"
"""The cards shipped in the repository."""

PASSAGE_WORDS = 110
"""Target length of one card passage: short enough that the embedding model sees all of it
(it reads at most 256 tokens) and that a passage stays on one point."""


class Card(BaseModel):
    """One knowledge card."""

    model_config = ConfigDict(frozen=True, extra="ignore", use_attribute_docstrings=True)

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    """The card's id: its file name without .md."""

    title: str = Field(min_length=1)
    """What the card advises, in a line."""

    source: str = Field(min_length=1)
    """Title of the article the card draws on."""

    section: str = Field(min_length=1)
    """Heading of the article's section, exactly as written there."""

    tags: tuple[str, ...] = ()
    """Keywords."""

    body: str = Field(min_length=1)
    """The card's text (Markdown)."""


def split_front_matter(text: str) -> tuple[dict, str]:
    """The parsed YAML front matter and the body of a card's text; ValueError if malformed."""
    import yaml

    lines = text.lstrip("\ufeff").splitlines()
    if not lines or lines[0].strip() != "---":
        raise ValueError("it does not start with a '---' front matter line")
    end = next((i for i in range(1, len(lines)) if lines[i].strip() == "---"), None)
    if end is None:
        raise ValueError("its front matter is not closed with '---'")
    try:
        meta = yaml.safe_load("\n".join(lines[1:end])) or {}
    except yaml.YAMLError as e:
        raise ValueError(f"its front matter is not valid YAML ({type(e).__name__})") from None
    if not isinstance(meta, dict):
        raise ValueError("its front matter is not a mapping")
    return meta, "\n".join(lines[end + 1 :]).strip()


def parse_card(text: str, name: str) -> Card:
    """Parse one card's file text; `name` is the file name without .md, which must be its id."""
    try:
        meta, body = split_front_matter(text)
        tags = meta.get("tags") or []
        if isinstance(tags, str):
            tags = [t.strip() for t in tags.split(",") if t.strip()]
        card = Card(**{**meta, "tags": tuple(str(t) for t in tags), "body": body})
    except ValidationError as e:
        first = e.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise UserError(f"knowledge card {name}.md is malformed: {where}: {first['msg']}") from None
    except ValueError as e:
        raise UserError(f"knowledge card {name}.md is malformed: {e}") from None
    if card.id != name:
        raise UserError(f"knowledge card {name}.md has id {card.id!r}; the id must be the file name")
    return card


def card_files(directory: Path) -> list[Path]:
    """The card files of a directory, sorted by name."""
    return sorted(p for p in Path(directory).glob("*.md") if p.is_file())


def load_cards(directory: Path) -> list[Card]:
    """Every card in a directory, sorted by id; UserError naming the first malformed one."""
    directory = Path(directory)
    if not directory.is_dir():
        raise UserError(f"knowledge directory not found: {directory}")
    return [parse_card(p.read_text(encoding="utf-8"), p.stem) for p in card_files(directory)]


def cards_digest(directory: Path, salt: str = "") -> str:
    """A content hash of every card file (names and bytes), so the index knows when to rebuild.

    `salt` carries anything else the index depends on (model name, passage format).
    """
    digest = hashlib.sha256(salt.encode("utf-8"))
    for path in card_files(directory):
        digest.update(path.name.encode("utf-8") + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def card_passages(card: Card, target: int = PASSAGE_WORDS) -> list[str]:
    """A card's body split into one or a few passages of about `target` words each."""
    return group_blocks(blocks(card.body), target, limit=2 * target)


QUOTE_WORDS = 40
"""Longest quote taken from a card for a citation."""


def quotable_sentences(card: Card) -> list[str]:
    """The card's sentences that can stand as a quote (not list lead-ins ending in ':')."""
    return [s for s in split_sentences(card.body) if not s.endswith(":")]


def shorten(text: str, words: int = QUOTE_WORDS) -> str:
    """The text cut to a number of words, with ' ...' where it was cut."""
    parts = text.split()
    return " ".join(parts) if len(parts) <= words else " ".join(parts[:words]) + " ..."


def first_sentence(card: Card) -> str:
    """The default quote of a card: its first quotable sentence, shortened."""
    sentences = quotable_sentences(card)
    return shorten(sentences[0]) if sentences else ""


def resolve_citations(
    citations: Sequence[Citation],
    cards: Mapping[str, Card],
    quote: Callable[[Card], str] = first_sentence,
) -> list[Citation]:
    """Citations with each card's title, source, section and a quote filled in.

    Fields already set are kept; a citation of an unknown card comes back unchanged.
    """
    resolved = []
    for citation in citations:
        card = cards.get(citation.card_id)
        if card is None:
            resolved.append(citation)
            continue
        resolved.append(citation.model_copy(update={
            "title": citation.title or card.title,
            "source": citation.source or card.source,
            "section": citation.section or card.section,
            "quote": citation.quote or quote(card),
        }))
    return resolved


@lru_cache(maxsize=1)
def default_cards() -> dict[str, Card]:
    """The shipped cards by id, read once per process."""
    return {card.id: card for card in load_cards(DEFAULT_KNOWLEDGE_DIR)}
