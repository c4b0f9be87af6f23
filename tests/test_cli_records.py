"""Contract tests of `align records ...` and `align profile` (their JSON is a contract)."""

from __future__ import annotations

import io
import json
from datetime import date
from pathlib import Path

import pytest

from agent.cli import run
from agent.records import (
    CheckIn,
    Criterion,
    Decision,
    DecisionCriterion,
    RankedOption,
    Reflection,
    SmartCriteria,
    SmartCritique,
    parse_record,
)
from agent.store import Store

TODAY = date(2026, 11, 22)


def _critique(goal: str, score: int = 60) -> SmartCritique:
    ok = Criterion(status="met", feedback="Clear.")
    gap = Criterion(status="missing", feedback="No date.", question="By when?")
    return SmartCritique(goal=goal, today=TODAY, score=score, smart=False, rewrite=goal + " [by when?]",
                         category="personal growth",
                         criteria=SmartCriteria(specific=ok, measurable=ok, achievable=ok, relevant=ok,
                                                time_bound=gap))


@pytest.fixture
def store(align_home: Path) -> Store:
    return Store(align_home / "align.db")


@pytest.fixture
def saved(store: Store) -> dict:
    goal = store.start_goal(_critique("Read one leadership book a month"))
    goal = store.add_check_in(goal.id, CheckIn(on=TODAY, progress=30, note="One book done."))
    decision = store.save(Decision(
        question="Hire now or wait?", options=["now", "wait"],
        criteria=[DecisionCriterion(name="team load", weight=2)],
        scores={"now": {"team load": 5}, "wait": {"team load": 2}},
        ranking=[RankedOption(option="now", total=5), RankedOption(option="wait", total=2)],
        recommendation="now"))
    note = store.save(Reflection(on=TODAY, text="A calmer week."))
    return {"goal": goal, "decision": decision, "note": note}


def _ok(capsys, argv: list[str]) -> str:
    status = run(argv)
    out, err = capsys.readouterr()
    assert status == 0, err
    return out


def _fails(capsys, argv: list[str]) -> str:
    """Run a command that must fail with exit 2 and one line on stderr; return that line."""
    status = run(argv)
    out, err = capsys.readouterr()
    assert status == 2, (out, err)
    assert err.startswith("align: ") and err.count("\n") == 1, err
    assert "Traceback" not in err
    return err


def test_records_alone_shows_its_commands(capsys) -> None:
    out = _ok(capsys, ["records"])
    assert "Usage:" in out and all(name in out for name in ("list", "show", "export", "delete"))


# --- records list / show -----------------------------------------------------------------


def test_list_on_a_fresh_home_is_empty_and_creates_nothing(capsys, align_home: Path) -> None:
    assert _ok(capsys, ["records", "list"]).strip() == "No saved records yet."
    assert json.loads(_ok(capsys, ["records", "list", "--json"])) == []
    assert not align_home.exists()


def test_list_json_is_one_array_of_records(capsys, saved: dict, store: Store) -> None:
    out = _ok(capsys, ["records", "list", "--json"])
    assert out.count("\n") == 1
    items = json.loads(out)
    assert [parse_record(i) for i in items] == store.list()
    assert {i["kind"] for i in items} == {"goal", "smart_critique", "checkin", "decision", "reflection"}
    only = json.loads(_ok(capsys, ["records", "list", "--kind", "decision", "--json"]))
    assert [i["id"] for i in only] == [saved["decision"].id]


def test_list_table_has_id_kind_created_and_title(capsys, saved: dict) -> None:
    out = _ok(capsys, ["records", "list"])
    header, *rows = out.splitlines()
    assert header.split() == ["id", "kind", "created", "(UTC)", "title"]
    goal_row = next(r for r in rows if r.startswith(saved["goal"].id))
    assert "goal" in goal_row and "Read one leadership book a month (v1, active)" in goal_row
    assert any("Hire now or wait? → now" in r for r in rows)
    assert len(rows) == 5


def test_list_rejects_an_unknown_kind(capsys) -> None:
    assert "goals" in _fails(capsys, ["records", "list", "--kind", "goals"])


