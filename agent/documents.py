"""The user's own documents: finding, reading and chunking Markdown, plain text and PDF files.

Also the small text helpers the cards share (blocks, sentences, word counts). Reading
raises `UserError` with a one-line reason for anything that cannot be indexed (binary,
empty, unreadable, a PDF without extractable text); chunking is pure.
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from agent.errors import UserError
from agent.inputs import read_text_file

SUFFIXES = frozenset({".md", ".markdown", ".txt", ".text", ".pdf"})
"""The file types `align index` reads; anything else in a folder is ignored."""

MIN_WORDS = 40
"""A chunk shorter than this is merged into a neighbour where it can be."""

SECTION_MIN_WORDS = 20
"""A section shorter than this joins its neighbour; a longer one keeps its own chunk, as a
heading marks a change of topic and mixing topics blurs a chunk's vector."""

TARGET_WORDS = 150
"""Chunks grow to about this many words: the embedding model reads about 190 at most."""

MAX_WORDS = 250
"""No chunk is longer than this (a longer paragraph is split between sentences)."""

MAX_TEXT_BYTES = 5_000_000
MAX_FILES = 2000
"""Files one `align index` run will take; more is nearly always a wrong folder."""
MAX_PDF_BYTES = 50_000_000
SECTION_JOIN = " > "
"""Separates nested headings in a chunk's section, e.g. "Handbook > Hiring > Interviews"."""

_WORD = re.compile(r"\w+(?:['\u2019-]\w+)*")
# Between sentences: after . ! or ? (and a closing quote or bracket, kept with its sentence),
# before a capital or digit (or an opening quote).
_SENTENCE_END = re.compile(
    r"(?:(?<=[.!?])|(?<=[.!?][\"'\u201d\u2019)\]]))\s+(?=[\"'\u201c\u2018(\[]?[A-Z0-9])"
)


# Text helpers ----------------------------------------------------------------------------


def word_count(text: str) -> int:
    """Number of words, as people count them."""
    return len(_WORD.findall(text))


def blocks(markdown: str) -> list[str]:
    """The blank-line separated blocks of a text, stripped, empty ones dropped."""
    return [b.strip() for b in re.split(r"\n\s*\n", markdown) if b.strip()]


def plain_text(markdown: str) -> str:
    """Markdown reduced to its words: no emphasis marks, link targets, list bullets or headings."""
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", markdown)  # [words](url) -> words
    text = re.sub(r"(?m)^\s{0,3}#{1,6}\s*", "", text)
    text = re.sub(r"(?m)^\s*(?:[-*+]|\d+[.)])\s+", "", text)
    text = re.sub(r"(\*\*|__|`)", "", text)
    text = re.sub(r"(?<![\w*])\*(?!\s)([^*\n]+)(?<!\s)\*(?![\w*])", r"\1", text)
    return text.strip()


def split_sentences(text: str) -> list[str]:
    """The sentences of a Markdown text; each list item and line counts as its own sentence."""
    sentences: list[str] = []
    for line in plain_text(text).splitlines():
        line = " ".join(line.split())
        if line:
            sentences.extend(s.strip() for s in _SENTENCE_END.split(line) if s.strip())
    return sentences


