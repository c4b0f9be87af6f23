"""Value-driven decisions: a weighted decision matrix, how fragile its answer is, and the
value conflicts and questions that help a person fill it in.

Definitions (the eval `python -m evals.decision` checks them against hand-worked cases):

- total(option) = sum(w_c * s_option,c) / sum(w_c) over the criteria c: a weighted
  average on the 1-5 scale. Totals are compared unrounded (exactly, as fractions) and
  rounded to 2 decimals only in the record and on screen.
- ranking: by total, highest first; options with equal totals keep the order in which
  they were given. recommendation: the first option of the ranking, or null when the top
  two totals are within 1e-9 of each other (a tie). Both stay empty/null until every
  option has a score on every criterion; scores are never invented.
- sensitivity of criterion c, with top option T and weights w: for every other option O,
  D_O = sum_c' w_c' * (s_T,c' - s_O,c') and d = s_T,c - s_O,c. Changing w_c by delta
  changes D_O by delta * d, so when d != 0 the two tie at delta_O = -D_O / d. That change
  is admissible when the new weight w_c + delta_O is > 0 and <= 3 * max(original weights)
  (and <= MAX_WEIGHT, the largest weight a criterion may have).
  weight_change is the admissible delta_O of smallest absolute value (first in ranking
  order on equal size), and new_top is that O; null when no option has an admissible one.
  weight_change is rounded to 2 decimals, toward zero where rounding to nearest would take
  the new weight out of that range. When the top is already tied, weight_change is
  0.0 for criteria on which the tied options differ (new_top: the first other tied option
  that differs) and null for criteria on which they don't.

Framing a decision from a question in words proposes options (the ones the asking sentence
names, "A or B", "Which should I pick: A or B?", with what they share said once: "hire Ann or
Bob for the lead role" gives "Hire Ann" and "Hire Bob"; else doing it and not doing it; none
for an open question, "What should I do about my career?", whose first question then asks
for them; sentences around the question are context, never options), criteria (always career advancement, personal
well-being and family time, plus the person's values, merged by meaning into those three
where they are the same thing; values the context names, "I care about my kids' school",
count as stated), default weights, the conflicts between options and values
that the question's words reveal (travel, relocation, long hours, a pay cut), and one
concrete question per criterion. The core is pure: no I/O, no clock.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from fractions import Fraction

from agent.errors import UserError
from agent.inputs import clean_text, refuse_instructions
from agent.records import (
    MAX_WEIGHT,
    Decision,
    DecisionCriterion,
    RankedOption,
    Sensitivity,
    ValueConflict,
)
from agent.topics import cite

TIE_TOLERANCE = 1e-9
RANGE_FACTOR = 3
"""A new weight is 'sensible' up to this many times the largest original weight."""
MIN_SCORE, MAX_SCORE = 1, 5
MAX_OPTIONS = 12
MAX_CRITERIA = 12
MAX_NAME_CHARS = 120

CAREER, WELLBEING, FAMILY, FINANCE = (
    "career advancement", "personal well-being", "family time", "financial security",
)
BASE_CRITERIA = (CAREER, WELLBEING, FAMILY)
"""Always weighed when a decision is framed from words, as the guidance suggests."""
DEFAULT_WEIGHT = 3.0
"""Default weight of a proposed criterion (the middle of 1-5)."""
STATED_WEIGHT = 4.0
"""Default weight of a criterion the person named as one of their values."""

def _vocabulary(text: str) -> frozenset[str]:
    """The words of a whitespace-separated list."""
    return frozenset(text.split())


_THEME_WORDS: dict[str, frozenset[str]] = {
    FAMILY: _vocabulary("""family kids kid children child spouse partner marriage wife husband
        parents parenting dad mom mum father mother home daughter son sons daughters"""),
    WELLBEING: _vocabulary("""health healthy well-being wellbeing wellness fitness fit sleep rest
        balance calm peace energy stress self-care exercise sanity burnout mental"""),
    CAREER: _vocabulary("""career advancement promotion ambition progression title seniority
        advance promoted"""),
    FINANCE: _vocabulary("""money financial finances salary pay income wealth savings
        security"""),
}
_SAME_MEANING = 0.6
"""Cosine similarity above which a stated value is the same criterion as a base one."""

_RECORD_KEYS = {"id", "kind", "created_at", "ranking", "recommendation", "sensitivity",
                "conflicts", "questions", "citations"}
"""Keys of an exported Decision record that a DECISION.json may carry and that are
recomputed or kept as they are."""

# --- names -----------------------------------------------------------------------------


def _key(name: str) -> str:
    return " ".join(name.split()).casefold()


def _clean_name(name: object, where: str) -> str:
    if not isinstance(name, str):
        raise UserError(f"{where}: must be a name (text), not {_show(name)}")
    text = clean_text(name, "name", max_chars=MAX_NAME_CHARS) if name.strip() else ""
    text = " ".join(text.split())
    if not text:
        raise UserError(f"{where}: the name is empty")
    refuse_instructions(text, "name")
    return text


def _show(value: object) -> str:
    if isinstance(value, str):
        return repr(value)
    if value is None:
        return "null"
    if isinstance(value, bool):
        return str(value).lower()
    return str(value)


def _resolve(name: str, names: Sequence[str], what: str) -> str:
    """The canonical name that `name` refers to (case and spacing ignored)."""
    wanted = _key(name)
    for candidate in names:
        if _key(candidate) == wanted:
            return candidate
    raise UserError(f"unknown {what} {name!r} (the {what}s are {', '.join(map(repr, names))})")


def _check_score(value: object, where: str) -> int:
    if value is None:
        raise UserError(f"{where}: missing (give a score {MIN_SCORE}-{MAX_SCORE})")
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise UserError(f"{where}: {_show(value)} is not a number {MIN_SCORE}-{MAX_SCORE}")
    if isinstance(value, float) and not value.is_integer():
        raise UserError(f"{where}: {_show(value)} is not a whole number {MIN_SCORE}-{MAX_SCORE}")
    if not MIN_SCORE <= value <= MAX_SCORE:
        raise UserError(f"{where}: {_show(value)} is outside {MIN_SCORE}-{MAX_SCORE}")
    return int(value)


def _check_weight(value: object, where: str) -> float:
    if value is None:
        raise UserError(f"{where}: missing (give a number more than 0)")
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise UserError(f"{where}: {_show(value)} is not a number")
    # Only a float can be inf or nan; math.isfinite cannot even take an int past 1e308.
    if isinstance(value, float) and not math.isfinite(value):
        raise UserError(f"{where}: {_show(value)} is not a finite number")
    if value <= 0:
        raise UserError(f"{where}: {_show(value)} must be more than 0")
    if value > MAX_WEIGHT:
        raise UserError(f"{where}: {_show(value)} is more than {MAX_WEIGHT:,.0f} (weights are relative)")
    return float(value)


# --- the matrix ------------------------------------------------------------------------


def _complete(decision: Decision) -> bool:
    if not decision.options or not decision.criteria:
        return False
    return not unscored(decision)


def _score(decision: Decision, option: str, criterion: str) -> int | None:
    return decision.scores.get(option, {}).get(criterion)


def _exact_totals(decision: Decision) -> list[Fraction]:
    weights = [Fraction(c.weight) for c in decision.criteria]
    total_weight = sum(weights)
    return [
        sum(w * _score(decision, o, c.name) for w, c in zip(weights, decision.criteria, strict=True))
        / total_weight
        for o in decision.options
    ]


def _sensitivity(decision: Decision, order: list[int], totals: list[Fraction],
                 tied: bool) -> list[Sensitivity]:
    options, criteria = decision.options, decision.criteria
    weights = [Fraction(c.weight) for c in criteria]
    ceiling = _ceiling(weights)
    top = order[0]
    s = [[Fraction(_score(decision, o, c.name)) for c in criteria] for o in options]
    result = []
    for j, criterion in enumerate(criteria):
        if tied:
            # Already level: any move of a weight on which the tied options differ decides.
            level = [i for i in order[1:] if abs(totals[i] - totals[top]) <= TIE_TOLERANCE]
            other = next((i for i in level if s[i][j] != s[top][j]), None)
            result.append(Sensitivity(
                criterion=criterion.name,
                weight_change=0.0 if other is not None else None,
                new_top=options[other] if other is not None else None,
            ))
            continue
        best: tuple[Fraction, int] | None = None
        for i in order[1:]:
            d = s[top][j] - s[i][j]
            if d == 0:
                continue
            gap = sum(w * (s[top][k] - s[i][k]) for k, w in enumerate(weights))
            delta = -gap / d
            if 0 < weights[j] + delta <= ceiling and (best is None or abs(delta) < abs(best[0])):
                best = (delta, i)
        result.append(Sensitivity(
            criterion=criterion.name,
            weight_change=_rounded(best[0], weights[j], ceiling) if best else None,
            new_top=options[best[1]] if best else None,
        ))
    return result


def _ceiling(weights: Sequence[Fraction | float]) -> Fraction:
    """The largest weight a sensitivity may move a criterion to."""
    # Capped at MAX_WEIGHT, unless a decision saved before the cap already goes past it.
    return min(RANGE_FACTOR * Fraction(max(weights)), Fraction(max(MAX_WEIGHT, max(weights))))


def _rounded(delta: Fraction, weight: Fraction, ceiling: Fraction) -> float:
    """delta to 2 decimals, such that weight + the rounded delta is still a weight one can set."""
    change = round(float(delta), 2)
    if not 0 < weight + Fraction(change) <= ceiling:
        # 1 - 0.996 is a weight; 1 - 1.00 is none. Toward zero stays between the two.
        change = math.trunc(delta * 100) / 100
    return change + 0.0  # no -0.0


def evaluate(decision: Decision) -> Decision:
    """Recompute ranking, recommendation and sensitivity; a new record, never an error.

    Scores are laid out for every option and criterion (null where not given yet) so a
    table can show them; ranking, recommendation and sensitivity stay empty until every
    score is in.
    """
    scores = {
        o: {c.name: _score(decision, o, c.name) for c in decision.criteria}
        for o in decision.options
    }
    decision = decision.model_copy(update={"scores": scores})
    if not _complete(decision):
        return decision.model_copy(update={"ranking": [], "recommendation": None, "sensitivity": []})
    totals = _exact_totals(decision)
    order = sorted(range(len(decision.options)), key=lambda i: -totals[i])  # stable: ties keep order
    tied = len(order) > 1 and abs(totals[order[0]] - totals[order[1]]) <= TIE_TOLERANCE
    ranking = [RankedOption(option=decision.options[i], total=round(float(totals[i]), 2)) for i in order]
    if len(order) > 1:
        sensitivity = _sensitivity(decision, order, totals, tied)
    else:
        sensitivity = [Sensitivity(criterion=c.name) for c in decision.criteria]
    return decision.model_copy(update={
        "ranking": ranking,
        "recommendation": None if tied else decision.options[order[0]],
        "sensitivity": sensitivity,
    })


def unscored(decision: Decision) -> list[tuple[str, str]]:
    """(option, criterion) pairs still without a score, criterion by criterion: the order in
    which to ask for them."""
    return [
        (o, c.name)
        for c in decision.criteria
        for o in decision.options
        if _score(decision, o, c.name) is None
    ]


def set_score(decision: Decision, option: str, criterion: str, score: int) -> Decision:
    """Give one score (1-5) and re-evaluate. UserError on an unknown name or a bad score."""
    option = _resolve(option, decision.options, "option")
    criterion = _resolve(criterion, [c.name for c in decision.criteria], "criterion")
    value = _check_score(score, f"scores.{option}.{criterion}")
    scores = {o: dict(row) for o, row in decision.scores.items()}
    scores.setdefault(option, {})[criterion] = value
    return evaluate(decision.model_copy(update={"scores": scores}))


def set_weight(decision: Decision, criterion: str, weight: float) -> Decision:
    """Change one criterion's weight (> 0) and re-evaluate. UserError on an unknown name or a
    bad weight."""
    name = _resolve(criterion, [c.name for c in decision.criteria], "criterion")
    value = _check_weight(weight, f"criteria.{name}.weight")
    criteria = [
        DecisionCriterion(name=c.name, weight=value) if c.name == name else c
        for c in decision.criteria
    ]
    return evaluate(decision.model_copy(update={"criteria": criteria}))


def add_criterion(decision: Decision, name: str, weight: float) -> Decision:
    """Add a criterion (its scores start empty), or change its weight if it exists."""
    clean = _clean_name(name, "criteria")
    if any(_key(c.name) == _key(clean) for c in decision.criteria):
        return set_weight(decision, clean, weight)
    if len(decision.criteria) >= MAX_CRITERIA:
        raise UserError(f"criteria: at most {MAX_CRITERIA} criteria")
    value = _check_weight(weight, f"criteria.{clean}.weight")
    criteria = [*decision.criteria, DecisionCriterion(name=clean, weight=value)]
    return evaluate(decision.model_copy(update={"criteria": criteria}))


# --- DECISION.json ---------------------------------------------------------------------


def _names_list(raw: object, field: str, limit: int) -> list[object]:
    if not isinstance(raw, list):
        raise UserError(f"{field}: must be a list")
    return raw[: limit + 1]


def decision_from_data(data: object) -> Decision:
    """Validate a DECISION.json document and evaluate it.

    It holds `question`, `options` (at least two distinct names), `criteria` (a list of
    `{name, weight}` with weight > 0) and `scores` (option -> criterion -> whole number 1-5,
    every one given). The other fields of an exported Decision record (id, ranking, ...) are
