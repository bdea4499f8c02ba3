"""Pages of manuals and editions."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from manuals.selectors import manuals_with_editions


@login_required
def home(request):
    """The user's manuals with their edition status."""
    return render(request, "manuals/home.html", {"manuals": manuals_with_editions()})
