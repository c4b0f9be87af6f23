"""The app's pages and its sidebar; `app.py` only wires them into `st.navigation`.

Every page body runs inside `guarded`, so a person's mistake (UserError) or any other
failure shows as one line in the page with `st.error`, never as a stack trace, and the
rest of the app keeps working.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable, Collection
from pathlib import Path
from typing import Any

import streamlit as st

from agent.errors import UserError
from agent.records import Decision, VisionDraft
from agent.store import Store
from agent.ui import actions, cards, state, tables

# --- errors -----------------------------------------------------------------------------------


def error_line(error: Exception) -> str:
    """An exception as the one line a person sees."""
    if isinstance(error, UserError):
        return str(error)
    text = " ".join(str(error).split())[:200]
    return f"Something went wrong ({type(error).__name__}){': ' + text if text else ''}. Nothing was lost."


def guarded(body: Callable[[], None]) -> Callable[[], None]:
    """Run a page body; any failure becomes one `st.error` line instead of a traceback."""

    @functools.wraps(body)
    def run() -> None:
        try:
            body()
        except Exception as e:  # noqa: BLE001 - Streamlit's rerun/stop are BaseExceptions and pass
            st.error(error_line(e))

    return run


def say_if_deleted(slot: str, noun: str, existing: Collection[str], shown: dict[str, str]) -> None:
    """Warn when a record this page drew on its last run has been deleted elsewhere since.

    Its widgets went with it, so a check-in, an edit or a choice made on it was dropped
    without a word from Streamlit; the page says so. `shown` maps the ids drawn this run
    to their titles, `existing` holds every id of that kind still saved.
    """
    before: dict[str, str] = st.session_state.get(slot, {})
    st.session_state[slot] = shown
    gone = [title for record_id, title in before.items() if record_id not in existing]
    if gone:
        names = ", ".join(f"“{cards.md_escape(tables.short(title, 60))}”" for title in gone)
        what = f"A {noun} was" if len(gone) == 1 else f"{len(gone)} {noun}s were"
        st.warning(f"{what} deleted elsewhere (another window or the command line), so nothing "
                   f"entered for {'it' if len(gone) == 1 else 'them'} was saved: {names}.")


# --- shared callbacks -------------------------------------------------------------------------


def _choose_vision(draft: VisionDraft, statement: str) -> None:
    actions.choose_vision(state.store(), draft, statement)
    state.flash("Saved as your vision.")
    st.rerun()


def _save_decision(decision: Decision) -> None:
    actions.save_decision(state.store(), decision)
    thread = state.chat_session().thread
    if getattr(thread, "kind", None) == "decision" and thread.decision.id == decision.id:
        # The coach goes on scoring from its own copy: give it the edited matrix.
        thread.decision = decision
    state.flash("Decision saved.")
    st.rerun()


# --- sidebar ----------------------------------------------------------------------------------


def sidebar() -> None:
    """Where data goes, who you are (values, vision), this session's usage, what is saved."""
    with st.sidebar:
        try:
            _provider_block()
            _profile_block()
            _usage_block()
            _saved_block()
        except Exception as e:  # noqa: BLE001
            st.error(error_line(e))


def _provider_block() -> None:
    settings = state.settings()
    if settings.active_provider == "offline":
        st.markdown(":green-badge[:material/lock: offline] the built-in coach")
        st.caption(settings.endpoint_label)
    else:
        st.markdown(f":orange-badge[:material/cloud: {settings.active_provider}] "
                    f"{cards.md_escape(settings.model)}")
        st.caption(f"Your messages go to {cards.md_escape(settings.endpoint_label)}")


def _profile_block() -> None:
    store = state.store()
    profile = store.profile()
    expanded = not profile.values and not profile.vision
    with st.expander("Your values and vision", expanded=expanded), st.form("profile-form", border=False):
        values = st.text_input("Values", value=", ".join(profile.values),
                               placeholder="e.g. integrity, family, curiosity",
                               help="Separate them with commas.")
        vision = st.text_area("Vision", value=profile.vision or "", height=100,
                              placeholder="A sentence or two on where you are heading.")
        if st.form_submit_button("Save"):
            actions.save_profile_text(store, values, vision, state.settings().max_input_chars)
            state.flash("Profile saved.")
            st.rerun()


def _usage_block() -> None:
    usage = state.chat_session().usage
    tokens = usage.input_tokens + usage.output_tokens
    st.caption(f"This session: {usage.calls} model call{'s' if usage.calls != 1 else ''} · "
               f"{tokens:,} tokens")


