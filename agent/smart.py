"""The SMART goal critic: goal -> slots -> a verdict per letter -> score and rewrite.

Pure rules over the goal's words, with `today` passed in. Each verdict quotes the words
of the goal that back it (`evidence`, exact substrings), says why in one sentence, and
asks one question when the letter is not met. Relevance is judged by meaning with the
offline embedding model, which is loaded only when a vision or values are given.

Scoring: met counts 1, partial 1/2, missing 0, and unknown 1/2 (an open question, not a
failure: the person can settle it with one answer). Relevance that is unknown because no
vision or values were given is left out of the score altogether, since it cannot be
judged at all; so a goal that is met on the other four letters scores 100.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache

from agent.inputs import clean_text, refuse_instructions
from agent.records import Criterion, GoalSlots, SmartCriteria, SmartCritique
from agent.topics import cite
from agent.when import When, find_when

__all__ = [
    "LETTERS",
    "Span",
    "critique",
    "merge_answer",
    "parse_goal",
    "relevance",
    "weakest_letter",
]


def _words(text: str) -> frozenset[str]:
    """A set of words written as one string, so long word lists stay compact."""
    return frozenset(text.split())


def _phrases(text: str) -> tuple[str, ...]:
    """Phrases written as one string separated by "|"."""
    return tuple(p.strip() for p in text.split("|") if p.strip())


def _phrase_set(text: str) -> frozenset[str]:
    """A set of phrases written as one string separated by "|"."""
    return frozenset(_phrases(text))


LETTERS: tuple[str, ...] = ("specific", "measurable", "achievable", "relevant", "time_bound")

# The order in which the coach asks about letters that are not met.
ASK_ORDER: tuple[str, ...] = ("specific", "measurable", "time_bound", "achievable", "relevant")

STATUS_POINTS = {"met": 1.0, "partial": 0.5, "missing": 0.0, "unknown": 0.5}

# --- words ----------------------------------------------------------------------------------

LEAD_IN = re.compile(
    r"^(?:(?:i|we)(?:'d|\s+would)\s+(?:really\s+)?(?:like|love)\s+to\s+|(?:i|we)\s+(?:really\s+|just\s+)?"
    r"(?:want|wanna|need|have|hope|plan|aim|intend|mean|am\s+going|'m\s+going|are\s+going|will|shall|should|must|"
    r"gotta|got\s+to|would\s+like|am\s+trying|'m\s+trying)\s+(?:to\s+)?|(?:my|our)\s+(?:goal|aim|plan)\s+(?:is\s+)?(?:to\s+)?:?\s*|"
    r"goal:\s*|someday,?\s+|eventually,?\s+|one\s+day,?\s+|maybe\s+|probably\s+|honestly,?\s+|i\s+guess\s+|"
    r"try\s+(?:to\s+)?|finally\s+|really\s+|just\s+|to\s+)+",
    re.IGNORECASE,
)
HEDGES = re.compile(
    r"(?:[\s,]+(?:lol|lmao|tbh|idk|maybe|honestly|i\s+guess|haha|please|i\s+think|somehow))+\s*[.!]*$",
    re.I,
)

BE_VERBS = {"be", "become", "stay", "remain", "feel", "seem", "look"}
GET_ADJECTIVES = _words(
    "healthy healthier fit fitter better stronger happier organized organised serious smarter "
    "together comfortable confident good great rich richer famous calmer leaner faster "
    "sharper wiser unstuck motivated disciplined focused balanced happy well"
)
VAGUE_PHRASAL = _phrases(
    "work on|focus on|sort out|deal with|level up|take care of|figure out|get better at|"
    "get good at|get into|think about|look into|work towards|work toward|try out|"
    "get on top of|keep up with|step up|stop being"
)
VAGUE_VERBS = _words(
    "fix handle address tackle enhance strengthen do manage better prioritize prioritise "
    "optimize optimise master embrace nurture foster empower transform elevate own "
    "communicate listen engage connect"
)
CHANGE_VERBS = _words(
    "increase reduce cut grow improve raise lower boost decrease double triple quadruple "
    "halve lose gain drop shrink expand scale minimize minimise maximize maximise trim slash "
    "lift multiply"
)
# Verbs whose object is money or a measure even when unnamed ("save 10k", "save for a house").
MONEY_VERBS = {"save", "earn", "spend", "invest in", "pay", "make"}
ACTIVITY_CATEGORIES = _phrase_set(
    "exercise|network|delegate|study|invest|work|practice|practise|train|mentor|coach|teach|"
    "socialize|socialise|travel|work out|relax|rest"
)
ONGOING_VERBS = _words(
    "coach mentor support help manage lead guide spend call see visit meet have work exercise "
    "network delegate study invest practice practise communicate listen read talk check "
    "develop train teach learn"
)
# Things people do again and again: with no object they have no finish line ("jog").
SOLO_ACTIVITIES = _words(
    "run jog walk swim meditate sleep cycle bike hike write read cook pray journal stretch "
    "lift rest paint draw sing dance row climb volunteer blog post tweet garden"
)
PHRASAL = _phrases(
    "cut down on|cut back on|pay off|pay down|sort out|work on|focus on|deal with|level up|"
    "take care of|figure out|get better at|get good at|get into|set up|roll out|sign up for|"
    "sign up|pick up|max out|train for|go to|call back|follow up|work out|think about|"
    "look into|work towards|work toward|try out|get on top of|keep up with|step up|"
    "stop being|ask for|apply for|move to|move into|switch to|give up|wake up|show up|"
    "get rid of|clean up|write up|open up|speak up"
)
PHRASAL_START = re.compile(
    r"\s*(" + "|".join(re.escape(p) for p in sorted(PHRASAL, key=len, reverse=True)) + r")\b"
)
VAGUE_HEADS = _words(
    "things thing stuff everything something life culture mindset finances health career "
    "balance self-care selfcare myself yourself ourselves me it presence happiness wellbeing "
    "well-being wellness game skills skillset potential vibe energy habits lifestyle attitude "
    "personality brand impact excellence growth self confidence resilience patience "
    "discipline focus productivity motivation empathy charisma self-esteem mood stress "
    "mindfulness act shit"
)
METRIC_HEADS = _words(
    "revenue revenues sales arr mrr churn nps csat margin margins profit profits income money "
    "salary pay weight latency conversion attrition turnover retention cost costs spending "
    "spend budget meetings following followers subscribers users signups sign-ups time sugar "
    "alcohol caffeine takeout debt hours overtime errors bugs incidents tickets steps savings "
    "score pipeline rate coverage uptime downtime traffic leads deals bookings velocity "
    "throughput headcount engagement views downloads calls customers clients sleep screen "
    "output equity reach audience calories drinking smoking expenses burn runway defects "
    "complaints wait backlog inbox emails response price prices fees membership members "
    "students participation attendance valuation gmv aov ltv cac roi ebitda shares share "
    "market marketshare visits sessions commits prs deploys deployments releases content "
    "posts articles frequency"
)
METRIC_WORDS = re.compile(r"\b(?:" + "|".join(sorted(METRIC_HEADS)) + r")\b", re.I)
POSITIONS = _words(
    "ceo cto cfo coo cmo cio cpo ciso vp svp evp president partner director principal chair "
    "chairman chairwoman head founder cofounder co-founder manager lead architect fellow "
    "professor dean superintendent editor chief senior staff associate millionaire "
    "billionaire owner captain board"
)
QUALITY_WORDS = re.compile(
    r"\b(?:better|best|good|great|more|most|less|rockstar|strong|stronger|inclusive|effective|"
    r"kind|thought|top|amazing|awesome|excellent|real|true|world-class|servant|respected|"
    r"empathetic|confident|present|patient|calm|happy|nicer|nice|perfect|successful)\b",
    re.I,
)
BINARY_SKILLS = re.compile(
    r"^to\s+(?:swim|drive|ride|bake|juggle|ski|skate|surf|knit|sew|change|tie|cook\s+\w+|make\s+\w+|"
    r"do\s+a\s+\w+|sail|dive|fly|read\s+music|touch[- ]type|solve|build\s+a)\b",
    re.I,
)
ADVERBS = re.compile(
    r"\b(?:more\s+often|more|less|better|smarter|harder|faster|regularly|consistently|"
    r"often|again|properly|seriously|well|a\s+lot|a\s+bit|lots)\b",
    re.I,
)
DIRECTION = re.compile(
    r"\b(?:more(?:\s+often)?|less|fewer|higher|lower|bigger|smaller|faster|"
    r"increase[sd]?|reduc(?:e|es|ed|ing)|cut(?:\s+down|\s+back)?|grow(?:s|th)?|improve[sd]?|raise|"
    r"lower|boost|decrease[sd]?|lose|gain|drop|shrink|expand|scale|minimi[sz]e|maximi[sz]e|"
    r"save|trim|slash|lift|earn|regular(?:ly)?)\b|(?<=\w\s)(?:up|down)(?=\s*(?:$|[,.;]|\s+(?:from|to|by)\b))",
    re.I,
)
STOP_WORDS = _words(
    "a an the my our his her their your its some all every each this that these those of so "
    "very really new own more less much many few bit lot just up down out any w/"
)
PREPOSITIONS = re.compile(
    r"(?<![\w-])(?:on|in|at|with|w/|for|to|of|about|from|by|as|into|across|among|before|after|during|"
    r"per|around|toward|towards|without|instead|than|so|because|while|where|when|who|which|that)(?![\w-])",
    re.I,
)
PROPER_NAMES = re.compile(
    r"\b(?:p\d{2,3}|v\d+(?:\.\d+)*|n[1-5]|q[1-4]|401k|403b|fortune\s+\d+|s&p\s+\d+|1:1s?|1-on-1s?|one-on-ones?|"
    r"\d{3}(?=\s+company)|tier-\d|\d+-day\s+week|\d+(?:st|nd|rd|th))\b",
    re.I,
)
QUANTITY = re.compile(
    r"(?<![\w:/.-])(?:[$€£~]\s?)?\d+(?:[.,]\d+)*\s?(?:k|m|bn|b|x|%|ms|kg|lbs?|pounds?|kms?|miles?|"
    r"hours?|hrs?|minutes?|mins?|seconds?|secs?|steps|books?|posts?|people|clients|customers|"
    r"calls|logos|engineers|hires|users|subscribers|followers)?(?![\w:/])"
    r"|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|forty|fifty|"
    r"hundred|dozen)\b(?:\s+(?!(?:by|in|on|at|for|to|of|with|per|a|an|every|each|this|next|and|or)\b)[\w-]+){0,4}"
    r"|\b(?:double|triple|quadruple|halve|zero|every\s+one\s+of|inbox\s+zero|max\s+out|all\s+of)\b",
    re.I,
)
COMPLETION_VERBS = _phrase_set(
    "write|run|publish|launch|ship|release|finish|complete|pass|get|become|be|make|hire|buy|"
    "sell|start|open|close|sign|submit|deliver|present|move|quit|stop|pay off|renovate|"
    "rebrand|redo|replace|roll out|set up|build|create|take|ask for|attend|visit|adopt|"
    "marry|max out|hit|reach|win|implement|migrate|automate|organize|organise|hold|host|"
    "throw|draft|raise|secure|land|apply for|sign up for|sign up|join|found|give up|move to|"
    "move into|switch to|earn|train for|go to|volunteer|fund|open up|design|document|record|"
    "file|register|enroll|enrol|book|plan|answer|send|put|cook|have|meditate|sleep|walk|"
    "swim|give|deadlift|squat|climb|hike|cycle|bike|row|wake up|show up|get rid of|clean up|"
    "write up|introduce|establish|set|define|agree|certify|graduate|retire|relocate|"
    "transition|recruit|onboard"
)
CONFIDENCE = re.compile(
    r"(?:\bconfiden(?:ce|t)(?:\s+(?:level|rating|is|of|at))*[:\s]+(?:is\s+)?(?:about\s+|around\s+|~)?(?P<a>\d{1,3})\s*(?:/\s*10(?!\d)|out\s+of\s+10(?!\d)|%)"
    r"|(?<![\d/])(?P<b>\d{1,3})\s*(?:/\s*10|out\s+of\s+10)(?!\d)\s*(?:confident|confidence|sure|certain|likely|chance)?"
    r"|(?<![\d/.])(?P<c>\d{1,3})\s*%\s*(?:sure|confident|certain|likely|chance|probability)\b"
    r"|\b(?P<d>50/50|fifty[- ]fifty|coin[- ]?flip|toss-?up))",
    re.I,
)
PLAN_CUES = re.compile(
    r"\b(?:by|through|via)\s+(?!(?:morning|evening|spring|thanksgiving|the|next|end|my|our)\b)\w+ing\b"
    r"|\b(?:using|thanks\s+to|with\s+the\s+help\s+of|with\s+(?:help|support)\s+from|supported\s+by|backed\s+by|"
    r"(?:coached|mentored|sponsored|funded|trained|guided|helped)\s+by)\b"
    r"|\bfollowing\s+(?:a|an|the|my|our|this|\w+'s|(?:[\w'-]+\s+){1,4}?(?:plan|program|programme|schedule|course|guide|method))\b"
    r"|(?:^|[,;(-]\s*|\band\s+|\bnow\s+and\s+)(?:studying|rehearsing|training|practicing|practising|putting|"
    r"working\s+with|saving|setting\s+aside|blocking|meeting\s+with)\b"
    r"|\b(?:we|i)(?:'re|'ve|\s+are|\s+have|\s+already|\s+just|\s+recently)\s+(?:\w+\s+){0,2}?(?:rolling\s+out|got|have|hired|"
    r"secured|signed|started|built|booked|enrolled|going|lined\s+up|in\s+place)\b",
    re.I,
)
RESOURCE_NOUNS = (
    r"coach|mentor|mentor's\s+sponsorship|sponsor|sponsorship|trainer|tutor|nutritionist|"
    r"dietitian|therapist|counsell?or|accountability(?:\s+(?:buddy|partner|group))?|buddy|"
    r"agency|recruiter|budget|plan|program(?:me)?|course|class|app|template|pilot|sdrs?|"
    r"club|running\s+club|funding|grant|physio|contractors?|freelancers?|vendor|consultancy|"
    r"editor|accountant|lawyer|instructor|teacher|personal\s+trainer|"
    r"doctor|specialist|consultant|advisor|adviser|assistant|study\s+group|bootcamp|workshop"
)
WITH_RESOURCE = re.compile(
    r"\b(?:with|w/)\s+(?:the\s+help\s+of\s+)?(?:my|a|an|the|our|his|her)?\s*(?:[\w$()'-]+\s+){0,4}?(?:"
    + RESOURCE_NOUNS
    + r")\b",
    re.I,
)
PURPOSE = re.compile(
    r"(?<!\blearn)(?<!\bwant)(?<!\blike)(?<!\bneed)(?<!\bgoing)(?<!\bable)(?<!\bhow)(?<!\bhave)"
    r"(?<!\bhas)(?<!\btry)(?<!\btrying)(?<!\bplan)(?<!\baim)(?<!\bhope)(?<!\blove)(?<!\bpromoted)"
    r"\s+(?:(?:in\s+order\s+)?to\s+(?=(?:pay|save|hit|recharge|free|help|keep|support|avoid|cover|fund|"
    r"afford|stay|feel|be|have|give|show|prove|build|boost|cut|reduce|improve|grow|increase|prepare|"
    r"create|protect|lower|meet|balance|spend|make|get|reach|earn|buy|finance|enable|unblock|"
    r"celebrate|model|set|learn|clear|rest|relax)\b)|so\s+(?:that\s+)?(?=(?:[\w'-]+\s+){1,3}(?:can|will|could|would|"
    r"have|get|feel|know|stop|don't|won't|can't)\b)|so\s+that\b|because\b|since\b)",
    re.I,
)
UNTRAINED = re.compile(
    r"\b(?:haven'?t\s+(?:trained|run|studied|started|practi[cs]ed)|never\s+(?:run|ran|trained|studied|"
    r"played|done)|no\s+(?:training|experience|prior)|from\s+(?:zero|scratch)|starting\s+from\s+"
    r"(?:zero|scratch|nothing)|couch|total\s+beginner|complete\s+beginner|zero\s+\w+\s+experience)\b",
    re.I,
)
ENDURANCE = re.compile(
    r"\b(?:ultra\s*marathon|ultra|(?:half[- ])?marathon|ironman|triathlon|100k|50k)\b", re.I
)
ADVANCED_SKILL = re.compile(
    r"\b(?:n1|c1|c2|fluent|fluency|native|black\s+belt|grandmaster|concert)\b", re.I
)
TOP_ROLE = re.compile(
    r"\b(?:ceo|cto|cfo|coo|president|chair(?:man|woman)?|vp|vice\s+president|partner|"
    r"millionaire|billionaire|c-suite|c-level|head\s+of)\b",
    re.I,
)
FOREVER = re.compile(
    r"\b(?:forever|always|for\s+the\s+rest\s+of\s+my\s+life|never\s+again|indefinitely)\b", re.I
)
INSTANT = re.compile(
    r"\bwithin\s+(?:\d+|a|one|two|five|ten)\s*(?:seconds?|secs?|minutes?|mins?)\b|\binstantly\b|\bimmediately\b",
    re.I,
)
ALL_ITEMS = re.compile(
    r"\b(?:every|all|each|any)\s+(?!day|week|month|morning|night|weekday)\w+", re.I
)
NO_RESOURCES = re.compile(
    r"\bno\s+(?:new\s+)?(?:hires|budget|money|help|resources|team|staff|funding)\b|\bwithout\s+(?:any\s+)?(?:help|budget|resources|hiring)\b",
    re.I,
)
WEIGHT_LOSS = re.compile(
    r"\blose\s+(?P<n>\d+(?:\.\d+)?)\s*(?P<u>kg|kgs|kilos?|lbs?|pounds?)\b", re.I
)
RACE_TIME = re.compile(r"\b(?P<h>\d):(?P<m>[0-5]\d)\b")
UNDER_HOURS = re.compile(
    r"\b(?:under|below|sub-?)\s*(?P<n>\d+(?:\.\d+)?)\s*(?:hours?|hrs?|h)\b", re.I
)
FROM_TO = re.compile(
    r"\bfrom\s+(?P<a>[$~]?\d[\d.,]*\s?(?:k|m|%|ms|x|[a-z]+(?=\s+to\b))?)\s+to\s+"
    r"(?P<b>(?:under\s+)?[$~]?\d[\d.,]*\s?(?:(?:days?|weeks?|months?|hours?|minutes?|mins?|"
    r"seconds?|points?|kg|lbs?)\b|ms|k|m|%|x)?)",
    re.I,
)

# --- parsing ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Span:
    """A piece of the goal: its words and where they are."""

    start: int
    end: int
    text: str


@dataclass
class _Parse:
    """Everything the letters are judged from: richer than GoalSlots, internal."""

    text: str
    today: date
    main: Span
    core: Span  # the main clause without lead-in and hedges
    verb: Span | None = None
    verb_word: str = ""
    object: Span | None = None
    head: str = ""
    verb_kind: str = "none"  # be | vague | change | activity | learn | concrete | none
    object_kind: str = "none"  # vague | metric | concrete | none
    context: Span | None = None  # a concrete noun after a vague verb ("to senior leadership")
    when: When | None = None
    when_span: Span | None = None
    quantities: list[Span] = field(default_factory=list)
    direction: Span | None = None
    confidence: float | None = None
    confidence_span: Span | None = None
    confidence_off_scale: Span | None = None  # "15/10": a rating, but not one on the scale
    plans: list[Span] = field(default_factory=list)
    purpose: Span | None = None
    baseline: Span | None = None
    target: Span | None = None
    frequency: Span | None = None


def _span(text: str, start: int, end: int) -> Span:
    # Trim spaces and trailing punctuation so evidence reads as clean words of the goal.
    while start < end and text[start] in " \t\n,;:-(":
        start += 1
    while end > start and text[end - 1] in " \t\n,;:-.!?":
        end -= 1
    if (
        text[start:end].count("(") < text[start:end].count(")")
        and end > start
        and text[end - 1] == ")"
    ):
        end -= 1
    return Span(start, end, text[start:end])


def _main_clause_end(text: str, parse: _Parse) -> int:
    """Where the outcome ends and the means, purpose, confidence or asides begin."""
    cuts = [len(text)]
    for m in re.finditer(
        r"\s[-–—]\s|;|\(|,\s|\.\s|\s(?:even\s+if|even\s+though|unless|whether|instead\s+of)\s",
        text,
        re.I,
    ):
        cuts.append(m.start())
    if parse.confidence_span:
        cuts.append(parse.confidence_span.start)
    for plan in parse.plans:
        cuts.append(plan.start)
    if parse.purpose:
        cuts.append(parse.purpose.start)
    first_word = re.match(r"\s*\S+", text)
    floor = first_word.end() if first_word else 0
    return min(c for c in cuts if c >= floor) if any(c >= floor for c in cuts) else len(text)


def _find_plans(text: str) -> list[Span]:
    plans: list[Span] = []
    for pattern in (PLAN_CUES, WITH_RESOURCE):
        for m in pattern.finditer(text):
            if m.start() == 0:
                continue  # "Train for and complete ..." is the action itself
            if re.search(
                r"\b(?:pair\w*|match\w*|connect\w*|assign\w*|introduc\w*)\b[^,;]*$",
                text[max(0, m.start() - 50) : m.start()],
                re.I,
            ):
                continue  # "pairing juniors with a mentor" is what is done, not the means
            end = _clause_end(text, m.end())
            plans.append(_span(text, m.start(), end))
    plans.sort(key=lambda s: s.start)
    merged: list[Span] = []
    for plan in plans:
        if merged and plan.start < merged[-1].end:
            if plan.end > merged[-1].end:
                merged[-1] = _span(text, merged[-1].start, plan.end)
            continue
        merged.append(plan)
    return merged


def _clause_end(text: str, pos: int) -> int:
    m = re.compile(r",\s|;|\s[-–—]\s|\.\s|\)|$").search(text, pos)
    return m.start() if m else len(text)


def _find_confidence(text: str) -> tuple[float | None, Span | None]:
    m = CONFIDENCE.search(text)
    if not m:
        return None, None
    if m["d"]:
        value = 0.5
    else:
        raw = int(m["a"] or m["b"] or m["c"])
        scale = 100 if (m["c"] or "%" in m.group(0)) else 10
        if raw > scale:
            return None, None
        value = raw / scale
    # Take in the words around the number ("I'm 8/10 confident", "confidence 8/10").
    start, end = m.start(), m.end()
    before = re.search(
        r"(?:\b(?:i'?m|i\s+am|we'?re|we\s+are|about|around|maybe|like|honestly|roughly)\s+)+$",
        text[:start],
        re.I,
    )
    if before:
        start = before.start()
    after = re.match(
        r"\s*(?:confident|confidence|sure|certain)?(?:\s+(?:we|i)\s+can)?\b", text[end:], re.I
    )
    if after:
        end += after.end()
    return value, _span(text, start, end)


def off_scale_confidence(text: str) -> str | None:
    """The words of a confidence rating above its scale ("15/10", "120% sure"), or None;
    a bare number over 10 counts when the text is nothing else (the answer to "0-10?")."""
    span = _off_scale_confidence(text)
    if span:
        return span.text
    bare = re.fullmatch(r"\s*(\d+)\s*", text)
    return bare[1] if bare and (len(bare[1]) > 2 or int(bare[1]) > 10) else None


def _off_scale_confidence(text: str) -> Span | None:
    """A confidence rating above its own scale ("15/10", "120% sure"), to be named, not dropped."""
    m = CONFIDENCE.search(text)
    if not m or m["d"]:
        return None
    raw = int(m["a"] or m["b"] or m["c"])
    scale = 100 if (m["c"] or "%" in m.group(0)) else 10
    return _span(text, m.start(), m.end()) if raw > scale else None


def _parse(goal: str, today: date) -> _Parse:
    text = goal
    when = find_when(text, today)
    parse = _Parse(
        text=text,
        today=today,
        main=Span(0, len(text), text),
        core=Span(0, len(text), text),
        when=when,
    )
    if when:
        at = text.find(when.phrase)
        parse.when_span = Span(at, at + len(when.phrase), when.phrase) if at >= 0 else None
        if when.frequency:
            f_at = text.find(when.frequency)
            if f_at >= 0:
                parse.frequency = Span(f_at, f_at + len(when.frequency), when.frequency)
    parse.confidence, parse.confidence_span = _find_confidence(text)
    if parse.confidence is None:
        parse.confidence_off_scale = _off_scale_confidence(text)
    parse.plans = [p for p in _find_plans(text) if not _overlaps(p, parse.confidence_span)]
    purpose = PURPOSE.search(text)
    if purpose and purpose.start() > 0:
        parse.purpose = _span(text, purpose.start(), _clause_end(text, purpose.end()))
    end = _main_clause_end(text, parse)
    parse.main = _span(text, 0, end)

    # The core: the main clause without "I want to", "someday", "maybe", "lol".
    lead = LEAD_IN.match(text, 0, end)
    start = lead.end() if lead else 0
    hedge = HEDGES.search(text[:end])
    core_end = hedge.start() if hedge else end
    parse.core = _span(text, start, max(core_end, start))
    _parse_action(parse)
    _parse_numbers(parse)
    return parse


def _overlaps(a: Span | None, b: Span | None) -> bool:
    return a is not None and b is not None and a.start < b.end and b.start < a.end


def _mask(text: str, spans: Sequence[Span | None]) -> str:
    """The text with the given spans blanked out (same length, so offsets still hold)."""
    chars = list(text)
    for s in spans:
        if s is None:
            continue
        for i in range(s.start, s.end):
            chars[i] = " "
    return "".join(chars)


def _parse_action(parse: _Parse) -> None:
    text = parse.text
    core = parse.core
    masked = _mask(text, [parse.when_span, parse.frequency, parse.confidence_span])
    # Vague timing words inside the clause are not part of the action.
    region = masked[core.start : core.end]
    m = re.match(r"\s*(\S+)", region)
    if not m:
        return
    low = region.lower()
    # Multipliers as verbs: "10x revenue", "2x our ARR".
    mult = re.match(r"\s*(\d+(?:\.\d+)?x)\b", region, re.I)
    verb_len = 0
    verb_word = ""
    phrasal = PHRASAL_START.match(low)
    if phrasal:
        verb_word, verb_len = phrasal.group(1), phrasal.end()
    else:
        if mult:
            verb_word, verb_len = "multiply", mult.end()  # "10x revenue"
        else:
            verb_word, verb_len = m.group(1).lower().strip(".,!?:;"), m.end()
    v_start = core.start + (len(region) - len(region.lstrip()))
    parse.verb = _span(text, v_start, core.start + verb_len)
    parse.verb_word = verb_word
    rest_start = core.start + verb_len
    rest = masked[rest_start : core.end]

    # Classify the verb.
    first_rest = re.match(r"\s*([\w'-]+)", rest)
    next_word = first_rest.group(1).lower() if first_rest else ""
    kind = "concrete"
    if verb_word in BE_VERBS or verb_word == "stop being":
        kind = "be"
    elif verb_word == "get" and (
        next_word in GET_ADJECTIVES
        or re.search(
            r"\b(?:together|in\s+shape|in\s+order|on\s+track|under\s+control|sorted|right)\s*$",
            rest.strip(),
            re.I,
        )
    ):
        kind = "be" if next_word in GET_ADJECTIVES and next_word != "better" else "vague"
    elif verb_word == "do" and re.match(r"\s*(?:a|an|one|two|three|\d+)\s", rest, re.I):
        kind = "concrete"  # "do a 10-minute walk", "do two sessions": a thing to do
    elif verb_word in VAGUE_PHRASAL or verb_word in VAGUE_VERBS:
        kind = "vague"
    elif (
        verb_word == "make"
        and re.search(r"\b(?:more|less)\s+\w+\s*$", rest.strip(), re.I)
        and not re.search(r"\b(?:more|less)\s+(?:money|cash|sales|revenue|time)\b", rest, re.I)
    ):
        kind = "vague"  # "make the team more autonomous"
    elif verb_word in ("learn", "master"):
        kind = "learn"
    elif verb_word in ACTIVITY_CATEGORIES:
        kind = "activity"
    elif verb_word in CHANGE_VERBS:
        kind = "change"
    if re.match(r"\s*(?:better|more\s+effectively|well)\b", rest, re.I) and kind not in ("be",):
        kind = "vague"  # "communicate better", "listen better"
    parse.verb_kind = kind

    # The object: what follows the verb, without adverbs, up to a preposition for its head.
    obj_text = rest
    stripped = obj_text.strip()
    if not stripped:
        parse.object_kind = "none"
        return
    lead_ws = len(obj_text) - len(obj_text.lstrip())
    parse.object = _span(text, rest_start + lead_ws, rest_start + len(obj_text.rstrip()))
    words_only = ADVERBS.sub(" ", stripped)
    words_only = re.sub(
        r"^\s*(?:on|for|at|about|to|into|in|with|w/|of)\s+", "", words_only, flags=re.I
    )
    if kind == "be":
        _classify_be(parse, stripped)
        return
    if kind == "learn":
        parse.head = stripped.split()[0].lower() if stripped.split() else ""
        if re.match(r"\s*to\s+\w+", words_only, re.I):
            parse.object_kind = "concrete"
        else:
            parse.object_kind = "vague" if _head(words_only) in VAGUE_HEADS else "concrete"
        return
    if verb_word == "level up" and re.match(r"\s*as\b", stripped, re.I):
        parse.object_kind = "none"
        return
    head = _head(words_only)
    parse.head = head
    if not head:
        parse.object_kind = "none"
    elif head in VAGUE_HEADS or re.fullmatch(
        r"(?:my|our|the)?\s*leadership", words_only.strip(), re.I
    ):
        parse.object_kind = "vague"
    elif head in METRIC_HEADS or METRIC_WORDS.search(_before_prep(words_only)):
        parse.object_kind = "metric"
    else:
        parse.object_kind = "concrete"
    if kind == "vague" and parse.object_kind in ("none", "vague"):
        # A concrete noun later in the clause still counts ("communicate better w/ my team").
        ctx = re.search(
            r"(?<![\w-])(?:with|w/|to|in|at|for|on)\s+((?:my|our|the|a|an|each|every|all)?\s*[\w'-]+(?:\s+[\w'-]+){0,3})",
            stripped,
            re.I,
        )
        if ctx and _head(ctx.group(1)) not in VAGUE_HEADS and verb_word not in ("take care of",):
            parse.context = _span(
                text, rest_start + lead_ws + ctx.start(1), rest_start + lead_ws + ctx.end(1)
            )


def _before_prep(words: str) -> str:
    m = PREPOSITIONS.search(words)
    return words[: m.start()] if m else words


def _head(words: str) -> str:
    """The head noun of a noun phrase: its last word before any preposition."""
    words = re.sub(
        r"\s+(?:together|in\s+shape|in\s+order|on\s+track|under\s+control|sorted|right|up|down)\s*$",
        "",
        words,
        flags=re.I,
    )
    phrase = _before_prep(words)
    tokens = [t.strip(".,!?;:()\"'").lower() for t in phrase.split()]
    tokens = [re.sub(r"'s$", "", t) for t in tokens if t and t not in STOP_WORDS]
    tokens = [t for t in tokens if t and not re.fullmatch(r"[\d.,$%~]+[kmx%]?", t)]
    return tokens[-1] if tokens else ""


def _classify_be(parse: _Parse, rest: str) -> None:
    """be/become + what: a named position, a place, or a quality."""
    low = rest.lower().strip()
    if re.match(
        r"(?:promoted|hired|certified|elected|accepted|admitted|published|licensed|"
        r"selected|approved|funded|married|recognized|recognised|named)\b",
        low,
    ):
        parse.object_kind = "concrete"  # a passive outcome: it happens or it does not
        parse.verb_kind = "concrete"
        return
    if re.match(
        r"(?:home|at\s|there\b|present\s+(?:at|for)\b|in\s+the\s+office\b|on\s+time\b|back\s)", low
    ):
        parse.object_kind = "concrete"  # being somewhere is observable
        parse.verb_kind = "concrete"
        return
    np = _before_prep(re.sub(r"^(?:a|an|the)\s+", "", low))
    tokens = re.findall(r"[\w-]+", np)
    if tokens and tokens[-1] in POSITIONS and not QUALITY_WORDS.search(np):
        parse.object_kind = "concrete"
        parse.verb_kind = "concrete"
        parse.head = tokens[-1]
        return
    parse.object_kind = "vague"
    ctx = re.search(
        r"(?<!want )(?<!like )(?<!need )(?<!able )(?<![\w-])(?:to|in|with|w/|at|around|during|on)\s+((?:my|our|the|a|an|all|each)?\s*[\w'-]+(?:\s+[\w'-]+){0,3})",
        rest,
        re.I,
    )
    if ctx and _head(ctx.group(1)) not in VAGUE_HEADS and parse.object:
        offset = parse.text.find(ctx.group(1), parse.object.start)
        if offset >= 0:
            parse.context = Span(offset, offset + len(ctx.group(1)), ctx.group(1))


def _parse_numbers(parse: _Parse) -> None:
    text = parse.text
    masked = _mask(
        text, [parse.when_span, parse.frequency, parse.confidence_span, *parse.plans, parse.purpose]
    )
    masked = PROPER_NAMES.sub(lambda m: " " * len(m.group(0)), masked)
    lo, hi = parse.core.start, parse.core.end
    for m in QUANTITY.finditer(masked, lo, hi):
        before = masked[max(lo, m.start() - 12) : m.start()].lower()
        # "my two new team leads", "all 12 junior devs": the size of a group, not a target.
        if re.search(
            r"\b(?:my|our|his|her|their|the|all|each\s+of\s+my|of\s+my|of\s+our)\s+$", before
        ) and not re.match(r"(?:double|triple|halve|zero)", m.group(0), re.I):
            continue
        parse.quantities.append(_span(text, m.start(), m.end()))
    # Baseline and target are read with cadences left in: "from $80k to $60k a month".
    plain = _mask(text, [parse.confidence_span])
    span_ft = FROM_TO.search(plain[lo:])
    if span_ft:
        parse.baseline = _span(text, lo + span_ft.start("a"), lo + span_ft.end("a"))
        parse.target = _span(text, lo + span_ft.start("b"), lo + span_ft.end("b"))
    else:
        base = re.search(
            r"\b(?:currently\s+at|current(?:ly)?\s+(?:\w+\s+){0,2}(?:is|at)|i'?m\s+at|we'?re\s+at|now\s+at|up\s+from|down\s+from)\s+(?P<a>[$~]?\d[\d.,:]*\s?(?:k|m|%|x)?)",
            text,
            re.I,
        )
        if base:
            parse.baseline = _span(text, base.start("a"), base.end("a"))
            others = [
                q
                for q in parse.quantities
                if re.search(r"\d", q.text) and not _overlaps(q, parse.baseline)
            ]
            if others:
                parse.target = others[0]
    d = DIRECTION.search(masked, lo, hi)
    if d:
        parse.direction = _span(text, d.start(), d.end())
    elif parse.when and parse.when.vague and parse.when.frequency:
        parse.direction = parse.when_span  # "regular 1:1s": a cadence without a number


def parse_goal(goal: str, today: date) -> GoalSlots:
    """Parse a goal into its slots (action, object, metric, target, deadline, ...)."""
    return _slots(_parse(_clean_goal(goal), today))


def _slots(p: _Parse) -> GoalSlots:
    target = p.target.text if p.target else (p.quantities[0].text if p.quantities else None)
    metric = p.head if p.object_kind == "metric" else None
    return GoalSlots(
        action=p.verb.text if p.verb else None,
        object=p.object.text if p.object and p.object.text else None,
        metric=metric,
        baseline=p.baseline.text if p.baseline else None,
        target=target,
        deadline=p.when.deadline if p.when else None,
        time_frame=p.when.phrase if p.when else None,
        frequency=p.when.frequency if p.when else None,
        resources="; ".join(s.text for s in p.plans) or None,
        confidence=p.confidence,
    )


def _clean_goal(goal: str) -> str:
    text = clean_text(goal, "goal", max_chars=max(len(goal or ""), 1))
    text = " ".join(text.split())
    refuse_instructions(text, "goal")
    return text


# --- the letters ------------------------------------------------------------------------------


def _criterion(
    status: str, evidence: Sequence[Span | str | None], feedback: str, question: str | None
) -> Criterion:
    words: list[str] = []
    for e in evidence:
        t = e.text if isinstance(e, Span) else e
        if t and t not in words:
            words.append(t)
    return Criterion(
        status=status,
        evidence=words,
        feedback=feedback,
        question=None if status == "met" else question,
    )


def _q(text: str) -> str:
    return f'"{text}"'


def _action(p: _Parse) -> Span | None:
    """The action and its object, without the timing around them."""
    if p.verb is None:
        return None
    end = p.object.end if p.object and p.object.text else p.verb.end
    return _span(p.text, p.verb.start, end)


def judge_specific(p: _Parse) -> Criterion:
    """Specific: a concrete action on a concrete object."""
    vk, ok = p.verb_kind, p.object_kind
    action = _action(p)
    numbered = bool(p.quantities or p.target)
    if vk == "be":
        if p.context:
            return _criterion(
                "partial",
                [p.verb, p.context],
                f"Who or where is clear ({_q(p.context.text)}), but {_q(p.verb.text)} plus a quality is not an action.",
                "What would you actually do differently there? Name one action.",
            )
        return _criterion(
            "missing",
            [action],
            "It names a quality to have, not an action to take on something concrete.",
            "What will you actually do, and what will it change? Name one action and its object.",
        )
    if vk == "vague":
        if ok in ("metric", "concrete") or p.context:
            thing = p.object if ok in ("metric", "concrete") else p.context
            return _criterion(
                "partial",
                [p.verb, thing],
                f"The object is concrete ({_q(thing.text)}), but the action ({_q(p.verb.text)}) is vague.",
                "What exactly will you do with it? Name the action.",
            )
        return _criterion(
            "missing",
            [action],
            "Both the action and its object are vague, so nobody could tell what you will do.",
            "What will you actually do, and what will it change? Name one action and its object.",
        )
    if vk == "change":
        if ok == "metric" or (numbered and ok != "vague"):
            return _criterion(
                "met", [action], f"A clear change in a named measure: {_q(action.text)}.", None
            )
        if ok in ("vague", "none"):
            return _criterion(
                "missing",
                [action],
                "It says something should change, but not what.",
                "What, exactly, should change: which measure?",
            )
        return _criterion(
            "partial",
            [action],
            f"{_q(p.object.text)} is concrete, but which measure of it should change is not.",
            "Which measure of it will change: users, revenue, time, quality?",
        )
    if vk == "activity":
        if ok in ("concrete", "metric"):
            return _criterion(
                "met", [action], f"A concrete activity with its object: {_q(action.text)}.", None
            )
        return _criterion(
            "partial",
            [p.verb],
            f"{_q(p.verb.text)} is a broad kind of activity with no object.",
            f"Which {p.verb_word}, exactly: what activity, on what?",
        )
    if vk in ("learn", "concrete") and action:
        if ok == "vague":
            return _criterion(
                "partial",
                [p.verb, p.object],
                f"The action ({_q(p.verb.text)}) is concrete, but {_q(p.object.text)} is too vague.",
                "Which one thing, exactly?",
            )
        return _criterion(
            "met", [action], f"A concrete action on a concrete object: {_q(action.text)}.", None
        )
    return _criterion(
        "missing",
        [],
        "The goal does not say what will be done.",
        "What will you actually do, and what will it change?",
    )


PARTIAL_DIRECTIONS = re.compile(
    r"^(?:more(?:\s+often)?|less|fewer|higher|lower|bigger|smaller|faster|up|down|regular(?:ly)?)$",
    re.I,
)


def judge_measurable(p: _Parse, specific: Criterion) -> Criterion:
    """Measurable: a number, a cadence, or a finish line that can be observed."""
    freq = p.when if p.when and p.when.frequency and not p.when.vague else None
    real = list(p.quantities)
    if p.baseline and p.target:
        real = [
            p.baseline,
            p.target,
            *[q for q in real if not _overlaps(q, p.baseline) and not _overlaps(q, p.target)],
        ]
    if real and specific.status != "missing" and p.verb_kind not in ("be", "vague"):
        extra = [p.frequency] if freq and p.frequency else []
        return _criterion(
            "met",
            [*real, *extra],
            f"There is a number to reach: {', '.join(_q(q.text) for q in real)}.",
            None,
        )
    if freq:
        return _criterion(
            "met",
            [p.frequency or p.when_span],
            f"A cadence you can count: {_q(freq.frequency)}.",
            None,
        )
    if _within_measure(p):
        m = INSTANT.search(p.text) or re.search(r"\bwithin\s+\d+\s*\w+", p.text)
        return _criterion(
            "met", [m.group(0)] if m else [], "A response window you can check each time.", None
        )
    if p.when and p.when.vague and p.when.frequency:
        return _criterion(
            "partial",
            [p.when_span],
            f"{_q(p.when.phrase)} is a cadence with no number.",
            "How often, exactly: once a week, twice a month?",
        )
    vk, ok = p.verb_kind, p.object_kind
    nothing = "What would you count or see that shows you got there?"
    if vk in ("be", "vague") or specific.status == "missing":
        return _criterion(
            "missing",
            [],
            "Nothing in it can be counted or observed, so progress cannot be tracked.",
            nothing,
        )
    if vk == "learn":
        if ok == "vague":
            return _criterion(
                "missing",
                [],
                "The thing to learn is too vague to see progress on.",
                "What exactly will you be able to do, and how will you show it?",
            )
        if p.object and BINARY_SKILLS.match(p.object.text.strip()):
            return _criterion(
                "met",
                [_action(p)],
                "Either you can do it or you cannot: a clear finish line.",
                None,
            )
        return _criterion(
            "partial",
            [_action(p)],
            "Learning has no finish line as stated.",
            "What will show you have learned it: a test, a project, a piece you can play?",
        )
    direction = p.direction
    how_much = "How much, exactly: from what to what, or how often?"
    if vk == "change":
        if p.verb_word == "improve" and ok != "metric":
            return _criterion(
                "missing", [], "A better quality gives nothing to count or observe.", nothing
            )
        return _criterion(
            "partial",
            [direction or p.verb],
            "It gives a direction of change but no number to reach.",
            how_much,
        )
    if direction and (
        PARTIAL_DIRECTIONS.match(direction.text) or ok == "metric" or p.verb_word in MONEY_VERBS
    ):
        return _criterion(
            "partial", [direction], f"{_q(direction.text)} is a direction, not an amount.", how_much
        )
    if (
        vk == "activity"
        or p.verb_word in ONGOING_VERBS
        or (ok == "none" and p.verb_word in SOLO_ACTIVITIES)
    ):
        return _criterion(
            "missing",
            [],
            "An ongoing activity with no amount, cadence or finish line.",
            "How much or how often, exactly?",
        )
    action = _action(p)
    return _criterion(
        "met", [action], f"Done or not done: {_q(action.text)} has a clear finish line.", None
    )


def _within_measure(p: _Parse) -> bool:
    return bool(
        re.search(
            r"\bwithin\s+(?:\d+|a|an|one)\s*(?:seconds?|secs?|minutes?|mins?|hours?|hrs?)\b",
            p.text,
            re.I,
        )
    ) and bool(ALL_ITEMS.search(p.text))


def judge_time_bound(p: _Parse) -> Criterion:
    w = p.when
    if w is None:
        return _criterion(
            "missing",
            [],
            "There is no deadline, time frame or schedule.",
            "By when will this be done, or how often will you do it?",
        )
    ev = [p.when_span] if p.when_span else [w.phrase]
    if w.impossible:
        return _criterion(
            "missing",
            ev,
            f"{_q(w.phrase)} is not a date that exists.",
            "Which date did you mean?",
        )
    if w.vague:
        return _criterion(
            "partial",
            ev,
            f"{_q(w.phrase)} is too vague to plan against or check.",
            "By what date, exactly?",
        )
    if w.past:
        return _criterion(
            "missing",
            ev,
            f"The deadline ({_q(w.phrase)}, {w.deadline.isoformat()}) has already passed.",
            "What new date, still ahead, will you commit to?",
        )
    if w.deadline:
        return _criterion(
            "met", ev, f"It has a date to work to: {_q(w.phrase)} ({w.deadline.isoformat()}).", None
        )
    return _criterion("met", ev, f"It has a schedule: {_q(w.phrase)}.", None)


def _amount(s: str) -> float | None:
    m = re.search(r"(\d+(?:[.,]\d+)*)\s?(k|m|bn|b|x|%)?", s, re.I)
    if not m:
        return None
    try:
        value = float(m.group(1).replace(",", ""))
    except ValueError:
        return None
    unit = (m.group(2) or "").lower()
    return value * {"k": 1e3, "m": 1e6, "bn": 1e9, "b": 1e9}.get(unit, 1)


def _ratio(p: _Parse) -> tuple[float | None, bool]:
    """How many times the target is over (or under) the baseline; and whether it grows."""
    if p.baseline and p.target:
        a, b = _amount(p.baseline.text), _amount(p.target.text)
        if a and b and a > 0 and b > 0:
            return (b / a, True) if b >= a else (a / b, False)
    core = p.core.text.lower()
    m = re.search(r"\b(\d+(?:\.\d+)?)x\b", core)
    if m and (p.verb_word == "multiply" or re.match(r"\s*\d", core)):
        return float(m.group(1)), True
    for word, factor in (("double", 2.0), ("triple", 3.0), ("quadruple", 4.0)):
        if re.search(r"\b" + word + r"\b", core):
            return factor, True
    return None, True


def _days(p: _Parse) -> int | None:
    if p.when and p.when.deadline and not p.when.vague:
        return (p.when.deadline - p.today).days
    return None


def _impossible(p: _Parse, specific: Criterion) -> list[str] | None:
    """Words that make the goal clearly impossible in its time frame, or None."""
    if specific.status == "missing":
        return None  # a vague outcome is not concrete enough to be impossible
    days = _days(p)
    text = p.text
    if FOREVER.search(text) and INSTANT.search(text) and ALL_ITEMS.search(text):
        return [
            ALL_ITEMS.search(text).group(0),
            INSTANT.search(text).group(0),
            FOREVER.search(text).group(0),
        ]
    if days is not None:
        role = TOP_ROLE.search(p.core.text)
        if role and p.verb_word in ("be", "become", "make", "get promoted", "get") and days <= 180:
            return [role.group(0), p.when.phrase]
        untrained = UNTRAINED.search(text)
        if untrained and (
            (ENDURANCE.search(text) and days <= 56) or (ADVANCED_SKILL.search(text) and days <= 365)
        ):
            hard = ENDURANCE.search(text) or ADVANCED_SKILL.search(text)
            return [hard.group(0), p.when.phrase, untrained.group(0)]
        ratio, grows = _ratio(p)
        # Doubling within a month, or tenfold within a year with no plan at all.
        if (
            ratio is not None
            and grows
            and ((ratio >= 2 and days <= 31) or (ratio >= 10 and days <= 366 and not p.plans))
        ):
            words = [p.baseline.text, p.target.text] if p.baseline and p.target else [p.core.text]
            return [*words, p.when.phrase]
        loss = WEIGHT_LOSS.search(text)
        if loss:
            kg = float(loss["n"]) * (0.4536 if loss["u"].lower().startswith(("lb", "pound")) else 1)
            if kg / max(days / 7, 0.5) > 1.5:
                return [loss.group(0), p.when.phrase]
        pr = RACE_TIME.search(text)
        under = UNDER_HOURS.search(text)
        if pr and under and ENDURANCE.search(text) and days <= 366:
            now = int(pr["h"]) * 60 + int(pr["m"])
            goal_minutes = float(under["n"]) * 60
            if now > 0 and (now - goal_minutes) / now > 0.15:
                return [under.group(0), pr.group(0), p.when.phrase]
    return None


def judge_achievable(p: _Parse, specific: Criterion) -> Criterion:
    impossible = _impossible(p, specific)
    if impossible:
        return _criterion(
            "missing",
            impossible,
            "As stated it cannot realistically be done in that time.",
            "What part of it could you really reach in that time, or how long would all of it take?",
        )
    if p.confidence is not None:
        shown = f"{round(p.confidence * 10)}/10"
        ev = [p.confidence_span]
        if p.confidence >= 0.7:
            return _criterion("met", ev, f"Your own confidence is high ({shown}).", None)
        if p.confidence > 0.3:
            return _criterion(
                "partial",
                ev,
                f"Your own confidence is middling ({shown}).",
                "What would raise your confidence to 7/10 or more: more time, help, or a smaller target?",
            )
        return _criterion(
            "missing",
            ev,
            f"Your own confidence is low ({shown}).",
            "What smaller or slower version would you be at least 7/10 confident about?",
        )
    ratio, grows = _ratio(p)
    days = _days(p)
    big = ratio is not None and ((grows and ratio >= 2) or (not grows and ratio > 5))
    if p.plans and not NO_RESOURCES.search(p.text):
        if big and days is not None:
            return _criterion(
                "partial",
                p.plans,
                f"A plan is stated ({_q(p.plans[0].text)}), but it looks thin for a stretch this big.",
                "What else will you put behind it: people, money, time, or a second lever?",
            )
        return _criterion(
            "met", p.plans, f"It states how: {', '.join(_q(s.text) for s in p.plans)}.", None
        )
    if p.baseline and p.target and days is not None and days > 0 and not big:
        return _criterion(
            "met",
            [p.baseline, p.target],
            f"The gap from {_q(p.baseline.text)} to {_q(p.target.text)} is plausible in the time given.",
            None,
        )
    if p.confidence_off_scale:
        return _criterion(
            "unknown",
            [p.confidence_off_scale],
            f"{_q(p.confidence_off_scale.text)} is off the scale: confidence runs from 0 to 10.",
            "How confident are you, 0-10, and what plan or support will you use?",
        )
    return _criterion(
        "unknown",
        [],
        "Nothing says how you will do it: no plan, support, baseline or confidence.",
        "How confident are you, 0-10, and what plan or support will you use?",
    )


# --- relevance -----------------------------------------------------------------------------------

# What common values and visions mean in everyday goals (our own glosses), so a goal can
# serve a one-word value by meaning: "call my mom" serves "family" though the word is absent.
# Each theme: the words of a value or vision that call it up, and the glosses compared.
THEMES: tuple[tuple[re.Pattern[str], tuple[str, ...]], ...] = tuple(
    (re.compile(trigger, re.I), glosses)
    for trigger, glosses in (
        (
            r"famil|kids|children|parent|home\b|partner|marriage",
            (
                "time with my children, partner and parents",
                "being a loving parent at home",
                "family dinners, kids' games, trips and holidays together",
            ),
        ),
        (
            r"health|well-?being|fitness|energy",
            (
                "exercise, sleep, healthy eating and rest",
                "physical fitness and mental wellbeing",
                "doctor, dentist and therapist visits and checkups",
                "less stress, quitting smoking or drinking",
            ),
        ),
        (
            r"balance|rest|present",
            (
                "time off work for rest and family",
                "working fewer hours and switching off",
                "being attentive at home, phones away",
            ),
        ),
        (
            r"financ|money|wealth|security|frugal|independen",
            (
                "saving money, paying off debt and investing",
                "spending less and building savings",
                "retirement savings, insurance and an emergency fund",
            ),
        ),
        (
            r"integrity|honest|trust|transparen|ethic|truth",
            (
                "being honest and keeping promises",
                "doing the right thing when it costs",
                "sharing information openly",
            ),
        ),
        (
            r"grow|learn|develop|curio|educat|knowledge",
            (
                "learning new skills, studying and reading",
                "coaching, mentoring and training people",
                "courses, certifications and professional development",
            ),
        ),
        (
            r"people|engineer|team|staff|employee|talent|culture",
            (
                "coaching, mentoring and developing the team",
                "one-on-ones, feedback and promotions",
                "hiring, onboarding and keeping good people",
            ),
        ),
        (
            r"data|evidence|metric|analytic|measur",
            (
                "measuring results with data and analytics",
                "experiments, dashboards and analysts",
                "decisions based on evidence",
            ),
        ),
        (
            r"kid|class|student|school|teach|reading",
            (
                "teaching students and helping every child learn",
                "reading practice with pupils",
                "feedback for students in the classroom",
            ),
        ),
        (
            r"care|patient|safe|nurs|compassion",
            (
                "patient safety and fewer medical errors",
                "kind, attentive care for patients",
                "training and supporting nurses",
            ),
        ),
        (
            r"communit|neighbo|volunteer|service|social",
            ("volunteering and helping neighbours", "serving the local community and charity"),
        ),
        (
            r"sustainab|climate|planet|environment|green",
            ("climate, the environment and cutting carbon emissions",),
        ),
        (r"creativ|art\b|music|writ", ("art, writing, music and making things",)),
        (r"adventure|explor|travel", ("travel, camping, hiking and outdoor experiences",)),
        (
            r"fair|justice|equal|inclusi",
            ("treating everyone equally and justly", "giving everyone the same chance"),
        ),
        (r"humil|modest", ("staying modest and giving others credit",)),
        (
            r"visib|voice|recogni|influence|speak",
            ("public speaking, panels, talks and writing so people in my field know me",),
        ),
        (
            r"excellen|quality|craft|trusted|best",
            ("doing high-quality, reliable work", "earning clients' trust with expertise"),
        ),
        (r"innovat|invent|build", ("building new products and trying new ideas",)),
        (r"faith|spirit|church|pray", ("prayer, church and spiritual life",)),
        (
            r"career|advance|ambition|promot",
            ("promotion, new skills and professional development",),
        ),
    )
)
# Goals that work against a value, whatever their similarity: (value cue, goal cue).
CONFLICTS: tuple[tuple[re.Pattern[str], re.Pattern[str]], ...] = tuple(
    (re.compile(v, re.I), re.compile(g, re.I))
    for v, g in (
        (
            r"financ|money|frugal|saving|wealth|security|debt",
            r"\b(?:buy|lease|get)\s+(?:a\s+|an\s+|my\s+)?(?:new\s+)?(?:boat|yacht|lambo\w*|porsche|ferrari|sports\s+car|supercar|luxury|designer|jet|second\s+home|vacation\s+home)|\bsplurge\b|\btake\s+(?:on|out)\s+(?:a\s+)?(?:loan|debt)",
        ),
        (
            r"health|well|balance|rest|present|energy",
            r"\b(?:extra|more|double)\s+(?:\w+\s+)?shifts?\b|\bovertime\b|\b(?:[6-9]\d|100)[- ]hour\s+weeks?\b|\bwork\s+(?:every\s+)?(?:weekends?|nights|through)\b|\bskip(?:ping)?\s+(?:sleep|lunch|vacation|holidays?)\b|\ball[- ]nighters?\b",
        ),
        (
            r"integrity|honest|trust|transparen|ethic|truth",
            r"\bpromise\s+(?:\w+\s+)?(?:features?|things?)\s+(?:we|i)\s+(?:don'?t|do\s+not)\s+have\b|\beven\s+if\s+i\s+have\s+to\b|\b(?:lie|mislead|fake|cheat|oversell|hide|cover\s+up|fudge|inflate)\b",
        ),
        (
            r"people|engineer|grow|develop|mentor|team|learning|every\s+\w+\s+grows",
            r"\b(?:cut|slash|freeze|eliminate)\s+(?:the\s+|our\s+)?(?:training|learning|development|mentoring)\s+(?:budget|program\w*)|\breplace\s+(?:the\s+|our\s+)?(?:\w+\s+)?(?:devs|developers|engineers|staff|people|team|employees|juniors)\s+with\b|\blay\s*offs?\b|\blay\s+off\b|\bcut\s+headcount\b|\bfire\s+(?:the\s+)?(?:\w+\s+)?(?:team|staff|engineers)\b",
        ),
        (
            r"humil|modest",
            r"\blambo\w*\b|\bporsche\b|\bferrari\b|\bsupercar\b|\bfamous\b|\bshow\s+off\b",
        ),
        (
            r"family|kids|children|parent|present",
            r"\b(?:miss|skip)\w*\s+(?:the\s+)?(?:kids'?|family|dinner|games?|recitals?)\b|\btravel\s+every\s+week\b",
        ),
    )
)
RELEVANT_MET = 0.28
RELEVANT_PARTIAL = 0.20


def _value_anchors(values: Sequence[str], vision: str | None) -> list[tuple[str, str, bool]]:
    """(label, text, stated) triples to compare a goal with: the vision, each value, their themes.

    `stated` marks the person's own words, as opposed to a theme's gloss.
    """
    anchors: list[tuple[str, str, bool]] = []
    for item in ([vision] if vision else []) + list(values):
        anchors.append((item, item if item is vision else f"I value {item}", True))
        for trigger, glosses in THEMES:
            if trigger.search(item):
                anchors.extend((item, gloss, False) for gloss in glosses)
    return anchors


def _without_shared_verb(goal_words: str, anchor: str, verb: str | None) -> str | None:
    """The goal without its verb when the anchor shares that verb's stem; else None.

    Sharing a verb is not sharing a meaning ("grow revenue" against "every engineer grows"):
    verbs like grow, build or lead cross every domain, while a shared noun ("fintech",
    "family") does pin the goal to what the person said.
    """
    if not verb:
        return None
    stem = re.sub(r"[^a-z]", "", verb.lower())[:4]
    if len(stem) < 3 or stem not in {w[:4] for w in re.findall(r"[a-z]+", anchor.lower())}:
        return None
    kept = [w for w in goal_words.split() if re.sub(r"[^a-z]", "", w.lower())[:4] != stem]
    return " ".join(kept) or "."


@lru_cache(maxsize=64)
def _anchor_vectors(texts: tuple[str, ...]):
    """Embeddings of a person's vision, values and glosses: the same for every goal they judge."""
    from agent.embeddings import get_model

    return get_model().embed(list(texts))


