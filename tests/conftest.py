"""Shared test setup: Hypothesis profiles keep the suite inside its time budget on 2 cores."""
import os

from hypothesis import HealthCheck, settings

settings.register_profile("ci", max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("thorough", max_examples=1000, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


def pytest_collection_finish(session):
    """A test module that changes torch's global default dtype at import poisons every later torch oracle."""
    try:
        import torch
    except ImportError:
        return
    if torch.get_default_dtype() != torch.float32:
        raise RuntimeError(f"a test module set torch's default dtype to {torch.get_default_dtype()} at import; "
                           "pass dtype= to the torch call instead")
