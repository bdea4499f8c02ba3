"""A published edition keeps the legal titles as they were when it was published."""

from manuals.services import edition_publish, edition_start_revision
from printing.builder import manual_html
from printing.selectors import printable_edition
from processes.models import LegalRequirement
from tests.factories import EditionFactory, LegalRequirementFactory, ProcessFactory


def _printed(edition) -> str:
    return manual_html(edition.pk)


def test_renaming_a_law_does_not_change_a_published_edition(db):
    edition = EditionFactory()
    process = ProcessFactory(mission__edition=edition)
    cited = LegalRequirementFactory(
        process=process,
        reference__title="ระเบียบสำนักนายกรัฐมนตรีว่าด้วยงานสารบรรณ",
        reference__year_be=2526,
    )
    edition_publish(edition=edition)
    law = cited.reference
    law.title = "ระเบียบสำนักนายกรัฐมนตรีว่าด้วยงานสารบรรณ (ชื่อใหม่)"
    law.save()

    assert "ว่าด้วยงานสารบรรณ พ.ศ. ๒๕๒๖" in LegalRequirement.objects.get(pk=cited.pk).citation
    references = printable_edition(edition_id=edition.pk).legal_references
    assert [r.citation for r in references] == ["ระเบียบสำนักนายกรัฐมนตรีว่าด้วยงานสารบรรณ พ.ศ. ๒๕๒๖"]
    printed = _printed(edition)
    assert "ว่าด้วยงานสารบรรณ พ.ศ. ๒๕๒๖" in printed
    assert "ชื่อใหม่" not in printed

    # The next revision cites the library as it is now, and freezes it when published.
    draft = edition_start_revision(manual=edition.manual, year_be=2567)
    row = LegalRequirement.objects.get(process__edition=draft)
    assert row.cited_as == ""
    assert "ชื่อใหม่" in row.citation
    assert "ชื่อใหม่" in _printed(draft)
