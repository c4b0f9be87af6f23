"""Nothing lost, with real processes: saves at once, kills mid-write, a damaged index.

Issue 7 asks that Align hold up when it is run several times at once, killed in the
middle of a save, or finds its index damaged. These tests use real processes: `align`
itself (`python -m agent.cli`), and small children defined at the bottom of this file
(`python tests/test_crash.py ROLE ...`) that save in a loop or hold a lock until the
test kills them with SIGKILL. They pin:

- several `align critique --save` processes at once: every record lands;
- a saver killed at any moment, even inside a transaction: the database passes
  `PRAGMA integrity_check`, every acknowledged record is there and whole, no goal is
  half-written, and the next save works;
- a deleted, truncated or damaged Chroma index (or its hash file): rebuilt on the next
  start with one line saying so, search works, and the person's documents are indexed
  again from the list Align keeps of them (or the line says to add them again);
- `align index PATH` killed partway, even inside one file: run again, every file is
  indexed exactly once; two first uses at once, or a rebuild while another process
  searches, do not trip over each other;
- a database another process keeps locked: one line and exit 2, never a traceback.

The module-scoped homes are built once; model loading costs each child about a second.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import pytest
from test_cli_ask import write_small_cards

REPO = Path(__file__).resolve().parents[1]
TODAY = date(2026, 11, 22)
CHILD_TIMEOUT_S = 120
"""Generous: a child that takes this long has hung, and the test says so."""


# --- running processes -------------------------------------------------------------------


def child_env(home: Path) -> dict[str, str]:
    """The environment of a child: this home, the offline provider, no keys."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("OPENAI_", "ALIGN_", "LANGSMITH_", "LANGCHAIN_"))}
    env["ALIGN_HOME"] = str(home)
    env["PYTHONUNBUFFERED"] = "1"
    return env


def align(home: Path, *args: str) -> subprocess.CompletedProcess:
    """Run `align ARGS...` as a separate process on this home."""
    return subprocess.run([sys.executable, "-m", "agent.cli", *args],
                          capture_output=True, text=True, cwd=REPO, env=child_env(home),
                          timeout=CHILD_TIMEOUT_S)


def align_on_cards(home: Path, cards: Path, *args: str) -> subprocess.Popen:
    """Start `align ARGS...` with `cards` in place of the shipped cards (they build in a
    blink); output goes to pipes, read with communicate()."""
    return subprocess.Popen([sys.executable, __file__, "align", str(cards), *args],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            cwd=REPO, env=child_env(home))


def finish(proc: subprocess.Popen) -> tuple[str, str]:
    """Wait for a child to end by itself; its stdout and stderr."""
    out, err = proc.communicate(timeout=CHILD_TIMEOUT_S)
    return out, err


def start_child(home: Path, role: str, *args: str) -> subprocess.Popen:
    """Start one of the children below; it reports on stdout, one line per event."""
    return subprocess.Popen([sys.executable, __file__, role, *args], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, cwd=REPO, env=child_env(home))


def read_until(proc: subprocess.Popen, done) -> list[str]:
    """Lines from a child until `done(lines)` is true; fails if the child ends first."""
    lines: list[str] = []
    while not done(lines):
        line = proc.stdout.readline()
        if not line:
            proc.wait(timeout=CHILD_TIMEOUT_S)
            pytest.fail(f"child ended early ({proc.returncode}): {proc.stderr.read()[-2000:]}")
        lines.append(line.rstrip("\n"))
    return lines


def kill(proc: subprocess.Popen) -> list[str]:
    """SIGKILL the child and return the lines it wrote before it died."""
    proc.send_signal(signal.SIGKILL)
    rest, _ = proc.communicate(timeout=CHILD_TIMEOUT_S)
    assert proc.returncode == -signal.SIGKILL
    return rest.splitlines()


def one_line(err: str) -> str:
    assert err.count("\n") == 1 and err.startswith("align: "), err
    assert "Traceback" not in err
    return err


# --- 1. several `align` processes saving at once ----------------------------------------------