accepted and recomputed or left out, so `align decide --json` output loads back. Raises UserError
    naming the field, e.g. `scores.Take the role.family time: 7 is outside 1-5`.
    """
    if not isinstance(data, dict):
        raise UserError("the decision must be a JSON object with question, options, criteria and scores")
    unknown = [k for k in data if k not in {"question", "options", "criteria", "scores"} | _RECORD_KEYS]
    if unknown:
        raise UserError(f"{unknown[0]}: unknown field (expected question, options, criteria, scores)")
    for field in ("question", "options", "criteria", "scores"):
        if field not in data:
            raise UserError(f"{field}: missing")

    question = data["question"]
    if not isinstance(question, str):
        raise UserError(f"question: must be text, not {_show(question)}")
    try:
        question = clean_text(question, "question")
    except UserError as e:
        raise UserError(f"question: {e}") from None
    refuse_instructions(question, "question")

    options: list[str] = []
    raw_options = _names_list(data["options"], "options", MAX_OPTIONS)
    for i, raw in enumerate(raw_options):
        name = _clean_name(raw, f"options[{i}]")
        if any(_key(name) == _key(o) for o in options):
            raise UserError(f"options: {name!r} is listed twice")
        options.append(name)
    if len(options) > MAX_OPTIONS:
        raise UserError(f"options: at most {MAX_OPTIONS} options")
    if len(options) < 2:
        raise UserError(f"options: give at least two options (got {len(options)})")

    criteria: list[DecisionCriterion] = []
    raw_criteria = _names_list(data["criteria"], "criteria", MAX_CRITERIA)
    for i, raw in enumerate(raw_criteria):
        if not isinstance(raw, dict):
            raise UserError(f"criteria[{i}]: must be an object with name and weight")
        extra = [k for k in raw if k not in ("name", "weight")]
        if extra:
            raise UserError(f"criteria[{i}].{extra[0]}: unknown field (expected name and weight)")
        if "name" not in raw:
            raise UserError(f"criteria[{i}].name: missing")
        name = _clean_name(raw["name"], f"criteria[{i}].name")
        if any(_key(name) == _key(c.name) for c in criteria):
            raise UserError(f"criteria: {name!r} is listed twice")
        weight = _check_weight(raw.get("weight"), f"criteria.{name}.weight")
        criteria.append(DecisionCriterion(name=name, weight=weight))
    if len(criteria) > MAX_CRITERIA:
        raise UserError(f"criteria: at most {MAX_CRITERIA} criteria")
    if not criteria:
        raise UserError("criteria: give at least one criterion")

    raw_scores = data["scores"]
    if not isinstance(raw_scores, dict):
        raise UserError("scores: must map each option to its scores")
    criterion_names = [c.name for c in criteria]
    scores: dict[str, dict[str, int | None]] = {}
    for raw_option, row in raw_scores.items():
        try:
            option = _resolve(str(raw_option), options, "option")
        except UserError:
            raise UserError(f"scores.{raw_option}: unknown option (the options are "
                            f"{', '.join(options)})") from None
        if option in scores:
            raise UserError(f"scores.{raw_option}: option {option!r} is scored twice")
        if not isinstance(row, dict):
            raise UserError(f"scores.{option}: must map each criterion to a score {MIN_SCORE}-{MAX_SCORE}")
        scores[option] = {}
        for raw_criterion, value in row.items():
            try:
                criterion = _resolve(str(raw_criterion), criterion_names, "criterion")
            except UserError:
                raise UserError(f"scores.{option}.{raw_criterion}: unknown criterion (the "
                                f"criteria are {', '.join(criterion_names)})") from None
            if criterion in scores[option]:
                raise UserError(f"scores.{option}.{raw_criterion}: criterion {criterion!r} is scored twice")
            scores[option][criterion] = _check_score(value, f"scores.{option}.{criterion}")
    for option in options:
        if option not in scores:
            raise UserError(f"scores.{option}: missing (every option needs a score on every criterion)")
        for criterion in criterion_names:
            if criterion not in scores[option]:
                raise UserError(f"scores.{option}.{criterion}: missing (give a score {MIN_SCORE}-{MAX_SCORE})")

    return evaluate(Decision(
        question=question, options=options, criteria=criteria, scores=scores,
        citations=cite("value_decisions", "decision_matrix"),
    ))


# --- framing a decision from words -----------------------------------------------------

_THEMES: dict[str, re.Pattern[str]] = {
    "travel": re.compile(
        r"\b(travel\w*|on the road|nights? away|flying|fly out|commut\w*|frequent flights?)\b", re.I),
    "relocation": re.compile(
        r"\b(relocat\w*|move (to|abroad|across|overseas|away|cities|countries)|moving (to|abroad|"
        r"overseas|away)|abroad|overseas|another (city|country|state))\b", re.I),
    "hours": re.compile(
        r"\b(long hours|longer hours|\d{2}[- ]hours?( a| per)? week|\d{2}[- ]hour weeks?|weekends?|"
        r"always on|on[- ]call|overtime|round the clock|late nights|nights and weekends|"
        r"demanding hours|grind)\b", re.I),
    "pay_cut": re.compile(
        r"\b(pay cut|salary cut|cut in (my )?pay|lower (pay|salary)|less (money|pay)|take a cut|"
        r"smaller salary|unpaid|without pay|(half|less) the (pay|salary)|earn less|earning less|"
        r"pay drop|drop in (pay|salary|income)|lower income)\b", re.I),
}

_CONFLICTS: dict[str, list[tuple[str, str]]] = {
    "travel": [
        (FAMILY, "Frequent travel means nights away from home, which comes out of family time."),
        (WELLBEING, "Regular travel breaks routines of sleep, exercise and rest."),
    ],
    "relocation": [
        (FAMILY, "Moving uproots the people close to you: a partner's work, children's schools, "
                 "relatives nearby."),
    ],
    "hours": [
        (WELLBEING, "Long hours leave less room for rest, exercise and a life outside work."),
    ],
    "pay_cut": [
        (FINANCE, "Earning less puts pressure on savings and on financial security."),
    ],
}

_NEGOTIATE = {
    "travel": "Negotiate less travel",
    "relocation": "Negotiate the move (a later start or remote work)",
    "hours": "Negotiate the hours",
    "pay_cut": "Negotiate the pay",
}

_STATUS_QUO = re.compile(
    r"^(decline|stay|keep|remain|don't|do not|not|no|turn (it )?down|reject|pass|hold off|wait|"
    r"say no)\b", re.I)
_MITIGATE = re.compile(r"^negotiate\b", re.I)
_QUESTION_LEAD = re.compile(
    r"^(so,?\s+)?((should|shall|do|can|could|would|must|might)\s+(i|we)\s+|"
    r"((i'm|i am|we're|we are)\s+)?(thinking about|wondering whether to|wondering if i should|"
    r"considering whether to|considering|deciding whether to|torn(?=\s+between))\s+|"
    r"(i'm|i am|we're|we are)\s+(not sure|unsure)\s+(whether|if)\s+((i|we)\s+should|to)\s+|"
    r"whether (or not )?to\s+|is it (wise|smart|worth it) to\s+)",
    re.I)
_WHICH_LEAD = re.compile(
    r"^(so,?\s+)?(which|what)(\s+(one|option|offer|job|role|path|way|choice))?('s|\s+is|\s+(should|"
    r"would|shall|do|can|could|must)\s+(i|we)\s+(pick|choose|take|go\s+with|go\s+for|do|prefer|"
    r"accept|prioriti[sz]e|focus\s+on|hire|back|pursue|tackle|start\s+with))\s*(the\s+)?(better|best|right|wiser|smarter)?(\s+(choice|option|move|path|fit))?"
    r"(\s+for\s+(me|us))?\s*[:;,–—-]?\s*",
    re.I)
"""'Which should I pick:', 'What's better,', 'Which one should I take': a lead before the options."""
_REASON_TAIL = re.compile(
    r",?\s+(given( that)?|since|because|as|considering( that)?|knowing( that)?|even though|"
    r"although|though|when)\s+.*$", re.I)
