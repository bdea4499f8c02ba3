"""The search page: who sees which drafts, fixed query count, no error on any input."""

import pytest
from django.urls import reverse

from manuals.models import Membership
from tests.factories import (
    AgencyFactory,
    EditionFactory,
    ManualFactory,
    MembershipFactory,
    UserFactory,
)
from tests.search.conftest import fill

URL = reverse("search:search")
DRAFT_WORD = "ทะเบียนคุมสัญญายืมลับเฉพาะ"


@pytest.fixture
def tree(db):
    """A bureau with a division that has a draft; a second, unrelated bureau."""
    bureau = AgencyFactory(name="สำนักการคลัง")
    division = AgencyFactory(name="กองบัญชี", parent=bureau)
    other = AgencyFactory(name="สำนักอนามัย")
    draft = EditionFactory(manual=ManualFactory(agency=division))
    fill(draft, loan_detail=f"บันทึก{DRAFT_WORD}")
    return {"bureau": bureau, "division": division, "other": other, "draft": draft}


def member(agency, role):
    return MembershipFactory(agency=agency, role=role).user


@pytest.mark.parametrize(
    ("who", "sees"),
    [
        (("division", Membership.Role.EDITOR), True),
        (("bureau", Membership.Role.EDITOR), True),  # an editor of the parent edits sub-units
        (("other", Membership.Role.EDITOR), False),
        (("other", Membership.Role.REVIEWER), True),
        (("other", Membership.Role.APPROVER), True),
        (("other", Membership.Role.ADMIN), True),
        (None, False),  # signed in, no membership
    ],
)
@pytest.mark.parametrize("status", ["open", "all", "published", ""])
def test_drafts_only_for_those_who_may_read_them(client, tree, who, sees, status):
    user = member(tree[who[0]], who[1]) if who else UserFactory()
    client.force_login(user)
    response = client.get(URL, {"q": DRAFT_WORD, "status": status})
    assert response.status_code == 200
    found = "search-hit-link" in response.content.decode()
    # The default (and "published") never shows drafts, whoever asks.
    assert found == (sees and status in {"open", "all"})


def test_anonymous_is_sent_to_login(client):
    response = client.get(URL, {"q": "ยืมเงิน"})
    assert response.status_code == 302
    assert "login" in response["Location"]


@pytest.mark.parametrize(
    "params",
    [
        {"q": "ยืม\x00เงิน"},
        {"q": "x" * 5000},
        {"q": "ยืมเงิน", "agency": "²"},
        {"q": "ยืมเงิน", "agency": "-1", "year": "๒๕๖๗"},
        {"q": "ยืมเงิน", "year": "²๐"},
        {"q": "ยืมเงิน", "status": "bogus", "kind": "bogus"},
        {"q": "'\"%_*\\()<>"},
        {"q": '"ยืม" OR NEAR(เงิน'},
        {"q": "\u200b\u200c"},
    ],
)
def test_bad_input_is_never_an_error(client, tree, params):
    client.force_login(member(tree["division"], Membership.Role.EDITOR))
    assert client.get(URL, params).status_code == 200
    assert client.get(reverse("search:suggest"), params).status_code == 200


def _hits(n, agency):
    for i in range(n):
        edition = EditionFactory(manual=ManualFactory(agency=agency))
        fill(edition, loan_detail=f"การยืมเงินใช้ในราชการ รอบที่ {i}")


def test_query_count_does_not_grow_with_hits(
    client, django_assert_num_queries, django_assert_max_num_queries, tree
):
    user = member(tree["other"], Membership.Role.REVIEWER)
    client.force_login(user)
    _hits(1, tree["division"])
    params = {"q": "ยืมเงิน", "status": "all"}
    client.get(URL, params)  # warm caches (session, content types)
    with django_assert_max_num_queries(50) as few:
        response = client.get(URL, params)
    small = response.content.decode().count("search-hit-link")
    expected = len(few.captured_queries)  # now: later requests reset the query log
    _hits(6, tree["other"])
    with django_assert_num_queries(expected):
        response = client.get(URL, params)
    assert response.content.decode().count("search-hit-link") > small


def test_navbar_suggestions(client, tree):
    client.force_login(member(tree["division"], Membership.Role.EDITOR))
    page = client.get(reverse("manuals:home")).content.decode()
    assert 'id="nav-search"' in page and reverse("search:suggest") in page
    response = client.get(reverse("search:suggest"), {"q": DRAFT_WORD})
    assert response.status_code == 200
    # Suggestions search the published editions by default: the draft stays out.
    assert "ไม่พบรายการ" in response.content.decode()
