"""Records as text: one-line titles, readable views, the Markdown plan and the JSON export.

Pure functions over records: nothing here reads the database or the clock (`today` is a
parameter). Text from people is escaped for Markdown and stripped of terminal control
characters, so a goal full of `|`, `#` or escape codes cannot break a table or a terminal.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from datetime import date

from agent.inputs import UNSAFE_CHARS
from agent.records import (
    Answer,
    CheckIn,
    Decision,
    Goal,
    Priorities,
    Profile,
    Record,
    Reflection,
    SmartCritique,
    VisionCritique,
    VisionDraft,
)

LETTERS: tuple[tuple[str, str, str], ...] = (
    ("specific", "S", "Specific"),
    ("measurable", "M", "Measurable"),
    ("achievable", "A", "Achievable"),
    ("relevant", "R", "Relevant"),
    ("time_bound", "T", "Time-bound"),
)
"""SMART letters: field of SmartCriteria, letter, name."""

STATUS_MARKS = {"met": "✓ met", "partial": "~ partial", "missing": "✗ missing", "unknown": "? unknown"}

KIND_LABELS = {
    "smart_critique": "SMART critique",
    "goal": "goal",
    "checkin": "check-in",
    "vision_draft": "vision draft",
    "vision_critique": "vision critique",
    "decision": "decision",
    "priorities": "priorities",
    "answer": "answer",
    "reflection": "reflection",
    "profile": "profile",
}
"""How each kind is named in prose."""

_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|#~!])")


def safe_text(text: str) -> str:
    """Text without control characters that a terminal or viewer would act on."""
    # Newlines and tabs are handled by the callers; emoji joiners stay, or family emoji break.
    return UNSAFE_CHARS.sub("", text)


def one_line(text: str, width: int | None = None) -> str:
    """Text on one line (whitespace collapsed), cut to `width` characters with an ellipsis."""
    flat = " ".join(safe_text(text).split())
    if width is not None and len(flat) > width:
        return flat[: max(width - 1, 0)].rstrip() + "…"
    return flat


def _escape(text: str) -> str:
    return _MD_SPECIAL.sub(r"\\\1", text)


def md(text: str | None) -> str:
    """Person's text as inline Markdown: one line, special characters escaped."""
    return _escape(one_line(text or ""))


def md_quote(text: str) -> str:
    """Person's text, possibly several lines, as a Markdown block quote."""
    lines = safe_text(text).replace("\t", " ").splitlines() or [""]
    return "\n".join(f"> {_escape(line.strip())}".rstrip() for line in lines)


def _row(cells: Iterable[object]) -> str:
    return "| " + " | ".join(str(c) for c in cells) + " |"


def _table(header: Sequence[str], rows: Iterable[Sequence[object]]) -> list[str]:
    return [_row(header), _row("---" for _ in header), *(_row(r) for r in rows)]


def _number(value: float) -> str:
    return f"{value:.2f}".rstrip("0").rstrip(".") if value != int(value) else str(int(value))


# --- one-line titles -------------------------------------------------------------------


def record_title(record: Record, width: int | None = 60) -> str:
    """A one-line summary of any record, for lists; a cut keeps the closing detail."""
    suffix = ""
    match record:
        case SmartCritique():
            text, suffix = record.goal, f" ({record.score}/100{', SMART' if record.smart else ''})"
        case Goal():
            text, suffix = record.text, f" (v{len(record.versions)}, {record.status})"
        case CheckIn():
            progress = f"{record.progress}% " if record.progress is not None else ""
            text = f"{record.on} {progress}{record.note}"
        case VisionDraft():
            text = ("chosen: " if record.chosen else "") + record.statement
        case VisionCritique():
            passed = sum(c.passed for c in record.checks)
            text, suffix = record.statement, f" ({passed}/{len(record.checks)} checks passed)"
        case Decision():
            text = record.question
            suffix = f" → {one_line(record.recommendation or 'no recommendation yet', 30)}"
        case Priorities():
            count = len(record.tasks)
            text = f"{count} task{'s' if count != 1 else ''}: " + "; ".join(t.task for t in record.tasks)
        case Answer():
            text = record.question
        case Reflection():
            text = f"{record.on} {record.text}"
        case Profile():
            parts = [record.name or "", ", ".join(record.values)]
            text = " · ".join(p for p in parts if p) or "(empty)"
        case _:
            text = getattr(record, "kind", type(record).__name__)
    suffix = one_line(suffix)
    if width is None:
        return one_line(text) + (" " + suffix if suffix else "")
    room = width - len(suffix) - (1 if suffix else 0)
    if room < 10:  # too narrow to keep both: cut the whole line instead
        return one_line(f"{text} {suffix}", width)
    return one_line(text, room) + (" " + suffix if suffix else "")


