"""The coach: the engines with the person's profile filled in, and the conversation.

`Coach.reply(session, message)` answers one message. With an LLM configured the model
writes the turn (agent.llm); on any failure, and always offline, `offline_turn` does:
it reads the message (agent.intents), calls an engine, saves what it made, and answers
from the templates in prompts/coach.yaml, asking one question at a time. The thread of
the conversation (the goal being refined, the decision being scored...) lives in the
`Session` (agent.session), so an answer like "by March" lands in the right place.

Nothing heavy is imported at module level: the engines, the store and the library load
on first use, and the Library (Chroma) only when guidance is searched.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Sequence
from datetime import date
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError

from agent import intents
from agent.errors import UserError
from agent.inputs import clean_text
from agent.prompts import render
from agent.records import (
    Answer,
    CheckIn,
    Citation,
    Decision,
    DecisionCriterion,
    Goal,
    Priorities,
    Profile,
    Reflection,
    SmartCritique,
    VisionCritique,
    VisionDraft,
)
from agent.session import (
    DecisionThread,
    GoalAskThread,
    GoalThread,
    OfferThread,
    ReflectionThread,
    Session,
    TasksThread,
    Turn,
    Usage,
    VisionThread,
)
from agent.settings import Settings
from agent.topics import CARDS, cite

if TYPE_CHECKING:
    from agent.guidance import Library
    from agent.store import Store

__all__ = ["Coach", "Session", "Turn", "Usage", "REFLECTION_QUESTIONS", "LETTER_NAMES"]

LETTER_NAMES: dict[str, str] = {
    "specific": "Specific", "measurable": "Measurable", "achievable": "Achievable",
    "relevant": "Relevant", "time_bound": "Time-bound",
}
MARKS = {"met": "✓", "partial": "~", "missing": "✗", "unknown": "?"}
_STATUS_RANK = {"missing": 0, "partial": 1, "unknown": 2}

REFLECTION_QUESTIONS: tuple[str, ...] = (
    "What did you do this month that moved you closer to your vision, at work and at home?",
    "What got in your way, and was it outside your control or a habit of your own?",
    "What did you learn about yourself, your team or your priorities?",
    "What will you change next month, and what will you stop doing?",
)
"""The monthly reflection questions, in Align's own words."""

_FALLBACK_QUESTIONS = {
    "specific": "What exactly will you do, and for whom or what?",
    "measurable": "How will you know you've got there: what number or visible result?",
    "achievable": "What makes it doable: a plan, support, or your confidence from 0 to 10?",
    "relevant": "Which of your values or which part of your vision does this serve?",
    "time_bound": "By when? A date or a time frame.",
}

_QUADRANTS = (
    ("do", "Do now"), ("schedule", "Schedule"), ("delegate", "Delegate"), ("drop", "Drop"),
    ("undecided", "Your call (the words don't say)"),
)

NOTICE = "the model did not answer ({reason}); this reply is from the offline coach"
"""The line shown when the LLM failed and the offline coach answered instead."""

OPEN_SHOWN = 3
"""Unscored cells named when a decision stops short; the rest are counted."""

_DECLINE = re.compile(
    r"^\s*(no|nope|nah|not\s+now|not\s+yet|no\s+thanks?|maybe\s+later|later|never\s*mind"
    r"|forget\s+it|n)\W*$", re.IGNORECASE)


def _say(part: str, **variables: Any) -> str:
    return render("coach", part, **variables)


def _excerpt(text: str, words: int = 25) -> str:
    """The first `words` words of a text on one line, for quoting it back."""
    parts = text.split()
    if len(parts) <= words:
        return " ".join(parts)
    return " ".join(parts[:words]).rstrip(",;:") + "…"


def _short_quotes(text: str, words: int = 12) -> str:
    """The text with any long quotation (a whole vision, say) cut to its first words."""
    return re.sub(r'"([^"]+)"', lambda m: f'"{_excerpt(m.group(1).rstrip(". "), words)}"', text)


def _short_reason(error: BaseException) -> str:
    text = " ".join(str(error).split()) or type(error).__name__
    return text if len(text) <= 120 else text[:117] + "…"