def _saved_block() -> None:
    records = state.store().list()
    counts = tables.record_counts(records)
    st.markdown("**Saved**")
    if not counts:
        st.caption("Nothing saved yet.")
        return
    st.caption(" · ".join(f"{label} {n}" for label, n in counts.items()))
    from agent.export import KIND_LABELS, record_title

    for record in tables.recent(records, 4):
        st.caption(f"{KIND_LABELS[record.kind].capitalize()}: {cards.md_escape(record_title(record, 48))}")


# --- chat -------------------------------------------------------------------------------------

USER_AVATAR = ":material/person:"
COACH_AVATAR = ":material/explore:"

STARTERS: tuple[tuple[str, str, str, str, str], ...] = (
    ("Refine a goal", ":material/flag:", "Turn a hope into a SMART goal, one question at a time.",
     "prompt", "What goal would you like to sharpen? Say it the way you would to a colleague, "
               "starting with *My goal is…*, for example: *My goal is to get better at delegating.* "
               "I'll check it letter by letter and ask one question at a time."),
    ("Draft a vision", ":material/explore:", "Start from your values; pick the wording that fits.",
     "send", "Help me draft a vision statement from my values."),
    ("Weigh a decision", ":material/balance:", "Score your options against what matters to you.",
     "prompt", "What are you deciding? Put it as a question with its options, for example: "
               "*Should I take the regional role or stay in my current job?* I'll set up a decision "
               "matrix from your values and ask for the scores."),
)
"""(button, icon, what it does, "send" a first message to the coach or show a "prompt", text)."""


def welcome() -> None:
    """The first-run welcome: what Align does, and three ways to start."""
    st.markdown("### Welcome to Align")
    st.markdown(
        "A coach for leaders who want their goals, choices and days to follow what they "
        "value. Align sharpens goals letter by letter against SMART, drafts a vision from "
        "your values, weighs hard choices in a decision matrix, and points to the guidance "
        "behind each suggestion. Everything it makes is saved here, on your machine."
    )
    columns = st.columns(len(STARTERS))
    for column, (label, icon, hint, how, text) in zip(columns, STARTERS, strict=True):
        with column.container(border=True):
            if st.button(label, icon=icon, key=f"start-{label}", width="stretch"):
                st.session_state[state.PENDING if how == "send" else state.PROMPT] = text
                st.rerun()
            st.caption(hint)


def chat_page() -> None:
    """The conversation: messages, and each record as a card under the message that made it."""
    session = state.chat_session()
    prompt = st.chat_input("Tell the coach about a goal, your values, or a choice you face")
    message = prompt or st.session_state.pop(state.PENDING, None)
    if not session.turns and not message and state.PROMPT not in st.session_state:
        welcome()
    _history(session)
    if message:
        st.session_state.pop(state.PROMPT, None)
        with st.chat_message("user", avatar=USER_AVATAR):
            st.markdown(cards.md_escape(message))
        with st.chat_message("assistant", avatar=COACH_AVATAR), st.spinner("Thinking…"):
            state.coach().reply(session, message, today=state.today())
        st.rerun()
    elif state.PROMPT in st.session_state:
        with st.chat_message("assistant", avatar=COACH_AVATAR):
            st.markdown(st.session_state[state.PROMPT])


def _history(session: Any) -> None:
    full = tables.full_card_positions(session.turns)
    for i, turn in enumerate(session.turns):
        if turn.message:
            with st.chat_message("user", avatar=USER_AVATAR):
                st.markdown(cards.md_escape(turn.message))
        with st.chat_message("assistant", avatar=COACH_AVATAR):
            st.markdown(cards.reply_markdown(turn.reply, turn.records))
            if turn.notice:
                st.caption(f":material/info: {turn.notice}")
            for record in turn.records:
                cards.record_card(record, key=f"t{i}-{record.id}", compact=(i, record.id) not in full,
                                  on_choose_vision=_choose_vision, on_save_decision=_save_decision)


# --- goals ------------------------------------------------------------------------------------


def goals_page() -> None:
    """Each goal: its versions and how its SMART score rose, its check-ins, a form to add one."""
    st.markdown("## Goals")
    store = state.store()
    goals = store.goals()
    say_if_deleted("align_shown_goals", "goal", {g.id for g in goals}, {g.id: g.text for g in goals})
    if not goals:
        st.info("No goals yet. Refine one in the chat and it will appear here with its history.")
        if st.button("Refine a goal", icon=":material/flag:"):
            # The starter asks its question (index 4 is its text); nothing is sent for the person.
            st.session_state[state.PROMPT] = STARTERS[0][4]
            state.go_to("Chat")
            st.rerun()
        return
    for goal in goals:
        with st.container(border=True):
            _goal_block(store, goal)


