"""What the app keeps per browser session, and the shared objects it is built from.

Settings come from the environment (`align app` passes its global options as ALIGN_*
variables), so the app and the CLI agree on the data directory and the provider. The
store is cheap and opened per use; the guidance library (its index and the embedding
model) is built once per data directory and shared by every browser session.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

import streamlit as st

from agent.errors import UserError
from agent.store import Store
from agent.ui.tables import shown_record

if TYPE_CHECKING:
    from agent.coach import Coach
    from agent.guidance import Library
    from agent.session import Session
    from agent.settings import Settings

SESSION = "align_session"
"""The conversation with the coach (an `agent.session.Session`)."""

TODAY = "align_today"
"""A date that stands in for today (tests pin it); unset means the real date."""

GOTO = "align_goto"
"""A page to switch to on the next run (by title), e.g. after a starter button."""

PENDING = "align_pending"
"""A message to send to the coach on the next run, e.g. from a starter button."""

PROMPT = "align_prompt"
"""A question shown as the coach's, from a starter button, until the person answers it."""

FLASH = "align_flash"
"""A one-line confirmation to show once, after a rerun (e.g. "Saved")."""


def settings() -> Settings:
    """The Settings in force, read from the environment once per browser session."""
    if "align_settings" not in st.session_state:
        from pydantic import ValidationError

        from agent.settings import Settings

        try:
            st.session_state["align_settings"] = Settings()
        except ValidationError as e:
            first = e.errors()[0]
            where = ".".join(str(p) for p in first["loc"]) or "settings"
            raise UserError(f"bad setting {where}: {first['msg']}") from None
    return st.session_state["align_settings"]


class ShownStore(Store):
    """The store as the app reads it: text Streamlit cannot send (lone surrogates, which the
    store keeps exactly for records that came from files) reads back as U+FFFD, so one such
    record cannot take down every page that lists it."""

    def get(self, record_id: str) -> Any:
        return shown_record(super().get(record_id))

    def list(self, kind: str | None = None) -> list[Any]:
        return [shown_record(r) for r in super().list(kind)]

    def profile(self) -> Any:
        return shown_record(super().profile())


def store() -> Store:
    """The person's records, ready to show (opened on each use, so safe across reruns and threads)."""
    return ShownStore.from_settings(settings())


@st.cache_resource(show_spinner=False, max_entries=4)
def _library(home: str, _settings: Any) -> Library:
    from agent.guidance import Library

    return Library(_settings)


def library() -> Library:
    """The guidance library for this data directory, shared by every browser session."""
    current = settings()
    return _library(str(current.home), current)


def coach() -> Coach:
    """The coach for this browser session, built on first use."""
    if "align_coach" not in st.session_state:
        from agent.coach import Coach

        st.session_state["align_coach"] = Coach(settings(), store=store(), library=library())
    return st.session_state["align_coach"]


def chat_session() -> Session:
    """The conversation so far in this browser session."""
    if SESSION not in st.session_state:
        from agent.session import Session

        st.session_state[SESSION] = Session()
    return st.session_state[SESSION]


def today() -> date:
    """The date the coach reasons from: the pinned one if set, else the real date."""
    pinned = st.session_state.get(TODAY)
    return pinned if isinstance(pinned, date) else date.today()


def go_to(page_title: str, message: str | None = None) -> None:
    """Ask for a switch to another page on the next run, optionally with a message for the coach."""
    st.session_state[GOTO] = page_title
    if message:
        st.session_state[PENDING] = message


def flash(text: str) -> None:
    """Show a short confirmation after the next rerun."""
    st.session_state[FLASH] = text


def show_flash() -> None:
    """Show (once) the confirmation left by the previous run, if any."""
    text = st.session_state.pop(FLASH, None)
    if text:
        st.toast(text)
