"""A conversation with the coach: its turns, running usage, and the thread in progress.

A `Session` is plain data (pydantic), so the CLI keeps it in a variable and the app in
`st.session_state`. The thread is what the coach is working on with the person right
now (a goal being refined, a vision being drafted, a decision being scored, ...) and
what it last asked, so that "by March" or "2" lands in the right place.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from agent.records import AnyRecord, Decision, SmartCritique, VisionDraft


class _Model(BaseModel):
    model_config = ConfigDict(use_attribute_docstrings=True, extra="forbid")


class Usage(_Model):
    """Model calls and tokens spent; all zero for the offline coach."""

    calls: int = 0
    """Requests made to the language model."""

    input_tokens: int = 0
    """Tokens sent to the model."""

    output_tokens: int = 0
    """Tokens the model wrote."""


class Turn(_Model):
    """One reply of the coach to one message."""

    message: str = ""
    """The person's message, as cleaned (empty when it was rejected)."""

    reply: str
    """What the coach says back."""

    records: list[AnyRecord] = Field(default_factory=list)
    """The records this turn made or changed, in the order they were made."""

    provider: str = "offline"
    """Who wrote the reply: offline or openai."""

    notice: str | None = None
    """A line the person should see about how the reply was made (e.g. a fallback), or null."""

    intent: str = "chat"
    """What the coach understood the message to be (see agent.intents.INTENTS)."""

    calls: int = 0
    """Model calls this turn made."""

    input_tokens: int = 0
    """Tokens sent to the model this turn."""

    output_tokens: int = 0
    """Tokens the model wrote this turn."""


class GoalThread(_Model):
    """A goal being refined one SMART letter at a time."""

    kind: Literal["goal"] = "goal"
    goal_id: str
    """The saved Goal this thread adds versions to."""

    text: str
    """The goal's current wording."""

    critique: SmartCritique
    """The critique of the current wording."""

    asked: str | None = None
    """The SMART letter last asked about; "check_in" when a check-in date was offered."""

    skipped: list[str] = Field(default_factory=list)
    """Letters the person chose to skip: never asked again in this thread."""

    misses: int = 0
    """Answers in a row that changed nothing; after two the coach moves on."""

    check_in: date | None = None
    """The check-in date offered once the goal is SMART."""


class VisionThread(_Model):
    """A vision being drafted: values, then aspirations, then a choice of drafts."""

    kind: Literal["vision"] = "vision"
    values: list[str] = Field(default_factory=list)
    """The values the draft is built from."""

    aspirations: str | None = None
    """What the person hopes to achieve or become, if said."""

    asked: Literal["values", "aspirations", "choose"] = "values"
    """What the coach is waiting for."""

    draft: VisionDraft | None = None
    """The saved draft, once made."""


class DecisionThread(_Model):
    """A decision being framed, then scored one cell at a time."""

    kind: Literal["decision"] = "decision"
    decision: Decision
    """The decision as it stands (saved after every change)."""

    asked: Literal["options", "criteria", "score"] = "score"
    """What the coach is waiting for."""

    cell: tuple[str, str] | None = None
    """(option, criterion) last asked about."""

    skipped: list[tuple[str, str]] = Field(default_factory=list)
    """(option, criterion) cells the person skipped: never asked again."""


class GoalAskThread(_Model):
    """Waiting for the goal itself, after a request such as "help me refine a goal"."""

    kind: Literal["goal_ask"] = "goal_ask"
    asked: Literal["goal"] = "goal"

    qualifier: str = ""
    """What the request said besides the goal ("for next quarter"): a time is added to a goal
    that names none."""

    misses: int = 0
    """Answers in a row that gave no goal; after two the coach stops asking."""


class TasksThread(_Model):
    """Waiting for a task list to prioritise."""

    kind: Literal["tasks"] = "tasks"
    asked: Literal["tasks"] = "tasks"


class ReflectionThread(_Model):
    """Waiting for the text of a reflection."""

    kind: Literal["reflection"] = "reflection"
    asked: Literal["reflection"] = "reflection"


class OfferThread(_Model):
    """A yes/no offer of a next step (e.g. drafting a vision from values just stated)."""

    kind: Literal["offer"] = "offer"
    action: Literal["draft_vision"]
    """What a yes starts."""

    asked: Literal["confirm"] = "confirm"


Thread = Annotated[
    GoalThread | GoalAskThread | VisionThread | DecisionThread | TasksThread | ReflectionThread
    | OfferThread,
    Field(discriminator="kind"),
]


class Session(_Model):
    """A conversation: its turns, the thread in progress and what it has cost."""

    turns: list[Turn] = Field(default_factory=list)
    """Every turn so far, oldest first."""

    thread: Thread | None = None
    """What the coach and the person are working on, or null."""

    values: list[str] = Field(default_factory=list)
    """Values the person stated in this conversation."""

    usage: Usage = Field(default_factory=Usage)
    """Running totals of model calls and tokens."""

    @property
    def expecting(self) -> str | None:
        """What the coach last asked for ("measurable", "score", "values", ...), or None."""
        return None if self.thread is None else self.thread.asked

    def add(self, turn: Turn) -> Turn:
        """Append a turn and add its usage to the running totals."""
        self.turns.append(turn)
        self.usage.calls += turn.calls
        self.usage.input_tokens += turn.input_tokens
        self.usage.output_tokens += turn.output_tokens
        return turn

    @property
    def calls(self) -> int:
        """Model calls made in this session."""
        return self.usage.calls

    @property
    def input_tokens(self) -> int:
        """Tokens sent to the model in this session."""
        return self.usage.input_tokens

    @property
    def output_tokens(self) -> int:
        """Tokens the model wrote in this session."""
        return self.usage.output_tokens
