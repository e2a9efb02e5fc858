"""The printable certificate (ZPIC-WF-20 8.1.1): every item, Chinese first, and its status today.

`build_certificate` gives the document's data (JSON-ready); `render_certificate_pdf` lays it out
on A4 in a CJK font chosen by the glyphs it draws (`api.reports.fonts`).
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
    Image,
    KeepTogether,
    PageBreak,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from api.reports.evaluation import BASIS, bilingual
from api.reports.fonts import render_embedded, strings_of
from api.reports.issuer import issuer
from api.reports.paging import page_of, paged_canvas
from api.reports.pdf import PDF_SAFE
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


CENTRAL_OFFICE: Text = {"zh": "中心办公室", "en": "central office"}
LEGACY_CENTRAL_OFFICE = "中心办公室 / central office"
"""How certificates issued before 2026-12 stored the central office's name (labels in data)."""

ANNEX_AFTER = 3
"""More covered sites than this go to an annex page, keeping the QR code and the CB on page 1."""

ANNEX: Text = {"zh": "附件：认证覆盖场所", "en": "Annex: sites covered"}


def covered_sites(certificate: Certificate) -> list[dict[str, Any]]:
    """The covered sites as entered; the central office (the first) is marked so that its label
    is translated on print, whichever way its name was stored."""
    sites = []
    for n, site in enumerate(certificate.sites):
        name = site.get("name")
        central = n == 0 and name in (CENTRAL_OFFICE["zh"], LEGACY_CENTRAL_OFFICE)
        sites.append(
            {
                "name": CENTRAL_OFFICE["zh"] if central else name,
                "address": site.get("address"),
                "central_office": central,
            }
        )
    return sites


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
        "as_of_text": {
            "zh": f"截至打印日期 {today.isoformat()} 的状态",
            "en": f"status as of the print date, {today.isoformat()}",
        },
        "valid": code == "valid",
        "detail": detail,
    }