def relevance(
    goal_words: str,
    *,
    values: Sequence[str] = (),
    vision: str | None = None,
    verb: str | None = None,
) -> tuple[str, str | None, float]:
    """How well words serve a vision or values: (status, the value or vision matched, score).

    Status is met, partial or missing, or "against" when the goal works against a stated
    value; unknown when neither vision nor values is given. Meaning comes from the
    embedding model (loaded here, on first use), compared with the person's own words and
    with short glosses of the themes they call up; thresholds were set on examples of our
    own (see tests/test_smart.py), not on the eval set.
    """
    values = [v for v in values if v and v.strip()]
    if not values and not (vision and vision.strip()):
        return "unknown", None, 0.0
    context = " ".join([vision or "", *values])
    for value_cue, goal_cue in CONFLICTS:
        if value_cue.search(context) and goal_cue.search(goal_words):
            label = next((v for v in [*values, vision or ""] if v and value_cue.search(v)), context)
            return "against", label, -1.0
    from agent.embeddings import get_model

    anchors = _value_anchors(values, vision)
    anchor_vectors = _anchor_vectors(tuple(text for _, text, _ in anchors))
    texts = [goal_words]
    reduced: dict[int, int] = {}  # anchor index -> index of the goal without the shared verb
    for i, (_, text, stated) in enumerate(anchors):
        variant = _without_shared_verb(goal_words, text, verb) if stated else None
        if variant is not None:
            reduced[i] = len(texts)
            texts.append(variant)
    vectors = get_model().embed(texts)
    scores = [float(anchor_vectors[i] @ vectors[reduced.get(i, 0)]) for i in range(len(anchors))]
    best = max(range(len(scores)), key=scores.__getitem__)
    score = scores[best]
    status = (
        "met" if score >= RELEVANT_MET else "partial" if score >= RELEVANT_PARTIAL else "missing"
    )
    return status, anchors[best][0], score