class Coach:
    """The coaching agent: engine wrappers with the profile filled in, and `reply`."""

    def __init__(self, settings: Settings | None = None, *, store: Store | None = None,
                 library: Library | None = None, chat_model: Any = None) -> None:
        """Cheap: nothing is opened until a wrapper or `reply` needs it."""
        self.settings = settings if settings is not None else Settings()
        self._store = store
        self._library = library
        self.chat_model = chat_model

    # --- edges, opened on first use ---------------------------------------------------

    @property
    def store(self) -> Store:
        """The person's saved records."""
        if self._store is None:
            from agent.store import Store

            self._store = Store.from_settings(self.settings)
        return self._store

    @property
    def library(self) -> Library:
        """The guidance library (its index is built on the first search)."""
        if self._library is None:
            from agent.guidance import Library

            self._library = Library(self.settings)
        return self._library

    def profile(self) -> Profile:
        """What Align remembers about the person."""
        return self.store.profile()

    def resolve(self, citations: Sequence[Citation], context: str | None = None) -> list[Citation]:
        """Citations with title, source, section and quote filled in from the cards.

        The conversation passes no `context`: the card's first sentence is the quote, which
        costs no embedding (choosing the closest sentence embeds every card's sentences).
        """
        return self.library.resolve_citations(list(citations), context)

    # --- the engines, with the profile filled in ----------------------------------------

    def critique(self, goal: str, *, today: date | None = None, vision: str | None = None,
                 values: Sequence[str] | None = None) -> SmartCritique:
        """SMART critique of a goal against the profile's vision and values (unless given)."""
        from agent import smart

        profile = self.profile()
        result = smart.critique(
            goal, today=today or date.today(),
            vision=vision if vision is not None else profile.vision,
            values=list(values) if values is not None else profile.values,
        )
        return result.model_copy(update={"citations": self.resolve(result.citations)})

    def draft_vision(self, values: Sequence[str] | None = None, aspirations: str | None = None,
                     horizon_years: int | None = None) -> VisionDraft:
        """Vision drafts from the given values, or the profile's."""
        from agent import vision

        chosen = list(values) if values else self.profile().values
        if not chosen:
            raise UserError("no values to draft a vision from: state a few first")
        draft = vision.draft_vision(chosen, aspirations, horizon_years)
        return draft.model_copy(update={"citations": self.resolve(draft.citations)})

    def critique_vision(self, statement: str, values: Sequence[str] | None = None) -> VisionCritique:
        """Check a vision statement against the given values, or the profile's."""
        from agent import vision

        result = vision.critique_vision(
            statement, list(values) if values is not None else self.profile().values)
        return result.model_copy(update={"citations": self.resolve(result.citations)})

    def decide(self, question: str, *, options: Sequence[str] = (),
               criteria: Sequence[DecisionCriterion] = (),
               values: Sequence[str] | None = None) -> Decision:
        """Frame a decision against the given values, or the profile's."""
        from agent import decision

        framed = decision.frame_decision(
            question, values=list(values) if values is not None else self.profile().values,
            options=list(options), criteria=list(criteria))
        return framed.model_copy(update={"citations": self.resolve(framed.citations)})

    def evaluate(self, framed: Decision) -> Decision:
        """Rank a fully scored decision, with sensitivity; citations resolved."""
        from agent import decision

        result = decision.evaluate(framed)
        return result.model_copy(update={"citations": self.resolve(result.citations)})

    def prioritize(self, tasks: Sequence[str], *, today: date | None = None) -> Priorities:
        """Eisenhower triage of tasks against the profile's values and vision."""
        from agent import priorities

        profile = self.profile()
        result = priorities.prioritize(list(tasks), today=today or date.today(),
                                       values=profile.values, vision=profile.vision)
        return result.model_copy(update={"citations": self.resolve(result.citations)})

    def ask(self, question: str, k: int = 3) -> Answer:
        """An answer from the guidance, each sentence attributed to its passage."""
        return self.library.ask(question, k=k)

    # --- the conversation ------------------------------------------------------------------

    def reply(self, session: Session, message: str | bytes, *, today: date | None = None) -> Turn:
        """Answer one message and add the turn to the session; never raises for bad input.

        Empty, over-long, binary or hostile messages get a one-line reply and change
        nothing. With the openai provider the model writes the turn; if it fails for any
        reason the offline coach answers and the turn carries a notice saying so.
        """
        today = today or date.today()
        screened = self._screen(message)
        if isinstance(screened, Turn):
            return session.add(screened)
        text = screened
        if self.settings.active_provider == "openai":
            turn = self._llm_or_offline(session, text, today)
        else:
            turn = self.offline_turn(session, text, today)
        turn.message = text
        return session.add(turn)

    def _screen(self, message: str | bytes) -> str | Turn:
        """The cleaned message, or the one-line turn that refuses it."""
        try:
            text = clean_text(message, "message", self.settings.max_input_chars)
        except UserError as e:
            return Turn(reply=_say("rejected", reason=str(e)), intent="rejected")
        if intents.is_hostile(text):
            return Turn(message=text, reply=_say("hostile", excerpt=_excerpt(text, 12)),
                        intent="hostile")
        return text

    def _llm_or_offline(self, session: Session, text: str, today: date) -> Turn:
        try:
            from agent.llm import llm_turn

            kwargs = {"model": self.chat_model} if self.chat_model is not None else {}
            return llm_turn(self, session, text, today=today, **kwargs)
        except Exception as e:  # any failure of the model path: answer offline instead
            turn = self.offline_turn(session, text, today)
            turn.notice = NOTICE.format(reason=_short_reason(e))
            # What the failed attempt cost still counts (LLMError carries it).
            turn.calls += int(getattr(e, "calls", 0) or 0)
            turn.input_tokens += int(getattr(e, "input_tokens", 0) or 0)
            turn.output_tokens += int(getattr(e, "output_tokens", 0) or 0)
            return turn

    def offline_turn(self, session: Session, message: str, today: date) -> Turn:
        """The offline coach's turn: classify, run the engine, save, answer from templates.

        Updates the session's thread but does not append the turn (`reply` does).
        """
        screened = self._screen(message)
        if isinstance(screened, Turn):
            return screened
        text = screened
        intent = intents.classify(text, expecting=session.expecting)
        handler: Callable[[Session, str, date], Turn] = getattr(self, f"_on_{intent.name}")
        try:
            turn = handler(session, text, today)
        except UserError as e:
            turn = Turn(reply=_say("problem", reason=str(e).rstrip(".")))
        except ValidationError as e:  # a value the records refuse (e.g. a score out of range)
            first = e.errors()[0]
            turn = Turn(reply=_say("problem", reason=f"{first['msg']}".rstrip(".")))
        except Exception as e:
            # A bug, not the person's mistake: one line and a notice keep the conversation
            # going (each record is saved whole, so what was saved stays readable).
            if os.environ.get("ALIGN_DEBUG"):
                raise
            turn = Turn(reply=_say("broken"), notice=f"internal error: {_short_reason(e)}")
        turn.message = text
        turn.intent = intent.name
        return turn

    def context(self, session: Session) -> str:
        """What the coach knows, in plain lines for the LLM's system prompt."""
        profile = self.profile()
        thread = session.thread
        current_goal = decision = vision_draft = None
        if isinstance(thread, GoalThread):
            c = thread.critique
            current_goal = {
                "id": thread.goal_id, "text": thread.text, "score": c.score,
                "versions": self._version_count(thread),
                "letters": [{"name": LETTER_NAMES[name], "status": crit.status,
                             "feedback": crit.feedback}
                            for name, crit in _criteria(c)],
                "asked": LETTER_NAMES.get(thread.asked or "", thread.asked),
                "skipped": [LETTER_NAMES[s] for s in thread.skipped],
            }
        elif isinstance(thread, DecisionThread):
            d = thread.decision
            scored = [f"{o} on {c}: {s}" for o, row in d.scores.items() for c, s in row.items()
                      if s is not None]
            missing = [f"{o} on {c}" for o, c in _unscored(d)]
            decision = {
                "id": d.id, "question": d.question, "options": d.options,
                "criteria": [c.name for c in d.criteria],
                "scored": "; ".join(scored) or "none", "missing": "; ".join(missing) or "none",
            }
        elif isinstance(thread, VisionThread):
            vision_draft = {"values": thread.values, "asked": thread.asked}
        return _say("context", values=profile.values or session.values, vision=profile.vision,
                    current_goal=current_goal, decision=decision, vision_draft=vision_draft,
                    asked_for_goal=isinstance(thread, GoalAskThread))

    # --- intents ----------------------------------------------------------------------------

    def _on_hostile(self, session: Session, text: str, today: date) -> Turn:
        return Turn(reply=_say("hostile", excerpt=_excerpt(text, 12)))

    def _on_chat(self, session: Session, text: str, today: date) -> Turn:
        greeting = bool(intents.GREETING.search(text))
        return Turn(reply=_say("chat", greeting=greeting, pending=self._pending(session)))

    def _on_guidance(self, session: Session, text: str, today: date) -> Turn:
        answer = self.ask(text)
        # One relevance rule for the CLI, the app and the coach: the library's floor,
        # calibrated on the retrieval eval's unanswerable questions.
        if not answer.found:
            reply = _say("guidance_none", question=_excerpt(text))
        else:
            reply = _say("guidance", answer=answer.answer) + "\n" + _cite_passages(answer)
        pending = self._pending(session)
        if pending:
            reply += "\n\n" + pending
        return Turn(reply=reply, records=[answer])

    def _on_skip(self, session: Session, text: str, today: date) -> Turn:
        thread = session.thread
        if isinstance(thread, GoalThread):
            if thread.asked == "check_in":
                return self._goal_check_in(session, thread, "no", today)
            if thread.asked in LETTER_NAMES:
                return self._goal_skip(session, thread, today)
        if isinstance(thread, VisionThread):
            if thread.asked == "aspirations":
                return self._vision_drafts(session, thread, None)
            if thread.asked == "choose":
                return self._on_done(session, text, today)
            return Turn(reply=_say("vision_ask_values"))
        if isinstance(thread, DecisionThread) and thread.asked == "score" and thread.cell:
            return self._decision_skip(session, thread)
        if thread is not None:
            return self._on_done(session, text, today)
        return Turn(reply=_say("nothing_to_skip"))

    def _on_done(self, session: Session, text: str, today: date) -> Turn:
        thread = session.thread
        session.thread = None
        if isinstance(thread, GoalThread):
            c = thread.critique
            return Turn(reply=_say("goal_summary", stopped=True, goal=thread.text, score=c.score,
                                   versions=self._version_count(thread), open=_open_letters(c)))
        if isinstance(thread, VisionThread) and thread.draft is not None:
            return Turn(reply=_say("vision_kept", draft_id=thread.draft.id))
        if isinstance(thread, DecisionThread):
            d = thread.decision
            if thread.asked != "score":  # not framed yet, so never saved
                return Turn(reply=_say("decision_dropped", question=d.question))
            return Turn(reply=_say("decision_partial", question=d.question,
                                   still_open=_open_summary(d), decision_id=d.id))
        if thread is not None:
            return Turn(reply=_say("offer_declined"))
        return Turn(reply=_say("nothing_in_progress"))

    def _on_answer(self, session: Session, text: str, today: date) -> Turn:
        thread = session.thread
        if isinstance(thread, GoalThread):
            if thread.asked == "check_in":
                return self._goal_check_in(session, thread, text, today)
            return self._goal_answer(session, thread, text, today)
        if isinstance(thread, GoalAskThread):
            return self._goal_ask_answer(session, thread, text, today)
        if isinstance(thread, VisionThread):
            return self._vision_answer(session, thread, text)
        if isinstance(thread, DecisionThread):
            return self._decision_answer(session, thread, text)
        if isinstance(thread, TasksThread):
            return self._prioritize(session, text, today, asked=True)
        if isinstance(thread, ReflectionThread):
            return self._reflect(session, text, today, asked=True)
        if isinstance(thread, OfferThread):
            session.thread = None
            if intents.parse_yes_no(text):
                return self._on_draft_vision(session, "", today)
            return Turn(reply=_say("offer_declined"))
        return self._on_chat(session, text, today)

    # --- values and vision --------------------------------------------------------------

    def _remember_values(self, session: Session, values: Sequence[str]) -> Profile:
        from agent.store import edit_profile

        profile = edit_profile(self.profile(), add_values=list(values))
        self.store.save_profile(profile)
        for value in values:
            if all(v.casefold() != value.casefold() for v in session.values):
                session.values.append(value)
        return profile

    def _on_values(self, session: Session, text: str, today: date) -> Turn:
        values = intents.extract_values(text)
        if not values:
            return Turn(reply=_say("values_missing", message=_excerpt(text)))
        profile = self._remember_values(session, values)
        pending = self._pending(session)
        if pending:  # values said in passing: keep the thread going
            return Turn(reply=_say("values_aside", values=values, pending=pending),
                        records=[profile])
        offer = not profile.vision
        if offer:
            session.thread = OfferThread(action="draft_vision")
        return Turn(reply=_say("values_saved", values=values, offer=offer), records=[profile])

    def _on_vision(self, session: Session, text: str, today: date) -> Turn:
        from agent.store import edit_profile

        statement = intents.vision_text(text)
        checked = self.critique_vision(statement)
        profile = edit_profile(self.profile(), vision=statement,
                               max_vision_chars=self.settings.max_input_chars)
        self.store.save(checked)
        self.store.save_profile(profile)
        failed = [c.feedback for c in checked.checks if not c.passed]
        reply = _say("vision_saved", statement=statement, failed=failed)
        reply += "\n" + _cite(checked.citations[:1])
        return Turn(reply=reply, records=[checked, profile])

    def _on_draft_vision(self, session: Session, text: str, today: date) -> Turn:
        stated = intents.extract_values(text) if intents.VALUES_STRONG.search(text) else []
        records: list[Any] = []
        if stated:
            records.append(self._remember_values(session, stated))
        values = stated or self.profile().values or session.values
        thread = VisionThread(values=list(values), asked="aspirations" if values else "values")
        session.thread = thread
        if not values:
            return Turn(reply=_say("vision_ask_values"), records=records)
        return Turn(reply=_say("vision_ask_aspirations", values=values), records=records)

    def _vision_answer(self, session: Session, thread: VisionThread, text: str) -> Turn:
        if thread.asked == "values":
            values = intents.extract_values(text)
            if not values:
                return Turn(reply=_say("values_missing", message=_excerpt(text)))
            profile = self._remember_values(session, values)
            session.thread = thread.model_copy(update={"values": values, "asked": "aspirations"})
            return Turn(reply=_say("vision_ask_aspirations", values=values), records=[profile])
        if thread.asked == "aspirations":
            # The drafter reads a horizon ("in ten years") and drops lead-ins itself.
            return self._vision_drafts(session, thread, text)
        drafts = [thread.draft.statement, *thread.draft.alternatives] if thread.draft else []
        index = intents.parse_choice(text, len(drafts))
        if index is None:
            return Turn(reply=_say("vision_choose_again", count=len(drafts)))
        return self._vision_choose(session, thread, index)

    def _vision_drafts(self, session: Session, thread: VisionThread,
                       aspirations: str | None) -> Turn:
        draft = self.draft_vision(thread.values, aspirations)
        self.store.save(draft)
        session.thread = thread.model_copy(
            update={"aspirations": aspirations, "asked": "choose", "draft": draft})
        missing = [v for v, ok in draft.values_covered.items() if not ok]
        reply = _say("vision_drafts", drafts=[draft.statement, *draft.alternatives],
                     missing=missing, draft_id=draft.id)
        return Turn(reply=reply + "\n" + _cite(draft.citations[:1]), records=[draft])

    def _vision_choose(self, session: Session, thread: VisionThread, index: int) -> Turn:
        from agent import vision
        from agent.store import edit_profile

        draft = thread.draft
        assert draft is not None
        drafts = [draft.statement, *draft.alternatives]
        statement = drafts[index]
        chosen = draft.model_copy(update={
            "statement": statement,
            "alternatives": [d for i, d in enumerate(drafts) if i != index],
            "values_covered": {v: vision.names_value(statement, v) for v in draft.values},
            "chosen": True,
        })
        profile = edit_profile(self.profile(), vision=statement,
                               max_vision_chars=max(self.settings.max_input_chars, len(statement)))
        self.store.save(chosen)
        self.store.save_profile(profile)
        # The reply asks for a first goal: the next message is that goal.
        session.thread = GoalAskThread()
        citations = self.resolve(cite("goal_sequence"))
        return Turn(reply=_say("vision_chosen", statement=statement) + "\n" + _cite(citations),
                    records=[chosen, profile])

    # --- goals ------------------------------------------------------------------------------

    def _on_goal(self, session: Session, text: str, today: date) -> Turn:
        qualifier = intents.goal_request(text)
        goal = intents.goal_text(text)
        if qualifier is not None or not _has_words(goal):
            # "Help me refine a goal." names no goal to critique: ask for it first.
            session.thread = GoalAskThread(qualifier=qualifier or "")
            return Turn(reply=_say("goal_ask", qualifier=qualifier or "", again=False))
        return self._start_goal(session, goal, today)

    def _goal_ask_answer(self, session: Session, thread: GoalAskThread, text: str,
                         today: date) -> Turn:
        """The answer to "what's the goal?": the goal, a refusal, or still no goal."""
        from agent.when import find_when

        if _DECLINE.match(text):
            session.thread = None
            return Turn(reply=_say("offer_declined"))
        goal = intents.goal_text(text)
        yes_no = intents.parse_yes_no(text) is not None and len(text.split()) <= 3
        if intents.goal_request(text) is not None or not _has_words(goal) or yes_no:
            if thread.misses >= 1:  # twice no goal: stop asking
                session.thread = None
                return Turn(reply=_say("goal_ask_stop"))
            session.thread = thread.model_copy(update={"misses": thread.misses + 1})
            return Turn(reply=_say("goal_ask", qualifier=thread.qualifier, again=True))
        # "a goal for next quarter", then "ship billing v2": the time said first still counts.
        if thread.qualifier and find_when(thread.qualifier, today) and not find_when(goal, today):
            goal = f"{goal.rstrip(' .')} {thread.qualifier}"
        session.thread = None
        return self._start_goal(session, goal, today)

    def _start_goal(self, session: Session, goal_words: str, today: date) -> Turn:
        critique = self.critique(goal_words, today=today)
        goal = self.store.start_goal(critique)
        thread = GoalThread(goal_id=goal.id, text=critique.goal, critique=critique)
        if critique.smart:
            return self._goal_is_smart(session, thread, today, [critique, goal])
        letter = _next_letter(critique, [])
        if letter is None:  # nothing more to ask (e.g. only relevance unknown)
            return self._goal_is_smart(session, thread, today, [critique, goal])
        session.thread = thread.model_copy(update={"asked": letter})
        reply = _say("goal_first", goal=critique.goal, score=critique.score,
                     letters=_marks(critique), feedback=_criterion(critique, letter).feedback,
                     letter=LETTER_NAMES[letter], question=_question(critique, letter),
                     goal_id=goal.id)
        return Turn(reply=reply + "\n" + _cite(_letter_citation(critique, letter)),
                    records=[critique, goal])

    def _goal_answer(self, session: Session, thread: GoalThread, text: str, today: date) -> Turn:
        from agent import smart

        letter = thread.asked
        off_scale = smart.off_scale_confidence(text) if letter == "achievable" else None
        if off_scale:  # "15/10" would otherwise be folded into the goal's words
            return Turn(reply=_say("confidence_again", rating=off_scale[:12],
                                   question=_question(thread.critique, letter)))
        # "I'd like to hold weekly 1:1s" answers with an action: the lead-in is not part of it.
        merged = smart.merge_answer(thread.text, intents.goal_text(text), today=today, letter=letter)
        if " ".join(merged.split()).casefold() == " ".join(thread.text.split()).casefold():
            if thread.misses >= 1:  # twice nothing usable: don't keep asking the same thing
                return self._goal_skip(session, thread, today, missed=True)
            session.thread = thread.model_copy(update={"misses": thread.misses + 1})
            return Turn(reply=_say("goal_no_change", answer=_excerpt(text), goal=thread.text,
                                   letter=LETTER_NAMES.get(letter or "", "Next"),
                                   question=_question(thread.critique, letter)))
        critique = self.critique(merged, today=today)
        goal = self.store.add_version(thread.goal_id, critique)
        before = thread.critique
        newly_met = [LETTER_NAMES[n] for n, crit in _criteria(critique)
                     if crit.status == "met" and _criterion(before, n).status != "met"]
        updated = thread.model_copy(update={"text": critique.goal, "critique": critique,
                                            "misses": 0})
        records = [critique, goal]
        if critique.smart:
            return self._goal_is_smart(session, updated, today, records, versions=len(goal.versions))
        following = _next_letter(critique, updated.skipped)
        if following is None:
            return self._goal_wrap_up(session, updated, records, len(goal.versions))
        session.thread = updated.model_copy(update={"asked": following})
        reply = _say("goal_progress", answer=_excerpt(text), goal=critique.goal,
                     score=critique.score, version=len(goal.versions), newly_met=newly_met,
                     letters=_marks(critique), letter=LETTER_NAMES[following],
                     question=_question(critique, following))
        return Turn(reply=reply + "\n" + _cite(_letter_citation(critique, following)),
                    records=records)

    def _goal_skip(self, session: Session, thread: GoalThread, today: date,
                   missed: bool = False) -> Turn:
        skipped = [*thread.skipped, thread.asked] if thread.asked else list(thread.skipped)
        updated = thread.model_copy(update={"skipped": skipped, "misses": 0})
        following = _next_letter(thread.critique, skipped)
        if following is None:
            turn = self._goal_wrap_up(session, updated, [], self._version_count(thread))
            turn.reply = _say("goal_skip", skipped=LETTER_NAMES.get(thread.asked or "", "that"),
                              letter=None, question=None) + "\n" + turn.reply
            return turn
        session.thread = updated.model_copy(update={"asked": following})
        reply = _say("goal_skip", skipped=LETTER_NAMES.get(thread.asked or "", "that"),
                     letter=LETTER_NAMES[following],
                     question=_question(thread.critique, following))
        return Turn(reply=reply + "\n" + _cite(_letter_citation(thread.critique, following)))

    def _goal_wrap_up(self, session: Session, thread: GoalThread, records: list[Any],
                      versions: int) -> Turn:
        session.thread = None
        c = thread.critique
        return Turn(reply=_say("goal_summary", stopped=False, goal=thread.text, score=c.score,
                               versions=versions, open=_open_letters(c)), records=records)

    def _goal_is_smart(self, session: Session, thread: GoalThread, today: date,
                       records: list[Any], versions: int = 1) -> Turn:
        from agent.when import add_months

        check_in = add_months(today, 1)
        session.thread = thread.model_copy(update={"asked": "check_in", "check_in": check_in})
        profile = self.profile()
        relevant = thread.critique.criteria.relevant
        fit = relevant.feedback if relevant.status != "unknown" else (
            relevant.question or _FALLBACK_QUESTIONS["relevant"])
        vision = (profile.vision or "").rstrip(". ")
        reply = _say("goal_smart", goal=thread.text, score=thread.critique.score,
                     versions=versions, goal_id=thread.goal_id,
                     vision=_excerpt(vision, 12) if vision else None, fit=_short_quotes(fit),
                     check_in=check_in.isoformat())
        citations = self.resolve(cite("accountability"))
        return Turn(reply=reply + "\n" + _cite(citations), records=records)

    def _goal_check_in(self, session: Session, thread: GoalThread, text: str, today: date) -> Turn:
        from agent.when import find_when

        when = find_when(text, today)
        answer = intents.parse_yes_no(text)
        on = when.deadline if when and when.deadline and when.deadline >= today else None
        if on is None and answer is None:
            return Turn(reply=_say("check_in_again", answer=_excerpt(text),
                                   date=(thread.check_in or today).isoformat()))
        session.thread = None
        if on is None and answer is False:
            return Turn(reply=_say("check_in_declined", goal=thread.text))
        on = on or thread.check_in or today
        goal = self.store.get(thread.goal_id)
        assert isinstance(goal, Goal)
        goal = goal.model_copy(update={"next_check_in": on})
        self.store.save(goal)
        citations = self.resolve(cite("monitor_progress"))
        return Turn(reply=_say("check_in_set", date=on.isoformat(), goal=thread.text)
                    + "\n" + _cite(citations), records=[goal])

    def _version_count(self, thread: GoalThread) -> int:
        try:
            goal = self.store.get(thread.goal_id)
        except UserError:
            return 1
        return len(goal.versions) if isinstance(goal, Goal) else 1

    # --- decisions --------------------------------------------------------------------------

    def _on_decision(self, session: Session, text: str, today: date) -> Turn:
        question, aside = intents.split_decision(text)
        records: list[Any] = []
        stated = intents.extract_values(aside) if intents.VALUES_STRONG.search(aside) else []
        if stated:
            records.append(self._remember_values(session, stated))
        # "Which should I pick: A or B?": the options are after the colon.
        named = intents.extract_options(question.split(":", 1)[1]) if ":" in question else []
        framed = self.decide(question, options=named) if len(named) >= 2 else self.decide(question)
        if len(framed.options) < 2:
            options = intents.extract_options(question)
            if len(options) >= 2:
                framed = self.decide(question, options=options)
        return self._decision_next(session, framed, records, first=True)

    def _decision_next(self, session: Session, framed: Decision, records: list[Any],
                       first: bool = False) -> Turn:
        """Ask for what the decision still needs: options, criteria, then each score."""
        if len(framed.options) < 2:
            session.thread = DecisionThread(decision=framed, asked="options")
            return Turn(reply=_say("decision_ask_options", question=framed.question),
                        records=records)
        if not framed.criteria:
            session.thread = DecisionThread(decision=framed, asked="criteria")
            return Turn(reply=_say("decision_ask_criteria", options=framed.options),
                        records=records)
        self.store.save(framed)
        cell = _next_cell(framed, None)
        if cell is None:
            return self._decision_result(session, framed, records)
        session.thread = DecisionThread(decision=framed, asked="score", cell=cell)
        score_question = _say("score_question", criterion=cell[1], option=_option_phrase(cell[0]))
        if not first:
            return Turn(reply=score_question, records=[*records, framed])
        example = ", ".join(f"{name} {n}" for name, n in zip(_short_names(framed.options), (2, 4), strict=False))
        reply = _say("decision_framed", question=framed.question, options=framed.options,
                     criteria=[c.name for c in framed.criteria],
                     conflicts=[c.reason for c in framed.conflicts],
                     example=example, score_question=score_question)
        return Turn(reply=reply + "\n" + _cite(framed.citations[:2]), records=[*records, framed])

    def _decision_answer(self, session: Session, thread: DecisionThread, text: str) -> Turn:
        framed = thread.decision
        if thread.asked == "options":
            options = intents.extract_options(text) or intents.extract_values(text)
            if len(options) < 2:
                return Turn(reply=_say("decision_ask_options", question=framed.question))
            reframed = self.decide(framed.question, options=options, criteria=framed.criteria)
            return self._decision_next(session, reframed, [], first=True)
        if thread.asked == "criteria":
            names = intents.extract_criteria(text)
            if not names:
                return Turn(reply=_say("decision_ask_criteria", options=framed.options))
            criteria = [DecisionCriterion(name=n, weight=1.0) for n in names]
            reframed = self.decide(framed.question, options=framed.options, criteria=criteria)
            return self._decision_next(session, reframed, [], first=True)
        return self._decision_score(session, thread, text)

    def _decision_score(self, session: Session, thread: DecisionThread, text: str) -> Turn:
        from agent import decision

        framed = thread.decision
        asked = thread.cell or _next_cell(framed, None, skip=thread.skipped)
        if asked is None:  # nothing left to score (should not happen while asking)
            return self._decision_result(session, framed, [])
        question = _say("score_question", criterion=asked[1], option=_option_phrase(asked[0]))
        try:
            readings = intents.read_scores(text, framed.options)
            filled = _fill_cells(framed, asked, readings, skip=thread.skipped)
        except ValueError as e:  # out of range, a range, too many: one line, nothing changes
            return Turn(reply=_say("score_again", problem=str(e), score_question=question))
        if not filled:
            return self._decision_reshape(session, thread, text, question)
        for (name, criterion), score in filled.items():
            framed = decision.set_score(framed, name, criterion, score)
        self.store.save(framed)
        noted = _say("scores_noted", noted=_noted_groups(filled))
        cell = _next_cell(framed, asked[1], skip=thread.skipped)
        if cell is None and _unscored(framed):  # only skipped cells are left
            session.thread = None
            return Turn(reply=noted + "\n" + _say(
                "decision_partial", question=framed.question, still_open=_open_summary(framed),
                decision_id=framed.id), records=[framed])
        if cell is None:
            turn = self._decision_result(session, framed, [])
            turn.reply = noted + "\n" + turn.reply
            return turn
        session.thread = thread.model_copy(update={"decision": framed, "cell": cell})
        return Turn(reply=noted + " " + _say("score_question", criterion=cell[1],
                                             option=_option_phrase(cell[0])), records=[framed])

    def _decision_reshape(self, session: Session, thread: DecisionThread, text: str,
                          question: str) -> Turn:
        """No score in the answer: other options ("A or B") or criteria ("budget, speed")."""
        from agent import decision

        framed = thread.decision
        options = intents.extract_options(text)
        if len(options) >= 2:
            reframed = self.decide(framed.question, options=options, criteria=framed.criteria)
            return self._decision_next(session, reframed, [], first=True)
        # Short noun phrases only: "it is hard to say" is not a criterion.
        names = [n for n in intents.extract_criteria(text)
                 if len(n.split()) <= 4 and not intents.SOCIAL.search(n)
                 and n.split()[0].lower() not in _PRONOUNS]
        if names and not re.search(r"\d", text):
            for name in names:
                framed = decision.add_criterion(framed, name, decision.DEFAULT_WEIGHT)
            return self._decision_next(session, framed, [], first=True)
        return Turn(reply=_say("score_again", problem=f'I found no score in "{_excerpt(text)}"',
                               score_question=question))

    def _decision_skip(self, session: Session, thread: DecisionThread) -> Turn:
        assert thread.cell is not None
        option, criterion = thread.cell
        skipped = [*thread.skipped, thread.cell]
        cell = _next_cell(thread.decision, criterion, skip=skipped)
        next_question = _say("score_question", criterion=cell[1], option=_option_phrase(cell[0])) if cell else None
        reply = _say("score_skipped", option=option, criterion=criterion,
                     score_question=next_question)
        if cell is None:
            session.thread = None
            d = thread.decision
            reply += "\n" + _say("decision_partial", question=d.question, still_open=_open_summary(d),
                                 decision_id=d.id)
            return Turn(reply=reply)
        session.thread = thread.model_copy(update={"cell": cell, "skipped": skipped})
        return Turn(reply=reply)

    def _decision_result(self, session: Session, framed: Decision, records: list[Any]) -> Turn:
        result = self.evaluate(framed)
        self.store.save(result)
        session.thread = None
        reply = _say("decision_result", question=result.question,
                     ranking=[{"option": r.option, "total": f"{r.total:.2f}"} for r in result.ranking],
                     recommendation=result.recommendation, sensitivity=_sensitivity_words(result),
                     conflicts=[c.reason for c in result.conflicts], decision_id=result.id)
        # The ranking and its sensitivity come from the matrix: its card leads the citations.
        citations = _by_topic(result.citations, "decision_matrix", "value_decisions")
        if not any(c.card_id == CARDS["decision_matrix"] for c in citations):
            citations = [*self.resolve(cite("decision_matrix")), *citations]
        return Turn(reply=reply + "\n" + _cite(citations), records=[*records, result])

    # --- tasks, check-ins, reflections ------------------------------------------------------

    def _on_prioritize(self, session: Session, text: str, today: date) -> Turn:
        return self._prioritize(session, text, today, asked=False)

    def _prioritize(self, session: Session, text: str, today: date, asked: bool) -> Turn:
        tasks = intents.extract_tasks(text)
        if asked and len(tasks) < 2:
            tasks = [t.strip(" -*•") for t in text.splitlines() if t.strip(" -*•")] or tasks
        if len(tasks) < (1 if asked else 2):
            session.thread = TasksThread()
            return Turn(reply=_say("ask_tasks"))
        result = self.prioritize(tasks, today=today)
        self.store.save(result)
        session.thread = None
        groups = []
        for quadrant, title in _QUADRANTS:
            members = [{"task": t.task, "reason": _short_quotes(t.reason).rstrip(".")}
                       for t in result.tasks if t.quadrant == quadrant]
            if members:
                groups.append({"title": title, "tasks": members})
        reply = _say("priorities", today=today.isoformat(), groups=groups, record_id=result.id)
        return Turn(reply=reply + "\n" + _cite(result.citations[:2]), records=[result])

    def _on_checkin(self, session: Session, text: str, today: date) -> Turn:
        goals = [g for g in self.store.goals() if g.status == "active"]
        note = _excerpt(text, 40)
        if not goals:
            return Turn(reply=_say("checkin_no_goal", note=note))
        goal = self._match_goal(session, text, goals)
        if goal is None:
            example = intents.goal_text(goals[0].text).split()[:3]
            return Turn(reply=_say("checkin_which", note=note, goals=[g.text for g in goals[:5]],
                                   example=" ".join(example)))
        try:
            progress = intents.parse_progress(text)
        except ValueError as e:  # "150% done": one line, nothing saved
            return Turn(reply=str(e)[0].upper() + str(e)[1:] + ".")
        previous = next((c.progress for c in reversed(goal.check_ins) if c.progress is not None),
                        None)
        check_in = CheckIn(goal_id=goal.id, on=today, progress=progress, note=text)
        updated = self.store.add_check_in(goal.id, check_in)
        reply = _say("checkin_saved", goal=goal.text, progress=progress, date=today.isoformat(),
                     previous=previous, note=note)
        citations = self.resolve(cite("accountability"))
        return Turn(reply=reply + "\n" + _cite(citations),
                    records=[next(c for c in updated.check_ins if c.id == check_in.id), updated])

    def _match_goal(self, session: Session, text: str, goals: list[Goal]) -> Goal | None:
        """The goal a check-in is about: by meaning, else the goal in progress, else the only one."""
        from agent.embeddings import get_model

        # "update on my running goal: 40%": the words naming the goal carry the meaning;
        # the rest of an update looks alike whatever the goal.
        subject = intents.goal_subject(text)
        vectors = get_model().embed([subject or text, *[g.text for g in goals]])
        sims = sorted(((float(v @ vectors[0]), i) for i, v in enumerate(vectors[1:])), reverse=True)
        best, index = sims[0]
        ahead = best - (sims[1][0] if len(sims) > 1 else 0.0)
        if best >= (0.25 if subject else 0.35) and ahead >= 0.08:
            return goals[index]
        if isinstance(session.thread, GoalThread):
            return next((g for g in goals if g.id == session.thread.goal_id), None)
        return goals[0] if len(goals) == 1 else None

    def _on_reflect(self, session: Session, text: str, today: date) -> Turn:
        return self._reflect(session, text, today, asked=False)

    def _reflect(self, session: Session, text: str, today: date, asked: bool) -> Turn:
        body = intents.reflection_text(text)
        if not asked and len(body.split()) < 5:
            session.thread = ReflectionThread()
            return Turn(reply=_say("reflection_ask", questions=REFLECTION_QUESTIONS))
        reflection = Reflection(on=today, text=body,
                                prompts=list(REFLECTION_QUESTIONS))
        self.store.save(reflection)
        session.thread = None
        citations = self.resolve(cite("monthly_reflection"))
        # Asked for, the questions were just shown: don't repeat all four.
        reply = _say("reflection_saved", date=today.isoformat(), excerpt=_excerpt(body, 30),
                     questions=() if asked else REFLECTION_QUESTIONS)
        return Turn(reply=reply + "\n" + _cite(citations), records=[reflection])

    # --- what is pending ----------------------------------------------------------------------

    def _pending(self, session: Session) -> str | None:
        """The question the coach is waiting on, to repeat after a detour; None if none."""
        thread = session.thread
        if isinstance(thread, GoalThread):
            if thread.asked == "check_in":
                return _say("pending", thing="goal",
                            question=f"Shall I set the check-in for {thread.check_in}?")
            if thread.asked:
                return _say("pending", thing="goal", question=f"{LETTER_NAMES[thread.asked]}: "
                            f"{_question(thread.critique, thread.asked)}")
        if isinstance(thread, GoalAskThread):
            return _say("pending", thing="goal", question=_say("goal_ask", qualifier=thread.qualifier,
                                                               again=False))
        if isinstance(thread, VisionThread):
            question = {"values": "Which values should it stand on?",
                        "aspirations": "What do you hope to achieve or become?",
                        "choose": "Which draft is closest to you?"}[thread.asked]
            return _say("pending", thing="vision", question=question)
        if isinstance(thread, DecisionThread) and thread.cell:
            return _say("pending", thing="decision", question=_say(
                "score_question", criterion=thread.cell[1], option=_option_phrase(thread.cell[0])))
        if isinstance(thread, TasksThread):
            return _say("ask_tasks")
        return None