def test_five_align_processes_saving_at_once_lose_nothing(align_home: Path, tmp_path: Path) -> None:
    # The database does not exist yet: the processes also race to create it. Each reads its
    # goals from standard input, and every input is closed together, so the saves overlap.
    outputs = [(tmp_path / f"out{w}", tmp_path / f"err{w}") for w in range(5)]
    procs = []
    for out, err in outputs:
        with out.open("w") as stdout, err.open("w") as stderr:
            procs.append(subprocess.Popen(
                [sys.executable, "-m", "agent.cli", "critique", "--file", "-", "--json", "--save"],
                stdin=subprocess.PIPE, stdout=stdout, stderr=stderr, text=True, cwd=REPO,
                env=child_env(align_home)))
    goals = {w: [f"Run {i + 2} one-to-ones a week with team {w} until June 2027"
                 for i in range(8)] for w in range(5)}
    for w, proc in enumerate(procs):
        proc.stdin.write("\n".join(goals[w]) + "\n")
    for proc in procs:
        proc.stdin.close()
    saved: dict[str, str] = {}  # critique id -> goal id, from the "saved ..." lines
    for proc, (out, err) in zip(procs, outputs, strict=True):
        assert proc.wait(timeout=CHILD_TIMEOUT_S) == 0, err.read_text()
        assert len(out.read_text().splitlines()) == 8
        for line in err.read_text().splitlines():
            _, _, goal_id, _, _, critique_id = line.split()  # saved goal G with smart_critique C
            saved[critique_id] = goal_id
    assert len(saved) == 40

    listed = align(align_home, "records", "list", "--json")
    assert listed.returncode == 0, listed.stderr
    records = json.loads(listed.stdout)
    critiques = {r["id"]: r["goal"] for r in records if r["kind"] == "smart_critique"}
    goals_saved = {r["id"]: r for r in records if r["kind"] == "goal"}
    assert set(critiques) == set(saved)
    assert sorted(critiques.values()) == sorted(g for gs in goals.values() for g in gs)
    assert set(goals_saved) == set(saved.values())
    for critique_id, goal_id in saved.items():
        assert [v["critique_id"] for v in goals_saved[goal_id]["versions"]] == [critique_id]


# --- 2. a saver killed mid-write -----------------------------------------------------------


def check_database(home: Path, acks: list[str]) -> dict[str, object]:
    """Everything acknowledged is there and whole, and nothing is half-saved; the records."""
    from agent.store import Store

    path = home / "align.db"
    conn = sqlite3.connect(path)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        (rows,) = conn.execute("SELECT count(*) FROM records").fetchone()
    finally:
        conn.close()
    records = {r.id: r for r in Store(path).list()}
    assert len(records) == rows  # no row was skipped as unreadable

    for ack in acks:
        what, *ids = ack.split()
        assert all(i in records for i in ids[:1] + ids[-1:]), ack
        if what == "goal":  # goal G started from critique C
            goal_id, critique_id = ids
            assert records[goal_id].versions[0].critique_id == critique_id
        elif what == "version":  # version N of goal G is critique C
            goal_id, number, critique_id = ids
            assert records[goal_id].versions[int(number) - 1].critique_id == critique_id
        elif what == "checkin":
            goal_id, check_in_id = ids
            assert check_in_id in {c.id for c in records[goal_id].check_ins}

    goals = [r for r in records.values() if r.kind == "goal"]
    for goal in goals:
        assert [v.version for v in goal.versions] == list(range(1, len(goal.versions) + 1))
    # Atomic transactions: every critique belongs to a goal version and every check-in to
    # its goal. A save cut between its two writes would leave one without the other.
    versions = {v.critique_id for g in goals for v in g.versions}
    assert versions == {i for i, r in records.items() if r.kind == "smart_critique"}
    check_ins = {c.id for g in goals for c in g.check_ins}
    assert check_ins == {i for i, r in records.items() if r.kind == "checkin"}
    return records


