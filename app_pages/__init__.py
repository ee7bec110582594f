"""The app's pages (run by ``st.navigation`` in ``app.py``) and their shared display helpers."""