def judge_relevant(
    p: _Parse, values: Sequence[str], vision: str | None
) -> tuple[Criterion, str | None]:
    """Relevant: serves the stated vision or values by meaning. Also returns what it serves."""
    words = _span(p.text, p.core.start, max(p.main.end, p.purpose.end if p.purpose else 0))
    status, anchor, _ = relevance(words.text, values=values, vision=vision, verb=p.verb_word)
    if status == "unknown":
        return _criterion(
            "unknown",
            [],
            "No vision or values were given, so relevance cannot be judged.",
            "Which of your values, or what part of your vision, does this goal serve?",
        ), None
    shown = _q(anchor) if anchor else "your vision and values"
    if status == "against":
        context = " ".join([vision or "", *values])
        cue = next(
            (g.search(p.text) for v, g in CONFLICTS if v.search(context) and g.search(p.text)), None
        )
        return _criterion(
            "missing",
            [cue.group(0) if cue else words],
            f"It works against what you said matters ({shown}).",
            f"How could you reach the same aim in a way that honours {shown}?",
        ), None
    if status == "met":
        return _criterion(
            "met", [words], f"It serves what you said matters: {shown}.", None
        ), anchor
    if status == "partial":
        return _criterion(
            "partial",
            [words],
            f"It touches {shown} only indirectly.",
            f"How, exactly, does this move you toward {shown}?",
        ), None
    stated = ", ".join(_q(v) for v in [*([vision] if vision else []), *values])
    return _criterion(
        "missing",
        [words],
        f"It does not serve the vision or values you gave ({stated}).",
        "Which of your values does this serve, or is there a goal that would serve them better?",
    ), None


