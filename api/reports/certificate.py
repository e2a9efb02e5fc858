"""The printable certificate (ZPIC-WF-20 8.1.1): every item, Chinese first, and its status today.

`build_certificate` gives the document's data (JSON-ready); `render_certificate_pdf` lays it out
on A4 with the CJK font of the evaluation report (`api.reports.pdf.cjk_font`).
"""

from __future__ import annotations

from datetime import date
from io import BytesIO
from typing import Any
from xml.sax.saxutils import escape

from reportlab.graphics.shapes import Circle, Drawing, String
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    Flowable,
    KeepTogether,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from api.reports.evaluation import BASIS, bilingual
from api.reports.issuer import issuer
from api.reports.pdf import PDF_SAFE, cjk_font
from api.reports.qr import qr_drawing
from domain.certificate import Certificate
from domain.rulebook.scoring import GRADE_NAMES

Text = dict[str, str]

TITLE: Text = {
    "zh": "商品售后服务评价认证证书",
    "en": "Certificate of After-sales Service Evaluation",
}

MARK: Text = {
    "logo": "ECPSC",
    "zh": "认证标志：本机构徽标与证书编号共同构成（8.2.1）",
    "en": "Certification mark: the CB's logo with the certificate number (8.2.1)",
}

STATUS_NAMES: dict[str, Text] = {
    "valid": {"zh": "有效", "en": "VALID"},
    "suspended": {"zh": "已暂停", "en": "SUSPENDED"},
    "withdrawn": {"zh": "已撤销", "en": "WITHDRAWN"},
    "expired": {"zh": "已过期", "en": "EXPIRED"},
}

VERIFY: Text = {
    "zh": "扫描二维码或访问上述网址，在本机构公开名录中查询本证书的当前状态",
    "en": "Scan the QR code or open the address above to check this certificate's current "
    "status on the CB's public register",
}


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day is not None else None


def status_part(certificate: Certificate, today: date) -> dict[str, Any]:
    """The status as of today, and what a reader must know when it is not valid (7.2–7.4)."""
    code = certificate.status_on(today)
    detail: Text | None = None
    if code == "suspended":
        start, end = _iso(certificate.suspended_from), _iso(certificate.suspended_until)
        detail = {
            "zh": f"本证书自 {start} 起暂停，至 {end} 止；暂停期间不得使用本证书及认证标志。",
            "en": f"This certificate is suspended from {start} through {end}; neither it nor the "
            "mark may be used meanwhile.",
        }
    elif code == "withdrawn":
        day = _iso(certificate.withdrawn_on)
        detail = {
            "zh": f"本证书已于 {day} 撤销，不再有效。",
            "en": f"This certificate was withdrawn on {day} and is no longer valid.",
        }
    elif code == "expired":
        day = _iso(certificate.expires_on)
        detail = {
            "zh": f"本证书有效期已于 {day} 届满，不再有效。",
            "en": f"This certificate's validity ended on {day}; it is no longer valid.",
        }
    return {
        "code": code,
        **STATUS_NAMES[code],
        "as_of": today.isoformat(),
        "valid": code == "valid",
        "detail": detail,
    }


def build_certificate(
    certificate: Certificate, today: date, verification_url: str
) -> dict[str, Any]:
    """The certificate's printable content (8.1.1 items 1–11) and its status today, JSON-ready."""
    org = certificate.organization
    english_basis = {b["zh"]: b["en"] for b in BASIS}
    grade = bilingual(GRADE_NAMES[certificate.grade])
    return {
        "title": dict(TITLE),
        "mark": {**MARK, "number": certificate.number},
        "number": certificate.number,
        "organization": {
            "name": org.get("name"),
            "address": org.get("address"),
            "uscc": org.get("uscc"),
        },
        "sites": [{"name": s.get("name"), "address": s.get("address")} for s in certificate.sites],
        "basis": {
            "zh": certificate.basis,
            "en": english_basis.get(certificate.basis, certificate.basis),
        },
        "scope": certificate.scope,
        "grade": {"code": certificate.grade, **grade},
        "issued_on": certificate.issued_on.isoformat(),
        "expires_on": certificate.expires_on.isoformat(),
        "issuer": issuer(),
        "verification": {"url": verification_url, **VERIFY},
        "status": status_part(certificate, today),
        "generated_on": today.isoformat(),
    }


# -- PDF --------------------------------------------------------------------------------------

