"""Records on disk: one SQLite file in the data directory that the person owns.

Every record is kept whole as its JSON (`model_dump(mode="json")`) beside the few
columns needed to find and order it, and read back with `parse_record`. Writes run in
`BEGIN IMMEDIATE` transactions, so a read-modify-write such as `add_version` is atomic
even with several processes (CLI, app, scripts) saving at once: WAL lets readers go on
while one writer works, `busy_timeout` makes a writer wait its turn, and a retry with
backoff covers the moments SQLite answers "database is locked" anyway.

The schema version is `PRAGMA user_version`: the number of entries of `MIGRATIONS`
applied. A file that is not SQLite, is damaged, or comes from a newer Align gives a
one-line `UserError` naming it and is never written to.

Only parameterised queries touch record text, so hostile text is stored as data.
"""

from __future__ import annotations

import json
import logging
import os
import sqlite3
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from pydantic import ValidationError
from tenacity import Retrying, retry_if_exception, stop_after_attempt, wait_random_exponential

from agent.errors import UserError
from agent.inputs import clean_text, refuse_instructions
from agent.records import (
    KINDS,
    AnyRecord,
    CheckIn,
    Goal,
    GoalVersion,
    Profile,
    Record,
    SmartCritique,
    parse_record,
)

if TYPE_CHECKING:
    from agent.settings import Settings

log = logging.getLogger(__name__)
T = TypeVar("T")

BUSY_TIMEOUT_S = 5.0
"""How long SQLite itself waits for another writer before answering "locked"."""

RETRY_ATTEMPTS = 6
"""Tries of a whole unit of work when SQLite still answers "locked" or "busy"."""

RETRY_MAX_WAIT_S = 1.0
"""Longest pause between two tries (the pauses grow at random up to this)."""

MIN_PREFIX = 4
"""Shortest id prefix accepted in place of a full record id."""

MAX_RECORD_CHARS = 1_000_000
"""Largest record (as JSON) accepted: far above anything a person types."""

MAX_PROFILE_ITEM_CHARS = 80
"""Longest single value, role or name in the profile."""

MAX_PROFILE_ITEMS = 30
"""Most values (or roles) a profile keeps."""


# --- schema ---------------------------------------------------------------------------

Migration = Callable[[sqlite3.Connection], None]


def _m1_records(conn: sqlite3.Connection) -> None:
    """Version 1: every record as JSON, with the columns needed to find and order it."""
    conn.execute(
        """CREATE TABLE records (
               id TEXT PRIMARY KEY,
               kind TEXT NOT NULL,
               created_at TEXT NOT NULL,
               saved_at TEXT NOT NULL,
               data TEXT NOT NULL
           )"""
    )
    conn.execute("CREATE INDEX records_kind_created ON records (kind, created_at)")
    conn.execute("CREATE INDEX records_created ON records (created_at)")
    # One profile per database, enforced by the file itself, not only by this code.
    conn.execute("CREATE UNIQUE INDEX records_one_profile ON records (kind) WHERE kind = 'profile'")


MIGRATIONS: Sequence[Migration] = (_m1_records,)
"""Ordered schema changes; never edit or reorder one that shipped, only append."""


# --- errors ---------------------------------------------------------------------------

_BUSY_CODES = {sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED}


def _is_busy(error: BaseException) -> bool:
    if not isinstance(error, sqlite3.OperationalError):
        return False
    code = getattr(error, "sqlite_errorcode", None)
    if code is not None:
        return code & 0xFF in _BUSY_CODES  # extended codes keep the primary code in the low byte
    message = str(error).lower()
    return "locked" in message or "busy" in message


