"""Laid-out pages kept by content hash, so a re-export lays out only what changed.

Each chunk of the manual (a process's Table 3, its chart sheets, a text part, …) is laid out
once per content hash: its pages are a page range of a stored piece PDF (a piece is the few
chunks one worker laid out together), with what the join needs to number and link them. The
page-number stamps are kept the same way, in blocks of numbers per page type (``printing.layout``).

Everything goes through Django's storage API under ``pdfparts/``: ``storages["default"]``, or
the alias in the ``PRINTING_PARTS_STORAGE`` setting, so web and worker machines share one store
when STORAGES points at shared storage. A store that fails is treated as empty (the export is
then laid out from scratch); nothing kept is ever wrong, only unused: names are content hashes.
"""

from __future__ import annotations

import hashlib
import json
import logging
from dataclasses import asdict, dataclass, field

logger = logging.getLogger(__name__)

PREFIX = "pdfparts/"


def digest(*parts: str | bytes) -> str:
    """A hex SHA-256 of the parts, each ended by a NUL (so ("ab", "c") differs from ("a", "bc"))."""
    h = hashlib.sha256()
    for part in parts:
        h.update(part if isinstance(part, bytes) else part.encode("utf-8", "surrogatepass"))
        h.update(b"\0")
    return h.hexdigest()


@dataclass
class LaidOut:
    """A chunk's pages: ``count`` pages from page ``first`` of the kept piece ``piece``."""

    piece: str
    first: int
    count: int
    page_types: list[str]
    # "part-…" id -> [page in the chunk, x, y] (PDF points from the page's bottom left)
    anchors: dict[str, list] = field(default_factory=dict)
    links: list[list] = field(default_factory=list)  # [page, target id, [x0, y0, x1, y1]]
    bookmarks: list[list] = field(default_factory=list)  # [page, level, label, x, y]


class PageStore:
    """Pieces, chunk records and number stamps under ``pdfparts/`` of a Django storage."""

    def __init__(self, storage=None, prefix: str = PREFIX) -> None:
        if storage is None:
            from django.conf import settings
            from django.core.files.storage import storages

            storage = storages[getattr(settings, "PRINTING_PARTS_STORAGE", "default")]
        self.storage = storage
        self.prefix = prefix
        self._pdfs: dict[str, bytes] = {}

    def _read(self, name: str) -> bytes | None:
        try:
            with self.storage.open(self.prefix + name, "rb") as stored:
                return stored.read()
        except FileNotFoundError:
            return None
        except Exception:  # noqa: BLE001 - a broken store means laying out again, not failing
            logger.warning("page store: cannot read %s", name, exc_info=True)
            return None

    def _write(self, name: str, data: bytes) -> None:
        from django.core.files.base import ContentFile

        path = self.prefix + name
        try:
            if self.storage.exists(path):
                return
            saved = self.storage.save(path, ContentFile(data))
            if saved != path:  # another build kept the same content a moment before
                self.storage.delete(saved)
        except Exception:  # noqa: BLE001
            logger.warning("page store: cannot write %s", name, exc_info=True)

    def pdf(self, key: str) -> bytes | None:
        """A kept piece or number block (read once per build)."""
        if key not in self._pdfs:
            data = self._read(f"pdf/{key}.pdf")
            if data is None:
                return None
            self._pdfs[key] = data
        return self._pdfs[key]

    def keep_pdf(self, key: str, data: bytes) -> None:
        self._pdfs[key] = data
        self._write(f"pdf/{key}.pdf", data)

    def chunk(self, key: str) -> LaidOut | None:
        """The chunk laid out before, if its record and its piece are both still kept."""
        data = self._read(f"chunk/{key}.json")
        if data is None:
            return None
        try:
            laid = LaidOut(**json.loads(data))
        except (ValueError, TypeError):
            return None
        return laid if self.pdf(laid.piece) is not None else None

    def keep_chunk(self, key: str, laid: LaidOut) -> None:
        self._write(f"chunk/{key}.json", json.dumps(asdict(laid), ensure_ascii=False).encode())