# --- category, score, rewrite -----------------------------------------------------------------

TEAM_WORDS = re.compile(
    r"\b(?:team|teams|reports?|direct\s+reports?|1:1s?|one-on-ones?|hire|hiring|hires|engineers?|devs?|"
    r"mentor\w*|coach\s+(?:my|our|the)|onboard\w*|team\s+leads?|promotion-ready|attrition|engagement|"
    r"junior|seniors?|staff|nurses|students|readers|feedback|delegate|lunch-and-learn|recruit\w*)\b",
    re.I,
)
ORG_WORDS = re.compile(
    r"\b(?:revenue|arr|mrr|sales|quota|churn|nps|customers?|clients?|company|margin|latency|api|sso|"
    r"product|app|launch|market|enterprise|board|seed\s+round|funding|logo|brand|business|profit|"
    r"conversion|users|pipeline|suppliers?|contracts?|organi[sz]ation|org|office|ward|firm|division|"
    r"department|handbook|process|culture|tools|strategy|margin|costs?|headcount|logos)\b",
    re.I,
)


def categorize(goal: str) -> str:
    """personal growth, team development or organizational impact, from the goal's words."""
    team = len(TEAM_WORDS.findall(goal))
    org = len(ORG_WORDS.findall(goal))
    if team and team >= org:
        return "team development"
    if org:
        return "organizational impact"
    return "personal growth"


