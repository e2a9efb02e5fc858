"""The Jinja2 environment of the server-rendered pages and documents, with the words for codes
(`named`), events told as sentences (`event_story`) and moments in China time (`china_time`)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape

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


templates.filters["china_time"] = china_time
templates.globals["named"] = named
templates.globals["event_story"] = story