def _as_user_error(path: Path, error: sqlite3.Error) -> UserError | None:
    """The one-line explanation of a database error a person can act on, if it is one."""
    if _is_busy(error):
        return UserError(
            f"the database {path} stayed busy (another Align is writing to it): try again"
        )
    code = (getattr(error, "sqlite_errorcode", None) or 0) & 0xFF
    if code == sqlite3.SQLITE_NOTADB or "not a database" in str(error):
        return UserError(
            f"{path} is not an Align database (not SQLite): it was left untouched; "
            "move it away or choose another --home"
        )
    if code == sqlite3.SQLITE_CORRUPT or "malformed" in str(error):
        return UserError(
            f"the database {path} is damaged ({error}): it was left untouched; "
            "restore a backup or move it away"
        )
    if code == sqlite3.SQLITE_READONLY or "readonly" in str(error):
        return UserError(f"cannot write to the database {path}: {error}")
    if code == sqlite3.SQLITE_FULL:
        return UserError(f"cannot save to {path}: the disk is full")
    if isinstance(error, sqlite3.OperationalError) and (
        code in (sqlite3.SQLITE_CANTOPEN, sqlite3.SQLITE_PERM) or "unable to open" in str(error)
    ):
        return UserError(f"cannot open the database {path}: {error}")
    return None


# --- record <-> row -------------------------------------------------------------------


def _utc_text(moment: datetime) -> str:
    """A sortable UTC timestamp; a naive time is taken to be UTC already."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _to_json(record: Record) -> str:
    """The record's JSON, checked to read back as a valid record before anything is written."""
    kind = getattr(record, "kind", type(record).__name__)
    try:
        payload = record.model_dump(mode="json", warnings=False)
        parse_record(payload)
    except ValidationError as e:
        first = e.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or "record"
        raise UserError(f"cannot save this {kind}: {where}: {first['msg']}") from None
    text = json.dumps(payload, ensure_ascii=False)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        # Lone surrogates cannot be stored as UTF-8; escaped JSON keeps them exactly.
        text = json.dumps(payload, ensure_ascii=True)
    if len(text) > MAX_RECORD_CHARS:
        raise UserError(
            f"this {kind} is too large to save ({len(text):,} characters of JSON; "
            f"the limit is {MAX_RECORD_CHARS:,})"
        )
    return text


def _clean_id(record_id: str) -> str:
    return clean_text(record_id, "record id", max_chars=64)


# --- the store ------------------------------------------------------------------------


