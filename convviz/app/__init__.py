"""The Streamlit app: widgets in the sidebar, panels in the main area. Only this package imports streamlit."""
from .main import main

__all__ = ["main"]
