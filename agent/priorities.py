"""Eisenhower triage: each task placed by importance and urgency, with the words that say so.

Urgency comes from deadlines read with `agent.when` (due within a week, or overdue) and
from time-pressure words ("outage", "blocking", "ASAP"). Importance comes from what the
task serves (strategy, people, customers, real risk; health or family when the person's
values say so; the stated vision and values, by meaning) against busywork (newsletters,
formatting, routine admin). A task the rules cannot place is `undecided`, with the
unknown side null, so the person decides instead of the rules guessing silently.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date

from agent.errors import UserError
from agent.inputs import clean_text, refuse_instructions
from agent.records import Priorities, PrioritizedTask
from agent.topics import cite
from agent.when import find_when

__all__ = ["URGENT_DAYS", "prioritize", "triage"]

URGENT_DAYS = 7
"""A deadline this many days away or fewer makes a task urgent."""

ACTIONS = {
    "do": "do now",
    "schedule": "schedule",
    "delegate": "delegate",
    "drop": "drop",
    "undecided": "decide",
}

# (pattern, why) pairs: the first match names the reason, quoting the task's words.
URGENT_CUES: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(p, re.I), why)
    for p, why in (
        (
            r"\b(?:outage|(?:is|are)\s+down|went\s+down|incident|sev[- ]?[012]|p0|breach|crash\w*|"
            r"on\s+fire|broken)\b",
            "something is broken right now",
        ),
        (r"\b(?:overdue|past\s+due|late|missed\s+the\s+deadline)\b", "it is already overdue"),
        (
            r"\b(?:blocking|blocked|blocker|can'?t\s+(?:ship|proceed|start)\s+until)\b",
            "someone is blocked on it",
        ),
        (
            r"\b(?:asap|urgent\w*|emergency|immediately|right\s+away|right\s+now)\b",
            "it is flagged as urgent",
        ),
        (r"\b(?:escalat\w*)\b", "it is escalating"),
        (
            r"\b(?:(?:is|are|he'?s|she'?s|they'?re|i'?m)\s+waiting|waiting\s+(?:on|for)\s+(?:it|me|this|an?\s+answer))\b",
            "someone is waiting on it",
        ),
        (r"\b(?:hurts?|painful|bleeding|injur\w*|fever)\b", "it is an acute problem"),
        (
            r"\b(?:expires?|expiring|deadline)\b(?!\s+(?:in|next)\s+(?:\d+\s+)?(?:months?|year))",
            "it has a hard cut-off",
        ),
    )
)

IMPORTANT_CUES: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(p, re.I), why)
    for p, why in (
        (
            r"\b(?:outage|incident|security|breach|regulator\w*|legal|lawsuit|compliance|audit\w*|fines?|"
            r"broken\s+(?:build|deploys?|pipeline|release)|production|prod|"
            r"data\s+request|patch|vulnerabilit\w*|domain|payroll|taxes|insurance)\b",
            "it prevents real damage",
        ),
        (
            r"\b(?:strateg\w*|board|roadmap|budget|vision(?:\s+statement)?|succession|offsite|"
            r"hiring\s+plan|annual\s+plan|okrs?|fundraising|investors?|reorg\w*|restructur\w*|"
            r"all-hands|layoffs?)\b",
            "it shapes the direction of the work",
        ),
        (
            r"\b(?:customers?|clients?|escalat\w*|churn|renewal|key\s+account|migration)\b",
            "customers and revenue depend on it",
        ),
        (
            r"\b(?:1:1|one-on-one|performance\s+reviews?|promotion|career\s+(?:conversation|chat|talk)|"
            r"coach\w*|mentor\w*|feedback|360|onboard\w*|new\s+(?:vp|hire|manager|director)|"
            r"retention|competing\s+offer|resign\w*|hiring|hire\b|interview)\b",
            "it develops or keeps your people",
        ),
        (
            r"\b(?:cracked|hurts?|painful|injur\w*|symptom\w*|diagnos\w*)\b",
            "your health needs care",
        ),
    )
)

BUSYWORK_CUES: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(p, re.I), why)
    for p, why in (
        (
            r"\b(?:newsletters?|promo\w*|webinar|unsubscribe|likes|scroll\w*|social\s+media|"
            r"non-essential|fyi|optional|inbox|folders?|rename|tidy|recolou?r|fonts?|"
            r"formatting|format)\b",
            "busywork that changes nothing that matters",
        ),
        (
            r"\b(?:pto|expense\s+report|expenses|receipts|catering|lunch\s+order|rsvp|rebook|"
            r"book\s+a\s+room|room\s+booking|book\s+(?:the\s+|my\s+)?(?:flights?|hotel|train|travel)|"
            r"parking|badge|org\s+chart|resend|notes|meeting\s+notes|slide\s+template|swag|"
            r"business\s+cards|keyboard|stationery|supplies|espresso|coffee\s+machine|"
            r"clean\s+up|channels|calendar\s+invites?|\$\d{1,3}\b)",
            "routine admin someone else can handle",
        ),
    )
)

# Evening and weekend commitments strain family time and being present.
AFTER_HOURS = re.compile(
    r"\b(?:evening|night|weekend|late)\b[^,;]*\b(?:panel|dinner|event|conference|party|meetup|drinks|gala|talk)\b|\b(?:panel|dinner|event|conference|party|meetup|drinks|gala)\b[^,;]*\b(?:evening|night|weekend)\b",
    re.I,
)
HOME_VALUES = re.compile(r"famil|present|home|kids|children|balance|partner", re.I)


def _first(cues: Sequence[tuple[re.Pattern[str], str]], text: str) -> tuple[str, str] | None:
    for pattern, why in cues:
        m = pattern.search(text)
        if m:
            return m.group(0), why
    return None


def _urgency(task: str, today: date) -> tuple[bool | None, str]:
    """Whether the task is urgent, and why, quoting its words."""
    cue = _first(URGENT_CUES, task)
    when = find_when(task, today)
    if when and when.deadline and not when.vague:
        days = (when.deadline - today).days
        if days < 0:
            return True, f'"{when.phrase}" has passed'
        if days <= URGENT_DAYS:
            span = "today" if days == 0 else "tomorrow" if days == 1 else f"in {days} days"
            return True, f'"{when.phrase}" is {span}'
        if cue is None:
            return False, f'"{when.phrase}" is {days} days away'
    if cue:
        return True, f'"{cue[0]}": {cue[1]}'
    if when and when.vague:
        return None, f'"{when.phrase}" gives no date'
    if when and when.frequency:
        return False, f'"{when.phrase}" is a routine, not a deadline'
    return False, "no deadline or time pressure in it"


def _importance(task: str, values: Sequence[str], vision: str | None) -> tuple[bool | None, str]:
    """Whether the task is important, and why, quoting its words."""
    judged = bool(values or vision)
    context = " ".join([vision or "", *values])
    if judged and HOME_VALUES.search(context) and AFTER_HOURS.search(task):
        words = AFTER_HOURS.search(task).group(0)
        return False, f'"{words}" works against what you value ({_shown(values, vision)})'
    # The action decides: booking a room for the all-hands is still admin.
    admin_action = _first(BUSYWORK_CUES, " ".join(task.split()[:3]))
    intrinsic = None if admin_action else _first(IMPORTANT_CUES, task)
    if intrinsic:
        return True, f'"{intrinsic[0]}": {intrinsic[1]}'
    # Busywork words outweigh a likeness to the vision: "reply to vendor newsletters" sounds
    # a little like any vision about customers, but it changes nothing that matters. Only a
    # value the person named, said in the task itself, keeps such a task important.
    busy = _first(BUSYWORK_CUES, task)
    if busy and not _names_a_value(task, values):
        return False, f'"{busy[0]}": {busy[1]}'
    status, anchor = "unknown", None
    if judged:
        from agent.smart import relevance

        verb = task.split()[0] if task.split() else None
        status, anchor, _ = relevance(task, values=values, vision=vision, verb=verb)
        if status == "against":
            return False, f'it works against "{anchor}"'
        if status == "met":
            return True, f'it serves "{anchor}"'
    if busy:
        return False, f'"{busy[0]}": {busy[1]}'
    if status == "missing":
        return False, f"it serves none of what you value ({_shown(values, vision)})"
    if status == "partial":
        return None, f'it only loosely touches "{anchor}"'
    return None, "nothing says what it serves"


def _names_a_value(task: str, values: Sequence[str]) -> bool:
    """True when the task says one of the person's values in so many words ("family")."""
    words = {w[:5] for w in re.findall(r"[a-z]{4,}", task.lower())}
    return any(w[:5] in words for value in values for w in re.findall(r"[a-z]{4,}", value.lower()))