def score(criteria: SmartCriteria, *, judged_relevance: bool) -> int:
    """0-100: met counts fully, partial and unknown half; relevance only when judged."""
    letters = [name for name in LETTERS if judged_relevance or name != "relevant"]
    total = sum(STATUS_POINTS[getattr(criteria, name).status] for name in letters)
    return round(100 * total / len(letters))


def _sentence_case(text: str) -> str:
    return text[:1].upper() + text[1:] if text else text


CHATTER = re.compile(r"(?:,\s*|\s+)\b(?:lol|lmao|idk|tbh|haha|honestly)\b(?=[\s,.!]|$)", re.I)


def rewrite(p: _Parse, criteria: SmartCriteria) -> str:
    """The goal in the person's own words, with a visible blank for each missing piece.

    Nothing is filled in that the person did not say: the lead-in ("I want to") and chatter
    ("lol") are dropped, and each letter that is not met gets a bracketed question.
    """
    text = p.text
    s, m, a, r, t = (getattr(criteria, n) for n in LETTERS)
    start = p.core.start
    end = len(text.rstrip(" .!"))
    hedge = HEDGES.search(text[:end])
    if hedge and hedge.end() >= end:
        end = hedge.start()
    action = _action(p)
    after_action = min(action.end if action else p.core.end, end)
    inserts: list[tuple[int, str]] = []
    if s.status != "met":
        inserts.append(
            (after_action, "[doing what, exactly?]" if s.status == "missing" else "[what exactly?]")
        )
    vague_cadence = bool(p.when and p.when.vague and p.when.frequency)
    if m.status != "met":
        inserts.append(
            (after_action, "[how often, exactly?]" if vague_cadence else "[how much / how many?]")
        )
    tail: list[str] = []
    when_inside = p.when_span is not None and start <= p.when_span.start and p.when_span.end <= end
    if t.status == "partial" and vague_cadence and m.status != "met":
        pass  # the cadence blank above asks for it already
    elif t.status == "partial":
        if when_inside:
            inserts.append((p.when_span.end, "[by what date?]"))
        else:
            tail.append("[by what date?]")
    elif t.status == "missing" and p.when and p.when.past and when_inside:
        inserts.append((p.when_span.end, "[that date has passed: by when now?]"))
    elif t.status == "missing":
        tail.append("[by when?]")
    if a.status == "unknown":
        tail.append("[with what plan or support?]")
    elif a.status == "missing" and p.confidence is not None and p.confidence <= 0.3:
        tail.append("[what version of this would you be 7/10 sure of?]")
    elif a.status == "missing":
        tail.append("[a target you can reach in that time?]")
    elif a.status == "partial":
        tail.append("[what more will you put behind it?]")
    if r.status in ("partial", "missing"):
        # Unjudged relevance (no vision or values given) is asked about, not marked as a gap.
        tail.append("[how does it serve your vision or values?]")

    pieces: list[str] = []
    cursor = start
    for pos, blank in sorted(inserts, key=lambda x: x[0]):
        pos = min(max(pos, cursor), end)
        pieces.extend([text[cursor:pos].strip(), blank])
        cursor = pos
    pieces.append(text[cursor:end].strip())
    body = " ".join(x for x in pieces if x)
    body = CHATTER.sub("", body)
    body = re.sub(r"\s+([,;.])", r"\1", body)
    return _sentence_case(" ".join([body, *tail]).strip())


def critique(
    goal: str, *, today: date, vision: str | None = None, values: Sequence[str] = ()
) -> SmartCritique:
    """Critique a goal letter by letter against SMART, relative to `today`.

    Raises UserError for an empty, binary or instruction-like goal. The embedding model
    is loaded only when a vision or values are given (for relevance).
    """
    text = _clean_goal(goal)
    vision = " ".join(vision.split()) if vision and vision.strip() else None
    values = [" ".join(v.split()) for v in values if v and v.strip()]
    p = _parse(text, today)
    specific = judge_specific(p)
    relevant, served = judge_relevant(p, values, vision)
    criteria = SmartCriteria(
        specific=specific,
        measurable=judge_measurable(p, specific),
        achievable=judge_achievable(p, specific),
        relevant=relevant,
        time_bound=judge_time_bound(p),
    )
    judged = bool(values or vision)
    smart = all(getattr(criteria, n).status == "met" for n in LETTERS if judged or n != "relevant")
    not_met = [
        n for n in LETTERS if getattr(criteria, n).status != "met" and (judged or n != "relevant")
    ]
    slots = _slots(p)
    slots.vision_link = served
    return SmartCritique(
        goal=text,
        vision=vision,
        values=values,
        today=today,
        slots=slots,
        criteria=criteria,
        score=score(criteria, judged_relevance=judged),
        smart=smart,
        rewrite=rewrite(p, criteria),
        category=categorize(text),
        citations=cite("smart", *[f"smart_{n}" for n in not_met], "goal_categories"),
    )


def weakest_letter(c: SmartCritique) -> str | None:
    """The letter to ask about next, in order of importance; None when the goal is SMART."""
    if c.smart:
        return None
    judged = bool(c.values or c.vision)
    for name in ASK_ORDER:
        if name == "relevant" and not judged:
            continue
        if getattr(c.criteria, name).status != "met":
            return name
    return None


# --- folding an answer into the goal -----------------------------------------------------------
#
# A coach folds each answer into the goal the way a person would rewrite it by hand: the
# facts of the answer (a date, a number or cadence, the means, a confidence rating, the
# reason, a sharper action) each go to their place in one goal sentence, in the person's
# words. The answer is read clause by clause; every clause lands somewhere (as a last
# resort in a parenthetical note), so nothing said is lost, and nothing is added that was
# not said beyond the few joining words a sentence needs ("by", "with", "to", "because").

# An answer that passes on the question: the goal stays as it was.
PASSES = re.compile(
    r"^(?:no|nope|nah|(?:i'?m\s+|i\s+am\s+)?(?:not\s+(?:sure|yet|really)|unsure)|(?:i\s+)?(?:don'?t|do\s+not)\s+know|"
    r"dunno|idk|ugh|meh|argh|urgh|phew|lol|haha|whatever|oh\s+well|hmm+|um+|uh+|"
    r"no\s+(?:idea|clue|comment)|n/?a|none|nothing|skip(?:\s+(?:it|this|that)(?:\s+one)?)?|pass|next|"
    r"move\s+on|(?:i'?m\s+|all\s+)?done|that'?s\s+(?:it|all)|rather\s+not\s+say|can'?t\s+say|"
    r"no\s+change|same|as\s+is|leave\s+it(?:\s+as\s+is)?|good\s+as\s+is|ok(?:ay)?|fine|sure|yes|yeah|yep)"
    r"(?:[\s,.!?-]+(?:sorry|thanks|thank\s+you|next|skip|pass|for\s+now|move\s+on|no\s+idea|really))*[\s.!?]*$",
    re.I,
)
# Words that open a reply without saying anything ("hmm", "I'd say", "let's say") and
# lead-ins of intent ("I want to", "I'll") that a goal sentence does without.
ANSWER_LEAD = re.compile(
    r"^(?:(?:so(?=,)|and|but|also|plus|then|um+|uh+|h+m+|ok(?:ay)?|sure|yes|yeah|yep|yup|right|oh|ah|well|"
    r"good\s+question|honestly|actually|basically|realistically|ideally|hopefully|probably|maybe|"
    r"perhaps|definitely|likely|obviously|of\s+course|i\s+(?:guess|think|suppose|reckon|believe|hope)(?:\s+that)?|"
    r"(?:i'?d|i\s+would)\s+(?:say|guess|think|hope)|let'?s\s+(?:say|go\s+with|make\s+it|aim\s+for)|"
    r"make\s+it|say|i\s+mean|to\s+be\s+honest|if\s+i'?m\s+honest|let\s+me\s+(?:think|see)|"
    r"(?:i|we)\s+(?:really\s+|just\s+)?(?:want|need|plan|hope|aim|intend|mean|wanna|have)\s+to|"
    r"(?:i|we)(?:'d|\s+would)\s+(?:really\s+)?(?:like|love)\s+to|"
    r"(?:i'?m|we'?re|i\s+am|we\s+are)\s+(?:going|planning|hoping|aiming|trying)\s+to|"
    r"(?:i|we)(?:'ll|\s+will|\s+can|\s+could|\s+should|'?m\s+gonna|\s+am\s+gonna)|gonna|"
    r"(?:my|the|our)\s+(?:goal|plan|aim|answer)\s+(?:is|would\s+be)(?:\s+to)?)"
    r"(?![\w'])[\s,.!:;-]*)+",
    re.I,
)
ANSWER_HEDGE = re.compile(
    r"(?:[\s,]+(?:i\s+(?:guess|think|hope|suppose|reckon)|(?:i'?d|i\s+would)\s+say|maybe|probably|"
    r"hopefully|lol|haha|tbh|honestly|or\s+something|to\s+be\s+honest|obviously|of\s+course|for\s+sure|"
    r"definitely|really|mostly|i\s+suppose|i\s+hope|"
    r"if\s+(?:that'?s|that\s+is)\s+(?:ok|okay|fine|realistic)))+[\s.!?]*$",
    re.I,
)
CLAUSE_BREAK = re.compile(
    r"\s*(?:[;:]\s+|[.!?]+(?:\s+|$)|,(?!\d)\s*(?:(?:and|but|plus|also)\s+)?|\s+-+\s+|"
    r"\s+(?:and|but|plus)\s+(?=(?:i|i'm|i'll|i've|i'd|we|we're|we'll|we've|it|it's|with|using|thanks|"
    r"confidence|because|since|\d+\s*(?:/|out\s+of)\s*10)\b)|"
    r"\s+(?=(?:because|since|so\s+that|so\s+(?:i|we|my|our|the)\s)\b))\s*",
    re.I,
)
# "Monday, Wednesday and Friday" is one cadence, not three clauses.
WEEKDAY_COMMA = re.compile(r"(?<=day),\s+(?=(?:mon|tues|wednes|thurs|fri|satur|sun)day)", re.I)