# --- helpers over records -------------------------------------------------------------------


def _criteria(critique: SmartCritique) -> list[tuple[str, Any]]:
    return [(name, getattr(critique.criteria, name)) for name in LETTER_NAMES]


def _open_letters(critique: SmartCritique) -> list[str]:
    """Letters still to work on; relevance is not open when there was nothing to judge it by."""
    return [LETTER_NAMES[n] for n, c in _criteria(critique)
            if c.status != "met" and not (n == "relevant" and c.status == "unknown")]


def _criterion(critique: SmartCritique, letter: str) -> Any:
    return getattr(critique.criteria, letter)


def _question(critique: SmartCritique, letter: str | None) -> str:
    if letter not in LETTER_NAMES:
        return ""
    return _criterion(critique, letter).question or _FALLBACK_QUESTIONS[letter]


def _marks(critique: SmartCritique) -> str:
    return _say("letters", marks=[{"name": LETTER_NAMES[n], "mark": MARKS[c.status]}
                                  for n, c in _criteria(critique)])


def _next_letter(critique: SmartCritique, skipped: Sequence[str]) -> str | None:
    """The letter to ask about next: the engine's weakest, unless the person skipped it."""
    from agent import smart

    weakest = smart.weakest_letter(critique)
    if weakest is None or weakest not in skipped:
        return weakest
    judged = bool(critique.values or critique.vision)  # else relevance can't be asked about
    open_letters = [n for n, c in _criteria(critique)
                    if c.status != "met" and n not in skipped
                    and (judged or n != "relevant")]
    if not open_letters:
        return None
    return min(open_letters, key=lambda n: (_STATUS_RANK.get(_criterion(critique, n).status, 3),
                                            list(LETTER_NAMES).index(n)))


