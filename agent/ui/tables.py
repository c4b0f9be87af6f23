"""Pure data shaping for the app: records as tables and lists, and edits back as records.

Nothing here draws on the screen or touches the store, so every function can be tested
without Streamlit. pandas (a Streamlit dependency) is imported inside the functions that
build frames, so importing this module stays cheap.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from agent.errors import UserError
from agent.inputs import SURROGATES, clean_text
from agent.records import (
    MAX_WEIGHT,
    Decision,
    DecisionCriterion,
    Goal,
    Priorities,
    PrioritizedTask,
    SmartCritique,
)

if TYPE_CHECKING:
    import pandas as pd

WEIGHT_COLUMN = "⚖ Weight"
"""The decision matrix's weight column; the mark keeps it apart from any option's name."""

SMART_LETTERS: tuple[tuple[str, str, str], ...] = (
    ("specific", "S", "Specific"),
    ("measurable", "M", "Measurable"),
    ("achievable", "A", "Achievable"),
    ("relevant", "R", "Relevant"),
    ("time_bound", "T", "Time-bound"),
)
"""(field of SmartCriteria, letter, label), in SMART order."""

QUADRANTS: tuple[tuple[str, str, str], ...] = (
    ("do", "Do now", "important and urgent"),
    ("schedule", "Schedule", "important, not urgent"),
    ("delegate", "Delegate", "urgent, not important"),
    ("drop", "Drop", "neither important nor urgent"),
    ("undecided", "Your call", "the wording does not say enough"),
)
"""(quadrant, heading, what puts a task there), in the order they are shown."""

KIND_LABELS: dict[str, str] = {
    "smart_critique": "SMART critiques",
    "goal": "Goals",
    "checkin": "Check-ins",
    "vision_draft": "Vision drafts",
    "vision_critique": "Vision critiques",
    "decision": "Decisions",
    "priorities": "Priority lists",
    "answer": "Answers",
    "reflection": "Reflections",
    "profile": "Profile",
}
"""A record kind as a person reads it."""

MAX_TASKS = 40
MAX_OPTIONS = 8
MAX_CRITERIA = 10


# --- SMART ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class LetterView:
    """One SMART letter as the card shows it."""

    key: str
    letter: str
    label: str
    status: str
    evidence: tuple[str, ...]
    feedback: str
    question: str | None


def smart_letters(critique: SmartCritique) -> list[LetterView]:
    """The five letters of a critique in SMART order, each with status, evidence and question."""
    views = []
    for key, letter, label in SMART_LETTERS:
        criterion = getattr(critique.criteria, key)
        views.append(LetterView(key, letter, label, criterion.status, tuple(criterion.evidence),
                                criterion.feedback, criterion.question))
    return views


def open_questions(critique: SmartCritique) -> list[str]:
    """The coach's questions for the letters not yet met, in SMART order, without repeats."""
    questions: list[str] = []
    for view in smart_letters(critique):
        if view.status != "met" and view.question and view.question not in questions:
            questions.append(view.question)
    return questions


# --- decisions --------------------------------------------------------------------------------


def decision_frame(decision: Decision) -> pd.DataFrame:
    """The decision matrix as the editor shows it: a row per criterion, its weight, a column per option.

    Scores are nullable integers, so a score not yet given is an empty cell.
    """
    import pandas as pd

    rows = {WEIGHT_COLUMN: [float(c.weight) for c in decision.criteria]}
    for option in decision.options:
        rows[option] = pd.array(
            [decision.scores.get(option, {}).get(c.name) for c in decision.criteria], dtype="Int64"
        )
    index = pd.Index([c.name for c in decision.criteria], name="Criterion")
    return pd.DataFrame(rows, index=index)


def _cell(value: Any) -> float | None:
    """A table cell as a number, or None when empty."""
    import pandas as pd

    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise UserError(f"{value!r} is not a number") from None
    return None if math.isnan(number) else number


def apply_frame(decision: Decision, frame: pd.DataFrame) -> Decision:
    """The decision with the weights and scores of an edited matrix (not yet re-evaluated).

    Rows and columns are matched by position to the decision's criteria and options, so
    the frame must have the shape that `decision_frame` gave. An empty weight keeps the old
    one; an empty score means "not rated yet". Raises UserError for a weight that is not
    a finite number above zero, or a score that is not a whole number from 1 to 5.
    """
    n_criteria, n_options = len(decision.criteria), len(decision.options)
    if frame.shape != (n_criteria, n_options + 1):
        raise UserError("the decision matrix changed shape; reload the decision and try again")
    criteria = []
    for row, criterion in enumerate(decision.criteria):
        weight = _cell(frame.iat[row, 0])
        if weight is None:
            weight = criterion.weight
        if not math.isfinite(weight):
            raise UserError(f"the weight of {criterion.name!r} must be a finite number")
        if weight <= 0:
            raise UserError(f"the weight of {criterion.name!r} must be above zero")
        if weight > MAX_WEIGHT and weight != criterion.weight:
            raise UserError(f"the weight of {criterion.name!r} must be at most {MAX_WEIGHT:,.0f}")
        criteria.append(DecisionCriterion(name=criterion.name, weight=weight))
    scores: dict[str, dict[str, int | None]] = {}
    for col, option in enumerate(decision.options, start=1):
        scores[option] = {}
        for row, criterion in enumerate(decision.criteria):
            value = _cell(frame.iat[row, col])
            if value is not None and not 1 <= value <= 5:
                raise UserError(f"scores run from 1 to 5 ({option!r} on {criterion.name!r} is {value:g})")
            if value is not None and not value.is_integer():
                raise UserError(f"scores are whole numbers ({option!r} on {criterion.name!r} is {value:g})")
            scores[option][criterion.name] = None if value is None else int(value)
    data = decision.model_dump()
    data.update(criteria=[c.model_dump() for c in criteria], scores=scores)
    return Decision.model_validate(data)


