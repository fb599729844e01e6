"""The parts of persisted queries that need no engine: the manifest check at start, the
bounded cache, the canonical form trusted mode compares texts in, and the schema's order of
extensions that trusted mode relies on."""

from __future__ import annotations

import json

import pytest

from schema import build_schema
from schema.document_canon import canonical, meta_only
from schema.persisted_queries import DocumentCache, document_hash
from server.settings import Settings, SettingsError
from server.trusted_documents import load_manifest

VIEWER = "query Viewer { viewer { anonymous } }"


def test_settings_read_the_cache_size_and_the_manifest_path():
    defaults = Settings.from_env({})
    assert defaults.apq_cache_size == 1000 and defaults.trusted_documents is None
    env = {"HANARO_APQ_CACHE_SIZE": "0", "HANARO_TRUSTED_DOCUMENTS": "web/m.json"}
    settings = Settings.from_env(env)
    assert settings.apq_cache_size == 0 and str(settings.trusted_documents) == "web/m.json"
    with pytest.raises(SettingsError, match="HANARO_APQ_CACHE_SIZE"):
        Settings.from_env({"HANARO_APQ_CACHE_SIZE": "-1"})


@pytest.mark.parametrize(
    ("content", "words"),
    [
        ("not json", "not a JSON file"),
        ("[]", "non-empty JSON object"),
        (json.dumps({"abc": VIEWER}), "hashAlgorithm: 'sha256'"),
        (json.dumps({"0" * 64: VIEWER}), "is not the sha256 of its document"),
    ],
)
def test_a_wrong_manifest_stops_the_start_with_one_line(tmp_path, content, words):
    path = tmp_path / "persisted-documents.json"
    path.write_text(content)
    with pytest.raises(SettingsError, match="HANARO_TRUSTED_DOCUMENTS") as raised:
        load_manifest(path)
    assert words in str(raised.value)
    with pytest.raises(SettingsError, match="cannot read it"):
        load_manifest(tmp_path / "missing.json")


def test_a_manifest_loads(tmp_path):
    documents = {document_hash(VIEWER): VIEWER}
    path = tmp_path / "persisted-documents.json"
    path.write_text(json.dumps(documents))
    assert load_manifest(path) == documents


def test_the_cache_is_bounded_by_entries_and_characters():
    cache = DocumentCache(2, max_chars=10)
    cache.put("a", "1234")
    cache.put("b", "1234")
    assert cache.get("a") == "1234"  # now the most recent
    cache.put("c", "12")
    assert cache.get("b") is None and len(cache) == 2
    cache.put("d", "123456789")
    assert cache.chars <= 10 and cache.get("d") == "123456789"
    cache.put("e", "x" * 11)
    assert cache.get("e") is None
    off = DocumentCache(0)
    off.put("a", "1")
    assert off.get("a") is None


def test_canonical_form_ignores_layout_order_and_typename_only():
    sent = (
        "query V($b: Int, $a: ID) {\n viewer { __typename roles anonymous }\n"
        "  x(b: 1, a: {z: 1, y: [2]}) { c } }"
    )
    manifest = (
        "query V($a: ID, $b: Int) { x(a: {y: [2], z: 1}, b: 1) { c } viewer { anonymous roles } }"
    )
    assert canonical(sent) == canonical(manifest)
    assert canonical("query V { viewer { anonymous } }") != canonical(manifest)
    assert canonical("query V { viewer { t: __typename anonymous } }") != canonical(
        "query V { viewer { anonymous } }"
    )
    assert canonical("{ broken") is None


def test_only_schema_questions_are_meta():
    assert meta_only("query IntrospectionQuery { __schema { types { name } } }")
    assert meta_only("query SubgraphIntrospectQuery { _service { sdl } }")
    assert not meta_only("{ __typename viewer { anonymous } }")
    assert not meta_only("{ ...F } fragment F on Query { __typename }")
    assert not meta_only("{ broken")


async def test_trusted_mode_refuses_before_anything_runs():
    """No context, no engines: a refused document never reaches a resolver, and the manifest's
    one does (and fails there, for want of a context)."""
    schema = build_schema(trusted_documents={document_hash(VIEWER): VIEWER})
    refused = await schema.execute("query { needs { code } }")
    assert refused.errors[0].extensions["code"] == "PERSISTED_QUERY_NOT_ALLOWED"
    ran = await schema.execute(VIEWER)
    assert ran.errors[0].extensions["code"] != "PERSISTED_QUERY_NOT_ALLOWED"


def test_long_texts_are_not_remembered_and_token_floods_do_not_parse():
    from schema import document_canon

    before = document_canon._canonical_cached.cache_info().currsize
    padded = VIEWER + " " * (document_canon.CACHED_TEXT_CHARS + 1)
    assert canonical(padded) == canonical(VIEWER)
    assert document_canon._canonical_cached.cache_info().currsize <= before + 1  # VIEWER only
    assert canonical("{ " + "a " * (document_canon.MAX_TOKENS + 1) + "}") is None


def test_serve_with_a_wrong_manifest_exits_with_one_line_before_any_engine(tmp_path):
    from tests.support.cli import engine_processes, run

    missing = tmp_path / "persisted-documents.json"
    result = run(
        "serve",
        "--data-dir",
        str(tmp_path / "data"),
        env={"HANARO_TRUSTED_DOCUMENTS": str(missing)},
    )
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        f"hanaro: HANARO_TRUSTED_DOCUMENTS={missing}: cannot read it (No such file or directory)"
    ]
    assert not engine_processes(tmp_path / "data")
