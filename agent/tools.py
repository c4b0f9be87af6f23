"""The engines as LangChain tools: what the LLM coach calls to judge, draft, weigh and save.

A `Toolbox` lives for one turn. Each tool runs a deterministic engine and appends the
record it makes to `Toolbox.records` (the turn's sink), so the records a turn returns are
always the engines' own, never text a model wrote. What goes back to the model is a
compact view of the record, inside `<data>` markers: user text echoed in a result (a
goal, a passage) is data to the model, never instructions.

A person's mistake inside a tool (an empty goal, a weight of zero) becomes a
`ToolException`, which LangChain hands back to the model as an error tool message; any
other exception propagates, so the turn fails and the coach falls back to offline.
"""

from __future__ import annotations

import contextlib
import functools
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from agent.records import Status

if TYPE_CHECKING:
    from langchain_core.tools import BaseTool

Letter = Literal["specific", "measurable", "achievable", "relevant", "time_bound"]
"""A SMART letter, as agent.smart.LETTERS names them (a Literal, so the model sees the choice)."""

# Anything that could open or close a marker ("<data", "</data", "<system>"...) inside
# quoted text is defused, so quoted text can never end its own quotation.
_TAG_START = re.compile(r"<(?=/?[A-Za-z!?])")


def _name_key(name: str) -> str:
    """An option or criterion name as the decision engine compares them (case, spacing)."""
    return " ".join(name.split()).casefold()


def defuse(text: str) -> str:
    """Text with every tag-like `<` replaced by `‹`, so it cannot open or close a marker."""
    return _TAG_START.sub("‹", text)


def as_data(source: str, text: str) -> str:
    """Wrap text the model must read as data, never as instructions, in `<data>` markers."""
    label = re.sub(r"[^\w .:-]", "", source)[:60] or "data"
    return f'<data source="{label}">\n{defuse(text).strip()}\n</data>'


# --- what the model may pass to each tool (documented: the docstrings are the schema) ---


class _Args(BaseModel):
    model_config = ConfigDict(use_attribute_docstrings=True, extra="forbid")


class LetterView(_Args):
    """The model's own verdict on one SMART letter."""

    letter: Letter
    """Which SMART letter."""

    status: Status
    """Your verdict: met, partial, missing or unknown."""

    reason: str = Field(default="", max_length=300)
    """Why, in a few words drawn from what the person said."""


class CritiqueArgs(_Args):
    goal: str
    """The goal exactly as the person wrote it (or a revised wording they agreed to)."""

    goal_id: str | None = None
    """Id of the goal in progress when this wording revises it; omit for a new goal."""

    vision: str | None = None
    """The person's vision statement, if they gave one (default: the one Align remembers)."""

    values: list[str] = Field(default_factory=list)
    """The person's values, if known (default: the ones Align remembers)."""

    model_view: list[LetterView] = Field(default_factory=list)
    """Your own verdict on letters you can judge from the conversation; only the letters
    where it differs from the rule-based verdict are kept and shown beside it."""


class DraftVisionArgs(_Args):
    values: list[str] = Field(min_length=1)
    """The values the person named, in their words."""

    aspirations: str | None = None
    """What the person hopes to achieve or become, if they said."""

    horizon_years: int | None = Field(default=None, ge=1, le=30)
    """How many years ahead the vision should look, if they said."""


class CritiqueVisionArgs(_Args):
    statement: str
    """The vision statement to check, in the person's words."""

    values: list[str] = Field(default_factory=list)
    """The person's values (default: the ones Align remembers)."""


class CriterionArg(_Args):
    name: str
    """What the options are weighed on."""

    weight: float = Field(default=1.0, gt=0)
    """How much it counts relative to the others (default 1)."""


class FrameDecisionArgs(_Args):
    question: str
    """The decision in the person's words."""

    options: list[str] = Field(default_factory=list)
    """The choices the person named."""

    criteria: list[CriterionArg] = Field(default_factory=list)
    """What to weigh the options on, with weights, if the person said."""

    values: list[str] = Field(default_factory=list)
    """The person's values (default: the ones Align remembers)."""


class ScoreDecisionArgs(_Args):
    decision_id: str | None = None
    """Id from frame_decision (default: the decision in progress)."""

    question: str | None = None
    """The decision in the person's words (for a new decision)."""

    options: list[str] = Field(default_factory=list)
    """The choices weighed (omit to keep the framed ones)."""

    criteria: list[CriterionArg] = Field(default_factory=list)
    """The criteria with their weights (omit to keep the framed ones)."""

    scores: dict[str, dict[str, int]] = Field(default_factory=dict)
    """option -> criterion -> the person's rating from 1 (poor) to 5 (excellent)."""


