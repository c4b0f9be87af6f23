"""The app's bad-input table: every page's input widgets fed what people paste by mistake.

Driven headlessly with Streamlit's AppTest on the offline provider. Each row is one bad
input for one widget, and each must:
- leave one line in the page that says what was wrong (`st.error`/`st.warning`/`st.info`,
  or the coach's reply in the chat), with no exception;
- leave the saved records as they were (unless the input was acceptable, e.g. odd but
  harmless Unicode, which is saved cleaned);
- leave the page working: a good input right after succeeds.

Pages (agent.ui.pages.PAGES) and their widgets: the sidebar's profile form and its
provider line; Chat (the message box); Goals (the check-in form); Vision (the draft form,
a draft's "Use as my vision"); Decisions (the framing form, the matrix); Priorities (the
task list); Guidance (the question box, the document uploader); Export (no inputs: it
must show whatever the store holds). Sliders and date pickers are bounded by Streamlit
itself, which puts a forged out-of-range value back to the widget's default before the
page sees it; the rows for them pin that nothing out of range reaches a record.

Cases tests/test_app.py already covers are not repeated here: a hostile or over-long chat
message, a score of 9 in the matrix, a binary upload, an empty task list, an exception
inside a page, and the sidebar's offline line and custom-endpoint line.
"""

from __future__ import annotations

import json
import re
import shutil
from datetime import date, timedelta

import pytest
from streamlit.testing.v1 import AppTest
from test_app import critique, make_app, no_failures, open_page, say, store, texts, two_way_decision

from agent.decision import evaluate
from agent.errors import UserError
from agent.records import Profile, VisionDraft
from agent.ui import actions, pages, state, tables

BIG = "x" * 200_000
"""200 KB pasted into a box: refused with its size, never cut short without a word."""

ODD = "\u202eRun 5k by June\u200f \x1b[31mwith my club\x1b[0m 👩‍💻"
"""A right-to-left override and mark, an escape code and a ZWJ emoji: shown, never obeyed."""

WEIGHT = tables.WEIGHT_COLUMN


# --- helpers ----------------------------------------------------------------------------------


def page(today: date, title: str) -> AppTest:
    """The app opened straight on one page (one run, not the chat first)."""
    at = make_app(today)
    at.session_state[state.GOTO] = title
    return at.run()


def saved() -> list[str]:
    """Every saved record (the profile included) as JSON, in a stable order."""
    return sorted(r.model_dump_json() for r in store().list())


def messages(at: AppTest) -> list[str]:
    """The page's one-line notes (errors, warnings, infos), sidebar included, as they read
    once Markdown has dropped the escapes that keep a person's text from being markup."""
    return [m.replace("\\", "") for m in texts(at.error) + texts(at.warning) + texts(at.info)]


def says_once(at: AppTest, expected: str) -> str:
    """The single note that contains `expected`; it is one line, and nothing was raised."""
    assert not at.exception, [e.value for e in at.exception]
    hits = [m for m in messages(at) if expected in m]
    assert len(hits) == 1, messages(at)
    assert "\n" not in hits[0]
    return hits[0]


def box(at: AppTest, label: str, where=None):
    """The text input or text area whose label starts with `label`."""
    where = where if where is not None else at.main
    return next(w for w in [*where.text_input, *where.text_area] if w.label.startswith(label))


def press(at: AppTest, label: str, where=None) -> AppTest:
    where = where if where is not None else at.main
    next(b for b in where.button if b.label == label).click()
    return at.run()


def last_reply(at: AppTest) -> str:
    return at.chat_message[-1].markdown[0].value


def clean_of_controls(text: str) -> bool:
    """No right-to-left override or mark, and no escape character, survived."""
    return not any(ch in text for ch in "\u202e\u200f\x1b\x00")


# --- the sidebar: values and vision -----------------------------------------------------------


