"""The Streamlit app: widgets in the sidebar, panels in the main area. Only this package imports streamlit."""
import logging

from .main import main

# Presets and uploaded configurations set widget values through st.session_state on purpose; Streamlit logs a
# warning for every such widget that also has a default. Keep the server log for real problems.
logging.getLogger("streamlit.elements.lib.policies").addFilter(
    lambda record: "set via the Session State API" not in record.getMessage())

__all__ = ["main"]
