"""Shared test settings: Hypothesis profiles.

The default profile keeps the suite fast (100 examples a property); the heavy one is for
a deliberate soak: ``.venv/bin/python -m pytest --hypothesis-profile=heavy -m "not browser"``
(10,000 examples a property).
"""

from hypothesis import HealthCheck, settings

settings.register_profile("default", max_examples=100, deadline=None)
settings.register_profile(
    "heavy",
    max_examples=10_000,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.load_profile("default")