def test_a_saver_killed_at_random_moments_loses_no_acknowledged_record(align_home: Path) -> None:
    from agent.records import Reflection
    from agent.store import Store

    rng = random.Random(7)
    acks: list[str] = []
    for round_, after in enumerate([4, 31, 83]):
        saver = start_child(align_home, "saver", str(round_))
        acks += read_until(saver, lambda lines, n=after: len(lines) >= n)
        time.sleep(rng.uniform(0, 0.01))  # somewhere inside a later save
        acks += kill(saver)
        check_database(align_home, acks)
    kinds = {a.split()[0] for a in acks}
    assert kinds == {"goal", "version", "checkin", "reflection"}

    after_crash = Store(align_home / "align.db").save(Reflection(on=TODAY, text="still works"))
    assert Store(align_home / "align.db").get(after_crash.id) == after_crash


@pytest.mark.parametrize("operation", ["start_goal", "add_version"])
def test_a_kill_inside_a_transaction_leaves_no_partial_goal(align_home: Path, operation: str) -> None:
    from agent.records import Reflection
    from agent.store import Store

    saver = start_child(align_home, "stall", operation)
    lines = read_until(saver, lambda lines: lines[-1:] and lines[-1].startswith("stalled"))
    lines += kill(saver)
    *acks, stalled = [line for line in lines if line]
    _, goal_id, critique_id = stalled.split()  # stalled G C: C is written, G is not yet
    records = check_database(align_home, acks)
    assert len(acks) == 6 and critique_id not in records
    if operation == "start_goal":
        assert goal_id not in records
    else:
        assert len(records[goal_id].versions) == 1

    # The dead writer's lock went with it: the next save does not wait for it.
    store = Store(align_home / "align.db")
    assert store.get(store.save(Reflection(on=TODAY, text="after the kill")).id)


# --- 3. a damaged or deleted index -----------------------------------------------------------

CARD_QUESTION = "When should my working day end?"
DOC_FACTS = {
    "offsite.md": ("# Offsite\n\nOur quarterly offsite is in Porto, and the agenda is set by the "
                   "newest team member each time.\n", "Where is the quarterly offsite held?"),
    "pager.md": ("# On call\n\nWhoever carries the pager gets a stipend and a free Monday after a "
                 "night that woke them.\n", "Who gets a stipend for carrying the pager?"),
    "billing.md": ("# Billing\n\nThe billing migration finishes in March once finance signs off "
                   "every invoice template.\n", "When does the billing migration finish?"),
    "hiring.md": ("# Hiring\n\nEvery candidate meets two engineers and one designer, and we reply "
                  "within five working days.\n", "How fast do we reply to candidates?"),
}


@pytest.fixture(scope="module")
def index_bases(tmp_path_factory) -> dict[str, Path]:
    """Homes with two small cards and four documents indexed, built by a child process (so
    this process holds none of their files open): "plain" as Align makes it, and "flushed"
    whose document vectors live only in Chroma's HNSW files, as after indexing many."""
    root = tmp_path_factory.mktemp("crash-index")
    write_small_cards(root / "knowledge")
    (root / "docs").mkdir()
    for name, (text, _) in DOC_FACTS.items():
        (root / "docs" / name).write_text(text, encoding="utf-8")
    built = subprocess.run([sys.executable, __file__, "build-homes", str(root)],
                           capture_output=True, text=True, cwd=REPO, env=child_env(root),
                           timeout=CHILD_TIMEOUT_S)
    assert built.returncode == 0, built.stderr
    return {kind: root / kind for kind in ("plain", "flushed")}


def damaged_copy(base: Path, tmp_path: Path, damage) -> Path:
    home = tmp_path / "home"
    shutil.copytree(base, home)
    damage(home / "index")
    return home


def garbage(path: Path, size: int = 50_000, offset: int = 0) -> None:
    data = random.Random(str(path.name)).randbytes(size)
    with path.open("r+b" if offset else "wb") as f:
        f.seek(offset)
        f.write(data)


def segment_files(index: Path) -> list[Path]:
    return [f for d in index.iterdir() if d.is_dir() for f in d.iterdir()]


