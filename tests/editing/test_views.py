from django.test import Client
from django.urls import reverse

from manuals.models import Definition
from processes.models import Flow, Step
from tests.editing.conftest import step_post
from tests.editing.endpoints import write_endpoints


def test_every_write_endpoint_succeeds_for_the_owner(world, editor_client):
    from django.db import transaction

    for name, method, url, data in write_endpoints(world.draft, world.process):
        with transaction.atomic():
            response = getattr(editor_client, method)(url, data, HTTP_HX_REQUEST="true")
            transaction.set_rollback(True)
        assert response.status_code in (200, 204), (name, response.content[:500])


def test_pages_render_for_the_editor(world, editor_client):
    edition, process = world.draft, world.process
    for url in [
        reverse("manuals:home"),
        reverse("manuals:edition", args=[edition.pk]),
        reverse("manuals:history", args=[edition.pk]),
        reverse("processes:table1", args=[edition.pk]),
        reverse("processes:editor", args=[process.pk]),
        reverse("processes:history", args=[process.pk]),
        reverse("processes:preview", args=[process.pk]),
        reverse("processes:edition_list", args=[edition.pk, "lane"]),
        reverse("processes:edition_list", args=[edition.pk, "definition"]),
        reverse("processes:legal_search", args=[process.pk]) + "?q=ระเบียบ",
    ]:
        response = editor_client.get(url)
        assert response.status_code == 200, url


def test_home_lists_own_manuals_with_draft_button(world, editor_client):
    page = editor_client.get(reverse("manuals:home")).content.decode()
    assert world.own_child.name in page
    assert world.other.name not in page
    assert "เปิดฉบับร่างเพื่อแก้ไข" in page


