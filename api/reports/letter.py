"""A one-to-two page letter as a PDF: title, particulars, paragraphs — Chinese first.

Used for notices to applicants and appellants; set in a CJK font chosen by the glyphs the
letter draws, embedded (`api.reports.fonts`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from io import BytesIO
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    Flowable,
    Image,
    KeepTogether,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from api.reports.fonts import render_embedded, strings_of
from api.reports.paging import page_of, paged_canvas
from api.reports.pdf import PDF_SAFE


@dataclass(frozen=True)
class Letter:
    """What a notice says: a title, its particulars (label, value) and its paragraphs."""

    title: str
    subtitle: str
    particulars: list[tuple[str, str]] = field(default_factory=list)
    paragraphs: list[str] = field(default_factory=list)
    closing: list[str] = field(default_factory=list)
    seal_image: str | None = None
    """The CB's seal (a PNG or JPEG file), printed beside the closing when configured."""


_CJK = re.compile("[\u3400-\u9fff\uff00-\uffef\u3000-\u303f]")


def _p(text: str, style: ParagraphStyle) -> Paragraph:
    return Paragraph(escape(text.translate(PDF_SAFE)).replace("\n", "<br/>"), style)


def render_letter_pdf(letter: Letter) -> bytes:
    """The letter as A4 PDF bytes."""
    text = strings_of([letter.title, letter.subtitle, letter.particulars, letter.paragraphs])
    text += strings_of(letter.closing)
    return render_embedded(lambda font: _build(letter, font), "letter", text)


def _build(letter: Letter, font: str) -> bytes:
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
    english = ParagraphStyle(
        "english", parent=body, fontSize=9, leading=13, textColor=colors.HexColor("#444444")
    )
    story: list[Flowable] = [
        _p(letter.title, title),
        _p(letter.subtitle, subtitle),
        Spacer(1, 6 * mm),
    ]
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
                    ("FONTNAME", (0, 0), (-1, -1), font),
                ]
            )
        )
        story += [table, Spacer(1, 5 * mm)]
    for paragraph in letter.paragraphs:
        # English beside the Chinese reads smaller (a paragraph with no Chinese at all)
        style = body if _CJK.search(paragraph) else english
        story += [_p(paragraph, style), Spacer(1, 3 * mm)]
    story.append(Spacer(1, 8 * mm))
    closing: list[Flowable] = [_p(line, body) for line in letter.closing]
    if letter.seal_image:
        seal = Image(letter.seal_image, width=30 * mm, height=30 * mm, kind="proportional")
        table = Table([[closing, seal]], colWidths=[A4[0] - 30 * mm - 34 * mm, 34 * mm])
        table.setStyle(
            TableStyle(
                [("VALIGN", (0, 0), (-1, -1), "MIDDLE"), ("FONTNAME", (0, 0), (-1, -1), font)]
            )
        )
        closing = [table]
    story.append(KeepTogether(closing))

    def footer(canvas: Canvas, page: int, pages: int) -> None:
        canvas.saveState()
        canvas.setFont(font, 7.5)
        canvas.setFillColor(colors.HexColor("#555555"))
        canvas.drawString(15 * mm, 10 * mm, letter.title.translate(PDF_SAFE))
        canvas.drawRightString(A4[0] - 15 * mm, 10 * mm, page_of(page, pages))
        canvas.restoreState()

    buffer = BytesIO()
    SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=15 * mm,
        rightMargin=15 * mm,
        topMargin=18 * mm,
        bottomMargin=18 * mm,
        title=letter.title,
        author=letter.closing[0] if letter.closing else "",
        initialFontName=font,
    ).build(story, canvasmaker=paged_canvas(footer))
    return buffer.getvalue()
