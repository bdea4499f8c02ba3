"""The change summary (สรุปการเปลี่ยนแปลง) as a PDF, with WeasyPrint and the Sarabun font.

WeasyPrint ignores @font-face unless the same FontConfiguration is passed to CSS() and to
write_pdf(); without it Thai comes out as empty boxes.

The summary is an official document and is always in Thai, whatever language the user has chosen
for the screens (``translation.override("th")``).
"""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils import timezone, translation

from core.fonts import sarabun_file
from reviews.compare import EditionComparison, edition_compare


def _font_css() -> str:
    faces = []
    for style, weight in (("Regular", 400), ("Bold", 700)):
        faces.append(
            "@font-face { font-family: 'Sarabun'; "
            f"src: url('{sarabun_file(style).as_uri()}'); font-weight: {weight}; }}"
        )
    return "\n".join(faces)


def change_summary_pdf(*, comparison: EditionComparison, request=None) -> bytes:
    """Render reviews/summary_pdf.html to PDF bytes."""
    from weasyprint import CSS, HTML
    from weasyprint.text.fonts import FontConfiguration

    from core.pdftext import install_thai_text_mapping

    install_thai_text_mapping()

    # The section titles and row labels were made in the language of the request: in any other
    # language than Thai, compare again under Thai.
    made_in_thai = (translation.get_language() or "th").startswith("th")
    with translation.override("th"):
        if not made_in_thai:
            comparison = edition_compare(old=comparison.old, new=comparison.new)
        html = render_to_string(
            "reviews/summary_pdf.html",
            {
                "comparison": comparison,
                "old": comparison.old,
                "new": comparison.new,
                "generated_at": timezone.localtime(),
            },
            request=request,
        )
    font_config = FontConfiguration()
    css = CSS(string=_font_css(), font_config=font_config)
    return HTML(string=html, base_url=str(sarabun_file().parent)).write_pdf(
        stylesheets=[css], font_config=font_config
    )