"""A reason tacked onto a question ("..., given that family matters most"): context, not an option."""
_ABBREVIATION = re.compile(
    r"\b(vs|dr|mr|mrs|ms|st|inc|ltd|co|jr|sr|e\.g|i\.e|etc|approx|no)\.$", re.I)
_DECLINE_VERBS = {"take", "accept", "join"}
_OPEN = re.compile(
    r"^(so,?\s+)?(what|how|where|who|when|why|which|any\s+(advice|thoughts|ideas|tips)|advice|"
    r"thoughts|ideas|help(\s+me)?\s+(think|figure|with|decide\s*$))\b|"
    r"\b(don't|do not|dunno|not sure|no idea|unsure)\s+(know\s+)?(what|how|where|which)\b|"
    r"\b(what|how|which way|where)\s+to\s+(do|handle|approach|go|proceed|deal|play|tackle|respond)\b",
    re.I)
"""An open question ("What should I do about my career?"): it names no options to weigh."""
_BETWEEN = re.compile(
    r"(?:^|\b(?:choose|choosing|chose|pick|picking|decide|deciding|torn|stuck|caught|choice|"
    r"choices|options?|hesitating|wavering)\s+)between\s+(?P<rest>.+)$", re.I)
_PREPOSITIONS = _vocabulary("""to into in at for on with from about by of over under after before
    as within until toward towards regarding""")
