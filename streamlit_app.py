"""convviz: run with `streamlit run streamlit_app.py`."""
# Import what Plotly loads lazily before any session starts: many sessions starting together on a cold
# server otherwise race inside plotly's lazy import of pandas ("partially initialized module 'pandas'").
import pandas  # noqa: F401
import plotly.express  # noqa: F401
import plotly.graph_objects  # noqa: F401
import plotly.io
import streamlit as st

# st.plotly_chart encodes every chart with plotly.io.to_json: orjson (a declared dependency) is Plotly's fast
# engine, and naming it makes a missing orjson an error instead of a silent fall back to the slow one.
plotly.io.json.config.default_engine = "orjson"

# A projector needs every pixel: presenter links open with the sidebar folded away.
presenting = st.query_params.get("mode") == "Presenter"
st.set_page_config(page_title="convviz · ConvTranspose1d", page_icon=":material/swap_vert:", layout="wide",
                   initial_sidebar_state="collapsed" if presenting else "auto")

from convviz.app import main  # noqa: E402

main()