def _letter_citation(critique: SmartCritique, letter: str) -> list[Citation]:
    wanted = cite(f"smart_{letter}")[0].card_id
    found = [c for c in critique.citations if c.card_id == wanted]
    return found or critique.citations[:1]


def _cite(citations: Sequence[Citation]) -> str:
    """The citation lines under a reply: section and source, each once."""
    seen, unique = set(), []
    for c in citations:
        if c.section and c.source and (c.section, c.source) not in seen:
            seen.add((c.section, c.source))
            unique.append({"section": c.section, "source": c.source})
    return _say("cite", citations=unique) if unique else ""


def _cite_passages(answer: Answer) -> str:
    """Citation lines for the passages an answer quotes (its "[label]"s), the top one always."""
    used = [p for i, p in enumerate(answer.passages)
            if i == 0 or f"[{p.section}]" in answer.answer or f"[{p.source}" in answer.answer]
    return _cite([Citation(card_id=p.card_id, title=p.title, source=p.source, section=p.section)
                  for p in used])


def _has_words(text: str) -> bool:
    """True when the text has a word of two letters or more (".", "??" or "3" have none)."""
    return bool(re.search(r"[^\W\d_]{2,}", text))


def _by_topic(citations: Sequence[Citation], *topics: str) -> list[Citation]:
    """The citations of the given topics' cards, in the topics' order."""
    by_id = {c.card_id: c for c in citations}
    return [by_id[CARDS[t]] for t in topics if CARDS[t] in by_id]


