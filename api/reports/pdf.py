"""The evaluation report as a PDF (reportlab platypus), Chinese first with English beside.

Font: the first installed CJK font with a glyph for every character the report draws, embedded
(`api.reports.fonts`).
"""

from __future__ import annotations

from dataclasses import dataclass
from io import BytesIO
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_RIGHT
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

from api.reports.fonts import render_embedded, strings_of
from api.reports.paging import page_of, paged_canvas

# -- styles and small builders ----------------------------------------------------------------

WIDTH = A4[0] - 30 * mm
GREY = colors.HexColor("#555555")
LIGHT = colors.HexColor("#EEEEEE")


@dataclass(frozen=True)
class Styles:
    """The paragraph styles of the report, all in the CJK font with CJK line breaking."""

    title: ParagraphStyle
    subtitle: ParagraphStyle
    heading: ParagraphStyle
    body: ParagraphStyle
    cell: ParagraphStyle
    head: ParagraphStyle
    number: ParagraphStyle
    banner: ParagraphStyle
    result: ParagraphStyle


def _styles(font: str) -> Styles:
    base = ParagraphStyle("body", fontName=font, fontSize=9.5, leading=13.5, wordWrap="CJK")
    cell = ParagraphStyle("cell", parent=base, fontSize=8.5, leading=11.5)
    return Styles(
        title=ParagraphStyle(
            "title", parent=base, fontSize=17, leading=23, alignment=TA_CENTER, spaceAfter=2
        ),
        subtitle=ParagraphStyle(
            "subtitle", parent=base, fontSize=9, leading=12, alignment=TA_CENTER, textColor=GREY
        ),
        heading=ParagraphStyle(
            "heading",
            parent=base,
            fontSize=12,
            leading=16,
            spaceBefore=9,
            spaceAfter=4,
            keepWithNext=1,
        ),
        body=base,
        cell=cell,
        head=ParagraphStyle("head", parent=cell, textColor=colors.black),
        number=ParagraphStyle("number", parent=cell, alignment=TA_RIGHT),
        banner=ParagraphStyle("banner", parent=base, fontSize=11, leading=15, alignment=TA_CENTER),
        result=ParagraphStyle("result", parent=base, fontSize=13, leading=18),
    )


PDF_SAFE = str.maketrans({"\u2212": "-", "\u00b7": "|"})
"""Characters the CJK fonts lack (WenQuanYi has no minus sign U+2212; STSong no middle dot)."""


def _t(value: Any) -> str:
    """Text escaped for a Paragraph (its markup is XML-like); None shows as a dash."""
    if value is None or value == "":
        return "—"
    return escape(str(value).translate(PDF_SAFE))


def _en(value: Any, size: float = 7.5) -> str:
    """English beside the Chinese: smaller and grey."""
    return f' <font size="{size}" color="#555555">{_t(value)}</font>'


def _both(text: dict[str, str], size: float = 7.5, sep: str = "") -> str:
    """Chinese, then its English (on the next line with sep="<br/>")."""
    return _t(text["zh"]) + sep + _en(text["en"], size)


