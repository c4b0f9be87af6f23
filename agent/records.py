"""Pydantic records: the project's vocabulary.

Every structured output of Align is one of these records. Field docstrings become the
JSON schema text that an LLM sees, so they say what a field means, not how it is made.
JSON is always `record.model_dump(mode="json")`.
"""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter

Status = Literal["met", "partial", "missing", "unknown"]
Category = Literal["personal growth", "team development", "organizational impact"]
Quadrant = Literal["do", "schedule", "delegate", "drop", "undecided"]


def new_id() -> str:
    """A short random record id, safe to type on a command line."""
    return uuid.uuid4().hex[:12]


def utc_now() -> datetime:
    return datetime.now(UTC)


class Model(BaseModel):
    """Base of every model here: documented fields, unknown keys rejected."""

    model_config = ConfigDict(use_attribute_docstrings=True, extra="forbid")


class Record(Model):
    """Fields every saved record has."""

    id: str = Field(default_factory=new_id)
    """Unique id of the record."""

    created_at: datetime = Field(default_factory=utc_now)
    """When the record was made (UTC)."""


class Citation(Model):
    """The guidance a piece of advice rests on. Engines fill `card_id`; the edge fills the rest."""

    card_id: str
    """Id of the knowledge card (the file name in knowledge/ without .md)."""

    title: str = ""
    """The card's title."""

    source: str = ""
    """Title of the article the card draws on."""

    section: str = ""
    """Heading of the article's section, exactly as written there."""

    quote: str = ""
    """A short passage of the card that backs the advice."""


class Criterion(Model):
    """One SMART letter's verdict."""

    status: Status
    """met, partial, missing, or unknown (the text cannot tell)."""

    evidence: list[str] = Field(default_factory=list)
    """The words of the goal that back the verdict, quoted exactly."""

    feedback: str
    """One sentence on why the letter has this status."""

    question: str | None = None
    """The one question to ask when the letter is not met; null when met."""


class SmartCriteria(Model):
    """The five SMART letters, each with its verdict."""

    specific: Criterion
    """A concrete action on a concrete object."""

    measurable: Criterion
    """A number, a frequency, or an observable completion criterion."""

    achievable: Criterion
    """A plan, resources, a plausible gap, or the person's own confidence; not impossible."""

    relevant: Criterion
    """Serves the person's stated vision or values (by meaning)."""

    time_bound: Criterion
    """A deadline, time frame or schedule in the future."""


class GoalSlots(Model):
    """What the goal's words say, slot by slot; null where the goal says nothing."""

    action: str | None = None
    """The verb: what the person will do ("hire", "run", "cut")."""

    object: str | None = None
    """What the action is done to ("two senior engineers", "a half marathon")."""

    metric: str | None = None
    """What is counted or observed ("p95 latency", "NPS", "sessions")."""

    baseline: str | None = None
    """Where things stand now ("from 12%")."""

    target: str | None = None
    """The number or state to reach ("to 20%", "3 times a week")."""

    deadline: date | None = None
    """The date by which it is done, resolved against today."""

    time_frame: str | None = None
    """The goal's own words for when ("by the end of next quarter", "every Monday until June")."""

    frequency: str | None = None
    """How often ("weekly", "every Monday")."""

    resources: str | None = None
    """The plan, support or means stated ("with a coach", "using the training budget")."""

    confidence: float | None = Field(default=None, ge=0, le=1)
    """The person's own confidence that they will do it, 0-1 ("8/10" is 0.8)."""

    vision_link: str | None = None
    """The stated value or vision the goal serves, if any."""


class SmartCritique(Record):
    """A goal graded letter by letter against SMART, with a sharper rewrite."""

    kind: Literal["smart_critique"] = "smart_critique"

    goal: str
    """The goal as the person wrote it."""

    vision: str | None = None
    """The vision statement the goal was judged against, if any."""

    values: list[str] = Field(default_factory=list)
    """The values the goal was judged against, if any."""

    today: date
    """The date relative to which time words were understood."""

    slots: GoalSlots = Field(default_factory=GoalSlots)
    """The goal parsed into slots."""

    criteria: SmartCriteria
    """The verdict of each SMART letter."""

    score: int = Field(ge=0, le=100)
    """0-100: how SMART the goal is (met counts fully, partial half)."""

    smart: bool
    """True when all five letters are met (relevant may be unknown when no vision or values were given)."""

    rewrite: str
    """The goal in the person's own words made sharper; blanks like [by when?] mark what is missing."""

    category: Category
    """Which part of leadership development the goal serves."""

    citations: list[Citation] = Field(default_factory=list)
    """The guidance the critique rests on."""

    model_view: dict[str, Status] = Field(default_factory=dict)
    """The LLM's own verdict on letters where it differs from the rules, shown beside them; empty offline."""