@pytest.mark.parametrize("values, vision, expected", [
    (BIG, "", "the list of values is too long (200,000 characters"),
    ("integrity", BIG, "the vision is too long (200,000 characters"),
    ("integ\x00rity", "", "the list of values is not text (it contains NUL bytes)"),
    ("integrity", "Lead\x00 well", "the vision is not text (it contains NUL bytes)"),
    (", ".join(f"value {i}" for i in range(31)), "", "too many values (31; the limit is 30)"),
    ("z" * 500, "", "the value is too long (500 characters"),
], ids=["values-200KB", "vision-200KB", "values-NUL", "vision-NUL", "31-values", "one-long-value"])
def test_a_bad_profile_is_one_line_in_the_sidebar_and_saves_nothing(today, values, vision, expected):
    store().save_profile(Profile(values=["curiosity"], vision="Lead with care."))
    before = saved()
    at = make_app(today).run()
    box(at, "Values", at.sidebar).set_value(values)
    box(at, "Vision", at.sidebar).set_value(vision)
    press(at, "Save", at.sidebar)
    line = says_once(at, expected)
    assert texts(at.sidebar.error) == [line]  # shown where the form is
    assert saved() == before

    box(at, "Values", at.sidebar).set_value("integrity, family")
    box(at, "Vision", at.sidebar).set_value("Be home for dinner.")
    press(at, "Save", at.sidebar)
    no_failures(at)
    assert store().profile().values == ["integrity", "family"]


def test_blank_profile_boxes_forget_the_values_and_vision(today):
    store().save_profile(Profile(values=["curiosity"], vision="Lead with care."))
    at = make_app(today).run()
    box(at, "Values", at.sidebar).set_value("  \n ")
    box(at, "Vision", at.sidebar).set_value(" \t ")
    press(at, "Save", at.sidebar)
    no_failures(at)
    assert (store().profile().values, store().profile().vision) == ([], None)  # as the form says


def test_odd_unicode_in_the_profile_is_saved_cleaned(today):
    at = make_app(today).run()
    box(at, "Values", at.sidebar).set_value("\u202eintegrity\u200f, family 👩‍👩‍👧")
    box(at, "Vision", at.sidebar).set_value(ODD)
    press(at, "Save", at.sidebar)
    no_failures(at)
    profile = store().profile()
    assert profile.values[0] == "integrity" and profile.values[1].startswith("family 👩")
    assert profile.vision.startswith("Run 5k by June") and clean_of_controls(profile.vision)


# --- the sidebar: where your words go ---------------------------------------------------------


def sidebar_text(at: AppTest) -> str:
    return " ".join(texts(at.sidebar.markdown) + texts(at.sidebar.caption)).replace("\\", "")


def test_with_only_an_openai_key_the_sidebar_names_openai_and_never_the_key(today, monkeypatch):
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test-not-a-real-key")
    at = make_app(today).run()
    no_failures(at)
    shown = sidebar_text(at)
    assert "Your messages go to gpt-4o-mini at api.openai.com" in shown
    assert "sk-test" not in shown and "offline" not in shown


def test_a_local_endpoint_from_openai_base_url_is_named_by_its_host(today, monkeypatch):
    monkeypatch.setenv("OPENAI_BASE_URL", "http://localhost:11434/v1")
    monkeypatch.setenv("OPENAI_API_KEY", "ollama-secret-key")
    monkeypatch.setenv("ALIGN_MODEL", "llama3.1")
    at = make_app(today).run()
    no_failures(at)
    shown = sidebar_text(at)
    assert "Your messages go to llama3.1 at http://localhost:11434/v1" in shown
    assert "ollama-secret-key" not in shown


def test_a_password_in_the_endpoint_url_is_not_shown(today, monkeypatch):
    monkeypatch.setenv("OPENAI_BASE_URL", "http://me:hunter2@localhost:11434/v1")
    monkeypatch.setenv("OPENAI_API_KEY", "ollama")
    at = make_app(today).run()
    shown = sidebar_text(at)
    assert "localhost:11434" in shown
    assert "hunter2" not in shown


