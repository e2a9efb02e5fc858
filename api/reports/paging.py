"""Pages that know how many there are: "第 1 页 共 2 页" at the foot of every printed page."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from reportlab.pdfgen.canvas import Canvas

Footer = Callable[[Canvas, int, int], None]
"""Draws a page's foot, given the page's number and the number of pages."""


def page_of(page: int, pages: int) -> str:
    """The page count as a printed page says it, Chinese first."""
    return f"第 {page} 页 共 {pages} 页 / page {page} of {pages}"


def paged_canvas(footer: Footer) -> type[Canvas]:
    """A canvas class (for `SimpleDocTemplate.build(canvasmaker=...)`) that holds its pages
    back until the document ends, then draws each page's foot with the page count."""

    class PagedCanvas(Canvas):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._held: list[dict[str, Any]] = []

        def showPage(self) -> None:
            self._held.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            pages = len(self._held)
            for number, state in enumerate(self._held, start=1):
                self.__dict__.update(state)
                footer(self, number, pages)
                super().showPage()
            super().save()

    return PagedCanvas
