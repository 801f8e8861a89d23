"""What the page sends: charts as Plotly itself encodes them, with Plotly's json engine named by the app (a public
setting), and importing convviz changing nothing global."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import plotly.io as pio
from apptest import charts, page_trace, sent, start

from convviz import figures

ROOT = Path(__file__).resolve().parents[2]


def test_the_app_sends_charts_with_plotlys_json_engine():
    pio.json.config.default_engine = "auto"
    at = start(tab="Matrix")
    assert pio.json.config.default_engine == "json"  # set by streamlit_app.py
    assert charts(at) == [sent(figures.matrix_figure(page_trace()))]


def test_importing_convviz_changes_nothing_global():
    probe = """
import logging, plotly.io as pio, plotly.io.json as pj, streamlit
def state():
    filtered = [name for name, logger in list(logging.root.manager.loggerDict.items())
                if getattr(logger, "filters", None)]
    return (pio.to_json, pj.to_json_plotly, pj.config.default_engine, sorted(filtered))
before = state()
import convviz, convviz.figures, convviz.app, convviz.app.main
after = state()
print("same" if before == after else f"changed: {before} -> {after}")
"""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, cwd=ROOT, timeout=120,
                            env=env)
    assert result.stdout.strip().splitlines()[-1:] == ["same"], result.stdout + result.stderr
