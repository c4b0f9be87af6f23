"""What the app's buttons do to the person's records: small functions over a Store.

Kept apart from drawing so each can be tested without Streamlit, and so that a failing
save raises one UserError before anything is half written (the store writes each change
in one transaction).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from agent.errors import UserError
from agent.inputs import clean_text
from agent.records import CheckIn, Decision, Goal, Profile, VisionDraft
from agent.store import Store, edit_profile
from agent.ui.tables import parse_values

if TYPE_CHECKING:
    from agent.guidance import Library

MAX_UPLOAD_BYTES = 5_000_000
"""Largest document accepted from the browser (the same limit as a text file on the CLI)."""

UPLOAD_SUFFIXES = (".md", ".markdown", ".txt", ".text", ".pdf")


def save_profile_text(store: Store, values_text: str | None, vision_text: str | None,
                      max_vision_chars: int = 2000) -> Profile:
    """Replace the profile's values and vision with what the sidebar form holds; return it.

    An empty vision box forgets the vision; an empty values box forgets the values.
    """
    profile = store.profile()
    values = parse_values(values_text)
    cleared = profile.model_copy(update={"values": []})
    updated = edit_profile(cleared, add_values=values)
    if vision_text and vision_text.strip():
        updated = edit_profile(updated, vision=vision_text, max_vision_chars=max_vision_chars)
    else:
        updated = updated.model_copy(update={"vision": None})
    return store.save_profile(updated)


def choose_vision(store: Store, draft: VisionDraft, statement: str) -> tuple[Profile, VisionDraft]:
    """Adopt one wording of a draft as the person's vision.

    The profile's vision becomes `statement`; the draft is saved as chosen with that
    wording as its statement (the other wordings stay as alternatives), and any draft
    chosen before is marked as no longer chosen.
    """
    wording = clean_text(statement, "vision")
    others = [s for s in [draft.statement, *draft.alternatives] if s != wording]
    chosen = draft.model_copy(update={"statement": wording, "alternatives": others, "chosen": True})
    for old in store.list("vision_draft"):
        if old.chosen and old.id != draft.id:
            store.save(old.model_copy(update={"chosen": False}))
    store.save(chosen)
    profile = store.profile()
    # The draft's values become the profile's when the person has stated none yet.
    add_values = draft.values if not profile.values else ()
    updated = edit_profile(profile, vision=wording, add_values=add_values)
    return store.save_profile(updated), chosen


def save_decision(store: Store, decision: Decision) -> Decision:
    """Save an edited decision matrix over the saved one with the same id."""
    return store.save(decision)


def add_check_in(store: Store, goal_id: str, on: date, progress: int | None, note: str | None,
                 today: date) -> Goal:
    """Record progress on a goal; a date in the future or an empty check-in is refused."""
    if on > today:
        raise UserError(f"a check-in records what happened: {on} is still ahead")
    if progress is not None and not 0 <= progress <= 100:
        raise UserError(f"progress runs from 0 to 100% ({progress}% is outside it)")
    text = clean_text(note, "note") if note and note.strip() else ""
    if progress is None and not text:
        raise UserError("say how far along you are, or add a note")
    return store.add_check_in(goal_id, CheckIn(goal_id=goal_id, on=on, progress=progress, note=text))


def safe_file_name(name: str) -> str:
    """A file name from the browser made safe to write in the documents folder."""
    base = Path(name.replace("\\", "/")).name
    stem, dot, suffix = base.rpartition(".")
    if not dot:
        stem, suffix = base, ""
    stem = re.sub(r"[^\w.-]+", "-", stem).strip(".-")[:80] or "document"
    return f"{stem}.{suffix.lower()}" if suffix else stem


def shown_file_name(name: str) -> str:
    """A file name from the browser as a message may show it: no folders, no control or
    direction characters (a right-to-left override could make "exe.md" read as "dm.exe")."""
    base = Path(name.replace("\\", "/")).name
    return "".join(ch for ch in base if unicodedata.category(ch) not in ("Cc", "Cf")) or "the file"


def save_uploads(folder: Path, files: Sequence[tuple[str, bytes]]) -> list[Path]:
    """Write uploaded documents (name, bytes) into `folder`; return their paths.

    Refuses, before writing anything, a type Align cannot read, an empty or oversized
    file, text that is not UTF-8, or a .pdf that does not start like one (a damaged PDF
    is caught when it is indexed).
    """
    checked: list[tuple[str, bytes]] = []
    for name, data in files:
        safe = safe_file_name(name)
        shown = shown_file_name(name)
        if not safe.lower().endswith(UPLOAD_SUFFIXES):
            raise UserError(f"{shown}: Align reads Markdown, plain text and PDF files")
        if not data.strip():
            raise UserError(f"{shown} is empty")
        if len(data) > MAX_UPLOAD_BYTES:
            raise UserError(f"{shown} is too large ({len(data):,} bytes; the limit is {MAX_UPLOAD_BYTES:,})")
        if safe.lower().endswith(".pdf"):
            if b"%PDF-" not in data[:1024]:
                raise UserError(f"{shown} is not a PDF (it does not start like one)")
        else:
            if b"\x00" in data:
                raise UserError(f"{shown} is not text (it looks binary)")
            try:
                data.decode("utf-8-sig")
            except UnicodeDecodeError:
                raise UserError(f"{shown} is not UTF-8 text") from None
        checked.append((safe, data))
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for safe, data in checked:
        path = folder / safe
        path.write_bytes(data)
        paths.append(path)
    return paths


def index_documents(library: Library, paths: Sequence[Path],
                    progress: Callable[..., None] | None = None) -> object:
    """Add documents to the library's index, reporting progress; returns what the library reports."""
    return library.index_paths(list(paths), progress=progress)