def _asking_order(framed: Decision, start: tuple[str, str],
                  skip: Sequence[tuple[str, str]] = ()) -> list[tuple[str, str]]:
    """The unscored cells in the order the coach would ask for them, from `start` on."""
    open_cells = _unscored(framed)
    order = [start] if start in open_cells and start not in skip else []
    taken = {*skip, *order}
    criterion = start[1]
    while True:
        cells = [c for c in open_cells if c not in taken]
        if not cells:
            return order
        same = [c for c in cells if c[1] == criterion]
        cell = (same or cells)[0]
        order.append(cell)
        taken.add(cell)
        criterion = cell[1]


def _fill_cells(framed: Decision, asked: tuple[str, str],
                readings: Sequence[tuple[str | None, int]],
                skip: Sequence[tuple[str, str]] = ()) -> dict[tuple[str, str], int]:
    """Which cell each score in an answer is for, in the order given.

    A score that names an option is for that option on the criterion asked about; bare
    scores fill the asked cell, then the next unscored cells in asking order. ValueError
    (a sentence for the person) when there are more bare scores than open cells.
    """
    filled: dict[tuple[str, str], int] = {}
    for option, score in readings:
        if option is not None:
            filled[(option, asked[1])] = score
    bare = [score for option, score in readings if option is None]
    order = [c for c in _asking_order(framed, asked, skip) if c not in filled]
    if len(bare) > len(order):
        open_count = len(order)
        raise ValueError(f"I count {len(bare)} scores but only {open_count} "
                         f"{'is' if open_count == 1 else 'are'} open to fill")
    filled.update(zip(order, bare, strict=False))
    return filled