class Report:
    """Lays out a built report (api.reports.evaluation.build_report) with one font."""

    def __init__(self, report: dict[str, Any], font: str) -> None:
        self.r = report
        self.font = font
        self.s = _styles(font)

    # -- helpers

    def p(self, markup: str, style: ParagraphStyle | None = None) -> Paragraph:
        return Paragraph(markup, style or self.s.body)

    def cell(self, markup: str) -> Paragraph:
        return Paragraph(markup, self.s.cell)

    def num(self, value: Any) -> Paragraph:
        return Paragraph(_t(value), self.s.number)

    def heading(self, zh: str, en: str) -> Paragraph:
        """A section heading, kept on the page of what follows it."""
        return self.p(f"{_t(zh)}{_en(en, 9)}", self.s.heading)

    def _grid(
        self,
        rows: list[list[Any]],
        widths: list[float],
        header: bool,
        heights: list[float | None] | None = None,
    ) -> Table:
        table = Table(rows, colWidths=widths, rowHeights=heights, repeatRows=1 if header else 0)
        style = [
            ("GRID", (0, 0), (-1, -1), 0.5, GREY),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LEFTPADDING", (0, 0), (-1, -1), 3),
            ("RIGHTPADDING", (0, 0), (-1, -1), 3),
            ("TOPPADDING", (0, 0), (-1, -1), 2),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
            ("FONTNAME", (0, 0), (-1, -1), self.font),
        ]
        if header:
            style.append(("BACKGROUND", (0, 0), (-1, 0), LIGHT))
        else:
            style.append(("BACKGROUND", (0, 0), (0, -1), LIGHT))
        table.setStyle(TableStyle(style))
        return table

    def kv(self, rows: list[tuple[str, str, str]]) -> Table:
        """A two-column table of labelled values: (label zh, label en, value markup)."""
        data = [[self.cell(f"{_t(zh)}{_en(en)}"), self.cell(value)] for zh, en, value in rows]
        return self._grid(data, [42 * mm, WIDTH - 42 * mm], header=False)

    def grid(
        self,
        head: list[tuple[str, str]],
        rows: list[list[Any]],
        widths: list[float],
        row_height: float | None = None,
    ) -> Table:
        header = [self.cell(f"{_t(zh)}<br/>{_en(en, 7)}" if en else _t(zh)) for zh, en in head]
        heights = None if row_height is None else [None, *([row_height] * len(rows))]
        return self._grid([header, *rows], [w * mm for w in widths], True, heights)

    # -- sections

    def story(self) -> list[Flowable]:
        r = self.r
        out: list[Flowable] = [
            self.p(_t(r["title"]["zh"]), self.s.title),
            self.p(_t(r["title"]["en"]), self.s.subtitle),
            Spacer(1, 2 * mm),
            self.p(
                f"报告编号{_en('Report No.')} {_t(r['report_number'])} | 报告日期"
                f"{_en('Dated')} {_t(r['report_date'] or '草稿（审查未完成）')}",
                self.s.subtitle,
            ),
            self.p(
                f"{_both(r['audit_type'])} | 审查编号{_en('Audit')} {_t(r['audit_id'])}"
                + (
                    f" | 证书编号{_en('Certificate')} {_t(r['certificate_number'])}"
                    if r["certificate_number"]
                    else ""
                )
                + f" | {_both(r['status_name'])}",
                self.s.subtitle,
            ),
            Spacer(1, 3 * mm),
        ]
        if not r["completed"]:
            banner = Table(
                [[self.p(_both(r["conclusion"], 8, "<br/>"), self.s.banner)]],
                colWidths=[WIDTH],
            )
            banner.setStyle(
                TableStyle(
                    [
                        ("BOX", (0, 0), (-1, -1), 1.5, colors.black),
                        ("FONTNAME", (0, 0), (-1, -1), self.font),
                    ]
                )
            )
            out += [banner, Spacer(1, 2 * mm)]
        out += self.organization() + self.mode() + self.purpose() + self.team()
        out += self.dates() + self.score() + self.findings() + self.exclusions()
        out += self.adjustments() + self.conclusion() + self.signatures()
        return out

    def organization(self) -> list[Flowable]:
        org = self.r["organization"]
        contact = org["contact"]
        return [
            self.heading("一、受审查方", "Organization"),
            self.kv(
                [
                    ("组织名称", "Name", _t(org["name"])),
                    ("统一社会信用代码", "USCC", _t(org["uscc"])),
                    ("地址", "Address", _t(org["address"])),
                    ("联系人", "Contact", _t(contact["name"])),
                    ("电话", "Phone", _t(contact["phone"])),
                    ("电子邮箱", "Email", _t(contact["email"])),
                ]
            ),
        ]

    def mode(self) -> list[Flowable]:
        mode = self.r["certification_mode"]
        std, rules = mode["standard"], mode["rules"]
        return [
            self.heading("二、认证模式和评价方法", "Certification mode and evaluation methods"),
            self.kv(
                [
                    ("认证模式", "Mode", _both(mode)),
                    ("标准", "Standard", f"{_t(std['code'])}《{_t(std['zh'])}》{_en(std['en'])}"),
                    (
                        "认证规则",
                        "Rules",
                        f"{_t(rules['code'])}《{_t(rules['zh'])}》{_en(rules['en'])}",
                    ),
                    ("评价方法", "Methods", "；".join(_both(m) for m in self.r["methods"])),
                    ("评价层面", "Layers", "；".join(_both(lay) for lay in self.r["layers"])),
                ]
            ),
        ]

    def purpose(self) -> list[Flowable]:
        r = self.r
        return [
            self.heading("三、评价目的、依据、范围", "Purpose, basis and scope"),
            self.kv(
                [
                    ("评价目的", "Purpose", _both(r["purpose"], sep="<br/>")),
                    ("评价依据", "Basis", "<br/>".join(_both(b, sep="<br/>") for b in r["basis"])),
                    ("评价范围", "Scope", _t(r["scope"])),
                ]
            ),
        ]

    def team(self) -> list[Flowable]:
        rows = [
            [
                self.cell(_t(m["name"]) + ("（实习）" + _en("trainee") if m["trainee"] else "")),
                self.cell(_both(m["role_name"])),
                self.cell(_t(m["registration_number"])),
                self.num(m["days"]),
            ]
            for m in self.r["team"]
        ]
        accompanying = self.r["accompanying"]
        if accompanying:
            names = "；".join(
                _t(a.get("name", a) if isinstance(a, dict) else a) for a in accompanying
            )
        else:
            names = _both(self.r["accompanying_text"])
        return [
            self.heading("四、审查组", "Audit team"),
            self.grid(
                [
                    ("姓名", "Name"),
                    ("角色", "Role"),
                    ("注册号", "CCAA registration"),
                    ("人日", "Days"),
                ],
                rows,
                [50, 50, 55, 25],
            ),
            Spacer(1, 1.5 * mm),
            self.p(f"与审查组同行的人员{_en('Accompanying the team')}：{names}"),
        ]

    def dates(self) -> list[Flowable]:
        d = self.r["dates"]
        places = []
        for place in self.r["places"]:
            if place["kind"] == "central_office":
                address = f"（{_t(place['address'])}）" if place["address"] else ""
                places.append(f"{_t(place['name'])}{_en('central office')}{address}")
            else:
                places.append(f"{_t(place['name'])}{_en('sampled site')}")
        onsite = f"计划{_en('planned')} {_t(d['planned_onsite_days'])}"
        if d["actual_onsite_days"]:
            onsite += f"；实际{_en('actual')} {_t(d['actual_onsite_days'])}"
        return [
            self.heading("五、评价实施日期、地点", "Dates and places"),
            self.kv(
                [
                    ("审查日期", "Dates", f"{_t(d['start_on'])} 至{_en('to')} {_t(d['end_on'])}"),
                    ("完成日期", "Completed on", _t(d["completed_on"])),
                    ("现场人日", "On-site person-days", onsite),
                    ("审查地点", "Places", "；".join(places)),
                ]
            ),
        ]

    def score(self) -> list[Flowable]:
        sc = self.r["score"]
        arithmetic = sc["arithmetic"]
        rows = []
        for line in sc["breakdown"]:
            rows.append(
                [
                    self.cell(_t(line["indicator"])),
                    self.cell(f"{_t(line['name_zh'])}{_en(line['name_en'])}"),
                    self.num(line["points"]),
                    self.num("—" if line["excluded"] else line["earned"]),
                    self.cell("是" + _en("yes") if line["excluded"] else "否" + _en("no")),
                    self.cell(_both(line["basis"])),
                ]
            )
        rows.append(
            [
                self.cell(""),
                self.cell(f"涉及项合计{_en('applicable total')}"),
                self.num(arithmetic["applicable_points"]),
                self.num(arithmetic["earned"]),
                self.cell(""),
                self.cell(""),
            ]
        )
        table = self.grid(
            [
                ("指标", "Indicator"),
                ("名称", "Name"),
                ("分值", "Points"),
                ("得分", "Earned"),
                ("删减", "Excluded"),
                ("说明", "Basis"),
            ],
            rows,
            [16, 38, 14, 16, 15, 81],
        )
        table.setStyle(TableStyle([("BACKGROUND", (0, len(rows)), (-1, len(rows)), LIGHT)]))
        provisional = f"（暂定{_en('provisional')}）" if sc["provisional"] else ""
        steps = [
            self.p(f"{n}. {_t(step['zh'])}<br/>{_en(step['en'], 8)}")
            for n, step in enumerate(arithmetic["steps"], start=1)
        ]
        return [
            self.p(f"六、评分{_en('Score', 9)}{provisional}", self.s.heading),
            table,
            Spacer(1, 2 * mm),
            KeepTogether(
                [
                    self.p(f"计算过程{_en('Arithmetic')}"),
                    *steps,
                    Spacer(1, 1.5 * mm),
                    self.p(
                        f"判定规则{_en('Rule')}：{_t(sc['rule']['zh'])}<br/>"
                        f"{_en(sc['rule']['en'], 8)}"
                    ),
                    self.p(
                        f"判定{_en('Result')}：{_t(sc['result']['explanation']['zh'])}<br/>"
                        f"{_en(sc['result']['explanation']['en'], 8)}"
                    ),
                ]
            ),
        ]

    def findings(self) -> list[Flowable]:
        out: list[Flowable] = [self.heading("七、审查发现", "Findings")]
        if not self.r["findings"]:
            return [*out, self.p(f"无{_en('none')}")]
        rows = []
        for f in self.r["findings"]:
            by = f"记录人 recorded by {f['recorded_by']}"
            if f["approved_by"]:
                by += f"；批准 approved by {f['approved_by']}"
            rows.append(
                [
                    self.cell(_t(f["number"])),
                    self.cell(
                        f"{_t(f['clause'])} {_t(f['indicator_name']['zh'])}"
                        f"{_en(f['indicator_name']['en'])}<br/>{_t(f['clause_zh'])}"
                    ),
                    self.cell(_both(f["kind_name"])),
                    self.num(f["ratio"]),
                    self.cell(f"{_t(f['evidence'])}<br/>{_en(by, 7)}"),
                    self.cell(_both(f["status"])),
                ]
            )
        table = self.grid(
            [
                ("#", ""),
                ("条款", "Clause"),
                ("性质", "Kind"),
                ("抽样", "Sampled"),
                ("证据", "Evidence"),
                ("计分", "Status"),
            ],
            rows,
            [8, 64, 24, 15, 45, 24],
        )
        return [*out, table]

    def exclusions(self) -> list[Flowable]:
        out: list[Flowable] = [self.heading("八、删减", "Exclusions")]
        if not self.r["exclusions"]:
            return [*out, self.p(f"无{_en('none')}")]
        rows = [
            [
                self.cell(_t(e["indicator"])),
                self.cell(f"{_t(e['name_zh'])}{_en(e['name_en'])}"),
                self.num(e["points"]),
                self.cell(_t(e["reason"])),
            ]
            for e in self.r["exclusions"]
        ]
        return [
            *out,
            self.grid(
                [("指标", "Indicator"), ("名称", "Name"), ("分值", "Points"), ("理由", "Reason")],
                rows,
                [18, 42, 15, 105],
            ),
        ]

    def adjustments(self) -> list[Flowable]:
        out: list[Flowable] = [
            self.heading("九、特别扣分项与特别加分项", "Special deductions and bonus")
        ]
        deductions = self.r["special_deductions"]
        if deductions:
            rows = [
                [
                    self.cell(_t(d["number"])),
                    self.cell(_both(d["category_name"])),
                    self.num(d["points"]),
                    self.cell(_t(d["evidence"])),
                    self.cell(_t(d["corrective_action_id"])),
                ]
                for d in deductions
            ]
            out.append(
                self.grid(
                    [
                        ("#", ""),
                        ("类别", "Category"),
                        ("分", "Points"),
                        ("证据", "Evidence"),
                        ("整改编号", "Corrective action"),
                    ],
                    rows,
                    [8, 50, 12, 44, 66],
                )
            )
        else:
            out.append(self.p(f"特别扣分项{_en('Special deductions')}：无{_en('none')}"))
        bonus = self.r["bonus"]
        text = f"+{bonus['points']}，{_t(bonus['evidence'])}" if bonus else f"无{_en('none')}"
        out += [Spacer(1, 1.5 * mm), self.p(f"特别加分项{_en('Special bonus')}：{text}")]
        return out

    def conclusion(self) -> list[Flowable]:
        r = self.r
        provisional = f"（暂定{_en('provisional')}）" if r["score"]["provisional"] else ""
        return [
            KeepTogether(
                [
                    self.heading("十、服务评价结论", "Conclusion"),
                    self.p(_both(r["conclusion"], 10, "<br/>"), self.s.result),
                    self.p(f"评分{_en('Score')}：{_t(r['score']['final'])}{provisional}"),
                    self.heading("十一、审查组推荐意见", "The team's recommendation"),
                    self.p(_both(r["recommendation"], 10, "<br/>"), self.s.result),
                ]
            )
        ]

    def signatures(self) -> list[Flowable]:
        """Signature lines for the team leader and each member (4.5)."""
        rows = [
            [
                self.cell(_both(m["role_name"])),
                self.cell(_t(m["name"])),
                self.cell(""),
                self.cell(""),
            ]
            for m in self.r["signatures"]
        ]
        table = self.grid(
            [("角色", "Role"), ("姓名", "Name"), ("签字", "Signature"), ("日期", "Date")],
            rows,
            [40, 40, 60, 40],
            row_height=12 * mm,  # room for a pen
        )
        return [
            KeepTogether(
                [
                    self.heading("十二、审查组签字", "Signatures of the audit team"),
                    table,
                    Spacer(1, 2 * mm),
                    self.p(
                        f"报告编号{_en('Report No.')} {_t(self.r['report_number'])}，报告日期"
                        f"{_en('dated')} {_t(self.r['report_date'] or '—')}"
                    ),
                ]
            )
        ]

    # -- page furniture

    def footer(self, canvas: Canvas, page: int, pages: int) -> None:
        """The report's title, organization, rulebook version and "第 1 页 共 3 页"."""
        canvas.saveState()
        canvas.setFont(self.font, 7.5)
        canvas.setFillColor(GREY)
        left, right, y = 15 * mm, A4[0] - 15 * mm, 9 * mm
        canvas.drawString(
            left,
            y,
            f"{self.r['title']['zh']} | {self.r['organization']['name'] or ''}".translate(PDF_SAFE),
        )
        canvas.drawRightString(
            right,
            y,
            f"{self.r['report_number']} | 规则版本 {self.r['rulebook_version']} | "
            + page_of(page, pages),
        )
        canvas.restoreState()


def render_pdf(report: dict[str, Any]) -> bytes:
    """The report as PDF bytes, in a font with a glyph for every character drawn, embedded."""

    def build(font: str) -> bytes:
        layout = Report(report, font)
        buffer = BytesIO()
        doc = SimpleDocTemplate(
            buffer,
            pagesize=A4,
            leftMargin=15 * mm,
            rightMargin=15 * mm,
            topMargin=14 * mm,
            bottomMargin=16 * mm,
            title=f"{report['title']['zh']} {report['organization']['name'] or ''}",
            author="ECPSC",
            subject=f"ZPIC-WF-20 4.5, {report['audit_id']}",
            lang="zh-CN",
            initialFontName=font,
        )
        doc.build(layout.story(), canvasmaker=paged_canvas(layout.footer))
        return buffer.getvalue()

    return render_embedded(build, "evaluation", strings_of(report))
