"""Review comments beside the editor's items: badges with the open count, threads in place."""

from __future__ import annotations

import re

from django.test import Client
from django.urls import reverse

from reviews import services
from reviews.models import Comment
from tests.editing.conftest import step_post

HX = {"HTTP_HX_REQUEST": "true"}


def _step_row(html: str, step) -> str:
    match = re.search(rf'<tr id="step-{step.pk}".*?</tr>', html, re.S)
    assert match, f"no row for step {step.pk}"
    return match.group(0)


def _toggle(html: str, key: str) -> str:
    match = re.search(rf'<button[^>]*data-comments-key="{key}"[^>]*>.*?</button>', html, re.S)
    assert match, f"no comment button for {key}"
    return match.group(0)


def _count(button: str) -> str:
    return re.search(r'class="comment-count[^"]*">([^<]*)<', button).group(1)


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_each_step_row_shows_its_open_comment_count(world, editor_client):
    first, second, third = world.steps
    reviewer = world.users["reviewer"]
    services.comment_add(target=first, by=reviewer, body="ระบุแบบฟอร์ม")
    services.comment_add(target=first, by=reviewer, body="ระบุระยะเวลา")
    done = services.comment_add(target=second, by=reviewer, body="แก้แล้ว")
    services.comment_resolve(comment=done, by=world.users["editor"])
    services.comment_reply(
        comment=Comment.objects.get(body="ระบุแบบฟอร์ม"), by=world.users["editor"], body="รับทราบ"
    )

    html = editor_client.get(reverse("processes:editor", args=[world.process.pk])).content.decode()

    button = _toggle(_step_row(html, first), f"step-{first.pk}")
    assert _count(button) == "๒"  # threads only: the reply is not counted
    assert "btn-warning" in button
    url = reverse("reviews:comments", args=["step", first.pk])
    assert f'data-comments-url="{url}"' in button
    for quiet in (second, third):
        button = _toggle(_step_row(html, quiet), f"step-{quiet.pk}")
        assert _count(button) == ""
        assert "btn-outline-secondary" in button


def test_process_badge_beside_the_title_counts_the_process_comments(world, editor_client):
    services.comment_add(target=world.process, by=world.users["reviewer"], body="ขอบเขตกว้างไป")
    services.comment_add(target=world.steps[0], by=world.users["reviewer"], body="ของขั้นตอน")
    html = editor_client.get(reverse("processes:editor", args=[world.process.pk])).content.decode()
    button = _toggle(html, f"process-{world.process.pk}")
    assert _count(button) == "๑"
    assert 'data-comments-slot="#process-comments"' in button
    assert 'id="process-comments" hidden' in html


def test_saved_step_row_keeps_its_badge(world, editor_client):
    step = world.steps[0]
    services.comment_add(target=step, by=world.users["reviewer"], body="แก้รายละเอียด")
    response = editor_client.post(
        reverse("processes:step_edit", args=[step.pk]), step_post(step, detail="ใหม่"), **HX
    )
    assert response.status_code == 200
    assert _count(_toggle(response.content.decode(), f"step-{step.pk}")) == "๑"


def test_editor_comments_replies_resolves_and_reopens_in_place(world, editor_client):
    step = world.steps[1]
    comment = services.comment_add(target=step, by=world.users["reviewer"], body="ไม่ชัด")
    url = reverse("reviews:comments", args=["step", step.pk])

    html = editor_client.get(url, **HX).content.decode()
    assert f'id="comments-step-{step.pk}"' in html and 'data-open-count="1"' in html
    assert "ไม่ชัด" in html and "comment-form" in html

    response = editor_client.post(
        reverse("reviews:comment_reply", args=[comment.pk]), {"body": "แก้แล้ว"}, **HX
    )
    assert response["HX-Trigger"] == "comments-changed"
    assert "comment-reply" in response.content.decode()

    response = editor_client.post(reverse("reviews:comment_resolve", args=[comment.pk]), **HX)
    html = response.content.decode()
    assert 'data-comment-status="resolved"' in html
    assert 'data-open-count="0"' in html
    assert response["HX-Trigger"] == "comments-changed"

    response = editor_client.post(reverse("reviews:comment_reopen", args=[comment.pk]), **HX)
    assert 'data-open-count="1" data-open-label="๑"' in response.content.decode()

    response = editor_client.post(
        reverse("reviews:comment_add", args=["step", step.pk]), {"body": "เพิ่มอีกข้อ"}, **HX
    )
    assert 'data-open-count="2"' in response.content.decode()
    assert Comment.objects.threads().filter(step=step, author=world.users["editor"]).count() == 1


