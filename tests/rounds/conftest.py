import datetime

import pytest

from manuals.models import Adoption, Edition, Membership, WorkingGroup, WorkingGroupMember
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

S = Edition.Status
MILESTONES = {
    "draft_due": datetime.date(2024, 3, 31),
    "review_due": datetime.date(2024, 5, 31),
    "final_due": datetime.date(2024, 7, 31),
    "approval": datetime.date(2024, 8, 31),
}


def member(agency, role, username):
    user = UserFactory(username=username)
    user.email = f"{username}@example.org"
    user.save()
    MembershipFactory(user=user, agency=agency, role=role)
    return user


def published_manual(agency, slug=None, processes=1):
    """A manual of ``agency`` with a published 2564 edition holding a process and two steps."""
    kwargs = {"manual__agency": agency}
    if slug:
        kwargs["manual__slug"] = slug
    edition = EditionFactory(year_be=2564, status=S.DRAFT, **kwargs)
    lane = LaneFactory(edition=edition, name="จพง.ธุรการ")
    for _ in range(processes):
        process = ProcessFactory(mission__edition=edition, name="การรับหนังสือ")
        IndicatorFactory(process=process)
        StepFactory(process=process, position=1, lane=lane)
        StepFactory(process=process, position=2, lane=lane)
    edition.status = S.PUBLISHED
    edition.published_on = datetime.date(2021, 8, 25)
    edition.save()
    return edition.manual


@pytest.fixture
def bma(db):
    """กรุงเทพมหานคร with two bureaus (one with a division) and two district offices."""
    root = AgencyFactory(name="กรุงเทพมหานคร", kind="bureau")
    kk = AgencyFactory(name="สำนักงาน ก.ก.", parent=root, kind="office")
    bureau = AgencyFactory(name="สำนักพัฒนาสังคม", parent=root, kind="bureau")
    division = AgencyFactory(name="กองนโยบายและแผนงาน", parent=bureau)
    other_bureau = AgencyFactory(name="สำนักการคลัง", parent=root, kind="bureau")
    d1 = AgencyFactory(name="สำนักงานเขตพระนคร", parent=root, kind="district")
    d2 = AgencyFactory(name="สำนักงานเขตบางรัก", parent=root, kind="district")
    return {
        "root": root,
        "kk": kk,
        "bureau": bureau,
        "division": division,
        "other_bureau": other_bureau,
        "d1": d1,
        "d2": d2,
    }


@pytest.fixture
def people(bma):
    return {
        "planner": member(bma["root"], Membership.Role.REVIEWER, "planner"),
        "kk_reviewer": member(bma["kk"], Membership.Role.REVIEWER, "kk_reviewer"),
        "planner_root": member(bma["root"], Membership.Role.REVIEWER, "planner_root"),
        "approver": member(bma["root"], Membership.Role.APPROVER, "approver"),
        "editor": member(bma["division"], Membership.Role.EDITOR, "editor"),
        "d1_editor": member(bma["d1"], Membership.Role.EDITOR, "d1_editor"),
        "d2_editor": member(bma["d2"], Membership.Role.EDITOR, "d2_editor"),
        "group_editor": member(bma["d1"], Membership.Role.EDITOR, "group_editor"),
        "nobody": UserFactory(username="nobody"),
    }


@pytest.fixture
def manuals(bma):
    return {
        "division": published_manual(bma["division"], "division"),
        "bureau": published_manual(bma["bureau"], "bureau"),
        "finance": published_manual(bma["other_bureau"], "finance"),
    }


@pytest.fixture
def shared(bma, people):
    """A shared district manual (ฝ่ายทะเบียน) owned by ก.ก., drafted by a working group and
    adopted by both district offices."""
    manual = published_manual(bma["kk"], "district-registry")
    manual.title = "คู่มือการปฏิบัติงาน ฝ่ายทะเบียน"
    manual.save()
    group = WorkingGroup.objects.create(manual=manual, name="คณะทำงานฝ่ายทะเบียน")
    WorkingGroupMember.objects.create(group=group, user=people["group_editor"], agency=bma["d1"])
    for key in ("d1", "d2"):
        Adoption.objects.create(manual=manual, agency=bma[key])
    return manual