def test_show_json_and_text(capsys, saved: dict) -> None:
    goal = saved["goal"]
    assert parse_record(json.loads(_ok(capsys, ["records", "show", goal.id, "--json"]))) == goal
    text = _ok(capsys, ["records", "show", goal.id[:5]])
    assert text.startswith(f"# Goal {goal.id}")
    assert "| T · Time-bound | ✗ missing |" in text and "One book done." in text
    assert "- Recommendation: **now**" in _ok(capsys, ["records", "show", saved["decision"].id])


def test_show_an_unknown_id(capsys, saved: dict) -> None:
    assert "no record with id 'nope1234'" in _fails(capsys, ["records", "show", "nope1234"])


def test_terminal_escape_codes_in_records_are_not_printed(capsys, store: Store) -> None:
    store.save(Reflection(on=TODAY, text="\x1b]0;owned\x07\x1b[2J'); DROP TABLE records;--"))
    out = _ok(capsys, ["records", "list"])
    assert "\x1b" not in out and "\x07" not in out and "DROP TABLE records" in out


# --- records export --------------------------------------------------------------------


def test_export_markdown_to_stdout(capsys, saved: dict, store: Store) -> None:
    from agent.records import Profile

    store.save_profile(Profile(values=["curiosity"], vision="Keep learning in public."))
    text = _ok(capsys, ["records", "export"])
    assert text.startswith("# Personal development plan")
    assert "- Values: curiosity" in text and "Keep learning in public." in text
    assert "S✓ M✓ A✓ R✓ T✗" in text and "| T · Time-bound | ✗ missing |" in text
    assert "- Recommendation: **now**" in text and "A calmer week." in text


def test_export_json_reimports(capsys, saved: dict, store: Store) -> None:
    data = json.loads(_ok(capsys, ["records", "export", "--format", "json"]))
    assert set(data) == {"profile", "records"}
    assert [parse_record(r) for r in data["records"]] == store.list()
    assert parse_record(data["profile"]).kind == "profile"


def test_export_to_a_file(capsys, saved: dict, tmp_path: Path) -> None:
    target = tmp_path / "plan.json"
    target.write_text("old contents")
    out = _ok(capsys, ["records", "export", "--output", str(target)])
    assert out.strip() == f"exported 5 records (json) to {target}"
    assert len(json.loads(target.read_text())["records"]) == 5  # format taken from .json
    md_file = tmp_path / "plan.md"
    _ok(capsys, ["records", "export", "-o", str(md_file)])
    assert md_file.read_text().startswith("# Personal development plan")
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith("plan")) == ["plan.json", "plan.md"]


def test_export_never_writes_over_the_database(capsys, saved: dict, align_home: Path) -> None:
    db = align_home / "align.db"
    before = db.read_bytes()
    assert "database" in _fails(capsys, ["records", "export", "--output", str(db)])
    assert db.read_bytes() == before


def test_export_to_a_missing_folder(capsys, tmp_path: Path) -> None:
    assert "does not exist" in _fails(capsys, ["records", "export", "-o", str(tmp_path / "no" / "x.md")])


# --- records delete ---------------------------------------------------------------------


def test_delete_with_yes(capsys, saved: dict, store: Store) -> None:
    goal = saved["goal"]
    assert _ok(capsys, ["records", "delete", goal.id, "--yes"]).strip() == f"deleted goal {goal.id}"
    assert store.goals() == []
    assert len(store.list()) == 4  # its critique and check-in stay


def test_delete_without_a_terminal_refuses(capsys, saved: dict, store: Store, monkeypatch) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO("y\n"))
    assert "--yes" in _fails(capsys, ["records", "delete", saved["note"].id])
    assert store.get(saved["note"].id) == saved["note"]


@pytest.mark.parametrize(("answer", "kept"), [("y\n", False), ("n\n", True), ("\n", True)])
def test_delete_asks_at_a_terminal(capsys, saved: dict, store: Store, monkeypatch, answer, kept) -> None:
    monkeypatch.setattr("agent.commands.records._stdin_is_interactive", lambda: True)
    monkeypatch.setattr("sys.stdin", io.StringIO(answer))
    out = _ok(capsys, ["records", "delete", saved["note"].id])
    assert "Delete reflection" in out and "A calmer week." in out
    assert ("Nothing deleted." in out) is kept
    assert any(r.id == saved["note"].id for r in store.list()) is kept