DAMAGE = {
    "index folder deleted": lambda index: shutil.rmtree(index),
    "chroma.sqlite3 overwritten with garbage": lambda index: garbage(index / "chroma.sqlite3"),
    "chroma.sqlite3 truncated to 0 bytes": lambda index: (index / "chroma.sqlite3").write_bytes(b""),
    "a damaged page inside chroma.sqlite3":
        lambda index: garbage(index / "chroma.sqlite3", 8192, offset=8192),
    "the vector segments deleted":
        lambda index: [shutil.rmtree(d) for d in index.iterdir() if d.is_dir()],
    "the vector segment files filled with garbage":
        lambda index: [garbage(f, 500) for f in segment_files(index)],
    "the card hash file deleted": lambda index: (index / "cards.sha256").unlink(),
    "the card hash file is garbage": lambda index: garbage(index / "cards.sha256", 64),
}


def open_library(home: Path, cards: Path):
    from agent.guidance import Library
    from agent.settings import Settings

    return Library(Settings(home=home), cards)


def assert_everything_found(library) -> None:
    assert library.search(CARD_QUESTION, k=1)[0].card_id == "boundaries"
    for name, (_, question) in DOC_FACTS.items():
        assert library.search(question, k=1)[0].source == name, question


@pytest.mark.parametrize("base", ["plain", "flushed"])
@pytest.mark.parametrize("damage", DAMAGE)
def test_a_damaged_index_is_rebuilt_with_the_documents_and_a_notice(
    index_bases, tmp_path: Path, damage: str, base: str
) -> None:
    home = damaged_copy(index_bases[base], tmp_path, DAMAGE[damage])
    library = open_library(home, index_bases[base].parent / "knowledge")
    steps: list[tuple[int, int, str]] = []
    library.ensure_index(lambda done, total, label: steps.append((done, total, label)))
    assert_everything_found(library)
    if "hash" in damage:
        # Only the cards are redone: the documents were never at risk.
        assert steps and {label for *_, label in steps} == {"cards"}
        assert library.notices == []
    elif "segment" in damage and base == "plain":
        # Chroma still holds these few vectors in its own log and rebuilds them itself.
        assert library.notices == []
    else:
        assert steps[-1] == (4, 4, "documents")
        (notice,) = library.notices
        assert "rebuilt" in notice and "4 of your documents were indexed again" in notice
        assert "\n" not in notice


def test_when_the_list_of_documents_is_lost_too_the_notice_says_to_add_them_again(
    index_bases, tmp_path: Path
) -> None:
    from agent.guidance import DOCUMENTS_FILE

    home = damaged_copy(index_bases["plain"], tmp_path, DAMAGE["chroma.sqlite3 overwritten with garbage"])
    garbage(home / DOCUMENTS_FILE, 100)
    library = open_library(home, index_bases["plain"].parent / "knowledge")
    library.ensure_index()
    assert library.search(CARD_QUESTION, k=1)[0].card_id == "boundaries"
    (notice,) = library.notices
    assert "damaged" in notice and "align index PATH" in notice


def test_a_vanished_document_is_named_when_the_index_is_rebuilt(index_bases, tmp_path: Path) -> None:
    from agent.guidance import DOCUMENTS_FILE

    home = damaged_copy(index_bases["plain"], tmp_path, DAMAGE["index folder deleted"])
    listed = json.loads((home / DOCUMENTS_FILE).read_text())
    gone = str(tmp_path / "gone" / "retro.md")
    (home / DOCUMENTS_FILE).write_text(json.dumps([*listed, gone]))
    library = open_library(home, index_bases["plain"].parent / "knowledge")
    library.ensure_index()
    assert_everything_found(library)
    (notice,) = library.notices
    assert "4 of your documents were indexed again" in notice and "retro.md" in notice