def _noted_groups(filled: dict[tuple[str, str], int]) -> list[dict[str, Any]]:
    """Filled cells grouped by criterion, for the line that says what was recorded."""
    groups: dict[str, list[dict[str, Any]]] = {}
    for (option, criterion), score in filled.items():
        groups.setdefault(criterion, []).append({"option": option, "score": score})
    return [{"criterion": c, "cells": cells} for c, cells in groups.items()]


def _open_summary(framed: Decision) -> str:
    """The scores still open, in one short sentence: counted, with at most OPEN_SHOWN named."""
    cells = _unscored(framed)
    criteria = len({c for _, c in cells})
    return _say("open_scores", open_count=len(cells), open_criteria=criteria,
                shown=[f"{o} on {c}" for o, c in cells[:OPEN_SHOWN]])


def _unscored(framed: Decision) -> list[tuple[str, str]]:
    from agent import decision

    return decision.unscored(framed)


def _next_cell(framed: Decision, criterion: str | None,
               skip: Sequence[tuple[str, str]] = ()) -> tuple[str, str] | None:
    """The next (option, criterion) to score, staying on the same criterion while it lasts."""
    cells = [c for c in _unscored(framed) if c not in skip]
    if not cells:
        return None
    same = [c for c in cells if c[1] == criterion]
    return (same or cells)[0]


