"""convviz: run with `streamlit run streamlit_app.py`."""
# Import what Plotly loads lazily before any session starts: many sessions starting together on a cold
# server otherwise race inside plotly's lazy import of pandas ("partially initialized module 'pandas'").
import pandas  # noqa: F401
import plotly.express  # noqa: F401
import plotly.graph_objects  # noqa: F401
import plotly.io
import streamlit as st

# st.plotly_chart encodes every chart with plotly.io.to_json on every rerun. Plotly's standard "json" engine is
# named so that an orjson some other package installs does not change it ("auto" would pick orjson): on the
# app's cached typed-array charts orjson is 1.3x slower for the classroom's small layers and 0.81-0.97x for
# larger ones (python bench/figures.py --engine).
plotly.io.json.config.default_engine = "json"

# A projector needs every pixel: presenter links open with the sidebar folded away.
presenting = st.query_params.get("mode") == "Presenter"
st.set_page_config(page_title="convviz · ConvTranspose1d", page_icon=":material/swap_vert:", layout="wide",
                   initial_sidebar_state="collapsed" if presenting else "auto")

from convviz.app import main  # noqa: E402

main()
