"""Time expressions in goals and tasks, resolved against an injected `today`.

`find_when("hire two engineers by the end of next quarter", today)` finds the words that
say when ("by the end of next quarter"), the date they mean, any cadence ("every Monday"),
and whether the timing is vague ("soon", "before my 40th") or already past.

Hand-written on purpose: the phrases leaders use (quarters, "eoq", seasons, "within 30
days", ages, cadences) are a small closed set that general date parsers either miss or
read wrongly, and a few compiled patterns keep a goal's critique well under a millisecond.
The conventions are documented beside each rule.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

from pydantic import BaseModel

__all__ = ["When", "find_when", "add_months", "end_of_month", "end_of_quarter"]


class When(BaseModel):
    """What a text says about when: a deadline, a cadence, or vague timing."""

    deadline: date | None
    """The date by which it is done, resolved against today; null when none is stated."""

    phrase: str
    """The text's own words for when (an exact substring of the text)."""

    frequency: str | None
    """The cadence in the text's words ("every Monday", "3x a week"), if any."""

    vague: bool
    """True when the timing has no knowable date ("soon", "ASAP", "before my 40th")."""

    past: bool
    """True when the deadline lies before today."""

    start: date | None = None
    """When a recurring goal or rule starts ("starting in January"), if said."""

    impossible: bool = False
    """True when the timing is a date that does not exist ("2026-02-30", "April 31")."""


# --- calendar helpers -------------------------------------------------------------------

MONTHS = {
    "january": 1,
    "jan": 1,
    "february": 2,
    "feb": 2,
    "march": 3,
    "mar": 3,
    "april": 4,
    "apr": 4,
    "may": 5,
    "june": 6,
    "jun": 6,
    "july": 7,
    "jul": 7,
    "august": 8,
    "aug": 8,
    "september": 9,
    "sept": 9,
    "sep": 9,
    "october": 10,
    "oct": 10,
    "november": 11,
    "nov": 11,
    "december": 12,
    "dec": 12,
}
WEEKDAYS = {
    "monday": 0,
    "mon": 0,
    "tuesday": 1,
    "tue": 1,
    "tues": 1,
    "wednesday": 2,
    "wed": 2,
    "thursday": 3,
    "thu": 3,
    "thur": 3,
    "thurs": 3,
    "friday": 4,
    "fri": 4,
    "saturday": 5,
    "sat": 5,
    "sunday": 6,
    "sun": 6,
}
NUMBER_WORDS = {
    "a": 1,
    "an": 1,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "fifteen": 15,
    "eighteen": 18,
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "ninety": 90,
    "couple": 2,
    "a couple of": 2,
}
# Northern-hemisphere seasons: the last month of each.
SEASON_END = {"spring": 5, "summer": 8, "fall": 11, "autumn": 11, "winter": 2}


def end_of_month(year: int, month: int) -> date:
    """The last day of a month."""
    return date(year, month, calendar.monthrange(year, month)[1])


