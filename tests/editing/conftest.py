"""A small world for the editor's tests: two agencies under one root, each with a draft manual."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

import pytest
from django.test import Client

from manuals.models import Edition, Membership
from tests.factories import (
    AgencyFactory,
    EditionFactory,
    FlowFactory,
    FormFactory,
    IndicatorFactory,
    LaneFactory,
    LegalReferenceFactory,
    LegalRequirementFactory,
    ManualFactory,
    MembershipFactory,
    ProcessFactory,
    RequirementFactory,
    StakeholderFactory,
    StepFactory,
    UserFactory,
)


@dataclass
class World:
    root: object
    own: object
    own_child: object
    other: object
    draft: Edition  # manual of own_child: editable by the own agency's editor
    other_draft: Edition
    published: Edition
    process: object
    steps: list
    lanes: list
    form: object
    other_process: object
    other_steps: list
    users: dict


def build_draft(agency, *, n_steps: int = 3) -> tuple[Edition, object, list, list, object]:
    edition = EditionFactory(manual=ManualFactory(agency=agency))
    lanes = [
        LaneFactory(edition=edition, position=1, name="จพง.ธุรการ"),
        LaneFactory(edition=edition, position=2, name="ผู้อำนวยการกอง"),
    ]
    form = FormFactory(edition=edition, code="แบบ ๑")
    process = ProcessFactory(mission__edition=edition, mission__position=1, position=1)
    steps = [
        StepFactory(process=process, position=i, lane=lanes[i % 2], label=f"ขั้นที่ {i}")
        for i in range(1, n_steps + 1)
    ]
    StakeholderFactory(process=process)
    RequirementFactory(process=process)
    IndicatorFactory(process=process)
    LegalRequirementFactory(process=process)
    if n_steps >= 2:
        FlowFactory(source=steps[1], target=steps[0], label="ไม่อนุมัติ")
    return edition, process, steps, lanes, form


@pytest.fixture
def world(db) -> World:
    root = AgencyFactory(name="กรุงเทพมหานคร", kind="bureau")
    own = AgencyFactory(name="สำนักพัฒนาสังคม", parent=root, kind="bureau")
    own_child = AgencyFactory(name="กองนโยบายและแผนงาน", parent=own)
    other = AgencyFactory(name="สำนักการคลัง", parent=root, kind="bureau")
    draft, process, steps, lanes, form = build_draft(own_child)
    other_draft, other_process, other_steps, _l, _f = build_draft(other)
    published = EditionFactory(
        manual=draft.manual,
        year_be=2564,
        status=Edition.Status.PUBLISHED,
        published_on=datetime.date(2021, 9, 30),
    )
    users = {
        "editor": MembershipFactory(user=UserFactory(username="ed_own"), agency=own).user,
        "other_editor": MembershipFactory(user=UserFactory(username="ed_other"), agency=other).user,
        "reviewer": MembershipFactory(
            user=UserFactory(username="rev"), agency=root, role=Membership.Role.REVIEWER
        ).user,
        "approver": MembershipFactory(
            user=UserFactory(username="appr"), agency=root, role=Membership.Role.APPROVER
        ).user,
        "admin": MembershipFactory(
            user=UserFactory(username="adm"), agency=root, role=Membership.Role.ADMIN
        ).user,
    }
    return World(
        root=root,
        own=own,
        own_child=own_child,
        other=other,
        draft=draft,
        other_draft=other_draft,
        published=published,
        process=process,
        steps=steps,
        lanes=lanes,
        form=form,
        other_process=other_process,
        other_steps=other_steps,
        users=users,
    )


@pytest.fixture
def editor_client(world) -> Client:
    client = Client()
    client.force_login(world.users["editor"])
    return client


def step_post(step, **changes) -> dict:
    """A complete step form POST as the browser sends it, with ``changes`` applied."""
    data = {
        "shape": step.shape,
        "label": step.label,
        "detail": step.detail,
        "lane": step.lane_id or "",
        "new_lane": "",
        "duration_text": step.duration_text,
        "headcount": step.headcount or "",
        "quality_standard": step.quality_standard,
        "monitoring": step.monitoring,
        "references": step.references,
        "version": step.version,
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


__all__ = ["LegalReferenceFactory", "build_draft", "step_post"]
