"""Record cards: each record the coach makes, drawn compactly under the message that made it.

A card shows a record as a person reads it (no JSON): a SMART critique as a five-part
bar, a vision draft with its alternatives, a decision as an editable matrix with its
totals, a task list as four quadrants, an answer with its passages. Text that came from
a person or a document is escaped before it reaches Markdown or HTML, so it is shown,
never interpreted.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Sequence
from typing import Any

import streamlit as st

from agent.records import (
    Answer,
    Citation,
    Decision,
    Passage,
    Priorities,
    SmartCritique,
    VisionCritique,
    VisionDraft,
)
from agent.ui import tables

STATUS_WORDS = {"met": "met", "partial": "partly", "missing": "missing", "unknown": "unclear"}

CSS = """
<style>
.align-bar {display:flex; gap:4px; margin:0.25rem 0 0.5rem 0;}
.align-seg {flex:1; border-radius:6px; padding:6px 8px; min-width:0; line-height:1.25;
  border:1px solid rgba(0,0,0,0.06);}
.align-seg .l {font-weight:700; font-size:1.05rem; margin-right:4px;}
.align-seg .n {font-size:0.78rem; opacity:0.85;}
.align-seg .s {display:block; font-size:0.72rem; text-transform:uppercase; letter-spacing:0.04em;
  margin-top:2px; font-weight:600;}
.align-seg .e {display:block; font-size:0.74rem; font-style:italic; margin-top:3px; opacity:0.85;
  overflow:hidden; text-overflow:ellipsis; white-space:nowrap;}
