"""The admin speaks Thai (issue 11, item 15): section titles, success messages, task results;
and ``/favicon.ico`` is a real icon on every page."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_admin_index_names_users_and_tasks_in_thai(admin_client):
    html = admin_client.get(reverse("admin:index")).content.decode()
    assert "ผู้ใช้และกลุ่มผู้ใช้" in html
    assert "การตรวจสอบและอนุมัติ" in html  # the review app keeps its own title
    assert "Task Results" not in html
    assert "ผลการทำงานเบื้องหลัง" in html
    assert "Tasks Database Backend" not in html


def test_admin_index_in_english_keeps_english(admin_client):
    admin_client.cookies["django_language"] = "en"
    html = admin_client.get(reverse("admin:index")).content.decode()
    assert "Users and groups" in html
    assert "ผู้ใช้และกลุ่มผู้ใช้" not in html


def test_admin_success_message_is_thai(admin_client):
    response = admin_client.post(
        reverse("admin:auth_group_add"), {"name": "ผู้ตรวจสอบ กทม."}, follow=True
    )
    assert Group.objects.filter(name="ผู้ตรวจสอบ กทม.").exists()
    messages = [str(m) for m in response.context["messages"]]
    assert messages and all("successfully" not in m for m in messages), messages
    assert any("เรียบร้อยแล้ว" in m for m in messages), messages


def test_favicon_is_an_icon(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/x-icon"
    assert response.content[:4] == b"\x00\x00\x01\x00"  # the ICO signature


def test_every_page_links_the_icon(client):
    html = client.get(reverse("login")).content.decode()
    assert 'rel="icon" href="/favicon.ico"' in html
