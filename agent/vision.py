"""Vision statements: draft one from a person's values, or critique one they wrote.

A draft is assembled, not generated. Each stated value is cleaned (case, spacing,
duplicates that differ only by case or space) and read as one of four forms:

- a noun such as "integrity" or "time with my kids",
- an adjective such as "honest" (it becomes "an honest leader", or "honesty" where a noun
  is needed),
- a gerund phrase such as "being present" ("customers first" reads as "putting customers
  first"),
- a possessive such as "my team".

It is also given a place: how the person leads (character), their work, or their life
outside work. Both come from a small lexicon; a value the lexicon does not know takes the
place of its nearest lexicon entry by meaning (`agent.embeddings`).

Clause templates then weave the values in. Each template says which forms it can take
(you can build a team "known for mentoring others" but not "known for my team"), and
among the templates that fit, the phrasing is chosen by a stable hash of the normalised
values: the same values always give the same drafts, and different values read
differently. There is no randomness and no clock.

The statement balances work and life; the two alternatives put leadership first and life
first. Every draft looks ahead (the horizon given, else five to ten years), and the main
statement ends with a line that rules something out, because a vision that cannot say no
does not help anyone decide.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

from agent.errors import UserError
from agent.inputs import clean_text
from agent.records import VisionCheck, VisionCritique, VisionDraft
from agent.topics import cite

Form = Literal["noun", "adjective", "gerund", "possessive"]
Place = Literal["character", "work", "life"]

MAX_VALUES = 8
MAX_VALUE_WORDS = 6
MAX_VALUE_CHARS = 60
MAX_ASPIRATION_WORDS = 25
MIN_WORDS, MAX_WORDS, MAX_SENTENCES = 20, 60, 3

# --- lexicon ---------------------------------------------------------------------------


def _wordlist(text: str) -> list[str]:
    """The words of a whitespace-separated list (keeps long word lists readable)."""
    return text.split()


_CHARACTER_WORDS = _wordlist("""
integrity honesty transparency courage candor candour fairness humility kindness respect
compassion empathy patience loyalty trust authenticity accountability curiosity resilience
humour humor discipline focus ethics justice grace optimism diligence openness honour honor
dignity sincerity principles truth truthfulness decency humanity perseverance grit
determination wisdom warmth consistency calm
""")

_WORK_WORDS = _wordlist("""
innovation excellence quality craftsmanship craft customers customer clients speed ownership
mastery reliability safety improvement sustainability responsibility diversity inclusion
equity education teaching mentoring mentorship service impact team company business results
performance entrepreneurship collaboration teamwork autonomy purpose leadership stewardship
ambition achievement career success progress growth creativity efficiency execution strategy
building craftsmanship quality innovation design engineering science research product
""")

_LIFE_WORDS = _wordlist("""
family health faith kids children child marriage spouse partner wife husband friends
friendship home fitness adventure freedom joy fun peace presence rest balance
financial independence security spiritual spirituality generosity community travel languages
nature love wellbeing well-being happiness parents dad mom mum mother father god church prayer
learning gratitude hobbies music art sport sports neighbours neighbors marriage dinner
""")

PLACES: dict[str, Place] = {
    **{w: "work" for w in _WORK_WORDS},
    **{w: "life" for w in _LIFE_WORDS},
    **{w: "character" for w in _CHARACTER_WORDS},
}
"""word -> where a value containing it belongs; the first known word of a value decides."""

ADJECTIVES: dict[str, tuple[str, Place]] = {
    "honest": ("honesty", "character"), "kind": ("kindness", "character"),
    "curious": ("curiosity", "character"), "resilient": ("resilience", "character"),
    "compassionate": ("compassion", "character"), "patient": ("patience", "character"),
    "fair": ("fairness", "character"), "loyal": ("loyalty", "character"),
    "hard-working": ("hard work", "character"), "hardworking": ("hard work", "character"),
    "humble": ("humility", "character"), "brave": ("courage", "character"),
    "courageous": ("courage", "character"), "generous": ("generosity", "character"),
    "transparent": ("transparency", "character"), "accountable": ("accountability", "character"),
    "respectful": ("respect", "character"), "calm": ("calm", "character"),
    "focused": ("focus", "character"), "authentic": ("authenticity", "character"),
    "empathetic": ("empathy", "character"), "grateful": ("gratitude", "character"),
    "disciplined": ("discipline", "character"), "open": ("openness", "character"),
    "ethical": ("ethics", "character"), "optimistic": ("optimism", "character"),
    "trustworthy": ("trustworthiness", "character"), "decisive": ("decisiveness", "character"),
    "bold": ("boldness", "character"), "responsible": ("responsibility", "character"),
    "caring": ("care", "character"), "diligent": ("diligence", "character"),
    "sincere": ("sincerity", "character"), "positive": ("positivity", "character"),
    "principled": ("principle", "character"), "thoughtful": ("thoughtfulness", "character"),
    "hopeful": ("hope", "character"), "determined": ("determination", "character"),
    "persistent": ("persistence", "character"), "gentle": ("gentleness", "character"),
    "warm": ("warmth", "character"), "wise": ("wisdom", "character"),
    "truthful": ("truthfulness", "character"), "dependable": ("dependability", "character"),
    "consistent": ("consistency", "character"), "supportive": ("support", "character"),
    "creative": ("creativity", "work"), "reliable": ("reliability", "work"),
    "innovative": ("innovation", "work"), "inclusive": ("inclusion", "work"),
    "collaborative": ("collaboration", "work"), "ambitious": ("ambition", "work"),
    "present": ("presence", "life"), "healthy": ("health", "life"), "free": ("freedom", "life"),
    "joyful": ("joy", "life"), "independent": ("independence", "life"),
    "adventurous": ("adventure", "life"), "playful": ("playfulness", "life"),
    "faithful": ("faith", "life"), "peaceful": ("peace", "life"), "fit": ("fitness", "life"),
}
"""adjective -> (its noun, where it belongs)."""

# Nouns that end like adjectives; they must not be read as adjectives.
_NOT_ADJECTIVES = frozenset(_wordlist("""
initiative objective perspective narrative executive detective incentive motive alternative
talent parent client event moment content plant servant merchant tenant element student
patient present
"""))
_ADJECTIVE_ENDINGS = ("ous", "ful", "ive", "ent", "ant", "able", "ible", "less", "ic",
                      "-minded", "-hearted", "-working")
_DETERMINERS = frozenset(_wordlist("a an the my our this that these those his her their your"))
_PREPOSITIONS = frozenset(_wordlist("with for of in to that at on from over about by who which"))
_STOPWORDS = frozenset(_wordlist("""
a an the my our of for with to and or in on at by i me we us it is be as that this from
who what which how so than then them they their your you his her
"""))
_TANGIBLE = frozenset(_wordlist("""
family kids children marriage spouse partner wife husband dad mom mum parents health fit
fitness friends home dinner present faith
"""))
_SILENT_H = ("honest", "honor", "honour", "hour", "heir")
_YOU_SOUND = ("uni", "use", "usu", "ut", "eu", "one", "once")

NUMBER_WORDS = _wordlist(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
    "fifteen sixteen seventeen eighteen nineteen twenty twenty-one twenty-two twenty-three "
    "twenty-four twenty-five twenty-six twenty-seven twenty-eight twenty-nine thirty"
)

_ODD_CHARACTERS = re.compile(r"[<>{}\[\]`\\|$=*#~^]")
"""Markup and code characters: never part of a value or an aspiration said in words."""

_INSTRUCTION_PATTERNS = [
    re.compile(p, re.IGNORECASE)
    for p in (
        r"\b(ignore|disregard|forget|override)\b[^.\n]{0,40}\b(instructions?|prompts?|rules|guidelines)\b",
        r"\bsystem prompt\b",
        r"\byou are now\b",
        r"\bjailbreak",
        r"\bdeveloper mode\b",
        r"</?\s*(system|assistant|user)\s*>",
        r"\b(reveal|print|show|repeat)\b[^.\n]{0,20}\b(your|the)\s+(system\s+)?(prompt|instructions)\b",
    )
]


def refuse_instructions(text: str, what: str) -> None:
    """Raise UserError when text reads like an instruction aimed at the assistant.

    Values, statements and questions are data; a phrase such as "ignore previous
    instructions" has no place in them, so it is refused instead of woven into a draft.
    """
    for pattern in _INSTRUCTION_PATTERNS:
        match = pattern.search(text)
        if match:
            raise UserError(
                f"the {what} reads like an instruction to the assistant ({match.group(0)!r}); "
                "say it in your own words"
            )


# --- values ----------------------------------------------------------------------------


@dataclass(frozen=True)
class ValueForm:
    """How one stated value reads in a sentence, and where it belongs."""

    value: str
    """The value as stated, cleaned of stray spaces and punctuation."""
    text: str
    """How it reads in a sentence ("integrity", "time with my kids", "putting customers first")."""
    form: Form
    """noun, adjective, gerund or possessive: which templates can take it."""
    place: Place
    """character (how the person leads), work, or life outside work."""
    noun: str | None = None
    """For an adjective, its noun ("honest" -> "honesty"), when one is known."""
    plural: bool = False
    """Whether it takes a plural verb ("my kids come first")."""


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9]+(?:['’-][a-z0-9]+)*", text.lower().replace("’", "'"))


def _sentence_case_word(word: str, index: int, all_caps: bool) -> str:
    # Keep acronyms (AI, VP) and mid-phrase proper nouns (God); lower the rest.
    if word.isupper() and len(word) <= 3 and word.isalpha() and word != "A":
        return word
    if word == "I":
        return word
    if index > 0 and not all_caps and word[:1].isupper():
        return word
    return word.lower()


def _inflect_text(value: str) -> str:
    parts = value.split()
    letters = [ch for ch in value if ch.isalpha()]
    all_caps = bool(letters) and all(ch.isupper() for ch in letters)
    return " ".join(_sentence_case_word(w, i, all_caps) for i, w in enumerate(parts))


def normalize_values(values: Sequence[str]) -> list[str]:
    """Clean the stated values: split "a, b", trim, drop case/space duplicates, keep order.

    Raises UserError for no values, a blank or binary value, one that is too long to be a
    value, one that reads like an instruction, or more than MAX_VALUES values.
    """
    pieces: list[str] = []
    for raw in values:
        if raw is None:
            continue
        text = clean_text(raw, "value", max_chars=10 * MAX_VALUE_CHARS) if str(raw).strip() else ""
        pieces.extend(re.split(r"[,;\n]+", text))
    result: list[str] = []
    seen: set[str] = set()
    for piece in pieces:
        value = " ".join(piece.split()).strip(" .!?:\"'`")
        if not value:
            continue
        refuse_instructions(value, "value")
        odd = _ODD_CHARACTERS.search(value)
        if odd:
            raise UserError(f"the value {value[:40]!r} has a character a value does not need ({odd.group(0)!r})")
        if not re.search(r"[^\W\d_]", value):
            raise UserError(f"the value {value!r} has no words in it")
        if len(value) > MAX_VALUE_CHARS or len(value.split()) > MAX_VALUE_WORDS:
            raise UserError(
                f"the value {value[:40]!r}... is long for a value; name it in a few words, "
                "like 'family' or 'time with my kids'"
            )
        key = value.casefold()
        if key not in seen:
            seen.add(key)
            result.append(value)
    if not result:
        raise UserError("name at least one value (for example --value family --value integrity)")
    if len(result) > MAX_VALUES:
        raise UserError(
            f"{len(result)} values is more than a vision can hold; keep your {MAX_VALUES} "
            "most important (four or five is usual)"
        )
    return result


def _looks_adjective(word: str) -> bool:
    if word in ADJECTIVES:
        return True
    if word in _NOT_ADJECTIVES or word in PLACES or word.endswith("ment"):
        return False
    return word.endswith(_ADJECTIVE_ENDINGS)


def _is_plural(words: list[str]) -> bool:
    head_words = []
    for w in words:
        if w in _PREPOSITIONS and head_words:
            break
        head_words.append(w)
    head = head_words[-1]
    return (head.endswith("s") and not head.endswith(("ss", "ness", "ics", "us", "is", "ys"))
            and len(head) > 3)


@lru_cache(maxsize=1)
def _lexicon_vectors():
    from agent.embeddings import get_model

    words = [w for w, place in PLACES.items() if place in ("work", "life")]
    return words, get_model().embed(words)


def _place_by_meaning(text: str) -> Place:
    """The place (work or life) of the lexicon word nearest in meaning to text."""
    from agent.embeddings import get_model

    words, vectors = _lexicon_vectors()
    scores = vectors @ get_model().embed_one(text)
    return PLACES[words[int(scores.argmax())]]


def _place_by_words(words: list[str]) -> Place | None:
    for w in words:
        for candidate in (w, w[:-1] if w.endswith("s") else w, w.removeprefix("self-")):
            if candidate in PLACES:
                return PLACES[candidate]
            if candidate in ADJECTIVES:
                return ADJECTIVES[candidate][1]
    return None


def _gerund_place(words: list[str]) -> Place | None:
    # "being a good dad": what follows "being" decides; a character word there still
    # reads as a deed ("being honest"), which we place at work.
    place = _place_by_words(words[1:]) or _place_by_words(words[:1])
    return "work" if place == "character" else place


def read_value(value: str) -> ValueForm:
    """Read one cleaned value: its sentence form and where it belongs."""
    text = _inflect_text(value)
    words = _words(text)
    if not words:
        raise UserError(f"the value {value!r} has no words in it")
    first = words[0]
    if len(words) == 1 and _looks_adjective(first) and first not in PLACES:
        noun, place = ADJECTIVES.get(first, (None, "character"))
        return ValueForm(value, text, "adjective", place, noun=noun)
    if len(words) >= 2 and words[-1] == "first" and words[0] not in _DETERMINERS:
        # "customers first" is a slogan; as a deed it reads "putting customers first".
        text = f"putting {text}"
        place = _place_by_words(words[:-1]) or "work"
        return ValueForm(value, text, "gerund", "work" if place == "character" else place)
    if len(words) >= 2 and first in _VALUE_VERBS and words[1] not in ("of", "ethic", "ethics"):
        text = gerund(text)  # "lead by example" reads "leading by example"
        first = _words(text)[0]
    if first.endswith("ing") and len(words) >= 2 and words[1] not in ("and", "or", "of"):
        place = _gerund_place(words) or _place_by_meaning(text)
        return ValueForm(value, text, "gerund", place)
    if first in ("my", "our"):
        place = _place_by_words(words[1:]) or _place_by_meaning(text)
        place = "work" if place == "character" else place
        return ValueForm(value, text, "possessive", place, plural=_is_plural(words[1:]))
    place = _place_by_words(words) or _place_by_meaning(text)
    return ValueForm(value, text, "noun", place, plural=_is_plural(words))


def place_values(values: Sequence[str]) -> dict[Place, list[str]]:
    """Where each value goes in a draft: {"character": [...], "work": [...], "life": [...]}."""
    placed: dict[Place, list[str]] = {"character": [], "work": [], "life": []}
    for v in normalize_values(values):
        form = read_value(v)
        placed[form.place].append(v)
    return placed


# --- words and lists -------------------------------------------------------------------


def join_list(items: Sequence[str], conjunction: str = "and") -> str:
    """'a', 'a and b', 'a, b and c'."""
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} {conjunction} {items[-1]}"


def article(phrase: str) -> str:
    """'a' or 'an' for the phrase that follows."""
    word = phrase.split()[0].lower() if phrase.split() else ""
    if word.startswith(_SILENT_H):
        return "an"
    if word.startswith(_YOU_SOUND):
        return "a"
    return "an" if word[:1] in "aeiou" else "a"


_DOUBLE_FINAL = frozenset(_wordlist("""
run get put set sit stop plan win begin swim shop quit cut hit let dig drop step ship chat
"""))
_COMMON_VERBS = frozenset(_wordlist("""
teach lead build run start grow become be help write raise travel work give take make spend
live launch found open retire create move learn coach mentor serve buy sell finish earn save
"""))
_VALUE_VERBS = (_COMMON_VERBS - {"open", "found"}) | frozenset(_wordlist("""
do put stay keep show treat speak listen care play have love protect support empower inspire
challenge
"""))
"""Verbs that start a value said as a deed ("lead by example", "give back")."""


def _ing(word: str) -> str:
    low = word.lower()
    if low == "be":
        ing = "being"
    elif low.endswith("ie"):
        ing = low[:-2] + "ying"
    elif low.endswith("e") and not low.endswith(("ee", "ye", "oe")) and len(low) > 2:
        ing = low[:-1] + "ing"
    elif low in _DOUBLE_FINAL:
        ing = low + low[-1] + "ing"
    else:
        ing = low + "ing"
    return ing


def gerund(verb_phrase: str) -> str:
    """The -ing form of a verb phrase: 'go back to school and teach' -> 'going back to school
    and teaching' (the first word, and a common verb right after "and")."""
    words = verb_phrase.split()
    if not words:
        return verb_phrase
    out = [_ing(words[0])]
    for previous, word in zip(words, words[1:], strict=False):
        out.append(_ing(word) if previous == "and" and word in _COMMON_VERBS else word)
    return " ".join(out)


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def _lower_first(text: str) -> str:
    first = text.split()[0] if text.split() else ""
    if len(first) > 1 and first.isupper():
        return text  # an acronym: "VP of engineering"
    return text[:1].lower() + text[1:]