_OPTION_VERBS = frozenset({
    "take", "stay", "go", "decline", "accept", "move", "join", "leave", "keep", "say", "hire",
    "negotiate", "switch", "turn", "quit", "sell", "buy", "start", "build", "launch", "run",
    "apply", "resign", "relocate", "wait", "delay", "promote", "ask", "tell",
})


def _option_phrase(option: str) -> str:
    """An option as it reads mid-sentence: "Take the role" -> "taking the role"."""
    from agent import vision

    first, _, rest = option.partition(" ")
    if first.lower() in _OPTION_VERBS:
        return vision.gerund(option[0].lower() + option[1:])
    if first[:1].isupper() and first[1:2].islower():
        return option[0].lower() + option[1:]
    return option


def _short_names(options: Sequence[str]) -> list[str]:
    """A word that tells each option apart ("take", "stay"), for the scoring example."""
    words = [[w.lower() for w in re.findall(r"[A-Za-z']+", o)] for o in options]
    names = []
    for i, own in enumerate(words):
        others = {w for j, ws in enumerate(words) if j != i for w in ws}
        names.append(next((w for w in own if w not in others and w not in _SMALL_WORDS),
                          own[0] if own else options[i]))
    return names


_PRONOUNS = frozenset({"i", "i'm", "it", "it's", "that", "this", "we", "you", "they", "he", "she",
                       "not", "no", "maybe", "hard", "depends"})
_SMALL_WORDS = frozenset({"a", "an", "the", "to", "of", "my", "i", "in", "at", "on", "for", "one",
                          "two", "three", "four", "five", "which", "should", "pick"})


def _sensitivity_words(result: Decision) -> str:
    from agent import decision

    shifts = [decision.describe_sensitivity(s, result) for s in result.sensitivity
              if s.weight_change is not None]
    if not shifts:
        return _say("sensitivity_none")
    return _say("sensitivity_some", shifts=shifts)
