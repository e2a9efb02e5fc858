"""The one settings object, read from ECPSC_* environment variables."""

from __future__ import annotations

from datetime import date
from functools import cached_property
from pathlib import Path
from urllib.parse import unquote, urlparse

from pydantic import field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    """How this back office is configured (see README)."""

    model_config = SettingsConfigDict(env_prefix="ECPSC_", extra="ignore")

    database_url: str = "sqlite:///var/ecpsc.sqlite"
    """`sqlite:///path` (embedded, the default) or `postgresql://user:pw@host:port/db`."""
    broker_url: str | None = None
    """`redis://…` or `amqp://…` for dramatiq; unset runs jobs in process."""
    admin_token: str | None = None
    """Accepted as a bootstrap admin's bearer token."""
    today: date | None = None
    """Pins the server's today (demonstrations, training, tests)."""
    daily_jobs: bool = True
    """`off` stops `ecpsc serve` from running the daily jobs in process."""
    documents_dir: Path | None = None
    """Where the embedded store keeps document content (default: beside the SQLite file)."""
    smtp_url: str | None = None
    """`smtp://user:password@host:port` or `smtps://…` to send notices; unset: the outbox."""
    mail_from: str = "ECPSC 认证中心 <noreply@ecpsc.example.cn>"
    """The sender of notices."""
    outbox_dir: Path | None = None
    """Where notices to organizations are dropped as .eml files for the mail relay
    (default: `outbox/` beside the SQLite file, or `var/outbox`)."""
    public_url: str = "http://127.0.0.1:8000"
    """Base of public verification addresses."""
    log_format: str = "json"
    """`json` (one object per line, with the request id) or `text`."""
    projections: bool = True
    """Run the projections in this process (off when a separate `ecpsc projector` runs them)."""
    postgres_pool_size: int = 1
    """Connections the application's PostgreSQL pool keeps (commands, history, documents)."""
    postgres_max_overflow: int = 4
    """Connections the application's pool may open beyond those it keeps, under load."""
    postgres_read_pool_size: int = 1
    """Connections the pool every read model of a process shares keeps."""
    postgres_read_max_overflow: int = 4
    """Connections the read models' pool may open beyond those it keeps, under load."""
    read_database_url: str | None = None
    """`postgresql://…` of a streaming replica of the database: processes that do not run the
    projections read the read models (the public register, lists, searches) there."""
    postgres_connect_timeout: int = 5
    """Seconds a store call waits for a PostgreSQL connection before it counts as failed."""
    token_lifetime_days: int = 365
    """How long a newly issued API token is accepted."""
    sign_in_rate_limit: str = "30/minute"
    """Sign-in attempts per client address (`limits` notation, e.g. `30/minute`; `off`)."""
    public_rate_limit: str = "1200/minute"
    """Requests to the public register search and /verify per client address (`off`)."""
    rate_limit_exempt: str = "127.0.0.1,::1"
    """Comma-separated addresses no rate limit applies to (local checks, benchmarks)."""
    max_command_bytes: int = 1024 * 1024
    """The largest body of a JSON command or a form without files (larger: 413)."""
    max_upload_bytes: int = 51 * 1024 * 1024
    """The largest multipart upload to the API: one 50 MiB document and its envelope."""
    max_form_upload_bytes: int = 201 * 1024 * 1024
    """The largest staff-page form with files (several documents, each at most 50 MiB)."""
    signing_key: str | None = None
    """The certification body's Ed25519 private key, PEM text (ecpsc.signing)."""
    signing_key_file: Path | None = None
    """A PEM file holding it (default: `ecpsc-signing-key.pem` beside the embedded store, or
    in `var/`, generated on first start with mode 0600)."""
    signing_previous_keys: str | None = None
    """PEM files of earlier keys, comma-separated: their public keys stay published."""

    # The certification body (本机构) as its certificates, notices and pages name it. The
    # defaults are a demonstration identity, marked as such on every document.
    issuer_name: str = "ECPSC 演示认证有限公司（演示机构）"
    """The CB's name in Chinese (8.1.1 item 10)."""
    issuer_name_en: str = "ECPSC Demo Certification Co., Ltd. (demonstration)"
    """The CB's name in English."""
    issuer_address: str = "广东省深圳市福田区演示路 1 号（演示地址）"
    """The CB's address in Chinese (8.1.1 item 10)."""
    issuer_address_en: str = "1 Demo Road, Futian District, Shenzhen, Guangdong (demonstration)"
    """The CB's address in English."""
    issuer_approval_number: str = "CNCA-R-0000-000（演示）"
    """The CB's approval number from CNCA (批准号)."""
    issuer_accreditation: str = "CNAS C000-S（演示）"
    """The CB's accreditation (认可注册号), empty if none."""
    issuer_phone: str = "0755-0000 0000（演示）"
    """The CB's telephone for organizations and the public."""
    issuer_email: str = "service@ecpsc.example.cn"
    """The CB's e-mail address for organizations and the public."""
    issuer_seal_image: Path | None = None
    """A PNG or JPEG of the CB's seal, printed beside its name on certificates and notices."""

    @field_validator("daily_jobs", "projections", mode="before")
    @classmethod
    def _on_off(cls, value: object) -> object:
        if isinstance(value, str) and value.strip().lower() in {"on", "off"}:
            return value.strip().lower() == "on"
        return value

    @cached_property
    def is_postgres(self) -> bool:
        """Whether the event store is PostgreSQL."""
        return urlparse(self.database_url).scheme.startswith("postgres")

    @cached_property
    def sqlite_path(self) -> Path:
        """The embedded event store's file."""
        parsed = urlparse(self.database_url)
        if parsed.scheme != "sqlite":
            raise ValueError(f"not an SQLite URL: {self.database_url}")
        return Path(
            unquote(parsed.netloc + parsed.path).removeprefix("/")
            if parsed.netloc
            else unquote(parsed.path).removeprefix("/")
        )

    @cached_property
    def documents_path(self) -> Path:
        """The embedded document store's directory."""
        if self.documents_dir is not None:
            return self.documents_dir
        return self.sqlite_path.parent / "documents"

    @cached_property
    def outbox_path(self) -> Path:
        """The directory notices are written to."""
        if self.outbox_dir is not None:
            return self.outbox_dir
        if self.is_postgres:
            return Path("var") / "outbox"
        return self.sqlite_path.parent / "outbox"

    @cached_property
    def postgres(self) -> dict[str, str]:
        """Connection parameters of the PostgreSQL URL."""
        return _postgres_parameters(self.database_url)

    @property
    def read_postgres(self) -> dict[str, str] | None:
        """Connection parameters of the replica's URL, when one is set (not cached: a
        `model_copy(update=...)` copies cached values)."""
        if not self.read_database_url:
            return None
        return _postgres_parameters(self.read_database_url)


def _postgres_parameters(url: str) -> dict[str, str]:
    """A PostgreSQL URL's connection parameters."""
    parsed = urlparse(url)
    return {
        "dbname": unquote(parsed.path.lstrip("/")) or "ecpsc",
        "host": parsed.hostname or "127.0.0.1",
        "port": str(parsed.port or 5432),
        "user": unquote(parsed.username or "postgres"),
        "password": unquote(parsed.password or ""),
    }
