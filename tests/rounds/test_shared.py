"""Shared manuals: who edits, who comments, what each sees, and each adopter's own PDF."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from manuals.models import Membership
from manuals.permissions import can_edit
from reviews import services as review_services
from rounds import services
from tests.rounds.conftest import MILESTONES, member


@pytest.fixture
def draft(people, shared, manuals):
    services.round_open(
        by=people["planner"], title="รอบ 2567", year_be=2567, scope=None, milestones=MILESTONES
    )
    return shared.editions.open().get()


@pytest.fixture
def district_reviewer(bma):
    """A reviewer of a sub-unit of a district office adopts through the district."""
    from tests.factories import AgencyFactory

    unit = AgencyFactory(name="ฝ่ายทะเบียน", parent=bma["d2"], kind="subdivision")
    return member(unit, Membership.Role.REVIEWER, "d2_registry")


# who → (view the draft, edit it, comment on it, approve it)
MATRIX = {
    "group_editor": (True, True, True, False),
    "d1_editor": (True, False, True, False),
    "d2_editor": (True, False, True, False),
    "editor": (False, False, False, False),  # a bureau's editor: not an adopter
    "planner_root": (True, False, True, False),
    "approver": (True, False, True, True),
    "nobody": (False, False, False, False),
}


@pytest.mark.parametrize("who", list(MATRIX))
def test_permission_matrix_over_the_shared_draft(people, draft, who):
    user = people[who]
    view, edit, comment, approve = MATRIX[who]
    assert user.has_perm("manuals.view_edition", draft) is view
    assert can_edit(user, draft) is edit
    assert user.has_perm("reviews.comment", draft) is comment
    assert user.has_perm("reviews.approve_edition", draft) is approve


def test_group_members_edit_only_their_shared_manual(people, draft, manuals):
    other = manuals["division"].editions.open().get()
    assert can_edit(people["group_editor"], draft)
    assert not can_edit(people["group_editor"], other)
    # the owner agency's own editors do not edit a shared manual either
    kk_editor = member(draft.manual.agency, Membership.Role.EDITOR, "kk_editor")
    assert not can_edit(kk_editor, draft)


def test_a_sub_unit_of_an_adopter_comments_but_cannot_edit(district_reviewer, draft):
    assert district_reviewer.has_perm("reviews.comment", draft)
    assert not can_edit(district_reviewer, draft)


def test_adopters_cannot_edit_through_the_editor(client, people, draft):
    from processes.models import Step

    step = Step.objects.filter(process__edition=draft).first()
    client.force_login(people["d1_editor"])
    response = client.post(
        reverse("processes:step_edit", kwargs={"pk": step.pk}),
        {"detail": "แก้โดยเขต", "version": step.version},
    )
    assert response.status_code == 403
    step.refresh_from_db()
    assert step.detail != "แก้โดยเขต"


def test_group_sees_comments_grouped_by_agency_and_answers(client, people, draft):
    for who, body in (("d1_editor", "ขอเพิ่มขั้นตอนตรวจเอกสาร"), ("d2_editor", "ระยะเวลาไม่ตรง")):
        services.adopter_comment_add(target=draft, by=people[who], body=body)
    services.adopter_comment_add(target=draft, by=people["d2_editor"], body="ขอแบบฟอร์มใหม่")
    client.force_login(people["group_editor"])
    html = client.get(reverse("rounds:shared", args=[draft.manual.pk])).content.decode()
    assert "สำนักงานเขตพระนคร" in html and "สำนักงานเขตบางรัก" in html
    assert "๒ ความเห็น · ยังไม่ปิด ๒ · ตอบแล้ว ๐" in html
    assert 'data-action="edit-shared"' in html and 'data-action="answer"' in html
    thread = draft.comments.get(body="ระยะเวลาไม่ตรง")
    page = reverse("rounds:shared", args=[draft.manual.pk])
    client.post(
        reverse("reviews:comment_reply", args=[thread.pk]), {"body": "ปรับแล้ว", "next": page}
    )
    client.post(reverse("reviews:comment_resolve", args=[thread.pk]), {"next": page})
    thread.refresh_from_db()
    assert not thread.is_open and thread.replies.get().body == "ปรับแล้ว"

    # the district sees its own comments and the answer, not the other district's
    client.force_login(people["d2_editor"])
    html = client.get(page).content.decode()
    assert "ปรับแล้ว" in html and "ระยะเวลาไม่ตรง" in html
    assert "ขอเพิ่มขั้นตอนตรวจเอกสาร" not in html
    assert 'data-action="edit-shared"' not in html and 'data-action="answer"' not in html


def test_adopter_comment_form_and_bad_input(client, people, draft):
    client.force_login(people["d1_editor"])
    url = reverse("rounds:shared_comment", args=[draft.manual.pk])
    assert client.post(url, {"body": "  "}).status_code == 302
    assert not draft.comments.exists()
    client.post(url, {"body": "ขอแก้ไขขั้นตอนที่ ๒"})
    assert draft.comments.get().author == people["d1_editor"]
    client.force_login(people["editor"])  # not an adopter: refused, nothing written
    assert client.post(url, {"body": "ไม่ควรได้"}).status_code in (302, 403)
    assert draft.comments.count() == 1


def test_each_adopter_prints_its_own_name(client, people, draft, bma, tmp_path):
    from rounds.models import AdopterPdf
    from tests.rounds.test_views import _pdf_text

    client.force_login(people["d2_editor"])
    page = client.get(reverse("rounds:adopter_pdf", args=[draft.manual.pk, bma["d2"].pk]))
    assert page.status_code == 200
    export = AdopterPdf.objects.get()  # the immediate task backend made it inline
    assert export.status == AdopterPdf.Status.DONE and export.agency == bma["d2"]
    assert 'data-action="download-adopter-pdf"' in page.content.decode()
    response = client.get(reverse("rounds:adopter_pdf_file", args=[export.pk]))
    assert response.status_code == 200
    text = _pdf_text(b"".join(response.streaming_content), tmp_path)
    cover = text.split("\f")[0]
    assert "สํานักงานเขตบางรัก" in cover or "สำนักงานเขตบางรัก" in cover
    assert "ก.ก." not in cover
    # asking again reuses the finished copy
    client.get(reverse("rounds:adopter_pdf", args=[draft.manual.pk, bma["d2"].pk]))
    assert AdopterPdf.objects.count() == 1
    # a district prints only its own copy, and cannot fetch another's file
    other = client.get(reverse("rounds:adopter_pdf", args=[draft.manual.pk, bma["d1"].pk]))
    assert other.status_code == 403
    client.force_login(people["d1_editor"])
    assert client.get(reverse("rounds:adopter_pdf_file", args=[export.pk])).status_code == 403


def test_review_services_refuse_adopters_editing_moves(people, draft):
    with pytest.raises(PermissionDenied):
        review_services.edition_submit(edition=draft, by=people["d1_editor"])
    review_services.edition_submit(edition=draft, by=people["group_editor"])


def test_a_district_reviewer_plans_nothing_and_sees_only_its_comments(
    client, people, draft, district_reviewer
):
    assert not district_reviewer.has_perm("rounds.view_round")
    assert not district_reviewer.has_perm("rounds.plan_round")
    services.adopter_comment_add(target=draft, by=people["d1_editor"], body="ความเห็นของพระนคร")
    services.adopter_comment_add(target=draft, by=district_reviewer, body="ความเห็นของบางรัก")
    client.force_login(district_reviewer)
    html = client.get(reverse("rounds:shared", args=[draft.manual.pk])).content.decode()
    assert "ความเห็นของบางรัก" in html and "ความเห็นของพระนคร" not in html
    assert client.get(reverse("rounds:list")).status_code == 403