_TAIL_WORDS = _vocabulary("""for in at on as from by with within before after until next this
    later""")
"""Words that open a tail shared by every option ("Ann or Bob for the lead role")."""
_VERBS = _vocabulary("""take accept join stay leave quit move relocate hire promote fire keep sell
    buy build rent lease go start launch expand open close tell ask wait delay postpone restructure
    reorganize reorganise merge outsource invest spend save study learn apply switch change transfer
    retire resign negotiate push hold pick choose focus prioritise prioritize delegate cut train
    coach say decline turn sign return stop continue pursue drop fund back offer let give get make
    do run work travel try pause sunset scale grow shrink split hand bring replace raise lower
    freeze extend renew cancel keep remain become pivot commit double upgrade retrain reskill
    contract partner acquire license licence automate ship release go""")
_TRANSITIVE = _vocabulary("""keep sell buy rent lease hire fire build accept decline take fix
    replace close cancel restructure expand delay launch promote drop outsource fund renew freeze
    upgrade license licence automate""")
"""Verbs that share a later option's object ("Keep or sell the company car")."""
_WHEN_WORDS = _vocabulary("now today tomorrow immediately later next this soon")
_NOT_GERUNDS = _vocabulary("""thing something anything nothing everything king ring spring string
    morning evening building wedding ceiling during""")


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def _sentences(text: str) -> list[str]:
    pieces = re.split(r"(?<=[.!?])\s+(?=[\"'(]?[A-Z0-9])", " ".join(text.split()))
    sentences: list[str] = []
    for piece in pieces:
        if sentences and _ABBREVIATION.search(sentences[-1]):
            sentences[-1] += " " + piece  # "Startup vs. BigCo?" is one sentence
        elif piece.strip():
            sentences.append(piece.strip())
    return sentences


