"""Hundreds of malformed requests across the write endpoints: 4xx with a message, never a 500,
and the database is exactly as before."""

from django.apps import apps
from django.test import Client

from tests.editing.endpoints import write_endpoints

APPS = ("manuals", "processes")


def snapshot() -> dict:
    """Every row of every model (history tables included) of the editor's apps."""
    out = {}
    for app in APPS:
        for model in apps.get_app_config(app).get_models():
            out[model._meta.label] = sorted(
                tuple(sorted((k, str(v)) for k, v in row.items()))
                for row in model.objects.all().values()
            )
    return out


def malformed_variants(world, name, method, data):
    if method != "post" or not data:  # deletes have no body to get wrong
        return []
    variants = [{}]
    keys = [k for k in data if k != "after"]
    for key in keys:  # each field missing in turn
        variants.append({k: v for k, v in data.items() if k != key})
    wrong = {
        "version": "abc",
        "headcount": "สอง",
        "lane": "99999999",
        "to_position": "-5",
        "direction": "sideways",
        "target": str(world.other_steps[0].pk),
        "reference": "not-a-number",
        "kind": "no-such-kind",
        "shape": "hexagon",
        "parent": str(world.other_process.pk),
        "keep": str(world.other_draft.lanes.first().pk),
    }
    for key, value in wrong.items():
        if key in data:
            variants.append({**data, key: value})
    for key, value in data.items():  # too long for its column
        if isinstance(value, str) and key not in ("after",):
            variants.append({**data, key: "ก" * 20001})
    for key in ("version", "lane", "target", "to_position", "reference", "keep", "headcount"):
        if key in data:  # integers too large for any column
            variants.append({**data, key: "9" * 30})
    for key in keys:  # control characters are cleaned first (tests/core/test_forms.py): the
        # text left is still too long for any field
        if isinstance(data[key], str):
            variants.append({**data, key: "ก\x00\x0b" * 20001})
    if "lane" in data:
        variants.append({**data, "lane": str(world.other_draft.lanes.first().pk)})
    if "target" in data:
        variants.append({**data, "target": data.get("target"), "label": "x" * 81})
    return variants


def test_malformed_requests_change_nothing(world):
    client = Client(raise_request_exception=False)
    client.force_login(world.users["editor"])
    before = snapshot()
    sent = 0
    for name, method, url, data in write_endpoints(world.draft, world.process):
        for variant in malformed_variants(world, name, method, data):
            response = client.post(url, variant, HTTP_HX_REQUEST="true")
            sent += 1
            assert 400 <= response.status_code < 500, (name, variant, response.status_code)
        # ids of another manual in the URL, and wrong kinds of row
    for name, method, url, data in write_endpoints(world.other_draft, world.other_process):
        response = getattr(client, method)(url, data, HTTP_HX_REQUEST="true")
        sent += 1
        assert response.status_code == 403, name
    for url in ["/rows/nonsense/1/edit/", "/rows/key_requirement/999999/edit/", "/steps/0/move/"]:
        assert client.post(url, {}).status_code == 404
        sent += 1
    # A body over the upload limit (2 MiB) is a 400 from Django, never a 500.
    step = world.steps[0]
    huge = client.post(f"/steps/{step.pk}/edit/", {"detail": "x" * (3 * 1024 * 1024)})
    assert huge.status_code == 400
    sent += 1
    garbage = client.generic(
        "POST",
        f"/steps/{step.pk}/edit/",
        b"\xff\xfe%%%=&&=",
        content_type="application/x-www-form-urlencoded",
    )
    assert 400 <= garbage.status_code < 500
    sent += 1
    assert sent >= 200, sent
    assert snapshot() == before
