"""What a witness holds, read back: checkpoints and public keys from a file or a URL."""

from __future__ import annotations

import json
import urllib.request
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from ecpsc.signing import PublicKey

MAX_BYTES = 16 * 1024 * 1024
"""The most a file or answer read here may hold."""


def read_source(source: str) -> bytes:
    """The bytes of a file, or of an http(s) URL's answer."""
    if source.startswith(("http://", "https://")):
        try:
            with urllib.request.urlopen(source, timeout=30) as answer:
                return bytes(answer.read(MAX_BYTES))
        except OSError as error:
            raise ValueError(f"{source}: {error}") from None
    try:
        return Path(source).read_bytes()[:MAX_BYTES]
    except OSError as error:
        raise ValueError(f"{source}: {error.strerror or error}") from None


def read_checkpoints(source: str) -> list[Any]:
    """The checkpoints a file or URL holds: one, a list, or a page `{items: [...]}`."""
    try:
        data = json.loads(read_source(source))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ValueError(f"{source}: not JSON ({error})") from None
    if isinstance(data, dict) and isinstance(data.get("items"), list):
        return list(data["items"])
    return list(data) if isinstance(data, list) else [data]


def public_keys_from(source: str) -> list[PublicKey]:
    """The public keys a file or URL holds: the JSON of /.well-known/ecpsc-signing-key (with its
    earlier keys) or a PEM public key."""
    content = read_source(source)
    if content.lstrip().startswith(b"-----BEGIN"):
        try:
            key = serialization.load_pem_public_key(content)
        except ValueError as error:
            raise ValueError(f"{source}: not a PEM public key ({error})") from None
        if not isinstance(key, Ed25519PublicKey):
            raise ValueError(f"{source}: not an Ed25519 key")
        return [PublicKey.of(key)]
    try:
        data = json.loads(content)
        entries = [data, *data.get("previous_keys", [])]
        return [PublicKey.from_base64(entry["public_key"]) for entry in entries]
    except (UnicodeDecodeError, json.JSONDecodeError, AttributeError, KeyError, TypeError,
            ValueError) as error:  # fmt: skip
        raise ValueError(f"{source}: not a published signing key ({error})") from None
