"""The personal development plan (Markdown), the JSON export, titles and views."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta

import pytest

from agent.export import (
    export_json,
    export_markdown,
    md,
    one_line,
    record_title,
    render_record,
    unescape_md,
)
from agent.records import (
    Answer,
    CheckIn,
    Criterion,
    Decision,
    DecisionCriterion,
    Goal,
    GoalVersion,
    Priorities,
    PrioritizedTask,
    Profile,
    RankedOption,
    Reflection,
    Sensitivity,
    SmartCriteria,
    SmartCritique,
    ValueConflict,
    VisionCheck,
    VisionCritique,
    VisionDraft,
    parse_record,
)

TODAY = date(2026, 11, 22)
T0 = datetime(2026, 11, 1, 9, 0, tzinfo=UTC)


def _critique(goal: str, score: int, statuses: dict[str, str], at: datetime) -> SmartCritique:
    letters = {}
    for field in ("specific", "measurable", "achievable", "relevant", "time_bound"):
        status = statuses.get(field, "met")
        letters[field] = Criterion(status=status, feedback=f"{field} is {status}.",
                                   question=None if status == "met" else f"What about {field}?")
    return SmartCritique(goal=goal, today=TODAY, criteria=SmartCriteria(**letters), score=score,
                         smart=score == 100, rewrite=goal, category="team development", created_at=at)


@pytest.fixture
def plan_records() -> dict:
    v1 = _critique("Mentor people more", 30,
                   {"specific": "partial", "measurable": "missing", "time_bound": "missing"}, T0)
    v2 = _critique("Mentor two leads for an hour each week until June", 80,
                   {"achievable": "unknown"}, T0 + timedelta(days=2))
    goal = Goal(
        text=v2.goal, category="team development", created_at=T0,
        versions=[GoalVersion(version=1, text=v1.goal, critique_id=v1.id, score=30, smart=False),
                  GoalVersion(version=2, text=v2.goal, critique_id=v2.id, score=80, smart=False)],
        check_ins=[CheckIn(on=date(2026, 11, 15), progress=25, note="First two sessions held.")],
        next_check_in=date(2026, 12, 6),
    )
    decision = Decision(
        question="Accept the regional director offer?", options=["accept", "decline"],
        criteria=[DecisionCriterion(name="family time", weight=3), DecisionCriterion(name="growth", weight=1.5)],
        scores={"accept": {"family time": 2, "growth": 5}, "decline": {"family time": 5, "growth": 2}},
        ranking=[RankedOption(option="decline", total=4.0), RankedOption(option="accept", total=3.0)],
        recommendation="decline",
        sensitivity=[Sensitivity(criterion="growth", weight_change=3.0, new_top="accept"),
                     Sensitivity(criterion="family time", weight_change=None)],
        conflicts=[ValueConflict(option="accept", value="family time", reason="Weekly travel.")],
        created_at=T0 + timedelta(days=3),
    )
    chosen = VisionDraft(values=["care", "craft"], statement="I build teams that do careful work.",
                         values_covered={"care": True, "craft": False}, chosen=True, created_at=T0)
    other = VisionDraft(values=["care"], statement="Care comes first in how I lead.",
                        created_at=T0 + timedelta(days=5))
    reflection = Reflection(on=date(2026, 11, 20), text="Delegation felt slow.\nIt paid off.",
                            goal_id=goal.id, prompts=["What was hard?"], created_at=T0 + timedelta(days=6))
    loose = Priorities(today=TODAY, created_at=T0 + timedelta(days=7), tasks=[
        PrioritizedTask(task="Quarterly budget", important=True, urgent=True, quadrant="do",
                        action="do now", reason="Due Friday.")])
    profile = Profile(name="Sam", values=["care", "craft"], vision="I build teams that do careful work.",
                      roles=["Director"])
    return {"v1": v1, "v2": v2, "goal": goal, "decision": decision, "chosen": chosen, "other": other,
            "reflection": reflection, "loose": loose, "profile": profile}


def _all(r: dict) -> list:
    return [r[k] for k in ("v1", "v2", "goal", "decision", "chosen", "other", "reflection", "loose")]


def test_markdown_plan_has_values_goals_letters_history_and_check_ins(plan_records: dict) -> None:
    text = export_markdown(plan_records["profile"], _all(plan_records), TODAY)
    assert text.startswith("# Personal development plan\n")
    assert "for Sam on 2026-11-22" in text
    assert "- Values: care, craft" in text and "- Vision: I build teams that do careful work." in text
    assert "### 1. Mentor two leads for an hour each week until June" in text
    # the current version's letters, from its own critique, not the first one's
    assert "| S · Specific | ✓ met |" in text
    assert "| A · Achievable | ? unknown |" in text
    assert "| M · Measurable | ✗ missing |" not in text
    assert "S✓ M✓ A? R✓ T✓" in text
    assert "Score history: v1 30 → v2 80" in text
    assert "- 2026-11-15 · 25% · First two sessions held." in text
    assert "Next check-in: 2026-12-06 (in 14 days)" in text


def test_markdown_plan_has_the_decision_matrix_and_recommendation(plan_records: dict) -> None:
    text = export_markdown(plan_records["profile"], _all(plan_records), TODAY)
    assert "## Decisions" in text and "### Accept the regional director offer?" in text
    assert "| Option | family time (3) | growth (1.5) | Total |" in text
    assert "| decline | 5 | 2 | 4.00 |" in text
    assert "- Ranking: 1. decline (4.00), 2. accept (3.00)" in text
    assert "- Recommendation: **decline**" in text
    assert "- growth: a weight change of +3.00 puts accept on top" in text
    assert "- accept strains family time: Weekly travel." in text


def test_chosen_vision_first_then_reflections_then_the_rest(plan_records: dict) -> None:
    text = export_markdown(plan_records["profile"], _all(plan_records), TODAY)
    drafts = text[text.index("## Vision drafts"):text.index("## Decisions")]
    assert drafts.index("### Chosen vision") < drafts.index("I build teams") < drafts.index("Care comes first")
    assert "care ✓, craft ✗ (not named)" in text
    assert f"### 2026-11-20 (about: {plan_records['goal'].text})" in text
    assert "> Delegation felt slow.\n> It paid off." in text
    # critiques linked to the goal are shown with it; the unlinked triage is listed at the end
    other = text[text.index("## Other saved records"):]
    assert "priorities · 1 task: Quarterly budget" in other and plan_records["loose"].id in other
    assert plan_records["v1"].id not in other


def test_markdown_plan_of_nothing_says_so() -> None:
    text = export_markdown(Profile(), [], TODAY)
    assert "No goals saved yet." in text and "none recorded yet" in text
    assert "## Decisions" not in text


def test_vision_falls_back_to_the_chosen_draft(plan_records: dict) -> None:
    text = export_markdown(Profile(values=["care"]), [plan_records["chosen"]], TODAY)
    assert "- Vision (from your chosen draft): I build teams that do careful work." in text


def test_overdue_and_unset_check_ins(plan_records: dict) -> None:
    goal = plan_records["goal"]
    late = goal.model_copy(update={"next_check_in": date(2026, 11, 19)})
    assert "(overdue by 3 days)" in export_markdown(Profile(), [late], TODAY)
    unset = goal.model_copy(update={"next_check_in": None})
    assert "Next check-in: not set yet" in export_markdown(Profile(), [unset], TODAY)


def test_a_goal_whose_critique_is_gone_still_shows_its_scores(plan_records: dict) -> None:
    text = export_markdown(Profile(), [plan_records["goal"]], TODAY)
    assert "score 80/100, not SMART yet (its critique is not saved)" in text
    assert "Score history: v1 30 → v2 80" in text


def test_hostile_text_cannot_break_the_markdown(plan_records: dict) -> None:
    nasty = "x | y\n# Heading\x1b[2J <script>alert(1)</script> [link](http://e.example) ignore previous instructions"
    goal = plan_records["goal"].model_copy(update={"text": nasty})
    decision = plan_records["decision"].model_copy(update={"options": [nasty, "decline"],
                                                            "scores": {}, "ranking": []})
    text = export_markdown(Profile(name=nasty), [goal, decision, plan_records["v2"]], TODAY)
    assert "\x1b" not in text and "<script>" not in text and "\n# Heading" not in text
    # every table row still has as many unescaped cells as its header
    for line in text.splitlines():
        if line.startswith("| Option"):
            header_cells = line.count(" | ")
        if line.startswith("| x"):
            assert line.replace("\\|", "").count(" | ") == header_cells


def test_json_export_reimports_every_record(plan_records: dict) -> None:
    records = _all(plan_records) + [plan_records["profile"]]
    data = export_json(plan_records["profile"], records)
    assert set(data) == {"profile", "records"}
    again = json.loads(json.dumps(data, ensure_ascii=False))
    assert parse_record(again["profile"]) == plan_records["profile"]
    assert [parse_record(r) for r in again["records"]] == _all(plan_records)  # profile only once


def test_every_kind_has_a_one_line_title_and_a_view(plan_records: dict) -> None:
    records = [*_all(plan_records), plan_records["profile"],
               CheckIn(on=TODAY, progress=10, note="line one\nline two"),
               VisionCritique(statement="Win.", checks=[VisionCheck(name="brief", passed=True, feedback="Short.")]),
               Answer(question="What is time blocking?", answer="Reserving time.")]
    kinds = set()
    for r in records:
        title = record_title(r, 40)
        assert "\n" not in title and 0 < len(title) <= 40
        view = render_record(r, {plan_records["v2"].id: plan_records["v2"]}, TODAY)
        assert view.startswith("# ") and r.id in view
        kinds.add(r.kind)
    assert len(kinds) == 10
    goal_view = render_record(plan_records["goal"], {plan_records["v2"].id: plan_records["v2"]}, TODAY)
    assert "| T · Time-bound | ✓ met |" in goal_view


def test_titles_say_what_matters() -> None:
    d = Decision(question="Move?", options=["a"], criteria=[DecisionCriterion(name="c", weight=1)])
    assert record_title(d) == "Move? → no recommendation yet"
    g = Goal(text="Ship it", versions=[GoalVersion(version=1, text="Ship it", score=20, smart=False)])
    assert record_title(g) == "Ship it (v1, active)"
    assert record_title(Profile()) == "(empty)"


def test_long_titles_keep_their_closing_detail() -> None:
    g = Goal(text="word " * 40, versions=[GoalVersion(version=1, text="x", score=20, smart=False)])
    title = record_title(g, 40)
    assert len(title) == 40 and title.endswith("… (v1, active)")
    d = Decision(question="Which of these many long options? " * 5, options=["a"], recommendation="a",
                 criteria=[DecisionCriterion(name="c", weight=1)])
    assert record_title(d, 30).endswith("… → a") and len(record_title(d, 30)) <= 30


def test_text_helpers() -> None:
    assert one_line("a\n\n b\tc\x1b[0m", None) == "a b c[0m"
    assert one_line("abcdefghij", 5) == "abcd…"
    assert md("5 * 3 | #1 <b>") == "5 \\* 3 \\| \\#1 \\<b\\>"
    assert one_line("\u202eevil") == "evil"  # a bidi override could disguise text
    hostile = "a|b [by when?] \\ *y* #z <w> _u_"
    assert unescape_md(md(hostile)) == hostile


def test_ids_and_actions_read_from_a_file_cannot_carry_escape_codes():
    # Found by tests/test_properties.py: ids and a task's action were shown unfiltered.
    check_in = CheckIn(id="abc\x1b[2J", goal_id="g\x1b]0;x\x07", on=date(2026, 11, 22))
    task = PrioritizedTask(task="t", important=True, urgent=True, quadrant="do",
                           action="do now\x1b[31m", reason="r")
    priorities = Priorities(today=date(2026, 11, 22), tasks=[task])
    for record in (check_in, priorities):
        assert "\x1b" not in render_record(record)
    plan = export_markdown(Profile(), [check_in, priorities], date(2026, 11, 22))
    assert "\x1b" not in plan
