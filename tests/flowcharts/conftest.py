import pytest

from flowcharts import render as render_module


@pytest.fixture(autouse=True)
def fresh_chart_cache(settings):
    """Each test starts with an empty chart cache (Django's locmem and the local fallback)."""
    from django.core.cache import caches

    caches["default"].clear()
    render_module.clear_local_cache()
    yield


@pytest.fixture
def demo(demo_manual):
    """The demo manual, loaded once for the module (tests/conftest.py ``demo_loaded``)."""
    return demo_manual


def demo_process(manual, number: str, *, status: str = "published"):
    """A process of the demo manual by its number ("1.1") in the published or draft edition."""
    from flowcharts.selectors import edition_processes

    edition = manual.editions.get(status=status)
    return next(p for p in edition_processes(edition=edition) if p.number == number)
