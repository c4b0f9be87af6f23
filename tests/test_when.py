"""Time expressions, resolved against a fixed today (Sunday 2026-11-22)."""

from __future__ import annotations

from datetime import date

import pytest

from agent.when import add_months, end_of_quarter, find_when


@pytest.mark.parametrize(
    ("text", "deadline"),
    [
        ("ship the pricing page by the end of next quarter", date(2027, 3, 31)),
        ("close the books within 30 days", date(2026, 12, 22)),
        ("migrate billing by Q4 2027", date(2027, 12, 31)),
        ("launch the beta by Q2", date(2027, 6, 30)),  # a quarter without a year: the next one
        ("hire a designer by eoq", date(2026, 12, 31)),  # the current quarter is still running
        ("tidy the backlog this quarter", date(2026, 12, 31)),
        ("send the memo by Friday", date(2026, 11, 27)),
        ("fix it by EOD", date(2026, 11, 22)),
        ("call the bank tomorrow", date(2026, 11, 23)),
        ("write 20 essays in 2027", date(2027, 12, 31)),
        ("open the store by June 30", date(2027, 6, 30)),  # a day-month long past rolls forward
        ("finish the deck by March", date(2027, 3, 31)),
        ("repaint the fence next summer", date(2027, 8, 31)),
        ("plant tulips this spring", date(2027, 5, 31)),
        ("learn to knit over the next six months", date(2027, 5, 22)),
        ("file the patent by 2026-12-04", date(2026, 12, 4)),
        ("present at the summit on 14 March 2027", date(2027, 3, 14)),
        ("wrap up the audit before the end of the year", date(2026, 12, 31)),
        ("sell the flat by the end of 2027", date(2027, 12, 31)),
    ],
)
def test_deadlines_resolve_against_today(text, deadline, today):
    when = find_when(text, today)
    assert when is not None
    assert when.deadline == deadline
    assert not when.vague and not when.past
    assert when.phrase in text


def test_a_cadence_with_an_end_is_one_phrase(today):
    when = find_when("post a sketch every Monday until June", today)
    assert when.phrase == "every Monday until June"
    assert when.frequency == "every Monday"
    assert when.deadline == date(2027, 6, 30)


@pytest.mark.parametrize(
    "text",
    [
        "swim 3x a week",
        "call grandma twice a month",
        "read aloud every school day",
        "lift weights on Tuesdays and Thursdays",
        "journal daily",
        "bike to work 4 days a week",
        "no laptop after 8pm",
    ],
)
def test_cadences_are_schedules(text, today):
    when = find_when(text, today)
    assert when is not None and when.frequency
    assert not when.vague
    assert when.frequency in text


@pytest.mark.parametrize(
    "text",
    [
        "fix the roof soon",
        "learn Italian someday",
        "clean the garage ASAP",
        "write a memoir before my 50th",
        "reorganize the wiki over the next few months",
        "visit Peru eventually",
        "be debt-free by 45",
        "sort the attic before our move",
    ],
)
def test_vague_timing_is_flagged_not_dated(text, today):
    when = find_when(text, today)
    assert when is not None and when.vague
    assert when.deadline is None
    assert when.phrase in text


@pytest.mark.parametrize(
    "text",
    [
        "answer every ticket within 10 minutes",  # a per-item window is a measure
        "give each author notes within a week of each draft",
        "book a 30-min call with the vendor",
        "my best 10k is 0:52",
        "worry all the time",
        "automate the weekly status report",
        "grow weekly active users",
        "be a better cook",
    ],
)
def test_words_that_are_not_timing(text, today):
    assert find_when(text, today) is None


def test_a_deadline_already_past(today):
    when = find_when("submit the grant by March 2025", today)
    assert when.past and when.deadline == date(2025, 3, 31)


def test_a_recently_missed_day_stays_in_this_year():
    when = find_when("mail the cards by December 15", date(2026, 12, 20))
    assert when.deadline == date(2026, 12, 15) and when.past


def test_the_same_words_on_another_day():
    assert not find_when("print the zine by march 2025", date(2025, 1, 10)).past


