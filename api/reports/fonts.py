"""The font a printed document is set in: chosen by the glyphs of the text it draws, embedded.

Each PDF is built with a font that has a glyph for every character the document draws — Latin
letters and digits (certificate numbers, USCCs, dates) as much as Chinese. The fonts are tried
in the order of `FONT_FILES`; a font's coverage is read from its cmap with fontTools. Debian's
Noto Sans CJK SC (fonts-noto-cjk) comes first; DroidSansFallback, which has no Latin glyphs,
can only be chosen for a text without any.

The chosen font is always embedded: fontTools cuts it down to the characters drawn and, for an
OpenType/CFF font such as Noto Sans CJK (which reportlab cannot embed), converts the outlines to
TrueType quadratics. When no installed font covers the text, rendering stops with
`FontUnavailable`, which the API answers with 503 and `/readyz` reports (`readiness`).
"""

from __future__ import annotations

import functools
import itertools
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path
from typing import Any

from fontTools.pens.cu2quPen import Cu2QuPen
from fontTools.pens.ttGlyphPen import TTGlyphPen
from fontTools.subset import Options, Subsetter
from fontTools.ttLib import TTCollection, TTLibError, newTable
from fontTools.ttLib import TTFont as FontFile_
from reportlab.lib import fonts as rl_fonts
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont


@dataclass(frozen=True)
class FontFile:
    """An installed font file, and the family to take from it when it is a collection."""

    path: str
    family: str


FONT_FILES: tuple[FontFile, ...] = (
    FontFile("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc", "Noto Sans CJK SC"),
    FontFile("/usr/share/fonts/opentype/noto/NotoSansCJKsc-Regular.otf", "Noto Sans CJK SC"),
    FontFile("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc", "WenQuanYi Zen Hei"),
    FontFile("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc", "WenQuanYi Micro Hei"),
    FontFile("/usr/share/fonts/truetype/arphic/uming.ttc", "AR PL UMing CN"),
    FontFile("/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf", "Droid Sans Fallback"),
)
"""Fonts tried in turn: Debian's fonts-noto-cjk, fonts-wqy-*, fonts-arphic-uming and
fonts-droid-fallback."""

READINESS_TEXT = (
    "".join(chr(c) for c in range(0x21, 0x7F))
    + "商品售后服务评价认证证书编号统一社会信用代码有效期至第页共不予决定通知书暂停撤销申诉投诉"
)
"""What every document draws (ASCII letters, digits and signs, and common Chinese): the font
check `/readyz` makes."""

INSTALL_HINT = "请安装 Debian 软件包 fonts-noto-cjk / install Debian's fonts-noto-cjk"


class FontUnavailable(RuntimeError):
    """No installed font has a glyph for every character a document draws."""

    code = "pdf_font_unavailable"

    def __init__(self, missing: Iterable[str], tried: Iterable[str]) -> None:
        shown = "".join(sorted(set(missing)))[:40]
        tried_text = "、".join(tried) or "—"
        self.message = (
            f"没有已安装的字体包含文档所需的全部字符（缺少：{shown}；已检查：{tried_text}），"
            f"无法生成 PDF。{INSTALL_HINT} / no installed font has a glyph for every character "
            f"the document draws (missing: {shown}; checked: {tried_text}): no PDF can be made."
        )
        super().__init__(self.message)


def _significant(char: str) -> bool:
    """A character that needs a glyph (not a space, line break or other control)."""
    return not char.isspace() and char.isprintable()


@functools.cache
def _face(file: FontFile) -> tuple[int, frozenset[int]] | None:
    """(index in the file, the code points its cmap maps); None when absent or unreadable."""
    if not Path(file.path).is_file():
        return None
    try:
        with open(file.path, "rb") as stream:
            is_collection = stream.read(4) == b"ttcf"
        faces = (
            list(TTCollection(file.path, lazy=True).fonts)
            if is_collection
            else [FontFile_(file.path, lazy=True)]
        )
        index = next(
            (n for n, face in enumerate(faces) if face["name"].getDebugName(1) == file.family), 0
        )
        return index, frozenset(faces[index].getBestCmap())
    except (TTLibError, OSError, KeyError, AssertionError):
        return None


def choose(chars: Iterable[str], files: tuple[FontFile, ...] | None = None) -> FontFile:
    """The first font file (of FONT_FILES) with a glyph for each of chars; FontUnavailable
    when none has."""
    files = FONT_FILES if files is None else files
    needed = {ord(c) for c in chars if _significant(c)}
    tried, best_missing = [], needed
    for file in files:
        face = _face(file)
        if face is None:
            continue
        tried.append(file.family)
        missing = needed - face[1]
        if not missing:
            return file
        if len(missing) < len(best_missing):
            best_missing = missing
    raise FontUnavailable((chr(c) for c in best_missing), tried)


def readiness() -> dict[str, Any]:
    """For /readyz: the font documents are printed in, or why no PDF can be made."""
    try:
        file = choose(READINESS_TEXT)
    except FontUnavailable as error:
        return {"status": "unavailable", "error": error.message}
    return {"status": "ok", "font": file.family, "file": file.path}


# -- embedding --------------------------------------------------------------------------------


