"""Admin behaviour shared by every model that belongs to an edition."""

from __future__ import annotations

import re

from django.contrib import admin, messages
from django.http import QueryDict

from core.models import EditionFrozenError
from core.text import clean_user_text


class FrozenEditionAdminMixin:
    """Published editions are read-only in the admin too, and the admin says why."""

    def _frozen(self, obj) -> bool:
        if obj is None:
            return False
        edition = obj if obj._meta.model_name == "edition" else obj.get_edition()
        return edition.is_frozen

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and not self._frozen(obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and not self._frozen(obj)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        obj = self.get_object(request, object_id)
        if obj is not None and self._frozen(obj) and request.method == "GET":
            messages.info(request, EditionFrozenError().messages[0])
        return super().change_view(request, object_id, form_url, extra_context)


class FrozenInlineMixin:
    """Inline rows of a frozen parent cannot be added, changed or deleted."""

    def _frozen(self, obj) -> bool:
        if obj is None:
            return False
        edition = obj if obj._meta.model_name == "edition" else obj.get_edition()
        return edition.is_frozen

    def has_add_permission(self, request, obj=None):
        return super().has_add_permission(request, obj) and not self._frozen(obj)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and not self._frozen(obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and not self._frozen(obj)


class ContentInline(FrozenInlineMixin, admin.TabularInline):
    extra = 0
    show_change_link = True


# --- the admin's changelists never answer 500 on a hand-made query string ---------------------

# ``?o=`` is a dot-separated list of column numbers (``-`` for descending), ``?p=`` a page.
_ORDER = re.compile(r"^-?\d{1,4}(\.-?\d{1,4})*$")
_PAGE = re.compile(r"^\d{1,9}$")
_QUERY_VALUE_LIMIT = 500


def clean_changelist_query(query: QueryDict) -> QueryDict:
    """The query string of a changelist without what PostgreSQL or ``int()`` cannot read: NUL
    and other control characters are dropped from every key and value (PostgreSQL refuses NUL
    in any text it is asked to compare), values are bounded, and ``o`` / ``p`` are kept only
    when written in ASCII digits (``"²".isdigit()`` is true but ``int("²")`` fails)."""
    cleaned = QueryDict(mutable=True)
    for key, values in query.lists():
        key = clean_user_text(key, multiline=False)
        for value in values:
            value = clean_user_text(value, multiline=False)[:_QUERY_VALUE_LIMIT]
            if key == "o" and not _ORDER.match(value):
                continue
            if key == "p" and not _PAGE.match(value):
                continue
            cleaned.appendlist(key, value)
    cleaned._mutable = False
    return cleaned


class SafeChangeListMixin:
    """Changelists and the autocomplete read a cleaned query string (see above)."""

    def changelist_view(self, request, extra_context=None):
        request.GET = clean_changelist_query(request.GET)
        return super().changelist_view(request, extra_context)

    def get_search_results(self, request, queryset, search_term):
        # The autocomplete (``?term=``) and the search box (``?q=``) both end here.
        search_term = clean_user_text(search_term or "", multiline=False)[:_QUERY_VALUE_LIMIT]
        return super().get_search_results(request, queryset, search_term)


def harden_admin_site(site) -> int:
    """Give every ModelAdmin registered on ``site`` (ours and the libraries': auth, axes, tasks)
    the ``SafeChangeListMixin``; returns how many were changed. Called once at start-up."""
    changed = 0
    for model_admin in site._registry.values():
        cls = type(model_admin)
        if isinstance(model_admin, SafeChangeListMixin):
            continue
        model_admin.__class__ = type(
            f"Safe{cls.__name__}", (SafeChangeListMixin, cls), {"__module__": cls.__module__}
        )
        changed += 1
    return changed
