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
from agent.inputs import clean_text, refuse_instructions
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
    # Letters of any script: "Fürsorge" is one word and "家族" is a word, not none.
    return re.findall(r"[^\W_]+(?:['’-][^\W_]+)*", text.lower().replace("’", "'"))


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
quit begin commit admit forget prefer regret refer occur permit submit omit equip upset confer
defer deter transfer outrun overrun rerun acquit embed abet allot rebut remit forbid kidnap
worship handicap format program input output
"""))
"""Verbs of more than one syllable whose last syllable is stressed: the final consonant doubles
("begin" -> "beginning"); one-syllable verbs follow the rule in `_ing`."""
_ING_EXCEPTIONS = {
    "be": "being", "see": "seeing", "flee": "fleeing", "ski": "skiing", "age": "ageing",
    "dye": "dyeing", "singe": "singeing", "panic": "panicking", "picnic": "picnicking",
    "mimic": "mimicking", "traffic": "trafficking", "frolic": "frolicking",
}
_COMMON_VERBS = frozenset(_wordlist("""
teach lead build run start grow become be help write raise travel work give take make spend
live launch found open retire create move learn coach mentor serve buy sell finish earn save
"""))
_VALUE_VERBS = (_COMMON_VERBS - {"open", "found"}) | frozenset(_wordlist("""
do put stay keep show treat speak listen care play have love protect support empower inspire
challenge
"""))
"""Verbs that start a value said as a deed ("lead by example", "give back")."""
_ASPIRATION_VERBS = _COMMON_VERBS | _VALUE_VERBS | frozenset(_wordlist("""
own get go see visit design join chair direct manage head transform change shape publish
pay hire scale fund invest sail climb walk cook paint compose study develop
found establish restore rebuild turn win reach land step settle buy become sit
"""))
"""Verbs that start an aspiration ("run my own studio", "get promoted", "head a school")."""
_NOT_VERBS = _DETERMINERS | _PREPOSITIONS | frozenset(_wordlist("""
and or but so if when where while because than then i me we us you he she they it
more less most least fewer enough some any no not every each all both only also very
"""))
"""Closed-class words: a phrase that starts with one is not a verb phrase."""
_ADVERB_LEADS = frozenset(_wordlist("also still just finally really truly"))
_LY_VERBS = frozenset(_wordlist("apply rely reply supply multiply comply imply ally rally tally bully"))
"""Verbs that end like adverbs: "apply for a fellowship" starts with a verb."""
_NOT_GERUNDS = frozenset(_wordlist("""
bring sing ring swing string spring sting cling fling wring king thing nothing something
everything anything morning evening ceiling wedding
"""))


def _is_adverb(word: str) -> bool:
    low = word.lower()
    return low in _ADVERB_LEADS or (
        low.endswith("ly") and len(low) > 4 and low.isalpha() and low not in _LY_VERBS)


def _is_gerund(word: str) -> bool:
    low = word.lower()
    return low.endswith("ing") and len(low) > 4 and low not in _NOT_GERUNDS


def _ing(word: str) -> str:
    """The -ing form of one verb (British spelling, as the rest of Align's prose)."""
    low = word.lower()
    if low in _ING_EXCEPTIONS:
        return _ING_EXCEPTIONS[low]
    if low.endswith("ie"):
        return low[:-2] + "ying"
    if low.endswith(("ee", "ye", "oe")):
        return low + "ing"
    if low.endswith("e") and len(low) > 2:
        return low[:-1] + "ing"
    if low in _DOUBLE_FINAL or re.fullmatch(r"[^aeiou]*[aeiou][^aeiouwxy]", low):
        # One vowel before one final consonant: "run" -> "running", "plan" -> "planning".
        return low + low[-1] + "ing"
    if re.fullmatch(r"\w*[^aeiou][aeiou]l", low) and len(low) > 4:
        return low + "ling"  # British: "travel" -> "travelling", "model" -> "modelling"
    return low + "ing"


def gerund(verb_phrase: str) -> str:
    """The -ing form of a verb phrase: 'go back to school and teach' -> 'going back to school
    and teaching' (the first verb, past a leading adverb such as "fully", and a common verb
    right after "and" or "or").

    A phrase that does not start with a verb (a preposition, a determiner, a number, or a
    word already ending in -ing) comes back unchanged rather than as a broken word.
    """
    words = verb_phrase.split()
    start = 0
    while start < len(words) - 1 and _is_adverb(words[start]):
        start += 1
    if not words or not _is_verb_like(words[start]):
        return verb_phrase
    out = [*words[:start], _ing(words[start])]
    for previous, word in zip(words[start:], words[start + 1:], strict=False):
        joined = previous.lower() in ("and", "or")
        out.append(_ing(word) if joined and word.lower() in _ASPIRATION_VERBS else word)
    return " ".join(out)


def _is_verb_like(word: str) -> bool:
    low = word.lower()
    return ((low.isalpha() or "-" in low) and low not in _NOT_VERBS and not _is_gerund(low)
            and not _is_adverb(low))


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
#
# People say aspirations the way they talk: "in ten years I'd like to run my own studio",
# "someday, my dream is to open a bakery". The time words become the horizon, the lead-in
# ("I'd like to") goes, and what is left is read as a verb, gerund or noun phrase, so the
# templates can say "I mean to run my own studio" and "on my way to running my own studio".

_NUMBERS = {word: n for n, word in enumerate(NUMBER_WORDS)} | {"a": 1, "an": 1, "a couple of": 2,
                                                                 "couple of": 2}
_VAGUE_COUNTS = ("a few", "few", "several", "some")
_COUNT = (r"(?:\d{1,3}|" + "|".join(sorted(map(re.escape, [*_NUMBERS, *_VAGUE_COUNTS]),
                                           key=len, reverse=True)) + ")")
_SPAN = rf"(?P<count>{_COUNT})(?:\s*(?:-|–|to|or)\s*(?P<upper>{_COUNT}))?"
_UNIT = r"(?P<unit>years?|decades?)(?:['’]s?)?(?:\s+time)?"
_ABOUT = r"(?:about\s+|around\s+|roughly\s+|maybe\s+|perhaps\s+)?"
_TIME_PHRASES = [
    re.compile(p, re.IGNORECASE)
    for p in (
        # "over the next ten years", "in the next decade", "by next year"
        rf"\b(?:(?:in|within|over|during|for|by)\s+)?(?:the\s+)?(?:next|coming)\s+{_ABOUT}"
        rf"(?:{_SPAN}\s+)?{_UNIT}(?!\w)",
        # "in ten years", "within 5 years", "in two years' time", "in a decade from now"
        rf"\b(?:in|within|inside(?:\s+of)?)\s+{_ABOUT}{_SPAN}\s+{_UNIT}(?:\s+from\s+now)?(?!\w)",
        # "ten years from now", "a decade from now"
        rf"\b{_ABOUT}{_SPAN}\s+{_UNIT}\s+from\s+now\b",
        # no number: a hope without a date
        r"\b(?:some\s*day|one\s+day|eventually|ultimately|at\s+some\s+point|down\s+the\s+(?:road|line)|"
        r"(?:in|over)\s+the\s+(?:long\s+run|long[- ]term|future|years\s+(?:ahead|to\s+come)))(?!\w)",
    )
]

_SUBJECT = r"(?:i|we)"
_WOULD = r"(?:\s+would|\s*'d)"
_ASPIRATION_LEADS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(p, re.IGNORECASE), then)
    for p, then in (
        (rf"{_SUBJECT}{_WOULD}\s+(?:really\s+|truly\s+|also\s+)?(?:like|love|want)\s+to\s+", ""),
        (rf"{_SUBJECT}(?:\s+have|\s*'ve)\s+(?:always\s+)?(?:wanted|hoped|dreamed|dreamt|meant|"
         r"planned)\s+(?:to|of|about)\s+", ""),
        (rf"{_SUBJECT}(?:\s+really|\s+truly|\s+still|\s+also|\s+always)?\s+(?:want|wanted|hope|aim|plan|"
         r"intend|mean|wish|expect|need|long|aspire|would\s+like|would\s+love)\s+to\s+", ""),
        (rf"{_SUBJECT}(?:\s+am|\s*'m|\s+are|\s*'re)\s+(?:going|hoping|planning|aiming|trying|"
         r"determined|working|striving)\s+(?:to|toward|towards|for)\s+", ""),
        (rf"{_SUBJECT}(?:\s+will|\s*'ll|\s+shall)\s+", ""),
        (rf"{_SUBJECT}{_WOULD}\s+(?:really\s+)?(?:like|love)\s+", ""),
        (rf"{_SUBJECT}(?:\s+really)?\s+(?:want|need|hope\s+for|wish\s+for|aim\s+for|dream\s+of|"
         r"dream\s+about|long\s+for)\s+", ""),
        (rf"(?:{_SUBJECT}\s+)?(?:can\s+)?(?:see|picture|imagine|envision)\s+(?:myself|ourselves)\s+as\s+",
         "be "),
        (rf"(?:{_SUBJECT}\s+)?(?:can\s+)?(?:see|picture|imagine|envision)\s+(?:myself|ourselves)\s+", ""),
        (r"(?:my|our|the)\s+(?:[\w-]+\s+){0,2}?(?:dream|goal|aim|hope|plan|ambition|aspiration|wish|"
         r"vision|mission|intention)\s+(?:is|was|would\s+be|has\s+always\s+been|'s)\s+(?:to\s+)?", ""),
        (r"(?:would\s+|'d\s+)?(?:like|love)\s+to\s+", ""),
        (r"(?:want|hope|aim|plan|wish|intend)\s+to\s+", ""),
        (r"to\s+", ""),
        (r"(?:and|but|so|then|also|well|hopefully|ideally|honestly|really)(?:\s*,\s*|\s+)", ""),
        (r"[,;:\-–—]+\s*", ""),
    )
]
"""Lead-ins stripped from the start of an aspiration, with what replaces them."""
_INNER_LEAD = re.compile(
    rf"\b(and|or|then|but)\s+(?:then\s+)?{_SUBJECT}(?:\s+also)?(?:{_WOULD}\s+(?:like|love)\s+to|"
    r"\s+(?:also\s+)?(?:want|hope|plan|intend|aim)\s+to|\s+will|\s*'ll)\s+",
    re.IGNORECASE,
)
"""A second lead-in after "and": "run a studio and I'd like to teach" -> "... and teach"."""