WIDTH = A4[0] - 36 * mm
NAVY = colors.HexColor("#1F3A68")
GREY = colors.HexColor("#555555")
RED = colors.HexColor("#B3261E")


def _t(value: Any) -> str:
    """Text escaped for a Paragraph; None shows as a dash."""
    return "—" if value is None or value == "" else escape(str(value).translate(PDF_SAFE))


def _en(value: Any, size: float = 8) -> str:
    """English beside the Chinese: smaller and grey."""
    return f' <font size="{size}" color="#555555">{_t(value)}</font>'


def mark_drawing(number: str, font: str) -> Drawing:
    """The certification mark (8.2.1): the CB's logo, a ringed seal, with the number beside."""
    drawing = Drawing(80 * mm, 22 * mm)
    cx, cy, r = 11 * mm, 11 * mm, 10 * mm
    drawing.add(Circle(cx, cy, r, strokeColor=NAVY, strokeWidth=2, fillColor=None))
    drawing.add(Circle(cx, cy, r - 2 * mm, strokeColor=NAVY, strokeWidth=0.7, fillColor=None))
    drawing.add(
        String(
            cx,
            cy - 1.2 * mm,
            "ECPSC",
            fontName=font,
            fontSize=9.5,
            fillColor=NAVY,
            textAnchor="middle",
        )
    )
    drawing.add(
        String(
            cx,
            cy - 5.2 * mm,
            "认证",
            fontName=font,
            fontSize=6,
            fillColor=NAVY,
            textAnchor="middle",
        )
    )
    drawing.add(String(24 * mm, cy - 1.5 * mm, number, fontName=font, fontSize=11, fillColor=NAVY))
    return drawing