REASON_START = re.compile(
    r"^(?:because|since|so\s+that|so(?=\s+(?:i|we|my|our|the|they|he|she|it|people|everyone)\b)|"
    r"in\s+order\s+to|as\s+(?=(?:i|we|it|my|our)\b))\b",
    re.I,
)
IT_DOES = re.compile(
    r"^(?:it|this|that)(?:'ll|\s+will|\s+would|'d|\s+should)?\s+(?P<verb>serves?|supports?|helps?|builds?|"
    r"keeps?|gives?|lets?|makes?|moves?|brings?|protects?|shows?|frees?|grows?|develops?|"
    r"strengthens?|creates?)\b\s*(?P<rest>.*)$",
    re.I,
)
IT_IS_FOR = re.compile(
    r"^(?:it'?s|it\s+is|this\s+is|that'?s|that\s+is)\s+(?:all\s+|really\s+|mostly\s+|mainly\s+)?"
    r"(?P<prep>for|about)\s+(?P<rest>.+)$",
    re.I,
)
WANT_TO = re.compile(
    r"^(?:(?:i|we)\s+(?:really\s+)?(?:want|need|hope|wanna)|(?:i|we)(?:'d|\s+would)\s+(?:really\s+)?(?:like|love))\s+to\s+(?P<rest>.+)$",
    re.I,
)
CARE = re.compile(
    r"^(?:(?:i|we)\s+(?:really\s+)?(?:care|value|believe|love|want|need)|.{1,40}\bmatters?\b|"
    r"(?:my|our)\s+\w+(?:\s+\w+)?\s+(?:deserves?|needs?|counts?\s+on|depends?\s+on))\b",
    re.I,
)

HAVE = re.compile(
    r"^(?P<who>i|we)\s*(?:'ve|\s+have)?\s+(?:already\s+)?(?:got|have)\s+(?P<np>.+)$|"
    r"^(?P<who2>i|we)\s+(?:already\s+)?have\s+(?P<np2>.+)$|^there'?s\s+(?:already\s+)?(?P<np3>.+)$|"
    # The subject said once for two clauses: "I'm 7/10 confident and have budget for it".
    r"^(?:already\s+)?(?:have|'ve)?\s*(?:got|have)\s+(?!(?:to|been|done|it|them|this|that)\b)(?P<np4>.+)$",
    re.I,
)
# Resources people name without an article ("have budget for it"): read as "with the budget".
BARE_RESOURCES = _words("budget funding headcount approval go-ahead sign-off buy-in")
SUPPORTER = re.compile(
    r"^(?P<who>(?:my|our|the|a|an)\s+[\w'-]+(?:\s+[\w'-]+){0,3}?|[A-Z][a-z]+)\s+"
    r"(?:will|'ll|would|can|could|is\s+going\s+to|has\s+(?:agreed|offered|promised)\s+to|"
    r"(?:agreed|offered|promised)\s+to)\s+(?P<verb>back|support|help|coach|mentor|sponsor|fund|train|guide)"
    r"\b(?:\s+(?:me|us|with\s+(?:it|this)|on\s+(?:it|this)))?(?P<rest>.*)$",
    re.I,
)
SUPPORTING = re.compile(
    r"^(?P<who>(?:my|our|the|a|an)\s+[\w'-]+(?:\s+[\w'-]+){0,3}?|[A-Z][a-z]+)\s+(?:is|are|'s|'re)\s+(?:already\s+)?"
    r"(?P<verb>back|support|help|coach|mentor|sponsor|fund|train|guid)(?:ing|e?ing)\s+(?:me|us)\b(?P<rest>.*)$",
    re.I,
)
HAS_MY_BACK = re.compile(
    r"^(?P<who>(?:my|our|the)\s+[\w'-]+(?:\s+[\w'-]+){0,3}?)\s+has\s+(?:got\s+)?(?:my|our)\s+back$",
    re.I,
)
FINITE = re.compile(
    r"\b(?:is|are|was|were|has|have|had|will|would|can|could|should|does|did|am)\b|\w'(?:s|re|ve|ll|d)\b",
    re.I,
)
ON_BOARD = re.compile(
    r"^(?P<who>(?:my|our|the)\s+[\w'-]+(?:\s+[\w'-]+){0,3}?)\s+(?:is|are|'s|'re)\s+(?:fully\s+|totally\s+)?"
    r"(?P<how>on\s+board|supportive|behind\s+(?:me|us|it|this)|in)$",
    re.I,
)
SUPPORT_WORDS = {
    "back": "backed by",
    "support": "supported by",
    "help": "with help from",
    "coach": "coached by",
    "mentor": "mentored by",
    "sponsor": "sponsored by",
    "fund": "funded by",
    "train": "trained by",
    "guide": "guided by",
}
USE = re.compile(
    r"^(?:(?:i'?m|we'?re|i\s+am|we\s+are)\s+(?:going\s+to\s+)?|(?:i|we)(?:'ll|\s+will|\s+can)\s+)?"
    r"(?:use|using)\s+(?P<rest>.+)$",
    re.I,
)
DOING_NOW = re.compile(
    r"^(?:i'?m|we'?re|i\s+am|we\s+are)\s+(?P<already>already\s+)?(?P<ing>[a-z]+ing)\b(?P<rest>.*)$",
    re.I,
)
DONE_BEFORE = re.compile(
    r"^(?:i|we)(?:'ve|\s+have)\s+(?:already\s+)?(?P<rest>(?:done|run|finished|completed|passed|"
    r"written|read|led|taken|built|shipped|started|tried|been)\b.*)$",
    re.I,
)
CURRENT = re.compile(
    r"^(?:(?:i'?m|we'?re|i\s+am|we\s+are|it'?s|it\s+is|currently|right\s+now|now|today|at\s+the\s+moment)"
    r"(?:\s+at)?\s+)+(?:about\s+|around\s+|roughly\s+|~)?"
    r"(?P<n>[$€£]?\d[\d.,:]*\s?(?:k|m|%|x)?(?:\s+(?!(?:now|today|currently|right|at)\b)[a-z]+)?"
    r"(?:\s+(?:a|per)\s+(?:day|week|month|year))?)"
    r"(?:\s+(?:now|today|currently|right\s+now|at\s+the\s+moment))?$",
    re.I,
)
MEASURE_START = re.compile(
    r"^(?:(?:by|to|from|up\s+to|down\s+to|at\s+least|at\s+most|max(?:imum)?|min(?:imum)?|under|over|"
    r"below|above|around|about|roughly|only|just|~)\s+)*(?:[$€£~]\s?\d|\d|(?:one|two|three|four|five|six|"
    r"seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|forty|fifty|hundred|once|twice|"
    r"a\s+couple|a\s+few|a\s+dozen|double|triple|half|every|each|daily|weekly|fortnightly|monthly|"
    r"quarterly|nightly)\b)",
    re.I,
)
# A measure that reads straight after its action ("3 times a week", "by 20%").
PLAIN_MEASURE = re.compile(
    r"^(?:(?:by|to|from|up\s+to|down\s+to|under|below|at\s+least|at\s+most)\b|"
    r"(?:\d+(?:\.\d+)?|one|two|three|four|five|six|seven)\s*(?:x|times?)\b|(?:once|twice|thrice)\b|"
    r"(?:every|each|daily|weekly|fortnightly|monthly|quarterly|nightly|weeknights|weekdays)\b|"
    r"[$€£]?\d[\d.,]*\s?(?:%|k|m|x)?\s*(?:a|per|/|each|every)\s)",
    re.I,
)
NP_START = _words(
    "a an the my our his her their your this that these those some more less fewer each every all "
    "any weekly daily monthly regular one two three four five six seven eight nine ten twice once "
    "half double both several few"
)
PREP_START = _words(
    "by to from with using in on at for before until till within over during after via through "
    "about around when once"
)
# Verbs people open an action with: the critic's verb lists and some everyday ones.
ACTION_VERBS = (
    {
        v.split()[0]
        for v in COMPLETION_VERBS
        | CHANGE_VERBS
        | ACTIVITY_CATEGORIES
        | ONGOING_VERBS
        | set(PHRASAL)
    }
    | set(SOLO_ACTIVITIES)
    | _words(
        "hand give send hold block schedule share review ask shadow pair sit eat drink cut attend "
        "join prepare draft ship teach interview run post blog delegate document automate quit "
        "replace track log limit cap keep stop start take spend call email text write read finish "
        "complete publish launch build fix clear cancel decline protect turn switch put leave "
        "pick set book reserve map list rewrite refactor test measure survey present pitch "
        "apply enroll enrol register sign outline brainstorm celebrate thank praise recognize "
        "recognise acknowledge invite host organise organize tidy clean sort prune follow stick "
        "hire ask practise practice rehearse study train save pay walk jog bike cycle swim lift go "
        "visit pilot trial test"
    )
) - {"be", "have", "do", "feel", "seem", "look", "more", "better"}
# Comparatives that stand in for an amount until the person names one.
COMPARATIVE = re.compile(
    r"\b(?:(?:a\s+(?:lot|bit)|much|far|way)\s+)?(?:more\s+(?:often|regularly)|more|less|fewer|better|"
    r"regularly|regular|often)\b",
    re.I,
)
TIME_UNITS = re.compile(
    r"\b(?:hours?|hrs?|minutes?|mins?|days?|evenings?|mornings?|nights?|afternoons?|weekends?)\b",
    re.I,
)
CURRENCY = re.compile(r"[$€£]|\b\d+\s?(?:k|m)\b|\b(?:dollars?|euros?|pounds?|bucks)\b", re.I)
# Words too general to carry a goal's meaning when its wording is replaced by an action.
EMPTY_WORDS = STOP_WORDS | _words(
    "be become get do make have things thing stuff more less better best good great really very "
    "to at on in with for of and or it improve work"
)


@dataclass
class _Facts:
    """What an answer says, sorted by where it goes in the goal."""

    actions: list[str] = field(default_factory=list)
    objects: list[str] = field(default_factory=list)
    measures: list[str] = field(default_factory=list)
    deadline: str | None = None
    action_deadline: bool = False  # a new action brings its own date
    action_cadence: bool = False  # a new action brings its own cadence
    plans: list[str] = field(default_factory=list)
    confidence: str | None = None
    reasons: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    current: str | None = None
    restates: bool = False  # the new action names the goal's own object

    def empty(self) -> bool:
        return not any(
            (
                self.actions,
                self.objects,
                self.measures,
                self.deadline,
                self.plans,
                self.confidence,
                self.reasons,
                self.notes,
                self.current,
            )
        )


def merge_answer(goal: str, answer: str, *, today: date, letter: str | None = None) -> str:
    """Fold the person's answer into the goal: one goal sentence, in their own words.

    Each fact of the answer goes where it belongs: a date replaces the goal's timing
    (a new date wins over an old one), an amount or cadence replaces a vague "more" or
    "regularly" or follows the action, the means and support read as "with my running
    club" or "using the weekly 1:1s", a confidence rating as "(confidence 8/10)", the
    reason as "because ..." or "for ...", and a concrete action leads while the goal's
    old wording becomes its purpose ("... to get fitter"), or is dropped when the action
    already says it all. `letter` is the SMART letter the question was about: it decides
    where words that say nothing else go. An answer that passes ("skip", "no idea")
    returns the goal as it was (first letter capitalised). Raises UserError for an
    empty, binary or instruction-like answer.
    """
    text = _clean_goal(goal)
    reply = clean_text(answer, "answer", max_chars=max(len(answer or ""), 1))
    refuse_instructions(reply, "answer")
    reply = " ".join(reply.split()).strip(" \"'“”")
    base = _goal_body(text)
    # A closing aside from an earlier answer ("(confidence 7/10)") stays last.
    aside = re.search(r"\s*\(([^()]*)\)$", base)
    old_notes = [n.strip() for n in aside.group(1).split(";") if n.strip()] if aside else []
    if aside and aside.start() > 0:
        base = base[: aside.start()].rstrip(" ,")
    if not base:
        return _sentence_case(text)
    p = _parse(base, today)
    facts = _read_answer(reply, p, today, letter)
    if facts.empty():
        return _sentence_case(text)
    if facts.confidence:
        old_notes = [n for n in old_notes if not CONFIDENCE.search(n)]
    facts.notes = [*old_notes, *facts.notes]
    return _compose(p, facts, today)


def _goal_body(text: str) -> str:
    """The goal without its lead-in ("I want to"), chatter ("lol") and end punctuation."""
    body = CHATTER.sub("", text).strip().rstrip(" .!?,;")
    hedge = HEDGES.search(body)
    if hedge:
        body = body[: hedge.start()].rstrip(" .!?,;")
    lead = LEAD_IN.match(body)
    if lead and lead.end() < len(body):
        body = body[lead.end() :]
    return body.strip()


def _trim(clause: str) -> str:
    """A clause without opening filler, closing hedges, emoji and stray punctuation."""
    clause = " ".join(
        "".join(" " if unicodedata.category(ch) == "So" else ch for ch in clause).split()
    )
    previous = None
    clause = clause.strip(" ,.;:!?-\"'")
    while clause != previous:
        previous = clause
        clause = ANSWER_LEAD.sub("", clause).strip(" ,.;:!?-")
        clause = ANSWER_HEDGE.sub("", clause).strip(" ,.;:!?-")
    return clause


def _split_answer(reply: str) -> list[str]:
    protected = WEEKDAY_COMMA.sub("\x01", reply)
    parts = CLAUSE_BREAK.split(protected)
    return [part.replace("\x01", ", ").strip() for part in parts if part and part.strip()]


def _read_answer(reply: str, p: _Parse, today: date, letter: str | None) -> _Facts:
    facts = _Facts()
    if PASSES.match(_trim(reply) or reply):
        return facts
    for clause in _split_answer(reply):
        _read_clause(clause, p, today, letter, facts)
    return facts


