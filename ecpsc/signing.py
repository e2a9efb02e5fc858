"""The certification body's signing key (Ed25519): kept outside the database, it signs the
checkpoints of the event log and the statements printed in certificates' QR codes.

Where the private key comes from, first found wins:
1. `ECPSC_SIGNING_KEY`: the key itself, PEM (PKCS#8) text;
2. `ECPSC_SIGNING_KEY_FILE`: a PEM file holding it;
3. the default file, `ecpsc-signing-key.pem` beside the embedded store (`var/` by default, or
   `var/` of the working directory with PostgreSQL), generated on first start with mode 0600.

Published beside it: the public keys of earlier keys (`ECPSC_SIGNING_PREVIOUS_KEYS`, PEM files
separated by commas), so what an earlier key signed still verifies after a rotation.

A key's id is the first 16 hex digits of the SHA-256 of its raw 32-byte public key; public keys
and signatures travel as base64 (RFC 4648 §4) of their raw bytes.
"""

from __future__ import annotations

import base64
import hashlib
import logging
import os
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from ecpsc.settings import Settings

log = logging.getLogger(__name__)

ALGORITHM = "Ed25519"
DEFAULT_KEY_NAME = "ecpsc-signing-key.pem"


class SigningKeyUnavailable(Exception):
    """The configured signing key cannot be read."""


def b64(data: bytes) -> str:
    """Standard base64 of bytes."""
    return base64.b64encode(data).decode("ascii")


def unb64(text: str) -> bytes:
    """Bytes of standard or URL-safe base64, padded or not."""
    text = text.strip().replace("-", "+").replace("_", "/")
    return base64.b64decode(text + "=" * (-len(text) % 4), validate=True)


@dataclass(frozen=True)
class PublicKey:
    """A published public key of the certification body."""

    key_id: str
    raw: bytes

    @classmethod
    def of(cls, key: Ed25519PublicKey) -> PublicKey:
        """The published form of a public key."""
        raw = key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
        return cls(hashlib.sha256(raw).hexdigest()[:16], raw)

    @classmethod
    def from_base64(cls, public_key: str) -> PublicKey:
        """A public key from its published base64 form."""
        raw = unb64(public_key)
        if len(raw) != 32:
            raise ValueError("an Ed25519 public key has 32 bytes")
        return cls(hashlib.sha256(raw).hexdigest()[:16], raw)

    @property
    def public_key(self) -> str:
        """The raw public key, base64."""
        return b64(self.raw)

    @property
    def pem(self) -> str:
        """The public key as PEM (SubjectPublicKeyInfo)."""
        key = Ed25519PublicKey.from_public_bytes(self.raw)
        spki = serialization.PublicFormat.SubjectPublicKeyInfo
        return key.public_bytes(serialization.Encoding.PEM, spki).decode("ascii")

    def published(self) -> dict[str, str]:
        """What `/.well-known/ecpsc-signing-key` shows of the key."""
        return {"key_id": self.key_id, "algorithm": ALGORITHM, "public_key": self.public_key}

    def verifies(self, message: bytes, signature: bytes) -> bool:
        """Whether the signature over the message is this key's."""
        try:
            Ed25519PublicKey.from_public_bytes(self.raw).verify(signature, message)
        except InvalidSignature:
            return False
        return True


@dataclass(frozen=True)
class SigningKey:
    """The private key and where it came from."""

    private: Ed25519PrivateKey
    source: str

    @property
    def public(self) -> PublicKey:
        """Its public key."""
        return PublicKey.of(self.private.public_key())

    @property
    def key_id(self) -> str:
        """Its id."""
        return self.public.key_id

    def sign(self, message: bytes) -> bytes:
        """The Ed25519 signature of a message."""
        return self.private.sign(message)


def default_key_path(settings: Settings) -> Path:
    """Where the key is kept when nothing else is configured."""
    if settings.is_postgres:
        return Path("var") / DEFAULT_KEY_NAME
    return settings.sqlite_path.parent / DEFAULT_KEY_NAME


