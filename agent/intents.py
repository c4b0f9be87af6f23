"""Reading a message: what the person wants, and the pieces the coach needs from it.

Pure functions over text, no I/O: `classify` names the intent of a message given what
the coach last asked (so "by March" or "2" is an answer, not a new topic), and the
`extract_*` / `parse_*` helpers pull values, tasks, scores, dates and choices out of
the person's words. Rules, not a model: they are fast, predictable, and the eval
(`python -m evals.coach`) measures how far they go.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from agent.inputs import instruction_in

INTENTS: tuple[str, ...] = (
    "values",        # states their values
    "vision",        # states their vision statement
    "draft_vision",  # wants a vision drafted
    "goal",          # starts a goal
    "decision",      # weighs a decision
    "prioritize",    # wants a task list triaged
    "guidance",      # asks a question the guidance can answer
    "checkin",       # reports progress on a goal
    "reflect",       # reflects on a period
    "chat",          # anything else: greetings, thanks, feelings
    "answer",        # answers what the coach just asked
    "skip",          # skips the question just asked
    "done",          # wants to stop what is in progress
    "hostile",       # tries to override the coach or destroy data
)
"""Every intent `classify` can return."""

LETTERS = ("specific", "measurable", "achievable", "relevant", "time_bound")


@dataclass(frozen=True)
class Intent:
    """What a message is for, and the rule that decided it (for debugging and evals)."""

    name: str
    rule: str


def _rx(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.IGNORECASE)


# --- cues ------------------------------------------------------------------------------
# Each intent has strong cues (they switch the thread even mid-question) and weak cues
# (they only count when the coach is not waiting for an answer).

# Beyond what `agent.inputs.instruction_in` refuses everywhere: role prefixes, attempts
# at other people's data, and destructive commands aimed at the coach itself.
HOSTILE = _rx(
    r"\b(secret|initial)\s+prompt\b"
    r"|^\s*(system|assistant)\s*:|</?\s*(instructions?)\s*>"
    r"|\bdrop\s+table\b|\brm\s+-rf\b|<script\b"
    r"|\b(delete|erase|wipe|remove|destroy)\b[^.?!]{0,30}\b(all|every|everything|each)\b[^.?!]{0,30}"
    r"\b(records?|data|goals?|files?|users?|database)\b"
    r"|\b(show|reveal|print|dump|give)\b[^.?!]{0,25}\b(every|all|other)\b[^.?!]{0,15}\b(users?'?s?|people'?s?)\b"
)


def is_hostile(text: str) -> bool:
    """True when a message tries to instruct the coach or reach data it should not."""
    return bool(instruction_in(text) or HOSTILE.search(text))

DONE = _rx(
    r"^\s*(ok(ay)?[, ]+)?(i'?m|i am|we'?re|we are)?\s*(all\s+)?(done|finished)(\s+for\s+(now|today))?"
    r"(\s+(here|with\s+(this|that|it)))?\W*$"
    r"|^\s*(that'?s|that is)\s+(all|enough|it)(\s+for\s+(now|today))?\W*$"
    r"|^\s*(let'?s|let us)\s+(stop|end|leave\s+it|wrap\s+up|call\s+it)(\s+(here|there|now|a\s+day))?\W*$"
    r"|^\s*(stop|enough|quit|exit|end|bye|goodbye|good\s*bye|see\s+you|later)\W*$"
)

SKIP = _rx(
    r"^\s*(skip|pass|next|move\s+on)(\s+(that|this|it|the\s+question|that\s+one|this\s+one|question))?"
    r"(\s+(one|please))?\W*$"
    r"|^\s*(i\s+)?(don'?t|do\s+not)\s+know\W*(,?\s*(next|skip|pass|move\s+on))?\W*$"
    r"|^\s*(no\s+idea|not\s+sure|dunno|rather\s+not\s+say|no\s+clue)\W*(,?\s*(next|skip|pass|move\s+on))?\W*$"
)

SOCIAL = _rx(
    r"^\s*(hi|hello|hey|hiya|yo|good\s+(morning|afternoon|evening)|thanks?(\s+you)?|thank\s+you"
    r"|cheers|lol|haha|cool|nice|great|ok(ay)?|hmm+|alright)\b[\w\s,.'!]{0,30}$"
)

GREETING = _rx(r"^\s*(hi|hello|hey|hiya|yo|good\s+(morning|afternoon|evening))\b")

PRIORITIZE_STRONG = _rx(
    r"\bprioriti[sz](e|ing)\b|\bprioriti[sz]ation\b|\beisenhower\b(?!.*\?\s*$)|\btriage\b"
    r"|\bsort\s+(these|this|my|out\s+my)\b|\brank\s+(these|my)\s+(tasks|to-?dos?)\b"
    r"|\bwhat\s+should\s+i\s+(do|tackle|work\s+on|start\s+with|focus\s+on)\s+first\b"
    r"|\btoo\s+(many|much)\s+(things|tasks|stuff|work|on\s+my\s+plate)|\bon\s+my\s+plate\b"
    r"|\bmy\s+(to-?do|task)\s+list\b"
)

DECISION_STRONG = _rx(
    r"\b(decide|deciding|decision)\b|\btorn\s+between\b|\bback\s+and\s+forth\b|\bpros\s+and\s+cons\b"
    r"|\bchoose\s+between\b|\b(which|what)\s+(one\s+)?should\s+i\s+(pick|choose|take|go\s+with)\b"
    r"|\bdilemma\b|\bweigh(ing)?\s+(up\s+)?(the|my|an?|this)\b"
    r"|\bshould\s+i\s+(take|accept|leave|stay|quit|move|join|switch|turn\s+down|decline|say\s+yes"
    r"|say\s+no|go\s+for|apply|resign|hire|relocate|sell|buy|keep|stop)\b"
    r"|\bwhether\s+(to|or\s+not|i\s+should)\b"
)

VALUES_STRONG = _rx(
    r"\bmy\s+(core\s+|personal\s+|top\s+)?values\s+(are|is|would\s+be)\b|^\s*(core\s+|my\s+)?values\s*[:\-]"
    r"|\bwhat\s+matters\s+(most\s+)?to\s+me\s*(is|are|:)|\bi\s+value\b|\bi\s+(really\s+)?care\s+(most\s+)?about\b"
    r"|\bthe\s+things\s+i\s+value\b"
)

VISION_STATED = _rx(
    r"\bmy\s+(personal\s+)?vision(\s+statement)?\s+(is|reads|would\s+be)\b|\bhere'?s\s+my\s+vision\b"
    r"|^\s*(my\s+)?vision(\s+statement)?\s*[:\-]\s*\w"
)

DRAFT_VISION = _rx(
    r"\b(write|draft|create|craft|make|build|come\s+up\s+with|need|want|help\s+me\s+(with|write|draft|craft|find))"
    r"\s+(me\s+)?(up\s+)?(a\s+|my\s+|the\s+|an?\s+new\s+)?(personal\s+)?vision(\s+statement)?\b"
    r"|\bvision(\s+statement)?\s+(from|out\s+of|based\s+on)\b"
    r"|\bhelp\s+(me\s+)?with\s+(a\s+|my\s+)?vision\b"
)

REFLECT_STRONG = _rx(
    r"^\s*(monthly\s+|weekly\s+)?reflection\b|\b(monthly|weekly|quarterly)\s+(review|reflection)\b"
    r"|\btime\s+to\s+reflect\b|\bi\s+want\s+to\s+reflect\b|\blet\s+me\s+reflect\b|\breflect(ing)?\s+on\b"
    r"|\blooking\s+back\b|\blessons?\s+(i\s+)?(learned|learnt)\b"
)
REFLECT_WEAK = _rx(r"\b(this|last|past)\s+(month|week|quarter)\s+i\b|\bin\s+(hindsight|retrospect)\b")

CHECKIN_STRONG = _rx(
    r"\b(update|progress|check[\s-]?in|status)\b[^.?!]{0,40}\bgoal\b"
    r"|\bgoal\b[^.?!]{0,30}\b(update|progress|status)\b"
    r"|\b\d{1,3}\s*%\s*(there|done|of\s+the\s+way|complete|finished|through)"
    r"|\b(half\s*way|on\s+track|off\s+track|behind\s+on|ahead\s+of\s+schedule)\b"
)

GOAL_STRONG = _rx(
    r"\bmy\s+(new\s+|next\s+|main\s+)?goal\s*(is|:|-|would\s+be|for)|\bnew\s+goal\b|^\s*goal\s*[:\-]"
    r"|\bset\s+(a|my|an?\s+new)\s+goal\b|\bhelp\s+me\s+(with|set|refine|sharpen|write)\s+(a|my)\s+goal\b"
    r"|\b(resolution|okr)\s*(is|:)"
)
GOAL_WEAK = _rx(
    r"^\s*((this|next)\s+(year|quarter|month|week)|in\s+\d{4}|by\s+\w+)?,?\s*i(\s+really)?"
    r"(\s+want|\s+would\s+like|'d\s+like|\s+need|\s+plan|\s+hope|\s+aim|\s+intend|\s+am\s+going|'m\s+going"
    r"|\s+will|\s+must)"
    r"\s+to\b"
)
_GOAL_VERB_WORDS = (
    "increase reduce cut grow get run read lose gain hire build launch learn write ship finish "
    "start improve become spend save exercise lead delegate mentor publish complete train speak "
    "give raise lift double halve drop meet walk swim cycle practise practice attend earn close "
    "sign coach develop create deliver present stop quit sleep eat cook study master"
)
GOAL_VERBS = frozenset(_GOAL_VERB_WORDS.split())

QUESTION_START = _rx(
    r"^\s*(how|what|what'?s|why|when|where|which|who|is|are|does|do|should|can|could|would|will|any)\b"
)
GUIDANCE_CUES = _rx(
    r"\b(tips?|advice|guidance|best\s+way|how\s+do\s+i|how\s+can\s+i|how\s+should\s+i|how\s+to"
    r"|what\s+makes|what\s+is\s+an?|what\s+are|explain|example\s+of)\b"
)

YES = _rx(
    r"^\s*(yes|yeah|yep|yup|sure|ok(ay)?|please|sounds\s+good|that\s+works|works\s+for\s+me|do\s+it"
    r"|go\s+ahead|fine|great|perfect|good|let'?s\s+do\s+(it|that)|absolutely|definitely|y)\b"
)
NO = _rx(
    r"^\s*(no|nope|nah|not\s+now|not\s+yet|no\s+thanks|maybe\s+later|later|don'?t|never\s*mind|n)\b"
)

DATE_WORDS = _rx(
    r"\d|\b(jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\b|\b(mon|tues|wednes|thurs|fri"
    r"|satur|sun)day\b|\b(tomorrow|week|month|fortnight)\b"
)

ORDINALS = {
    "first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3, "fourth": 4, "4th": 4,
    "fifth": 5, "5th": 5,
}
CARDINALS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5}


# --- classify ------------------------------------------------------------------------


def _starts_new(text: str) -> str | None:
    """The intent a message clearly starts, whatever the coach was waiting for."""
    if PRIORITIZE_STRONG.search(text) or _bullets(text) >= 2:
        return "prioritize"
    if VISION_STATED.search(text):
        return "vision"
    if DRAFT_VISION.search(text):
        return "draft_vision"
    if REFLECT_STRONG.search(text):
        return "reflect"
    if CHECKIN_STRONG.search(text):
        return "checkin"
    # Before values: "should I take it? I care about family time" is a decision.
    if DECISION_STRONG.search(text):
        return "decision"
    if VALUES_STRONG.search(text):
        return "values"
    if goal_request(text) is not None or (GOAL_STRONG.search(text) and not _asks_how(text)):
        return "goal"
    if _is_question(text):
        return "guidance"
    return None


_HOW_QUESTION = _rx(r"^\s*(how|what|what'?s|why|when|where|which|who|is|are|does|do|should)\b")


def _asks_how(text: str) -> bool:
    """True for a question about goals in general ("how do I set a goal?"), not about one."""
    return (bool(_HOW_QUESTION.search(text)) and _is_question(text)
            and not re.search(r"\bgoal\s*(?:is|:|-)", text, re.IGNORECASE))


def _is_question(text: str) -> bool:
    stripped = text.strip()
    return bool(QUESTION_START.search(stripped)) and (
        stripped.endswith("?") or bool(GUIDANCE_CUES.search(stripped))
    )


def _bullets(text: str) -> int:
    return sum(1 for line in text.splitlines() if re.match(r"^\s*([-*•]|\d{1,2}[.)])\s+\S", line))


# Which newly started intents still count as an answer to what the coach asked:
# asked for values, "my values are x, y" is the answer, not a new topic.
_ANSWER_COMPATIBLE: dict[str, frozenset[str]] = {
    "values": frozenset({"values"}),
    "criteria": frozenset({"values"}),
    "tasks": frozenset({"prioritize"}),
    "reflection": frozenset({"reflect"}),
    "aspirations": frozenset({"goal"}),
    "options": frozenset({"decision"}),
    "goal": frozenset({"goal"}),
}


def classify(message: str, *, expecting: str | None = None) -> Intent:
    """The intent of a message, given what the coach last asked for (None: nothing).

    `expecting` is a SMART letter, "check_in", "confirm", "values", "aspirations",
    "choose", "options", "criteria", "score", "tasks", "reflection" or "goal" (the
    goal itself, after a request such as "help me refine a goal"). While the coach
    waits for an answer, anything that does not clearly start something else is taken
    as the answer.
    """
    text = message.strip()
    if is_hostile(text):
        return Intent("hostile", "hostile")
    if DONE.search(text):
        return Intent("done", "done")
    if expecting in ("check_in", "confirm"):
        if YES.search(text) or NO.search(text):
            return Intent("answer", "yes/no")
        if expecting == "check_in" and DATE_WORDS.search(text) and not _starts_new(text):
            return Intent("answer", "answer:date")
        # Neither yes nor no: the offer lapses and the message stands on its own.
        expecting = None
    if SKIP.search(text):
        return Intent("skip", "skip")
    new = _starts_new(text)
    if expecting is not None:
        if new is None or new in _ANSWER_COMPATIBLE.get(expecting, ()):
            if SOCIAL.search(text) and not _has_content(text):
                return Intent("chat", "social")
            return Intent("answer", f"answer:{expecting}")
        return Intent(new, f"switch:{new}")
    if new is not None:
        return Intent(new, f"strong:{new}")
    if SOCIAL.search(text):
        return Intent("chat", "social")
    if GOAL_WEAK.search(text) or _starts_with_goal_verb(text):
        return Intent("goal", "weak:goal")
    if REFLECT_WEAK.search(text):
        return Intent("reflect", "weak:reflect")
    if "?" in text and GUIDANCE_CUES.search(text):
        return Intent("guidance", "weak:guidance")
    return Intent("chat", "default")


def _has_content(text: str) -> bool:
    """True when a short social-looking message still carries a number or a date word."""
    return bool(re.search(r"\d|\b(by|every|each|per|weekly|monthly|daily)\b", text, re.IGNORECASE))


def _starts_with_goal_verb(text: str) -> bool:
    words = re.findall(r"[a-z']+", text.lower())
    return bool(words) and words[0] in GOAL_VERBS and not text.rstrip().endswith("?")


# --- pieces of a message ----------------------------------------------------------------

_VALUES_LEAD = _rx(
    r"^.*?(my\s+(core\s+|personal\s+|top\s+)?values\s+(are|is|would\s+be)|(core\s+|my\s+)?values\s*[:\-]"
    r"|what\s+matters\s+(most\s+)?to\s+me\s*(is|are|:)?|the\s+things\s+i\s+value\s*(are|:)?"
    r"|i\s+value|i\s+(really\s+)?care\s+(most\s+)?about)\s*:?\s*"
)
_LIST_SPLIT = re.compile(r"\s*(?:,|;|\n|\band\b|&|\+|/)\s*", re.IGNORECASE)


def extract_values(text: str, *, limit: int = 8) -> list[str]:
    """The values named in a message ("my values are family, integrity and learning").

    Without a lead-in the whole text is read as the list (the answer to "which values?").
    Each value keeps the person's wording, without list punctuation; at most `limit`.
    """
    match = _VALUES_LEAD.search(text)
    body = text[match.end():] if match else text
    # A second sentence ("... and learning. Now draft ...") is not part of the list.
    body = re.split(r"(?<=[a-z])[.!?](\s|$)", body, maxsplit=1)[0]
    values: list[str] = []
    for part in _LIST_SPLIT.split(body):
        item = re.sub(r"^(or|also|being|to\s+be|plus)\s+", "", part.strip(" .!?\"'-*•"), flags=re.I)
        item = item.strip(" .!?\"'")
        if not item or len(item.split()) > 6 or len(item) > 60:
            continue
        if all(v.casefold() != item.casefold() for v in values):
            values.append(item)
    return values[:limit]


def extract_tasks(text: str, *, limit: int = 30) -> list[str]:
    """The tasks of a list in a message: bullets, lines, semicolons or commas after a colon."""
    lines = [ln for ln in text.splitlines() if ln.strip()]
    bulleted = [re.sub(r"^\s*([-*•]|\d{1,2}[.)])\s+", "", ln).strip() for ln in lines
                if re.match(r"^\s*([-*•]|\d{1,2}[.)])\s+\S", ln)]
    if len(bulleted) >= 2:
        return bulleted[:limit]
    if len(lines) >= 2 and all(len(ln.split()) <= 15 for ln in lines[1:]):
        head = lines[0]
        rest = lines[1:] if head.rstrip().endswith(":") or _starts_new(head) else lines
        return [ln.strip(" -*•") for ln in rest][:limit]
    body = text
    if ":" in text:
        body = text.split(":", 1)[1]
    parts = re.split(r"\s*;\s*", body) if ";" in body else re.split(r"\s*,\s*", body)
    tasks = []
    for part in parts:
        item = re.sub(r"^(and|or|then|also)\s+", "", part.strip(), flags=re.IGNORECASE)
        item = item.strip(" .?!")
        # "what should I do first" asks for the triage; it is not one of the tasks.
        if item and not PRIORITIZE_STRONG.search(item):
            tasks.append(item)
    # Without a colon or semicolons, commas make a list only when there are three or more.
    enough = 2 if (":" in text or ";" in body) else 3
    return tasks[:limit] if len(tasks) >= enough else []


_GOAL_LEAD = _rx(
    r"^\s*(my\s+(new\s+|next\s+|main\s+)?goal\s*(is|:|-|would\s+be)?\s*(to\s+)?|new\s+goal\s*[:\-]?\s*"
    r"|goal\s*[:\-]\s*|help\s+me\s+(with|set|refine|sharpen|write)\s+(a|my)\s+goal\s*[:\-]?\s*(to\s+)?"
    r"|i(\s+really)?(\s+want|\s+would\s+like|'d\s+like|\s+need|\s+plan|\s+hope|\s+aim|\s+intend)\s+to\s+)"
)


_GOAL_REQUEST = _rx(
    r"^\s*(?:(?:ok(?:ay)?|so|hi|hey|hello|please|now|first)\b[\s,!.]*)*"
    r"(?:(?:can|could|would|will)\s+(?:you|we)\s+(?:please\s+)?"
    r"|(?:i|we)\s*(?:'d|\s+would)\s+like\s+(?:you\s+)?(?:to\s+)?"
    r"|(?:i|we)\s+(?:want|need|have)\s+(?:you\s+)?(?:to\s+)?"
    r"|(?:let'?s|let\s+us)\s+|i'?m\s+(?:here|looking)\s+to\s+)?"
    # "help me", "help me to", "get help with", then optionally what to do with the goal
    r"(?:(?:get\s+)?help(?:\s+(?:me|us))?(?:\s+to)?\s+)?"
    r"(?:(?:work(?:ing)?\s+on|set(?:ting)?(?:\s+up)?|refine|sharpen|write|define|create|make|draft"
    r"|improve|fix|clarify|review|talk\s+(?:about|through)|look\s+at|discuss|think\s+through"
    r"|figure\s+out|come\s+up\s+with|pick|choose|start(?:\s+on)?|plan|with|on)\s+)"
    r"(?:(?:a|an|my|our|the|some|one\s+of\s+my)\s+)?(?:(?:new|next|main|big|first)\s+)?"
    r"(?:smart\s+)?goals?(?:\s+setting)?\b(?P<tail>.*)$"
    r"|^\s*(?:(?:a|my)\s+)?(?:new\s+)?goals?(?:\s+setting)?\W*$"
)
_GOAL_QUALIFIER = _rx(
    r"^(?:for|by|this|next|in|before|within|over|until|at|around|about|on|regarding"
    r"|related\s+to)\b[\w\s'-]*$"
)
_GOAL_CONNECTOR = _rx(r"^\s*(?:[:\-–]|to\b|of\b|is\b|would\s+be\b)\s*(?:to\s+)?")
_POLITE = _rx(r"\b(?:please|today|now|thanks?|thank\s+you|together|with\s+me|for\s+me)\b")


def goal_request(text: str) -> str | None:
    """The qualifier of a request to work on a goal that does not yet say the goal, or None.

    "Help me refine a goal." and "can you help me with my goals?" give "" (the coach asks
    for the goal); "help me set a goal for next quarter" gives "for next quarter", kept to
    add to the goal once it is said. A message that names the goal ("help me set a goal
    to run more") or asks about goals in general ("how do I set a goal?") gives None.
    """
    found = _GOAL_REQUEST.search(text.strip())
    if not found:
        return None
    tail = _POLITE.sub(" ", found.group("tail") or "")
    tail = " ".join(tail.split()).strip(" .,!?;:-")
    if not tail:
        return ""
    # A short "for next quarter" says when or what about, not what: the goal is still to come.
    if _GOAL_QUALIFIER.match(tail) and len(tail.split()) <= 6 and not _names_action(tail):
        return tail
    return None


def _names_action(text: str) -> bool:
    return any(w in GOAL_VERBS for w in re.findall(r"[a-z']+", text.lower()))


def goal_text(text: str) -> str:
    """The goal itself, without a lead-in such as "my goal is to" or "I want to".

    A request that goes on to say the goal ("help me set a goal to run more") gives
    what follows it ("run more").
    """
    request = _GOAL_REQUEST.search(text.strip())
    if request and request.group("tail"):
        connector = _GOAL_CONNECTOR.match(request.group("tail"))
        rest = request.group("tail")[connector.end():].strip(" -:") if connector else ""
        if rest:
            return rest
    stripped = _GOAL_LEAD.sub("", text, count=1).strip(" -:")
    if stripped == text.strip():
        # "what do you think of my goal: run more?": the goal follows the colon.
        named = re.search(r"\bgoal\s*[:\-–]\s*(.+)$", stripped, re.IGNORECASE)
        if named and named.group(1).strip(" ?"):
            return named.group(1).strip(" ?")
    return stripped or text.strip()



def vision_text(text: str) -> str:
    """The vision statement itself, without "my vision is" or "here's my vision:"."""
    stripped = re.sub(
        r"^\s*(here'?s\s+my\s+vision(\s+statement)?|my\s+(personal\s+)?vision(\s+statement)?"
        r"(\s+(is|reads|would\s+be))?|vision(\s+statement)?)\s*[:\-]?\s*",
        "", text, count=1, flags=re.IGNORECASE,
    ).strip()
    return stripped or text.strip()


def reflection_text(text: str) -> str:
    """The reflection itself, without a "reflection:" or "monthly reflection -" label."""
    stripped = re.sub(r"^\s*(monthly\s+|weekly\s+)?reflection\s*[:\-]?\s*", "", text, count=1,
                      flags=re.IGNORECASE).strip()
    return stripped or text.strip()


_GOAL_SUBJECT = _rx(r"\b(?:my|the|our|that)\s+([\w' :/-]{2,60}?)\s+goal\b")


def goal_subject(text: str) -> str | None:
    """The words that name a goal in an update: "update on my running goal" -> "running"."""
    found = _GOAL_SUBJECT.search(text)
    return found.group(1).strip() if found else None


def parse_yes_no(text: str) -> bool | None:
    """True for yes, False for no, None when the message is neither."""
    if NO.search(text):
        return False
    if YES.search(text):
        return True
    return None


def parse_choice(text: str, count: int) -> int | None:
    """The 0-based index of the option picked ("the second one", "2", "number 3", "the last")."""
    low = text.lower()
    if re.search(r"\b(last|final)\b", low):
        return count - 1
    # "2." ends a sentence; only "2.5" is a decimal, not a choice.
    number = re.search(r"(?<![\d.])(\d{1,2})(?!\d|\.\d)", low)
    if number and 1 <= int(number.group(1)) <= count:
        return int(number.group(1)) - 1
    # Ordinals before cardinals: "the second one" is the second, not the first.
    for words in (ORDINALS, CARDINALS):
        for word, index in words.items():
            if re.search(rf"\b{word}\b", low) and index <= count:
                return index - 1
    letter = re.search(r"\b(?:option|draft|alternative)\s+([a-e])\b", low)
    if letter and ord(letter.group(1)) - 96 <= count:
        return ord(letter.group(1)) - 97
    return None


def parse_progress(text: str) -> int | None:
    """Percent done from "about 40% there", "halfway", "2 of 3 done", "finished"; else None.

    Raises ValueError with a sentence for the person for a percentage over 100 ("150%"),
    rather than logging it as 100% without a word.
    """
    low = text.lower()
    pct = re.findall(r"(?<![\d.])(\d+)\s*(?:%|percent|per\s+cent)", low)
    if pct:
        if len(pct[-1]) > 3 or int(pct[-1]) > 100:
            shown = pct[-1] if len(pct[-1]) <= 6 else pct[-1][:6] + "..."
            raise ValueError(f"{shown}% is more than done: give progress from 0 to 100%")
        return int(pct[-1])
    if re.search(r"\bhalf\s*way\b|\bhalf\s+(done|there)\b", low):
        return 50
    ratio = re.search(r"\b(\d{1,4})\s*(?:of|/|out\s+of)\s*(\d{1,4})\b", low)
    if ratio and int(ratio.group(2)) > 0 and int(ratio.group(1)) <= int(ratio.group(2)):
        return round(100 * int(ratio.group(1)) / int(ratio.group(2)))
    if re.search(r"\b(all\s+done|completed?|finished|achieved|hit\s+it)\b", low):
        return 100
    if re.search(r"\b(not\s+started|haven'?t\s+started|no\s+progress)\b", low):
        return 0
    return None


_STOP_WORDS = (
    "a an the it to of in on at for my our i we me be is are with and or not do go take "
    "that this them one"
)
_STOP = frozenset(_STOP_WORDS.split())


def _words(text: str) -> set[str]:
    return {w for w in re.findall(r"[a-z0-9']+", text.lower()) if w not in _STOP}


def _all_words(text: str) -> set[str]:
    return set(re.findall(r"[a-z0-9']+", text.lower()))


_SCORE = re.compile(
    r"(?<![\w.-])(-?\d+(?:[.,]\d+)?|one|two|three|four|five)"
    r"(?:\s*(?:/|out\s+of|of)\s*(\d{1,3}))?(?!\w|[.,]\d)",
    re.IGNORECASE,
)
_SCORE_RANGE = re.compile(
    r"(?<![\w.])\d\s*(?:-|–|to|or)\s*\d(?![\w.])|\bbetween\s+\d\s+and\s+\d\b", re.IGNORECASE)
_SCORE_SPLIT = re.compile(r"\s*(?:[,;\n&]|\band\b|\bthen\b)\s*", re.IGNORECASE)
# "that one", "the new one": "one" names an option there, it is not a score.
_NOT_A_NUMBER = re.compile(
    r"\b(?:this|that|the|which|each|no|any|every|other|another|first|second|last|new|old|a|one)\s*$",
    re.IGNORECASE)


def _score_value(number: str, scale: str) -> int:
    """One score on the 1-5 scale; ValueError with a sentence for the person otherwise."""
    word = number.lower()
    if word.startswith("-"):
        # Read without its sign, "-3" would quietly record a 3.
        raise ValueError(f"{number[:8]} is outside the scale: give a score from 1 to 5")
    if word in CARDINALS:
        value = CARDINALS[word]
    elif re.fullmatch(r"\d+", number):
        if len(number.lstrip("0")) > 3:
            # Far off the scale; int() would refuse one of thousands of digits outright.
            shown = number if len(number) <= 8 else number[:6] + "..."
            raise ValueError(f"{shown} is outside the scale: give a score from 1 to 5")
        value = int(number)
    else:
        raise ValueError(f"{number} is not a whole number: give a score from 1 to 5")
    if scale and int(scale) != 5:
        # "8/10" is 4 on a 1-5 scale; a number above its own scale is out of range.
        if int(scale) == 0 or value > int(scale):
            raise ValueError(f"{number}/{scale} is not a score: give one from 1 to 5")
        value = round(1 + 4 * value / int(scale))
    if not 1 <= value <= 5:
        raise ValueError(f"{number} is outside the scale: give a score from 1 to 5")
    return value


def read_scores(text: str, options: Sequence[str]) -> list[tuple[str | None, int]]:
    """Every score 1-5 in an answer, in the order given, each with the option it names.

    "2/5 and 4/5", "2 and 4", "two" give bare scores (option None); "take it: 2, decline: 4"
    names the option of each by a word it shares with it. Raises ValueError with a
    sentence for the person when a score is out of 1-5, not a whole number, or a range
    ("3-4"), so that nothing is recorded from an answer that is partly wrong.
    """
    if _SCORE_RANGE.search(text):
        raise ValueError("that reads as a range: give one whole number from 1 to 5")
    found: list[tuple[str | None, int]] = []
    for segment in _SCORE_SPLIT.split(text):
        numbers = [m for m in _SCORE.finditer(segment)
                   if not (m.group(1).lower() == "one"
                           and _NOT_A_NUMBER.search(segment[:m.start()]))]
        if not numbers:
            continue
        # Labels sit before each number ("take 2 stay 4"), or after it ("2 for take").
        before = [segment[(numbers[i - 1].end() if i else 0):m.start()] for i, m in enumerate(numbers)]
        after = [segment[m.end():(numbers[i + 1].start() if i + 1 < len(numbers) else len(segment))]
                 for i, m in enumerate(numbers)]
        labels = after if not re.search(r"[a-z]", before[0], re.I) else before
        for m, label in zip(numbers, labels, strict=True):
            found.append((_option_named(label, options), _score_value(m.group(1), m.group(2) or "")))
    return found


def parse_scores(text: str, options: Sequence[str], asked: str) -> dict[str, int]:
    """Scores 1-5 per option from "2", "2/5", "4 out of 5" or "take it 2, decline 4".

    A part that names an option (by a word it shares with it) is for that option; bare
    numbers are for the option `asked` about, then for the options after it that no part
    names. Raises ValueError with a sentence for the person when a number is out of 1-5
    or there are more bare numbers than options to give them to.
    """
    readings = read_scores(text, options)
    scores = {option: score for option, score in readings if option is not None}
    bare = [score for option, score in readings if option is None]
    start = list(options).index(asked) if asked in options else 0
    free = [o for o in [*options[start:], *options[:start]] if o not in scores]
    if len(bare) > len(free):
        raise ValueError(f"I count {len(bare)} scores for {len(free)} options: give 1 to 5 for each")
    scores.update(zip(free, bare, strict=False))
    return scores


_SYNONYM_GROUPS = (
    ("take", "accept", "join"), ("decline", "reject", "refuse", "pass"),
    ("stay", "remain", "keep"), ("leave", "quit", "resign"), ("move", "relocate"),
)
_OPTION_SYNONYMS: dict[str, frozenset[str]] = {
    word: frozenset(group) - {word} for group in _SYNONYM_GROUPS for word in group
}


def _stem(word: str) -> str:
    # "declining" and "decline", "taking" and "take" meet; good enough for option names.
    for suffix in ("ing", "ed", "es", "s", "e"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)]
    return word


def _option_named(part: str, options: Sequence[str]) -> str | None:
    """The option a fragment names by a shared word, if exactly one shares the most."""
    part = re.sub(r"\d+", " ", part)
    words = _words(part) or _all_words(part) - {"it"}
    if not words:
        return None
    # "take it: 2" for "Accept the offer": the same choice in other words.
    words = words.union(*(_OPTION_SYNONYMS.get(w, ()) for w in words))
    stems = {_stem(w) for w in words}
    best, best_overlap, tied = None, 0, False
    for option in options:
        overlap = (len(stems & {_stem(w) for w in _words(option)})
                   or len(stems & {_stem(w) for w in _all_words(option) - {"it", "the", "a"}}))
        if overlap > best_overlap:
            best, best_overlap, tied = option, overlap, False
        elif overlap and overlap == best_overlap:
            tied = True
    return None if tied else best


def extract_options(text: str) -> list[str]:
    """The options in "A or B", "between A and B", "A, B or C" ("move or stay in Lisbon").

    A plain list ("budget, speed and load") names no options: it needs "or", "vs" or "between".
    """
    if not re.search(r"\bor\b|\bvs\.?\s|\bversus\b|\bbetween\b", text, re.IGNORECASE):
        return []
    body = re.sub(r"^.*?\b(between|options?\s+(are|:)|choices?\s+(are|:))\s*:?\s*", "", text.strip(),
                  count=1, flags=re.IGNORECASE)
    body = body.rstrip(" .?!")
    parts = re.split(r"\s*(?:,\s*(?:or\s+|and\s+)?|;|\bor\b|\bversus\b|\bvs\.?\s|\n)\s*",
                     body, flags=re.IGNORECASE)
    if len(parts) < 2 and re.search(r"\bbetween\b", text, re.IGNORECASE):
        parts = re.split(r"\s+and\s+", body, flags=re.IGNORECASE)
    options = [p.strip(" .?!\"'") for p in parts if p.strip(" .?!\"'")]
    return options if len(options) >= 2 else []


def split_decision(text: str) -> tuple[str, str]:
    """(the decision question, the rest): "Should I A or B? I care about X." splits in two."""
    sentences = [x for x in re.split(r"(?<=[?.!])\s+", text.strip()) if x]
    asked = [x for x in sentences if DECISION_STRONG.search(x)] or sentences[:1]
    rest = [x for x in sentences if x not in asked]
    return " ".join(asked), " ".join(rest)


def extract_criteria(text: str) -> list[str]:
    """What matters in a decision, from "budget, delivery speed and mentoring load"."""
    return extract_values(text)
