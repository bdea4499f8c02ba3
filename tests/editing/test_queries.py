"""The edit page of a 60-step process costs as many queries as a 5-step one; so does a save."""

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from reviews import services as review_services
from tests.editing.conftest import step_post
from tests.factories import FlowFactory, FormFactory, ProcessFactory, StepFactory


def _process_with(world, n: int):
    edition = world.draft
    process = ProcessFactory(mission=world.process.mission, edition=edition, position=10 + n)
    forms = [FormFactory(edition=edition) for _ in range(2)]
    steps = []
    for i in range(1, n + 1):
        step = StepFactory(process=process, position=i, lane=world.lanes[i % 2])
        step.other_lanes.add(world.lanes[(i + 1) % 2])
        step.forms.add(*forms)
        steps.append(step)
    for i in range(2, n, 3):
        FlowFactory(source=steps[i], target=steps[i - 2], label="ไม่อนุมัติ")
    return process


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_process_editor_query_count_does_not_grow_with_steps(world, editor_client):
    small = _process_with(world, 5)
    large = _process_with(world, 60)
    for name in ("processes:editor", "processes:preview", "processes:step_table"):
        small_n = _count(editor_client, reverse(name, args=[small.pk]))
        large_n = _count(editor_client, reverse(name, args=[large.pk]))
        print(name, small_n, large_n)
        assert small_n == large_n, (name, small_n, large_n)


def test_overview_query_count_does_not_grow_with_processes(world, editor_client):
    url = reverse("manuals:edition", args=[world.draft.pk])
    before = _count(editor_client, url)
    _process_with(world, 20)
    _process_with(world, 7)
    assert _count(editor_client, url) == before


def test_step_save_query_count_does_not_grow_with_steps(world, editor_client):
    counts = []
    for n in (5, 60):
        step = _process_with(world, n).steps.order_by("position")[2]
        with CaptureQueriesContext(connection) as ctx:
            response = editor_client.post(
                reverse("processes:step_edit", args=[step.pk]),
                step_post(step, duration_text="๒ วัน"),
                HTTP_HX_REQUEST="true",
            )
        assert response.status_code == 200
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1], counts


def _comment_on_every_step(world, process):
    reviewer = world.users["reviewer"]
    review_services.comment_add(target=process, by=reviewer, body="ของกระบวนการ")
    for step in process.steps.all():
        comment = review_services.comment_add(target=step, by=reviewer, body="ตรวจอีกครั้ง")
        review_services.comment_reply(comment=comment, by=world.users["editor"], body="แก้แล้ว")


def test_editor_with_comment_badges_costs_the_same_for_5_and_60_steps(world, editor_client):
    """Every step shows its open comments from one query, for the editor and the reviewer."""
    small = _process_with(world, 5)
    large = _process_with(world, 60)
    for process in (small, large):
        _comment_on_every_step(world, process)
    reviewer_client = Client()
    reviewer_client.force_login(world.users["reviewer"])
    for client in (editor_client, reviewer_client):
        for name in ("processes:editor", "processes:step_table"):
            small_n = _count(client, reverse(name, args=[small.pk]))
            large_n = _count(client, reverse(name, args=[large.pk]))
            assert small_n == large_n, (name, small_n, large_n)
        html = client.get(reverse("processes:editor", args=[large.pk])).content.decode()
        assert html.count('class="comment-count">๑<') == 60


def test_overview_with_comments_costs_the_same_for_more_processes(world, editor_client):
    url = reverse("manuals:edition", args=[world.draft.pk])
    _comment_on_every_step(world, world.process)
    before = _count(editor_client, url)
    for n in (20, 7):
        _comment_on_every_step(world, _process_with(world, n))
    assert _count(editor_client, url) == before
    assert editor_client.get(url).content.decode().count("comment-badge") == 3
