import pytest

from manuals.models import Membership
from tests.factories import (
    AgencyFactory,
    EditionFactory,
    IndicatorFactory,
    LaneFactory,
    MembershipFactory,
    ProcessFactory,
    StepFactory,
    UserFactory,
)


@pytest.fixture
def tree(db):
    """A bureau with two divisions: the manual's own unit and another one."""
    bureau = AgencyFactory(name="สำนักทดสอบ", kind="bureau")
    own = AgencyFactory(name="กองเจ้าของคู่มือ", parent=bureau)
    other = AgencyFactory(name="กองอื่น", parent=bureau)
    return bureau, own, other


def member(agency, role, username=None):
    user = UserFactory(username=username) if username else UserFactory()
    user.email = f"{user.username}@example.org"
    user.save()
    MembershipFactory(user=user, agency=agency, role=role)
    return user


@pytest.fixture
def people(tree):
    """One user per role in the manual's own unit and in another unit."""
    _bureau, own, other = tree
    roles = {
        "editor": Membership.Role.EDITOR,
        "reviewer": Membership.Role.REVIEWER,
        "approver": Membership.Role.APPROVER,
        "admin": Membership.Role.ADMIN,
    }
    out = {}
    for name, role in roles.items():
        out[name] = member(own, role, f"own_{name}")
        out[f"other_{name}"] = member(other, role, f"other_{name}")
    out["nobody"] = UserFactory(username="nobody")
    return out


@pytest.fixture
def draft(tree):
    """An open draft of the own unit's manual with one process and two steps."""
    _bureau, own, _other = tree
    edition = EditionFactory(manual__agency=own)
    lane = LaneFactory(edition=edition, name="จพง.ธุรการ")
    process = ProcessFactory(mission__edition=edition, name="การรับหนังสือ")
    IndicatorFactory(process=process)
    StepFactory(process=process, position=1, lane=lane, detail="เจ้าหน้าที่รับหนังสือและลงทะเบียนรับ")
    StepFactory(process=process, position=2, lane=lane, detail="เสนอผู้อำนวยการกองพิจารณา")
    return edition
