"""The demo revision round: 50 district offices adopting two shared manuals, 20 departments.

``load_demo`` calls ``load_round_demo`` after the demo manual (``demo.manual``) unless
``--no-round`` or ``settings.DEMO_ROUND`` is off. Idempotent: a second run only makes sure the
users exist.
"""

from __future__ import annotations

import datetime

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from demo.manual import DEMO_PASSWORD
from manuals.models import (
    Adoption,
    Agency,
    Edition,
    Manual,
    Membership,
    WorkingGroup,
    WorkingGroupMember,
)
from manuals.services import edition_deep_copy
from processes.models import Mission, Process
from rounds.services import round_open, round_run_opening

ROUND_TITLE = "รอบการปรับปรุงคู่มือการปฏิบัติงาน พ.ศ. 2570"
# The shared district manuals keep the demo's first processes only: a short print for each
# of the 50 districts.
SHARED_PROCESSES = 2

DISTRICTS = [
    "พระนคร",
    "ดุสิต",
    "หนองจอก",
    "บางรัก",
    "บางเขน",
    "บางกะปิ",
    "ปทุมวัน",
    "ป้อมปราบศัตรูพ่าย",
    "พระโขนง",
    "มีนบุรี",
    "ลาดกระบัง",
    "ยานนาวา",
    "สัมพันธวงศ์",
    "พญาไท",
    "ธนบุรี",
    "บางกอกใหญ่",
    "ห้วยขวาง",
    "คลองสาน",
    "ตลิ่งชัน",
    "บางกอกน้อย",
    "บางขุนเทียน",
    "ภาษีเจริญ",
    "หนองแขม",
    "ราษฎร์บูรณะ",
    "บางพลัด",
    "ดินแดง",
    "บึงกุ่ม",
    "สาทร",
    "บางซื่อ",
    "จตุจักร",
    "บางคอแหลม",
    "ประเวศ",
    "คลองเตย",
    "สวนหลวง",
    "จอมทอง",
    "ดอนเมือง",
    "ราชเทวี",
    "ลาดพร้าว",
    "วัฒนา",
    "บางแค",
    "หลักสี่",
    "สายไหม",
    "คันนายาว",
    "สะพานสูง",
    "วังทองหลาง",
    "คลองสามวา",
    "บางนา",
    "ทวีวัฒนา",
    "ทุ่งครุ",
    "บางบอน",
]
BUREAUS = (
    "สำนักการคลัง",
    "สำนักการโยธา",
    "สำนักการระบายน้ำ",
    "สำนักการแพทย์",
    "สำนักอนามัย",
    "สำนักการศึกษา",
    "สำนักสิ่งแวดล้อม",
    "สำนักการจราจรและขนส่ง",
    "สำนักผังเมือง",
    "สำนักเทศกิจ",
    "สำนักป้องกันและบรรเทาสาธารณภัย",
    "สำนักวัฒนธรรม กีฬา และการท่องเที่ยว",
    "สำนักยุทธศาสตร์และประเมินผล",
    "สำนักงบประมาณกรุงเทพมหานคร",
    "สำนักงานการเจ้าหน้าที่",
    "สำนักงานกฎหมายและคดี",
    "สำนักงานประชาสัมพันธ์",
    "สำนักงานตรวจสอบภายใน",
    "สำนักงานคณะกรรมการข้าราชการกรุงเทพมหานคร",
)
SHARED = (
    ("district-registry", "ฝ่ายทะเบียน", "คณะทำงานจัดทำคู่มือการปฏิบัติงาน ฝ่ายทะเบียน", "group_registry"),
    ("district-finance", "ฝ่ายการคลัง", "คณะทำงานจัดทำคู่มือการปฏิบัติงาน ฝ่ายการคลัง", "group_finance"),
)