def split_question(text: str) -> tuple[str, str]:
    """(the sentence that asks, everything else) of a decision put in words.

    Only the asking sentence makes options; the rest ("I care about my kids' school") is
    context that may name values or costs. The asking sentence is the first that names
    options, else the first that ends in "?", else the first; a reason tacked onto it
    ("..., given that family matters most to me") joins the context.
    """
    sentences = _sentences(text)
    if not sentences:
        return "", ""
    asked = next((s for s in sentences if _choices(s)), None)
    asked = asked or next((s for s in sentences if s.endswith("?")), sentences[0])
    rest = [s for s in sentences if s is not asked]
    tail = _REASON_TAIL.search(asked.rstrip("?.! "))
    if tail and tail.start() > 0 and not _choices(asked):
        rest.insert(0, tail.group(0).strip(" ,"))
        asked = asked[: tail.start()].rstrip(" ,") + "?"
    return asked, " ".join(rest)


_STATED_VALUE = [
    re.compile(p, re.I)
    for p in (
        r"\b(?:i|we)\s+(?:really\s+|truly\s+|deeply\s+)?(?:care|worry)\s+(?:a lot\s+|deeply\s+|most\s+|"
        r"so much\s+)?about\s+(?P<value>[^.,;!?]+)",
        r"\b(?:i|we)\s+(?:really\s+|truly\s+)?value\s+(?P<value>[^.,;!?]+)",
        r"\bwhat matters(?:\s+most)?\s+to\s+(?:me|us)\s+is\s+(?P<value>[^.,;!?]+)",
        r"(?P<before>[^.,;!?]+?)\s+(?:matters?|is important|are important|comes? first)"
        r"(?:\s+(?:most|a lot|so much))?\s+(?:to|for)\s+(?:me|us)\b",
    )
]
"""Ways of naming a value around a decision: "I care about my kids' school", "family
matters most to me"."""
_CLAUSE_END = re.compile(r"\s+(?:is|are|matters?|comes?|because|since|but|so|which|when)\b.*$", re.I)
_CLAUSE_WORDS = _vocabulary("""given that since because as and but so what which i we value care
    about is are also really""")
MAX_STATED_WORDS = 6


def stated_values(context: str) -> list[str]:
    """Values the context names in so many words ("I care about my kids' school", "family
    matters most to me"), split at "and", at most six words each, in order."""
    found: list[str] = []
    for pattern in _STATED_VALUE:
        for match in pattern.finditer(context):
            if match.groupdict().get("before") is not None:
                # Only the short noun phrase right before "matters to me" is the value.
                words = match.group("before").split()[-4:]
                cut = max((i + 1 for i, w in enumerate(words) if w.lower() in _CLAUSE_WORDS), default=0)
                candidates = [" ".join(words[cut:])]
            else:
                candidates = re.split(r"\s+and\s+", _CLAUSE_END.sub("", match.group("value")))
            for raw in candidates:
                value = " ".join(raw.split()).strip(" '")
                if (value and len(value.split()) <= MAX_STATED_WORDS
                        and value.lower() not in ("it", "this", "that", "them", "everything")
                        and all(_key(value) != _key(v) for v in found)):
                    found.append(value)
    return found