class PrioritizeArgs(_Args):
    tasks: list[str] = Field(min_length=1)
    """The tasks, one per item, in the person's words."""


class SearchArgs(_Args):
    query: str
    """What to look for in the guidance library and the person's documents."""

    k: int = Field(default=3, ge=1, le=8)
    """How many passages to return."""


class RememberArgs(_Args):
    values: list[str] = Field(default_factory=list)
    """Values the person stated as their own, to add to what Align remembers."""

    vision: str | None = None
    """A vision statement the person chose as theirs (replaces the remembered one)."""


TOOL_INTENTS: dict[str, str] = {
    "critique_goal": "goal", "draft_vision": "draft_vision", "critique_vision": "vision",
    "frame_decision": "decision", "score_decision": "decision",
    "prioritize_tasks": "prioritize", "search_guidance": "guidance", "remember": "values",
}
"""tool -> the intent (agent.intents.INTENTS) a turn that used it served."""

# --- the toolbox ---------------------------------------------------------------------


@dataclass
class ModelNote:
    """Where the model read a SMART letter differently from the rules, and why."""

    letter: str
    rules: str
    model: str
    reason: str = ""


@dataclass
class Toolbox:
    """The engines bound to one coach and one turn, collecting the records they make.

    `coach` is an agent.coach.Coach: its wrappers fill in the person's profile and the
    citations. Nothing is saved while the model works: `commit` saves what the tools made
    once the turn has succeeded, as the offline coach would have (a goal critique starts
    a goal or adds a version to one), so a failed turn leaves no trace behind the offline
    reply that replaces it.
    """

    coach: Any
    today: date
    records: list[Any] = field(default_factory=list)
    """The turn's sink: every record a tool made, in order (plus goals, after `commit`)."""
    notes: dict[str, list[ModelNote]] = field(default_factory=dict)
    """critique id -> where the model's verdict differs from the rules."""
    used: list[str] = field(default_factory=list)
    """Names of the tools called this turn, in order."""
    goal_ids: dict[str, str | None] = field(default_factory=dict)
    """critique id -> the saved goal it revises (None: it starts a new goal)."""
    session: Any = None
    """The conversation (agent.session.Session), read for the decision in progress."""

    # Each method below is one tool: plain keyword arguments in, text for the model out.

    def critique_goal(self, goal: str, goal_id: str | None = None, vision: str | None = None,
                      values: list[str] | None = None,
                      model_view: list[LetterView | dict] | None = None) -> str:
        """Grade a goal against SMART, letter by letter, with a sharper rewrite. The goal
        is kept: as a new goal, or as the next version of the goal `goal_id`."""
        from agent.coach import LETTER_NAMES
        from agent.errors import UserError

        goal_id = goal_id.strip() if goal_id and goal_id.strip() else None
        if goal_id and self.coach.store.get(goal_id).kind != "goal":
            # Checked now, so the model hears of a wrong id instead of the turn failing.
            raise UserError(f"record {goal_id} is not a goal; omit goal_id to start a new goal")
        result = self.coach.critique(goal, today=self.today, vision=vision or None,
                                     values=values or None)
        notes = []
        for view in model_view or ():
            view = LetterView.model_validate(view)
            rules = getattr(result.criteria, view.letter).status
            if view.status != rules:
                notes.append((view.letter, ModelNote(LETTER_NAMES[view.letter], rules,
                                                     view.status, " ".join(view.reason.split()))))
        if notes:
            result = result.model_copy(update={"model_view": {k: n.model for k, n in notes}})
            self.notes[result.id] = [n for _, n in notes]
        self.goal_ids[result.id] = goal_id
        return self._made(result)

    def draft_vision(self, values: list[str], aspirations: str | None = None,
                     horizon_years: int | None = None) -> str:
        """Draft a vision statement that names every value, with alternatives."""
        return self._made(self.coach.draft_vision(values, aspirations, horizon_years))

    def critique_vision(self, statement: str, values: list[str] | None = None) -> str:
        """Check a vision statement against what a good one does."""
        return self._made(self.coach.critique_vision(statement, values or None))

    def frame_decision(self, question: str, options: list[str] | None = None,
                       criteria: list[CriterionArg | dict] | None = None,
                       values: list[str] | None = None) -> str:
        """Set up a decision matrix: options, weighted criteria, what to ask to score it."""
        from agent.records import DecisionCriterion

        crits = [DecisionCriterion(**CriterionArg.model_validate(c).model_dump())
                 for c in criteria or ()]
        return self._made(self.coach.decide(question, options=list(options or ()),
                                            criteria=crits, values=values or None))

    def score_decision(self, question: str | None = None, options: list[str] | None = None,
                       criteria: list[CriterionArg | dict] | None = None,
                       scores: dict[str, dict[str, int]] | None = None,
                       decision_id: str | None = None) -> str:
        """Rank a decision's options by weighted total, with sensitivity and value
        conflicts; scores the framed decision rather than making a new one."""
        from agent.decision import decision_from_data

        crits = [CriterionArg.model_validate(c) for c in criteria or ()]
        base = self._decision_to_score(decision_id, list(options or ()))
        if base is not None:
            return self._made(self._rescore(base, list(options or ()), crits, scores or {}))
        data = {"question": question or "", "options": list(options or ()),
                "criteria": [c.model_dump() for c in crits], "scores": scores or {}}
        ranked = decision_from_data(data)  # validates and evaluates
        return self._made(ranked.model_copy(
            update={"citations": self.coach.resolve(ranked.citations)}))

    def _decision_to_score(self, decision_id: str | None, options: list[str]) -> Any:
        """The Decision score_decision updates: the one named, else the one in progress
        (framed earlier this turn, or the session's), else None for a new decision."""
        from agent.errors import UserError

        made = [r for r in self.records if r.kind == "decision"]
        wanted = decision_id.strip() if decision_id and decision_id.strip() else None
        if wanted:
            # Framed earlier in this turn: not saved yet, so only the sink has it.
            found = next((r for r in reversed(made) if r.id == wanted), None)
            found = found or self.coach.store.get(wanted)
            if found.kind != "decision":
                raise UserError(f"record {wanted} is not a decision; omit decision_id "
                                "to weigh a new one")
            return found
        thread = getattr(self.session, "thread", None)
        current = made[-1] if made else (
            thread.decision if getattr(thread, "kind", None) == "decision" else None)
        # Without an id, options that share no name with the decision in progress mean
        # another decision: updating that one would overwrite a record it does not describe.
        if current is None or (options and not {_name_key(o) for o in options}
                               & {_name_key(o) for o in current.options}):
            return None
        return current

    def _rescore(self, base: Any, options: list[str], criteria: list[CriterionArg],
                 scores: dict[str, dict[str, int]]) -> Any:
        """`base` with the model's options, criteria and scores applied: same id, same
        conflicts, questions and citations unless the options change."""
        from agent import decision as engine
        from agent.errors import UserError

        updated = base
        if options and sorted(map(_name_key, options)) != sorted(map(_name_key, base.options)):
            # Other choices: frame them afresh (their own conflicts and questions), keep the
            # record's identity and every score whose option and criterion remain.
            updated = self.coach.decide(base.question, options=options, criteria=base.criteria)
            updated = updated.model_copy(update={"id": base.id, "created_at": base.created_at})
            for option, row in base.scores.items():
                for name, score in row.items():
                    if score is None:
                        continue
                    with contextlib.suppress(UserError):  # that option or criterion is gone
                        updated = engine.set_score(updated, option, name, score)
        if criteria:
            for c in criteria:
                same = next((e for e in updated.criteria if _name_key(e.name) == _name_key(c.name)),
                            None)
                if same is None:
                    updated = engine.add_criterion(updated, c.name, c.weight)
                elif "weight" in c.model_fields_set and c.weight != same.weight:
                    # A weight the model left out keeps the framed one, not the default 1.
                    updated = engine.set_weight(updated, same.name, c.weight)
            # The model's list is the matrix now: framed criteria it left out are dropped.
            keep = {_name_key(c.name) for c in criteria}
            updated = updated.model_copy(update={
                "criteria": [e for e in updated.criteria if _name_key(e.name) in keep]})
        for option, row in scores.items():
            for name, score in row.items():
                updated = engine.set_score(updated, option, name, score)
        return engine.evaluate(updated)

    def prioritize_tasks(self, tasks: list[str]) -> str:
        """Sort tasks into the Eisenhower matrix (do, schedule, delegate, drop)."""
        return self._made(self.coach.prioritize(list(tasks), today=self.today))

    def search_guidance(self, query: str, k: int = 3) -> str:
        """Find guidance passages (and the person's own documents) on a question."""
        from agent.guidance import quote_passages
        from agent.inputs import clean_text

        query = clean_text(query, "search query", self.coach.settings.max_input_chars)
        passages = self.coach.library.search(query, k=k)
        if not passages:
            return as_data("search_guidance", "No passage in the library matches this query.")
        return quote_passages(passages)

    def remember(self, values: list[str] | None = None, vision: str | None = None) -> str:
        """Remember the person's values, or the vision statement they chose, in their
        profile (only what they said is theirs)."""
        from agent.inputs import refuse_instructions
        from agent.store import edit_profile

        if not values and not vision:
            raise ValueError("give values or a vision to remember")
        for text in [*(values or ()), vision or ""]:
            refuse_instructions(text, "value or vision")
        base = next((r for r in reversed(self.records) if r.kind == "profile"), None)
        profile = edit_profile(base or self.coach.profile(), add_values=list(values or ()),
                               vision=vision,
                               max_vision_chars=self.coach.settings.max_input_chars)
        return self._made(profile)

    # --- after the turn ---

    def commit(self, session: Any) -> None:
        """Save what the tools made and leave the session's thread where the turn ended."""
        from agent.session import DecisionThread, GoalThread, VisionThread
        from agent.smart import weakest_letter

        store = self.coach.store
        made, self.records = self.records, []
        for record in made:
            self.records.append(record)
            if record.kind == "smart_critique":
                goal_id = self.goal_ids.get(record.id)
                goal = (store.add_version(goal_id, record) if goal_id
                        else store.start_goal(record))
                self.records.append(goal)
                # The reply asks about the weakest letter (see record_view), so an answer
                # next turn lands there even if that turn is answered offline.
                session.thread = GoalThread(goal_id=goal.id, text=record.goal, critique=record,
                                            asked=weakest_letter(record))
            elif record.kind == "profile":
                store.save_profile(record)
            else:
                store.save(record)
                if record.kind == "decision":
                    session.thread = (DecisionThread(decision=record) if not record.ranking
                                      else None)
                elif record.kind == "vision_draft":
                    session.thread = VisionThread(values=record.values,
                                                  aspirations=record.aspirations,
                                                  asked="choose", draft=record)
                else:
                    session.thread = None

    def intent(self) -> str:
        """What the turn served, judged by the first engine it used ("chat" if none)."""
        return next((TOOL_INTENTS[name] for name in self.used if name in TOOL_INTENTS), "chat")

    def _made(self, record: Any) -> str:
        # A record made again under its id (a decision scored) replaces its earlier form.
        self.records = [r for r in self.records if r.id != record.id]
        self.records.append(record)
        return as_data(f"{record.kind} made", json.dumps(record_view(record), ensure_ascii=False))

    def tools(self) -> list[BaseTool]:
        """The tools for the agent, each wrapping one method above."""
        from langchain_core.tools import StructuredTool

        specs: list[tuple[Callable[..., str], type[BaseModel]]] = [
            (self.critique_goal, CritiqueArgs),
            (self.draft_vision, DraftVisionArgs),
            (self.critique_vision, CritiqueVisionArgs),
            (self.frame_decision, FrameDecisionArgs),
            (self.score_decision, ScoreDecisionArgs),
            (self.prioritize_tasks, PrioritizeArgs),
            (self.search_guidance, SearchArgs),
            (self.remember, RememberArgs),
        ]
        return [StructuredTool.from_function(func=_as_tool_error(method, self.used),
                                             name=method.__name__,
                                             description=" ".join((method.__doc__ or "").split()),
                                             args_schema=schema, handle_tool_error=True)
                for method, schema in specs]


