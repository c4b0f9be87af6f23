"""Checks on text that comes from people and files, before any engine sees it."""

from __future__ import annotations

import json
import re
import unicodedata
from datetime import date
from pathlib import Path

from agent.errors import UserError

DEFAULT_MAX_CHARS = 2000
_KEEP = frozenset("\n\t\u200c\u200d")  # zero-width (non-)joiners: "👩‍💻", Persian, Hindi
SURROGATES = re.compile("[\ud800-\udfff]")
"""Lone surrogates: bytes that were not UTF-8, as Python carries them (surrogateescape)."""
UNSAFE_CHARS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
"""C0/C1 controls (newline and tab aside) and the bidi overrides that can disguise text."""
# Terminal escape sequences whole (CSI such as colours, OSC such as window titles): dropping
# only the ESC byte would leave "[31m" behind as if the person had typed it.
_ANSI = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)")

_INSTRUCTION_PATTERNS = [
    re.compile(p, re.IGNORECASE)
    for p in (
        r"\b(ignore|disregard|forget|override)\b[^.\n]{0,40}\b(instructions?|prompts?|rules|guidelines|directives)\b",
        r"\b(ignore|disregard|forget|override)\b[^.\n]{0,40}\b(previous|prior|above|earlier|preceding)\s+(messages?|context)\b",
        r"\b(system|hidden) prompt\b",
        r"\byou are now\b",
        r"\bjailbreak",
        r"\bdeveloper mode\b",
        r"</?\s*(system|assistant|user)\s*>",
        r"\b(reveal|print|show|repeat)\b[^.\n]{0,20}\b(your|the)\s+(system\s+)?(prompt|instructions)\b",
    )
]
"""Phrases aimed at an assistant rather than said about one's own life or work."""


def strip_escapes(text: str) -> str:
    """Text without terminal escape sequences (colours, window titles), whole."""
    return _ANSI.sub("", text)


def message_line(text: str) -> str:
    """Text made safe to print as one line of a message: no escape sequences, controls,
    bidi overrides or lone surrogates, whitespace collapsed."""
    return " ".join(SURROGATES.sub("", UNSAFE_CHARS.sub("", strip_escapes(text))).split())


def clean_text(text: str | None, what: str = "text", max_chars: int = DEFAULT_MAX_CHARS) -> str:
    """Return the text stripped and with control characters removed, or raise UserError.

    Rejects empty, blank, over-long and binary-looking input with a one-line message
    that names `what` was wrong.
    """
    if text is None:
        raise UserError(f"the {what} is empty")
    if isinstance(text, bytes):
        if b"\x00" in text:
            raise UserError(f"the {what} is not text (it looks binary)")
        try:
            text = text.decode("utf-8")
        except UnicodeDecodeError:
            raise UserError(f"the {what} is not valid UTF-8 text") from None
    if "\x00" in text:
        raise UserError(f"the {what} is not text (it contains NUL bytes)")
    if SURROGATES.search(text):
        # Bytes that were not UTF-8 reach us as lone surrogates (argv, surrogateescape);
        # they cannot be embedded, saved or shown, so say so rather than guess a repair.
        raise UserError(f"the {what} is not valid UTF-8 text")
    # Keep newlines and tabs, and the joiners that hold emoji and some scripts together;
    # drop other control and format characters (escape codes, bidi overrides).
    cleaned = "".join(
        ch for ch in strip_escapes(text) if ch in _KEEP or unicodedata.category(ch) not in ("Cc", "Cf")
    ).strip()
    # Joiners only join: at either end they are invisible noise ("\u200dfamily" is family).
    cleaned = cleaned.strip(" \n\t\u200c\u200d")
    if not cleaned:
        raise UserError(f"the {what} is empty")
    if len(cleaned) > max_chars:
        raise UserError(f"the {what} is too long ({len(cleaned):,} characters; the limit is {max_chars:,})")
    return cleaned


def refuse_instructions(text: str, what: str) -> None:
    """Raise UserError when text reads like an instruction aimed at the assistant.

    Values, statements, questions and names are data; a phrase such as "ignore previous
    instructions" has no place in them, so it is refused instead of being woven into a
    draft, a decision or a saved profile.
    """
    phrase = instruction_in(text)
    if phrase:
        raise UserError(
            f"the {what} reads like an instruction to the assistant ({phrase!r}); "
            "say it in your own words"
        )


def instruction_in(text: str) -> str | None:
    """The first phrase of the text aimed at an assistant, or None."""
    for pattern in _INSTRUCTION_PATTERNS:
        match = pattern.search(text)
        if match:
            return match.group(0)
    return None


def parse_date(value: str | date | None, what: str = "date") -> date | None:
    """Parse YYYY-MM-DD (or pass a date through); raise UserError on anything else."""
    if value is None or isinstance(value, date):
        return value
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise UserError(f"bad {what} {value!r}: use YYYY-MM-DD") from None


def read_text_file(path: str | Path, what: str = "file", max_bytes: int = 5_000_000) -> str:
    """Read a UTF-8 text file ("-" is standard input), or raise UserError saying why not."""
    if str(path) == "-":
        return _decode(_read_stdin(max_bytes), what, "on standard input", max_bytes)
    p = Path(path)
    try:
        if not p.exists():
            raise UserError(f"{what} not found: {p}")
        if p.is_dir():
            raise UserError(f"{what} is a directory: {p}")
        if not p.is_file():
            # A FIFO or a device would block the read, or never end.
            raise UserError(f"{what} {p} is not a regular file")
        if p.stat().st_size > max_bytes:
            raise UserError(f"{what} {p} is too large ({p.stat().st_size:,} bytes; the limit is {max_bytes:,})")
        data = p.read_bytes()
    except UserError:
        raise
    except (OSError, ValueError) as e:  # unreadable, a name too long, a NUL in the name
        raise UserError(f"cannot read {what} {p}: {getattr(e, 'strerror', None) or e}") from None
    return _decode(data, what, str(p), max_bytes)


def _read_stdin(max_bytes: int) -> bytes:
    import sys

    stream = getattr(sys.stdin, "buffer", None)
    if stream is None:  # a text stream (tests, some embedders)
        return (sys.stdin.read(max_bytes + 1) if sys.stdin else "").encode("utf-8", "surrogateescape")
    return stream.read(max_bytes + 1)


def _decode(data: bytes, what: str, name: str, max_bytes: int) -> str:
    if len(data) > max_bytes:
        raise UserError(f"{what} {name} is too large (over {max_bytes:,} bytes)")
    if b"\x00" in data:
        raise UserError(f"{what} {name} is not text (it looks binary)")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise UserError(f"{what} {name} is not UTF-8 text") from None


def read_json_file(path: str | Path, what: str = "file") -> object:
    """Read a JSON file, or raise UserError naming the line and column of a syntax error."""
    text = read_text_file(path, what)
    try:
        return json.loads(text)
    except json.JSONDecodeError as e:
        raise UserError(f"{what} {path} is not valid JSON: {e.msg} at line {e.lineno}, column {e.colno}") from None
    except RecursionError:
        raise UserError(f"{what} {path} is nested too deeply to read") from None
    except ValueError as e:  # an integer of thousands of digits, refused by Python itself
        raise UserError(f"{what} {path} holds a number too long to read ({str(e)[:60]})") from None