def totals_frame(decision: Decision) -> pd.DataFrame:
    """Each ranked option's weighted total (1-5), best first, for a bar chart."""
    import pandas as pd

    return pd.DataFrame(
        {"Weighted total": [r.total for r in decision.ranking]},
        index=pd.Index([r.option for r in decision.ranking], name="Option"),
    )


def unrated_cells(decision: Decision) -> list[tuple[str, str]]:
    """(option, criterion) pairs still without a score."""
    return [(o, c.name) for o in decision.options for c in decision.criteria
            if decision.scores.get(o, {}).get(c.name) is None]


def sensitivity_lines(decision: Decision) -> list[str]:
    """How firm the top choice is, one line per criterion (empty until every score is in)."""
    from agent.decision import describe_sensitivity

    if not decision.ranking:
        return []
    return [describe_sensitivity(item, decision) for item in decision.sensitivity]


def _split_items(text: str) -> list[str]:
    return [part.strip(" \t-*•") for part in re.split(r"[\n,;]", text) if part.strip(" \t-*•")]


def parse_options(text: str) -> list[str]:
    """Decision options from a text box: one per line (or comma separated); at least two."""
    options = _dedupe(_split_items(clean_text(text, "list of options")))
    if len(options) < 2:
        raise UserError("give at least two options to weigh")
    if len(options) > MAX_OPTIONS:
        raise UserError(f"too many options ({len(options)}; the limit is {MAX_OPTIONS})")
    return options


def parse_criteria(text: str) -> list[DecisionCriterion]:
    """Criteria from a text box, one per line as `name` or `name = weight` (weight 1 by default)."""
    criteria: list[DecisionCriterion] = []
    seen: set[str] = set()
    for line in _split_items(clean_text(text, "list of criteria")):
        name, _, weight_text = line.partition("=")
        name = name.strip()
        try:
            weight = float(weight_text) if weight_text.strip() else 1.0
        except ValueError:
            raise UserError(f"bad weight in {line!r}: write it as name = number") from None
        if not name or not math.isfinite(weight) or weight <= 0:
            raise UserError(f"bad criterion {line!r}: a name and a weight above zero")
        if weight > MAX_WEIGHT:
            raise UserError(f"bad criterion {line!r}: a weight of at most {MAX_WEIGHT:,.0f}")
        if name.casefold() not in seen:
            seen.add(name.casefold())
            criteria.append(DecisionCriterion(name=name, weight=weight))
    if not criteria:
        raise UserError("give at least one criterion")
    if len(criteria) > MAX_CRITERIA:
        raise UserError(f"too many criteria ({len(criteria)}; the limit is {MAX_CRITERIA})")
    return criteria


# --- goals ------------------------------------------------------------------------------------


def goal_scores_frame(goal: Goal) -> pd.DataFrame:
    """The SMART score of each version of a goal, oldest first."""
    import pandas as pd

    return pd.DataFrame(
        {"SMART score": [v.score for v in goal.versions]},
        index=pd.Index([v.version for v in goal.versions], name="Version"),
    )


def versions_frame(goal: Goal) -> pd.DataFrame:
    """A goal's versions as rows: number, wording, score, and whether it was SMART."""
    import pandas as pd

    return pd.DataFrame(
        [{"Version": v.version, "Wording": v.text, "Score": v.score, "SMART": v.smart}
         for v in goal.versions],
        columns=["Version", "Wording", "Score", "SMART"],
    )


def progress_frame(goal: Goal) -> pd.DataFrame:
    """Progress (%) by check-in date, for check-ins that gave one; dates ascending."""
    import pandas as pd

    points = sorted((c.on, c.progress) for c in goal.check_ins if c.progress is not None)
    return pd.DataFrame(
        {"Progress %": [p for _, p in points]},
        index=pd.DatetimeIndex([pd.Timestamp(d) for d, _ in points], name="Date"),
    )


def latest_progress(goal: Goal) -> int | None:
    """The most recent progress figure of a goal, or None when no check-in gave one."""
    dated = [(c.on, c.created_at, c.progress) for c in goal.check_ins if c.progress is not None]
    return max(dated)[2] if dated else None