class CheckIn(Record):
    """A dated note of progress on a goal."""

    kind: Literal["checkin"] = "checkin"

    goal_id: str | None = None
    """The goal this check-in is about."""

    on: date
    """The date of the check-in."""

    progress: int | None = Field(default=None, ge=0, le=100)
    """Percent of the goal done, as the person judges it."""

    note: str = ""
    """What happened, in the person's words."""


class GoalVersion(Model):
    """One wording of a goal and its critique."""

    version: int = Field(ge=1)
    """1 for the first wording, then 2, 3, ..."""

    text: str
    """The goal's wording at this version."""

    critique_id: str | None = None
    """Id of the SmartCritique of this wording."""

    score: int = Field(ge=0, le=100)
    """The SMART score of this wording."""

    smart: bool
    """Whether this wording was SMART."""

    created_at: datetime = Field(default_factory=utc_now)
    """When this version was made."""


class Goal(Record):
    """A goal the person works on, with every version and its check-ins."""

    kind: Literal["goal"] = "goal"

    text: str
    """The current wording of the goal."""

    category: Category = "personal growth"
    """Which part of leadership development the goal serves."""

    status: Literal["active", "done", "dropped"] = "active"
    """Where the goal stands."""

    versions: list[GoalVersion] = Field(default_factory=list)
    """Every wording, oldest first, each linked to its critique."""

    check_ins: list[CheckIn] = Field(default_factory=list)
    """Progress check-ins, oldest first."""

    next_check_in: date | None = None
    """When the person agreed to review progress next."""


class VisionCheck(Model):
    """One test of a vision statement."""

    name: Literal["names_values", "joins_work_and_life", "looks_ahead", "brief", "helps_say_no"]
    """Which test."""

    passed: bool
    """Whether the statement passes it."""

    feedback: str
    """One sentence on why, and what to change."""


class VisionDraft(Record):
    """A vision statement drafted from the person's values."""

    kind: Literal["vision_draft"] = "vision_draft"

    values: list[str]
    """The values the person stated, as they stated them."""

    aspirations: str | None = None
    """What the person hopes to achieve or become, if said."""

    horizon_years: int | None = Field(default=None, ge=1, le=30)
    """How many years ahead the vision looks."""

    statement: str
    """The drafted vision: one to three sentences that name every value."""

    alternatives: list[str] = Field(default_factory=list)
    """Other drafts with a different emphasis to choose from."""

    values_covered: dict[str, bool] = Field(default_factory=dict)
    """For each stated value, whether the statement really names it."""

    chosen: bool = False
    """True when the person adopted this statement as their vision."""

    citations: list[Citation] = Field(default_factory=list)
    """The guidance the draft rests on."""


class VisionCritique(Record):
    """An existing vision statement checked against what a good one does."""

    kind: Literal["vision_critique"] = "vision_critique"

    statement: str
    """The statement critiqued."""

    values: list[str] = Field(default_factory=list)
    """The values it was checked against."""

    checks: list[VisionCheck]
    """Each test with its result and feedback."""

    citations: list[Citation] = Field(default_factory=list)
    """The guidance the critique rests on."""


MAX_WEIGHT = 1000.0
"""The largest weight accepted from a person or a file: weights are relative, and a bound
keeps totals finite (1e308 x 5 overflows). Checked where input arrives, not on the record,
so a decision saved before the bound still reads back."""


class DecisionCriterion(Model):
    """A criterion of a decision and how much it counts."""

    name: str
    """What is weighed ("family time", "career advancement")."""

    weight: float = Field(gt=0)
    """How much it counts, relative to the other criteria (more than 0; new weights at most 1,000)."""


class RankedOption(Model):
    """An option with its weighted total."""

    option: str
    """The option's name."""

    total: float
    """Weighted average of its scores on the 1-5 scale."""


class Sensitivity(Model):
    """How far one criterion's weight must move before the top choice changes."""

    criterion: str
    """The criterion whose weight moves."""

    weight_change: float | None = None
    """Change of the weight (added to it) at which another option ties the top one; null if none in range."""

    new_top: str | None = None
    """The option that would take the lead past that change."""


class ValueConflict(Model):
    """A stated value that an option works against."""

    option: str
    """The option in question."""

    value: str
    """The value or criterion it strains."""

    reason: str
    """Why, in one sentence."""