_MD_ESCAPED = re.compile(r"\\([\\`*_\[\]<>|#~!])")


def unescape_md(text: str) -> str:
    """Undo `md` escaping, for showing Markdown as plain text in a terminal."""
    return _MD_ESCAPED.sub(r"\1", text)


# --- sections, one renderer per kind ----------------------------------------------------


def _citations(record: Record) -> list[str]:
    cites = getattr(record, "citations", [])
    if not cites:
        return []
    names = ", ".join(md(c.title or c.card_id) for c in cites)
    return ["", f"Guidance: {names}"]


def _smart_table(critique: SmartCritique) -> list[str]:
    rows = []
    for field, letter, name in LETTERS:
        verdict = getattr(critique.criteria, field)
        rows.append((f"{letter} · {name}", STATUS_MARKS[verdict.status], md(verdict.feedback)))
    return _table(("Letter", "Status", "Why"), rows)


def _smart_letters(critique: SmartCritique) -> str:
    """The five letters in a row, e.g. `S✓ M✓ A? R~ T✗`."""
    marks = {"met": "✓", "partial": "~", "missing": "✗", "unknown": "?"}
    return " ".join(
        f"{letter}{marks[getattr(critique.criteria, field).status]}" for field, letter, _ in LETTERS
    )


def render_critique(critique: SmartCritique) -> list[str]:
    """A SMART critique: the goal, each letter's verdict, the rewrite."""
    lines = [
        f"Goal: {md(critique.goal)}",
        "",
        f"Score {critique.score}/100 · {'SMART' if critique.smart else 'not SMART yet'} · "
        f"{critique.category} · {_smart_letters(critique)}",
        "",
        *_smart_table(critique),
    ]
    questions = [
        getattr(critique.criteria, f).question
        for f, _, _ in LETTERS
        if getattr(critique.criteria, f).question
    ]
    if critique.rewrite and critique.rewrite != critique.goal:
        lines += ["", f"Sharper wording: {md(critique.rewrite)}"]
    if questions:
        lines += ["", "Questions to answer:", *(f"- {md(q)}" for q in questions)]
    return lines + _citations(critique)


def _next_check_in(goal: Goal, today: date | None) -> str:
    if goal.next_check_in is None:
        return "Next check-in: not set yet; pick a date to review progress."
    when = goal.next_check_in.isoformat()
    if today is None or goal.status != "active":
        return f"Next check-in: {when}"
    days = (goal.next_check_in - today).days
    if days > 0:
        return f"Next check-in: {when} (in {days} day{'s' if days != 1 else ''})"
    if days == 0:
        return f"Next check-in: {when} (today)"
    return f"Next check-in: {when} (overdue by {-days} day{'s' if days != -1 else ''})"