def _shown(values: Sequence[str], vision: str | None) -> str:
    return ", ".join(f'"{v}"' for v in [*([vision] if vision else []), *values])


def _quadrant(important: bool | None, urgent: bool | None) -> str:
    if important is None or urgent is None:
        return "undecided"
    if important:
        return "do" if urgent else "schedule"
    return "delegate" if urgent else "drop"


def triage(
    task: str, *, today: date, values: Sequence[str] = (), vision: str | None = None
) -> PrioritizedTask:
    """Place one task in the Eisenhower matrix, with the reason in the task's own words."""
    important, why_important = _importance(task, values, vision)
    urgent, why_urgent = _urgency(task, today)
    quadrant = _quadrant(important, urgent)
    imp = {True: "important", False: "not important", None: "importance unclear"}[important]
    urg = {True: "urgent", False: "not urgent", None: "urgency unclear"}[urgent]
    reason = f"{imp.capitalize()}: {why_important}. {urg.capitalize()}: {why_urgent}."
    if quadrant == "undecided":
        reason += " The rules cannot place it: you decide."
    return PrioritizedTask(
        task=task,
        important=important,
        urgent=urgent,
        quadrant=quadrant,
        action=ACTIONS[quadrant],
        reason=reason,
    )


def prioritize(
    tasks: Sequence[str], *, today: date, values: Sequence[str] = (), vision: str | None = None
) -> Priorities:
    """Sort tasks into the Eisenhower matrix relative to `today`.

    Raises UserError when there are no tasks, or one is empty, binary or reads like an
    instruction to the assistant. The embedding
    model is loaded only when values or a vision are given.
    """
    cleaned = [
        clean_text(t, f"task {i}", max_chars=max(len(t or ""), 1)) for i, t in enumerate(tasks, 1)
    ]
    if not cleaned:
        raise UserError("no tasks to prioritize: give at least one task")
    for i, task in enumerate(cleaned, 1):
        refuse_instructions(task, f"task {i}")
    values = [" ".join(v.split()) for v in values if v and v.strip()]
    vision = " ".join(vision.split()) if vision and vision.strip() else None
    placed = [
        triage(" ".join(t.split()), today=today, values=values, vision=vision) for t in cleaned
    ]
    topics = ["eisenhower"]
    quadrants = {t.quadrant for t in placed}
    if "delegate" in quadrants:
        topics.append("delegation")
    if "schedule" in quadrants:
        topics.append("time_blocking")
    if values or vision:
        topics.append("core_values")
    return Priorities(today=today, tasks=placed, citations=cite(*topics))
