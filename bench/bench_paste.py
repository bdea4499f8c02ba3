"""Paste of a step table into a process: ``python bench/bench_paste.py [--rows 60]``.

Builds a throwaway test database with one draft process and an editor, then times what the
"วางตาราง" box does with a table of N rows as Word puts it on the clipboard (text/html) and as
tab-separated text: the preview request (parse, map columns by header words, render the
preview with a column select per column) and the request that adds every row as a step in one
transaction. Prints the median of 5 runs (preview) and one add, with their query counts.
The issue's target: a 60-row paste previews in at most 1 s.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
os.environ.setdefault("VAR_DIR", tempfile.mkdtemp(prefix="bench-paste-"))

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402


def _timed(call, repeat: int) -> tuple[float, int, object]:
    times, result, queries = [], None, 0
    for _ in range(repeat):
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            result = call()
            times.append(time.perf_counter() - started)
        queries = len(captured)
    return statistics.median(times), queries, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=60)
    args = parser.parse_args()

    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        from django.test import Client
        from django.urls import reverse

        from imports import paste
        from processes.models import Step
        from tests.factories import EditionFactory, MembershipFactory, ProcessFactory
        from tests.imports.clipboard import many_rows, tsv, word_html

        edition = EditionFactory()
        process = ProcessFactory(mission__edition=edition)
        client = Client()
        client.force_login(MembershipFactory(agency=edition.manual.agency).user)
        rows = many_rows(args.rows)
        sources = {
            "Word HTML": {"html": word_html(rows), "text": tsv(rows)},
            "TSV": {"text": tsv(rows)},
        }
        preview_url = reverse("imports:paste_preview", args=[process.pk])
        add_url = reverse("imports:paste_add", args=[process.pk])
        print(f"paste of {args.rows} rows into one process")
        for name, data in sources.items():
            size = sum(len(v) for v in data.values())

            def preview(data=data):
                paste._map_columns.cache_clear()  # time the header recognition every run
                paste._is_header.cache_clear()
                return client.post(preview_url, data, HTTP_HX_REQUEST="true")

            seconds, queries, response = _timed(preview, 5)
            assert response.status_code == 200, response.content[:300]
            print(
                f"  {name:9} preview: {seconds:.3f} s (median of 5), {queries} queries, {size:,} ch"
            )
        from core.thai import thai_words

        warm = time.perf_counter()
        thai_words("ตรวจสอบเอกสาร")  # the word dictionary loads once per process (search index)
        print(
            f"  Thai word dictionary loaded in {time.perf_counter() - warm:.1f} s (once a process)"
        )
        before = Step.objects.filter(process=process).count()
        seconds, queries, response = _timed(
            lambda: client.post(add_url, sources["Word HTML"], HTTP_HX_REQUEST="true"), 1
        )
        added = Step.objects.filter(process=process).count() - before
        assert response.status_code == 200 and added == args.rows, (response.status_code, added)
        print(f"  Word HTML add:     {seconds:.3f} s, {queries} queries, {added} steps added")
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
