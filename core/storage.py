"""Files kept through Django's storage API (``STORAGES["default"]``), served the same way
whether the store is a local folder or an S3-compatible object store shared by many machines.

No view opens a path on the local disk: a file is named by its storage name, read with
``storage.open`` and answered either as a stream (after the view's own permission check) or,
when ``STORAGE_SERVE_REDIRECT`` is on and the storage gives absolute (signed) URLs, as a
redirect to that URL carrying the Thai file name.
"""

from __future__ import annotations

import logging
from urllib.parse import quote

from django.conf import settings
from django.core.files.storage import Storage
from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404, HttpResponseRedirect

logger = logging.getLogger(__name__)


def content_disposition(name: str, fallback: str) -> str:
    """``attachment`` with a Thai file name (RFC 5987) and an ASCII fallback for old clients."""
    name = name.replace("/", "-").replace("\\", "-")
    fallback = "".join(
        c if c.isascii() and c.isprintable() and c not in '"\\' else "-" for c in fallback
    )
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(name)}"


def _signed_url(storage: Storage, name: str, disposition: str, content_type: str) -> str | None:
    """An absolute URL the client may fetch the file from directly, or None (a local folder)."""
    try:
        url = storage.url(
            name,
            parameters={
                "ResponseContentDisposition": disposition,
                "ResponseContentType": content_type,
            },
        )
    except TypeError:  # a storage whose url() takes the name only
        try:
            url = storage.url(name)
        except NotImplementedError:
            return None
    except NotImplementedError:
        return None
    if url and url.startswith(("https://", "http://")):
        return url
    return None


def serve_file(
    file: FieldFile, *, filename: str, fallback: str, content_type: str
) -> FileResponse | HttpResponseRedirect:
    """The stored file as a download; a missing file is a 404, never a 500."""
    if not file or not file.name:
        raise Http404
    storage = file.storage
    disposition = content_disposition(filename, fallback)
    if getattr(settings, "STORAGE_SERVE_REDIRECT", False):
        url = _signed_url(storage, file.name, disposition, content_type)
        if url is not None:
            return HttpResponseRedirect(url)
    try:
        if not storage.exists(file.name):
            raise Http404
        handle = storage.open(file.name, "rb")
    except (FileNotFoundError, OSError) as exc:
        logger.warning("stored file %s cannot be read: %s", file.name, exc)
        raise Http404 from exc
    response = FileResponse(handle, content_type=content_type)
    response["Content-Disposition"] = disposition
    return response
