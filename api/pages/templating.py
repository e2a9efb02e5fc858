"""The Jinja2 environment of the server-rendered pages and documents, with the words for codes
(`named`), events told as sentences (`event_story`) and moments in China time (`china_time`)."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup, escape

from api import labels as api_labels
from api.labels import Label
from api.pages.event_story import story
from domain.rulebook.dates import CHINA_STANDARD_TIME

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
STATIC = Path(__file__).resolve().parent.parent / "static"

templates = Environment(
    loader=FileSystemLoader(TEMPLATES),
    autoescape=select_autoescape(["html", "xml"]),
    trim_blocks=True,
    lstrip_blocks=True,
)


def china_time(moment: str | datetime | None) -> str:
    """A recorded moment as people here read it: China time (UTC+8), to the second."""
    if not moment:
        return "—"
    value = datetime.fromisoformat(moment) if isinstance(moment, str) else moment
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(CHINA_STANDARD_TIME).strftime("%Y-%m-%d %H:%M:%S")


def named(kind: str, code: str | None) -> Label:
    """The words for a code of a kind of `api.labels` (`named("audit_types", "initial")`)."""
    labels: dict[str, Label] = getattr(api_labels, kind.upper())
    return api_labels.label(labels, code)


TOKEN = re.compile(r"\d{4}-\d{2}-\d{2}|[A-Z]{2,}(?:-[A-Z0-9]+)+|[0-9A-Z]{18}")
"""Dates, certificate numbers and USCCs inside a sentence."""


def keep_tokens(text: str) -> Markup:
    """A sentence, escaped, its dates, numbers and codes kept whole on a narrow screen."""
    kept = TOKEN.sub(lambda m: f'<span class="token">{m.group(0)}</span>', str(escape(text)))
    return Markup(kept)  # escaped above: only the spans are markup


templates.filters["china_time"] = china_time
templates.filters["keep_tokens"] = keep_tokens
templates.globals["named"] = named
templates.globals["event_story"] = story