def test_next_weekday_means_next_week(today):
    assert find_when("lose the keys by next Friday", today).deadline == date(2026, 11, 27)
    assert find_when("pay rent by Friday", date(2026, 12, 28)).deadline == date(2027, 1, 1)


def test_a_label_quarter_does_not_hide_the_deadline(today):
    when = find_when("review the Q3 numbers by EOD", today)
    assert when.deadline == today and when.phrase == "by EOD"


def test_age_with_a_known_date_is_a_deadline(today):
    when = find_when("hike Kilimanjaro before my 50th birthday next October", today)
    assert when.deadline == date(2027, 10, 31) and not when.vague


def test_start_dates_count_as_timing(today):
    when = find_when("swim 2 mornings a week starting next Monday", today)
    assert when.frequency == "2 mornings a week"
    assert when.start is not None and when.start > today


def test_calendar_helpers():
    assert add_months(date(2027, 1, 31), 1) == date(2027, 2, 28)
    assert add_months(date(2026, 11, 22), 14) == date(2028, 1, 22)
    assert end_of_quarter(2027, 1) == date(2027, 3, 31)


def test_nothing_to_find(today):
    assert find_when("", today) is None
    assert find_when("adopt a cat", today) is None


@pytest.mark.parametrize(
    ("text", "frequency"),
    [
        ("hold 1:1s every two weeks", "every two weeks"),
        ("water the orchids every 3 days", "every 3 days"),
        ("write a book, a chapter a month", "a chapter a month"),
        ("hold one 1:1 a week with each report", "one 1:1 a week"),
        ("drink 2 cups of coffee a day", "2 cups of coffee a day"),
        ("cut 5 hours of meetings a week", "5 hours of meetings a week"),
    ],
)
def test_answers_give_cadences_in_many_shapes(text, frequency, today):
    when = find_when(text, today)
    assert when is not None and when.frequency == frequency and not when.vague


@pytest.mark.parametrize(
    ("text", "deadline"),
    [
        ("ship it by mid-April", date(2027, 4, 15)),
        ("file it early March", date(2027, 3, 10)),
        ("finish by late May 2027", date(2027, 5, 31)),
        ("run a 10k around March", date(2027, 3, 31)),
        ("write my memoir by end of 2028", date(2028, 12, 31)),
    ],
)
def test_loose_but_datable_deadlines(text, deadline, today):
    when = find_when(text, today)
    assert when is not None and when.deadline == deadline and not when.vague


def test_a_day_a_week_is_not_read_as_one_of_something(today):
    # "a day" is the period itself, not a counted thing per period.
    assert find_when("take a day off", today) is None


@pytest.mark.parametrize(
    "text", ["retire in 999999999 years", "finish in " + "9" * 5000 + " days"]
)
def test_a_duration_past_the_calendar_is_vague_not_an_error(text, today):
    # Found by tests/test_properties.py: date arithmetic overflowed (year 1000001999), and
    # int() refuses a number of more than 4,300 digits.
    when = find_when(text, today)
    assert when is not None and when.vague and when.deadline is None


@pytest.mark.parametrize("text", ["by 2026-02-30", "by April 31", "on 31 April 2027", "by February 30, 2027",
                                  "2026-13-45"])
def test_a_date_that_does_not_exist_is_flagged_not_dropped(text):
    when = find_when(text, date(2026, 11, 22))
    assert when is not None and when.impossible and when.deadline is None


def test_a_real_date_is_not_flagged():
    for text in ("by 2028-02-29", "by February 29", "by April 30"):
        when = find_when(text, date(2026, 11, 22))
        assert not when.impossible


@pytest.mark.parametrize(("today", "expected"), [
    (date(2026, 1, 10), date(2026, 2, 28)),   # no leap day ahead: the end of the coming February
    (date(2026, 11, 22), date(2027, 2, 28)),
    (date(2027, 3, 1), date(2028, 2, 29)),    # the next one is within a year
])
def test_29_february_means_the_coming_february(today, expected):
    assert find_when("by 29 February", today).deadline == expected
