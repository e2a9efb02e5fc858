"""Documents (ZPIC-WF-20 4.1.1, 10.3): the metadata of content stored under its SHA-256."""

from __future__ import annotations

from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate, event


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

    @event(UploadedAgain)
    def upload_again(self, filename: str, media_type: str, by: str) -> None:
        """The same bytes were uploaded again, perhaps under another name."""
