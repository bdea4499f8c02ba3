import pytest

from flowcharts import render as render_module


@pytest.fixture(autouse=True)
def fresh_chart_cache(settings):
    """Each test starts with an empty chart cache (Django's locmem and the local fallback)."""
    from django.core.cache import caches

    caches["default"].clear()
    render_module.clear_local_cache()
    yield
