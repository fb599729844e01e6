"""Reading the trusted-documents manifest (`HANARO_TRUSTED_DOCUMENTS`) at start.

The format is what graphql-codegen's client preset writes with `persistedDocuments`
(`persisted-documents.json`): one JSON object, SHA-256 hash -> document text. Every entry is
checked here, so a manifest made with another hash (codegen's default is sha1) or edited by
hand stops the server with one line instead of refusing the app's requests later."""

from __future__ import annotations

import json
import re
from pathlib import Path

from schema.persisted_queries import document_hash
from server.settings import SettingsError

__all__ = ["load_manifest"]

_SHA256 = re.compile(r"^[0-9a-f]{64}$")
NAME = "HANARO_TRUSTED_DOCUMENTS"


def load_manifest(path: Path) -> dict[str, str]:
    """Hash -> document; SettingsError naming the file and the first wrong entry."""
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise SettingsError(f"{NAME}={path}: cannot read it ({exc.strerror})") from None
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise SettingsError(f"{NAME}={path}: not a JSON file ({exc})") from None
    if not isinstance(raw, dict) or not raw:
        raise SettingsError(
            f"{NAME}={path}: expected a non-empty JSON object of sha256 hash -> document "
            "(graphql-codegen's persisted-documents.json)"
        )
    for digest, text in raw.items():
        if not _SHA256.match(digest) or not isinstance(text, str):
            raise SettingsError(
                f"{NAME}={path}: entry {digest[:70]!r} is not a 64-hex sha256 hash mapped to a "
                "document text (build it with persistedDocuments: {hashAlgorithm: 'sha256'})"
            )
        if document_hash(text) != digest:
            raise SettingsError(f"{NAME}={path}: entry {digest} is not the sha256 of its document")
    return raw