def test_index_rebuild_on_a_damaged_index_brings_the_documents_back(
    index_bases, tmp_path: Path
) -> None:
    home = damaged_copy(index_bases["plain"], tmp_path, DAMAGE["chroma.sqlite3 overwritten with garbage"])
    library = open_library(home, index_bases["plain"].parent / "knowledge")
    report = library.rebuild()
    assert report.cards_built and sorted(report.added) == sorted(DOC_FACTS)
    assert_everything_found(library)
    (notice,) = library.notices
    assert "damaged" in notice


def test_align_ask_on_a_damaged_index_rebuilds_it_says_so_and_answers(
    index_bases, tmp_path: Path
) -> None:
    home = damaged_copy(index_bases["plain"], tmp_path, DAMAGE["chroma.sqlite3 overwritten with garbage"])
    cards = index_bases["plain"].parent / "knowledge"
    out, err = finish(align_on_cards(home, cards, "ask", DOC_FACTS["pager.md"][1], "--json"))
    assert "Traceback" not in err
    damaged = [line for line in err.splitlines() if "damaged" in line]
    assert len(damaged) == 1 and "4 of your documents were indexed again" in damaged[0], err
    assert damaged[0].startswith("align: the guidance index was damaged")
    assert json.loads(out)["passages"][0]["source"] == "pager.md"

    again = align_on_cards(home, cards, "ask", CARD_QUESTION, "--json")
    out, err = finish(again)
    assert again.returncode == 0 and err == ""  # repaired once, for good
    assert json.loads(out)["passages"][0]["card_id"] == "boundaries"


def test_two_first_uses_at_once_both_answer(align_home: Path, tmp_path: Path) -> None:
    # A fresh home: both find no index, and only one of them may build it.
    cards = write_small_cards(tmp_path / "knowledge")
    procs = [align_on_cards(align_home, cards, "ask", CARD_QUESTION, "--json") for _ in range(2)]
    for proc in procs:
        out, err = finish(proc)
        assert proc.returncode == 0, err
        assert json.loads(out)["passages"][0]["card_id"] == "boundaries"


def test_a_library_open_here_keeps_answering_after_another_process_rebuilds(
    index_bases, tmp_path: Path
) -> None:
    # Like the app left open while `align index --rebuild` runs in a terminal.
    home = damaged_copy(index_bases["plain"], tmp_path, lambda index: None)
    cards = index_bases["plain"].parent / "knowledge"
    library = open_library(home, cards)
    assert_everything_found(library)
    rebuild = align_on_cards(home, cards, "index", "--rebuild", "--json")
    out, err = finish(rebuild)
    assert rebuild.returncode == 0, err
    assert sorted(json.loads(out)["added"]) == sorted(DOC_FACTS)
    assert_everything_found(library)


# --- 4. an interrupted `align index` ---------------------------------------------------------------


def write_notes(folder: Path) -> list[Path]:
    """Thirty small notes and one handbook long enough to be written in several batches."""
    folder.mkdir()
    files = []
    for n in range(1, 31):
        path = folder / f"note-{n:02d}.md"
        path.write_text(f"# Note {n}\n\nIn retrospective number {n} the team agreed on "
                        f"action item {n * 7}: keep the standup short.\n", encoding="utf-8")
        files.append(path)
    sections = [f"## Policy {n}\n\n" + f"Policy {n} covers topic {n * 13} in detail. " * 3
                for n in range(1, 20)]
    sections.append("## Sabbaticals\n\nAfter seven years everyone may take a paid sabbatical "
                    "of eight weeks to rest, travel or study.")
    handbook = folder / "zz-handbook.md"
    handbook.write_text("# Handbook\n\n" + "\n\n".join(sections) + "\n", encoding="utf-8")
    return [*files, handbook]