def test_a_bad_setting_is_one_line_in_the_sidebar_not_a_crash(today, monkeypatch):
    monkeypatch.setenv("ALIGN_PROVIDER", "skynet")
    at = make_app(today).run()
    line = says_once(at, "bad setting provider")
    assert texts(at.sidebar.error) == [line] and "'offline' or 'openai'" in line


# --- chat -------------------------------------------------------------------------------------

DECISION = "Should I take the regional director role or stay in my current job?"
GOAL = "My goal is to run 5k by June"


@pytest.mark.parametrize("setup, message, expected", [
    ((), "  \n\t  ", "the message is empty"),
    ((), "plan\x00ahead", "the message is not text (it contains NUL bytes)"),
    ((DECISION,), "9", "9 is outside the scale"),
    ((DECISION,), "-3", "-3 is outside the scale"),
    ((GOAL,), "check in: 150% done", "150% is more than done"),
], ids=["whitespace", "NUL", "score-9", "score-minus-3", "progress-150"])
def test_a_bad_chat_message_gets_a_one_line_reply_and_changes_nothing(today, setup, message, expected):
    at = make_app(today).run()
    for line in setup:
        say(at, line)
    before = saved()
    say(at, message)
    no_failures(at)
    assert expected in last_reply(at).splitlines()[0]
    assert saved() == before

    say(at, "My goal is to finish the board deck by Friday")
    no_failures(at)
    assert any("board deck" in g.text for g in store().goals())


def test_odd_unicode_in_a_chat_message_is_shown_not_obeyed(today):
    at = make_app(today).run()
    say(at, "My goal is to " + ODD)
    no_failures(at)
    goal = store().goals()[0]
    assert goal.text.lower().startswith("run 5k by june")
    assert clean_of_controls(goal.text)
    assert all(clean_of_controls(m) for m in texts(at.main.markdown))


def test_an_impossible_date_in_a_goal_is_named_as_bad(today):
    at = make_app(today).run()
    say(at, "My goal is to run 5k by 2026-02-30")
    no_failures(at)
    critique_record = store().list("smart_critique")[0]
    assert "2026-02-30" in critique_record.criteria.time_bound.feedback


# --- goals: the check-in form -----------------------------------------------------------------


def goals_page_with_a_goal(today):
    goal = store().start_goal(critique("Run 5k by June"))
    return goal, page(today, "Goals")


@pytest.mark.parametrize("note, expected", [
    (BIG, "the note is too long (200,000 characters"),
    ("ran\x00twice", "the note is not text (it contains NUL bytes)"),
], ids=["note-200KB", "note-NUL"])
def test_a_bad_check_in_note_is_one_line_and_saves_nothing(today, note, expected):
    goal, at = goals_page_with_a_goal(today)
    before = saved()
    at.text_input(key=f"note-{goal.id}").set_value(note)
    press(at, "Save check-in")
    says_once(at, expected)
    assert saved() == before

    at.slider(key=f"pr-{goal.id}").set_value(20)
    at.text_input(key=f"note-{goal.id}").set_value("two runs")
    press(at, "Save check-in")
    no_failures(at)
    assert [(c.progress, c.note) for c in store().get(goal.id).check_ins] == [(20, "two runs")]


def test_an_odd_unicode_note_is_saved_cleaned(today):
    goal, at = goals_page_with_a_goal(today)
    at.text_input(key=f"note-{goal.id}").set_value(ODD)
    press(at, "Save check-in")
    no_failures(at)
    note = store().get(goal.id).check_ins[0].note
    assert note.startswith("Run 5k by June") and clean_of_controls(note)


def test_a_forged_progress_or_date_never_reaches_a_record(today):
    goal, at = goals_page_with_a_goal(today)
    at.slider(key=f"pr-{goal.id}").set_value(150)
    at.date_input(key=f"on-{goal.id}").set_value(today + timedelta(days=400))
    press(at, "Save check-in")
    assert not at.exception
    # Streamlit put both widgets back to their defaults before the page saw them.
    assert [(c.on, c.progress) for c in store().get(goal.id).check_ins] == [(today, 0)]