def _goal_block(store: Any, goal: Any) -> None:
    st.markdown(f"#### {cards.md_escape(goal.text)}")
    latest = tables.latest_progress(goal)
    facts = [goal.category, goal.status, f"{len(goal.versions)} version{'s' if len(goal.versions) != 1 else ''}"]
    if latest is not None:
        facts.append(f"{latest}% done")
    if goal.next_check_in:
        facts.append(f"next check-in {goal.next_check_in:%b %d, %Y}")
    st.caption(" · ".join(facts))
    if goal.versions and goal.versions[-1].critique_id:
        try:
            critique = store.get(goal.versions[-1].critique_id)
            st.markdown(cards.smart_bar_html(critique), unsafe_allow_html=True)
        except UserError:
            pass  # the critique was deleted: the versions table still tells the story
    left, right = st.columns(2)
    with left:
        st.markdown("**SMART score by version**")
        if len(goal.versions) > 1:
            st.line_chart(tables.goal_scores_frame(goal), height=180, color="#2f5d62")
        elif goal.versions:
            st.metric("Score", f"{goal.versions[0].score}/100")
    with right:
        st.markdown("**Progress over time**")
        progress = tables.progress_frame(goal)
        if len(progress) > 1:
            st.line_chart(progress, height=180, color="#7a5a12")
        elif len(progress) == 1:
            st.metric("Progress", f"{int(progress.iloc[0, 0])}%")
        else:
            st.caption("No check-ins with progress yet.")
    with st.expander("Versions and check-ins"):
        st.dataframe(tables.versions_frame(goal), hide_index=True, width="stretch")
        for c in reversed(goal.check_ins):
            shown = f"{c.progress}%" if c.progress is not None else ""
            st.markdown(f"- {c.on:%b %d, %Y} {shown} {cards.md_escape(c.note)}")
    with st.form(f"checkin-{goal.id}", clear_on_submit=True):
        st.markdown("**Add a check-in**")
        c1, c2 = st.columns([1, 2])
        on = c1.date_input("Date", value=state.today(), max_value=state.today(), key=f"on-{goal.id}")
        progress_value = c2.slider("Progress (%)", 0, 100, value=latest or 0, step=5, key=f"pr-{goal.id}")
        note = st.text_input("Note", placeholder="What moved, what got in the way", key=f"note-{goal.id}")
        if st.form_submit_button("Save check-in"):
            actions.add_check_in(store, goal.id, on, progress_value, note, state.today())
            state.flash("Check-in saved.")
            st.rerun()


# --- vision -----------------------------------------------------------------------------------


def vision_page() -> None:
    """The chosen vision and its critique, a form to draft a new one, and the saved drafts."""
    st.markdown("## Vision")
    store = state.store()
    profile = store.profile()
    if profile.vision:
        st.markdown("**Your vision**")
        st.markdown(f"> {cards.md_escape(profile.vision)}")
        with st.expander("How it reads against what a good vision does", expanded=True):
            cards.vision_critique_card(state.coach().critique_vision(profile.vision), key="vision-critique")
    else:
        st.info("No vision chosen yet. Draft one below from your values, then pick a wording.")

    with st.form("draft-vision"):
        st.markdown("**Draft a vision from your values**")
        values_text = st.text_input("Values", value=", ".join(profile.values),
                                    placeholder="e.g. integrity, family, curiosity")
        aspirations = st.text_input("What you hope to achieve or become (optional)")
        horizon = st.slider("Years ahead", 1, 15, 5)
        if st.form_submit_button("Draft", type="primary"):
            values = tables.parse_values(values_text)
            if not values:
                raise UserError("name at least one value to draft a vision from")
            with st.spinner("Drafting…"):
                draft = state.coach().draft_vision(values, aspirations.strip() or None, horizon)
            store.save(draft)
            st.session_state["align_new_draft"] = draft.id

    drafts = store.list("vision_draft")
    say_if_deleted("align_shown_drafts", "vision draft", {d.id for d in drafts},
                   {d.id: d.statement for d in drafts})
    if drafts:
        st.markdown("**Drafts**")
    new_id = st.session_state.get("align_new_draft")
    for draft in drafts:
        icon = ":material/check_circle:" if draft.chosen else ":material/draft:"
        with st.expander(tables.short(draft.statement, 90), expanded=draft.id == new_id, icon=icon):
            cards.vision_card(draft, key=f"vd-{draft.id}", on_choose=_choose_vision)


