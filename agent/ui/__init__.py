"""The Streamlit app's pieces: pages, record cards, data shaping and button actions.

`app.py` at the repository root is the thin shell that wires these into `st.navigation`.
Only `cards` and `pages` import Streamlit; `tables` and `actions` are plain functions
over records, tested without a browser.
"""