def test_an_interrupted_index_run_again_indexes_every_file_exactly_once(
    align_home: Path, tmp_path: Path
) -> None:
    from collections import Counter

    from agent import documents, guidance
    from agent.settings import Settings

    home = align_home
    cards = write_small_cards(tmp_path / "knowledge")
    folder = tmp_path / "notes"
    files = write_notes(folder)
    expected = {str(f.resolve()): len(documents.chunk_document(f)) for f in files}
    assert expected[str(files[-1].resolve())] > guidance.BATCH  # written in several batches

    # Killed between files, while it goes on writing the next ones ...
    first = start_child(home, "index-until", str(cards), str(folder), "-")
    read_until(first, lambda lines: len(lines) >= 12)
    kill(first)
    # ... then killed inside the handbook, after its first batch of passages was written.
    second = start_child(home, "index-until", str(cards), str(folder), files[-1].name)
    read_until(second, lambda lines: lines[-1:] == ["stalled"])
    kill(second)

    rerun = align_on_cards(home, cards, "index", str(folder), "--json")
    out, err = finish(rerun)
    assert rerun.returncode == 0, err
    report = json.loads(out)
    assert sorted(report["added"] + report["updated"] + report["unchanged"]) == sorted(
        f.name for f in files)
    assert files[-1].name in report["added"] + report["updated"]

    library = guidance.Library(Settings(home=home), cards)
    stored = library._collection(guidance.DOCUMENTS_COLLECTION).get(include=["metadatas"])
    assert Counter(m["path"] for m in stored["metadatas"]) == expected
    hit = library.search("How long is a paid sabbatical after seven years?", k=1)[0]
    assert hit.source == files[-1].name and "sabbatical" in hit.text
    assert json.loads((home / guidance.DOCUMENTS_FILE).read_text()) == sorted(expected)


# --- 5. a database locked by another process -----------------------------------------------------