class Decision(Record):
    """A decision weighed against the person's values with a decision matrix."""

    kind: Literal["decision"] = "decision"

    question: str
    """The decision in the person's words."""

    options: list[str]
    """The choices weighed."""

    criteria: list[DecisionCriterion]
    """What the choices are weighed on, with weights."""

    scores: dict[str, dict[str, int | None]] = Field(default_factory=dict)
    """option -> criterion -> score 1-5, or null until the person rates it."""

    ranking: list[RankedOption] = Field(default_factory=list)
    """Options by weighted total, best first; empty until every score is given."""

    recommendation: str | None = None
    """The option the matrix favours, or null while scores are missing or the top is tied."""

    sensitivity: list[Sensitivity] = Field(default_factory=list)
    """For each criterion, the weight change that would change the top choice."""

    conflicts: list[ValueConflict] = Field(default_factory=list)
    """Stated values that an option works against."""

    questions: list[str] = Field(default_factory=list)
    """What to ask the person so they can score the options."""

    citations: list[Citation] = Field(default_factory=list)
    """The guidance the decision rests on."""


class PrioritizedTask(Model):
    """A task placed in the Eisenhower matrix."""

    task: str
    """The task as written."""

    important: bool | None
    """Serves strategy, people, the vision or values; null when the rules cannot tell."""

    urgent: bool | None
    """Has a near deadline or time pressure; null when the rules cannot tell."""

    quadrant: Quadrant
    """do, schedule, delegate, drop; or undecided for the person to place."""

    action: str
    """What to do with it: do now, schedule, delegate, drop, or decide."""

    reason: str
    """Why it landed here, citing the words of the task."""


class Priorities(Record):
    """A task list sorted by importance and urgency."""

    kind: Literal["priorities"] = "priorities"

    today: date
    """The date relative to which deadlines were read."""

    tasks: list[PrioritizedTask]
    """Each task with its quadrant and reason."""

    citations: list[Citation] = Field(default_factory=list)
    """The guidance the triage rests on."""


class Passage(Model):
    """A retrieved passage of guidance or of the user's own documents."""

    card_id: str
    """Id of the card, or of the document chunk."""

    title: str
    """The card's title, or the document's heading."""

    source: str
    """The article's title, or the document's file name."""

    section: str
    """The article's section heading, or the document's heading."""

    text: str
    """The passage."""

    score: float
    """Relevance to the question, 0-1, higher is better."""


class Answer(Record):
    """An answer to a question, composed from retrieved passages."""

    kind: Literal["answer"] = "answer"

    question: str
    """The question asked."""

    answer: str
    """The answer, each sentence attributed to its passage."""

    passages: list[Passage] = Field(default_factory=list)
    """The passages the answer draws on, best first."""

    found: bool = True
    """False when nothing in the library was relevant enough to answer."""


class Reflection(Record):
    """A dated reflection: what went well, what was hard, what to adjust."""

    kind: Literal["reflection"] = "reflection"

    on: date
    """The date of the reflection."""

    text: str
    """The reflection in the person's words."""

    goal_id: str | None = None
    """The goal it is about, if any."""

    prompts: list[str] = Field(default_factory=list)
    """The reflection questions it answers."""


class Profile(Record):
    """What Align remembers about the person; they can see and edit all of it."""

    kind: Literal["profile"] = "profile"

    name: str | None = None
    """What the person likes to be called."""

    values: list[str] = Field(default_factory=list)
    """The person's stated values."""

    vision: str | None = None
    """The person's vision statement."""

    roles: list[str] = Field(default_factory=list)
    """The person's roles ("VP Engineering", "parent")."""


AnyRecord = Annotated[
    SmartCritique
    | Goal
    | CheckIn
    | VisionDraft
    | VisionCritique
    | Decision
    | Priorities
    | Answer
    | Reflection
    | Profile,
    Field(discriminator="kind"),
]
"""Any record, told apart by its `kind`."""

RECORD_ADAPTER: TypeAdapter[AnyRecord] = TypeAdapter(AnyRecord)

KINDS: tuple[str, ...] = (
    "smart_critique",
    "goal",
    "checkin",
    "vision_draft",
    "vision_critique",
    "decision",
    "priorities",
    "answer",
    "reflection",
    "profile",
)


def parse_record(data: dict | str | bytes) -> AnyRecord:
    """Validate a record from a dict or JSON text, whatever its kind."""
    if isinstance(data, dict):
        return RECORD_ADAPTER.validate_python(data)
    return RECORD_ADAPTER.validate_json(data)