def test_step_save_returns_the_row_and_keeps_the_change(world, editor_client):
    step = world.steps[0]
    response = editor_client.post(
        reverse("processes:step_edit", args=[step.pk]),
        step_post(step, duration_text="๒-๓ วันทำการ"),
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assert response["HX-Trigger"] == "steps-changed"
    assert "๒-๓ วันทำการ" in response.content.decode()
    assert Step.objects.get(pk=step.pk).duration_text == "๒-๓ วันทำการ"


def test_unparsed_duration_is_kept_and_flagged(world, editor_client):
    step = world.steps[0]
    editor_client.post(
        reverse("processes:step_edit", args=[step.pk]),
        step_post(step, duration_text="ฟหกด ๆลๆ"),
    )
    page = editor_client.get(reverse("processes:editor", args=[world.process.pk])).content.decode()
    assert "ระบบอ่านระยะเวลานี้ไม่ได้" in page
    overview = editor_client.get(reverse("manuals:edition", args=[world.draft.pk])).content
    assert "ฟหกด ๆลๆ" in overview.decode()


def test_invalid_step_answers_422_with_thai_errors_in_place(world, editor_client):
    step = world.steps[0]
    response = editor_client.post(
        reverse("processes:step_edit", args=[step.pk]),
        step_post(step, headcount="สอง", lane=world.other_draft.lanes.first().pk),
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 422
    body = response.content.decode()
    assert "กรุณากรอกตัวเลขจำนวนเต็ม" in body
    assert "ไม่ได้อยู่ในคู่มือฉบับนี้" in body


def test_insert_between_and_move_by_drag(world, editor_client):
    process = world.process
    editor_client.post(
        reverse("processes:step_new", args=[process.pk]),
        {
            **step_post(Step(process=process), label="แทรก"),
            "after": world.steps[0].pk,
            "version": "",
        },
    )
    labels = list(
        Step.objects.filter(process=process).order_by("position").values_list("label", flat=True)
    )
    assert labels == ["ขั้นที่ 1", "แทรก", "ขั้นที่ 2", "ขั้นที่ 3"]
    editor_client.post(reverse("processes:step_move", args=[world.steps[2].pk]), {"to_position": 1})
    editor_client.post(
        reverse("processes:step_move", args=[world.steps[0].pk]), {"direction": "down"}
    )
    labels = list(
        Step.objects.filter(process=process).order_by("position").values_list("label", flat=True)
    )
    assert labels == ["ขั้นที่ 3", "แทรก", "ขั้นที่ 1", "ขั้นที่ 2"]


def test_flow_to_another_process_is_refused(world, editor_client):
    response = editor_client.post(
        reverse("processes:flow_add", args=[world.steps[2].pk]),
        {"label": "x", "target": world.other_steps[0].pk},
    )
    assert response.status_code == 422
    assert not Flow.objects.filter(target=world.other_steps[0], source=world.steps[2]).exists()


def test_other_agency_draft_is_403_in_thai(world, editor_client):
    response = editor_client.get(reverse("manuals:edition", args=[world.other_draft.pk]))
    assert response.status_code == 403
    assert "ไม่มีสิทธิ์" in response.content.decode()
    response = editor_client.get(reverse("processes:editor", args=[world.other_process.pk]))
    assert response.status_code == 403


def test_published_edition_is_read_only(world):
    client = Client()
    client.force_login(world.users["other_editor"])
    page = client.get(reverse("manuals:edition", args=[world.published.pk]))
    assert page.status_code == 200
    assert "แก้ไขไม่ได้" in page.content.decode()


def test_text_is_escaped_everywhere(world, editor_client):
    step = world.steps[0]
    evil = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    editor_client.post(
        reverse("processes:step_edit", args=[step.pk]),
        step_post(step, detail=evil, label=evil[:100]),
    )
    Definition.objects.create(edition=world.draft, term=evil, meaning=evil, position=9)
    for url in [
        reverse("processes:editor", args=[world.process.pk]),
        reverse("processes:preview", args=[world.process.pk]),
        reverse("processes:history", args=[world.process.pk]),
        reverse("processes:edition_list", args=[world.draft.pk, "definition"]),
    ]:
        body = editor_client.get(url).content.decode()
        assert "<script>alert" not in body and "<img src=x" not in body, url
        assert "&lt;script&gt;" in body, url


def test_history_shows_who_and_old_to_new(world, editor_client):
    step = world.steps[0]
    editor_client.post(
        reverse("processes:step_edit", args=[step.pk]), step_post(step, duration_text="๙ วัน")
    )
    body = editor_client.get(reverse("processes:history", args=[world.process.pk])).content.decode()
    assert "ed_own" in body
    assert "๕ นาที" in body and "๙ วัน" in body
    body = editor_client.get(reverse("manuals:history", args=[world.draft.pk])).content.decode()
    assert "๙ วัน" in body


def test_legal_autocomplete_matches_all_thai_words(world, editor_client):
    from manuals.models import LegalReference

    LegalReference.objects.create(
        kind="regulation",
        title="ระเบียบกระทรวงการคลังว่าด้วยการจัดซื้อจัดจ้างและการบริหารพัสดุภาครัฐ",
        year_be=2560,
    )
    url = reverse("processes:legal_search", args=[world.process.pk])
    assert "การบริหารพัสดุภาครัฐ" in editor_client.get(url, {"q": "ระเบียบ พัสดุ"}).content.decode()
    assert "การบริหารพัสดุภาครัฐ" in editor_client.get(url, {"q": "จัดซื้อ ๒๕๖๐"}).content.decode()
    assert "การบริหารพัสดุภาครัฐ" not in editor_client.get(url, {"q": "พัสดุ สารบรรณ"}).content.decode()


def test_start_revision_from_home(world):
    from manuals.models import Edition

    Edition.objects.filter(pk=world.draft.pk).delete()
    client = Client()
    client.force_login(world.users["editor"])
    assert "เริ่มฉบับปรับปรุง" in client.get(reverse("manuals:home")).content.decode()
    response = client.post(
        reverse("manuals:start_revision", args=[world.draft.manual.slug]), {"year_be": 2567}
    )
    assert response.status_code == 302
    assert world.draft.manual.editions.open().count() == 1


def test_table2_add_forms_open_on_demand_and_stay_open_after_adding(world, editor_client):
    process = world.process
    page = editor_client.get(reverse("processes:editor", args=[process.pk])).content.decode()
    create = reverse("processes:row_create", args=["stakeholder", process.pk])
    assert f'hx-get="{create}"' in page  # the "เพิ่มรายการ" button, not the form
    assert f'hx-post="{create}"' not in page
    form = editor_client.get(create, HTTP_HX_REQUEST="true")
    assert form.status_code == 200
    assert f'hx-post="{create}"' in form.content.decode()
    assert 'name="needs"' in form.content.decode()
    added = editor_client.post(create, {"kind": "recipient", "name": "ผู้ยื่นคำขอ", "needs": "เร็ว"})
    body = added.content.decode()
    assert added.status_code == 200 and "ผู้ยื่นคำขอ" in body
    assert f'hx-post="{create}"' in body  # an empty form for the next row


def test_new_law_form_opens_on_demand(world, editor_client):
    url = reverse("processes:legal_new", args=[world.process.pk])
    page = editor_client.get(reverse("processes:editor", args=[world.process.pk])).content.decode()
    assert f'hx-get="{url}"' in page and 'name="text"' not in page
    form = editor_client.get(url, HTTP_HX_REQUEST="true").content.decode()
    assert f'hx-post="{url}"' in form and 'name="text"' in form
    refused = editor_client.post(url, {"text": "", "kind": "regulation", "clause_note": ""})
    assert refused.status_code == 422
    assert 'name="text"' in refused.content.decode()  # the form stays open with its error


def test_step_save_answers_only_the_saved_row(world, editor_client):
    step = world.steps[1]
    response = editor_client.post(
        reverse("processes:step_edit", args=[step.pk]),
        step_post(step, duration_text="๒ วัน", other_lanes=[world.lanes[0].pk]),
        HTTP_HX_REQUEST="true",
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert body.count("<tr") == 1 and f'id="step-{step.pk}"' in body
    assert "๒ วัน" in body and f"+ {world.lanes[0].name}" in body
    assert "ไม่อนุมัติ" in body  # its branch back to step 1
    assert reverse("processes:step_edit", args=[step.pk]) in body
    assert 'title="แก้ไขขั้นตอน (Enter)"' in body


def test_step_choices_from_another_edition_are_refused(world, editor_client):
    step = world.steps[0]
    other_lane = world.other_draft.lanes.first()
    for data in (
        {"other_lanes": [other_lane.pk]},
        {"other_lanes": ["abc"]},
        {"forms": [world.other_draft.forms.first().pk if world.other_draft.forms.exists() else 0]},
        {"lane": "999999"},
    ):
        response = editor_client.post(
            reverse("processes:step_edit", args=[step.pk]), step_post(step, **data)
        )
        assert response.status_code == 422, data
        assert "ไม่ถูกต้อง" in response.content.decode(), data
    assert not Step.objects.get(pk=step.pk).other_lanes.exists()