def _split_list(text: str, joiner: str) -> list[str]:
    """'A, B, or C' as its items; `joiner` is the word before the last item ("or", "and")."""
    parts = [p for p in re.split(r"\s*,\s*", text) if p.strip()]
    last = re.split(rf"^{joiner}\s+|\s+{joiner}\s+", parts.pop(), maxsplit=1, flags=re.I)
    return [*parts, *(p for p in last if p.strip())]


def _split_choices(body: str) -> list[str]:
    between = _BETWEEN.search(body)
    if between:
        # "torn between hiring Ann or Bob", "between Berlin and Lisbon", "between A, B, or C"
        rest = between.group("rest")
        if re.search(r"\s(?:or|vs\.?|versus)\s", rest, re.I):
            return re.split(r"\s*,\s*(?:or\s+)?|\s+(?:or|vs\.?|versus)\s+", rest, flags=re.I)
        return _split_list(rest, "and")
    if re.search(r"\bor not\b", body, re.I):
        return []
    parts = re.split(r"\s+(?:or|vs\.?|versus)\s+", body, flags=re.I)
    if len(parts) < 2:
        return []
    head = [p for p in re.split(r",\s*", parts[0]) if p.strip()]
    return [*head, *parts[1:]]


def _strip_lead(text: str) -> str:
    text = _WHICH_LEAD.sub("", text, count=1).strip()
    return _QUESTION_LEAD.sub("", text, count=1).strip()


def _choices(sentence: str) -> list[str]:
    """The choices one sentence names, each without its own lead ("or should I stay")."""
    asked = sentence.strip().rstrip("?.! ")
    bodies = [_strip_lead(asked)]
    if ":" in asked:
        # "Which should I pick: A or B", "Help me decide: A or B": the options follow the colon.
        bodies.insert(0, _strip_lead(asked.split(":", 1)[1]))
    for body in bodies:
        choices = [_strip_lead(c.strip(" ,;:")) for c in _split_choices(body)]
        choices = [c.strip(" ,;:") for c in choices if c.strip(" ,;:")]
        if len(choices) >= 2:
            return choices
    return []


def _body(question: str) -> tuple[str, str]:
    asked = split_question(question)[0].strip().rstrip("?.! ")
    return asked, _strip_lead(asked)


def _is_verb(word: str) -> bool:
    """Whether an option opens with a verb ("hire", "moving"): names and nouns do not."""
    low = word.lower()
    if word[:1].isupper() and low not in _VERBS:
        return False
    return low in _VERBS or (low.endswith("ing") and len(low) > 4 and low not in _NOT_GERUNDS)


def _shared_tail(choice: str, others: Sequence[str], skip: int) -> int | None:
    """Where a tail the last option shares with the others starts ("Bob| for the lead role",
    "Italy| next year"), or None; a tail the others have too, past their first `skip`
    words (the shared verb), is the option's own ("the one at Acme or the one at Globex")."""
    words = choice.split()
    for i, word in enumerate(words[1:], 1):
        if word.lower() in _TAIL_WORDS:
            if any(word.lower() in {w.lower() for w in o.split()[skip:]} for o in others):
                return None
            return len(" ".join(words[:i]))
    return None


def _distribute(choices: list[str]) -> list[str]:
    """Share what the options share: the verb said once ("hire Ann or Bob" -> "hire Bob",
    "move to London or Paris" -> "move to Paris"), the object said once ("keep or sell the
    car" -> "keep the car"), and a tail that belongs to the question ("... for the lead
    role", "... next year") is dropped from the last option."""
    first = choices[0].split()
    verb = first[0] if _is_verb(first[0]) else None
    carry = verb
    if verb and len(first) > 2 and first[1].lower() in _PREPOSITIONS:
        carry = f"{verb} {first[1]}"  # "move to London or Paris": "move to" is shared
    last = choices[-1].split()
    bare = not _is_verb(last[0]) and last[0].lower() not in _PREPOSITIONS
    if bare and len(choices) == 2:
        cut = _shared_tail(choices[-1], choices[:-1], len(carry.split()) if carry else 1)
        if cut:
            choices = [*choices[:-1], choices[-1][:cut]]
    shared: list[str] = []
    for choice in choices:
        head = choice.split()[0]
        if shared and verb and not _is_verb(head) and head.lower() not in _PREPOSITIONS:
            choice = f"{carry} {choice}"
        elif shared and verb and head.lower() in _PREPOSITIONS | _WHEN_WORDS:
            # "tell them now or after the offsite": the action is said once, the timing differs.
            at = next((i for i, w in enumerate(first[1:], 1) if w.lower() == head.lower()), None)
            if at is None and first[-1].lower() in _WHEN_WORDS:
                at = len(first) - 1
            if at:
                choice = f"{' '.join(first[:at])} {choice}"
        shared.append(choice)
    # "Keep or sell the company car": single transitive verbs take the last option's object.
    if (len(last) > 1 and _is_verb(last[0]) and last[1].lower() not in _PREPOSITIONS
            and all(len(c.split()) == 1 and c.lower() in _TRANSITIVE for c in shared[:-1])
            and last[0].lower() in _TRANSITIVE):
        obj = " ".join(last[1:])
        shared = [*(f"{c} {obj}" for c in shared[:-1]), shared[-1]]
    return shared