class CertificateLayout:
    """Lays out a built certificate (`build_certificate`) with one font."""

    def __init__(self, doc: dict[str, Any], font: str) -> None:
        self.d = doc
        self.font = font
        self.body = ParagraphStyle("body", fontName=font, fontSize=10, leading=14.5, wordWrap="CJK")
        self.cell = ParagraphStyle("cell", parent=self.body, fontSize=9.5, leading=13.5)
        self.url = ParagraphStyle("url", parent=self.cell, wordWrap=None)
        self.title = ParagraphStyle(
            "title", parent=self.body, fontSize=22, leading=30, alignment=TA_CENTER, textColor=NAVY
        )
        self.subtitle = ParagraphStyle(
            "subtitle",
            parent=self.body,
            fontSize=12,
            leading=16,
            alignment=TA_CENTER,
            textColor=GREY,
        )
        self.banner = ParagraphStyle(
            "banner", parent=self.body, fontSize=13, leading=18, alignment=TA_CENTER, textColor=RED
        )

    def story(self) -> list[Flowable]:
        """The flowables of the certificate, top to bottom."""
        d = self.d
        out: list[Flowable] = [
            mark_drawing(d["number"], self.font),
            Spacer(1, 4 * mm),
            Paragraph(_t(d["title"]["zh"]), self.title),
            Paragraph(_t(d["title"]["en"]), self.subtitle),
            Spacer(1, 5 * mm),
        ]
        if not d["status"]["valid"]:
            out += [self._banner(), Spacer(1, 4 * mm)]
        out += [Paragraph(self._statement(), self.body), Spacer(1, 4 * mm), self._particulars()]
        out += [
            Spacer(1, 5 * mm),
            KeepTogether([self._verification(), Spacer(1, 4 * mm), self._issuer()]),
        ]
        return out

    def _banner(self) -> Table:
        status = self.d["status"]
        markup = f"{_t(status['zh'])} / {_t(status['en'])}<br/>" + _t(status["detail"]["zh"])
        markup += f"<br/>{_en(status['detail']['en'], 9)}"
        banner = Table([[Paragraph(markup, self.banner)]], colWidths=[WIDTH])
        banner.setStyle(TableStyle([("BOX", (0, 0), (-1, -1), 2, RED)]))
        return banner

    def _statement(self) -> str:
        d = self.d
        org, grade, basis = d["organization"]["name"], d["grade"], d["basis"]
        return (
            f"兹证明 {_t(org)} 的商品售后服务符合 {_t(basis['zh'])} 的要求，"
            f"评价等级为 {_t(grade['zh'])}。<br/>"
            + _en(
                f"This is to certify that the after-sales service of {org} meets "
                f"{basis['en']} and is rated {grade['en']}.",
                9,
            )
        )

    def _particulars(self) -> Table:
        d = self.d
        org, status = d["organization"], d["status"]
        sites = "<br/>".join(f"{_t(s['name'])}：{_t(s['address'])}" for s in d["sites"])
        rows = [
            ("证书编号", "Certificate No.", _t(d["number"])),
            ("获证组织", "Organization", _t(org["name"])),
            ("统一社会信用代码", "USCC", _t(org["uscc"])),
            ("组织地址", "Address", _t(org["address"])),
            ("认证覆盖的场所", "Sites covered", sites or "—"),
            ("认证依据", "Basis", f"{_t(d['basis']['zh'])}<br/>{_en(d['basis']['en'])}"),
            ("认证范围", "Scope", _t(d["scope"])),
            ("等级水平", "Grade", f"{_t(d['grade']['zh'])}{_en(d['grade']['en'])}"),
            ("颁证日期", "Issued on", _t(d["issued_on"])),
            ("有效期至", "Valid until", _t(d["expires_on"])),
            (
                "证书状态",
                "Status",
                f"{_t(status['zh'])}{_en(status['en'])}（{_t(status['as_of'])}）",
            ),
        ]
        data = [
            [Paragraph(f"{_t(zh)}{_en(en, 7.5)}", self.cell), Paragraph(value, self.cell)]
            for zh, en, value in rows
        ]
        table = Table(data, colWidths=[52 * mm, WIDTH - 52 * mm])
        table.setStyle(
            TableStyle(
                [
                    ("GRID", (0, 0), (-1, -1), 0.5, GREY),
                    ("BACKGROUND", (0, 0), (0, -1), colors.HexColor("#EEF1F6")),
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("TOPPADDING", (0, 0), (-1, -1), 2.5),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 3.5),
                ]
            )
        )
        return table

    def _verification(self) -> Table:
        v = self.d["verification"]
        text = [
            Paragraph(f"证书查询{_en('How to verify')}", self.cell),
            Paragraph(_t(v["url"]), self.url),
            Paragraph(f"{_t(v['zh'])}<br/>{_en(v['en'], 7.5)}", self.cell),
        ]
        qr = qr_drawing(v.get("qr", v["url"]), 30 * mm)  # the address with its signed statement
        table = Table([[qr, text]], colWidths=[34 * mm, WIDTH - 34 * mm])
        table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "MIDDLE")]))
        return table

    def _issuer(self) -> Paragraph:
        name, address = self.d["issuer"]["name"], self.d["issuer"]["address"]
        return Paragraph(
            f"发证机构{_en('Issued by')}：{_t(name['zh'])}{_en(name['en'])}<br/>"
            f"地址{_en('Address')}：{_t(address['zh'])}{_en(address['en'])}<br/>"
            f"颁证日期{_en('Issued on')}：{_t(self.d['issued_on'])}",
            self.cell,
        )

    def on_page(self, canvas: Canvas, doc: SimpleDocTemplate) -> None:
        """The certificate's frame, and its number and page at the foot."""
        canvas.saveState()
        width, height = A4
        canvas.setStrokeColor(NAVY)
        canvas.setLineWidth(2.5)
        canvas.rect(8 * mm, 8 * mm, width - 16 * mm, height - 16 * mm)
        canvas.setLineWidth(0.8)
        canvas.rect(10 * mm, 10 * mm, width - 20 * mm, height - 20 * mm)
        canvas.setFont(self.font, 7.5)
        canvas.setFillColor(GREY)
        canvas.drawString(18 * mm, 12.5 * mm, f"{self.d['number']} | {self.d['title']['zh']}")
        canvas.drawRightString(width - 18 * mm, 12.5 * mm, f"第 {doc.page} 页 page {doc.page}")
        canvas.restoreState()


def render_certificate_pdf(doc: dict[str, Any]) -> bytes:
    """The certificate as A4 PDF bytes."""
    layout = CertificateLayout(doc, cjk_font().name)
    buffer = BytesIO()
    SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=18 * mm,
        rightMargin=18 * mm,
        topMargin=16 * mm,
        bottomMargin=18 * mm,
        title=f"{doc['title']['zh']} {doc['number']}",
        author=doc["issuer"]["name"]["zh"],
        subject=f"ZPIC-WF-20 8.1.1, {doc['number']}",
        lang="zh-CN",
    ).build(layout.story(), onFirstPage=layout.on_page, onLaterPages=layout.on_page)
    return buffer.getvalue()