def build_certificate(
    certificate: Certificate,
    today: date,
    verification_url: str,
    cb: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """The certificate's printable content (8.1.1 items 1–11) and its status today, JSON-ready
    (cb: the issuing body, `api.reports.issuer.issuer`)."""
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
        "sites": covered_sites(certificate),
        "basis": {
            "zh": certificate.basis,
            "en": english_basis.get(certificate.basis, certificate.basis),
        },
        "scope": certificate.scope,
        "grade": {"code": certificate.grade, **grade},
        "issued_on": certificate.issued_on.isoformat(),
        "expires_on": certificate.expires_on.isoformat(),
        "issuer": cb if cb is not None else issuer(),
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
    drawing.initialFontName = font  # else reportlab names Helvetica (unembedded) in the PDF
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
        self.heading = ParagraphStyle(
            "heading", parent=self.body, fontSize=15, leading=21, textColor=NAVY, spaceAfter=6
        )
        self.banner = ParagraphStyle(
            "banner", parent=self.body, fontSize=13, leading=18, alignment=TA_CENTER, textColor=RED
        )

    def _font_cmd(self) -> tuple[str, tuple[int, int], tuple[int, int], str]:
        """A table's own font (else reportlab names Helvetica, unembedded, in the PDF)."""
        return ("FONTNAME", (0, 0), (-1, -1), self.font)

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
        return out + self.annex()

    def _banner(self) -> Table:
        status = self.d["status"]
        markup = f"{_t(status['zh'])} / {_t(status['en'])}<br/>" + _t(status["detail"]["zh"])
        markup += f"<br/>{_en(status['detail']['en'], 9)}"
        banner = Table([[Paragraph(markup, self.banner)]], colWidths=[WIDTH])
        banner.setStyle(TableStyle([("BOX", (0, 0), (-1, -1), 2, RED), self._font_cmd()]))
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
        if len(d["sites"]) > ANNEX_AFTER:
            sites = (
                f"共 {len(d['sites'])} 处，见{_t(ANNEX['zh'])}{_en(ANNEX['en'] + ' (last page)')}"
            )
        else:
            sites = "<br/>".join(self._site(s) for s in d["sites"])
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
                f"{_t(status['zh'])}{_en(status['en'])}<br/>（{_t(status['as_of_text']['zh'])}"
                f"{_en(status['as_of_text']['en'])}；当前状态请扫码查询）",
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
                    self._font_cmd(),
                ]
            )
        )
        return table

    def _site(self, site: dict[str, Any]) -> str:
        label = _en(CENTRAL_OFFICE["en"]) if site.get("central_office") else ""
        return f"{_t(site['name'])}{label}：{_t(site['address'])}"

    def annex(self) -> list[Flowable]:
        """The annex page of the covered sites, when there are more than fit on page 1."""
        d = self.d
        if len(d["sites"]) <= ANNEX_AFTER:
            return []
        rows = [
            [
                Paragraph(f"序号{_en('No.', 7.5)}", self.cell),
                Paragraph(f"场所{_en('Site', 7.5)}", self.cell),
                Paragraph(f"地址{_en('Address', 7.5)}", self.cell),
            ]
        ]
        for n, site in enumerate(d["sites"], start=1):
            label = _en(CENTRAL_OFFICE["en"]) if site.get("central_office") else ""
            rows.append(
                [
                    Paragraph(str(n), self.cell),
                    Paragraph(f"{_t(site['name'])}{label}", self.cell),
                    Paragraph(_t(site["address"]), self.cell),
                ]
            )
        table = Table(rows, colWidths=[16 * mm, 60 * mm, WIDTH - 76 * mm], repeatRows=1)
        table.setStyle(
            TableStyle(
                [
                    ("GRID", (0, 0), (-1, -1), 0.5, GREY),
                    ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#EEF1F6")),
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    self._font_cmd(),
                ]
            )
        )
        return [
            PageBreak(),
            Paragraph(f"{_t(ANNEX['zh'])}{_en(ANNEX['en'], 11)}", self.heading),
            Paragraph(
                f"证书编号{_en('Certificate No.')}：{_t(d['number'])}　获证组织"
                f"{_en('Organization')}：{_t(d['organization']['name'])}<br/>"
                f"本附件是证书的组成部分，与证书同时有效。"
                f"{_en('This annex is part of the certificate and valid with it.')}",
                self.cell,
            ),
            Spacer(1, 4 * mm),
            table,
        ]

    def _verification(self) -> Table:
        v = self.d["verification"]
        text = [
            Paragraph(f"证书查询{_en('How to verify')}", self.cell),
            Paragraph(_t(v["url"]), self.url),
            Paragraph(f"{_t(v['zh'])}<br/>{_en(v['en'], 7.5)}", self.cell),
        ]
        qr = qr_drawing(v.get("qr", v["url"]), 30 * mm)  # the address with its signed statement
        qr.initialFontName = self.font  # else reportlab names Helvetica (unembedded) in the PDF
        table = Table([[qr, text]], colWidths=[34 * mm, WIDTH - 34 * mm])
        table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "MIDDLE"), self._font_cmd()]))
        return table

    def _issuer(self) -> Flowable:
        cb = self.d["issuer"]
        name, address = cb["name"], cb["address"]
        credentials = f"批准号{_en('CNCA approval No.')}：{_t(cb['approval_number'])}"
        if cb.get("accreditation"):
            credentials += f"　认可{_en('Accreditation')}：{_t(cb['accreditation'])}"
        text = Paragraph(
            f"发证机构{_en('Issued by')}：{_t(name['zh'])}{_en(name['en'])}<br/>"
            f"{credentials}<br/>"
            f"地址{_en('Address')}：{_t(address['zh'])}{_en(address['en'])}<br/>"
            f"颁证日期{_en('Issued on')}：{_t(self.d['issued_on'])}",
            self.cell,
        )
        seal = cb.get("seal_image")
        if not seal:
            return text
        table = Table(
            [[text, Image(seal, width=32 * mm, height=32 * mm, kind="proportional")]],
            colWidths=[WIDTH - 36 * mm, 36 * mm],
        )
        table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "MIDDLE"), self._font_cmd()]))
        return table

    def on_page(self, canvas: Canvas, doc: SimpleDocTemplate) -> None:
        """The certificate's frame."""
        canvas.saveState()
        width, height = A4
        canvas.setStrokeColor(NAVY)
        canvas.setLineWidth(2.5)
        canvas.rect(8 * mm, 8 * mm, width - 16 * mm, height - 16 * mm)
        canvas.setLineWidth(0.8)
        canvas.rect(10 * mm, 10 * mm, width - 20 * mm, height - 20 * mm)
        canvas.restoreState()

    def footer(self, canvas: Canvas, page: int, pages: int) -> None:
        """The certificate's number and "第 1 页 共 2 页" at the foot of each page."""
        canvas.saveState()
        canvas.setFont(self.font, 7.5)
        canvas.setFillColor(GREY)
        canvas.drawString(18 * mm, 12.5 * mm, f"{self.d['number']} | {self.d['title']['zh']}")
        canvas.drawRightString(A4[0] - 18 * mm, 12.5 * mm, page_of(page, pages))
        canvas.restoreState()


def render_certificate_pdf(doc: dict[str, Any]) -> bytes:
    """The certificate as A4 PDF bytes, in a font with every character it draws, embedded."""

    def build(font: str) -> bytes:
        layout = CertificateLayout(doc, font)
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
            initialFontName=font,
        ).build(
            layout.story(),
            onFirstPage=layout.on_page,
            onLaterPages=layout.on_page,
            canvasmaker=paged_canvas(layout.footer),
        )
        return buffer.getvalue()

    return render_embedded(build, "certificate", strings_of(doc))
