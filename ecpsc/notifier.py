"""Delivery of notices by e-mail: SMTP in production, an outbox directory otherwise.

The outbox is also how tests and a single-machine install see what was sent: one .eml file
per notice, named by its key, written atomically.
"""

from __future__ import annotations

import hashlib
import os
import smtplib
from dataclasses import dataclass, field
from email.header import Header
from email.message import EmailMessage
from email.policy import Policy, default
from email.utils import formataddr, formatdate
from pathlib import Path
from typing import Protocol
from urllib.parse import unquote, urlparse

from ecpsc.settings import Settings


class EncodedHeader(str):
    """A header value that folds itself with email.header (RFC 2047 encoded words, UTF-8).

    policy.default's own folder (CPython 3.11) can end one encoded word just before a space
    and start the next just after it, and readers drop the whitespace between two encoded
    words: "Certificates expiring soon" arrived as "expiringsoon". Header.encode keeps each
    space inside an encoded word. The policy stores a value with a `name` as it is and asks it
    to fold itself (email.policy.EmailPolicy.header_store_parse and fold).
    """

    name: str

    def __new__(cls, name: str, value: str) -> EncodedHeader:
        header = super().__new__(cls, value)
        header.name = name
        return header

    def __getnewargs__(self) -> tuple[str, str]:  # type: ignore[override]
        return (self.name, str(self))

    def fold(self, *, policy: Policy) -> str:
        """The header line(s), folded by email.header at the policy's line length (plain
        ASCII stays plain)."""
        value = str(self)
        charset = "us-ascii" if value.isascii() else "utf-8"
        width = policy.max_line_length or 78
        encoded = Header(value, charset, maxlinelen=width, header_name=self.name).encode(
            linesep=policy.linesep
        )
        return f"{self.name}: {encoded}{policy.linesep}"


@dataclass(frozen=True)
class Notice:
    """One message to one recipient: subject and body in Chinese first, English beside it."""

    key: str
    recipient: str
    recipient_name: str
    subject: str
    body: str
    certificate_numbers: list[str] = field(default_factory=list)

    def message(self, sender: str) -> EmailMessage:
        """The notice as an e-mail message, with a Message-ID derived from its key."""
        message = EmailMessage(policy=default)
        message["From"] = sender
        message["To"] = formataddr((self.recipient_name, self.recipient))
        message["Subject"] = EncodedHeader("Subject", self.subject)
        message["Date"] = formatdate(localtime=False, usegmt=True)
        message["Message-ID"] = f"<{hashlib.sha256(self.key.encode()).hexdigest()[:32]}@ecpsc>"
        message.set_content(self.body, charset="utf-8")
        return message


class Notifier(Protocol):
    """Hands notices to the mail system."""

    def deliver(self, notice: Notice) -> None:
        """Send one notice (the caller records it, so each goes once)."""


class OutboxNotifier:
    """Writes each notice as an .eml file into a directory (for a relay, or to be read)."""

    def __init__(self, directory: Path, sender: str) -> None:
        self.directory = directory
        self.sender = sender

    def path_of(self, notice: Notice) -> Path:
        """The file of a notice."""
        return self.directory / f"{hashlib.sha256(notice.key.encode()).hexdigest()[:24]}.eml"

    def deliver(self, notice: Notice) -> None:
        """Write the notice's file atomically (a reader never sees half a message)."""
        self.directory.mkdir(parents=True, exist_ok=True)
        path = self.path_of(notice)
        partial = path.with_suffix(f".{os.getpid()}.tmp")
        partial.write_bytes(bytes(notice.message(self.sender)))
        partial.replace(path)


class SmtpNotifier:
    """Sends through an SMTP server: `smtp://user:password@host:port` (STARTTLS when offered)
    or `smtps://…` (TLS from the start)."""

    def __init__(self, url: str, sender: str, timeout: float = 30.0) -> None:
        parsed = urlparse(url)
        if parsed.scheme not in ("smtp", "smtps"):
            raise ValueError(f"ECPSC_SMTP_URL must be smtp://… or smtps://…, not {url!r}")
        self.tls = parsed.scheme == "smtps"
        self.host = parsed.hostname or "127.0.0.1"
        self.port = parsed.port or (465 if self.tls else 25)
        self.user = unquote(parsed.username) if parsed.username else None
        self.password = unquote(parsed.password) if parsed.password else None
        self.sender = sender
        self.timeout = timeout

    def deliver(self, notice: Notice) -> None:
        """Send one message."""
        smtp_class = smtplib.SMTP_SSL if self.tls else smtplib.SMTP
        with smtp_class(self.host, self.port, timeout=self.timeout) as smtp:
            if not self.tls:
                smtp.ehlo()
                if smtp.has_extn("starttls"):
                    smtp.starttls()
            if self.user:
                smtp.login(self.user, self.password or "")
            smtp.send_message(notice.message(self.sender))


def make_notifier(settings: Settings) -> Notifier:
    """SMTP when ECPSC_SMTP_URL is set; otherwise the outbox directory."""
    if settings.smtp_url:
        return SmtpNotifier(settings.smtp_url, settings.mail_from)
    return OutboxNotifier(settings.outbox_path, settings.mail_from)