def _stems(text: str) -> set[str]:
    return {w[:4] for w in _words(text) if len(w) >= 4 and w not in _STOPWORDS}


# --- aspirations -----------------------------------------------------------------------

_ASPIRATION_LEAD = re.compile(
    r"^(i\s+(really\s+)?(want|hope|aim|plan|intend|mean|would like|'d like|wish)\s+to\s+|"
    r"i\s+will\s+|i'll\s+|(want|hope|aim|plan)\s+to\s+|to\s+)",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Aspiration:
    text: str
    form: Literal["verb", "gerund", "noun"]

    def want(self, verb: str) -> str:
        """After "I": 'want to lead a company', 'see myself leading', 'am working toward ...'."""
        if self.form == "verb":
            return f"{verb} to {self.text}"
        if self.form == "gerund":
            return f"see myself {self.text}"
        return f"am working toward {self.text}"

    def on_the_way(self) -> str:
        return gerund(self.text) if self.form == "verb" else self.text


def read_aspiration(aspiration: str | None) -> Aspiration | None:
    """Clean an aspiration and read it as a verb phrase, a gerund phrase or a noun phrase."""
    if aspiration is None or not str(aspiration).strip():
        return None
    text = clean_text(aspiration, "aspiration", max_chars=300)
    refuse_instructions(text, "aspiration")
    text = " ".join(text.split()).rstrip(" .!;:")
    odd = _ODD_CHARACTERS.search(text)
    if odd:
        raise UserError(f"the aspiration has a character it does not need ({odd.group(0)!r})")
    if re.search(r"[.!?]\s+\S", text):
        raise UserError("say the aspiration as one phrase, like 'lead a climate-tech company'")
    text = _ASPIRATION_LEAD.sub("", text).strip()
    if not text or not re.search(r"[^\W\d_]", text):
        raise UserError("the aspiration is empty")
    if len(text.split()) > MAX_ASPIRATION_WORDS:
        raise UserError(
            f"the aspiration is {len(text.split())} words; keep it to one phrase of at most "
            f"{MAX_ASPIRATION_WORDS}"
        )
    text = _lower_first(text)
    first = _words(text)[0] if _words(text) else ""
    if first in _DETERMINERS:
        return Aspiration(text, "noun")
    if first.endswith("ing") and first not in ("bring", "sing", "ring", "swing", "string"):
        return Aspiration(text, "gerund")
    return Aspiration(text, "verb")


# --- templates -------------------------------------------------------------------------


@dataclass(frozen=True)
class Template:
    """A phrasing with a slot, and the value forms it can take."""

    text: str
    accepts: frozenset[str]

    def fits(self, items: Sequence[ValueForm]) -> bool:
        # A template fits when it takes every form in the list and shares no word stem
        # with the values (no "where putting customers first comes first").
        own = _stems(re.sub(r"\{\w+\}", " ", self.text))
        return all(v.form in self.accepts for v in items) and not any(
            own & _stems(v.text) for v in items
        )


def _t(text: str, accepts: str) -> Template:
    return Template(text, frozenset(accepts.split()))


ALL = "noun possessive gerund adjective"
WORK_TEMPLATES = [
    _t("build a team known for {W}", "noun gerund adjective"),
    _t("build an organisation where {W} {come} first", ALL),
    _t("put {W} at the heart of what I do", "noun possessive adjective"),
    _t("grow a culture of {W}", "noun gerund adjective"),
    _t("spend my days {W}", "gerund"),
]
WORK_DEFAULTS = [
    "help the people I lead do the best work of their careers",
    "build a team people are proud to belong to",
    "grow the people around me into leaders",
]
LIFE_TEMPLATES = [
    _t("make room for {L}", ALL),
    _t("keep {L} at the centre of my life", "noun possessive adjective"),
    _t("give {L} the time {they} {deserve}", "noun possessive adjective"),
]
LIFE_DEFAULTS = ["stay close to the people I love", "keep real time for the people I love"]
LIFE_DEFAULT_NOUN = "the people I love"
CHARACTER_NOUN_TEMPLATES = [
    _t("lead with {C}", "noun"),
    _t("let {C} guide how I lead", "noun"),
    _t("lead with {C} in every decision", "noun"),
]
CHARACTER_ADJ_TEMPLATES = ["be {a} {A} leader people trust", "be known as {a} {A} leader"]
CHARACTER_BOTH_TEMPLATES = ["be {a} {A} leader who acts with {C}", "be known as {a} {A} leader who leads with {C}"]
SAY_NO_LIFE = [
    _t("I say no to anything that pulls me away from {T}.", ALL),
    _t("When a commitment would cost me {T}, I turn it down.", "noun possessive"),
    _t("Anything that crowds out {T} gets a no from me.", ALL),
]
SAY_NO_DEFAULT = [
    "I say no to anything that pulls me away from the people I love.",
    "Anything that crowds out the people I love gets a no from me.",
]
SAY_NO_CHARACTER = [
    _t("I walk away from anything that asks me to bend on {T}.", "noun"),
    _t("If a deal would mean compromising on {T}, I say no.", "noun"),
]
HORIZONS_DEFAULT = ["Over the next five to ten years", "Five to ten years from now", "In the decade ahead"]
HORIZONS_ONE = ["Over the next year", "A year from now", "Within a year"]
HORIZONS_N = ["Over the next {n} years", "{N} years from now", "In {n} years' time"]
WANT_VERBS = ["want", "mean", "intend", "aim"]


class _Chooser:
    """Picks among phrasings by a stable hash of the values, slot by slot."""

    def __init__(self, key: str, shortest: bool = False) -> None:
        self.key = key
        self.shortest = shortest

    def pick(self, slot: str, options: Sequence[str]) -> str:
        if not options:
            raise ValueError(f"no phrasing fits slot {slot}")
        if self.shortest:
            return min(options, key=len)
        digest = hashlib.sha256(f"{self.key}|{slot}".encode()).digest()
        return options[int.from_bytes(digest[:8], "big") % len(options)]


def _agree(text: str, items: Sequence[ValueForm]) -> str:
    plural = len(items) > 1 or (len(items) == 1 and items[0].plural)
    return (text.replace("{come}", "come" if plural else "comes")
            .replace("{they}", "they" if plural else "it")
            .replace("{deserve}", "deserve" if plural else "deserves"))


def _noun_text(v: ValueForm) -> str:
    return v.noun if v.form == "adjective" and v.noun else v.text


def _fill(choose: _Chooser, slot: str, templates: list[Template], items: list[ValueForm],
          marker: str, conjunction: str = "and") -> str:
    fitting = [t.text for t in templates if t.fits(items)] or [templates[0].text]
    text = choose.pick(slot, fitting)
    return _agree(text, items).replace(marker, join_list([_noun_text(v) for v in items], conjunction))


@dataclass(frozen=True)
class _Parts:
    """The pieces every frame is made of, already worded."""

    horizon: str
    character: str | None  # verb phrase after "to": "lead with integrity"
    adjectives: list[ValueForm]
    character_nouns: list[ValueForm]
    work: str  # verb phrase: "build a team known for innovation"
    life: str  # verb phrase: "make room for family"
    life_noun: str  # noun phrase: "family and health"
    life_noun_or: str
    life_plural: bool
    say_no: str
    aspiration: Aspiration | None
    want: str


def _first_person(verb_phrase: str) -> str:
    return "am " + verb_phrase[3:] if verb_phrase.startswith("be ") else verb_phrase


def _parts(forms: list[ValueForm], aspiration: Aspiration | None, horizon_years: int | None,
           choose: _Chooser) -> _Parts:
    adjectives = [v for v in forms if v.place == "character" and v.form == "adjective"]
    character_nouns = [v for v in forms if v.place == "character" and v.form == "noun"]
    work = [v for v in forms if v.place == "work"
            or (v.place == "character" and v.form in ("gerund", "possessive"))]
    life = [v for v in forms if v.place == "life"]
    # Long phrases go last so "craftsmanship and building things that last" stays clear.
    work.sort(key=lambda v: len(v.text.split()) > 2)
    life.sort(key=lambda v: len(v.text.split()) > 2)

    if horizon_years is None:
        horizon = choose.pick("horizon", HORIZONS_DEFAULT)
    elif horizon_years == 1:
        horizon = choose.pick("horizon", HORIZONS_ONE)
    else:
        n = NUMBER_WORDS[horizon_years] if horizon_years < len(NUMBER_WORDS) else str(horizon_years)
        horizon = choose.pick("horizon", HORIZONS_N).replace("{n}", n).replace("{N}", _cap(n))

    character = None
    nouns_text = join_list([v.text for v in character_nouns])
    if adjectives:
        adj_text = join_list([v.text for v in adjectives])
        pool = CHARACTER_BOTH_TEMPLATES if character_nouns else CHARACTER_ADJ_TEMPLATES
        character = (choose.pick("character", pool).replace("{a}", article(adj_text))
                     .replace("{A}", adj_text).replace("{C}", nouns_text))
    elif character_nouns:
        character = _fill(choose, "character", CHARACTER_NOUN_TEMPLATES, character_nouns, "{C}")

    work_text = (_fill(choose, "work", WORK_TEMPLATES, work, "{W}") if work
                 else choose.pick("work", WORK_DEFAULTS))
    life_text = (_fill(choose, "life", LIFE_TEMPLATES, life, "{L}") if life
                 else choose.pick("life", LIFE_DEFAULTS))

    if life:
        # The most tangible life value makes the sharpest boundary ("family" over "joy").
        target = min(life, key=lambda v: not (set(_words(v.text)) & _TANGIBLE))
        say_no = _fill(choose, "say_no", SAY_NO_LIFE, [target], "{T}")
    elif character_nouns or any(v.noun for v in adjectives):
        target = character_nouns[:1] or [next(v for v in adjectives if v.noun)]
        say_no = _fill(choose, "say_no", SAY_NO_CHARACTER, target, "{T}")
    else:
        say_no = choose.pick("say_no", SAY_NO_DEFAULT)

    life_nouns = [_noun_text(v) for v in life] or [LIFE_DEFAULT_NOUN]
    return _Parts(
        horizon=horizon, character=character, adjectives=adjectives,
        character_nouns=character_nouns, work=work_text, life=life_text,
        life_noun=join_list(life_nouns), life_noun_or=join_list(life_nouns, "or"),
        life_plural=len(life) > 1 or (len(life) == 1 and life[0].plural) or not life,
        say_no=say_no, aspiration=aspiration, want=choose.pick("want", WANT_VERBS),
    )


def _joiner(character: str) -> str:
    # A long character phrase gets a comma, so "leader people trust and help the people"
    # does not read as one run-on clause.
    long = " and " in character or " who " in character or len(character.split()) >= 4
    return ", and " if long else " and "


def _lead_and_work(p: _Parts) -> str:
    """'lead with integrity and build a team known for innovation' (after "I")."""
    if not p.character:
        return _first_person(p.work)
    return f"{_first_person(p.character)}{_joiner(p.character)}{p.work}"


def _balanced(p: _Parts, choose: _Chooser, with_say_no: bool) -> str:
    at_work, at_home = choose.pick(
        "balanced_where", [("At work I", "at home I"), ("In my work I", "outside work I")]
    )
    if p.aspiration:
        text = (f"{p.horizon}, I {p.aspiration.want(p.want)}. "
                f"{at_work} {_lead_and_work(p)}; {at_home} {p.life}.")
    else:
        lead = f"{p.character}{_joiner(p.character)}{p.work}" if p.character else p.work
        outside = choose.pick("outside", ["Outside work, I", "At home, I", "Away from work, I"])
        text = f"{p.horizon}, I {p.want} to {lead}. {outside} {_first_person(p.life)}."
    return f"{text} {p.say_no}" if with_say_no else text


def _leadership_first(p: _Parts, choose: _Chooser) -> str:
    if p.adjectives:
        adj = join_list([v.text for v in p.adjectives])
        opener = f"As {article(adj)} {adj} leader, I "
        if p.character_nouns:
            opener += f"lead with {join_list([v.text for v in p.character_nouns])} and "
        opener += p.work
    elif p.character:
        opener = f"I {_lead_and_work(p)}"
    else:
        opener = f"As a leader, I {p.work}"
    if p.aspiration:
        return (f"{opener}. {p.horizon}, I {p.aspiration.want(p.want)}, "
                f"but never at the cost of {p.life_noun_or}.")
    return (f"{opener}. I {p.want} to still be leading this way {_lower_first(p.horizon)}, "
            f"never at the cost of {p.life_noun_or}.")


def _life_first(p: _Parts, choose: _Chooser) -> str:
    # "Putting family first comes first" would say first twice: then it matters most.
    if "first" in _words(p.life_noun):
        priority = "matter most to me" if p.life_plural else "matters most to me"
    else:
        priority = "come first for me" if p.life_plural else "comes first for me"
    bridge = choose.pick("bridge", ["From there", "On that footing", "With that settled"])
    text = (f"{_cap(p.life_noun)} {priority}, now and {_lower_first(p.horizon)}. "
            f"{bridge}, I {_lead_and_work(p)}")
    if p.aspiration:
        text += f", on my way to {p.aspiration.on_the_way()}"
    return text + "."


def _fit(render: Callable[[_Chooser], str], key: str) -> str:
    """The hashed phrasing if it is 20-60 words, else the shortest phrasing."""
    text = render(_Chooser(key))
    if MIN_WORDS <= word_count(text) <= MAX_WORDS:
        return text
    short = render(_Chooser(key, shortest=True))
    return short if word_count(short) < word_count(text) else text


def word_count(text: str) -> int:
    """Words as a reader counts them: runs of non-space characters."""
    return len(text.split())


def sentence_count(text: str) -> int:
    """Sentences: runs of text ending in . ! or ? (or the end)."""
    return len([s for s in re.split(r"(?<=[.!?])\s+", text.strip()) if s.strip()])


# --- naming values ---------------------------------------------------------------------


def _singular(word: str) -> str:
    return word[:-1] if word.endswith("s") and not word.endswith("ss") and len(word) > 3 else word


def _contains(haystack: list[str], needle: list[str]) -> bool:
    if not needle:
        return False
    n = len(needle)
    return any(haystack[i : i + n] == needle for i in range(len(haystack) - n + 1))


def names_value(statement: str, value: str) -> bool:
    """Whether the statement names the value: its words, or its noun or adjective form."""
    said = [_singular(w) for w in _words(statement)]
    forms = {value, _inflect_text(value)}
    form = read_value(" ".join(value.split()))
    forms |= {form.text, _noun_text(form)}
    low = _words(value)
    if low and low[0] == "being" and len(low) == 2 and low[1] in ADJECTIVES:
        forms.add(ADJECTIVES[low[1]][0])  # "being present" is named by "presence"
    for noun, (adj_noun, _) in ADJECTIVES.items():
        if low == _words(adj_noun):
            forms.add(noun)  # "honesty" is named by "honest leader"
    return any(_contains(said, [_singular(w) for w in _words(f)]) for f in forms)


# --- public ------------------------------------------------------------------------------


def draft_vision(values: Sequence[str], aspirations: str | None = None,
                 horizon_years: int | None = None) -> VisionDraft:
    """Draft a vision statement that names every value, plus two alternatives.

    The statement joins work and life, looks `horizon_years` ahead (five to ten years when
    not given), and ends with a line that rules something out. Same input, same drafts.
    Raises UserError for no values, bad values or a bad aspiration or horizon.
    """
    cleaned = normalize_values(values)
    if horizon_years is not None and not 1 <= horizon_years <= 30:
        raise UserError(f"the horizon must be 1-30 years, not {horizon_years}")
    aspiration = read_aspiration(aspirations)
    forms = [read_value(v) for v in cleaned]
    key = "|".join(sorted(v.casefold() for v in cleaned))

    statement = _fit(lambda c: _balanced(_parts(forms, aspiration, horizon_years, c), c, True), key)
    if word_count(statement) > MAX_WORDS:
        shorter = _fit(lambda c: _balanced(_parts(forms, aspiration, horizon_years, c), c, False), key)
        statement = shorter if word_count(shorter) < word_count(statement) else statement
    alternatives = []
    for frame in (_leadership_first, _life_first):
        text = _fit(lambda c, f=frame: f(_parts(forms, aspiration, horizon_years, c), c), key)
        if text != statement and text not in alternatives:
            alternatives.append(text)
    return VisionDraft(
        values=cleaned,
        aspirations=aspiration.text if aspiration else None,
        horizon_years=horizon_years,
        statement=statement,
        alternatives=alternatives,
        values_covered={v: names_value(statement, v) for v in cleaned},
        citations=cite("vision_statement", "vision_integrate", "core_values"),
    )


_WORK_MARKERS = re.compile(
    r"\b(lead|leads|leading|leader|leaders|leadership|team|teams|company|companies|career|work|working|"
    r"business|organi[sz]ation|colleagues|customers|clients|profession(al)?|job|role|firm|"
    r"school|hospital|plant|studio|startup|product|employees|staff|board)\b", re.IGNORECASE)
_LIFE_MARKERS = re.compile(
    r"\b(family|home|health|healthy|kids|children|child|partner|marriage|wife|husband|friends|"
    r"personal|life|faith|community|well-?being|rest|dinner|weekends?|evenings?|parents|myself|"
    r"fitness|fit|love|loved|sleep|body|joy|spouse|dad|mom|mum|father|mother|outside work|away from work|at home)\b",
    re.IGNORECASE)
_HORIZON = re.compile(
    r"\b((\d+|" + "|".join(NUMBER_WORDS[1:]) + r")(\s+to\s+\w+)?\s+years?|decade|by (19|20)\d\d|"
    r"in (19|20)\d\d|next year|a year from now|within a year|future|long[- ]term|one day|someday|lifetime|years? ahead|years from now|"
    r"retire(ment)?)\b", re.IGNORECASE)
_SAY_NO = re.compile(
    r"\b(say no|says no|saying no|turn (it |them )?down|turns? down|decline|walk away|never|"
    r"at the cost of|without (sacrific\w*|trading|giving up|losing|costing)|instead of|rather than|"
    r"won't|will not|refuse|no more than|at most|only if|(comes?|came) first|matters? most|before (work|my career)|"
    r"gets? a no|home (for|by) dinner|\d+\s+(nights?|evenings?|days?|hours?|weekends?))\b",
    re.IGNORECASE)


def _value_words_in(statement: str) -> list[str]:
    found = []
    for w in _words(statement):
        if (w in PLACES or w in ADJECTIVES) and w not in found and w not in (
            "team", "company", "business", "home", "work", "leadership", "career", "present",
            "fit", "dinner", "building", "child",
        ):
            found.append(w)
    return found


def critique_vision(statement: str, values: Sequence[str] = ()) -> VisionCritique:
    """Check a vision statement: does it name the values, join work and life, look ahead,
    stay brief, and help the person say no? Each check says what to change."""
    text = clean_text(statement, "vision statement")
    refuse_instructions(text, "vision statement")
    cleaned = normalize_values(values) if any(str(v).strip() for v in values) else []
    checks: list[VisionCheck] = []

    if cleaned:
        missing = [v for v in cleaned if not names_value(text, v)]
        if missing:
            feedback = (f"It does not name {join_list(missing)}; say in words how "
                        f"{'it shows' if len(missing) == 1 else 'each shows'} up in your work or life.")
        else:
            feedback = f"It names every value you gave: {join_list(cleaned)}."
        checks.append(VisionCheck(name="names_values", passed=not missing, feedback=feedback))
    else:
        found = _value_words_in(text)
        checks.append(VisionCheck(
            name="names_values", passed=bool(found),
            feedback=(f"It names {join_list(found)}; give your values with --value to check it "
                      "against your own list." if found else
                      "It names no value; add the three to five principles you will not trade "
                      "away, such as integrity or family."),
        ))

    work, life = _WORK_MARKERS.search(text), _LIFE_MARKERS.search(text)
    # A stated value named in the statement marks its side too ("adventure" is life).
    for v in cleaned:
        form = read_value(v)
        named = re.search(re.escape(form.text), text, re.IGNORECASE)
        if named and form.place == "life" and not life:
            life = named
        elif named and form.place != "life" and not work:
            work = named
    if work and life:
        feedback = (f"It speaks to work ({work.group(0)!r}) and to life outside it "
                    f"({life.group(0)!r}).")
    elif work:
        feedback = ("It speaks only to work; add what you want your life outside it to hold "
                    "(family, health, friends, faith).")
    elif life:
        feedback = ("It speaks only to life outside work; add the kind of leader you mean to be "
                    "and the difference you want to make at work.")
    else:
        feedback = ("It names neither your work nor your life outside it; say what you want "
                    "from both in one picture.")
    checks.append(VisionCheck(name="joins_work_and_life", passed=bool(work and life), feedback=feedback))

    ahead = _HORIZON.search(text)
    checks.append(VisionCheck(
        name="looks_ahead", passed=bool(ahead),
        feedback=(f"It looks ahead ({ahead.group(0)!r})." if ahead else
                  "It has no horizon; say how far ahead it looks, for example 'over the next "
                  "ten years', so it can guide long-range choices."),
    ))

    words, sentences = word_count(text), sentence_count(text)
    brief = words <= MAX_WORDS and sentences <= MAX_SENTENCES
    checks.append(VisionCheck(
        name="brief", passed=brief,
        feedback=(f"{words} words in {sentences} sentence{'s' if sentences != 1 else ''}: short "
                  "enough to say from memory." if brief else
                  f"{words} words in {sentences} sentence{'s' if sentences != 1 else ''}; "
                  + ("cut it to about 60 words" if words > MAX_WORDS else "fold it into at most three sentences")
                  + " so you can say it from memory."),
    ))

    boundary = _SAY_NO.search(text)
    checks.append(VisionCheck(
        name="helps_say_no", passed=bool(boundary),
        feedback=(f"It can rule options out ({boundary.group(0)!r})." if boundary else
                  "Nothing in it rules an option out; add one line you would act on, for example "
                  "'I turn down roles that keep me away from home more than five nights a month'."),
    ))
    return VisionCritique(
        statement=text, values=cleaned, checks=checks,
        citations=cite("vision_statement", "vision_integrate", "core_values"),
    )
