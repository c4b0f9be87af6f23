"""Property-based tests: the parsers and engines on arbitrary text never break their promises.

Each test states what a module promises for *any* input (hypothesis makes up the input:
full Unicode, right-to-left and zero-width marks, emoji, digits, dates, text up to the
input limit, and goal-like sentences from a small grammar) and checks it:

- `inputs.clean_text` returns stripped, bounded text without control characters, or one
  UserError line; it is idempotent.
- `when.find_when` never raises; its phrase is the text's own words; relative dates sit
  where `today` says they must.
- `smart.critique` returns a valid record: five letters, score 0-100, `smart` as defined,
  evidence quoted from the goal, a rewrite that invents no number; deterministic; JSON
  round trip. `smart.merge_answer` never raises and keeps the goal's numbers.
- `priorities.prioritize`: one row per task, a valid quadrant, deterministic.
- `vision`: `values_covered` tells the truth; known values are all named; critiques never
  raise.
- `decision`: totals and ranking as defined, recommendation, sensitivity changes that
  really bring a tie when applied with `set_weight`, finite numbers, JSON round trip.
- `intents`: every message gets a known intent; the parsers never raise but as documented.
- `documents`: sections and chunks lose no words and chunks stay within MAX_WORDS.
- `export` and `records`: any record renders and reads back equal from its JSON.

Hypothesis explores freely on a developer's machine; with `CI` set it is derandomized so
a CI failure reproduces. Nothing is written into the repository (no example database).
"""

from __future__ import annotations

import json
import math
import os
import re
import tempfile
import unicodedata
from datetime import UTC, date, datetime, timedelta
from fractions import Fraction
from pathlib import Path

# Hypothesis keeps caches in ./.hypothesis unless told otherwise; keep them out of the repo.
os.environ.setdefault(
    "HYPOTHESIS_STORAGE_DIRECTORY", str(Path(tempfile.gettempdir()) / "align-hypothesis")
)