@pytest.mark.parametrize("progress, on, expected", [
    (150, None, "progress runs from 0 to 100% (150% is outside it)"),
    (-5, None, "progress runs from 0 to 100% (-5% is outside it)"),
    (10, date(2027, 1, 1), "2027-01-01 is still ahead"),
])
def test_the_check_in_action_refuses_what_the_widgets_should_have_stopped(today, progress, on, expected):
    goal = store().start_goal(critique("Run 5k by June"))
    with pytest.raises(UserError, match=re.escape(expected)):
        actions.add_check_in(store(), goal.id, on or today, progress, "", today)
    assert store().get(goal.id).check_ins == []


def test_a_goal_deleted_elsewhere_drops_its_check_in_with_a_warning(today):
    other = store().start_goal(critique("Read a book a month"))
    goal, at = goals_page_with_a_goal(today)
    at.text_input(key=f"note-{goal.id}").set_value("two runs")
    store().delete(goal.id)  # `align records delete` in another terminal, between reruns
    before = saved()
    press(at, "Save check-in")  # the first form is the newest goal's: the deleted one
    says_once(at, "A goal was deleted elsewhere")
    assert "Run 5k by June" in says_once(at, "deleted elsewhere")
    assert saved() == before

    at.text_input(key=f"note-{other.id}").set_value("finished one")
    press(at, "Save check-in")
    no_failures(at)
    assert [c.note for c in store().get(other.id).check_ins] == ["finished one"]
    assert not at.warning  # said once, not on every run after


# --- vision: the draft form and the drafts ----------------------------------------------------


@pytest.mark.parametrize("values, aspiration, expected", [
    (" ,  , ", "", "name at least one value to draft a vision from"),
    (BIG, "", "the list of values is too long (200,000 characters"),
    ("integrity", BIG, "the aspiration is too long (200,000 characters"),
    ("integrity", "grow\x00", "the aspiration is not text (it contains NUL bytes)"),
    ("<b>integrity</b>", "", "the value '<b>integrity</b>' has a character a value does not need ('<')"),
], ids=["blank-values", "values-200KB", "aspiration-200KB", "aspiration-NUL", "markup"])
def test_a_bad_vision_draft_is_one_line_and_saves_nothing(today, values, aspiration, expected):
    at = page(today, "Vision")
    before = saved()
    box(at, "Values").set_value(values)
    box(at, "What you hope").set_value(aspiration)
    press(at, "Draft")
    says_once(at, expected)
    assert saved() == before

    box(at, "Values").set_value("integrity, family")
    box(at, "What you hope").set_value("")
    press(at, "Draft")
    no_failures(at)
    assert [d.values for d in store().list("vision_draft")] == [["integrity", "family"]]


def test_a_draft_deleted_elsewhere_is_not_chosen_and_the_page_says_so(today):
    draft = store().save(VisionDraft(values=["integrity"], statement="Lead with integrity.",
                                     alternatives=["Act with integrity."]))
    at = page(today, "Vision")
    store().delete(draft.id)
    before = saved()
    at.button(key=f"vd-{draft.id}-choose").click()
    at.run()
    says_once(at, "A vision draft was deleted elsewhere")
    assert saved() == before and store().profile().vision is None


# --- decisions: the framing form and the matrix -----------------------------------------------


@pytest.mark.parametrize("question, options, criteria, expected", [
    ("   ", "Go\nStay", "", "the question is empty"),
    ("Go or stay?", "Go", "", "give at least two options to weigh"),
    ("Go or stay?", BIG, "", "the list of options is too long (200,000 characters"),
    ("Go\x00 or stay?", "Go\nStay", "", "the question is not text (it contains NUL bytes)"),
    ("Go or stay?", "Go\nStay", "growth = inf", "bad criterion 'growth = inf'"),
], ids=["blank-question", "one-option", "options-200KB", "question-NUL", "weight-inf"])
def test_a_badly_framed_decision_is_one_line_and_saves_nothing(today, question, options, criteria, expected):
    at = page(today, "Decisions")
    before = saved()
    box(at, "The decision").set_value(question)
    box(at, "Options").set_value(options)
    box(at, "What matters").set_value(criteria)
    press(at, "Build the matrix")
    says_once(at, expected)
    assert saved() == before

    box(at, "The decision").set_value("Go or stay?")
    box(at, "Options").set_value("Go\nStay")
    box(at, "What matters").set_value("growth = 2")
    press(at, "Build the matrix")
    no_failures(at)
    assert [d.options for d in store().list("decision")] == [["Go", "Stay"]]


