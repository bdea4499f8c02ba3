"""Every file goes through Django's storage API: a local folder by default, any storage
configured in ``STORAGES`` (an object store shared by many machines) otherwise; the cache is
Redis when ``REDIS_URL`` is set."""

from __future__ import annotations

import os
import uuid
from urllib.parse import parse_qs, unquote, urlsplit

import pytest
from django.core.files.storage import InMemoryStorage
from django.test import override_settings
from django.urls import reverse

from printing.models import PdfExport
from printing.services import export_request
from tests.factories import EditionFactory, MembershipFactory, ProcessFactory, StepFactory

pytestmark = pytest.mark.django_db

saved_names: list[str] = []


class RecordingStorage(InMemoryStorage):
    """An object store stand-in: nothing on the local disk, every saved name recorded."""

    def _save(self, name, content):
        name = super()._save(name, content)
        saved_names.append(name)
        return name


class SignedUrlStorage(RecordingStorage):
    """A store that hands out absolute signed URLs, as S3Storage does (``parameters``)."""

    def url(self, name, parameters=None):
        query = "&".join(f"{k}={v}" for k, v in (parameters or {}).items())
        return f"https://store.example.go.th/bucket/{name}?sig=abc&{query}"


def _storages(backend: str) -> dict:
    return {
        "default": {"BACKEND": backend},
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture
def edition():
    edition = EditionFactory(preface="คำนำ")
    StepFactory(process=ProcessFactory(mission__edition=edition), detail="รับหนังสือ")
    return edition


@pytest.fixture
def editor(edition):
    return MembershipFactory(agency=edition.manual.agency).user


@pytest.fixture
def quick_build(monkeypatch):
    """The storage tests below need a PDF's bytes, not its layout (the first test builds a
    real one): the builder hands back a small PDF at once."""
    from printing import builder

    def build(edition_id, **kwargs):
        return builder.BuiltPdf(
            pdf=b"%PDF-1.7 edition " + str(edition_id).encode(), page_count=3, seconds=0.0
        )

    monkeypatch.setattr(builder, "build_manual", build)


def _download(client, export) -> bytes:
    response = client.get(reverse("printing:download", args=[export.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "filename*=UTF-8''" in response["Content-Disposition"]
    name = unquote(response["Content-Disposition"].split("UTF-8''", 1)[1])
    assert name.startswith("คู่มือการปฏิบัติงาน ")
    return b"".join(response.streaming_content)


def test_filesystem_storage_end_to_end(edition, editor, client, tmp_path):
    """The default: the PDF is written under MEDIA_ROOT by the storage, streamed back through
    the storage, a file removed by hand is noticed (rebuilt, and a 404 meanwhile)."""
    media = tmp_path / "media"
    with override_settings(
        MEDIA_ROOT=media, STORAGES=_storages("django.core.files.storage.FileSystemStorage")
    ):
        export = export_request(edition=edition, by=editor)
        assert export.status == PdfExport.Status.DONE
        on_disk = media / export.file.name
        assert on_disk.is_file()
        assert export.file.name.startswith("pdf/edition-")
        client.force_login(editor)
        body = _download(client, export)
        assert body == on_disk.read_bytes()
        assert body.startswith(b"%PDF-")
        assert export.file_size == len(body)

        on_disk.unlink()
        assert client.get(reverse("printing:download", args=[export.pk])).status_code == 404
        again = export_request(edition=edition, by=editor)
        assert again.pk != export.pk
        assert again.status == PdfExport.Status.DONE
        assert (media / again.file.name).is_file()
        export.refresh_from_db()
        assert export.status == PdfExport.Status.FAILED


def test_a_storage_configured_in_settings_is_used_for_writing_and_serving(
    edition, editor, client, tmp_path, quick_build
):
    media = tmp_path / "media"
    saved_names.clear()
    with override_settings(MEDIA_ROOT=media, STORAGES=_storages(f"{__name__}.RecordingStorage")):
        export = export_request(edition=edition, by=editor)
        assert export.status == PdfExport.Status.DONE
        assert isinstance(export.file.storage, RecordingStorage)
        assert saved_names == [export.file.name]
        assert not media.exists() or not any(media.rglob("*.pdf"))  # nothing on the local disk
        client.force_login(editor)
        with export.file.storage.open(export.file.name, "rb") as handle:
            stored = handle.read()
        assert _download(client, export) == stored
        # the cache check asks the storage, not the disk
        assert export_request(edition=edition, by=editor).pk == export.pk
        assert saved_names == [export.file.name]


def test_an_object_store_download_is_a_redirect_to_its_signed_url(
    edition, editor, client, quick_build
):
    with override_settings(
        STORAGES=_storages(f"{__name__}.SignedUrlStorage"), STORAGE_SERVE_REDIRECT=True
    ):
        export = export_request(edition=edition, by=editor)
        client.force_login(editor)
        response = client.get(reverse("printing:download", args=[export.pk]))
        assert response.status_code == 302
        url = urlsplit(response["Location"])
        assert url.netloc == "store.example.go.th"
        assert url.path.endswith(export.file.name)
        query = parse_qs(url.query)
        assert query["ResponseContentType"] == ["application/pdf"]
        assert "attachment;" in query["ResponseContentDisposition"][0]
        # the permission check still comes first: someone from another unit gets no URL
        client.force_login(MembershipFactory().user)
        assert client.get(reverse("printing:download", args=[export.pk])).status_code == 403
        with override_settings(STORAGE_SERVE_REDIRECT=False):  # same store, streamed
            client.force_login(editor)
            streamed = client.get(reverse("printing:download", args=[export.pk]))
            assert streamed.status_code == 200
            assert b"".join(streamed.streaming_content).startswith(b"%PDF-")


# ----------------------------------------------------------------------------- settings


def test_storages_come_from_the_environment(monkeypatch):
    from config.settings.base import storages_from_env

    for name in ("STORAGE_BACKEND", "STORAGE_OPTIONS", "AWS_STORAGE_BUCKET_NAME"):
        monkeypatch.delenv(name, raising=False)
    assert storages_from_env()["default"]["BACKEND"] == (
        "django.core.files.storage.FileSystemStorage"
    )

    monkeypatch.setenv("AWS_STORAGE_BUCKET_NAME", "bma-manuals")
    monkeypatch.setenv("AWS_S3_ENDPOINT_URL", "http://minio.internal:9000")
    monkeypatch.setenv("AWS_S3_ACCESS_KEY_ID", "key-id")
    monkeypatch.setenv("AWS_S3_SECRET_ACCESS_KEY", "key-secret")
    monkeypatch.setenv("AWS_LOCATION", "manuals")
    default = storages_from_env()["default"]
    assert default["BACKEND"] == "storages.backends.s3.S3Storage"
    # the storage is built from these options (no network until a file is touched)
    from storages.backends.s3 import S3Storage

    storage = S3Storage(**default["OPTIONS"])
    assert storage.bucket_name == "bma-manuals"
    assert storage.endpoint_url == "http://minio.internal:9000"
    assert storage.location == "manuals"
    assert storage.file_overwrite is False
    assert storage.querystring_auth is True

    monkeypatch.setenv("STORAGE_BACKEND", f"{__name__}.RecordingStorage")
    monkeypatch.setenv("STORAGE_OPTIONS", '{"location": "x"}')
    assert storages_from_env()["default"] == {
        "BACKEND": f"{__name__}.RecordingStorage",
        "OPTIONS": {"location": "x"},
    }


def test_cache_is_redis_when_redis_url_is_set(monkeypatch):
    from config.settings.base import caches_from_env

    monkeypatch.delenv("REDIS_URL", raising=False)
    assert caches_from_env()["default"]["BACKEND"].endswith("FileBasedCache")
    monkeypatch.setenv("REDIS_URL", "redis://cache.internal:6379/2")
    assert caches_from_env()["default"] == {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://cache.internal:6379/2",
        "KEY_PREFIX": "manuals",
    }


def test_charts_are_shared_through_a_real_redis_cache(monkeypatch):
    """Two "machines" (two cache connections) on one Redis: a chart drawn by one is read by the
    other without Graphviz. This machine kind runs Redis on 127.0.0.1:6379 (CI too)."""
    from django.core.cache import caches

    from flowcharts import render as chart_render

    url = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
    prefix = f"test-{uuid.uuid4().hex[:8]}"
    config = {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": url,
        "KEY_PREFIX": prefix,
    }
    dot = 'digraph { a [label="รับหนังสือ" pos="0,0!"] }'
    with override_settings(CACHES={"default": config}):
        chart_render.clear_local_cache()
        first = chart_render.render(dot, "svg")
        key = chart_render.cache_key(dot, "svg")
        assert caches["default"].get(key) == first
    calls = []

    def no_graphviz(dot_text, fmt):
        calls.append(fmt)
        raise AssertionError("the second machine drew the chart again")

    with override_settings(CACHES={"default": config}):
        chart_render.clear_local_cache()
        monkeypatch.setattr(chart_render, "_run_graphviz", no_graphviz)
        assert chart_render.render(dot, "svg") == first
        assert calls == []
        caches["default"].delete(key)