def _as_tool_error(method: Callable[..., str], used: list[str]) -> Callable[..., str]:
    """Note the call in `used`, and turn a person's mistake into a ToolException, which
    goes back to the model as text."""
    from langchain_core.tools import ToolException

    @functools.wraps(method)
    def run(**kwargs: Any) -> str:
        used.append(method.__name__)
        try:
            return method(**kwargs)
        except ValidationError as e:
            first = e.errors()[0]
            where = ".".join(str(p) for p in first["loc"]) or "input"
            raise ToolException(f"error: {where}: {first['msg']}") from e
        except ValueError as e:  # UserError and the engines' own checks on values
            raise ToolException(f"error: {' '.join(str(e).split())}") from e

    return run


def record_view(record: Any) -> dict[str, Any]:
    """The part of a record the model needs to talk about it: compact, no bookkeeping."""
    from agent.smart import weakest_letter

    data = record.model_dump(mode="json", exclude={"created_at", "slots", "today", "check_ins"})
    if "citations" in data:
        data["citations"] = [c["card_id"] for c in data["citations"]]
    if record.kind == "smart_critique":
        data["criteria"] = {letter: {k: v for k, v in verdict.items() if k != "evidence"}
                            for letter, verdict in data["criteria"].items()}
        if not data["model_view"]:
            del data["model_view"]
        data["ask_next"] = weakest_letter(record)  # the one letter to ask about, or null
    if record.kind == "answer":
        data["passages"] = [p["card_id"] for p in data["passages"]]
    return data