def test_reviewer_reads_the_draft_editor_and_comments_from_a_step_row(world, editor_client):
    reviewer = _client(world.users["reviewer"])
    step = world.steps[2]
    html = reviewer.get(reverse("processes:editor", args=[world.process.pk])).content.decode()
    row = _step_row(html, step)
    assert "js-edit" not in row and "data-move-url" not in row  # read-only
    assert f'data-comments-key="step-{step.pk}"' in row

    fragment = reviewer.get(reverse("reviews:comments", args=["step", step.pk]), **HX)
    assert fragment.status_code == 200
    assert "comment-form" in fragment.content.decode()

    response = reviewer.post(
        reverse("reviews:comment_add", args=["step", step.pk]), {"body": "ควรระบุผู้ลงนาม"}, **HX
    )
    assert response.status_code == 200
    assert 'data-open-count="1"' in response.content.decode()
    comment = Comment.objects.get()
    assert (comment.step, comment.author) == (step, world.users["reviewer"])

    html = editor_client.get(reverse("processes:editor", args=[world.process.pk])).content.decode()
    assert _count(_toggle(_step_row(html, step), f"step-{step.pk}")) == "๑"


def test_reviewer_comments_on_the_process_from_its_editor(world):
    reviewer = _client(world.users["reviewer"])
    response = reviewer.post(
        reverse("reviews:comment_add", args=["process", world.process.pk]),
        {"body": "ขอบเขตไม่ครบ"},
        **HX,
    )
    assert response.status_code == 200
    assert f'id="comments-process-{world.process.pk}"' in response.content.decode()
    assert Comment.objects.get().process == world.process


def test_another_units_editor_cannot_read_or_add_step_comments(world):
    other = _client(world.users["other_editor"])
    step = world.steps[0]
    assert other.get(reverse("reviews:comments", args=["step", step.pk]), **HX).status_code == 403
    response = other.post(
        reverse("reviews:comment_add", args=["step", step.pk]), {"body": "ไม่ควรได้"}, **HX
    )
    assert response.status_code == 403
    assert not Comment.objects.exists()


def test_overview_counts_open_comments_per_process_and_links_to_the_review(world, editor_client):
    reviewer = world.users["reviewer"]
    services.comment_add(target=world.process, by=reviewer, body="ของกระบวนการ")
    services.comment_add(target=world.steps[0], by=reviewer, body="ของขั้นตอน")
    services.comment_add(target=world.draft, by=reviewer, body="ของทั้งฉบับ")
    services.comment_add(target=world.other_process, by=reviewer, body="ของหน่วยงานอื่น")

    html = editor_client.get(reverse("manuals:edition", args=[world.draft.pk])).content.decode()

    review = reverse("reviews:edition", args=[world.draft.pk])
    badge = re.search(
        rf'<a class="[^"]*comment-badge"[^>]*href="{review}#process-{world.process.pk}".*?</a>',
        html,
        re.S,
    )
    assert badge and "๒" in badge.group(0)
    assert html.count("comment-badge") == 1
    assert _count(_toggle(html, f"edition-{world.draft.pk}")) == "๑"
    assert 'hx-trigger="load, comments-changed from:body"' in html  # the panel's total follows