import pytest  # noqa: E402
from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from agent import decision as dec  # noqa: E402
from agent import documents as docs  # noqa: E402
from agent.errors import UserError  # noqa: E402
from agent.export import (  # noqa: E402
    export_json,
    export_markdown,
    md,
    one_line,
    record_title,
    render_record,
    unescape_md,
)
from agent.inputs import clean_text, read_json_file  # noqa: E402
from agent.intents import (  # noqa: E402
    INTENTS,
    classify,
    extract_options,
    extract_tasks,
    extract_values,
    goal_text,
    parse_choice,
    parse_progress,
    parse_scores,
    parse_yes_no,
)
from agent.priorities import prioritize  # noqa: E402
from agent.records import (  # noqa: E402
    Answer,
    CheckIn,
    Citation,
    Criterion,
    Decision,
    DecisionCriterion,
    Goal,
    GoalVersion,
    Passage,
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
from agent.smart import LETTERS, critique, merge_answer  # noqa: E402
from agent.vision import critique_vision, draft_vision, names_value  # noqa: E402
from agent.when import MONTHS, WEEKDAYS, find_when  # noqa: E402

settings.register_profile(
    "align",
    database=None,
    deadline=None,
    derandomize=bool(os.environ.get("CI")),
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.load_profile("align")

TODAY = date(2026, 11, 22)
QUADRANTS = {"do", "schedule", "delegate", "drop", "undecided"}
VISION_CHECKS = ["names_values", "joins_work_and_life", "looks_ahead", "brief", "helps_say_no"]


# --- text ---------------------------------------------------------------------------------

ODD = [
    "\u200f",  # right-to-left mark
    "\u202e",  # right-to-left override
    "\u200b",  # zero-width space
    "\ufeff",  # byte order mark
    "\x00",
    "\x1b[31m",
    "\r\n",
    "\u2028",
    "e\u0301",  # e and a combining accent
    "😀",
    "👨‍👩‍👧",
    "עברית",
    "العربية",
    "学习中文",
    "٣",  # an Arabic-Indic digit
    "9" * 4400,  # past int()'s 4,300-digit limit
]
VERBS = [
    "run", "hire", "cut", "raise", "be", "get", "improve", "ship", "read", "save", "lose",
    "write", "learn", "delegate", "focus on", "I want to", "we will", "my goal is to",
]
OBJECTS = [
    "a marathon", "two engineers", "churn", "NPS", "10 books", "better", "things", "$5k",
    "my weight", "the pricing page", "more", "5 kg", "p95 latency", "the team",
]
AMOUNTS = [
    "", "from 12% to 20%", "by 30%", "3 times a week", "every Monday", "to 5", "10k", "0",
    "999999999999", "1.5", "-3", "8/10 confident", "with a coach", "using the budget",
    "1,000", "٣ times a week",
]
WHENS = [
    "", "by June", "by 2027-02-30", "by 2025-01-01", "by the end of next quarter", "soon",
    "in 999999999 years", "by Friday", "within 30 days", "before my 40th", "daily",
    "by Q3 2027", "by March 31", "tomorrow", "next spring", "by ٢٠٢٧-٠١-٠١",
]
ENDINGS = ["", ".", "!", "?", " lol", " because it matters", " so my family is proud", ", honestly"]


def _sentence(*parts: str) -> str:
    return " ".join(p for p in parts[:-1] if p) + parts[-1]


goal_like = st.builds(
    _sentence,
    st.sampled_from(VERBS),
    st.one_of(st.sampled_from(OBJECTS), st.sampled_from(ODD)),
    st.sampled_from(AMOUNTS),
    st.sampled_from(WHENS),
    st.sampled_from(ENDINGS),
)
odd_text = st.lists(st.one_of(st.sampled_from(ODD), st.text(max_size=8)), max_size=6).map("".join)
any_text = st.one_of(
    goal_like,
    odd_text,
    st.text(max_size=300),
    st.text(alphabet=st.characters(codec="utf-8"), max_size=2000),  # up to the input limit
    st.text(alphabet="0123456789 %/.,-$:abdeinkswy", max_size=300),
)
SMALL_ODD = ODD[:-1]  # all but the 4,400 digits
short_text = st.one_of(
    st.lists(st.one_of(st.sampled_from(SMALL_ODD), st.text(max_size=8)), max_size=6).map("".join),
    st.text(max_size=300),
)
JOINERS = "\n\t\u200c\u200d"


def numbers(text: str) -> set[str]:
    """The numbers in a text, written in ASCII digits ("٣" and "3" are the same number)."""
    return {
        "".join(str(unicodedata.decimal(d)) for d in n) for n in re.findall(r"\d+", text)
    }


def same_record(a, b) -> bool:
    """Equal but for the id and the time of making."""
    return a.model_dump(exclude={"id", "created_at"}) == b.model_dump(exclude={"id", "created_at"})


def one_line_error(error: Exception) -> bool:
    return bool(str(error)) and "\n" not in str(error)


# --- inputs -----------------------------------------------------------------------------------


@settings(max_examples=300)
@given(
    st.one_of(
        any_text, st.binary(max_size=200).map(lambda b: b.decode("utf-8", "surrogateescape"))
    ),
    st.integers(1, 2500),
)
def test_clean_text_returns_clean_bounded_text_or_one_error_line(text, limit):
    try:
        cleaned = clean_text(text, "goal", max_chars=limit)
    except UserError as e:
        assert one_line_error(e)
        return
    assert cleaned and cleaned == cleaned.strip() and len(cleaned) <= limit
    # Newlines, tabs and the zero-width joiners that hold emoji and scripts together stay.
    assert all(ch in JOINERS or unicodedata.category(ch) not in ("Cc", "Cf") for ch in cleaned)
    assert clean_text(cleaned, "goal", max_chars=limit) == cleaned


def test_a_text_of_only_zero_width_joiners_is_empty():
    with pytest.raises(UserError, match="empty"):
        clean_text("\u200d\u200c", "goal")


@settings(max_examples=150, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.one_of(short_text, st.from_regex(r'\[?\{?"?[a-z]*"?:? ?-?\d*\.?\d*e?\d*\]?\}?', fullmatch=True)))
def test_a_json_file_of_any_text_reads_or_is_refused_in_one_line(tmp_path, text):
    path = tmp_path / "data.json"
    path.write_text(text, encoding="utf-8", errors="surrogateescape")
    try:
        read_json_file(path, "decision file")
    except UserError as e:
        assert one_line_error(e)


def test_a_json_file_with_a_huge_integer_is_refused_in_one_line(tmp_path):
    path = tmp_path / "decision.json"
    path.write_text('{"question": "q", "options": [' + "9" * 5000 + "]}")
    with pytest.raises(UserError):
        read_json_file(path, "decision file")


def test_a_deeply_nested_json_file_is_refused_in_one_line(tmp_path):
    path = tmp_path / "decision.json"
    path.write_text("[" * 100_000 + "]" * 100_000)
    with pytest.raises(UserError):
        read_json_file(path, "decision file")


# --- when -------------------------------------------------------------------------------------

todays = st.dates(date(2000, 1, 1), date(2100, 12, 31))


@settings(max_examples=300)
@given(any_text, todays)
def test_find_when_never_raises_and_quotes_the_text(text, today):
    when = find_when(text, today)
    if when is None:
        return
    assert when.phrase in text
    assert when == find_when(text, today)
    assert not (when.vague and when.deadline)
    assert when.past == (when.deadline is not None and when.deadline < today)


@settings(max_examples=100)
@given(todays, st.integers(1, 3000), st.sampled_from(["in", "within"]), st.sampled_from(["days", "weeks"]))
def test_a_duration_counts_from_today(today, n, lead, unit):
    when = find_when(f"finish the report {lead} {n} {unit}", today)
    days = n if unit == "days" else 7 * n
    assert when.deadline == today + timedelta(days=days) and not when.past


@settings(max_examples=100)
@given(todays, st.sampled_from(sorted(m for m in MONTHS if len(m) > 3 or m == "may")))
def test_a_month_means_its_last_day_within_the_coming_year(today, month):
    deadline = find_when(f"launch by {month}", today).deadline
    assert deadline.month == MONTHS[month]
    assert (deadline + timedelta(days=1)).day == 1
    assert today <= deadline < today + timedelta(days=366)


@settings(max_examples=100)
@given(todays, st.integers(1, 4))
def test_a_quarter_means_its_last_day_within_the_coming_year(today, quarter):
    deadline = find_when(f"hire two engineers by Q{quarter}", today).deadline
    assert deadline.month == 3 * quarter
    assert today <= deadline < today + timedelta(days=366)


@settings(max_examples=100)
@given(todays, st.sampled_from(sorted(w for w in WEEKDAYS if len(w) > 5)))
def test_a_weekday_is_the_coming_one_and_next_is_the_week_after(today, day):
    coming = find_when(f"send the memo by {day}", today).deadline
    assert coming.weekday() == WEEKDAYS[day] and today <= coming <= today + timedelta(days=6)
    following = find_when(f"send the memo next {day}", today).deadline
    assert following.weekday() == WEEKDAYS[day]
    assert today < following <= today + timedelta(days=13)


@settings(max_examples=100)
@given(todays, st.dates(date(2000, 1, 1), date(2099, 12, 31)))
def test_an_iso_date_is_taken_as_written(today, day):
    when = find_when(f"file the patent by {day.isoformat()}", today)
    assert when.deadline == day and when.past == (day < today)


# --- smart ------------------------------------------------------------------------------------


def check_critique(c: SmartCritique) -> None:
    assert set(c.criteria.model_dump()) == set(LETTERS)
    judged = bool(c.values or c.vision)
    for name in LETTERS:
        letter = getattr(c.criteria, name)
        assert letter.status in ("met", "partial", "missing", "unknown")
        assert (letter.question is None) == (letter.status == "met")
        for quote in letter.evidence:
            assert quote in c.goal, (name, quote)
    if not judged:
        assert c.criteria.relevant.status == "unknown"
    assert 0 <= c.score <= 100
    assert c.smart == all(
        getattr(c.criteria, n).status == "met" for n in LETTERS if judged or n != "relevant"
    )
    assert c.rewrite.strip()
    # Blanks such as "[what version of this would you be 7/10 sure of?]" are questions.
    said = re.sub(r"\[[^\]]*\]", " ", c.rewrite)
    assert numbers(said) <= numbers(c.goal), (c.goal, c.rewrite)
    assert parse_record(c.model_dump_json()) == c


@settings(max_examples=300)
@given(any_text)
def test_a_critique_of_any_goal_is_a_valid_record(goal):
    try:
        c = critique(goal, today=TODAY)
    except UserError as e:
        assert one_line_error(e)
        return
    check_critique(c)
    assert same_record(critique(goal, today=TODAY), c)


values_lists = st.lists(
    st.one_of(st.sampled_from(["family", "health", "integrity", "craft", "", "  "]), odd_text),
    max_size=3,
)
visions = st.one_of(
    st.none(), st.sampled_from(["a calm home and a team that grows", "   "]), odd_text
)


@settings(max_examples=40)
@given(any_text, values_lists, visions)
def test_a_critique_against_values_or_a_vision_is_a_valid_record(goal, values, vision):
    try:
        c = critique(goal, today=TODAY, values=values, vision=vision)
    except UserError as e:
        assert one_line_error(e)
        return
    check_critique(c)


answers = st.one_of(
    st.sampled_from([
        "by March", "3 times a week", "skip", "no idea", "with my running club", "8/10", "7",
        "because my kids", "from 12% to 20%", "hire two engineers", "2027-01-01",
        "for my health", "I go to the gym twice a week", "10k steps a day", "((x))",
        "in 999999999 years",
    ]),
    any_text,
)
letters = st.sampled_from([None, *LETTERS])


@settings(max_examples=300)
@given(any_text, answers, letters)
def test_merging_any_answer_gives_a_goal_without_new_numbers(goal, answer, letter):
    try:
        before = critique(goal, today=TODAY).goal
        merged = merge_answer(goal, answer, today=TODAY, letter=letter)
    except UserError as e:
        assert one_line_error(e)
        return
    assert merged.strip()
    assert merged == merge_answer(goal, answer, today=TODAY, letter=letter)
    # "(confidence 7/10)": the scale of a rating is not a new number.
    said = re.sub(r"(?<=\d)/10\b", "", merged)
    assert numbers(said) <= numbers(before) | numbers(clean_text(answer, max_chars=len(answer)))
    check_critique(critique(merged, today=TODAY))


@settings(max_examples=150)
@given(
    any_text,
    st.sampled_from([
        "because it matters to my team", "with my running club", "for my health",
        "using the weekly 1:1s", "skip", "no idea",
    ]),
    letters,
)
def test_an_answer_that_adds_a_reason_or_means_keeps_the_goals_numbers(goal, answer, letter):
    try:
        before = critique(goal, today=TODAY).goal
    except UserError:
        return
    assert numbers(before) <= numbers(merge_answer(goal, answer, today=TODAY, letter=letter))


@settings(max_examples=100)
@given(any_text, st.sampled_from(["skip", "no idea", "pass", "dunno"]), letters)
def test_an_answer_that_passes_leaves_the_goal_as_it_was(goal, answer, letter):
    try:
        before = critique(goal, today=TODAY).goal
    except UserError:
        return
    assert merge_answer(goal, answer, today=TODAY, letter=letter) == before[:1].upper() + before[1:]


# --- priorities -------------------------------------------------------------------------------


@settings(max_examples=100)
@given(st.lists(any_text, max_size=6))
def test_triage_places_every_task_once_in_a_quadrant(tasks):
    try:
        placed = prioritize(tasks, today=TODAY)
    except UserError as e:
        assert one_line_error(e)
        return
    assert len(placed.tasks) == len(tasks)
    for row in placed.tasks:
        assert row.quadrant in QUADRANTS
        assert (row.quadrant == "undecided") == (row.important is None or row.urgent is None)
        assert row.task and row.reason
    assert same_record(prioritize(tasks, today=TODAY), placed)
    assert parse_record(placed.model_dump_json()) == placed


@settings(max_examples=20)
@given(st.lists(any_text, min_size=1, max_size=3), values_lists, visions)
def test_triage_with_values_places_every_task(tasks, values, vision):
    try:
        placed = prioritize(tasks, today=TODAY, values=values, vision=vision)
    except UserError as e:
        assert one_line_error(e)
        return
    assert len(placed.tasks) == len(tasks)
    assert {row.quadrant for row in placed.tasks} <= QUADRANTS


# --- vision -----------------------------------------------------------------------------------

KNOWN_VALUES = [
    "family", "integrity", "honest", "being present", "customers first", "my team",
    "time with my kids", "health", "learning", "lead by example", "adventure", "faith",
    "courage", "kindness", "growth", "Family", "  family ",
]
words_of_any_script = st.lists(
    st.text(alphabet=st.characters(categories=["Ll", "Lu", "Lo", "Nd"]), min_size=1, max_size=10),
    min_size=1,
    max_size=4,
).map(" ".join)
value_lists = st.lists(
    st.one_of(st.sampled_from(KNOWN_VALUES), words_of_any_script, odd_text), max_size=9
)


@settings(max_examples=60)
@given(
    value_lists,
    st.one_of(st.none(), st.sampled_from(["lead a school", "in 50 years I run a studio"]), odd_text),
    st.one_of(st.none(), st.integers(-3, 40)),
)
def test_a_draft_says_truthfully_which_values_it_names(values, aspirations, horizon):
    try:
        draft = draft_vision(values, aspirations, horizon)
    except UserError as e:
        assert one_line_error(e)
        return
    assert list(draft.values_covered) == draft.values
    for value in draft.values:
        assert draft.values_covered[value] == names_value(draft.statement, value)
    assert draft.statement.strip() and draft.statement not in draft.alternatives
    assert same_record(draft_vision(values, aspirations, horizon), draft)
    assert parse_record(draft.model_dump_json()) == draft


@settings(max_examples=40)
@given(
    st.lists(
        st.sampled_from(KNOWN_VALUES),
        min_size=1,
        max_size=6,
        unique_by=lambda v: " ".join(v.split()).casefold(),
    )
)
def test_a_draft_names_every_value_the_lexicon_knows(values):
    draft = draft_vision(values)
    assert all(draft.values_covered.values()), (draft.values_covered, draft.statement)


@settings(max_examples=150)
@given(any_text, st.lists(st.sampled_from(KNOWN_VALUES), max_size=4))
def test_a_vision_critique_of_any_text_runs_every_check(statement, values):
    try:
        checked = critique_vision(statement, values)
    except UserError as e:
        assert one_line_error(e)
        return
    assert [c.name for c in checked.checks] == VISION_CHECKS
    assert parse_record(checked.model_dump_json()) == checked


# --- decision ---------------------------------------------------------------------------------

names = st.text(
    alphabet=st.characters(categories=["Ll", "Lu", "Nd", "Zs", "Lo", "So"]), min_size=1, max_size=20
)
weights = st.one_of(
    st.floats(min_value=1e-6, max_value=dec.MAX_WEIGHT),
    st.floats(min_value=5e-324, max_value=1e-2),
    st.integers(1, 100),
    st.sampled_from([0.5, 1 / 3, 0.002, dec.MAX_WEIGHT, 999.999]),
)


def name_key(name: str) -> str:
    """Names that differ only in case and spacing are the same option or criterion."""
    return " ".join(name.split()).casefold()


SCORES = st.integers(1, 5)


@st.composite
def decision_data(draw, scores=SCORES):
    """A DECISION.json document: 2-8 options, 1-6 criteria, scores as drawn."""
    options = draw(st.lists(names, min_size=2, max_size=8, unique_by=name_key))
    criteria = draw(st.lists(names, min_size=1, max_size=6, unique_by=name_key))
    return {
        "question": "Which one?",
        "options": options,
        "criteria": [{"name": c, "weight": draw(weights)} for c in criteria],
        "scores": {o: {c: draw(scores) for c in criteria} for o in options},
    }


def exact_totals(decision: Decision, weight: dict[str, Fraction] | None = None) -> dict[str, Fraction]:
    w = {c.name: Fraction(c.weight) for c in decision.criteria} | (weight or {})
    total = sum(w.values())
    return {
        o: sum(w[c] * decision.scores[o][c] for c in w) / total for o in decision.options
    }


@settings(max_examples=200)
@given(decision_data())
def test_a_decision_ranks_recommends_and_measures_sensitivity_as_defined(data):
    try:
        d = dec.decision_from_data(data)
    except UserError as e:
        assert one_line_error(e)  # names that clean to the same thing, or to nothing
        return
    totals = exact_totals(d)
    ranked = [r.option for r in d.ranking]
    assert sorted(ranked) == sorted(d.options)
    assert [r.total for r in d.ranking] == sorted((r.total for r in d.ranking), reverse=True)
    assert all(1 <= r.total <= 5 and math.isfinite(r.total) for r in d.ranking)
    best = max(totals.values())
    top = ranked[0]
    assert totals[top] == best
    tied = sum(abs(t - best) <= dec.TIE_TOLERANCE for t in totals.values()) > 1
    assert d.recommendation == (None if tied else top)
    assert [s.criterion for s in d.sensitivity] == [c.name for c in d.criteria]
    for s in d.sensitivity:
        if s.weight_change is None:
            assert s.new_top is None
            continue
        assert math.isfinite(s.weight_change) and s.new_top in d.options and s.new_top != top
        if tied:
            assert s.weight_change == 0.0
            continue
        # Applied as a person would, the change is a valid weight that levels the two.
        old = next(c.weight for c in d.criteria if c.name == s.criterion)
        moved = dec.set_weight(d, s.criterion, old + s.weight_change)
        after = exact_totals(moved)
        # weight_change is rounded to 2 decimals: the tie holds to within that rounding.
        slack = Fraction(4, 100) / sum(Fraction(c.weight) for c in moved.criteria)
        assert abs(after[top] - after[s.new_top]) <= slack + Fraction(1, 10**9)
        dec.describe_sensitivity(s, d)
    assert parse_record(d.model_dump_json()) == d


@settings(max_examples=100)
@given(decision_data(scores=st.one_of(st.none(), st.integers(1, 5))))
def test_a_decision_with_scores_missing_ranks_nothing_yet(data):
    d = dec.evaluate(
        Decision(
            question=data["question"],
            options=data["options"],
            criteria=[DecisionCriterion(**c) for c in data["criteria"]],
            scores=data["scores"],
        )
    )
    missing = dec.unscored(d)
    assert len(missing) == sum(v is None for row in data["scores"].values() for v in row.values())
    if missing:
        assert d.ranking == [] and d.recommendation is None and d.sensitivity == []
    else:
        assert len(d.ranking) == len(d.options)
    assert parse_record(d.model_dump_json()) == d


@settings(max_examples=100)
@given(
    st.one_of(
        any_text,
        st.sampled_from([
            "Should I take the Berlin offer or the Lisbon one?",
            "hire Ann or Bob for the lead role",
            "Should I take this travel-heavy role? I care about my kids' school.",
            "A or B or C or D or E or F or G or H or I or J or K or L or M or N",
            "between , and ,", "or or or", "Should I ?", ": or :", "Which should I pick: or",
        ]),
    ),
    st.lists(st.sampled_from(["family", "health", "integrity"]), max_size=2),
)
def test_framing_any_question_gives_distinct_options_and_no_scores(question, values):
    try:
        d = dec.frame_decision(question, values=values)
    except UserError as e:
        assert one_line_error(e)
        return
    assert d.ranking == [] and d.recommendation is None
    assert len({name_key(o) for o in d.options}) == len(d.options)
    assert all(o.strip() for o in d.options) and len(d.options) <= dec.MAX_OPTIONS
    assert d.questions
    assert parse_record(d.model_dump_json()) == d


# --- intents ----------------------------------------------------------------------------------

EXPECTING = [
    None, *LETTERS, "check_in", "confirm", "values", "aspirations", "choose", "options",
    "criteria", "score", "tasks", "reflection", "goal",
]


@settings(max_examples=300)
@given(any_text, st.sampled_from(EXPECTING))
def test_every_message_gets_a_known_intent_and_parses_without_surprises(message, expecting):
    intent = classify(message, expecting=expecting)
    assert intent.name in INTENTS
    assert classify(message, expecting=expecting) == intent
    progress = parse_progress(message)
    assert progress is None or 0 <= progress <= 100
    choice = parse_choice(message, 3)
    assert choice is None or 0 <= choice < 3
    assert parse_yes_no(message) in (True, False, None)
    for pieces in (extract_values(message), extract_tasks(message), extract_options(message)):
        assert all(isinstance(p, str) and p for p in pieces)
    assert isinstance(goal_text(message), str)
    try:
        scores = parse_scores(message, ["Take it", "Stay"], "Take it")
    except ValueError as e:  # documented: a sentence for the person
        assert one_line_error(e) and len(str(e)) < 200
    else:
        assert all(1 <= s <= 5 for s in scores.values())


# --- documents --------------------------------------------------------------------------------

_WORD = re.compile(r"\w+")
doc_words = st.sampled_from([
    "alpha", "beta", "Gamma", "x.y.z", "https://a.b/c/d", "e.g.", "3.5", "1)", "-", "**bold**",
    "`code`", "😀", "עברית", "学习中文", "don't", "well-being", "_u_", "#tag", "a-b-c",
])
doc_sentence = st.lists(doc_words, min_size=1, max_size=30).map(lambda ws: " ".join(ws) + ".")
doc_line = st.one_of(
    st.lists(doc_sentence, min_size=1, max_size=20).map(" ".join),
    st.lists(doc_words, min_size=100, max_size=600).map(" ".join),  # a run-on line
    st.sampled_from(["", "---", "===", "```", "~~~", "...", "- item", "1. first", "  ", "\t"]),
    st.builds(lambda n, s: "#" * n + " " + s, st.integers(1, 7), doc_sentence),
    any_text,
)
markdown = st.lists(doc_line, max_size=30).map("\n".join)


def _body_lines(text: str) -> list[str]:
    """The lines after front matter, which markdown_sections documents dropping."""
    lines = text.splitlines()
    if lines and lines[0].strip() == "---":
        end = next((i for i in range(1, len(lines)) if lines[i].strip() in ("---", "...")), None)
        if end is not None:
            return lines[end + 1 :]
    return lines


@settings(max_examples=100)
@given(markdown)
def test_sections_and_chunks_keep_every_word_within_bounds(text):
    text = docs.clean_document_text(text)
    sections = docs.markdown_sections(text, "notes.md")
    assert sections[0][0] == "notes.md"
    kept = {w for label, body in sections for w in _WORD.findall(label + "\n" + body)}
    for line in _body_lines(text):
        # A heading keeps its words, not its link targets or emphasis marks.
        shown = docs.plain_text(line) if line.lstrip().startswith("#") else line
        assert set(_WORD.findall(shown)) <= kept, line
    chunks = docs.chunk_sections(sections)
    assert [c.number for c in chunks] == list(range(1, len(chunks) + 1))
    chunked = {w for c in chunks for w in _WORD.findall(c.text)}
    for _, body in sections:
        assert set(_WORD.findall(body)) <= chunked
    for c in chunks:
        assert c.text.strip() and docs.word_count(c.text) <= docs.MAX_WORDS


@settings(max_examples=200)
@given(any_text)
def test_sentences_are_stripped_and_cleaning_is_idempotent(text):
    assert all(s and s == s.strip() for s in docs.split_sentences(text))
    cleaned = docs.clean_document_text(text)
    assert docs.clean_document_text(cleaned) == cleaned
    assert all(
        ch in "\n\t" or unicodedata.category(ch) not in ("Cc", "Cf", "Co", "Cs") for ch in cleaned
    )


# --- records and export -----------------------------------------------------------------------

field_text = st.one_of(
    st.text(max_size=40),
    st.sampled_from(SMALL_ODD),
    st.sampled_from(["# heading", "| a | b |", "**x**", "<script>", "\\", "`", "1. item", "> q", "---"]),
)
maybe_text = st.one_of(st.none(), field_text)
days = st.dates(date(2000, 1, 1), date(2100, 1, 1))
moments = st.datetimes(datetime(2000, 1, 1), datetime(2100, 1, 1), timezones=st.just(UTC))
finite = st.floats(allow_nan=False, allow_infinity=False)
statuses = st.sampled_from(["met", "partial", "missing", "unknown"])
categories = st.sampled_from(["personal growth", "team development", "organizational impact"])
ids = {"id": field_text, "created_at": moments}
citations = st.lists(
    st.builds(Citation, card_id=field_text, title=field_text, source=field_text,
              section=field_text, quote=field_text),
    max_size=2,
)
criterion = st.builds(
    Criterion, status=statuses, evidence=st.lists(field_text, max_size=3), feedback=field_text,
    question=maybe_text,
)
critiques = st.builds(
    SmartCritique, goal=field_text, vision=maybe_text, values=st.lists(field_text, max_size=3),
    today=days, criteria=st.builds(SmartCriteria, **dict.fromkeys(LETTERS, criterion)),
    score=st.integers(0, 100), smart=st.booleans(), rewrite=field_text, category=categories,
    citations=citations, **ids,
)
check_ins = st.builds(
    CheckIn, goal_id=maybe_text, on=days, progress=st.one_of(st.none(), st.integers(0, 100)),
    note=field_text, **ids,
)
goals = st.builds(
    Goal, text=field_text, category=categories, status=st.sampled_from(["active", "done", "dropped"]),
    versions=st.lists(
        st.builds(GoalVersion, version=st.integers(1, 9), text=field_text, critique_id=maybe_text,
                  score=st.integers(0, 100), smart=st.booleans(), created_at=moments),
        max_size=3,
    ),
    check_ins=st.lists(check_ins, max_size=2), next_check_in=st.one_of(st.none(), days), **ids,
)
drafts = st.builds(
    VisionDraft, values=st.lists(field_text, max_size=3), aspirations=maybe_text,
    horizon_years=st.one_of(st.none(), st.integers(1, 30)), statement=field_text,
    alternatives=st.lists(field_text, max_size=2),
    values_covered=st.dictionaries(field_text, st.booleans(), max_size=3), chosen=st.booleans(),
    citations=citations, **ids,
)
vision_critiques = st.builds(
    VisionCritique, statement=field_text, values=st.lists(field_text, max_size=3),
    checks=st.lists(
        st.builds(VisionCheck, name=st.sampled_from(VISION_CHECKS), passed=st.booleans(),
                  feedback=field_text),
        max_size=5,
    ),
    citations=citations, **ids,
)


@st.composite
def decisions(draw) -> Decision:
    options = draw(st.lists(field_text, max_size=4))
    criteria = draw(st.lists(
        st.builds(DecisionCriterion, name=field_text,
                  weight=st.floats(min_value=1e-9, max_value=dec.MAX_WEIGHT)),
        max_size=3,
    ))
    return Decision(
        question=draw(field_text), options=options, criteria=criteria,
        scores={o: {c.name: draw(st.one_of(st.none(), st.integers(1, 5))) for c in criteria}
                for o in options},
        ranking=draw(st.lists(st.builds(RankedOption, option=field_text, total=finite), max_size=3)),
        recommendation=draw(maybe_text),
        sensitivity=draw(st.lists(
            st.builds(Sensitivity, criterion=field_text,
                      weight_change=st.one_of(st.none(), finite), new_top=maybe_text),
            max_size=3,
        )),
        conflicts=draw(st.lists(
            st.builds(ValueConflict, option=field_text, value=field_text, reason=field_text),
            max_size=2,
        )),
        questions=draw(st.lists(field_text, max_size=2)), citations=draw(citations),
        id=draw(field_text), created_at=draw(moments),
    )


priorities = st.builds(
    Priorities, today=days,
    tasks=st.lists(
        st.builds(PrioritizedTask, task=field_text, important=st.one_of(st.none(), st.booleans()),
                  urgent=st.one_of(st.none(), st.booleans()), quadrant=st.sampled_from(sorted(QUADRANTS)),
                  action=field_text, reason=field_text),
        max_size=3,
    ),
    citations=citations, **ids,
)
answers_records = st.builds(
    Answer, question=field_text, answer=field_text,
    passages=st.lists(
        st.builds(Passage, card_id=field_text, title=field_text, source=field_text,
                  section=field_text, text=field_text, score=finite),
        max_size=2,
    ),
    found=st.booleans(), **ids,
)
reflections = st.builds(
    Reflection, on=days, text=field_text, goal_id=maybe_text,
    prompts=st.lists(field_text, max_size=2), **ids,
)
profiles = st.builds(
    Profile, name=maybe_text, values=st.lists(field_text, max_size=3), vision=maybe_text,
    roles=st.lists(field_text, max_size=2), **ids,
)
records = st.one_of(
    critiques, check_ins, goals, drafts, vision_critiques, decisions(), priorities,
    answers_records, reflections, profiles,
)
TERMINAL_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


@settings(max_examples=200)
@given(records)
def test_any_record_reads_back_from_its_json_and_renders_safely(record):
    assert parse_record(record.model_dump_json()) == record
    assert parse_record(record.model_dump(mode="json")) == record
    view = render_record(record, today=TODAY)
    assert not TERMINAL_CONTROLS.search(view.replace("\n", ""))
    title = record_title(record)
    assert "\n" not in title and len(title) <= 60


SECTIONS = {
    "## Values and vision", "## Goals", "## Vision drafts", "## Decisions", "## Reflections",
    "## Other saved records",
}


@settings(max_examples=100)
@given(profiles, st.lists(records, max_size=5), days)
def test_the_plan_and_the_json_export_hold_any_records(profile, saved, today):
    plan = export_markdown(profile, saved, today)
    lines = plan.splitlines()
    assert not TERMINAL_CONTROLS.search(plan.replace("\n", ""))
    # The person's text cannot add a heading: only the plan's own sections are headings.
    assert [x for x in lines if x.startswith("# ")] == ["# Personal development plan"]
    assert {x for x in lines if x.startswith("## ")} <= SECTIONS
    data = json.loads(json.dumps(export_json(profile, saved)))
    assert [parse_record(r) for r in data["records"]] == [r for r in saved if r.kind != "profile"]
    assert parse_record(data["profile"]) == profile


@settings(max_examples=200)
@given(any_text)
def test_inline_markdown_is_one_line_and_unescapes_to_the_text(text):
    shown = md(text)
    assert "\n" not in shown and "\r" not in shown
    assert unescape_md(shown) == one_line(text)
