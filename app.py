"""Align's Streamlit app: a thin shell that wires the pages of `agent.ui` together.

Run it with `align app` (which keeps Streamlit on 127.0.0.1 and passes the global
options on), or `streamlit run app.py` with the flags in `agent/commands/app.py`.
"""

from __future__ import annotations

import streamlit as st

from agent.ui import cards, pages, state

st.set_page_config(page_title="Align", page_icon=":material/explore:", layout="wide")
cards.inject_css()

navigation = {
    title: st.Page(pages.guarded(body), title=title, icon=icon, url_path=url, default=index == 0)
    for index, (title, body, icon, url) in enumerate(pages.PAGES)
}
current = st.navigation(list(navigation.values()))
goto = st.session_state.pop(state.GOTO, None)
if goto in navigation:
    st.switch_page(navigation[goto])
pages.sidebar()
state.show_flash()
current.run()