class Store:
    """The person's saved records in one SQLite file; cheap to make, opened on each use."""

    def __init__(self, path: Path) -> None:
        """Remember where the database is; nothing is opened or created yet."""
        self.path = Path(path)
        self._schema_checked = False

    @classmethod
    def from_settings(cls, settings: Settings) -> Store:
        """The store at the configured data directory."""
        return cls(settings.database_path)

    # -- connection, schema and retries --

    @contextmanager
    def _connect(self, create: bool) -> Iterator[sqlite3.Connection | None]:
        """An open, migrated connection; None when reading a database that does not exist."""
        if not self.path.exists():
            if not create:
                yield None
                return
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                # Private from the start: SQLite gives its WAL files the same mode.
                os.close(os.open(self.path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
            except FileExistsError:
                pass  # another process created it first: an empty file is a new database
            except OSError as e:
                raise UserError(
                    f"cannot create the database {self.path}: {e.strerror or e}"
                ) from None
        if self.path.is_dir():
            raise UserError(f"cannot open the database {self.path}: it is a directory")
        # isolation_level=None: we issue BEGIN/COMMIT ourselves, so nothing commits behind our back.
        conn = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_S, isolation_level=None)
        try:
            self._ensure_schema(conn)
            yield conn
        finally:
            conn.close()

    def _ensure_schema(self, conn: sqlite3.Connection) -> None:
        if self._schema_checked:
            return
        # Read first: a file that is not SQLite fails here, before anything is written to it.
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        if version > len(MIGRATIONS):
            raise UserError(
                f"the database {self.path} was written by a newer Align (schema {version}; "
                f"this one knows up to {len(MIGRATIONS)}): upgrade Align to open it"
            )
        conn.execute("PRAGMA journal_mode = WAL")
        if version < len(MIGRATIONS):
            conn.execute("BEGIN IMMEDIATE")
            try:
                # Another process may have migrated while we waited for the lock.
                version = conn.execute("PRAGMA user_version").fetchone()[0]
                if version < len(MIGRATIONS):
                    for migration in MIGRATIONS[version:]:
                        migration(conn)
                    conn.execute(f"PRAGMA user_version = {len(MIGRATIONS):d}")
                conn.execute("COMMIT")
            except BaseException:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                raise
        self._schema_checked = True

    def _attempt(self, work: Callable[[], T]) -> T:
        """Run `work`, retrying on a locked database; explain database errors in one line."""
        retrying = Retrying(
            retry=retry_if_exception(_is_busy),
            wait=wait_random_exponential(multiplier=0.02, max=RETRY_MAX_WAIT_S),
            stop=stop_after_attempt(RETRY_ATTEMPTS),
            reraise=True,
        )
        try:
            return retrying(work)
        except sqlite3.Error as e:
            explained = _as_user_error(self.path, e)
            if explained is None:
                raise
            raise explained from None

    def _write(self, work: Callable[[sqlite3.Connection], T]) -> T:
        """Run `work` in one immediate transaction: all of it is saved, or none of it."""

        def once() -> T:
            with self._connect(create=True) as conn:
                assert conn is not None
                conn.execute("BEGIN IMMEDIATE")
                try:
                    result = work(conn)
                    conn.execute("COMMIT")
                except BaseException:
                    if conn.in_transaction:
                        conn.execute("ROLLBACK")
                    raise
                return result

        return self._attempt(once)

    def _read(self, work: Callable[[sqlite3.Connection], T], missing: T) -> T:
        """Run `work` on the database, or return `missing` when there is no database yet."""

        def once() -> T:
            with self._connect(create=False) as conn:
                return missing if conn is None else work(conn)

        return self._attempt(once)

    # -- rows --

    def _parse(self, record_id: str, data: str) -> AnyRecord:
        try:
            # json.loads, not validate_json: it accepts escaped lone surrogates, which we store.
            return parse_record(json.loads(data))
        except (ValidationError, ValueError, TypeError):
            raise UserError(
                f"record {record_id} in {self.path} is damaged and cannot be read"
            ) from None

    def _find(self, conn: sqlite3.Connection, record_id: str) -> tuple[str, str]:
        """The (id, data) row for an id or a unique prefix of at least MIN_PREFIX characters."""
        row = conn.execute("SELECT id, data FROM records WHERE id = ?", (record_id,)).fetchone()
        if row:
            return row
        if len(record_id) < MIN_PREFIX:
            raise UserError(
                f"no record with id {record_id!r} (give the full id, or at least "
                f"{MIN_PREFIX} characters of it)"
            )
        rows = conn.execute(
            "SELECT id, data FROM records WHERE substr(id, 1, ?) = ? ORDER BY id LIMIT 6",
            (len(record_id), record_id),
        ).fetchall()
        if not rows:
            raise UserError(f"no record with id {record_id!r}")
        if len(rows) > 1:
            shown = ", ".join(r[0] for r in rows[:5])
            raise UserError(
                f"the id {record_id!r} matches several records ({shown}): give more of it"
            )
        return rows[0]

    def _put(self, conn: sqlite3.Connection, record: Record, data: str) -> None:
        row = conn.execute("SELECT kind FROM records WHERE id = ?", (record.id,)).fetchone()
        if row and row[0] != record.kind:
            raise UserError(
                f"cannot save {record.kind} {record.id}: that id already belongs to a {row[0]}"
            )
        conn.execute(
            """INSERT INTO records (id, kind, created_at, saved_at, data)
               VALUES (?, ?, ?, ?, ?)
               ON CONFLICT (id) DO UPDATE SET
                   kind = excluded.kind, created_at = excluded.created_at,
                   saved_at = excluded.saved_at, data = excluded.data""",
            (record.id, record.kind, _utc_text(record.created_at),
             _utc_text(datetime.now(UTC)), data),
        )

    def _goal(self, conn: sqlite3.Connection, goal_id: str) -> Goal:
        found_id, data = self._find(conn, _clean_id(goal_id))
        record = self._parse(found_id, data)
        if not isinstance(record, Goal):
            raise UserError(f"record {found_id} is a {record.kind}, not a goal")
        return record

    # -- public API --

    def save(self, record: Record) -> Record:
        """Insert the record, or replace the saved one with the same id; return it."""
        if isinstance(record, Profile):
            return self.save_profile(record)
        data = _to_json(record)
        self._write(lambda conn: self._put(conn, record, data))
        return record

    def get(self, record_id: str) -> AnyRecord:
        """The record with this id (or unique id prefix of at least 4 characters)."""
        wanted = _clean_id(record_id)

        def work(conn: sqlite3.Connection) -> AnyRecord:
            return self._parse(*self._find(conn, wanted))

        return self._read(work, missing=None) or self._absent(wanted)

    @staticmethod
    def _absent(record_id: str) -> AnyRecord:
        raise UserError(f"no record with id {record_id!r} (nothing is saved yet)")

    def list(self, kind: str | None = None) -> list[AnyRecord]:
        """Saved records, newest first, all of them or those of one kind.

        A damaged row is skipped with a warning rather than hiding every other record.
        """
        if kind is not None and kind not in KINDS:
            raise UserError(f"unknown kind {kind!r}: choose one of {', '.join(KINDS)}")

        def work(conn: sqlite3.Connection) -> list[tuple[str, str]]:
            if kind is None:
                sql, args = "SELECT id, data FROM records ORDER BY created_at DESC, rowid DESC", ()
            else:
                sql = ("SELECT id, data FROM records WHERE kind = ? "
                       "ORDER BY created_at DESC, rowid DESC")
                args = (kind,)
            return conn.execute(sql, args).fetchall()

        records: list[AnyRecord] = []
        for record_id, data in self._read(work, missing=[]):
            try:
                records.append(self._parse(record_id, data))
            except UserError as e:
                log.warning("%s; skipped it", e)
        return records

    def delete(self, record_id: str) -> AnyRecord:
        """Delete one record and return it; nothing else is deleted (a goal's critiques stay)."""
        wanted = _clean_id(record_id)

        def work(conn: sqlite3.Connection) -> AnyRecord:
            found_id, data = self._find(conn, wanted)
            record = self._parse(found_id, data)
            conn.execute("DELETE FROM records WHERE id = ?", (found_id,))
            return record

        if not self.path.exists():
            return self._absent(wanted)
        return self._write(work)

    def profile(self) -> Profile:
        """The saved profile, or an empty one (not saved until it changes)."""

        def work(conn: sqlite3.Connection) -> Profile | None:
            row = conn.execute("SELECT id, data FROM records WHERE kind = 'profile'").fetchone()
            if row is None:
                return None
            try:
                return self._parse(*row)
            except UserError:
                raise UserError(
                    f"the profile in {self.path} is damaged: run `align profile --clear` "
                    "to forget it and start again"
                ) from None

        return self._read(work, missing=None) or Profile()

    def save_profile(self, profile: Profile) -> Profile:
        """Save the profile as the only one in the database; return it."""
        data = _to_json(profile)

        def work(conn: sqlite3.Connection) -> None:
            conn.execute("DELETE FROM records WHERE kind = 'profile' AND id != ?", (profile.id,))
            self._put(conn, profile, data)

        self._write(work)
        return profile

    def clear_profile(self) -> bool:
        """Forget the profile entirely; True if there was one. Works even if it is damaged."""
        if not self.path.exists():
            return False

        def work(conn: sqlite3.Connection) -> bool:
            return conn.execute("DELETE FROM records WHERE kind = 'profile'").rowcount > 0

        return self._write(work)

    def start_goal(self, critique: SmartCritique) -> Goal:
        """Save the critique and a new goal whose version 1 is the critiqued wording."""
        goal = Goal(
            text=critique.goal,
            category=critique.category,
            versions=[_version(1, critique)],
        )
        critique_data, goal_data = _to_json(critique), _to_json(goal)

        def work(conn: sqlite3.Connection) -> None:
            self._put(conn, critique, critique_data)
            self._put(conn, goal, goal_data)

        self._write(work)
        return goal

    def add_version(self, goal_id: str, critique: SmartCritique) -> Goal:
        """Save the critique and append it to the goal as its next version, atomically."""
        critique_data = _to_json(critique)

        def work(conn: sqlite3.Connection) -> Goal:
            # Read inside the write transaction so concurrent versions never share a number.
            goal = self._goal(conn, goal_id)
            number = max((v.version for v in goal.versions), default=0) + 1
            updated = goal.model_copy(update={
                "text": critique.goal,
                "category": critique.category,
                "versions": [*goal.versions, _version(number, critique)],
            })
            self._put(conn, critique, critique_data)
            self._put(conn, updated, _to_json(updated))
            return updated

        return self._write(work)

    def add_check_in(self, goal_id: str, check_in: CheckIn) -> Goal:
        """Save the check-in as a record and add it to the goal's check-ins, atomically."""

        def work(conn: sqlite3.Connection) -> Goal:
            goal = self._goal(conn, goal_id)
            if check_in.goal_id not in (None, goal.id):
                raise UserError(
                    f"this check-in is about goal {check_in.goal_id}, not {goal.id}"
                )
            linked = check_in.model_copy(update={"goal_id": goal.id})
            # Oldest first by date; a stable sort keeps same-day check-ins in the order made.
            check_ins = sorted([*goal.check_ins, linked], key=lambda c: c.on)
            updated = goal.model_copy(update={"check_ins": check_ins})
            self._put(conn, linked, _to_json(linked))
            self._put(conn, updated, _to_json(updated))
            return updated

        return self._write(work)

    def goals(self) -> list[Goal]:
        """Every saved goal, newest first."""
        return self.list("goal")  # type: ignore[return-value]


def _version(number: int, critique: SmartCritique) -> GoalVersion:
    return GoalVersion(
        version=number,
        text=critique.goal,
        critique_id=critique.id,
        score=critique.score,
        smart=critique.smart,
    )


# --- helpers for the commands and the app ---------------------------------------------


def save_and_report(settings: Settings, record: Record) -> str:
    """Save a record for a command's `--save` and say what was saved, in one line.

    A SmartCritique starts a goal (version 1 linked to the critique), so the goal's later
    versions and check-ins have somewhere to go; anything else is saved as it is.
    """
    store = Store.from_settings(settings)
    if isinstance(record, SmartCritique):
        goal = store.start_goal(record)
        return f"saved goal {goal.id} with smart_critique {record.id}"
    store.save(record)
    return f"saved {record.kind} {record.id}"


def _clean_item(text: str, what: str) -> str:
    # Inner runs of whitespace (newlines included) become one space: an item is one line.
    return " ".join(clean_text(text, what, max_chars=MAX_PROFILE_ITEM_CHARS).split())


def _without(items: list[str], removals: Sequence[str], what: str) -> list[str]:
    kept = list(items)
    for raw in removals:
        item = _clean_item(raw, what)
        matches = [x for x in kept if x.casefold() == item.casefold()]
        if not matches:
            have = ", ".join(kept) if kept else "none"
            raise UserError(f"there is no {what} {item!r} to remove (your {what}s: {have})")
        kept = [x for x in kept if x.casefold() != item.casefold()]
    return kept


def _with(items: list[str], additions: Sequence[str], what: str) -> list[str]:
    kept = list(items)
    for raw in additions:
        item = _clean_item(raw, what)
        refuse_instructions(item, what)  # the profile is context for every later turn
        if all(x.casefold() != item.casefold() for x in kept):
            kept.append(item)
    if len(kept) > MAX_PROFILE_ITEMS:
        raise UserError(f"too many {what}s ({len(kept)}; the limit is {MAX_PROFILE_ITEMS})")
    return kept


def edit_profile(
    profile: Profile,
    *,
    name: str | None = None,
    vision: str | None = None,
    add_values: Sequence[str] = (),
    remove_values: Sequence[str] = (),
    add_roles: Sequence[str] = (),
    remove_roles: Sequence[str] = (),
    max_vision_chars: int = 2000,
) -> Profile:
    """The profile with these edits applied (removals before additions); a pure function.

    Values and roles are stripped and kept once, compared without regard to case (the
    first wording stays). Empty or over-long items, and removing what is not there,
    raise a one-line UserError.
    """
    update: dict[str, object] = {}
    if name is not None:
        update["name"] = _clean_item(name, "name")
    if vision is not None:
        update["vision"] = clean_text(vision, "vision", max_chars=max_vision_chars)
        refuse_instructions(update["vision"], "vision")
    if add_values or remove_values:
        values = _without(profile.values, remove_values, "value")
        update["values"] = _with(values, add_values, "value")
    if add_roles or remove_roles:
        roles = _without(profile.roles, remove_roles, "role")
        update["roles"] = _with(roles, add_roles, "role")
    return profile.model_copy(update=update)
