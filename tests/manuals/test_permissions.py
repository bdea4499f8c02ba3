import pytest
from django.core.exceptions import PermissionDenied

from manuals.models import Membership
from manuals.permissions import can_edit, require
from manuals.services import edition_publish
from tests.factories import AgencyFactory, EditionFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def tree():
    bureau = AgencyFactory(name="สำนักทดสอบ", kind="bureau")
    division = AgencyFactory(name="กองทดสอบ", parent=bureau)
    other = AgencyFactory(name="กองอื่น", parent=bureau)
    return bureau, division, other


def _user(agency, role):
    return MembershipFactory(agency=agency, role=role).user


def test_editor_edits_own_and_sub_unit_drafts_only(tree):
    bureau, division, other = tree
    draft = EditionFactory(manual__agency=division)
    assert _user(division, Membership.Role.EDITOR).has_perm("manuals.edit_edition", draft)
    assert _user(bureau, Membership.Role.EDITOR).has_perm("manuals.edit_edition", draft)
    assert not _user(other, Membership.Role.EDITOR).has_perm("manuals.edit_edition", draft)
    assert not _user(division, Membership.Role.REVIEWER).has_perm("manuals.edit_edition", draft)
    assert not UserFactory().has_perm("manuals.edit_edition", draft)


def test_nobody_edits_a_published_edition(tree):
    _, division, _ = tree
    edition = edition_publish(edition=EditionFactory(manual__agency=division))
    editor = _user(division, Membership.Role.EDITOR)
    assert not editor.has_perm("manuals.edit_edition", edition)
    admin = _user(division, Membership.Role.ADMIN)
    assert not admin.has_perm("manuals.edit_edition", edition)
    superuser = UserFactory(is_superuser=True)
    assert not can_edit(superuser, edition)
    with pytest.raises(PermissionDenied):
        require(superuser, "manuals.edit_edition", edition)


def test_reading_drafts_and_published(tree):
    _, division, other = tree
    draft = EditionFactory(manual__agency=division)
    assert _user(other, Membership.Role.REVIEWER).has_perm("manuals.view_edition", draft)
    assert not _user(other, Membership.Role.EDITOR).has_perm("manuals.view_edition", draft)
    published = edition_publish(edition=EditionFactory(manual__agency=other))
    assert _user(division, Membership.Role.EDITOR).has_perm("manuals.view_edition", published)