def test_a_decision_framed_in_odd_unicode_is_saved_cleaned(today):
    at = page(today, "Decisions")
    box(at, "The decision").set_value("\u202eGo or stay?\x1b[0m")
    box(at, "Options").set_value("Go 👩‍💻\nStay\u200f")
    press(at, "Build the matrix")
    no_failures(at)
    decision = store().list("decision")[0]
    assert decision.question.startswith("Go or stay?") and clean_of_controls(decision.question)
    assert decision.options[1] == "Stay" and all(clean_of_controls(o) for o in decision.options)


@pytest.mark.parametrize("edit, expected", [
    ({1: {WEIGHT: float("inf")}}, "the weight of 'family time' must be a finite number"),
    # Streamlit empties a score cell it cannot read as a whole number; the page counts it as
    # unscored (a 2.5 it cuts to 2 itself, so `apply_frame` is tested for that directly below).
    ({0: {"Stay": "lots"}}, "1 score(s) still to give"),
], ids=["weight-inf", "score-words"])
def test_a_bad_cell_in_the_matrix_is_one_line_and_saves_nothing(today, edit, expected):
    decision = store().save(evaluate(two_way_decision()))
    at = page(today, "Decisions")
    before = saved()
    at.session_state[f"dec-{decision.id}-matrix"] = {"edited_rows": edit, "added_rows": [], "deleted_rows": []}
    at.run()
    says_once(at, expected)
    assert saved() == before

    at.session_state[f"dec-{decision.id}-matrix"] = {
        "edited_rows": {1: {WEIGHT: 3.0}}, "added_rows": [], "deleted_rows": []}
    at.run()
    press(at, "Save this matrix")
    no_failures(at)
    assert store().get(decision.id).criteria[1].weight == 3.0


@pytest.mark.parametrize("row, col, value, expected", [
    (0, 2, 2.5, "scores are whole numbers ('Stay' on 'growth' is 2.5)"),
    (1, 0, float("nan"), None),  # an emptied weight keeps the old one
    (1, 0, float("-inf"), "the weight of 'family time' must be a finite number"),
])
def test_the_matrix_reader_refuses_what_the_editor_should_have_stopped(row, col, value, expected):
    decision = two_way_decision()
    frame = tables.decision_frame(decision).astype(object)
    frame.iat[row, col] = value
    if expected is None:
        assert tables.apply_frame(decision, frame).criteria == decision.criteria
    else:
        with pytest.raises(UserError) as caught:
            tables.apply_frame(decision, frame)
        assert str(caught.value) == expected


def test_a_decision_deleted_elsewhere_drops_its_edits_with_a_warning(today):
    kept = store().save(evaluate(two_way_decision().model_copy(update={"question": "Hire or wait?"})))
    doomed = store().save(evaluate(two_way_decision()))
    at = page(today, "Decisions")
    assert at.selectbox[0].value == doomed.id  # the newest is shown first
    at.session_state[f"dec-{doomed.id}-matrix"] = {
        "edited_rows": {1: {WEIGHT: 3.0}}, "added_rows": [], "deleted_rows": []}
    at.run()
    store().delete(doomed.id)
    before = saved()
    press(at, "Save this matrix")
    assert "Take the regional role or stay?" in says_once(at, "A decision was deleted elsewhere")
    assert saved() == before

    assert at.selectbox[0].value == kept.id
    press(at, "Save this matrix")
    no_failures(at)
    assert not at.warning


# --- priorities: the task list ----------------------------------------------------------------


