"""Reads on agencies, manuals and editions, with the queries each page needs up front."""

from __future__ import annotations

from django.db.models import Prefetch

from manuals.models import Agency, Edition, Manual


def manual_get(*, key: str | int) -> Manual:
    """A manual by slug or id (the CLI accepts both)."""
    text = str(key).strip()
    if text.isdigit():
        return Manual.objects.select_related("agency").get(pk=int(text))
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
    elif which.isdigit():
        edition = manual.editions.filter(year_be=int(which)).order_by("-pk").first()
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