def render_goal(
    goal: Goal,
    critiques: Mapping[str, SmartCritique] | None = None,
    today: date | None = None,
    with_text: bool = True,
) -> list[str]:
    """A goal: current wording, SMART status letter by letter, score history, check-ins."""
    critiques = critiques or {}
    lines = [f"Current wording: {md(goal.text)}", ""] if with_text else []
    lines.append(
        f"{goal.category} · {goal.status} · {len(goal.versions)} "
        f"version{'s' if len(goal.versions) != 1 else ''}"
    )
    current = goal.versions[-1] if goal.versions else None
    critique = critiques.get(current.critique_id or "") if current else None
    if critique is not None:
        lines += [
            "",
            f"SMART check of version {current.version}: score {critique.score}/100, "
            f"{'SMART' if critique.smart else 'not SMART yet'} · {_smart_letters(critique)}",
            "",
            *_smart_table(critique),
        ]
        if critique.rewrite and critique.rewrite != critique.goal:
            lines += ["", f"Sharper wording: {md(critique.rewrite)}"]
    elif current is not None:
        lines += [
            "",
            f"SMART check of version {current.version}: score {current.score}/100, "
            f"{'SMART' if current.smart else 'not SMART yet'} (its critique is not saved)",
        ]
    if goal.versions:
        history = " → ".join(
            f"v{v.version} {v.score}{' (SMART)' if v.smart else ''}" for v in goal.versions
        )
        lines += ["", f"Score history: {history}"]
    lines.append("")
    if goal.check_ins:
        lines.append("Check-ins:")
        for c in goal.check_ins:
            progress = f" · {c.progress}%" if c.progress is not None else ""
            note = f" · {md(c.note)}" if c.note else ""
            lines.append(f"- {c.on.isoformat()}{progress}{note}")
    else:
        lines.append("Check-ins: none yet.")
    lines += ["", _next_check_in(goal, today)]
    return lines


def render_check_in(check_in: CheckIn) -> list[str]:
    """A check-in: date, progress, note."""
    lines = [f"Check-in on {check_in.on.isoformat()}"]
    if check_in.goal_id:
        lines.append(f"Goal: {one_line(check_in.goal_id)}")
    if check_in.progress is not None:
        lines.append(f"Progress: {check_in.progress}%")
    if check_in.note:
        lines += ["", md_quote(check_in.note)]
    return lines


def render_vision_draft(draft: VisionDraft) -> list[str]:
    """A vision draft: the statement, which values it names, the alternatives."""
    lines = [md_quote(draft.statement), ""]
    covered = [
        f"{md(v)} {'✓' if draft.values_covered.get(v, False) else '✗ (not named)'}"
        for v in draft.values
    ]
    lines.append(f"Values: {', '.join(covered) if covered else 'none stated'}")
    if draft.aspirations:
        lines.append(f"Aspirations: {md(draft.aspirations)}")
    if draft.horizon_years:
        lines.append(f"Looking {draft.horizon_years} years ahead")
    if draft.alternatives:
        lines += ["", "Alternatives:", *(f"- {md(a)}" for a in draft.alternatives)]
    return lines + _citations(draft)


def render_vision_critique(critique: VisionCritique) -> list[str]:
    """A vision critique: the statement and each check."""
    lines = [md_quote(critique.statement), ""]
    rows = [(c.name.replace("_", " "), "✓ passed" if c.passed else "✗ not yet", md(c.feedback))
            for c in critique.checks]
    lines += _table(("Check", "Result", "Why"), rows)
    return lines + _citations(critique)


def render_decision(decision: Decision, with_question: bool = True) -> list[str]:
    """A decision: the matrix, the ranking, the recommendation, what could change it."""
    totals = {r.option: r.total for r in decision.ranking}
    header = ["Option", *(f"{md(c.name)} ({_number(c.weight)})" for c in decision.criteria), "Total"]
    rows = []
    for option in decision.options:
        scores = decision.scores.get(option, {})
        cells = [scores.get(c.name) for c in decision.criteria]
        total = totals.get(option)
        rows.append([
            md(option),
            *("?" if s is None else s for s in cells),
            "—" if total is None else f"{total:.2f}",
        ])
    lines = [f"Question: {md(decision.question)}", ""] if with_question else []
    lines += [*_table(header, rows), ""]
    if decision.ranking:
        ranked = ", ".join(
            f"{i}. {md(r.option)} ({r.total:.2f})" for i, r in enumerate(decision.ranking, 1)
        )
        lines.append(f"- Ranking: {ranked}")
    else:
        lines.append("- Ranking: not yet (some scores are missing).")
    if decision.recommendation:
        lines.append(f"- Recommendation: **{md(decision.recommendation)}**")
    else:
        lines.append("- Recommendation: none yet (scores missing or the top is tied).")
    moves = [s for s in decision.sensitivity if s.weight_change is not None]
    if moves:
        lines += ["", "What would change the top choice:"]
        lines += [
            f"- {md(s.criterion)}: a weight change of {s.weight_change:+.2f}"
            + (f" puts {md(s.new_top)} on top" if s.new_top else "")
            for s in moves
        ]
    elif decision.sensitivity:
        lines += ["", "No single weight change in range alters the top choice."]
    if decision.conflicts:
        lines += ["", "Value conflicts:"]
        lines += [f"- {md(c.option)} strains {md(c.value)}: {md(c.reason)}" for c in decision.conflicts]
    if decision.questions:
        lines += ["", "Open questions:", *(f"- {md(q)}" for q in decision.questions)]
    return lines + _citations(decision)


