"""Reads on agencies, manuals and editions, with the queries each page needs up front."""

from __future__ import annotations

from django.db.models import Prefetch

from core.params import is_int, parse_int
from manuals.models import Agency, Edition, Manual


def manual_get(*, key: str | int) -> Manual:
    """A manual by slug or id (the CLI accepts both)."""
    pk = parse_int(key, minimum=1)
    if pk is not None:
        return Manual.objects.select_related("agency").get(pk=pk)
    text = str(key).strip()
    return Manual.objects.select_related("agency").get(slug=text)


def edition_latest_published(*, manual: Manual) -> Edition | None:
    return manual.editions.published().order_by("-published_on", "-pk").first()


def edition_open(*, manual: Manual) -> Edition | None:
    return manual.editions.open().first()


def edition_pick(*, manual: Manual, which: str = "latest") -> Edition:
    """ "latest" (published), "draft" (the open edition) or a BE year such as "2564"."""
    from core.thai import arabic_digits

    which = arabic_digits(str(which)).strip()
    if which == "latest":
        edition = edition_latest_published(manual=manual)
    elif which == "draft":
        edition = edition_open(manual=manual)
    elif is_int(which, maximum=9999):
        edition = manual.editions.filter(year_be=parse_int(which)).order_by("-pk").first()
    else:
        raise Edition.DoesNotExist(which)
    if edition is None:
        raise Edition.DoesNotExist(which)
    return edition


def manuals_with_editions(*, agency_ids=None):
    """Manuals with their agency and all editions, in a fixed number of queries."""
    qs = Manual.objects.select_related("agency", "agency__parent").prefetch_related(
        Prefetch("editions", queryset=Edition.objects.order_by("-year_be", "-pk"))
    )
    if agency_ids is not None:
        qs = qs.filter(agency_id__in=agency_ids)
    return qs.order_by("agency__name", "slug")


def agency_tree() -> list[tuple[Agency, int]]:
    """Every agency with its depth, parents before children (one query)."""
    agencies = list(Agency.objects.all().order_by("name"))
    children: dict = {}
    for agency in agencies:
        children.setdefault(agency.parent_id, []).append(agency)
    out: list[tuple[Agency, int]] = []

    def walk(parent_id, depth):
        for agency in children.get(parent_id, []):
            out.append((agency, depth))
            walk(agency.pk, depth + 1)

    walk(None, 0)
    return out


def manuals_for_user(*, user):
    """The manuals a user works on: an editor's own agency subtree; readers see every manual."""
    from manuals.permissions import _memberships, is_admin, is_any_reader

    if is_any_reader(user) or is_admin(user):
        return manuals_with_editions()
    agency_ids: set[int] = set()
    editor_roots = [agency for agency, role in _memberships(user) if role == "editor"]
    if editor_roots:
        children: dict = {}
        for pk, parent in Agency.objects.values_list("pk", "parent_id"):
            children.setdefault(parent, []).append(pk)
        frontier = list(editor_roots)
        while frontier:
            node = frontier.pop()
            if node not in agency_ids:
                agency_ids.add(node)
                frontier.extend(children.get(node, []))
    return manuals_with_editions(agency_ids=agency_ids)


def legal_reference_search(*, query: str, limit: int = 12):
    """Library entries matching every word of the query (Thai word-segmented, digits folded).

    Each word is matched as a substring of the segmented search text or the title, so a half-
    typed last word still matches ("ระเบียบ พัสด" finds ระเบียบ…การบริหารพัสดุภาครัฐ).
    """
    from django.db.models import Q

    from core.params import parse_text
    from core.thai import arabic_digits
    from manuals.legal import legal_search_text
    from manuals.models import LegalReference

    words = legal_search_text(arabic_digits(parse_text(query)), []).split()
    words = [w for w in words if w.strip() and w not in {"พ.ศ.", "พ", "ศ", "."}][:8]
    if not words:
        return []
    qs = LegalReference.objects.filter(merged_into__isnull=True)  # merged duplicates: gone
    for word in words:
        condition = Q(search_text__icontains=word) | Q(title__icontains=word)
        if len(word) == 4 and is_int(word):
            condition |= Q(year_be=parse_int(word))
        qs = qs.filter(condition)
    return list(qs.order_by("title", "year_be")[:limit])