@pytest.mark.parametrize("tasks, expected", [
    (BIG, "the task list is too long (200,000 characters"),
    ("Finish the deck\x00", "the task list is not text (it contains NUL bytes)"),
], ids=["200KB", "NUL"])
def test_a_bad_task_list_is_one_line_and_sorts_nothing(today, tasks, expected):
    at = page(today, "Priorities")
    box(at, "Your tasks").set_value(tasks)
    press(at, "Sort them")
    says_once(at, expected)
    assert not [m for m in texts(at.main.markdown) if "align-quad" in m]

    box(at, "Your tasks").set_value("Finish the board deck due tomorrow\n" + ODD)
    press(at, "Sort them")
    no_failures(at)
    quadrants = " ".join(m for m in texts(at.main.markdown) if "align-quad" in m)
    assert "Finish the board deck due tomorrow" in quadrants and clean_of_controls(quadrants)


# --- guidance: the question box and the uploader ----------------------------------------------


@pytest.fixture(scope="module")
def shared_home(tmp_path_factory):
    """One data directory for the Guidance rows: its index is built once, not per row."""
    return tmp_path_factory.mktemp("guidance") / "align-home"


@pytest.fixture
def guidance(shared_home, monkeypatch, today) -> AppTest:
    monkeypatch.setenv("ALIGN_HOME", str(shared_home))
    return page(today, "Guidance")


@pytest.mark.parametrize("question, expected", [
    ("  \t ", "the question is empty"),
    (BIG, "the question is too long (200,000 characters"),
    ("how\x00 to delegate", "the question is not text (it contains NUL bytes)"),
], ids=["whitespace", "200KB", "NUL"])
def test_a_bad_question_to_the_library_is_one_line(guidance, question, expected):
    at = guidance
    box(at, "Ask the library").set_value(question)
    press(at, "Search")
    says_once(at, expected)
    assert not at.main.expander  # no passages

    box(at, "Ask the library").set_value("\u202eHow do I \x1b[1mdelegate 👩‍💻?\u200f")
    press(at, "Search")
    no_failures(at)
    assert at.main.expander  # passages found
    assert all(clean_of_controls(m) for m in texts(at.main.markdown))


PDF_TEXT = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"
"""Starts like a PDF, but has no pages: caught when it is indexed, not before."""


def listed(at: AppTest) -> set[str]:
    """The names in the "In your library" list of indexed documents."""
    return {line[2:] for m in texts(at.main.markdown) if m.startswith("- ") for line in m.splitlines()}


@pytest.mark.parametrize("name, data, expected", [
    ("lone.md", b"# Notes\n\n\xed\xa0\x80 half a character", "lone.md is not UTF-8 text"),
    ("blank.txt", b"  \n\n\t ", "blank.txt is empty"),
    ("huge.txt", b"a" * (actions.MAX_UPLOAD_BYTES + 1), "huge.txt is too large (5,000,001 bytes"),
    ("setup.exe", b"MZ\x90\x00", "setup.exe: Align reads Markdown, plain text and PDF files"),
    ("report.pdf", b"Quarterly report, definitely a PDF.", "report.pdf is not a PDF"),
    ("hollow.pdf", PDF_TEXT, "hollow.pdf was not added: document hollow.pdf"),
    ("\u202edm.exe", b"# Notes\n\nplain words", "dm.exe: Align reads"),
], ids=["lone-surrogate", "whitespace", "over-5MB", "wrong-extension", "fake-pdf", "pdf-without-text",
        "rtl-override-name"])
def test_a_bad_upload_is_one_line_and_leaves_nothing_behind(guidance, shared_home, name, data, expected):
    at = guidance
    before = listed(at)
    at.file_uploader[0].set_value((name, data, "application/octet-stream"))
    at.run()
    press(at, "Add to the library")
    line = says_once(at, expected)
    assert "\u202e" not in line  # a file name cannot turn the message around
    assert str(shared_home) not in line  # the file's name, not where Align keeps it
    assert not (shared_home / "documents" / actions.safe_file_name(name)).exists()

    at.file_uploader[0].set_value(("meetings.md", b"# Meetings\n\n" + b"No meetings on Fridays, "
                                   b"so people get a day of deep work. " * 6, "text/markdown"))
    at.run()
    press(at, "Add to the library")
    no_failures(at)
    assert listed(at) == before | {"meetings.md"}  # and not the refused file