def render_priorities(priorities: Priorities) -> list[str]:
    """A triage: each task with its quadrant and reason."""
    rows = [(md(t.task), t.quadrant, md(t.action), md(t.reason)) for t in priorities.tasks]
    return [f"As of {priorities.today.isoformat()}", "",
            *_table(("Task", "Quadrant", "Action", "Why"), rows), *_citations(priorities)]


def render_answer(answer: Answer) -> list[str]:
    """An answer and the passages it rests on."""
    lines = [f"Question: {md(answer.question)}", "", md_quote(answer.answer)]
    if answer.passages:
        lines += ["", "Passages:"]
        lines += [f"- {md(p.title)} ({md(p.source)}, {md(p.section)})" for p in answer.passages]
    return lines


def render_reflection(reflection: Reflection) -> list[str]:
    """A reflection: date, the prompts it answers, the text."""
    lines = [f"Reflection on {reflection.on.isoformat()}"]
    if reflection.goal_id:
        lines.append(f"Goal: {one_line(reflection.goal_id)}")
    if reflection.prompts:
        lines += [f"- {md(p)}" for p in reflection.prompts]
    return [*lines, "", md_quote(reflection.text)]


def render_profile(profile: Profile) -> list[str]:
    """What Align remembers about the person."""
    return [
        f"- Name: {md(profile.name) if profile.name else 'not given'}",
        f"- Roles: {', '.join(md(r) for r in profile.roles) if profile.roles else 'none recorded'}",
        f"- Values: {', '.join(md(v) for v in profile.values) if profile.values else 'none recorded'}",
        f"- Vision: {md(profile.vision) if profile.vision else 'none recorded'}",
    ]


def render_record(
    record: Record, critiques: Mapping[str, SmartCritique] | None = None, today: date | None = None
) -> str:
    """A readable Markdown view of one record, headed by its kind, id and date."""
    label = KIND_LABELS.get(getattr(record, "kind", ""), "record")
    # Ids are ours, but a record read from a file may carry any text: keep it on one line.
    head = [f"# {label.capitalize()} {one_line(record.id)}", f"Created {record.created_at:%Y-%m-%d %H:%M} UTC", ""]
    match record:
        case SmartCritique():
            body = render_critique(record)
        case Goal():
            body = render_goal(record, critiques, today)
        case CheckIn():
            body = render_check_in(record)
        case VisionDraft():
            body = (["Chosen as the vision.", ""] if record.chosen else []) + render_vision_draft(record)
        case VisionCritique():
            body = render_vision_critique(record)
        case Decision():
            body = render_decision(record)
        case Priorities():
            body = render_priorities(record)
        case Answer():
            body = render_answer(record)
        case Reflection():
            body = render_reflection(record)
        case Profile():
            body = render_profile(record)
        case _:
            body = [record_title(record, None)]
    return "\n".join(head + body) + "\n"


# --- the personal development plan -------------------------------------------------------