def named_options(question: str) -> list[str]:
    """The options a question names ("A or B", "between A and B", "Which should I pick: A or
    B?"); empty when it names none. Only the asking sentence counts."""
    choices = _choices(split_question(question)[0])
    if len(choices) < 2:
        return []
    options: list[str] = []
    for choice in _distribute(choices):
        choice = choice.strip(" ,;:")
        if choice and all(_key(choice) != _key(o) for o in options):
            options.append(_cap(choice))
    return options[:MAX_OPTIONS] if len(options) >= 2 else []


def propose_options(question: str) -> list[str]:
    """The options a question names ("A or B", "between A and B"), else doing it and not;
    none for an open question ("What should I do about my career?"): the person names them.

    "Should I take the Berlin offer or the Lisbon one?" gives "Take the Berlin offer" and
    "Take the Lisbon one" (the verb is carried over to a bare noun phrase); "Should I take
    this travel-heavy role?" gives "Take this travel-heavy role" and "Decline this
    travel-heavy role".
    """
    named = named_options(question)
    if named:
        return named
    asked, body = _body(question)
    if _OPEN.search(asked) or not body or body.split()[0].lower() in _PREPOSITIONS:
        return []
    if body != asked:
        verb, _, rest = body.partition(" ")
        if verb.lower() in _DECLINE_VERBS and rest:
            return [_cap(body), f"Decline {rest}"]
        return [_cap(body), f"Don't {body[:1].lower()}{body[1:]}"]
    return ["Go ahead", "Decline"]


def _themes(text: str) -> list[str]:
    return [name for name, pattern in _THEMES.items() if pattern.search(text)]


def _theme_of(name: str) -> str | None:
    """Which base theme (family, well-being, career, finance) a value or criterion names."""
    words = set(re.findall(r"[a-z]+(?:-[a-z]+)*", name.lower()))
    words |= {w[:-1] for w in words if w.endswith("s")}
    for theme, vocabulary in _THEME_WORDS.items():
        if words & vocabulary:
            return theme
    return None


def _same_as_base(value: str) -> str | None:
    theme = _theme_of(value)
    if theme in BASE_CRITERIA:
        return theme
    if theme is not None:
        return None
    from agent.embeddings import get_model

    vectors = get_model().embed([value, *BASE_CRITERIA])
    sims = vectors[1:] @ vectors[0]
    best = int(sims.argmax())
    return BASE_CRITERIA[best] if sims[best] >= _SAME_MEANING else None


def propose_criteria(values: Sequence[str], themes: Sequence[str] = ()) -> list[DecisionCriterion]:
    """The three base criteria, then the stated values (merged by meaning into the base
    ones), then what the question's conflicts call for (e.g. financial security)."""
    weights = {name: DEFAULT_WEIGHT for name in BASE_CRITERIA}
    order = list(BASE_CRITERIA)
    for value in values:
        name = " ".join(value.split()).lower()
        base = _same_as_base(name)
        target = base or next((o for o in order if _key(o) == _key(name)), None)
        if target is None:
            order.append(name)
            target = name
        weights[target] = STATED_WEIGHT
    for theme in themes:
        for strained, _ in _CONFLICTS[theme]:
            if not any(_theme_of(o) == strained or _key(o) == strained for o in order):
                order.append(strained)
                weights[strained] = DEFAULT_WEIGHT
    return [DecisionCriterion(name=n, weight=weights[n]) for n in order[:MAX_CRITERIA]]


def _criterion_for(strained: str, criteria: Sequence[DecisionCriterion]) -> str | None:
    for c in criteria:
        if _key(c.name) == strained:
            return c.name
    for c in criteria:
        if _theme_of(c.name) == strained:
            return c.name
    return None


def find_conflicts(question: str, options: Sequence[str], criteria: Sequence[DecisionCriterion],
                   values: Sequence[str] = ()) -> list[ValueConflict]:
    """Which options strain which criteria, from the words of the question and options."""
    conflicts: list[ValueConflict] = []
    for theme in _themes(" ".join([question, *options])):
        # Declining or negotiating is not what strains the value, even when its name
        # repeats the words ("Decline this travel-heavy role").
        active = [o for o in options if not _STATUS_QUO.match(o) and not _MITIGATE.match(o)]
        named = [o for o in active if _THEMES[theme].search(o)] or active
        for option in named:
            for strained, reason in _CONFLICTS[theme]:
                criterion = _criterion_for(strained, criteria)
                if criterion is None:
                    continue
                stated = [v for v in values if _theme_of(v) == strained or _key(v) == _key(criterion)]
                if stated:
                    reason = f"{reason[:-1]} (you named {stated[0]!r} as a value)."
                conflicts.append(ValueConflict(option=option, value=criterion, reason=reason))
    return conflicts


_VALUE_QUESTIONS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"integrity|honest|ethic|trust|transparen|candou?r", re.I),
     "Would any option ask you to do something you could not explain openly to your team?"),
    (re.compile(r"learn|growth|curio|master|skill", re.I),
     "What would you learn under each option that you could not learn where you are?"),
    (re.compile(r"impact|purpose|service|communit|mission|meaning", re.I),
     "Who would be better off because of your work under each option, and by how much?"),
    (re.compile(r"autonom|freedom|independen|control", re.I),
     "How much say would you have over your time and your work under each option?"),
    (re.compile(r"innovat|creativ|build", re.I),
     "How much room would each option give you to try new things and build your own ideas?"),
]