def _user(username: str, title: str):
    user, created = get_user_model().objects.get_or_create(
        username=username, defaults={"first_name": title, "email": f"{username}@example.org"}
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save()
    return user


def _published_copy(
    *, source: Edition, manual: Manual, keep_missions: int | None = None, keep_processes=None
):
    """A published edition of ``manual`` with the demo's content (or its first missions)."""
    edition = Edition.objects.create(
        manual=manual,
        year_be=source.year_be,
        label=source.label,
        status=Edition.Status.DRAFT,
        **{
            f: getattr(source, f)
            for f in ("preface", "executive_summary", "background", "objectives")
        },
    )
    edition_deep_copy(source=source, into=edition)
    if keep_missions is not None:
        for mission in Mission.objects.filter(edition=edition).order_by("position")[keep_missions:]:
            mission.processes.all().delete()
            mission.delete()
    if keep_processes is not None:
        tops = Process.objects.filter(edition=edition, parent__isnull=True).order_by(
            "mission__position", "position"
        )
        for process in tops[keep_processes:]:
            process.delete()
    edition.status = Edition.Status.PUBLISHED
    edition.published_on = source.published_on
    edition.save()
    return edition


@transaction.atomic
def load_round_demo(*, demo, open_round: bool = True) -> list[tuple[str, str, str]]:
    """Add the BMA tree, the shared district manuals, 20 departments and an open round."""
    source = demo.edition
    reviewer = get_user_model().objects.get(username="reviewer")
    approver = get_user_model().objects.get(username="approver")
    root, _ = Agency.objects.get_or_create(
        name="กรุงเทพมหานคร",
        parent=None,
        defaults={"kind": Agency.Kind.BUREAU, "short_name": "กทม."},
    )
    # The demo's planner and approver act for the whole BMA in the round.
    Membership.objects.get_or_create(user=reviewer, agency=root, role=Membership.Role.REVIEWER)
    Membership.objects.get_or_create(user=approver, agency=root, role=Membership.Role.APPROVER)
    kk = None
    for name in BUREAUS:
        kind = Agency.Kind.OFFICE if name.startswith("สำนักงาน") else Agency.Kind.BUREAU
        bureau, _ = Agency.objects.get_or_create(name=name, parent=root, defaults={"kind": kind})
        if name == "สำนักงานคณะกรรมการข้าราชการกรุงเทพมหานคร":
            kk = bureau
    districts = []
    for name in DISTRICTS:
        district, _ = Agency.objects.get_or_create(
            name=f"สำนักงานเขต{name}", parent=root, defaults={"kind": Agency.Kind.DISTRICT}
        )
        districts.append(district)

    users = [
        ("district_a", DEMO_PASSWORD, "ผู้ตรวจสอบ ฝ่ายทะเบียน สำนักงานเขตพระนคร"),
        ("district_b", DEMO_PASSWORD, "ผู้ตรวจสอบ ฝ่ายทะเบียน สำนักงานเขตบางรัก"),
        ("district_editor", DEMO_PASSWORD, "ผู้จัดทำ ฝ่ายทะเบียน สำนักงานเขตพระนคร (ส่วนเพิ่มเติม)"),
    ] + [(u, DEMO_PASSWORD, f"คณะทำงาน{unit}") for _s, unit, _g, u in SHARED]
    if Manual.objects.filter(slug=SHARED[0][0]).exists():
        return users

    for slug, unit, group_name, username in SHARED:
        # The cover reads คู่มือการปฏิบัติงาน / ฝ่ายทะเบียน / สำนักงานเขต… of each adopter.
        manual = Manual.objects.create(agency=kk, slug=slug, title="คู่มือการปฏิบัติงาน")
        _published_copy(
            source=source, manual=manual, keep_missions=1, keep_processes=SHARED_PROCESSES
        )
        group = WorkingGroup.objects.create(manual=manual, name=group_name)
        user = _user(username, f"คณะทำงาน{unit}")
        for district in districts:
            division, _ = Agency.objects.get_or_create(
                name=unit, parent=district, defaults={"kind": Agency.Kind.SUBDIVISION}
            )
            Adoption.objects.create(manual=manual, agency=division)
        first = Agency.objects.get(name=unit, parent=districts[0])
        WorkingGroupMember.objects.create(group=group, user=user, agency=first)
    for username, district_index in (("district_a", 0), ("district_b", 3)):
        user = _user(username, "")
        unit = Agency.objects.get(name="ฝ่ายทะเบียน", parent=districts[district_index])
        user.first_name = f"ผู้ตรวจสอบ ฝ่ายทะเบียน {districts[district_index].name}"
        user.save()
        Membership.objects.get_or_create(user=user, agency=unit, role=Membership.Role.REVIEWER)
    # the district's own editor keeps its local additions to the shared manuals
    user = _user("district_editor", "")
    user.first_name = f"ผู้จัดทำ ฝ่ายทะเบียน {districts[0].name}"
    user.save()
    unit = Agency.objects.get(name="ฝ่ายทะเบียน", parent=districts[0])
    Membership.objects.get_or_create(user=user, agency=unit, role=Membership.Role.EDITOR)

    for index, name in enumerate(BUREAUS):
        bureau = Agency.objects.get(name=name, parent=root)
        manual = Manual.objects.create(agency=bureau, slug=f"bureau-{index + 1}")
        _published_copy(source=source, manual=manual, keep_missions=1)

    if not open_round:  # the browser test opens it through the form
        return users
    today = timezone.localdate()
    round = round_open(
        by=reviewer,
        title=ROUND_TITLE,
        year_be=2570,
        scope=None,
        milestones={
            "draft_due": today + datetime.timedelta(days=45),
            "review_due": today + datetime.timedelta(days=90),
            "final_due": today + datetime.timedelta(days=150),
            "approval": today + datetime.timedelta(days=180),
        },
        enqueue=False,
    )
    round_run_opening(round_id=round.pk)
    return users