def export_markdown(profile: Profile, records: Sequence[Record], today: date) -> str:
    """The personal development plan: values and vision, goals, visions, decisions, reflections.

    `records` is every saved record (any order); critiques are looked up by the goals that
    link them, and whatever no section covers is listed at the end so nothing is hidden.
    """
    by_kind: dict[str, list[Record]] = {}
    for r in sorted(records, key=lambda r: r.created_at, reverse=True):
        by_kind.setdefault(r.kind, []).append(r)
    critiques = {r.id: r for r in by_kind.get("smart_critique", []) if isinstance(r, SmartCritique)}
    goals = [g for g in by_kind.get("goal", []) if isinstance(g, Goal)]
    drafts = [d for d in by_kind.get("vision_draft", []) if isinstance(d, VisionDraft)]
    drafts.sort(key=lambda d: not d.chosen)  # stable: chosen first, each group newest first

    who = f" for {md(profile.name)}" if profile.name else ""
    out = [
        "# Personal development plan",
        "",
        f"Prepared{who} on {today.isoformat()} by Align, from the records you saved.",
        "",
        "## Values and vision",
        "",
    ]
    chosen = next((d for d in drafts if d.chosen), None)
    vision = profile.vision or (chosen.statement if chosen else None)
    out.append(f"- Values: {', '.join(md(v) for v in profile.values) if profile.values else 'none recorded yet'}")
    if vision:
        source = "" if profile.vision else " (from your chosen draft)"
        out.append(f"- Vision{source}: {md(vision)}")
    else:
        out.append("- Vision: none recorded yet")
    if profile.roles:
        out.append(f"- Roles: {', '.join(md(r) for r in profile.roles)}")

    out += ["", "## Goals", ""]
    if not goals:
        out.append("No goals saved yet.")
    linked: set[str] = set()
    for number, goal in enumerate(goals, 1):
        linked.update(v.critique_id for v in goal.versions if v.critique_id)
        linked.update(c.id for c in goal.check_ins)
        out += [f"### {number}. {md(goal.text)}", "", *render_goal(goal, critiques, today, with_text=False), ""]

    if drafts:
        out += ["## Vision drafts", ""]
        for draft in drafts:
            title = "Chosen vision" if draft.chosen else f"Draft of {draft.created_at:%Y-%m-%d}"
            out += [f"### {title}", "", *render_vision_draft(draft), ""]

    decisions = [d for d in by_kind.get("decision", []) if isinstance(d, Decision)]
    if decisions:
        out += ["## Decisions", ""]
        for decision in decisions:
            out += [f"### {md(decision.question)}", "", *render_decision(decision, with_question=False), ""]

    reflections = [r for r in by_kind.get("reflection", []) if isinstance(r, Reflection)]
    if reflections:
        out += ["## Reflections", ""]
        goal_text = {g.id: g.text for g in goals}
        for r in reflections:
            about = f" (about: {md(goal_text.get(r.goal_id, r.goal_id))})" if r.goal_id else ""
            out += [f"### {r.on.isoformat()}{about}", ""]
            out += [f"- {md(p)}" for p in r.prompts] + ([""] if r.prompts else [])
            out += [md_quote(r.text), ""]

    covered = {"goal", "vision_draft", "decision", "reflection", "profile"}
    rest = [r for r in sorted(records, key=lambda r: r.created_at, reverse=True)
            if r.kind not in covered and r.id not in linked]
    if rest:
        out += ["## Other saved records", ""]
        out += [
            f"- {r.created_at:%Y-%m-%d} · {KIND_LABELS.get(r.kind, r.kind)} · "
            f"{md(record_title(r, 100))} (`{one_line(r.id)}`)"
            for r in rest
        ]
        out.append("")
    return "\n".join(out).rstrip() + "\n"


def export_json(profile: Profile | None, records: Iterable[Record]) -> dict:
    """Everything as plain JSON data: `{"profile": ..., "records": [...]}`.

    The profile sits under its own key and not in `records`; each record is its
    `model_dump(mode="json")`, so `parse_record` reads every one back.
    """
    return {
        "profile": profile.model_dump(mode="json") if profile is not None else None,
        "records": [r.model_dump(mode="json") for r in records if r.kind != "profile"],
    }
