"""The web build's persisted-documents manifest is one `HANARO_TRUSTED_DOCUMENTS` takes, and in
trusted mode the server allows every text the app actually sends: urql prints each generated
document itself and adds `__typename` to every selection set, so the texts differ from the
manifest's and are matched in canonical form."""

from __future__ import annotations

import json
import shutil
import subprocess

import pytest

from schema.persisted_queries import TrustedDocuments, document_hash
from server.trusted_documents import load_manifest
from tests.support.doc_examples import ROOT

WEB = ROOT / "web"
MANIFEST = WEB / "src" / "gql" / "persisted-documents.json"

# What the app's urql client sends for each generated document: `formatDocument` (the
# document cache's `__typename`s), then `stringifyDocument`, as urql's fetch does.
SENT_TEXTS = r"""
import { readFileSync } from "node:fs";
import { formatDocument, stringifyDocument } from "@urql/core";
const source = readFileSync("src/gql/graphql.ts", "utf8");
const found = [...source.matchAll(/^export const (\w+)Document = (\{.*\}) as unknown as /gm)];
const sent = found.map(([, name, json]) => {
  const document = JSON.parse(json);
  return { name, hash: document.__meta__.hash, text: stringifyDocument(formatDocument(document)) };
});
console.log(JSON.stringify(sent));
"""


@pytest.fixture(scope="module")
def sent() -> list[dict[str, str]]:
    if not MANIFEST.is_file() or not (WEB / "node_modules").is_dir():
        pytest.skip("the web app is not built: run `make web`")
    node = shutil.which("node")
    if node is None:
        pytest.skip("node is not installed")
    run = subprocess.run(
        [node, "--input-type=module", "-e", SENT_TEXTS],
        cwd=WEB,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return json.loads(run.stdout)


def test_the_manifest_holds_every_operation_of_the_app_under_its_sha256(sent):
    manifest = load_manifest(MANIFEST)  # checks every entry's hash
    assert sent and {s["hash"] for s in sent} == set(manifest)


def test_trusted_mode_allows_every_text_the_app_sends(sent):
    trusted = TrustedDocuments(load_manifest(MANIFEST))
    for operation in sent:
        assert document_hash(operation["text"]) not in trusted.by_hash  # only canonically equal
        assert trusted.allows(operation["text"]), operation["name"]
    assert not trusted.allows("query { needs { code } }")
