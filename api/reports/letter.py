"""A one-to-two page letter as a PDF: title, particulars, paragraphs — Chinese first.

Used for notices to applicants and appellants; the CJK font handling is the evaluation
report's (`api.reports.pdf.cjk_font`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from io import BytesIO
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from api.reports.issuer import ISSUER
from api.reports.pdf import PDF_SAFE, cjk_font


@dataclass(frozen=True)
class Letter:
    """What a notice says: a title, its particulars (label, value) and its paragraphs."""

    title: str
    subtitle: str
    particulars: list[tuple[str, str]] = field(default_factory=list)
    paragraphs: list[str] = field(default_factory=list)
    closing: list[str] = field(default_factory=list)


def _p(text: str, style: ParagraphStyle) -> Paragraph:
    return Paragraph(escape(text.translate(PDF_SAFE)).replace("\n", "<br/>"), style)


def render_letter_pdf(letter: Letter) -> bytes:
    """The letter as A4 PDF bytes."""
    font = cjk_font().name
    body = ParagraphStyle("body", fontName=font, fontSize=10.5, leading=16, wordWrap="CJK")
    title = ParagraphStyle("title", parent=body, fontSize=16, leading=22, alignment=TA_CENTER)
    subtitle = ParagraphStyle(
        "subtitle",
        parent=body,
        fontSize=9,
        alignment=TA_CENTER,
        textColor=colors.HexColor("#555555"),
    )
    cell = ParagraphStyle("cell", parent=body, fontSize=9.5, leading=13)
    story = [_p(letter.title, title), _p(letter.subtitle, subtitle), Spacer(1, 6 * mm)]
    if letter.particulars:
        table = Table(
            [[_p(label, cell), _p(value, cell)] for label, value in letter.particulars],
            colWidths=[55 * mm, A4[0] - 30 * mm - 55 * mm],
        )
        table.setStyle(
            TableStyle(
                [
                    ("GRID", (0, 0), (-1, -1), 0.4, colors.HexColor("#999999")),
                    ("BACKGROUND", (0, 0), (0, -1), colors.HexColor("#EEEEEE")),
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ]
            )
        )
        story += [table, Spacer(1, 5 * mm)]
    for paragraph in letter.paragraphs:
        story += [_p(paragraph, body), Spacer(1, 3 * mm)]
    story.append(Spacer(1, 8 * mm))
    story += [_p(line, body) for line in letter.closing]
    buffer = BytesIO()
    SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=15 * mm,
        rightMargin=15 * mm,
        topMargin=18 * mm,
        bottomMargin=18 * mm,
        title=letter.title,
        author=ISSUER,
    ).build(story)
    return buffer.getvalue()