# --- priorities -------------------------------------------------------------------------------


def quadrants(priorities: Priorities) -> dict[str, list[PrioritizedTask]]:
    """The tasks grouped by quadrant, every quadrant present, in display order."""
    groups: dict[str, list[PrioritizedTask]] = {q: [] for q, _, _ in QUADRANTS}
    for task in priorities.tasks:
        groups.setdefault(task.quadrant, []).append(task)
    return groups


def parse_task_list(text: str | None, max_chars: int = 8000) -> list[str]:
    """Tasks from a text area, one per line; list marks and check boxes are dropped."""
    cleaned = clean_text(text, "task list", max_chars=max_chars)
    tasks = []
    for line in cleaned.splitlines():
        task = re.sub(r"^\s*(?:[-*•]|\d+[.)]|\[[ xX]?\])\s*", "", line).strip()
        if task:
            tasks.append(task)
    tasks = _dedupe(tasks)
    if not tasks:
        raise UserError("the task list is empty")
    if len(tasks) > MAX_TASKS:
        raise UserError(f"too many tasks ({len(tasks)}; the limit is {MAX_TASKS})")
    return tasks


# --- profile and records ----------------------------------------------------------------------


def parse_values(text: str | None) -> list[str]:
    """Values from a text box, comma or line separated, without repeats; empty text is none.

    Each value is checked (length, count) when it is saved to the profile
    (`agent.store.edit_profile`); this only splits the text.
    """
    if text is None or not text.strip():
        return []
    return _dedupe(_split_items(clean_text(text, "list of values", max_chars=2000)))


def shown_text(text: str) -> str:
    """Text with any lone surrogate (bytes that were not UTF-8) replaced by U+FFFD, so it can be shown."""
    return SURROGATES.sub("\ufffd", text)


def _scrubbed(value: Any) -> Any:
    if isinstance(value, str):
        return shown_text(value)
    if isinstance(value, list):
        return [_scrubbed(v) for v in value]
    if isinstance(value, dict):
        return {_scrubbed(k): _scrubbed(v) for k, v in value.items()}
    return value


def shown_record(record: Any) -> Any:
    """The record itself, or a copy whose text can be shown (see `shown_text`)."""
    data = record.model_dump(mode="json")
    clean = _scrubbed(data)
    if clean == data:
        return record
    try:
        return type(record).model_validate(clean)
    except ValueError:
        return record  # two texts became one; the page's guard will say what failed


def record_counts(records: Iterable[Any]) -> dict[str, int]:
    """How many records of each kind, as a person reads the kind, most common first."""
    counts = Counter(KIND_LABELS.get(r.kind, r.kind) for r in records if r.kind != "profile")
    return dict(counts.most_common())


def short(text: str, width: int = 60) -> str:
    """Text on one line, cut to `width` characters with an ellipsis."""
    flat = " ".join(text.split())
    return flat if len(flat) <= width else flat[: width - 1].rstrip() + "…"


def full_card_positions(turns: Sequence[Any]) -> set[tuple[int, str]]:
    """(turn index, record id) of the records to draw in full; the rest are drawn compact.

    A decision scored over several turns, or a goal refined over several, appears in each
    turn that changed it; only its latest appearance gets the full card (and the editable
    matrix), so the conversation stays readable. A critique belongs to the goal saved in
    the same turn, so each refinement of one goal replaces the one before.
    """
    last: dict[str, tuple[int, str]] = {}
    for i, turn in enumerate(turns):
        goal_of = {v.critique_id: r.id for r in turn.records if r.kind == "goal"
                   for v in r.versions[-1:]}
        for record in turn.records:
            identity = goal_of.get(record.id, record.id) if record.kind == "smart_critique" else record.id
            last[f"{record.kind}:{identity}"] = (i, record.id)
    return set(last.values())


def index_report_lines(report: Any) -> list[str]:
    """What an indexing run did, as short sentences (from a `guidance.IndexReport`)."""
    lines = [f"{verb}: {', '.join(names)}" for names, verb in (
        (report.added, "Added"), (report.updated, "Updated"),
        (report.unchanged, "Already in the library, unchanged")) if names]
    if report.chunks:
        lines.append(f"{report.chunks} passage{'s' if report.chunks != 1 else ''} indexed.")
    return lines


MAIN_KINDS = frozenset({"goal", "vision_draft", "vision_critique", "decision", "priorities",
                        "answer", "reflection"})
"""Kinds that stand on their own in a list (critiques and check-ins belong to their goal)."""


def recent(records: Sequence[Any], n: int = 5) -> list[Any]:
    """The n most recently created records that stand on their own, newest first."""
    ordered = sorted((r for r in records if r.kind in MAIN_KINDS),
                     key=lambda r: r.created_at, reverse=True)
    return ordered[:n]


def _dedupe(items: Iterable[str]) -> list[str]:
    seen: set[str] = set()
    out = []
    for item in items:
        if item.casefold() not in seen:
            seen.add(item.casefold())
            out.append(item)
    return out
