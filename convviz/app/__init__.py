"""The Streamlit app: widgets in the sidebar, views in the main area. Only this package imports streamlit.

Order of its modules (tests/test_layering.py): ``keys`` → ``model``, ``links`` → ``cache`` → ``parts``,
``stepper`` → the views (``panels``, ``answer_ui``, ``conv1d_ui``, ``stack_ui``, ``exports``, ``sidebar``)
→ ``presenter``, ``quiz_ui`` → ``pages`` (the registry) → ``main``.
"""
from .main import main

__all__ = ["main"]