# --- decisions --------------------------------------------------------------------------------


def decisions_page() -> None:
    """Saved decision matrices, editable and re-savable, and a form to frame a new one."""
    st.markdown("## Decisions")
    store = state.store()
    first = not store.list("decision")
    with st.expander("Frame a new decision", expanded=first), st.form("new-decision"):
        question = st.text_input("The decision", placeholder="Take the regional role or stay?")
        options = st.text_area("Options, one per line", height=90)
        criteria = st.text_area("What matters, one per line, optionally with a weight "
                                "(your values are added)", height=110,
                                placeholder="family time = 3\ngrowth = 2\npay")
        if st.form_submit_button("Build the matrix", type="primary"):
            decision = new_decision(question, options, criteria)
            store.save(decision)
            st.session_state["align_decision"] = decision.id
            st.rerun()
    decisions = store.list("decision")
    ids = [d.id for d in decisions]
    if not decisions:
        say_if_deleted("align_shown_decision", "decision", ids, {})
        st.info("No decisions saved yet. Frame one above, or weigh one in the chat.")
        return
    from agent.export import record_title

    wanted = st.session_state.get("align_decision")
    chosen_id = st.selectbox("Saved decisions", ids, index=ids.index(wanted) if wanted in ids else 0,
                             format_func=lambda i: record_title(decisions[ids.index(i)], 80))
    decision = decisions[ids.index(chosen_id)]
    say_if_deleted("align_shown_decision", "decision", ids, {decision.id: decision.question})
    with st.container(border=True):
        cards.decision_card(decision, key=f"dec-{decision.id}", on_save=_save_decision)


def new_decision(question: str, options_text: str, criteria_text: str) -> Decision:
    """A decision framed from the form's boxes and the person's values (no scores yet)."""
    options = tables.parse_options(options_text)
    criteria = tables.parse_criteria(criteria_text) if criteria_text.strip() else []
    return state.coach().decide(question, options=options, criteria=criteria)


# --- priorities -------------------------------------------------------------------------------


def priorities_page() -> None:
    """A task list in, the Eisenhower matrix out: four quadrants with the reasons; savable."""
    st.markdown("## Priorities")
    store = state.store()
    with st.form("tasks-form"):
        text = st.text_area("Your tasks, one per line", height=180,
                            placeholder="Finish the board deck by Friday\nReply to vendor newsletters\n"
                                        "Plan next quarter's hiring")
        submitted = st.form_submit_button("Sort them", type="primary")
    if submitted:
        tasks = tables.parse_task_list(text)
        with st.spinner("Sorting…"):
            result = state.coach().prioritize(tasks, today=state.today())
        st.session_state["align_priorities"] = result
    result = st.session_state.get("align_priorities")
    if result is not None:
        cards.priorities_card(result, key="prio-current")
        if st.button("Save this list", icon=":material/save:"):
            store.save(result)
            state.flash("Priorities saved.")
            st.session_state.pop("align_priorities", None)
            st.rerun()
    saved = store.list("priorities")
    if saved:
        st.markdown("**Saved lists**")
        for item in saved[:5]:
            with st.expander(f"{item.today:%b %d, %Y} · {len(item.tasks)} tasks"):
                cards.priorities_card(item, key=f"prio-{item.id}")


# --- guidance ---------------------------------------------------------------------------------


def guidance_page() -> None:
    """Search the library, read a card, and add your own documents."""
    st.markdown("## Guidance")
    ensure_index()
    ask_tab, cards_tab, add_tab = st.tabs(["Ask", "Read a card", "Add documents"])
    with ask_tab:
        _ask()
    with cards_tab:
        _read_card()
    with add_tab:
        _add_documents()


def _ask() -> None:
    with st.form("ask-form", border=False):
        question = st.text_input("Ask the library", placeholder="How do I make a goal measurable?")
        asked = st.form_submit_button("Search", type="primary")
    if asked:
        from agent.inputs import clean_text

        text = clean_text(question, "question", max_chars=state.settings().max_input_chars)
        with st.spinner("Searching the library…"):
            st.session_state["align_answer"] = state.library().ask(text)
    answer = st.session_state.get("align_answer")
    if answer is not None:
        st.markdown(f"**{cards.md_escape(answer.question)}**")
        if answer.found:
            st.markdown(answer.answer)
        cards.answer_card(answer, key="answer")


