"""Documents (ZPIC-WF-20 4.1.1, 10.3): the metadata of content stored under its SHA-256."""

from __future__ import annotations

from datetime import date
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate, event

from domain.errors import InvalidInput, RuleViolation

ORIGINAL_FORMS = {
    "signed": "签字原件 / signed original",
    "stamped": "盖章原件 / stamped original",
    "signed_and_stamped": "签字盖章原件 / signed and stamped original",
}
"""10.3: the forms of original kept as content with its SHA-256."""


class Document(Aggregate):
    """An uploaded file, named by the SHA-256 of its bytes."""

    class Uploaded(Aggregate.Created):
        """Content was uploaded for the first time."""

        sha256: str
        size: int
        media_type: str
        filename: str
        by: str

    class UploadedAgain(Aggregate.Event):
        """The same content was uploaded again, perhaps under another name."""

        filename: str
        media_type: str
        by: str

    @staticmethod
    def create_id(sha256: str) -> UUID:
        """The document's id, derived from its content hash."""
        return uuid5(NAMESPACE_URL, f"/documents/{sha256}")

    @event(Uploaded)
    def __init__(self, sha256: str, size: int, media_type: str, filename: str, by: str) -> None:
        self.sha256 = sha256
        self.size = size
        self.media_type = media_type
        self.filename = filename
        self.original: dict[str, object] | None = None

    class MarkedOriginal(Aggregate.Event):
        """The content is the scan of a signed or stamped original (10.3), as verified."""

        form: str
        note: str
        verified_on: date
        by: str

    def mark_original(self, form: str, note: str, verified_on: date, by: str) -> None:
        """Mark the content as a signed or stamped original (10.3); once."""
        if form not in ORIGINAL_FORMS:
            raise InvalidInput("form", f"未知形式 / unknown form {form!r}")
        if self.original is not None:
            raise RuleViolation(
                "该文件已标记为原件 / the document is already marked as an original",
                code="already_marked_original",
                clause="ZPIC-WF-20 10.3",
            )
        self._marked_original(form=form, note=note, verified_on=verified_on, by=by)

    @event(MarkedOriginal)
    def _marked_original(self, form: str, note: str, verified_on: date, by: str) -> None:
        self.original = {"form": form, "note": note, "verified_on": verified_on, "by": by}

    @event(UploadedAgain)
    def upload_again(self, filename: str, media_type: str, by: str) -> None:
        """The same bytes were uploaded again, perhaps under another name."""