def test_one_bad_file_among_good_ones_writes_none_of_them(guidance, shared_home):
    at = guidance
    at.file_uploader[0].set_value([("good-one.md", b"# Good\n\nFine words here.", "text/markdown"),
                                   ("bad-one.txt", b"\xff\xfe\xfd", "text/plain")])
    at.run()
    press(at, "Add to the library")
    says_once(at, "bad-one.txt is not UTF-8 text")
    assert not (shared_home / "documents" / "good-one.md").exists()


# --- every page, over records no page can show as they are ------------------------------------


def spy_on_downloads(monkeypatch) -> dict[str, str]:
    """What each download button offers, by label (AppTest does not expose the bytes)."""
    from streamlit.delta_generator import DeltaGenerator

    offered: dict[str, str] = {}
    real = DeltaGenerator.download_button

    def spy(self, label, data, *args, **kwargs):
        offered[label] = data
        return real(self, label, data, *args, **kwargs)

    monkeypatch.setattr(DeltaGenerator, "download_button", spy)
    return offered


def test_records_holding_bytes_that_were_not_utf8_show_on_every_page_and_export_exactly(today, monkeypatch):
    # The store keeps lone surrogates (text from files that were not UTF-8) exactly; the app
    # shows them as U+FFFD instead of failing on every page that lists such a record.
    bad = "Run \udce9 5k"
    s = store()
    s.start_goal(critique(bad))
    s.save(evaluate(two_way_decision().model_copy(update={
        "question": bad, "options": [bad, "Stay"],
        "scores": {bad: {"growth": 5, "family time": 2}, "Stay": {"growth": 2, "family time": 4}}})))
    s.save(VisionDraft(values=["integrity"], statement=bad, alternatives=[bad + "!"]))
    s.save_profile(Profile(values=["integrity", bad], vision=bad))
    downloads = spy_on_downloads(monkeypatch)
    at = make_app(today).run()
    no_failures(at)
    for title, *_ in pages.PAGES:
        if title == "Guidance":
            continue  # holds no saved records; its index is exercised above
        at = open_page(at, title)
        no_failures(at)
    assert "Run \ufffd 5k" in sidebar_text(at)
    assert any("Run \ufffd 5k" in m for m in texts(at.main.markdown))  # the plan's preview
    data = downloads["Download everything (JSON)"]
    assert "\\udce9" in data  # kept as an escape, so the export is exact
    assert bad in json.dumps(json.loads(data), ensure_ascii=False)


def test_a_damaged_index_is_rebuilt_and_the_page_says_so(shared_home, tmp_path, monkeypatch, today):
    # The Guidance rows above built the index in shared_home; garble a copy of it.
    from agent.guidance import Library
    from agent.settings import Settings

    Library(Settings(home=shared_home)).ensure_index()
    home = tmp_path / "home"
    shutil.copytree(shared_home, home)
    (home / "index" / "chroma.sqlite3").write_bytes(b"\x00garbage, not a database" * 2000)
    monkeypatch.setenv("ALIGN_HOME", str(home))
    at = page(today, "Guidance")
    no_failures(at)
    [notice] = [m for m in messages(at) if "damaged" in m]
    assert "rebuilt" in notice and "\n" not in notice
    box(at, "Ask the library").set_value("How do I stop answering messages at night?")
    press(at, "Search")
    no_failures(at)
    assert at.main.expander  # the rebuilt index answers


@pytest.mark.parametrize("text", ["family = 5000", "pay = 1e308"])
def test_a_weight_over_the_cap_in_the_decision_form_is_one_line(text):
    with pytest.raises(UserError, match="at most 1,000|weight above zero"):
        tables.parse_criteria(text)