_STATE_WORDS = frozenset(_wordlist("""
happy healthy wealthy rich debt-free fulfilled content known respected proud able retired
promoted published married settled ready free independent financially
"""))
"""Words that start a state rather than a deed: "be financially independent", "be known for"."""
_NOUN_ENDINGS = ("tion", "sion", "ness", "ity", "ment", "ship", "dom", "hood", "ance", "ence",
                 "ism", "ial", "ical", "onal", "ntal", "obal", "ural", "eral")


@dataclass(frozen=True)
class Aspiration:
    """An aspiration as the templates use it."""

    text: str
    """The phrase itself, without lead-in or time words ("run my own studio")."""
    form: Literal["verb", "gerund", "noun"]
    """How it reads: "run my own studio", "running my own studio", "my own studio"."""
    horizon: int | None = None
    """The years ahead its time words gave ("in ten years" -> 10), if any."""

    def want(self, verb: str) -> str:
        """After "I": 'want to lead a company', 'see myself leading', 'am working toward ...'."""
        if self.form == "verb":
            return f"{verb} to {self.text}"
        if self.form == "gerund":
            return f"see myself {self.text}"
        return f"am working toward {self.text}"

    def on_the_way(self) -> str:
        """After "on my way to": 'running my own studio', 'my own studio'."""
        return gerund(self.text) if self.form == "verb" else self.text


