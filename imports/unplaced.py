"""The text an import could not place: read next to where it belongs, removed by hand."""

from __future__ import annotations

from django.db import transaction

from manuals.permissions import require
from manuals.services import stamp

EDIT = "manuals.edit_edition"


def unplaced_for_edition(*, edition):
    """Every unplaced text of an edition, with its process, in source order."""
    from imports.models import UnplacedText

    return list(
        UnplacedText.objects.filter(edition=edition)
        .select_related("process")
        .order_by("position", "pk")
    )


def unplaced_for_process(*, process):
    from imports.models import UnplacedText

    return list(UnplacedText.objects.filter(process=process).order_by("position", "pk"))


@transaction.atomic
def unplaced_delete(*, item, by) -> None:
    """Lets a unit editor remove an unplaced text once they have moved it where it belongs
    (or found it not needed); refused on a frozen edition like every content write."""
    from imports.models import UnplacedText

    require(by, EDIT, item)
    row = UnplacedText.objects.select_for_update().get(pk=item.pk)
    stamp(row, by).delete()