.align-met {background:#e5f1ea; color:#1f5b3f;}
.align-partial {background:#f7eed6; color:#7a5a12;}
.align-missing {background:#f6e3e0; color:#8c3a30;}
.align-unknown {background:#eceff1; color:#4f5b62;}
.align-score {font-size:0.85rem; color:#4f5b62; margin:0;}
.align-rewrite {border-left:3px solid #2f5d62; padding:4px 10px; margin:4px 0 6px 0;
  background:#f5f7f7; border-radius:0 6px 6px 0;}
.align-quad {border-radius:8px; padding:8px 12px; margin-bottom:8px; border:1px solid #e3e8ea;}
.align-quad h5 {margin:0 0 4px 0; font-size:0.95rem;}
.align-quad .hint {font-size:0.75rem; color:#6b777d; margin-bottom:4px;}
.align-quad ul {margin:0; padding-left:1.1rem;}
.align-quad li {font-size:0.88rem; margin-bottom:3px;}
.align-quad li .why {display:block; font-size:0.75rem; color:#6b777d;}
.align-q-do {background:#fbf3f1;} .align-q-schedule {background:#f1f6f5;}
.align-q-delegate {background:#f6f4fb;} .align-q-drop {background:#f7f7f7;}
.align-q-undecided {background:#fbfaf2;}
</style>
"""


def inject_css() -> None:
    """Add the cards' styles to the page (once per run; invisible)."""
    st.html(CSS)


_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>$~|#:{}])")


def md_escape(text: str) -> str:
    """Text from a person or a document, made safe to show inside Markdown as it is."""
    return _MD_SPECIAL.sub(r"\\\1", text)


_LETTER_MARKS = re.compile(r"^\s*Specific \S+ · Measurable \S+ · Achievable \S+ · Relevant \S+ · Time-bound \S+\s*$")
_CITE_LINE = re.compile(r"^\s*— ")
_NUMBERED_DRAFT = re.compile(r'^\s*\d+\.\s+["“]')


def reply_markdown(text: str, records: Sequence[Any] = ()) -> str:
    """The coach's reply as Markdown with its line breaks kept (Markdown would join them).

    Lines that the cards below show better are left out: the row of SMART marks when a
    critique card follows, the numbered drafts when a vision card offers them to pick
    from, and the citation lines when a card lists its guidance.
    """
    has_critique = any(r.kind == "smart_critique" for r in records)
    has_sources = any(getattr(r, "citations", None) or getattr(r, "passages", None) for r in records)
    has_drafts = any(r.kind == "vision_draft" and not r.chosen for r in records)
    kept = [line for line in text.strip().split("\n")
            if not (has_critique and _LETTER_MARKS.match(line))
            and not (has_sources and _CITE_LINE.match(line))
            and not (has_drafts and _NUMBERED_DRAFT.match(line))]
    return "\n".join(line.rstrip() + ("  " if line.strip() else "") for line in kept).strip()


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


# --- citations --------------------------------------------------------------------------------


def citations(items: list[Citation], key: str) -> None:
    """The guidance behind a record, folded away: title, where it comes from, the passage."""
    if not items:
        return
    with st.expander(f"Guidance behind this ({len(items)})", expanded=False):
        for c in items:
            title = c.title or c.card_id
            where = " · ".join(part for part in (c.source, c.section) if part)
            st.markdown(f"**{md_escape(title)}**" + (f"  \n:gray[{md_escape(where)}]" if where else ""))
            if c.quote:
                st.markdown("> " + md_escape(" ".join(c.quote.split())))


def passages(items: list[Passage], key: str, expanded_first: bool = False) -> None:
    """Retrieved passages, each in its own expander headed by its title and score."""
    for i, p in enumerate(items):
        label = f"{p.title} · {p.section}" if p.section and p.section != p.title else p.title
        with st.expander(f"{label} ({p.score:.2f})", expanded=expanded_first and i == 0):
            st.caption(p.source)
            st.markdown(md_escape(p.text))


# --- SMART ------------------------------------------------------------------------------------


def smart_bar_html(critique: SmartCritique) -> str:
    """The five SMART letters as a bar of coloured parts: letter, label, status, evidence."""
    parts = []
    for v in tables.smart_letters(critique):
        evidence = "; ".join(f"“{x}”" for x in v.evidence[:2])
        title = v.feedback + (f" Evidence: {evidence}" if evidence else "")
        parts.append(
            f'<div class="align-seg align-{_e(v.status)}" title="{_e(title)}">'
            f'<span class="l">{v.letter}</span><span class="n">{v.label}</span>'
            f'<span class="s">{STATUS_WORDS.get(v.status, v.status)}</span>'
            + (f'<span class="e">{_e(evidence)}</span>' if evidence else "")
            + "</div>"
        )
    return '<div class="align-bar">' + "".join(parts) + "</div>"


def smart_card(critique: SmartCritique, key: str, compact: bool = False) -> None:
    """A SMART critique: score, the five-part bar, the open questions and the rewrite."""
    verdict = "SMART" if critique.smart else "not SMART yet"
    st.markdown(f'<p class="align-score"><b>{critique.score}/100</b> · {verdict} · '
                f"{_e(critique.category)}</p>", unsafe_allow_html=True)
    st.markdown(smart_bar_html(critique), unsafe_allow_html=True)
    if compact:
        return
    questions = tables.open_questions(critique)
    if questions:
        st.markdown("**To sharpen it**\n" + "\n".join(f"- {md_escape(q)}" for q in questions))
    if critique.rewrite and critique.rewrite.strip() != critique.goal.strip():
        st.markdown(f'<div class="align-rewrite"><b>Sharper:</b> {_e(critique.rewrite)}</div>',
                    unsafe_allow_html=True)
    with st.expander("Why each letter", expanded=False):
        for v in tables.smart_letters(critique):
            line = f"**{v.letter} · {v.label}: {STATUS_WORDS.get(v.status, v.status)}.** {md_escape(v.feedback)}"
            if v.evidence:
                line += "  \n:gray[" + md_escape("; ".join(v.evidence)) + "]"
            st.markdown(line)
        if critique.model_view:
            st.caption("The model judged differently: " + ", ".join(
                f"{k.replace('_', '-')}: {STATUS_WORDS.get(s, s)}" for k, s in critique.model_view.items()))
    citations(critique.citations, key)


# --- vision -----------------------------------------------------------------------------------


def vision_card(draft: VisionDraft, key: str, on_choose: Callable[[VisionDraft, str], None] | None = None,
                compact: bool = False) -> None:
    """A vision draft: which values it names, and its wordings to pick from (or to read)."""
    if compact:
        return  # a later message shows this draft in full
    choices = [draft.statement, *draft.alternatives]
    if on_choose is None or len(choices) == 1:
        st.markdown(f"> {md_escape(draft.statement)}")
    if draft.values_covered:
        st.markdown(" ".join(
            f":{'green' if ok else 'orange'}-badge[{md_escape(value)}]"
            for value, ok in draft.values_covered.items()))
    if draft.chosen:
        st.caption("This is your chosen vision.")
    if on_choose is not None:
        picked = 0
        if len(choices) > 1:
            picked = st.radio("Pick the wording that sounds most like you", range(len(choices)),
                              format_func=lambda i: choices[i], key=f"{key}-pick")
        if st.button("Use as my vision", key=f"{key}-choose", type="primary"):
            on_choose(draft, choices[picked])
    elif draft.alternatives:
        with st.expander(f"Other wordings ({len(draft.alternatives)})"):
            for alt in draft.alternatives:
                st.markdown(f"- {md_escape(alt)}")
    citations(draft.citations, key)


def vision_critique_card(critique: VisionCritique, key: str) -> None:
    """A vision statement's checks, passed or not, each with a line of feedback."""
    passed = sum(c.passed for c in critique.checks)
    st.caption(f"{passed} of {len(critique.checks)} checks passed")
    for check in critique.checks:
        mark = ":green[:material/check_circle:]" if check.passed else ":orange[:material/radio_button_unchecked:]"
        name = check.name.replace("_", " ")
        st.markdown(f"{mark} **{name.capitalize()}**: {md_escape(check.feedback)}")
    citations(critique.citations, key)


# --- decisions --------------------------------------------------------------------------------


def decision_editor(decision: Decision, key: str) -> Decision:
    """The matrix as an editable table; returns the decision re-evaluated with the edits."""
    from agent.decision import evaluate

    frame = tables.decision_frame(decision)
    column_config: dict[str, Any] = {
        tables.WEIGHT_COLUMN: st.column_config.NumberColumn(
            tables.WEIGHT_COLUMN, min_value=0.1, max_value=10.0, step=0.5, format="%.1f",
            help="How much this criterion counts, relative to the others."),
    }
    for option in decision.options:
        column_config[option] = st.column_config.NumberColumn(
            option, min_value=1, max_value=5, step=1, format="%d",
            help="1 (poor) to 5 (excellent) on this criterion.")
    edited = st.data_editor(frame, key=key, num_rows="fixed", column_config=column_config,
                            width="stretch", placeholder="–")
    return evaluate(tables.apply_frame(decision, edited))


def decision_results(decision: Decision, key: str) -> None:
    """Ranking, recommendation, totals chart, sensitivity, conflicts and open questions."""
    if decision.ranking:
        top = decision.ranking[0]
        if decision.recommendation:
            st.success(f"The matrix favours **{md_escape(decision.recommendation)}** "
                       f"({top.total:.2f} of 5).")
        else:
            st.info("The top options are tied: a criterion is missing, or a weight needs to move.")
        st.bar_chart(tables.totals_frame(decision), horizontal=True, color="#2f5d62",
                     height=60 + 36 * len(decision.ranking), x_label="", y_label="Weighted total (1-5)")
        lines = tables.sensitivity_lines(decision)
        if lines:
            with st.expander("How firm is this?"):
                st.markdown("\n".join(f"- {md_escape(line)}" for line in lines))
    else:
        missing = tables.unrated_cells(decision)
        st.info(f"{len(missing)} score(s) still to give: fill in the empty cells (1-5) to see the ranking.")
    for conflict in decision.conflicts:
        st.warning(f"{md_escape(conflict.option)} strains **{md_escape(conflict.value)}**: "
                   f"{md_escape(conflict.reason)}")
    if decision.questions and not decision.ranking:
        st.markdown("**Questions to help you score**\n" +
                    "\n".join(f"- {md_escape(q)}" for q in decision.questions[:4]))


def decision_card(decision: Decision, key: str, on_save: Callable[[Decision], None] | None = None,
                  compact: bool = False) -> Decision:
    """A decision as an editable matrix whose results follow the edits; returns the live decision."""
    if compact:
        return decision  # a later message shows this decision in full, with its matrix
    st.markdown(f"**{md_escape(decision.question)}**")
    live = decision_editor(decision, key=f"{key}-matrix")
    decision_results(live, key)
    if on_save is not None and st.button("Save this matrix", key=f"{key}-save"):
        on_save(live)
    citations(live.citations, key)
    return live


# --- priorities -------------------------------------------------------------------------------


def priorities_html(priorities: Priorities) -> tuple[str, str]:
    """The four quadrants as two HTML columns (left: do, delegate; right: schedule, drop)."""
    groups = tables.quadrants(priorities)
    heads = {q: (title, hint) for q, title, hint in tables.QUADRANTS}

    def box(quadrant: str) -> str:
        title, hint = heads[quadrant]
        items = "".join(
            f'<li>{_e(t.task)}<span class="why">{_e(t.reason)}</span></li>' for t in groups[quadrant]
        ) or '<li><span class="why">nothing here</span></li>'
        return (f'<div class="align-quad align-q-{quadrant}"><h5>{title} '
                f'<span class="hint">({len(groups[quadrant])})</span></h5>'
                f'<div class="hint">{hint}</div><ul>{items}</ul></div>')

    left = box("do") + box("delegate")
    right = box("schedule") + box("drop")
    if groups["undecided"]:
        right += box("undecided")
    return left, right


def priorities_card(priorities: Priorities, key: str) -> None:
    """The Eisenhower matrix as four quadrants, each task with the reason it landed there."""
    left, right = priorities_html(priorities)
    col1, col2 = st.columns(2)
    col1.markdown(left, unsafe_allow_html=True)
    col2.markdown(right, unsafe_allow_html=True)
    citations(priorities.citations, key)


# --- answers ----------------------------------------------------------------------------------


def answer_card(answer: Answer, key: str) -> None:
    """An answer from the library, with the passages it rests on."""
    if not answer.found:
        st.info("Nothing in the library was close enough to answer that.")
    passages(answer.passages, key)


# --- any record -------------------------------------------------------------------------------


def record_card(record: Any, key: str, *, compact: bool = False,
                on_choose_vision: Callable[[VisionDraft, str], None] | None = None,
                on_save_decision: Callable[[Decision], None] | None = None) -> None:
    """Draw any record the coach made: its card, or one line for bookkeeping records."""
    kind = record.kind
    if kind == "smart_critique":
        smart_card(record, key, compact=compact)
    elif kind == "vision_draft":
        vision_card(record, key, on_choose=on_choose_vision, compact=compact)
    elif kind == "vision_critique":
        vision_critique_card(record, key)
    elif kind == "decision":
        decision_card(record, key, on_save=on_save_decision, compact=compact)
    elif kind == "priorities":
        priorities_card(record, key)
    elif kind == "answer":
        answer_card(record, key)
    elif kind == "goal":
        st.caption(f"Saved goal · version {len(record.versions)} · {record.category}")
    elif kind == "checkin":
        st.caption(f"Check-in saved for {record.on}"
                   + (f" · {record.progress}% done" if record.progress is not None else ""))
    elif kind == "reflection":
        st.caption(f"Reflection saved for {record.on}")
    elif kind == "profile":
        st.caption("Your profile was updated.")
