"""``manage.py export_manual``."""

from __future__ import annotations

import datetime
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from manuals.models import Edition
from tests.factories import EditionFactory, ProcessFactory, StepFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def published():
    edition = EditionFactory(year_be=2564)
    StepFactory(process=ProcessFactory(mission__edition=edition))
    Edition.objects.filter(pk=edition.pk).update(
        status=Edition.Status.PUBLISHED, published_on=datetime.date(2021, 9, 30)
    )
    return edition


def test_one_manual_by_slug_prints_pages_and_seconds(published, tmp_path):
    out = StringIO()
    target = tmp_path / "m.pdf"
    call_command("export_manual", published.manual.slug, "-o", str(target), stdout=out)
    assert target.read_bytes().startswith(b"%PDF-")
    assert "pages in" in out.getvalue() and " s " in out.getvalue()


def test_all_manuals_into_a_folder(published, tmp_path):
    call_command("export_manual", "--all", "-o", str(tmp_path), stdout=StringIO())
    assert (tmp_path / f"{published.manual.slug}-2564.pdf").exists()


def test_unknown_edition_is_a_clear_error(published, tmp_path):
    with pytest.raises(CommandError, match="no edition"):
        call_command(
            "export_manual",
            str(published.manual.pk),
            "--edition",
            "draft",
            "-o",
            str(tmp_path / "x.pdf"),
        )