def _read_clause(raw: str, p: _Parse, today: date, letter: str | None, facts: _Facts) -> None:
    """Sort one clause of the answer into `facts`."""
    clause = _trim(raw)
    if not clause or PASSES.match(clause):
        return
    first = _first_word(clause)
    if clause[:1].isupper() and (
        first in ACTION_VERBS
        or first in NP_START
        or first in PREP_START
        or first in ("because", "since", "so", "it", "it's", "we", "we're", "my", "our", "have", "got")
    ):
        # Mid-sentence, "Because ..." reads "because ..."; names ("Toastmasters") keep their capital.
        clause = clause[:1].lower() + clause[1:]
    # A confidence rating, alone or inside the clause ("8/10", "I'm 70% sure").
    conf, span = _find_confidence(clause)
    if conf is not None and span is not None:
        facts.confidence = _confidence_words(span.text)
        clause = _trim(clause[: span.start] + " " + clause[span.end :])
        if not clause or re.fullmatch(
            r"(?:(?:i'?m|i\s+am|we'?re|pretty|fairly|quite|very|about|around|confident|sure|certain|"
            r"that|we|i|can|do|it|on|this|now|today|these\s+days|at\s+this\s+point)\s*)+"
            r"|(?:(?:the|my|our)\s+)?[\w'-]+(?:\s+[\w'-]+)?\s+(?:is|are|feels?|'s|'re)(?:\s+(?:now|today))?",
            clause,
            re.I,
        ):
            return  # what is left only says who is confident
    elif letter == "achievable":
        bare = re.fullmatch(
            r"(?:(?:a|about|around|maybe|solid|like|probably|honestly)\s+)*(?P<n>\d{1,2})(?:\s*-?ish|\s+or\s+so)?",
            clause,
            re.I,
        )
        if bare and int(bare["n"]) <= 10:
            facts.confidence = f"{int(bare['n'])}/10"
            return
    reason = _reason(clause, letter)
    if reason:
        facts.reasons.append(reason)
        return
    plan = _plan(clause)
    if plan:
        (facts.notes if plan.startswith("already ") else facts.plans).append(plan)
        return
    current = CURRENT.match(clause)
    if current:
        facts.current = current["n"].strip()
        return
    habit = re.match(
        r"(?:i|we)\s+(?P<already>already\s+)?(?P<rest>(?P<verb>[a-z]+)\b.*)$", clause, re.I
    )
    if habit and habit["verb"].lower() in ACTION_VERBS:
        # "I go to the gym twice a week": what the person already does, or will do.
        if habit["already"]:
            facts.notes.append(f"already {habit['rest']}")
            return
        clause = habit["rest"]
    first = _first_word(clause)
    if letter == "relevant" and not find_when(clause, today):
        facts.reasons.append(_as_reason(clause))
        return
    if first in ACTION_VERBS and not _mostly(clause, _when_phrase(clause, today)):
        _read_action(clause, p, today, letter, facts)
        return
    if _timing_or_measure(clause, today, facts):
        return
    if re.match(r"for\s+(?:my|our|the|a|an|\w+'s)\b", clause, re.I) or (
        re.match(r"for\s+\w+$", clause, re.I)
    ):
        facts.reasons.append(clause)
        return
    first = _first_word(clause)
    if letter == "relevant":
        facts.reasons.append(_as_reason(clause))
        return
    if first in ACTION_VERBS or (
        letter == "specific" and first not in NP_START and first not in PREP_START
    ):
        _read_action(clause, p, today, letter, facts)
        return
    if letter in ("specific", None) and p.object_kind in ("none", "vague") and first in NP_START:
        facts.objects.append(clause)
    elif letter == "measurable":
        facts.measures.append(clause)
    elif letter == "time_bound" and facts.deadline is None and TIMELY.search(clause):
        facts.deadline = _by(clause)
    elif (
        letter == "achievable"
        and first in NP_START | {"budget", "time", "help", "support"}
        and not FINITE.search(clause)
    ):
        facts.plans.append(f"with {clause}")
    else:
        facts.notes.append(clause)


def _when_phrase(clause: str, today: date) -> str:
    when = find_when(clause, today)
    return when.phrase if when else "\x00"


# Words that make a clause answer "by when?" though no date can be read from it.
TIMELY = re.compile(
    r"\d|\b(?:when|whenever|once|after|before|until|end|by|next|this|month|week|year|day|spring|"
    r"summer|fall|autumn|winter|christmas|holidays?|quarter|birthday|launch|retire\w*|school)\b",
    re.I,
)


def _first_word(clause: str) -> str:
    m = re.match(r"[\w'$€£~:-]+", clause)
    return m.group(0).lower() if m else ""


def _confidence_words(words: str) -> str:
    m = CONFIDENCE.search(words)
    if m is None:
        return words
    if m["d"]:
        return "50/50"
    number = m["a"] or m["b"] or m["c"]
    return f"{number}%" if "%" in m.group(0) else f"{number}/10"


def _third_person_to_base(verb: str) -> str:
    low = verb.lower()
    if re.search(r"(?:ss|sh|ch|x|z)es$", low):
        return verb[:-2]
    if low.endswith("ies"):
        return verb[:-3] + "y"
    if low.endswith("s") and not low.endswith("ss"):
        return verb[:-1]
    return verb


def _reason(clause: str, letter: str | None) -> str | None:
    """The clause as a reason ("because ...", "to help ...", "for ..."), if it is one."""
    if REASON_START.match(clause):
        return clause
    does = IT_DOES.match(clause)
    if does:
        if does["verb"].lower().startswith("mean"):
            return f"because {clause}"
        return f"to {_third_person_to_base(does['verb']).lower()} {does['rest']}".strip()
    is_for = IT_IS_FOR.match(clause)
    if is_for:
        rest = is_for["rest"]
        if is_for["prep"].lower() == "about" and re.match(r"\w+ing\b", rest):
            return f"because it's about {rest}"
        return f"for {rest}"
    want = WANT_TO.match(clause)
    if want and letter == "relevant":
        return f"to {want['rest']}"
    if CARE.match(clause) and not MEASURE_START.match(clause):
        return f"because {clause}"
    return None


def _as_reason(clause: str) -> str:
    """Words said to the relevance question, as a reason the goal sentence can carry."""
    if re.match(r"to\s+\w", clause, re.I):
        return clause
    first = _first_word(clause)
    if (
        first in _words("i we it they he she this that my our people everyone")
        and len(clause.split()) >= 3
    ):
        return f"because {clause}"
    if first in ACTION_VERBS:
        return f"to {clause}"
    return f"for {clause}"


def _gerund(verb: str) -> str:
    low = verb.lower()
    if low.endswith("ing"):
        return low
    if low.endswith("ie"):
        return low[:-2] + "ying"
    if low.endswith("e") and not low.endswith(("ee", "ye", "oe")) and len(low) > 2:
        return low[:-1] + "ing"
    if re.fullmatch(r"[^aeiou]*[aeiou][bdgmnprt]", low):
        return low + low[-1] + "ing"
    return low + "ing"


NOT_GERUNDS = _words(
    "morning evening spring during nothing something anything everything thing king ring "
    "string wedding ceiling sibling pudding clothing darling offspring starting beginning"
)


def _plan(clause: str) -> str | None:
    """The clause as a means or support ("with my running club", "backed by my manager")."""
    first = _first_word(clause)
    if first in ("with", "w/", "using", "via", "through", "following") or re.match(
        r"(?:thanks\s+to|backed\s+by|supported\s+by|helped\s+by|coached\s+by|mentored\s+by|"
        r"funded\s+by|sponsored\s+by|by\s+\w+ing)\b",
        clause,
        re.I,
    ):
        return clause
    if re.fullmatch(r"[a-z]{2,}ing", first) and first not in NOT_GERUNDS:
        return f"by {clause}"  # "training with my club" -> "by training with my club"
    have = HAVE.match(clause)
    if have:
        who = (have["who"] or have["who2"] or "").lower()
        np = have["np"] or have["np2"] or have["np3"] or have["np4"]
        if _first_word(np) in BARE_RESOURCES:
            np = f"the {np}"
        if have["np3"] is None and re.match(r"(?:a|an)\s+", np, re.I) and len(np.split()) <= 3:
            np = ("our " if who == "we" else "my ") + np.split(None, 1)[1]
        return f"with {np}"
    # "my manager will back me" / "my VP is sponsoring me" -> "backed by my manager".
    helper = SUPPORTER.match(clause) or SUPPORTING.match(clause)
    if helper:
        verb = helper["verb"].lower()
        verb = "guide" if verb == "guid" else verb
        rest = helper["rest"].strip()
        return " ".join(x for x in (SUPPORT_WORDS[verb], _who(helper["who"]), rest) if x)
    back = HAS_MY_BACK.match(clause)
    if back:
        return f"backed by {_who(back['who'])}"
    board = ON_BOARD.match(clause)
    if board:
        how = board["how"].lower()
        return f"{'supported by' if how == 'supportive' else 'backed by'} {_who(board['who'])}"
    use = USE.match(clause)
    if use:
        return f"using {use['rest']}"
    doing = DOING_NOW.match(clause)
    if doing and doing["ing"].lower() not in ("going", "thinking", "hoping", "planning", "trying"):
        if doing["already"]:
            return f"already {doing['ing']}{doing['rest']}"
        return f"by {doing['ing']}{doing['rest']}"
    done = DONE_BEFORE.match(clause)
    if done:
        return "already " + re.sub(r"\s+already\b", "", done["rest"], flags=re.I)
    return None


def _who(words: str) -> str:
    """A supporter mid-sentence: "My manager" -> "my manager"; names keep their capital."""
    if words.split()[0].lower() in ("my", "our", "the", "a", "an"):
        return words[:1].lower() + words[1:]
    return words


def _by(phrase: str) -> str:
    """A date as a deadline phrase: "end of Q1" -> "by end of Q1"."""
    if re.match(
        r"(?:by|before|until|till|within|in|on|during|over|for|this|next|every|each|starting|from|"
        r"no\s+later|when|whenever|once|after|at|as\s+soon|soon|asap|eventually|someday|sometime|around|"
        r"about|roughly|approximately)\b",
        phrase,
        re.I,
    ):
        return phrase
    return f"by {phrase}"


def _when_words(clause: str, phrase: str) -> str:
    """The timing words of a clause that is mostly about timing, in the person's words."""
    text = re.sub(
        r"^(?:(?:i'?ll|i\s+will|we'?ll|it'?ll|it\s+will|it\s+should|should|could|can|i\s+can|we\s+can)\s+)?"
        r"(?:(?:have\s+it|get\s+it|be|do\s+it|finish\s+it|aim\s+to\s+finish|wrap\s+it\s+up|aim\s+for|go\s+for|"
        r"target|be\s+done|done|finished|complete|ready|have\s+it\s+done|get\s+it\s+done)\s+)*",
        "",
        clause,
        flags=re.I,
    )
    text = re.sub(r"\s+(?:at\s+the\s+latest|latest|tops)$", "", text, flags=re.I) or phrase
    return text if phrase.lower() in text.lower() else phrase


def _timing_or_measure(clause: str, today: date, facts: _Facts) -> bool:
    """Read a clause that gives a date, a cadence or an amount; False if it gives none."""
    when = find_when(clause, today)
    if when and _mostly(clause, when.phrase):
        words = _when_words(clause, when.phrase)
        if when.frequency and (when.deadline or when.start) and when.frequency in words:
            facts.measures.append(when.frequency)
            rest = words.replace(when.frequency, " ").strip(" ,")
            if rest:
                facts.deadline = _by(" ".join(rest.split()))
        elif when.frequency:
            facts.measures.append(words)
        else:
            facts.deadline = _by(words)
        return True
    measure_like = MEASURE_START.match(clause) or FROM_TO.search(clause)
    if not measure_like:
        return False
    if when and not when.frequency and clause.lower().endswith(when.phrase.lower()):
        # "from 62 to 70 by June": the amount and the date go to their own places.
        head = clause[: len(clause) - len(when.phrase)].strip(" ,")
        if head:
            facts.measures.append(head)
            facts.deadline = _by(when.phrase)
            return True
    facts.measures.append(clause)
    return True


def _read_action(clause: str, p: _Parse, today: date, letter: str | None, facts: _Facts) -> None:
    clause = re.sub(r"^to\s+", "", clause, flags=re.I)
    verb = _first_word(clause)
    goal_verb = (p.verb_word or "").lower()
    same = goal_verb and (verb == goal_verb or verb[:5] == goal_verb[:5]) and " " not in goal_verb
    if same and p.verb_kind not in ("be", "vague"):
        # "read more" + "read 2 books a month": the goal's own verb, now with an amount.
        rest = clause[len(verb) :].strip()
        if rest:
            _read_clause(rest, p, today, "measurable" if letter != "specific" else None, facts)
        return
    if letter == "achievable" and p.verb_kind not in ("be", "vague"):
        # A concrete goal asked how: the action is the means ("by blocking Friday mornings").
        facts.plans.append(f"by {_gerund(verb)}{clause[len(verb) :]}")
        return
    pronoun = re.match(r"(\s+)(it|them|this|that|those|these)\b", clause[len(verb) :], re.I)
    if pronoun:
        after = clause[len(verb) + pronoun.end() :]
        obj = p.object.text if p.object is not None else ""
        if p.object_kind in ("concrete", "metric") and obj and not COMPARATIVE.search(obj):
            # "work on the mentoring program" + "pilot it with 6 pairs": "it" is the program.
            obj = re.sub(r"^(?:a|an)\s+", "the ", obj, flags=re.I)
            clause = f"{clause[: len(verb)]} {obj}{after}"
            facts.restates = True
        else:
            # "spend less time in meetings" + "cut them from 20 to 12 hours": the amount counts.
            if after.strip():
                _read_clause(after, p, today, "measurable", facts)
            return
    when = find_when(clause, today)
    if when and when.deadline and not when.vague:
        facts.action_deadline = True
    if when and when.frequency:
        facts.action_cadence = True
    facts.actions.append(clause)


# --- composing the new wording ------------------------------------------------------------------


def _content(words: str) -> set[str]:
    """Stems of the words that carry meaning, to tell whether one wording adds to another."""
    out = set()
    for w in re.findall(r"[a-z0-9']+", words.lower()):
        w = re.sub(r"'s$", "", w)
        if w in EMPTY_WORDS or len(w) < 2:
            continue
        out.add(w[:4])
    return out


