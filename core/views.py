"""Site-wide views that belong to no domain app."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.http import HttpResponse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe

FAVICON = Path(settings.BASE_DIR) / "static" / "favicon.ico"


@lru_cache(maxsize=1)
def _favicon_bytes() -> bytes:
    return FAVICON.read_bytes()


@require_safe
@cache_control(public=True, max_age=86400)
def favicon(request):
    """The site's icon at ``/favicon.ico``, where browsers ask for it on every page (served by
    Django, so it is there whether or not static files are)."""
    return HttpResponse(_favicon_bytes(), content_type="image/x-icon")
