"""Apollo automatic persisted queries (APQ) and trusted documents.

APQ (Apollo's protocol, version 1): a client sends `extensions.persistedQuery = {version: 1,
sha256Hash}` without the text; an unknown hash answers `PersistedQueryNotFound`
(`PERSISTED_QUERY_NOT_FOUND`), the client sends hash and text, the text is checked against
the hash and, once it validates, kept for the hash alone next time. A bounded LRU per process:
a replica that has not seen a hash asks for the text once.

Trusted documents (`HANARO_TRUSTED_DOCUMENTS`): only the documents of a persisted-documents
manifest run, by hash or by their text (`schema.document_canon`); introspection and
`_service` stay open, so GraphiQL, Rover and a router's composition keep working.

Strawberry has no APQ of its own; the `strawberry_persisted_queries` package reads only JSON
POST bodies, never registers a text and keeps an unbounded class-level dict."""

from __future__ import annotations

import hashlib
import re
from collections import OrderedDict
from collections.abc import Iterator, Mapping

from graphql import GraphQLError
from strawberry.extensions import SchemaExtension

from schema.document_canon import canonical, meta_only

__all__ = ["DocumentCache", "PersistedQueries", "TrustedDocuments", "document_hash"]

_SHA256 = re.compile(r"^[0-9a-f]{64}$")
# Total characters the APQ cache may hold, whatever its entry count: each text is bounded by
# the body limit only.
CACHE_CHARS = 16_000_000
# Apollo's header on PersistedQueryNotFound: a cache on the way must not keep the miss.
NO_CACHE = "private, no-cache, must-revalidate"


def document_hash(text: str) -> str:
    """The SHA-256 of the text's UTF-8 bytes, lower-case hex (what Apollo clients send)."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class DocumentCache:
    """Hash -> text, least recently used first out, bounded by entries and characters."""

    def __init__(self, max_entries: int, max_chars: int = CACHE_CHARS) -> None:
        self.max_entries = max_entries
        self.max_chars = max_chars
        self.chars = 0
        self._texts: OrderedDict[str, str] = OrderedDict()

    def __len__(self) -> int:
        return len(self._texts)

    def get(self, digest: str) -> str | None:
        text = self._texts.get(digest)
        if text is not None:
            self._texts.move_to_end(digest)
        return text

    def put(self, digest: str, text: str) -> None:
        if self.max_entries <= 0 or len(text) > self.max_chars:
            return
        old = self._texts.pop(digest, None)
        self.chars -= len(old) if old is not None else 0
        self._texts[digest] = text
        self.chars += len(text)
        while len(self._texts) > self.max_entries or self.chars > self.max_chars:
            _, dropped = self._texts.popitem(last=False)
            self.chars -= len(dropped)


class TrustedDocuments:
    """The manifest's documents, found by hash or by canonical text."""

    def __init__(self, documents: Mapping[str, str]) -> None:
        self.by_hash = dict(documents)
        self.canonical = {form for text in self.by_hash.values() if (form := canonical(text))}

    def allows(self, text: str) -> bool:
        if document_hash(text) in self.by_hash or meta_only(text):
            return True
        form = canonical(text)
        return form is not None and form in self.canonical


def _error(message: str, code: str) -> GraphQLError:
    return GraphQLError(message, extensions={"code": code})


def _refusal() -> GraphQLError:
    return _error(
        "This server runs only its trusted documents (HANARO_TRUSTED_DOCUMENTS): send an "
        "operation of the manifest, by extensions.persistedQuery.sha256Hash or as its text. "
        "Introspection and _service are always allowed.",
        "PERSISTED_QUERY_NOT_ALLOWED",
    )


class PersistedQueries(SchemaExtension):
    """Before parsing, resolves a hash to its text and checks a text against its hash; after
    validation keeps the text, or in trusted mode refuses any document outside the manifest
    (HTTP, GET and websocket alike)."""

    def __init__(self, *, cache: DocumentCache, trusted: TrustedDocuments | None) -> None:
        self.cache = cache
        self.trusted = trusted
        self._register: str | None = None  # the hash to keep the text under once valid
        self._from_manifest = False  # the text came from the manifest by its hash

    def on_operation(self) -> Iterator[None]:
        """Only HTTP requests carry `extensions` (Strawberry's websocket handler drops them),
        so the errors raised here always have an HTTP response to go out with."""
        extensions = self.execution_context.operation_extensions or {}
        persisted = extensions.get("persistedQuery") if isinstance(extensions, dict) else None
        if persisted is not None:
            self._persisted(persisted)
        yield

    def on_validate(self) -> Iterator[None]:
        """Runs after the validation cache has set the document's errors (the extension comes
        after it) and before Strawberry checks them."""
        self._after_validation()
        yield

    def _after_validation(self) -> None:
        context = self.execution_context
        if context.pre_execution_errors is None:  # fail closed: nothing is checked yet
            raise RuntimeError("PersistedQueries must come after ValidationCache (build_schema)")
        if context.pre_execution_errors or not context.query:
            return
        if self.trusted is not None and not self._from_manifest:
            # A refusal as a validation error: the websocket path has no handler for an
            # exception raised by an extension, and nothing of the document runs.
            if not self.trusted.allows(context.query):
                context.pre_execution_errors = [_refusal()]
        elif self._register:
            # Kept only once it validates, as Apollo Server does: junk does not evict texts.
            self.cache.put(self._register, context.query)

    def _persisted(self, persisted: object) -> None:
        context = self.execution_context
        if not isinstance(persisted, dict) or persisted.get("version") != 1:
            self._http(400)
            raise _error(
                "Unsupported persisted query version: send extensions.persistedQuery "
                "{version: 1, sha256Hash}.",
                "BAD_REQUEST",
            )
        digest = persisted.get("sha256Hash")
        if not isinstance(digest, str) or not _SHA256.match(digest):
            self._http(400)
            raise _error(
                "extensions.persistedQuery.sha256Hash must be the SHA-256 of the query "
                "text's UTF-8 bytes, as 64 lower-case hex digits.",
                "BAD_REQUEST",
            )
        if context.query:
            if document_hash(context.query) != digest:
                self._http(400)
                raise _error(
                    "provided sha does not match query: sha256Hash must be the SHA-256 of "
                    "the query text sent with it, byte for byte.",
                    "BAD_REQUEST",
                )
            self._register = digest
            return
        if self.trusted is not None:
            text = self.trusted.by_hash.get(digest)
            if text is None:
                raise _error(
                    f"Persisted query {digest} is not among this server's trusted documents "
                    "(HANARO_TRUSTED_DOCUMENTS); build the client against this server's "
                    "manifest.",
                    "PERSISTED_QUERY_NOT_ALLOWED",
                )
            self._from_manifest = True
        elif self.cache.max_entries <= 0:
            raise _error(
                "PersistedQueryNotSupported: automatic persisted queries are off "
                "(HANARO_APQ_CACHE_SIZE=0); send the query text.",
                "PERSISTED_QUERY_NOT_SUPPORTED",
            )
        else:
            text = self.cache.get(digest)
            if text is None:
                self._http(200, cache_control=NO_CACHE)
                raise _error("PersistedQueryNotFound", "PERSISTED_QUERY_NOT_FOUND")
        context.query = text

    def _http(self, status: int, cache_control: str | None = None) -> None:
        """Apollo's status for the error (400: a malformed request; 200: not found, which a
        client answers by sending the text), on the HTTP response when there is one."""
        response = getattr(self.execution_context.context, "http_response", None)
        if response is None:
            return
        response.status_code = status
        if cache_control:
            response.headers["Cache-Control"] = cache_control