def test_delete_an_unknown_id_asks_nothing(capsys, saved: dict) -> None:
    assert "no record with id" in _fails(capsys, ["records", "delete", "zzzz9999", "--yes"])


# --- profile --------------------------------------------------------------------------------


def test_profile_json_starts_empty_and_creates_nothing(capsys, align_home: Path) -> None:
    data = json.loads(_ok(capsys, ["profile", "--json"]))
    assert data["kind"] == "profile"
    assert (data["name"], data["values"], data["vision"], data["roles"]) == (None, [], None, [])
    assert "nothing yet" in _ok(capsys, ["profile"])
    assert not align_home.exists()


def test_profile_edits_are_saved_and_deduplicated(capsys, store: Store) -> None:
    data = json.loads(_ok(capsys, [
        "profile", "--json", "--name", " Sam ", "--add-value", "Integrity", "--add-value", " integrity ",
        "--add-value", "family", "--vision", "Lead teams that grow people.", "--add-role", "CTO"]))
    assert data["values"] == ["Integrity", "family"] and data["name"] == "Sam"
    assert data["vision"] == "Lead teams that grow people." and data["roles"] == ["CTO"]
    assert store.profile().model_dump(mode="json") == data
    data = json.loads(_ok(capsys, ["profile", "--json", "--remove-value", "FAMILY", "--remove-role", "cto",
                                   "--add-role", "parent"]))
    assert data["values"] == ["Integrity"] and data["roles"] == ["parent"]
    text = _ok(capsys, ["profile"])
    assert "values:  Integrity" in text and str(store.path) in text


@pytest.mark.parametrize("argv", [
    ["--add-value", ""], ["--add-value", "   "], ["--add-value", "v" * 81], ["--remove-value", "absent"],
    ["--name", ""], ["--vision", "x" * 2001], ["--add-role", "a\x00b"],
])
def test_profile_rejects_bad_edits_in_one_line(capsys, store: Store, argv: list[str]) -> None:
    store.save_profile(store.profile().model_copy(update={"values": ["care"]}))
    before = store.profile()
    _fails(capsys, ["profile", "--add-value", "kept?", *argv])
    assert store.profile() == before  # nothing half-applied


def test_profile_clear_forgets_everything(capsys, store: Store) -> None:
    _ok(capsys, ["profile", "--add-value", "care", "--name", "Sam"])
    assert "Forgot" in _ok(capsys, ["profile", "--clear"])
    assert store.list("profile") == [] and store.profile().values == []
    data = json.loads(_ok(capsys, ["profile", "--name", "Old", "--json"]))
    data = json.loads(_ok(capsys, ["profile", "--clear", "--add-value", "fresh", "--json"]))
    assert data["values"] == ["fresh"] and data["name"] is None
    assert [p.values for p in store.list("profile")] == [["fresh"]]


# --- damaged data directory ------------------------------------------------------------------


@pytest.mark.parametrize("argv", [["records", "list"], ["records", "export"], ["profile"],
                                  ["profile", "--add-value", "care"], ["records", "delete", "abcd1234", "--yes"]])
def test_a_database_that_is_not_sqlite_is_named_and_untouched(capsys, align_home: Path, argv) -> None:
    align_home.mkdir()
    db = align_home / "align.db"
    db.write_bytes(b"these are my private notes, not a database\n" * 20)
    before = db.read_bytes()
    assert str(db) in _fails(capsys, argv)
    assert db.read_bytes() == before and sorted(p.name for p in align_home.iterdir()) == ["align.db"]


def test_home_option_points_at_another_store(capsys, tmp_path: Path, align_home: Path) -> None:
    other = tmp_path / "elsewhere"
    _ok(capsys, ["--home", str(other), "profile", "--add-value", "care"])
    assert (other / "align.db").exists() and not align_home.exists()