def group_blocks(parts: Iterable[str], target: int, limit: int | None = None) -> list[str]:
    """Join consecutive blocks into passages of about `target` words, never splitting a block.

    The blocks are shared out evenly (a 230-word text with a target of 110 gives two passages
    of about 115 words, not 110 and 20), no passage passes `limit` unless one block does, and
    a block that introduces a list (ends with ':') stays with what follows it where the two
    fit within `limit`.
    """
    units: list[str] = []
    for part in parts:
        if units and units[-1].rstrip().endswith(":") and (
            limit is None or word_count(units[-1]) + word_count(part) <= limit
        ):
            units[-1] += "\n\n" + part
        else:
            units.append(part)
    if not units:
        return []
    sizes = [word_count(u) for u in units]
    total = sum(sizes)
    count = max(1, round(total / target), -(-total // limit) if limit else 1)
    count = min(count, len(units))
    if len(units) > 200:  # even sharing costs O(count * units^2): greedy for huge sections
        return _group_greedy(units, sizes, target)
    cuts = _balanced_cuts(sizes, count)
    # Even sharing can still leave a group past the limit (120 + 140 + 114 words in two
    # groups gives 254 at best); one more group until only single blocks are that long.
    while limit and count < len(units) and _overfull(sizes, cuts, limit):
        count += 1
        cuts = _balanced_cuts(sizes, count)
    return ["\n\n".join(units[a:b]) for a, b in zip([0, *cuts], [*cuts, len(units)], strict=True)]


def _overfull(sizes: list[int], cuts: list[int], limit: int) -> bool:
    """Whether a group of more than one block passes `limit` words."""
    bounds = zip([0, *cuts], [*cuts, len(sizes)], strict=True)
    return any(b - a > 1 and sum(sizes[a:b]) > limit for a, b in bounds)


def _balanced_cuts(sizes: list[int], count: int) -> list[int]:
    """Where to cut `sizes` into `count` contiguous groups so the largest group is smallest."""
    n = len(sizes)
    prefix = [0]
    for size in sizes:
        prefix.append(prefix[-1] + size)
    inf = float("inf")
    # best[k][i]: the smallest possible largest group when the first i units form k groups.
    best = [[inf] * (n + 1) for _ in range(count + 1)]
    cut = [[0] * (n + 1) for _ in range(count + 1)]
    best[0][0] = 0
    for k in range(1, count + 1):
        for i in range(k, n + 1):
            for j in range(k - 1, i):
                value = max(best[k - 1][j], prefix[i] - prefix[j])
                if value < best[k][i]:
                    best[k][i], cut[k][i] = value, j
    cuts, i = [], n
    for k in range(count, 1, -1):
        i = cut[k][i]
        cuts.append(i)
    return sorted(cuts)


def _group_greedy(units: list[str], sizes: list[int], target: int) -> list[str]:
    groups: list[list[str]] = [[]]
    words = 0
    for unit, size in zip(units, sizes, strict=True):
        if groups[-1] and words + size > target:
            groups.append([])
            words = 0
        groups[-1].append(unit)
        words += size
    return ["\n\n".join(g) for g in groups]


def split_long(block: str, limit: int = MAX_WORDS, target: int = TARGET_WORDS) -> list[str]:
    """A block cut between sentences into pieces of at most `limit` words (hard-cut if it must)."""
    if word_count(block) <= limit:
        return [block]
    pieces: list[str] = []
    for sentence in _SENTENCE_END.split(" ".join(block.split())):
        # A "sentence" longer than the limit (a PDF table, a run-on list) is cut by words.
        pieces.extend(_cut_words(sentence, target))
    return group_blocks(pieces, target, limit)


def _cut_words(sentence: str, target: int) -> list[str]:
    """A sentence in pieces of at most `target` words, cut between tokens where it can.

    Words are counted as `word_count` counts them, so "x.y.z" is three words and a token
    of more than `target` words (a long path or URL) is cut inside, at a word's start.
    """
    pieces: list[str] = []
    tokens: list[str] = []
    size = 0
    for token in sentence.split():
        starts = [m.start() for m in _WORD.finditer(token)]
        if tokens and size + len(starts) > target:
            pieces.append(" ".join(tokens))
            tokens, size = [], 0
        while len(starts) > target:
            pieces.append(token[: starts[target]])
            token = token[starts[target] :]
            starts = [m.start() for m in _WORD.finditer(token)]
        tokens.append(token)
        size += len(starts)
    if tokens:
        pieces.append(" ".join(tokens))
    return pieces


# Finding and reading files ---------------------------------------------------------------


@dataclass(frozen=True)
class Chunk:
    """One piece of a document, ready to index."""

    number: int
    """1, 2, 3, ... in document order: with the file's path it makes the chunk's stable id."""

    section: str
    """The headings above the chunk (outermost first), or the file name when there are none."""

    text: str
    """The chunk's text."""


def file_digest(data: bytes) -> str:
    """Content hash of a file's bytes: an unchanged file is skipped without re-reading it."""
    return hashlib.sha256(data).hexdigest()


def find_files(
    paths: Sequence[Path | str], max_files: int = MAX_FILES
) -> tuple[list[Path], list[tuple[str, str]]]:
    """The indexable files named by `paths` (folders searched recursively), and what was skipped.

    Returns (files, skipped) where skipped holds (path, one-line reason naming the path).
    Hidden files and folders inside a folder are ignored, and so are files of other types;
    a file named explicitly with another type is reported as skipped. The search stops
    at `max_files`, with a skipped entry that says so, so that pointing it at a home
    folder or a disk root ends in a message instead of an hour of embedding.
    """
    files: list[Path] = []
    skipped: list[tuple[str, str]] = []
    for given in paths:
        if not str(given).strip():
            skipped.append(("", "an empty path was given"))
            continue
        path = Path(given).expanduser()
        try:
            is_dir, is_file = path.is_dir(), path.is_file()
        except (OSError, ValueError) as e:  # a name too long, a NUL in it
            reason = getattr(e, "strerror", None) or str(e)
            skipped.append((str(path), f"{path}: {reason}"))
            continue
        if is_dir:
            for root, dirs, names in os.walk(path):  # does not follow links to folders
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                files.extend(
                    Path(root) / n
                    for n in sorted(names)
                    if not n.startswith(".") and Path(n).suffix.lower() in SUFFIXES
                )
                if len(files) > max_files:
                    break
        elif is_file:
            if path.suffix.lower() in SUFFIXES:
                files.append(path)
            else:
                kinds = ", ".join(sorted(SUFFIXES))
                skipped.append((str(path), f"{path}: not a supported file type (use {kinds})"))
        else:
            skipped.append((str(path), f"{path}: not found"))
        if len(files) > max_files:
            skipped.append((str(path), f"{path}: stopped at {max_files:,} files; index fewer folders at a time"))
            files = files[:max_files]
            break
    unique = list(dict.fromkeys(p.resolve() for p in files))
    return unique, skipped


def clean_document_text(text: str) -> str:
    """Text with control and invisible format characters removed (newlines and tabs kept)."""
    return "".join(
        ch for ch in text if ch in "\n\t" or unicodedata.category(ch) not in ("Cc", "Cf", "Co", "Cs")
    )


def read_sections(path: Path) -> list[tuple[str, str]]:
    """A document as (section, text) pairs, or UserError saying why it cannot be indexed.

    Markdown is split at its headings; plain text is one section named after the file; a
    PDF gives one section per page.
    """
    path = Path(path)
    if path.suffix.lower() == ".pdf":
        sections = _read_pdf(path)
    else:
        text = clean_document_text(read_text_file(path, "document", max_bytes=MAX_TEXT_BYTES))
        if path.suffix.lower() in (".md", ".markdown"):
            sections = markdown_sections(text, path.name)
        else:
            sections = [(path.name, text)]
    sections = [(s, t.strip()) for s, t in sections if t.strip()]
    if not sections:
        raise UserError(f"document {path} is empty")
    return sections


def _read_pdf(path: Path) -> list[tuple[str, str]]:
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    # pypdf logs warnings about damaged files on stderr; the reason is reported once instead.
    logging.getLogger("pypdf").setLevel(logging.ERROR)
    if path.stat().st_size > MAX_PDF_BYTES:
        raise UserError(f"document {path} is too large (the limit is {MAX_PDF_BYTES:,} bytes)")
    try:
        reader = PdfReader(path)
        if reader.is_encrypted and not reader.decrypt(""):
            raise UserError(f"document {path} is an encrypted PDF")
        pages = [page.extract_text() or "" for page in reader.pages]
    except UserError:
        raise
    except (PyPdfError, OSError) as e:
        raise UserError(f"document {path} is not a readable PDF ({type(e).__name__})") from None
    except Exception as e:  # a damaged PDF can make pypdf's parser raise almost anything
        raise UserError(f"document {path} is not a readable PDF ({type(e).__name__})") from None
    sections = []
    for number, page in enumerate(pages, start=1):
        page = clean_document_text(page)
        page = re.sub(r"-\n(?=[a-z])", "", page)  # words hyphenated across lines
        page = re.sub(r"(?<!\n)\n(?!\n)", " ", page)  # PDF line wraps are not paragraphs
        sections.append((f"{path.name}, page {number}", page))
    if not any(word_count(t) for _, t in sections):
        raise UserError(f"document {path} has no extractable text (a scanned PDF?)")
    return sections


_ATX = re.compile(r"^\s{0,3}(#{1,6})\s+(.*?)\s*#*\s*$")
_FENCE = re.compile(r"^\s{0,3}(```|~~~)")


def markdown_sections(text: str, name: str) -> list[tuple[str, str]]:
    """Markdown split at its headings into (heading trail, text) pairs.

    The trail joins nested headings ("Guide > Setup"); text before the first heading is
    labelled with `name`. Front matter is dropped; headings inside code fences are text.
    """
    lines = text.splitlines()
    if lines and lines[0].strip() == "---":
        end = next((i for i in range(1, len(lines)) if lines[i].strip() in ("---", "...")), None)
        if end is not None:
            lines = lines[end + 1 :]
    sections: list[tuple[str, list[str]]] = [(name, [])]
    trail: list[tuple[int, str]] = []
    fenced = False
    for index, line in enumerate(lines):
        if _FENCE.match(line):
            fenced = not fenced
        heading = None if fenced else _ATX.match(line)
        nxt = lines[index + 1] if index + 1 < len(lines) else ""
        if heading:
            level, title = len(heading.group(1)), plain_text(heading.group(2))
        elif not fenced and line.strip() and re.fullmatch(r"\s{0,3}(=+|-+)\s*", nxt) and (
            index == 0 or not lines[index - 1].strip()
        ):
            level, title = (1 if nxt.strip()[0] == "=" else 2), plain_text(line.strip())
        else:
            if not (sections[-1][1] == [] and re.fullmatch(r"\s{0,3}(=+|-+)\s*", line)):
                sections[-1][1].append(line)
            continue
        trail = [(lv, t) for lv, t in trail if lv < level] + [(level, title or name)]
        sections.append((SECTION_JOIN.join(t for _, t in trail), []))
    return [(label, "\n".join(body)) for label, body in sections]


def chunk_sections(sections: Sequence[tuple[str, str]]) -> list[Chunk]:
    """Chunks of about 40-250 words, cut at headings and paragraphs, numbered from 1.

    A section too short to stand alone (under 20 words) joins the next one, its heading kept
    in the text so it can still be found; a short last section joins the chunk before it
    when that fits.
    """
    merged: list[tuple[str, str]] = []
    carry = ""
    sections = [(label, text.strip()) for label, text in sections if text.strip()]
    for index, (label, text) in enumerate(sections):
        text = (carry + "\n\n" + text).strip() if carry else text
        carry = ""
        is_last = index == len(sections) - 1
        if word_count(text) < SECTION_MIN_WORDS and not is_last:
            heading = label.split(SECTION_JOIN)[-1]
            carry = f"{heading}\n\n{text}" if heading != text else text
            continue
        merged.append((label, text))

    pieces: list[tuple[str, str]] = []
    for label, text in merged:
        parts = [p for block in blocks(text) for p in split_long(block)]
        pieces.extend((label, chunk) for chunk in group_blocks(parts, TARGET_WORDS, MAX_WORDS))
    if len(pieces) > 1 and word_count(pieces[-1][1]) < SECTION_MIN_WORDS:
        label, text = pieces[-2]
        if word_count(text) + word_count(pieces[-1][1]) <= MAX_WORDS:
            pieces[-2:] = [(label, text + "\n\n" + pieces[-1][1])]
    return [Chunk(number=n, section=label, text=text) for n, (label, text) in enumerate(pieces, 1)]


def chunk_document(path: Path) -> list[Chunk]:
    """Read and chunk one document; UserError with a one-line reason if it cannot be indexed."""
    chunks = chunk_sections(read_sections(path))
    if not chunks or not any(word_count(c.text) for c in chunks):
        raise UserError(f"document {path} has no text to index")
    return chunks