def test_a_database_locked_by_another_process_gives_one_line_and_exit_2(
    align_home: Path, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    from agent import store as store_module
    from agent.cli import run

    assert run(["critique", "Read 12 books by December 2027", "--save", "--json"]) == 0
    capsys.readouterr()
    holder = start_child(align_home, "hold-lock", str(align_home / "align.db"))
    try:
        read_until(holder, lambda lines: lines == ["locked"])
        # The real wait is 5 s a try, six tries: shortened, the path to the message is the same.
        monkeypatch.setattr(store_module, "BUSY_TIMEOUT_S", 0.05)
        monkeypatch.setattr(store_module, "RETRY_ATTEMPTS", 2)
        assert run(["critique", "Run a 10k race by June 2027", "--save", "--json"]) == 2
        captured = capsys.readouterr()
        assert "busy" in one_line(captured.err) and str(align_home / "align.db") in captured.err
        assert captured.out == ""  # nothing is shown as saved when it was not
        # Readers are not blocked by a writer (WAL): listing works while the lock is held.
        assert run(["records", "list", "--json"]) == 0
        assert [r["goal"] for r in json.loads(capsys.readouterr().out)
                if r["kind"] == "smart_critique"] == ["Read 12 books by December 2027"]
    finally:
        kill(holder)
    assert run(["critique", "Run a 10k race by June 2027", "--save", "--json"]) == 0


# --- the children ------------------------------------------------------------------------------


def _critique(goal: str):
    from agent.records import Criterion, SmartCriteria, SmartCritique

    met = Criterion(status="met", evidence=["weekly"], feedback="Clear.")
    gap = Criterion(status="missing", feedback="No date.", question="By when?")
    return SmartCritique(goal=goal, today=TODAY, score=80, smart=False, rewrite=goal,
                         category="team development",
                         criteria=SmartCriteria(specific=met, measurable=met, achievable=met,
                                                relevant=met, time_bound=gap))


def _ack(*words: str) -> None:
    print(*words, flush=True)


def _saver(home: Path, seed: int) -> None:
    """Save in a loop, mixing one-statement and multi-statement transactions; after each
    save returns, print what was saved (it is then acknowledged)."""
    from agent.records import CheckIn, Reflection
    from agent.store import Store

    store = Store(home / "align.db")
    rng = random.Random(seed)
    goals = [g.id for g in store.goals()]
    for n in range(100_000):
        roll = rng.random()
        if not goals or roll < 0.25:
            critique = _critique(f"Coach {n} people a week (run {seed})")
            goals.append(store.start_goal(critique).id)
            _ack("goal", goals[-1], critique.id)
        elif roll < 0.6:
            critique = _critique(f"Coach {n} people a week by June 2027 (run {seed})")
            goal = store.add_version(rng.choice(goals), critique)
            _ack("version", goal.id, str(goal.versions[-1].version), critique.id)
        elif roll < 0.8:
            check_in = CheckIn(on=TODAY, progress=n % 101, note=f"check-in {n}")
            goal = store.add_check_in(rng.choice(goals), check_in)
            _ack("checkin", goal.id, check_in.id)
        else:
            _ack("reflection", store.save(Reflection(on=TODAY, text=f"note {n}")).id)


def _stall(home: Path, operation: str) -> None:
    """Save six records, then stop inside `operation`'s transaction, after the critique is
    written and before the goal is, and wait there to be killed."""
    from agent.records import Goal, Reflection
    from agent.store import Store

    store = Store(home / "align.db")
    goal = store.start_goal(_critique("Coach two people a week"))
    _ack("goal", goal.id, goal.versions[0].critique_id)
    for n in range(5):
        _ack("reflection", store.save(Reflection(on=TODAY, text=f"note {n}")).id)
    real_put = Store._put
    critique = _critique("Coach three people a week by June 2027")

    def put_then_stall(self, conn, record, data) -> None:
        if isinstance(record, Goal):
            _ack("stalled", record.id, critique.id)
            time.sleep(CHILD_TIMEOUT_S)
        real_put(self, conn, record, data)

    Store._put = put_then_stall
    if operation == "start_goal":
        store.start_goal(critique)
    else:
        store.add_version(goal.id, critique)


def _hold_lock(database: Path) -> None:
    """Hold the database's write lock until killed."""
    conn = sqlite3.connect(database, isolation_level=None)
    conn.execute("BEGIN IMMEDIATE")
    _ack("locked")
    time.sleep(CHILD_TIMEOUT_S)


def _build_homes(root: Path) -> None:
    """Index the small cards and the documents in two homes; in "flushed", Chroma writes the
    documents' vectors to its HNSW files at once and drops them from its log."""
    from agent.guidance import DOCUMENTS_COLLECTION, Library, chroma_embedding_function
    from agent.settings import Settings

    for kind in ("plain", "flushed"):
        library = Library(Settings(home=root / kind), root / "knowledge")
        if kind == "flushed":
            library._chroma().get_or_create_collection(
                DOCUMENTS_COLLECTION, embedding_function=chroma_embedding_function(),
                configuration={"hnsw": {"space": "cosine", "sync_threshold": 2, "batch_size": 2}})
        library.ensure_index()
        assert len(library.index_paths([root / "docs"]).added) == len(DOC_FACTS)


class _StallAfterFirstBatch:
    """A collection that writes one batch of passages, then waits to be killed."""

    def __init__(self, collection) -> None:
        self.collection = collection

    def upsert(self, **batch) -> None:
        self.collection.upsert(**batch)
        _ack("stalled")
        time.sleep(CHILD_TIMEOUT_S)


def _use_cards(cards: Path) -> None:
    from agent import guidance

    guidance.DEFAULT_KNOWLEDGE_DIR = cards


def _align(cards: Path, args: list[str]) -> None:
    """`align ARGS...` with `cards` in place of the shipped cards."""
    from agent.cli import main

    _use_cards(cards)
    main(args)


def _index_until(cards: Path, folder: Path, stall_in: str) -> None:
    """`align index FOLDER`, printing each file's name once it is indexed; inside the file
    named `stall_in` it stops after the first batch (with "-", it never stops)."""
    from agent import guidance
    from agent.cli import main

    real_index_file, real_write = guidance.Library._index_file, guidance.Library._write

    def index_file(self, collection, path, report) -> bool:
        indexed = real_index_file(self, collection, path, report)
        _ack(path.name)
        return indexed

    def write(self, collection, *rest) -> None:
        if rest[-1] == stall_in:
            collection = _StallAfterFirstBatch(collection)
        real_write(self, collection, *rest)

    guidance.Library._index_file, guidance.Library._write = index_file, write
    _use_cards(cards)
    main(["index", str(folder)])


if __name__ == "__main__":
    role, *arguments = sys.argv[1:]
    if role == "saver":
        _saver(Path(os.environ["ALIGN_HOME"]), int(arguments[0]))
    elif role == "stall":
        _stall(Path(os.environ["ALIGN_HOME"]), arguments[0])
    elif role == "build-homes":
        _build_homes(Path(arguments[0]))
    elif role == "align":
        _align(Path(arguments[0]), arguments[1:])
    elif role == "index-until":
        _index_until(Path(arguments[0]), Path(arguments[1]), arguments[2])
    elif role == "hold-lock":
        _hold_lock(Path(arguments[0]))
    else:
        sys.exit(f"unknown role {role!r}")


def test_a_run_that_fails_halfway_still_lists_its_files_for_a_repair(tmp_path: Path, monkeypatch) -> None:
    # The list of documents is written before the first passage, so an index run that
    # dies after one file (an exception here; a kill works the same) cannot leave an
    # indexed document unlisted, and a later repair brings every file back.
    from agent.guidance import Library

    cards = write_small_cards(tmp_path / "knowledge")
    docs = tmp_path / "docs"
    docs.mkdir()
    for name, (text, _) in DOC_FACTS.items():
        (docs / name).write_text(text, encoding="utf-8")
    home = tmp_path / "home"
    library = open_library(home, cards)
    library.ensure_index()
    real = Library._index_file
    calls = []

    def dies_on_the_second(self, collection, path, report):
        calls.append(path)
        if len(calls) == 2:
            raise RuntimeError("killed")
        return real(self, collection, path, report)

    monkeypatch.setattr(Library, "_index_file", dies_on_the_second)
    with pytest.raises(RuntimeError):
        library.index_paths([docs])
    monkeypatch.setattr(Library, "_index_file", real)
    listed = json.loads((home / "indexed-documents.json").read_text())
    assert sorted(Path(p).name for p in listed) == sorted(DOC_FACTS)

    garbage(home / "index" / "chroma.sqlite3")
    repaired = open_library(home, cards)
    repaired.ensure_index()
    assert_everything_found(repaired)
    (notice,) = repaired.notices
    assert f"{len(DOC_FACTS)} of your documents were indexed again" in notice


def test_a_file_whose_name_is_not_utf8_is_skipped_and_the_rest_indexed(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "plan.md").write_text("# Plan\n\nBook the Porto venue before March.\n", encoding="utf-8")
    (docs / os.fsdecode(b"caf\xe9.md")).write_text("# Cafe\n\nNotes.\n", encoding="utf-8")
    library = open_library(tmp_path / "home", write_small_cards(tmp_path / "knowledge"))
    library.ensure_index()
    report = library.index_paths([docs])
    assert report.added == ["plan.md"]
    [skipped] = report.skipped
    assert "not valid UTF-8" in skipped.reason and "caf\ufffd.md" in skipped.reason


def test_a_search_that_meets_a_rebuild_in_another_process_waits_and_reads_again(
    tmp_path: Path, monkeypatch
) -> None:
    # Readers take no lock: a collection dropped by another process's rebuild between two
    # reads raises once; the search waits for the writer's lock and reads the new index.
    from chromadb.errors import NotFoundError

    from agent.guidance import CARDS_COLLECTION

    library = open_library(tmp_path / "home", write_small_cards(tmp_path / "knowledge"))
    library.ensure_index()
    collection = library._collection(CARDS_COLLECTION)
    real_query, failures = type(collection).query, []

    def dropped_once(self, *args, **kwargs):
        if not failures:
            failures.append(1)
            raise NotFoundError("Collection cards does not exist")
        return real_query(self, *args, **kwargs)

    monkeypatch.setattr(type(collection), "query", dropped_once)
    assert library.search(CARD_QUESTION, k=1)[0].card_id == "boundaries"
    assert failures == [1]