def _count(word: str | None) -> int | None:
    if word is None:
        return 1  # "next year", "a decade from now"
    low = " ".join(word.lower().split())
    if low.isdigit():
        return int(low)
    return _NUMBERS.get(low)  # None for "a few", "several"


def read_horizon(text: str) -> tuple[str, int | None]:
    """(the text without its time words, the years ahead they name, if any).

    "in ten years I'd like to run my own studio" -> ("I'd like to run my own studio", 10);
    "in 5 to 10 years" gives the far end (10); "in a decade" 10; "someday" removes the
    words but names no number.
    """
    horizon: int | None = None
    for pattern in _TIME_PHRASES:
        while (found := pattern.search(text)) is not None:
            groups = found.groupdict()
            if horizon is None and groups.get("unit"):
                counts = [_count(groups.get("count"))] + (
                    [_count(groups["upper"])] if groups.get("upper") else [])
                if all(c is not None for c in counts):
                    horizon = max(counts) * (10 if groups["unit"].lower().startswith("decade") else 1)
            text = f"{text[: found.start()]} {text[found.end():]}"
    text = re.sub(r"\s+([,;:])", r"\1", " ".join(text.split()))
    text = re.sub(r"([,;:])(?:\s*[,;:])+", r"\1", text).strip(" ,;:")
    return text, horizon


