"""The search page, its navbar suggestions, and the curated libraries (laws, forms, lanes)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_GET

from manuals.selectors import agency_tree
from search.forms import SearchForm
from search.selectors import search_manuals


@login_required
@require_GET
def search(request):
    """Lets anyone signed in search every manual they may read: /search/?q=…"""
    form = SearchForm(request.GET)
    result = search_manuals(user=request.user, raw_query=form.query(), filters=form.filters())
    return render(
        request,
        "search/search.html",
        {"form": form, "result": result, "tree": agency_tree(), "filters": form.filters()},
    )


@login_required
@require_GET
def suggest(request):
    """The navbar's results as you type (HTMX): the first few hits, no filters."""
    form = SearchForm(request.GET)
    result = search_manuals(user=request.user, raw_query=form.query(), limit=8)
    return render(request, "search/_suggest.html", {"result": result, "q": form.query()})