def _cff_to_glyf(font: FontFile_) -> None:
    """Replace a font's CFF outlines with TrueType ones (reportlab embeds only TrueType)."""
    order = font.getGlyphOrder()
    glyph_set = font.getGlyphSet()
    glyf = newTable("glyf")
    glyf.glyphOrder = order
    glyf.glyphs = {}
    for name in order:
        pen = TTGlyphPen(None)
        glyph_set[name].draw(Cu2QuPen(pen, max_err=1.0, reverse_direction=True))
        glyf[name] = pen.glyph()
    font["glyf"] = glyf
    font["loca"] = newTable("loca")
    del font["CFF "]
    maxp = newTable("maxp")
    maxp.tableVersion = 0x00010000
    maxp.maxZones = 1
    for field in (
        "maxTwilightPoints",
        "maxStorage",
        "maxFunctionDefs",
        "maxInstructionDefs",
        "maxStackElements",
        "maxSizeOfInstructions",
        "maxComponentElements",
    ):
        setattr(maxp, field, 0)
    font["maxp"] = maxp
    font["head"].glyphDataFormat = 0
    font["post"].formatType = 3.0
    font.sfntVersion = "\0\1\0\0"


@functools.lru_cache(maxsize=32)
def _embeddable(file: FontFile, chars: frozenset[int]) -> bytes:
    """The font cut down to chars, with TrueType outlines: what reportlab embeds."""
    face = _face(file)
    assert face is not None  # choose() found it
    font = FontFile_(file.path, fontNumber=face[0], lazy=False)
    options = Options()
    options.layout_features = []
    options.hinting = False
    options.desubroutinize = True
    options.notdef_outline = True
    options.glyph_names = False
    options.name_IDs = ["*"]
    options.drop_tables += ["VORG", "vhea", "vmtx", "BASE", "GSUB", "GPOS", "GDEF", "DSIG"]
    subsetter = Subsetter(options)
    subsetter.populate(unicodes=chars | {0x20})
    subsetter.subset(font)
    if "CFF " in font:
        _cff_to_glyf(font)
    buffer = BytesIO()
    font.save(buffer)
    return buffer.getvalue()


class _DrawnFont(TTFont):
    """A reportlab TrueType font that notes every character measured or drawn with it."""

    drawn: set[str]

    def stringWidth(self, text: Any, size: float, encoding: str = "utf8") -> float:
        self.drawn.update(text if isinstance(text, str) else text.decode(encoding))
        return float(super().stringWidth(text, size, encoding))

    def splitString(self, text: Any, doc: Any, encoding: str = "utf-8") -> Any:
        self.drawn.update(text if isinstance(text, str) else text.decode(encoding))
        return super().splitString(text, doc, encoding)


_serial = itertools.count(1)
_serial_lock = threading.Lock()


def _register(file: FontFile, chars: set[str]) -> _DrawnFont:
    """A font with each of chars, registered with reportlab under a name of its own."""
    data = _embeddable(file, frozenset(ord(c) for c in chars if _significant(c)))
    with _serial_lock:
        serial = next(_serial)
    font = _DrawnFont(f"ECPSC-Doc-{serial}", BytesIO(data))
    font.drawn = set()
    # reportlab shares one font object among fonts of one face name: each render's subset
    # must be a face of its own
    font.face.name = font.face.name + b"-%d" % serial
    pdfmetrics.registerFont(font)
    return font


def _forget(font: TTFont) -> None:
    """Unregister a render's font, so that fonts do not pile up in reportlab's registry."""
    pdfmetrics._fonts.pop(font.fontName, None)
    pdfmetrics._dynFaceNames.pop(font.face.name, None)
    family = font.fontName.lower()
    for bold, italic in itertools.product((0, 1), (0, 1)):
        rl_fonts._tt2ps_map.pop((family, bold, italic), None)
    rl_fonts._ps2tt_map.pop(family, None)


_drawn_before: dict[str, frozenset[str]] = {}
"""Per kind of document, the characters its layout drew beyond its data: its fixed labels
(replaced whole, never changed in place, as renders run in several threads)."""


def strings_of(value: Any) -> str:
    """Every string in a JSON-like value, joined: the text a document's data brings."""
    if isinstance(value, str):
        return value
    if isinstance(value, dict):
        return "".join(strings_of(v) for v in value.values())
    if isinstance(value, list | tuple):
        return "".join(strings_of(v) for v in value)
    return "" if value is None else str(value)


def render_embedded(
    build: Callable[[str], bytes],
    kind: str,
    text: str = "",
) -> bytes:
    """The PDF build(font_name) makes, in the first font with a glyph for every character it
    draws (text: what the document's data says; the layout's labels are learnt as it draws)."""
    chars = set(text) | _drawn_before.get(kind, frozenset())
    while True:
        file = choose(chars)
        font = _register(file, chars)
        try:
            pdf = build(font.fontName)
        finally:
            _forget(font)
        new = {c for c in font.drawn if _significant(c)} - chars
        if not new:
            return pdf
        # the layout drew labels the data does not hold: build again with them (once per
        # kind of document and process, as they are remembered)
        labels = _drawn_before.get(kind, frozenset())
        if len(labels) < 4000:
            _drawn_before[kind] = labels | (new - set(text))
        chars |= new