def _strip_lead_ins(text: str) -> str:
    for _ in range(6):  # lead-ins stack: "so, someday, I'd love to ..."
        before = text
        for pattern, then in _ASPIRATION_LEADS:
            found = pattern.match(text)
            if found:
                text = then + text[found.end():].lstrip(" ,")
                break
        if text == before:
            break
    text = _INNER_LEAD.sub(r"\1 ", text)
    # "be running my own studio" says the same as "running my own studio".
    return re.sub(r"^be\s+(?=\w+ing\b)", "", text, flags=re.IGNORECASE)


def _aspiration_form(text: str) -> tuple[str, Literal["verb", "gerund", "noun"]]:
    words = [w.strip(",;:") for w in text.lower().split()]
    first = next((w for w in words if not _is_adverb(w)), words[0])
    if _is_gerund(first):
        return text, "gerund"
    if first in _DETERMINERS or first[:1].isdigit() or first in _NOT_VERBS - _PREPOSITIONS:
        return text, "noun"
    if first in _PREPOSITIONS or first in _STATE_WORDS or (
        first not in _ASPIRATION_VERBS
        and (first in ADJECTIVES or (first.endswith("ed") and not first.endswith("eed")))
    ):
        return f"be {text}", "verb"  # "be in charge of a school", "be financially independent"
    if first not in _ASPIRATION_VERBS and first.endswith(_NOUN_ENDINGS):
        return text, "noun"  # "financial freedom", "a promotion"
    return text, "verb"


def read_aspiration(aspiration: str | None) -> Aspiration | None:
    """Clean an aspiration said in words and read it as a verb, gerund or noun phrase.

    Time words become the horizon ("in ten years" -> 10) and lead-ins go ("I'd like to",
    "my dream is to", "someday"). UserError for text that is empty, binary, marked up,
    more than one sentence, too long, or an instruction to the assistant.
    """
    if aspiration is None or not str(aspiration).strip():
        return None
    text = clean_text(aspiration, "aspiration", max_chars=300)
    refuse_instructions(text, "aspiration")
    text = " ".join(text.replace("’", "'").split()).rstrip(" .!;:")
    odd = _ODD_CHARACTERS.search(text)
    if odd:
        raise UserError(f"the aspiration has a character it does not need ({odd.group(0)!r})")
    if re.search(r"[.!?]\s+\S", text):
        raise UserError("say the aspiration as one phrase, like 'lead a climate-tech company'")
    text, horizon = read_horizon(text)
    # The trailing space lets a lead-in with nothing after it ("I'd like to") match too.
    text = _strip_lead_ins(f"{text} ").strip(" ,;:")
    if not text or not re.search(r"[^\W\d_]", text):
        raise UserError("the aspiration does not say what you hope to do or become, "
                        "e.g. 'run my own studio'")
    if len(text.split()) > MAX_ASPIRATION_WORDS:
        raise UserError(
            f"the aspiration is {len(text.split())} words; keep it to one phrase of at most "
            f"{MAX_ASPIRATION_WORDS}"
        )
    text, form = _aspiration_form(_lower_first(text))
    return Aspiration(text, form, horizon)


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

    The statement joins work and life, looks `horizon_years` ahead (else as far as the
    aspiration's time words say, "in ten years"; else five to ten years), and ends with a
    line that rules something out. Same input, same drafts.
    Raises UserError for no values, bad values or a bad aspiration or horizon.
    """
    cleaned = normalize_values(values)
    if horizon_years is not None and not 1 <= horizon_years <= 30:
        raise UserError(f"the horizon must be 1-30 years, not {horizon_years}")
    aspiration = read_aspiration(aspirations)
    if horizon_years is None and aspiration is not None and aspiration.horizon is not None:
        # A horizon given outright wins over one read from the aspiration's words.
        if not 1 <= aspiration.horizon <= 30:
            raise UserError(f"the aspiration looks {aspiration.horizon} years ahead; a vision "
                            "looks 1-30 years ahead, so give a nearer horizon")
        horizon_years = aspiration.horizon
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
