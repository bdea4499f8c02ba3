import datetime

import pytest
from django.core.exceptions import ValidationError

from manuals.content import edition_tables
from manuals.models import Edition
from manuals.services import edition_publish, edition_start_revision
from processes.models import Flow, Step

pytestmark = pytest.mark.django_db


def _rows(model, path, edition):
    return list(model.objects.filter(**{path: edition}))


def test_revision_deep_copies_every_table_with_lineage(full_edition):
    edition_publish(edition=full_edition, on=datetime.date(2021, 9, 30))
    draft = edition_start_revision(manual=full_edition.manual, year_be=2567)

    assert draft.status == Edition.Status.DRAFT
    assert draft.based_on == full_edition
    assert draft.preface == full_edition.preface
    for model, path, _fks in edition_tables():
        old = _rows(model, path, full_edition)
        new = _rows(model, path, draft)
        assert old, f"fixture has no {model.__name__}"
        assert len(new) == len(old), model.__name__
        # Same lineage ids, different rows: nothing is shared between the editions.
        assert {r.lineage for r in new} == {r.lineage for r in old}, model.__name__
        assert not {r.pk for r in new} & {r.pk for r in old}, model.__name__


def test_copied_foreign_keys_point_inside_the_new_edition(full_edition):
    edition_publish(edition=full_edition)
    draft = edition_start_revision(manual=full_edition.manual, year_be=2567)
    for step in Step.objects.filter(process__edition=draft):
        assert step.lane.edition_id == draft.pk
        assert all(lane.edition_id == draft.pk for lane in step.other_lanes.all())
        assert all(form.edition_id == draft.pk for form in step.forms.all())
    flow = Flow.objects.get(source__process__edition=draft)
    assert flow.target.process.edition_id == draft.pk
    sub = draft.processes.get(parent__isnull=False)
    assert sub.parent.edition_id == draft.pk
    assert sub.mission.edition_id == draft.pk
    # The M2M links were copied too.
    old_first = Step.objects.get(process__edition=full_edition, position=1, process__parent=None)
    new_first = Step.objects.get(lineage=old_first.lineage, process__edition=draft)
    assert new_first.other_lanes.count() == 1
    assert new_first.forms.count() == 1


def test_editing_the_copy_leaves_the_published_edition_alone(full_edition):
    edition_publish(edition=full_edition)
    draft = edition_start_revision(manual=full_edition.manual, year_be=2567)
    step = Step.objects.filter(process__edition=draft).first()
    step.detail = "รายละเอียดใหม่"
    step.save()
    original = Step.objects.get(lineage=step.lineage, process__edition=full_edition)
    assert original.detail != "รายละเอียดใหม่"


def test_only_one_open_draft_per_manual(full_edition):
    edition_publish(edition=full_edition)
    edition_start_revision(manual=full_edition.manual, year_be=2567)
    with pytest.raises(ValidationError):
        edition_start_revision(manual=full_edition.manual, year_be=2568)


def test_revision_of_a_manual_without_published_edition_starts_empty(draft):
    edition_publish(edition=draft)
    draft.refresh_from_db()
    other = edition_start_revision(manual=draft.manual, year_be=2570)
    assert other.processes.count() == 0
    assert other.label == "ฉบับปรับปรุง พ.ศ. ๒๕๗๐"


def test_publish_supersedes_the_previous_edition(full_edition):
    edition_publish(edition=full_edition, on=datetime.date(2021, 9, 30))
    draft = edition_start_revision(manual=full_edition.manual, year_be=2567)
    draft = edition_publish(edition=draft, on=datetime.date(2024, 10, 1))
    full_edition.refresh_from_db()
    assert full_edition.status == Edition.Status.SUPERSEDED
    assert draft.next_review_due == datetime.date(2027, 10, 1)
    with pytest.raises(ValidationError):
        edition_publish(edition=full_edition)