def add_months(day: date, months: int) -> date:
    """The same day `months` later, clipped to the month's end (Jan 31 + 1 = Feb 28)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    return date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def end_of_quarter(year: int, quarter: int) -> date:
    """The last day of calendar quarter 1-4."""
    return end_of_month(year, quarter * 3)


def _quarter_of(day: date) -> int:
    return (day.month - 1) // 3 + 1


def _month_ahead(month: int, today: date, *, strictly: bool = False) -> date:
    """End of the next occurrence of a month (this month counts unless `strictly`)."""
    year = today.year
    if month < today.month or (strictly and month == today.month):
        year += 1
    return end_of_month(year, month)


def _day_month(month: int, day: int, today: date) -> date | None:
    """A day and month without a year: its next occurrence, unless it slipped by recently.

    A date within the last 30 days is read as this year's deadline, already missed:
    people naming a day and month mean the coming weeks, not eleven months ahead.
    """
    try:
        this_year = date(today.year, month, day)
    except ValueError:
        this_year = None  # 29 February outside a leap year
    if this_year and (this_year >= today or (today - this_year).days <= 30):
        return this_year
    try:
        return date(today.year + 1, month, day)
    except ValueError:
        # 29 February with no leap year ahead: people mean the end of the coming February.
        this_end = end_of_month(today.year, month)
        return this_end if this_end >= today else end_of_month(today.year + 1, month)


def _weekday_ahead(weekday: int, today: date) -> date:
    """The coming occurrence of a weekday (today counts)."""
    return today + timedelta(days=(weekday - today.weekday()) % 7)


def _end_of_week(today: date, weeks: int = 0) -> date:
    """Sunday of this week (weeks=0) or of a later week."""
    return today + timedelta(days=6 - today.weekday() + 7 * weeks)


def _season_end(season: str, today: date, *, next_one: bool = False) -> date:
    """End of the next occurrence of a season (the current one counts unless `next_one`)."""
    last = SEASON_END[season]
    if season == "winter":
        year = today.year + 1 if today.month >= 3 else today.year
        end = end_of_month(year, last)
    else:
        end = end_of_month(today.year, last)
        if end < today:
            end = end_of_month(today.year + 1, last)
    in_season = 0 <= (end.year * 12 + end.month) - (today.year * 12 + today.month) <= 2
    if next_one and in_season:
        end = end_of_month(end.year + 1, last)
    return end


def _number(word: str) -> int | None:
    word = word.lower().strip()
    if word.isdigit():
        return int(word)
    return NUMBER_WORDS.get(word)


def _plus(today: date, amount: int, unit: str) -> date:
    unit = unit.lower().rstrip("s")
    if unit in ("day", "night"):
        return today + timedelta(days=amount)
    if unit in ("week", "wk"):
        return today + timedelta(weeks=amount)
    if unit in ("month", "mo"):
        return add_months(today, amount)
    if unit in ("year", "yr"):
        return add_months(today, 12 * amount)
    return today  # hours and minutes: within the day


# --- the patterns ----------------------------------------------------------------------

MONTH = r"(?P<month>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
WEEKDAY = r"(?P<weekday>mon(?:day)?|tue(?:s(?:day)?)?|wed(?:nesday)?|thu(?:r(?:s(?:day)?)?)?|fri(?:day)?|sat(?:urday)?|sun(?:day)?)"
NUM = r"(?P<n>\d+|a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|eighteen|twenty|thirty|forty|fifty|sixty|ninety|a couple of|couple of)"
UNIT = r"(?P<unit>days?|nights?|weeks?|wks?|months?|mos?|years?|yrs?)"
LEAD = r"(?:\b(?:by|before|until|till|til|through|in|on|due|for|from|of|during|ahead of|no later than|around|about)\s+)?"
END_OF = r"(?:(?:the\s+)?end\s+of\s+(?:the\s+)?)?"
FREQ_UNIT = r"(?:day|week|wk|month|night|morning|evening|weekday|weekend|quarter|year|school\s+day|work\s*day)"


@dataclass(frozen=True)
class _Hit:
    start: int
    end: int
    deadline: date | None = None
    frequency: bool = False
    vague: bool = False
    starting: date | None = None
    rank: int = 0  # higher wins when several timings are found
    impossible: bool = False  # a date that does not exist: named, never silently dropped


Rule = tuple[re.Pattern[str], Callable[[re.Match[str], date], _Hit | None]]
_RULES: list[Rule] = []


def _rule(pattern: str) -> Callable:
    compiled = re.compile(pattern, re.IGNORECASE)

    def register(fn: Callable[[re.Match[str], date], _Hit | None]):
        _RULES.append((compiled, fn))
        return fn

    return register


def _hit(m: re.Match[str], deadline: date | None = None, rank: int = 3, **kw) -> _Hit:
    return _Hit(m.start(), m.end(), deadline=deadline, rank=rank, **kw)


def _impossible(m: re.Match[str]) -> _Hit:
    """A date that no calendar has: kept as vague timing, flagged, so it can be named."""
    return _Hit(m.start(), m.end(), vague=True, rank=5, impossible=True)


def _exists(month: int, day: int) -> bool:
    """Whether the day exists in that month in some year (29 February counts)."""
    try:
        date(2000, month, day)
    except ValueError:
        return False
    return True


@_rule(r"\b(?P<y>20\d\d)-(?P<m>\d\d)-(?P<d>\d\d)\b")
def _iso(m: re.Match[str], today: date) -> _Hit | None:
    try:
        return _hit(m, date(int(m["y"]), int(m["m"]), int(m["d"])), rank=5)
    except ValueError:
        return _impossible(m)


@_rule(
    LEAD
    + r"(?:next\s+)?"
    + END_OF
    + r"\b"
    + MONTH
    + r"(?:\s+(?P<day>\d{1,2})(?:st|nd|rd|th)?\b)?(?:,?\s+(?P<year>20\d\d))?\b(?!\s*(?:-|to)\s*\d)"
)
def _month_date(m: re.Match[str], today: date) -> _Hit | None:
    word = m["month"].lower()
    text = m.group(0).lower()
    lead = text.split()[0] if text.split() else ""
    has_lead = lead in (
        "around",
        "about",
        "by",
        "before",
        "until",
        "till",
        "til",
        "through",
        "in",
        "on",
        "due",
        "for",
        "from",
        "of",
        "during",
        "ahead",
        "no",
        "next",
        "end",
        "the",
    )
    # "may" and "march" are also ordinary words: only with a lead-in, a day or a year.
    if word in ("may", "mar", "march", "jun", "jan", "sat", "sun") and not (
        has_lead or m["day"] or m["year"]
    ):
        return None
    month = MONTHS[word.rstrip(".")]
    if m["year"]:
        year = int(m["year"])
        if m["day"]:
            try:
                return _hit(m, date(year, month, int(m["day"])), rank=5)
            except ValueError:
                return _impossible(m)
        return _hit(m, end_of_month(year, month), rank=5)
    if m["day"]:
        if not _exists(month, int(m["day"])):
            return _impossible(m)
        deadline = _day_month(month, int(m["day"]), today)
        return _hit(m, deadline, rank=5) if deadline else None
    strictly = text.startswith("next")
    return _hit(m, _month_ahead(month, today, strictly=strictly), rank=4)


@_rule(r"\b(?P<d>\d{1,2})(?:st|nd|rd|th)?\s+" + MONTH + r"(?:,?\s+(?P<year>20\d\d))?\b")
def _day_first(m: re.Match[str], today: date) -> _Hit | None:
    month = MONTHS[m["month"].lower().rstrip(".")]
    try:
        if m["year"]:
            return _hit(m, date(int(m["year"]), month, int(m["d"])), rank=5)
    except ValueError:
        return _impossible(m)
    if not _exists(month, int(m["d"])):
        return _impossible(m)
    deadline = _day_month(month, int(m["d"]), today)
    return _hit(m, deadline, rank=5) if deadline else None


@_rule(
    LEAD
    + END_OF
    + r"\b(?:(?P<which>this|next|the)\s+)?(?:q(?P<q>[1-4])|(?P<word>quarter))\b(?:\s+(?:of\s+)?(?P<year>20\d\d))?"
)
def _quarter(m: re.Match[str], today: date) -> _Hit | None:
    current = _quarter_of(today)
    if m["q"]:
        quarter = int(m["q"])
        if m["year"]:
            return _hit(m, end_of_quarter(int(m["year"]), quarter), rank=5)
        # A quarter without a year means its next occurrence (the current one counts).
        year = today.year if quarter >= current else today.year + 1
        if m["which"] and m["which"].lower() == "next" and quarter == current:
            year += 1
        # A bare "Q3" with no "by" or "in" is usually a label ("the Q3 board memo").
        bare = re.match(r"(?:the\s+)?q", m.group(0), re.I) is not None
        return _hit(m, end_of_quarter(year, quarter), rank=1 if bare else 4)
    which = (m["which"] or "").lower()
    if which == "next":
        index = today.year * 4 + current  # zero-based index of the next quarter
        return _hit(m, end_of_quarter(index // 4, index % 4 + 1), rank=4)
    if which in ("this", "the") or "end" in m.group(0).lower():
        return _hit(m, end_of_quarter(today.year, current), rank=4)
    return None


@_rule(
    r"\b(?:by\s+|before\s+|until\s+)?(?:the\s+)?(?:eoq|eoy|eom|eow|eod|cob|eob|end\s+of\s+(?:the\s+)?(?:day|business|week|month|year))\b"
)
def _end_of_period(m: re.Match[str], today: date) -> _Hit:
    text = m.group(0).lower()
    if "eoq" in text:
        return _hit(m, end_of_quarter(today.year, _quarter_of(today)), rank=4)
    if "eoy" in text or "year" in text:
        return _hit(m, date(today.year, 12, 31), rank=4)
    if "eom" in text or "month" in text:
        return _hit(m, end_of_month(today.year, today.month), rank=4)
    if "eow" in text or "week" in text:
        return _hit(m, _weekday_ahead(4, today), rank=4)  # the working week ends Friday
    return _hit(m, today, rank=4)


@_rule(
    LEAD
    + END_OF
    + r"\b(?:(?:the\s+)?rest\s+of\s+)?(?P<which>this|next|the\s+coming)\s+(?:(?P<fiscal>fiscal|calendar|school|academic)\s+)?(?P<unit>week|month|year|semester|term|weekend)\b"
)
def _this_next(m: re.Match[str], today: date) -> _Hit:
    which, unit = m["which"].lower(), m["unit"].lower()
    later = 0 if which == "this" else 1
    if m["fiscal"] and m["fiscal"].lower() in ("school", "academic"):
        # School years run September to June.
        year = today.year + (1 if today.month >= 7 else 0) + later
        return _hit(m, date(year, 6, 30), rank=4)
    if unit == "year":
        return _hit(m, date(today.year + later, 12, 31), rank=3 if m["fiscal"] else 4)
    if unit == "month":
        month = add_months(date(today.year, today.month, 1), later)
        return _hit(m, end_of_month(month.year, month.month), rank=4)
    if unit in ("semester", "term"):
        # Autumn terms end in December, spring terms in June.
        end = date(today.year, 12, 31) if today.month >= 7 else date(today.year, 6, 30)
        return _hit(m, end if not later else add_months(end, 6), rank=4)
    if unit == "weekend":
        return _hit(m, _end_of_week(today, later), rank=4)
    return _hit(m, _end_of_week(today, later), rank=4)


@_rule(
    r"\b(?:(?:by|in|during|this|next|over|for|before|until)\s+)+(?:the\s+)?(?:(?P<next>next)\s+)?(?P<season>spring|summer|fall|autumn|winter)\b"
)
def _season(m: re.Match[str], today: date) -> _Hit:
    text = m.group(0).lower()
    return _hit(m, _season_end(m["season"].lower(), today, next_one="next" in text), rank=4)


@_rule(
    r"\b(?:(?:by|before|until|till|on|for)\s+)?(?:new\s+year'?s(?:\s+(?:eve|day))?|christmas|xmas|the\s+holidays)\b"
)
def _holiday(m: re.Match[str], today: date) -> _Hit:
    text = m.group(0).lower()
    if "new" in text:
        return _hit(m, date(today.year + 1, 1, 1), rank=4)
    day = date(today.year, 12, 25 if "christ" in text or "xmas" in text else 31)
    return _hit(m, day, rank=4)


@_rule(
    r"\b(?:(?:by|before|until|in|within|over|for|during)\s+(?:the\s+)?(?:next|coming|following)\s+|(?:within|in|by|after)\s+(?:the\s+next\s+)?)"
    + NUM
    + r"[\s-]+"
    + UNIT
    + r"\b(?P<of>\s+(?:of|after|from)\s+(?!now|today)\w+)?"
)
def _duration(m: re.Match[str], today: date) -> _Hit | None:
    if m["of"]:
        return None  # "within a week of submission": a response window, a measure
    try:
        amount = _number(m["n"].replace(" of", ""))
        if amount is None:
            return None
        deadline = _plus(today, amount, m["unit"])
    except (OverflowError, ValueError):
        # "in 999999999 years" lies past the calendar's last year (and int() refuses a
        # number of thousands of digits): no knowable date.
        return _hit(m, vague=True, rank=2)
    return _hit(m, deadline, rank=4)


@_rule(
    r"\b(?:within|in)\s+(?P<n>\d+|a|an|one|two|few|24|48)\s*(?P<unit>hours?|hrs?|h|minutes?|mins?)\b"
)
def _hours(m: re.Match[str], today: date) -> _Hit | None:
    # Per-item response windows ("answer every email within 5 minutes") are measures, not
    # timing; a one-off "within 2 hours" means today. The caller tells them apart.
    return _hit(m, today, rank=1)


@_rule(
    r"\b(?:(?:by|before|until|till|in|over)\s+(?:the\s+)?)?(?:next|coming)\s+(?:few|couple(?:\s+of)?|several)\s+(?:days|weeks|months|years)\b|\b(?:in|within)\s+(?:a\s+)?(?:few|couple(?:\s+of)?|several)\s+(?:days|weeks|months|years)\b"
)
def _fuzzy_duration(m: re.Match[str], today: date) -> _Hit:
    return _hit(m, vague=True, rank=2)


@_rule(
    r"\b(?:(?P<lead>by|before|until|till|on|due|this|next|coming)\s+)?"
    + WEEKDAY
    + r"(?P<plural>s)?\b(?:'s)?(?!\s*(?:-|to)\s*\d)"
)
def _weekday(m: re.Match[str], today: date) -> _Hit | None:
    word = m["weekday"].lower()
    lead = (m["lead"] or "").lower()
    # Short forms collide with words ("sat", "sun", "wed", "mon"): only with a lead-in.
    if len(word) <= 4 and word not in ("tues", "thur", "thurs") and not lead:
        return None
    before = m.string[max(0, m.start() - 8) : m.start()].lower()
    if not lead and re.search(r"\b(?:the|our|my|their|his|her|your|its|a)\s+$", before):
        return None  # "the Monday report", "our Friday demo": a name, not a date
    if m["plural"]:
        return _hit(m, frequency=True, rank=2)  # "take Fridays off": a weekly cadence
    deadline = _weekday_ahead(WEEKDAYS[word], today)
    if lead == "next":
        # "next Friday": the Friday of next week.
        deadline = _end_of_week(today, 1) - timedelta(days=6 - WEEKDAYS[word])
    return _hit(m, deadline, rank=4)


@_rule(r"\b(?:by\s+|before\s+|until\s+)?(?:today|tonight|this\s+(?:morning|afternoon|evening))\b")
def _today(m: re.Match[str], today: date) -> _Hit:
    return _hit(m, today, rank=4)


@_rule(r"\b(?:by\s+|before\s+|until\s+)?(?:tomorrow|tmrw|tmr)\b")
def _tomorrow(m: re.Match[str], today: date) -> _Hit:
    return _hit(m, today + timedelta(days=1), rank=4)


@_rule(r"\b(?:(?:by|before|until|at)\s+(?:the\s+)?)(?P<h>\d{1,2})(?::\d\d)?\s*(?:am|pm)\b")
def _clock(m: re.Match[str], today: date) -> _Hit:
    return _hit(m, today, rank=1)


@_rule(r"\b(?:after|past)\s+(?P<h>\d{1,2})(?::\d\d)?\s*(?:am|pm)\b")
def _daily_cutoff(m: re.Match[str], today: date) -> _Hit:
    # "no email after 7pm": a line drawn every day, so a daily cadence.
    return _hit(m, frequency=True, rank=1)


@_rule(
    r"\b(?:in|by|before|until|during|for|through)\s+(?:(?:the\s+)?end\s+of\s+)?(?P<year>20\d\d)\b(?!\s*-)"
)
def _year(m: re.Match[str], today: date) -> _Hit:
    return _hit(m, date(int(m["year"]), 12, 31), rank=4)


@_rule(
    r"\b(?:(?:by|within|over|in)\s+)?(?:the\s+)?(?:next|coming)\s+(?P<unit>week|month|year|quarter)\b"
)
def _next_unit(m: re.Match[str], today: date) -> _Hit:
    unit = m["unit"].lower()
    if unit == "quarter":
        index = today.year * 4 + _quarter_of(today)
        return _hit(m, end_of_quarter(index // 4, index % 4 + 1), rank=4)
    if unit == "week":
        return _hit(m, _end_of_week(today, 1), rank=4)
    if unit == "month":
        nxt = add_months(date(today.year, today.month, 1), 1)
        return _hit(m, end_of_month(nxt.year, nxt.month), rank=4)
    return _hit(m, date(today.year + 1, 12, 31), rank=4)


@_rule(
    r"\b(?:(?:by|before|until|in|on)\s+)?(?:the\s+)?(?:(?P<which>this|next)\s+)?(?P<unit>spring|summer|fall|autumn|winter)\s+(?P<year>20\d\d)\b"
)
def _season_year(m: re.Match[str], today: date) -> _Hit:
    season = m["unit"].lower()
    year = int(m["year"]) + (1 if season == "winter" else 0)
    return _hit(m, end_of_month(year, SEASON_END[season]), rank=5)


VAGUE_WORDS = (
    r"soon|asap|a\.s\.a\.p\.?|as\s+soon\s+as\s+possible|eventually|someday|some\s+day|one\s+day|"
    r"at\s+some\s+point|sometime(?:\s+soon)?|in\s+the\s+(?:near\s+|distant\s+)?future|"
    r"down\s+the\s+(?:road|line)|in\s+due\s+course|(?:in\s+the\s+)?long\s+(?:run|term)|"
    r"when\s+i\s+(?:can|get\s+(?:the\s+)?time|have\s+time)|forever|for\s+good|always|"
    r"later(?:\s+on)?|one\s+of\s+these\s+days|before\s+long|in\s+time"
)


@_rule(r"\b(?:" + VAGUE_WORDS + r")\b")
def _vague(m: re.Match[str], today: date) -> _Hit | None:
    word = m.group(0).lower()
    if word == "always" and not re.match(r"\s*(?:[,.;!)]|$)", m.string[m.end() :]):
        return None  # "always reply within a day" is a manner; a closing ", always" is "forever"
    return _hit(m, vague=True, rank=2)


@_rule(
    r"\b(?:before|by|until)\s+(?:i\s+(?:turn|am|'m)\s+|i'm\s+|the\s+time\s+i(?:'m|\s+am|\s+turn)\s+|my\s+|age\s+|(?=\d{2}\b))(?P<age>\d{2})(?:st|nd|rd|th)?(?:\s+birthday)?\b(?!\s*(?:%|k\b|x\b|\w))"
)
def _age(m: re.Match[str], today: date) -> _Hit | None:
    age = int(m["age"])
    if not 16 <= age <= 99:
        return None
    return _hit(m, vague=True, rank=2)


@_rule(
    r"\b(?:before|until|till|by)\s+(?:my|our|the|his|her|their)?\s*[\w' ]{0,30}?(?:birthday|wedding|trip|holiday|vacation|launch|release|retirement|anniversary|graduation|exam|move|baby|ipo)\b"
)
def _event(m: re.Match[str], today: date) -> _Hit:
    return _hit(m, vague=True, rank=2)


@_rule(
    r"\b(?:every|each)\s+(?:other\s+|single\s+|second\s+)?(?:"
    + FREQ_UNIT
    + r"|"
    + WEEKDAY
    + r")s?\b(?:\s+(?:at|from)\s+\d{1,2}(?::\d\d)?\s*(?:am|pm)?)?"
)
def _every(m: re.Match[str], today: date) -> _Hit:
    return _hit(m, frequency=True, rank=2)


@_rule(
    WEEKDAY.replace("?P<weekday>", "?:")
    + r"s?(?:\s*(?:,|&|and)\s*"
    + WEEKDAY.replace("?P<weekday>", "?:")
    + r"s?)+\b"
)
def _weekday_list(m: re.Match[str], today: date) -> _Hit:
    return _hit(m, frequency=True, rank=2)  # "Tuesday and Thursday": a weekly pattern


@_rule(
    r"\b(?:daily|weekly|fortnightly|biweekly|bi-weekly|monthly|quarterly|annually|yearly|nightly|weeknights|weekdays|weekends|mornings|evenings)\b"
)
def _adverb_freq(m: re.Match[str], today: date) -> _Hit | None:
    before = m.string[max(0, m.start() - 8) : m.start()].lower()
    after = m.string[m.end() : m.end() + 12].lower()
    # "the weekly report" names an existing thing; "weekly active users" names a metric.
    if re.search(r"\b(?:the|our|my|their|his|her|this|that|its)\s+$", before):
        return None
    if re.match(r"\s+(?:active|recurring|run[- ]rate)\b", after):
        return None
    return _hit(m, frequency=True, rank=2)


@_rule(
    r"(?:\b(?:\d+(?:\.\d+)?|once|twice|thrice|one|two|three|four|five|six|seven|a\s+few)\s*(?:x|times?|nights?|days?|mornings?|evenings?|sessions?|hours?|hrs?|h|minutes?|mins?|books?|posts?|calls?|workouts?|runs?|meetings?|steps?|k(?:\s+steps)?|saturdays?|sundays?|weekends?)?\s*(?:a|an|per|/|each|every)\s*|(?<=\d)/|\bper\s+)(?P<unit>day|week|wk|month|mo|night|morning|evening|weekday|year|quarter)\b"
)
def _rate(m: re.Match[str], today: date) -> _Hit:
    return _hit(m, frequency=True, rank=2)


@_rule(
    r"\b\d+(?:[.,]\d+)?\s?(?:k|x)?\s+(?!(?:a|an|per|each|every|by|in|on|at|to|from|for)\b)[a-z][\w'-]*"
    r"(?:\s+(?:of\s+)?(?!(?:a|an|per|each|every|by|in|on|at|to|from|for)\b)[a-z][\w'-]*){0,2}\s+"
    r"(?:a|an|per|each)\s+(?P<unit>day|week|month|night|morning|evening|weekday|quarter|year)\b"
)
def _counted_rate(m: re.Match[str], today: date) -> _Hit:
    # "2 cups of coffee a day", "5 hours of deep work a week": an amount per period.
    return _hit(m, frequency=True, rank=2)


@_rule(
    r"\b(?:starting|beginning|from|as\s+of|effective)\s+(?:(?:in|on|from|this|next)\s+)*(?:(?P<rel>tomorrow|today|monday|tuesday|wednesday|thursday|friday|saturday|sunday|week|month|year|quarter)|"
    + MONTH
    + r"(?:\s+(?P<year>20\d\d))?)\b"
)
def _starting(m: re.Match[str], today: date) -> _Hit:
    rel = (m["rel"] or "").lower()
    nxt = "next" in m.group(0).lower()
    if m["month"]:
        month = MONTHS[m["month"].lower().rstrip(".")]
        year = (
            int(m["year"])
            if m["year"]
            else (today.year if month >= today.month else today.year + 1)
        )
        begin = date(year, month, 1)
    elif rel == "tomorrow":
        begin = today + timedelta(days=1)
    elif rel in WEEKDAYS:
        weekday = WEEKDAYS[rel]
        # "next Monday" is in next week, as for deadlines; a bare "Monday" is the coming one.
        begin = (
            _end_of_week(today, 1) - timedelta(days=6 - weekday)
            if nxt
            else _weekday_ahead(weekday, today + timedelta(days=1))
        )
    elif rel == "week":
        begin = _end_of_week(today) + timedelta(days=1 if nxt else -6)
    elif rel == "month":
        begin = add_months(date(today.year, today.month, 1), 1 if nxt else 0)
    elif rel == "year":
        begin = date(today.year + (1 if nxt else 0), 1, 1)
    else:
        begin = today
    return _hit(m, starting=begin, rank=2)


@_rule(
    r"\b(?:every|each)\s+(?:"
    + NUM[len("(?P<n>") : -1]
    + r"|few|couple\s+of)\s+(?:days|weeks|months|quarters)\b"
)
def _every_n(m: re.Match[str], today: date) -> _Hit:
    # "every two weeks", "every 3 days": a cadence with its own interval.
    return _hit(m, frequency=True, rank=2)


@_rule(
    r"\b(?:a|an|one)\s+(?!(?:day|week|month|year|quarter|few|couple|lot|bit)\b)[\w:'-]+(?:\s+[\w'-]+)?\s+(?:a|an|per|each|every)\s+"
    r"(?P<unit>day|week|month|quarter|year|night|morning|evening|weekday)\b"
)
def _one_per(m: re.Match[str], today: date) -> _Hit:
    # "a chapter a month", "one 1:1 a week": one of something per period is a cadence.
    return _hit(m, frequency=True, rank=2)


@_rule(
    r"\b(?:(?:by|before|until|in|on)\s+)?(?:the\s+)?(?P<part>early|mid|late)[- ]"
    + MONTH
    + r"(?:\s+(?P<year>20\d\d))?\b"
)
def _part_of_month(m: re.Match[str], today: date) -> _Hit:
    # "mid-April": the 15th; "early March": the 10th; "late May": the month's end.
    month = MONTHS[m["month"].lower().rstrip(".")]
    end = end_of_month(int(m["year"]), month) if m["year"] else _month_ahead(month, today)
    day = {"early": 10, "mid": 15}.get(m["part"].lower(), end.day)
    return _hit(m, end.replace(day=day), rank=5)


@_rule(
    r"\bregular(?:ly)?\b|\bfrom\s+time\s+to\s+time\b|\bnow\s+and\s+then\b|\bperiodically\b|\boccasionally\b"
)
def _vague_frequency(m: re.Match[str], today: date) -> _Hit:
    return _hit(m, frequency=True, vague=True, rank=1)


# --- choosing among the hits --------------------------------------------------------------

_PER_ITEM = re.compile(
    r"\b(?:every|each|all|any)\b(?!\s+(?:day|week|month|morning|night|weekday))", re.I
)
_JOIN = re.compile(
    r"^[\s,;:-]*(?:until|till|through|thru|for|from|starting|beginning|and|in|during|over|on)?[\s,;:-]*$",
    re.I,
)


def _collect(text: str, today: date) -> list[_Hit]:
    hits: list[_Hit] = []
    for pattern, handler in _RULES:
        for m in pattern.finditer(text):
            hit = handler(m, today)
            if hit is not None:
                hits.append(hit)
    # Drop hits inside a longer one: "Q1" in "end of Q1 2027", "Monday" in "every Monday".
    hits.sort(key=lambda h: (h.start, -(h.end - h.start)))
    kept: list[_Hit] = []
    for hit in hits:
        if not any(k.start <= hit.start and hit.end <= k.end for k in kept):
            kept.append(hit)
    return kept


def _sla(text: str, hit: _Hit) -> bool:
    """A 'within 5 minutes' that applies to every item is a measure, not a time frame."""
    return hit.rank == 1 and not hit.frequency and bool(_PER_ITEM.search(text[: hit.start]))


def find_when(text: str, today: date) -> When | None:
    """Find what the text says about when, resolved against `today`; None if nothing.

    The best timing wins: an exact date or period over a cadence, a cadence over vague
    words. A cadence next to its deadline ("every Monday until June") is one phrase.
    """
    hits = [h for h in _collect(text, today) if not _sla(text, h)]
    if not hits:
        return None
    dated = [h for h in hits if h.deadline is not None and not h.vague]
    freqs = [h for h in hits if h.frequency and not h.vague]
    starts = [h for h in hits if h.starting is not None]
    vague = [h for h in hits if h.vague]
    primary: _Hit | None = None
    if dated:
        primary = max(dated, key=lambda h: (h.rank, -h.start))
    # The most explicit cadence: "every Friday at 4pm" over the adjective "weekly".
    freq = max(freqs, key=lambda h: (h.end - h.start, -h.start)) if freqs else None
    start = starts[0] if starts else None

    if primary is None and freq is None and start is None:
        first = min(vague, key=lambda h: (-h.rank, h.start))
        words = text[first.start : first.end].strip()
        frequency = words if first.frequency else None
        return When(deadline=None, phrase=words, frequency=frequency, vague=True, past=False,
                    impossible=first.impossible)

    parts = [h for h in (primary, freq, start) if h is not None]
    lo, hi = _span(text, parts)
    deadline = primary.deadline if primary else None
    return When(
        deadline=deadline,
        phrase=text[lo:hi].strip(" ,;:-("),
        frequency=text[freq.start : freq.end].strip() if freq else None,
        vague=False,
        past=deadline is not None and deadline < today,
        start=start.starting if start else None,
    )


def _span(text: str, parts: list[_Hit]) -> tuple[int, int]:
    """One span for hits that sit side by side, else the most telling hit's own span."""
    parts = sorted(parts, key=lambda h: h.start)
    groups: list[list[_Hit]] = [[parts[0]]]
    for hit in parts[1:]:
        gap = text[groups[-1][-1].end : hit.start]
        if hit.start <= groups[-1][-1].end or _JOIN.match(gap):
            groups[-1].append(hit)
        else:
            groups.append([hit])
    best = max(groups, key=lambda g: (max(h.rank for h in g), len(g)))
    return min(h.start for h in best), max(h.end for h in best)
