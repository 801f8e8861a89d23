"""Tests of ``convviz.figures``, laid out like the package (``scatter/``, ``gather/``, one file per view module).

Like the rest of ``tests/`` there are no ``__init__.py`` files (pytest's default ``prepend`` import mode): this
conftest puts ``tests/figures`` on ``sys.path``, so the tests in its subfolders import the shared cases and
readers from ``figure_cases``. Test file names stay unique across ``tests/`` for the same reason.
"""
