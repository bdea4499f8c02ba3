"""The demo manual's PDF, built once per test session (in a transaction rolled back after)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import transaction


@dataclass
class DemoPdf:
    path: Path
    page_count: int
    details: list[str]  # every step's detail (item by item where each item has its own time)
    processes: list[tuple[str, str]]  # (Thai number, name) of every process and sub-process
    html: str
    vocabulary: object = None  # printing.wordbreak.Vocabulary: words a line may not break in


@pytest.fixture(scope="session")
def demo_pdf(django_db_setup, django_db_blocker, tmp_path_factory) -> DemoPdf:
    from core.thai import thai_digits
    from manuals.models import Edition
    from printing.builder import build_manual, duration_items
    from printing.selectors import printable_edition
    from printing.wordbreak import Vocabulary
    from processes.models import Process, Step

    path = tmp_path_factory.mktemp("pdf") / "demo.pdf"
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("load_demo", verbosity=0)
        edition = Edition.objects.get(manual__slug="kpp-spsc", status="published")
        # the parallel path (worker processes, pieces joined, page numbers stamped), as a
        # large manual is printed; the demo alone would be laid out in-process
        built = build_manual(edition.pk, workers=2, parallel_min_weight=0)
        path.write_bytes(built.pdf)
        details = [
            item
            for detail, duration in Step.objects.filter(process__edition=edition)
            .exclude(detail="")
            .values_list("detail", "duration_text")
            for item, _time in duration_items(detail, duration)
        ]
        processes = [
            (thai_digits(p.number), p.name)
            for p in Process.objects.filter(edition=edition).select_related("mission", "parent")
        ]
        vocabulary = Vocabulary.for_edition(printable_edition(edition_id=edition.pk))
        transaction.set_rollback(True)
    return DemoPdf(path, built.page_count, details, processes, built.html, vocabulary)