def _private_key(pem: bytes, where: str) -> Ed25519PrivateKey:
    try:
        key = serialization.load_pem_private_key(pem, password=None)
    except (ValueError, TypeError) as error:
        raise SigningKeyUnavailable(f"{where}: not a PEM private key ({error})") from None
    if not isinstance(key, Ed25519PrivateKey):
        raise SigningKeyUnavailable(f"{where}: not an Ed25519 key")
    return key


def private_pem(key: Ed25519PrivateKey) -> bytes:
    """A private key as unencrypted PKCS#8 PEM."""
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )


def write_new_key(path: Path) -> Ed25519PrivateKey:
    """Generate a key into a new file readable by its owner only (never over an existing one)."""
    key = Ed25519PrivateKey.generate()
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".key-")
    try:
        os.fchmod(handle, 0o600)
        os.write(handle, private_pem(key))
        os.fsync(handle)
        os.close(handle)
        os.link(temporary, path)  # fails if another process wrote it first
    finally:
        os.unlink(temporary)
    return key


_lock = threading.Lock()
_loaded: dict[tuple[str | None, str | None, str], SigningKey] = {}


def signing_key(settings: Settings, generate: bool = True) -> SigningKey:
    """The configured signing key, generating the default file on first need (unless told not
    to: then a missing default file is SigningKeyUnavailable)."""
    default = default_key_path(settings)
    cache_key = (settings.signing_key, str(settings.signing_key_file), str(default))
    with _lock:
        if cache_key in _loaded:
            return _loaded[cache_key]
        configured = settings.signing_key or settings.signing_key_file
        if not generate and not configured and not default.exists():
            raise SigningKeyUnavailable(f"no signing key at {default}")
        if settings.signing_key:
            key = SigningKey(_private_key(settings.signing_key.encode(), "ECPSC_SIGNING_KEY"),
                             "ECPSC_SIGNING_KEY")  # fmt: skip
        elif settings.signing_key_file is not None:
            path = settings.signing_key_file
            try:
                pem = path.read_bytes()
            except OSError as error:
                raise SigningKeyUnavailable(f"ECPSC_SIGNING_KEY_FILE {path}: {error}") from None
            key = SigningKey(_private_key(pem, str(path)), str(path))
        else:
            key = SigningKey(_default_key(default), str(default))
        _loaded[cache_key] = key
        return key


def _default_key(path: Path) -> Ed25519PrivateKey:
    if not path.exists():
        try:
            write_new_key(path)
            log.warning(
                "generated the certification body's signing key at %s (mode 0600): back it up, "
                "and give every process of this back office the same key "
                "(ECPSC_SIGNING_KEY_FILE)",
                path,
            )
        except FileExistsError:
            pass  # another process generated it a moment ago
    return _private_key(path.read_bytes(), str(path))


def previous_keys(settings: Settings) -> list[PublicKey]:
    """The public keys of earlier signing keys, still published (ECPSC_SIGNING_PREVIOUS_KEYS)."""
    found = []
    for name in (settings.signing_previous_keys or "").split(","):
        if not name.strip():
            continue
        pem = Path(name.strip()).read_bytes()
        try:
            public = serialization.load_pem_public_key(pem)
        except ValueError:
            public = _private_key(pem, name).public_key()
        if not isinstance(public, Ed25519PublicKey):
            raise SigningKeyUnavailable(f"{name}: not an Ed25519 key")
        found.append(PublicKey.of(public))
    return found


def published_keys(settings: Settings) -> list[PublicKey]:
    """Every public key a signature of this back office may be checked with, current first."""
    current = signing_key(settings).public
    return [current, *[k for k in previous_keys(settings) if k.key_id != current.key_id]]


def known_public_keys(settings: Settings) -> list[PublicKey]:
    """The published keys, when this process can read the signing key (never generating one)."""
    try:
        signing_key(settings, generate=False)
    except SigningKeyUnavailable:
        return previous_keys(settings)
    return published_keys(settings)