def _join(items: list[str]) -> str:
    """Phrases joined as one: "with my coach", "with my partner" -> "with my coach and my
    partner" (a repeated opening word is said once)."""
    cleaned: list[str] = []
    lead = None
    for item in items:
        first = _first_word(item)
        if lead is not None and first == lead:
            item = item[len(first) :].strip()
        elif lead is None:
            lead = first
        cleaned.append(item)
    if len(cleaned) == 1:
        return cleaned[0]
    return ", ".join(cleaned[:-1]) + " and " + cleaned[-1]


def _purpose(old: str) -> str:
    """The goal's old wording as the purpose of a new action."""
    old = old.strip(" ,")
    if not old:
        return ""
    if re.match(r"(?:to|so|because|for|in\s+order)\b", old, re.I):
        return old
    first = _first_word(old)
    if first in NP_START - {"every", "each", "one", "two", "three", "once", "twice"} or first in (
        "healthier",
        "stronger",
        "fewer",
    ):
        return f"for {old}"
    return f"to {old[:1].lower() + old[1:]}"


def _uncounted_cadence(measure: str, today: date) -> bool:
    """A cadence that counts no thing of its own ("Monday, Wednesday and Friday")."""
    when = find_when(measure, today)
    return bool(
        when
        and when.frequency
        and when.phrase == measure
        and not re.match(r"(?:a|an|one|\d[\d.,]*\s?[kmx%]?)\s+[a-z]", measure, re.I)
    )


DECREASE_VERBS = _words(
    "lose cut reduce lower drop trim slash shrink decrease halve minimise minimize shed"
)


def _measure_edit(p: _Parse, measure: str) -> tuple[int, int, str]:
    """Where an amount goes in a goal without a comparative, as (start, end, words)."""
    verb_end = p.verb.end if p.verb else p.core.start
    action = _action(p)
    after_object = min(action.end if action else verb_end, p.main.end)
    if p.when_span and verb_end <= p.when_span.start < after_object:
        after_object = p.when_span.start
    bare = bool(MEASURE_START.match(measure)) and not PLAIN_MEASURE.match(measure)
    obj = p.object
    if (
        bare
        and obj is not None
        and re.fullmatch(r"(?:my\s+|some\s+)?(?:weight|money|cash|pounds|kilos)", obj.text, re.I)
    ):
        # "lose weight" + "5 kg" -> "lose 5 kg": the amount says what the word stood for.
        return obj.start, obj.end, measure
    if PLAIN_MEASURE.match(measure) or _uncounted_cadence(measure, p.today):
        return after_object, after_object, measure
    if bare and p.verb_kind == "change":
        word = "by" if "%" in measure or p.verb_word in DECREASE_VERBS else "to"
        return after_object, after_object, f"{word} {measure}"
    if obj is None or not obj.text:
        return verb_end, verb_end, measure
    if (
        re.match(r"(?:for|on|to|with|about|at|in|into|towards?)\b", obj.text, re.I)
        or " " in (p.verb_word or "")
        or p.verb_kind in ("vague", "activity")
    ):
        # "work on my Spanish" + "3 hours a week" reads after the object; "save for a
        # house" + "$20k" reads "save $20k for a house".
        when = find_when(measure, p.today)
        if when and when.frequency:
            return after_object, after_object, measure
        return verb_end, verb_end, measure
    # An aside ("write a book, a chapter a month"), closed by a comma if more follows.
    return after_object, after_object, f", {measure}\x02"


def _replace_comparative(body: str, cmp: re.Match[str], measure: str) -> str | None:
    """The goal with the amount where "more", "better" or "regularly" stood; None when that
    would not read ("hold regular team retros": the cadence follows the object instead)."""
    word = cmp.group(0).lower()
    after = body[cmp.end() :]
    noun = re.match(
        r"\s+(?!(?:with|to|for|at|on|in|by|of|from|than|and|or|every|each|this|next|so|because)\b)([\w'-]+)",
        after,
        re.I,
    )
    if word.endswith("regular") and noun:
        return None
    if noun and not word.endswith(("often", "regularly", "better")):
        n = noun.group(1)
        end = cmp.end() + noun.end()
        if (
            n.lower()[:4] in measure.lower()
            or (n.lower() == "time" and TIME_UNITS.search(measure))
            or (n.lower() in ("money", "cash") and CURRENCY.search(measure))
        ):
            return body[: cmp.start()] + measure + body[end:]
        amount = re.match(
            r"(?P<num>(?:[$€£~]\s?)?\d[\d.,]*(?:\s?[kmx%](?!\w))?|one|two|three|four|five|six|seven|eight|nine|"
            r"ten|a\s+couple|a\s+few)(?:\s+(?P<unit>(?!(?:a|an|per|each|every|times?|x)\b)[a-z]+))?"
            r"(?P<rest>.*)$",
            measure,
            re.I,
        )
        if amount is None:
            return None
        # "drink less coffee" + "2 cups a day" -> "drink 2 cups of coffee a day".
        unit = f" {amount['unit']} of {n}" if amount["unit"] else f" {n}"
        return body[: cmp.start()] + amount["num"] + unit + amount["rest"] + body[end:]
    return body[: cmp.start()] + measure + body[cmp.end() :]


def _unique(items: list[str]) -> list[str]:
    """The items without repeats (ignoring case and spacing), first wording kept."""
    seen: dict[str, str] = {}
    for item in items:
        seen.setdefault(" ".join(item.casefold().split()), item)
    return list(seen.values())


def _compose(p: _Parse, facts: _Facts, today: date) -> str:
    """The goal's wording with the answer's facts in place, as one sentence."""
    for name in ("actions", "objects", "measures", "plans", "reasons", "notes"):
        setattr(facts, name, _unique(getattr(facts, name)))
    measures = [m for m in facts.measures if m.lower() not in p.text.lower()]
    if measures and not facts.actions:
        # "read more" + "2 books a month" -> "read 2 books a month": the amount takes the
        # comparative's place, then the new wording is parsed again for the other facts.
        # A change ("from 20 to 12 hours") reads beside the comparative, not in its place.
        cmp = _comparative(p)
        if cmp is not None and not re.match(
            r"(?:from|by|to|up|down|under|below)\b", measures[0], re.I
        ):
            replaced = _replace_comparative(p.text, cmp, " ".join(measures))
            if replaced is not None:
                p = _parse(" ".join(replaced.split()), today)
                measures = []
            elif not facts.objects:
                p = _parse(" ".join((p.text[: cmp.start()] + p.text[cmp.end() :]).split()), today)
    body = p.text
    cuts: list[tuple[int, int, str]] = []  # (start, end, replacement) on the goal's text
    inserts: list[tuple[int, str]] = []
    deadline = (
        facts.deadline if facts.deadline and facts.deadline.lower() not in body.lower() else None
    )
    deadline_at: int | None = None
    if facts.confidence and p.confidence_span:
        cuts.append((p.confidence_span.start, p.confidence_span.end, ""))
    new_timing = bool(deadline or facts.action_deadline)
    if p.when is not None and p.when.vague and (facts.action_cadence or _cadence(measures, today)):
        new_timing = True  # "soon" gives way to "every Friday"
    if new_timing and p.when_span is not None and p.when is not None:
        if (
            p.when.frequency
            and p.frequency is not None
            and not p.when.vague
            and p.when_span.start <= p.frequency.start < p.when_span.end
        ):
            # Keep the goal's cadence; only its date gives way ("every Monday until June").
            if p.when_span.text != p.frequency.text:
                cuts.append((p.when_span.start, p.when_span.end, p.frequency.text))
                deadline_at = p.when_span.end
        else:
            cuts.append((p.when_span.start, p.when_span.end, ""))
            deadline_at = p.when_span.start
    notes = list(facts.notes)
    if facts.current:
        to = (
            None
            if p.baseline
            else re.compile(r"\bto\s+(?=[$€£~]?\d)", re.I).search(body, p.core.start, p.main.end)
        )
        if to:
            inserts.append((to.start(), f"from {facts.current}"))
        else:
            notes.insert(0, f"currently at {facts.current}")
    if not facts.actions:
        verb_end = p.verb.end if p.verb else p.core.start
        if facts.objects:
            obj = _join(facts.objects)
            cmp = _comparative(p)
            if p.object is not None and p.object_kind == "vague":
                cuts.append((p.object.start, p.object.end, obj))
            elif cmp is not None:
                cuts.append((cmp.start(), cmp.end(), obj))
            else:
                inserts.append((verb_end, obj))
        if measures:
            start, end, words = _measure_edit(p, " ".join(measures))
            if start == end:
                inserts.append((start, words))
            else:
                cuts.append((start, end, words))
        if deadline:
            inserts.append((deadline_at if deadline_at is not None else p.main.end, deadline))
            deadline = None
    plans = [x for x in facts.plans if x.lower() not in body.lower()]
    purpose = _trailing_purpose(p)
    if plans and not facts.actions and purpose is not None:
        # "... with my running club to get fitter": the means before the why.
        inserts.append((purpose, _join(plans)))
        plans = []
    text = _apply(body, cuts, inserts)
    if facts.actions:
        text = _lead_with_action(p, text, facts, measures, deadline, plans)
        plans = []
    tail = []
    if plans:
        tail.append(_join(plans))
    reasons = [r for r in facts.reasons if r.lower() not in text.lower()]
    if reasons:
        tail.append(_join(reasons))
    notes = [n for n in notes if n.lower() not in text.lower()]
    notes.sort(key=lambda n: bool(CONFIDENCE.search(n)))  # the rating reads last
    if facts.confidence:
        notes.append(f"confidence {facts.confidence}")
    merged = " ".join([text, *tail])
    if notes:
        merged += f" ({'; '.join(notes)})"
    merged = re.sub(r"\x02(?=\s*[\w$€£])", ",", merged).replace("\x02", "")
    return _tidy(merged)


TRAILING_PURPOSE = re.compile(
    r"\s(?:in\s+order\s+)?to\s+(?=(?:be|get|become|feel|stay|keep|help|improve|grow|learn|communicate|"
    r"network|stop|have|make|spend|build|lead|support|develop|free|protect|give|show|prove|reach)\b)",
    re.I,
)


def _trailing_purpose(p: _Parse) -> int | None:
    """Where the goal's "to get fitter" (its why, after the action) starts, if it has one."""
    start = p.verb.end if p.verb else 0
    m = TRAILING_PURPOSE.search(p.text, start)
    if m is None:
        return None
    if p.when_span is not None and p.when_span.start >= m.end():
        return None  # "... to get fitter by the end of March": the date belongs to the action
    return m.start()


def _cadence(measures: list[str], today: date) -> bool:
    """True when one of the amounts is a cadence ("every Friday")."""
    return any((w := find_when(m, today)) is not None and w.frequency for m in measures)


def _comparative(p: _Parse) -> re.Match[str] | None:
    """A "more", "better" or "regularly" in the goal's action, standing in for an amount."""
    if p.verb_kind == "be" or p.verb is None:
        return None
    masked = _mask(
        p.text, [p.when_span if p.when and not p.when.vague else None, p.confidence_span]
    )
    return COMPARATIVE.search(masked, p.verb.end, p.main.end)


def _apply(body: str, cuts: list[tuple[int, int, str]], inserts: list[tuple[int, str]]) -> str:
    """The goal's text with spans replaced and words inserted (positions on the original)."""
    edits: dict[tuple[int, int], list[str]] = {}
    for start, end, replacement in cuts:
        edits.setdefault((start, end), []).append(replacement)
    for at, words in inserts:
        edits.setdefault((at, at), []).append(words)
    # From the end, so earlier positions stay valid; words at one spot keep their order.
    for (start, end), words in sorted(edits.items(), reverse=True):
        joined = " ".join(w for w in words if w)
        body = f"{body[:start]} {joined} {body[end:]}" if joined else f"{body[:start]} {body[end:]}"
    return body


def _lead_with_action(
    p: _Parse,
    text: str,
    facts: _Facts,
    measures: list[str],
    deadline: str | None,
    plans: list[str],
) -> str:
    """A new action first, with its amounts, date and means; the goal's old wording
    becomes its purpose, or is dropped when the action already says it all."""
    action = _join(facts.actions) if len(facts.actions) > 1 else facts.actions[0]
    pieces = [action, *measures]
    if deadline and deadline.lower() not in action.lower():
        pieces.append(deadline)
    if plans:
        pieces.append(_join(plans))
    new = " ".join(pieces)
    old = " ".join(text.split()).strip(" ,")
    core = p.core.text
    when_text = p.when_span.text if p.when_span else ""
    core_words = core.replace(when_text, " ") if when_text else core
    # What follows the old core (a purpose, the means, a date) stays even if the core goes.
    rest: str | None = None
    if old.lower().startswith(core.lower()):
        rest = old[len(core) :]
    elif when_text and old.lower().startswith(core_words.strip().lower()):
        rest = old[len(core_words.strip()) :]
    adds = _content(core_words) - _content(new)
    if rest is not None and (not adds or facts.restates):
        # "read more" + "read 2 books a month": the old wording says nothing the action does not.
        old = rest.strip(" ,")
        if old and not re.match(
            r"(?:to|so|because|for|with|using|by|in|on|before|until|every)\b", old, re.I
        ):
            old = _purpose(old)
        return f"{new} {old}".strip()
    return f"{new} {_purpose(old)}".strip()


DOUBLED = re.compile(r"\b(\w+)(\s+\1\b)+", re.I)


def _tidy(text: str) -> str:
    """One clean sentence: single spaces, no stray commas or doubled words."""
    text = " ".join(text.split())
    text = re.sub(r"\s+([,;.)])", r"\1", text)
    text = re.sub(r"\(\s+", "(", text)
    text = re.sub(r",(?:\s*,)+", ",", text)
    text = re.sub(r",\s*\(", " (", text)
    text = re.sub(r"\(\s*\)", "", text)
    text = DOUBLED.sub(lambda m: m.group(1) if not m.group(1).isdigit() else m.group(0), text)
    text = text.strip(" ,;")
    text = re.sub(r",$", "", text)
    return _sentence_case(" ".join(text.split()))


def _mostly(clause: str, phrase: str) -> bool:
    """True when a clause is only about timing: nothing but time words and filler."""
    rest = clause.replace(phrase, " ")
    rest = re.sub(
        r"\b(?:i'?d|i|we|it|will|would|should|be|done|finished|complete|say|by|aim|for|to|hopefully|"
        r"at|the|latest|ready|do|have|get|it'?ll|i'?ll|we'?ll|tops|finish|wrap|up)\b",
        " ",
        rest,
        flags=re.I,
    )
    return not rest.split()