def _question_for(criterion: str, themes: Sequence[str], subject: str) -> str:
    theme = _key(criterion) if _key(criterion) in (FAMILY, WELLBEING, CAREER, FINANCE) else _theme_of(criterion)
    if theme == FAMILY:
        if "travel" in themes:
            return f"How many nights a month would {subject} keep you away from home, compared with now?"
        if "relocation" in themes:
            return ("Would your family move with you, and what would the move change for them "
                    "(a partner's work, schools, relatives nearby)?")
        return "How many evenings and weekends a month would each option leave free for your family?"
    if theme == WELLBEING:
        if "hours" in themes:
            return ("How many hours a week would each option ask of you, and what would those "
                    "hours replace (sleep, exercise, rest)?")
        if "travel" in themes:
            return "What would the travel do to your sleep, exercise and energy in a typical month?"
        return "What would each option do to your sleep, exercise and stress in a typical week?"
    if theme == CAREER:
        return "Where would each option leave you in three years: what title, scope or skills would it add?"
    if theme == FINANCE:
        if "pay_cut" in themes:
            return "How large is the pay cut, and how many months of expenses do your savings cover?"
        return "How would each option change your income and savings over the next two years?"
    for pattern, text in _VALUE_QUESTIONS:
        if pattern.search(criterion):
            return text
    return f"In a typical month, how much room would each option leave for {criterion}?"


NAME_OPTIONS = ("Which options are you weighing? Name two or more, for example "
                "\"stay in my role or move to product\".")
"""The first question when the words name no options to weigh."""


def ask_questions(decision: Decision) -> list[str]:
    """One concrete question per criterion that still has options to score, in order."""
    themes = _themes(" ".join([decision.question, *decision.options]))
    role = re.search(r"\b(role|job|position|offer|promotion)\b", decision.question, re.I)
    subject = f"the {role.group(1).lower()}" if role else "each option"
    if len(decision.options) < 2:
        # Nothing to weigh yet: the first thing to learn is what the choices are.
        return [NAME_OPTIONS]
    pending = {c for _, c in unscored(decision)}
    questions: list[str] = []
    for c in decision.criteria:
        if c.name in pending:
            text = _question_for(c.name, themes, subject)
            if text not in questions:
                questions.append(text)
    return questions


def frame_decision(question: str, *, values: Sequence[str] = (), options: Sequence[str] = (),
                   criteria: Sequence[DecisionCriterion] = ()) -> Decision:
    """Frame a decision put in words: options, criteria with default weights, conflicts and
    questions; every score null until the person gives it.

    Only the sentence that asks makes options; the sentences around it add the values they
    name ("I care about my kids' school" weighs family time more) and the costs they
    mention (travel, a move, long hours, a pay cut). The base criteria always come.

    Given `options` replace the proposed ones. Given `criteria` change the weight of a
    proposed criterion of the same name, or are added. UserError on bad input.
    """
    text = clean_text(question, "question")
    refuse_instructions(text, "question")
    text = " ".join(text.split())
    clean_values: list[str] = []
    # Values said around the question ("I care about my kids' school") count as stated ones.
    for v in [*values, *stated_values(split_question(text)[1])]:
        name = _clean_name(v, "value")
        if all(_key(name) != _key(c) for c in clean_values):
            clean_values.append(name)

    themes = _themes(text)
    if options:
        chosen: list[str] = []
        for i, raw in enumerate(options):
            name = _clean_name(raw, f"options[{i}]")
            if any(_key(name) == _key(o) for o in chosen):
                raise UserError(f"options: {name!r} is listed twice")
            chosen.append(name)
        if len(chosen) < 2:
            raise UserError(f"options: give at least two options (got {len(chosen)})")
        if len(chosen) > MAX_OPTIONS:
            raise UserError(f"options: at most {MAX_OPTIONS} options")
    else:
        chosen = propose_options(text)
        if chosen and themes and not named_options(text):
            # A yes/no choice with a cost attached: changing the terms is a third way.
            chosen.insert(1, _NEGOTIATE[themes[0]])

    proposed = propose_criteria(clean_values, _themes(" ".join([text, *chosen])))
    decision = Decision(question=text, options=chosen, criteria=proposed,
                        citations=cite("value_decisions", "decision_matrix"))
    for c in criteria:
        decision = add_criterion(decision, c.name, c.weight)
    decision = evaluate(decision)
    return decision.model_copy(update={
        "conflicts": find_conflicts(text, decision.options, decision.criteria, clean_values),
        "questions": ask_questions(decision),
    })


def describe_sensitivity(item: Sensitivity, decision: Decision) -> str:
    """One line in words: 'family time: the choice flips if its weight rises by 1.5'."""
    if item.weight_change is None:
        weights = [c.weight for c in decision.criteria]
        ceiling = float(_ceiling(weights)) if weights else 0
        return (f"{item.criterion}: no change of its weight (between 0 and {_number(ceiling)}) "
                "changes the top choice")
    if decision.recommendation is None and decision.ranking and item.new_top:
        top = decision.ranking[0].option
        ahead = _score(decision, top, item.criterion) or 0
        other = _score(decision, item.new_top, item.criterion) or 0
        up, down = (top, item.new_top) if ahead > other else (item.new_top, top)
        return (f"{item.criterion}: the top is tied; raising its weight favours {up}, "
                f"lowering it favours {down}")
    if abs(item.weight_change) < 0.005:
        return (f"{item.criterion}: the choice flips with the smallest change of its weight "
                f"({item.new_top} would lead): a near tie")
    direction = "rises" if item.weight_change > 0 else "falls"
    return (f"{item.criterion}: the choice flips if its weight {direction} by "
            f"{_number(abs(item.weight_change))} ({item.new_top} would lead)")


def _number(value: float) -> str:
    return f"{value:.2f}".rstrip("0").rstrip(".")