def _read_card() -> None:
    library = state.library()
    all_cards = library.cards()
    if not all_cards:
        st.caption("The library has no cards.")
        return
    ids = [c.id for c in all_cards]
    picked = st.selectbox("Card", ids, format_func=lambda i: all_cards[ids.index(i)].title)
    card = library.card(picked)
    st.markdown(f"#### {cards.md_escape(card.title)}")
    st.caption(f"{card.source} · {card.section}")
    st.markdown(card.body)


def _add_documents() -> None:
    library = state.library()
    st.caption("Your own notes, handbooks or articles (Markdown, text or PDF). They stay in your "
               "data folder and are searched beside the guidance.")
    files = st.file_uploader("Documents", type=["md", "markdown", "txt", "text", "pdf"],
                             accept_multiple_files=True)
    if files and st.button("Add to the library", type="primary"):
        folder = state.settings().home / "documents"
        uploads = [(f.name, f.getvalue()) for f in files]
        new = {(folder / actions.safe_file_name(name)).resolve() for name, _ in uploads}
        new = {path for path in new if not path.exists()}
        paths = actions.save_uploads(folder, uploads)
        bar = st.progress(0.0, text="Indexing…")

        def progress(done: int, total: int, label: str = "") -> None:
            bar.progress(min(done / max(total, 1), 1.0), text=f"Indexing {label}… {done} of {total}")

        report = actions.index_documents(library, paths, progress=progress)
        bar.empty()
        for line in tables.index_report_lines(report):
            st.success(line)
        for skipped in report.skipped:
            name = Path(skipped.path).name
            st.warning(cards.md_escape(f"{name} was not added: {skipped.reason.replace(skipped.path, name)}"))
            if Path(skipped.path).resolve() in new:
                Path(skipped.path).unlink(missing_ok=True)  # a refused upload leaves nothing behind
    indexed = library.documents()
    if indexed:
        st.markdown("**In your library**")
        st.markdown("\n".join(f"- {cards.md_escape(name)}" for name in indexed))


def ensure_index() -> None:
    """Build the guidance index on first use, with a progress bar (it takes a few seconds)."""
    slot = st.empty()

    def progress(done: int, total: int, label: str = "") -> None:
        slot.progress(min(done / max(total, 1), 1.0),
                      text=f"Preparing the guidance library (first use only)… {done} of {total}")

    library = state.library()
    library.ensure_index(progress=progress)
    slot.empty()
    # A repaired index says so once (what was rebuilt, which documents to add again).
    while library.notices:
        st.warning(library.notices.pop(0))


# --- export -----------------------------------------------------------------------------------


def export_page() -> None:
    """Everything saved, as a Markdown plan and as JSON, to download."""
    from agent.export import export_json, export_markdown

    st.markdown("## Export")
    store = state.store()
    plan = export_markdown(store.profile(), store.list(), state.today())
    # The JSON is the records exactly as saved; lone surrogates (from files) stay as escapes.
    exact = Store.from_settings(state.settings())
    everything = export_json(exact.profile(), exact.list())
    data = json.dumps(everything, ensure_ascii=False, indent=2)
    if data != tables.shown_text(data):
        data = json.dumps(everything, ensure_ascii=True, indent=2)
    st.markdown("Your records belong to you: take them anywhere.")
    c1, c2 = st.columns(2)
    c1.download_button("Download the plan (Markdown)", plan, file_name="align-plan.md",
                       mime="text/markdown", icon=":material/description:", width="stretch")
    c2.download_button("Download everything (JSON)", data, file_name="align-records.json",
                       mime="application/json", icon=":material/data_object:", width="stretch")
    with st.expander("Preview the plan", expanded=True):
        st.markdown(plan)


# --- the page table ---------------------------------------------------------------------------

PAGES: tuple[tuple[str, Callable[[], None], str, str], ...] = (
    ("Chat", chat_page, ":material/forum:", "chat"),
    ("Goals", goals_page, ":material/flag:", "goals"),
    ("Vision", vision_page, ":material/explore:", "vision"),
    ("Decisions", decisions_page, ":material/balance:", "decisions"),
    ("Priorities", priorities_page, ":material/grid_view:", "priorities"),
    ("Guidance", guidance_page, ":material/menu_book:", "guidance"),
    ("Export", export_page, ":material/download:", "export"),
)
"""(title, body, icon, url path) of each page, in the order of the navigation."""
