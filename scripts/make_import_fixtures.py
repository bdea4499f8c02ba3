"""Make the Word and PDF fixtures of the importer's tests from the committed text extracts.

    .venv/bin/python scripts/make_import_fixtures.py            # all fixtures
    .venv/bin/python scripts/make_import_fixtures.py --bench    # also the 520-page bench .docx

Each text extract in tests/imports/data/ (cut down from seeds 000 and 002) is rendered as HTML
(headings, paragraphs, bordered tables with one paragraph per line of a cell, the step tables
on landscape pages as the printed manuals have them), converted to .docx with LibreOffice
(``soffice --headless --convert-to docx``), and the .docx to PDF. Needs LibreOffice and a Thai
font (fonts-thai-tlwg); run again after changing an extract and commit the results.
"""

from __future__ import annotations

import argparse
import html
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "imports" / "data"
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

FIXTURES = {
    "seed000_small.txt": ("seed000_small.docx", "seed000_small.pdf"),
    "seed002_small.txt": ("seed002_small.docx", None),
}

STYLE = """
<style>
  @page { size: 29.7cm 21cm; margin: 1.5cm; }
  body { font-family: 'Garuda', 'Loma', sans-serif; font-size: 10pt; }
  table { border-collapse: collapse; width: 100%; }
  td, th { border: 1px solid #000; vertical-align: top; padding: 2pt; }
  p { margin: 0; }
</style>
"""


def _cell(text: str) -> str:
    lines = [html.escape(line) for line in text.split("\n") if line.strip()]
    return "".join(f"<p>{line}</p>" for line in lines) or "&nbsp;"


def render_html(text: str) -> str:
    """HTML of a text extract, block by block (the importer's own text reader splits it)."""
    import django

    django.setup()
    from imports.readers import read_text

    out = [f"<html><head><meta charset='utf-8'>{STYLE}</head><body>"]
    open_table = None
    for block in read_text(text):
        if block.kind == "row":
            if open_table != block.table:
                if open_table is not None:
                    out.append("</table>")
                out.append("<table border='1' cellspacing='0'>")
                open_table = block.table
            out.append("<tr>" + "".join(f"<td>{_cell(c)}</td>" for c in block.cells) + "</tr>")
            continue
        if open_table is not None:
            out.append("</table>")
            open_table = None
        if block.kind == "heading":
            level = min(block.level, 4)
            out.append(f"<h{level}>{html.escape(block.text)}</h{level}>")
        else:
            out.append(_cell(block.text))
    if open_table is not None:
        out.append("</table>")
    out.append("</body></html>")
    return "\n".join(out)


def soffice(source: Path, target_ext: str, outdir: Path) -> Path:
    """Convert with LibreOffice headless; returns the converted file."""
    profile = Path(tempfile.mkdtemp(prefix="lo-profile-"))
    args = [
        "soffice",
        f"-env:UserInstallation=file://{profile}",
        "--headless",
        "--convert-to",
        target_ext,
        "--outdir",
        str(outdir),
        str(source),
    ]
    if source.suffix == ".html":
        args[3:3] = ["--infilter=HTML (StarWriter)"]
    subprocess.run(args, check=True, capture_output=True, timeout=600)
    shutil.rmtree(profile, ignore_errors=True)
    name = source.stem + "." + target_ext.split(":")[0]
    return outdir / name


def make(text_name: str, docx_name: str, pdf_name: str | None, work: Path) -> None:
    text = (DATA / text_name).read_text(encoding="utf-8")
    source = work / (Path(docx_name).stem + ".html")
    source.write_text(render_html(text), encoding="utf-8")
    docx = soffice(source, "docx:MS Word 2007 XML", work)
    shutil.copy(docx, DATA / docx_name)
    print(f"{DATA / docx_name}: {docx.stat().st_size} bytes")
    if pdf_name:
        pdf = soffice(DATA / docx_name, "pdf", work)
        shutil.copy(pdf, DATA / pdf_name)
        print(f"{DATA / pdf_name}: {pdf.stat().st_size} bytes")


def make_bench(work: Path, target: Path) -> None:
    """The 520-page bench manual: seed 000's text repeated, as .docx (not committed)."""
    text = (DATA / "seed000_full.txt").read_text(encoding="utf-8")
    source = work / (target.stem + ".html")
    source.write_text(render_html(text + "\n\n" + text), encoding="utf-8")
    docx = soffice(source, "docx:MS Word 2007 XML", work)
    shutil.copy(docx, target)
    print(f"{target}: {docx.stat().st_size} bytes")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bench", help="also write the bench .docx to this path")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        for text_name, (docx_name, pdf_name) in FIXTURES.items():
            make(text_name, docx_name, pdf_name, work)
        if args.bench:
            make_bench(work, Path(args.bench))


if __name__ == "__main__":
    main()
