"""The resource index's settings and mapping (`index_body`).

Korean text is indexed twice: as character bigrams (a 2-gram `ngram` tokenizer, so that
"도시락배달" matches "도시락 배달"; on osmem the `cjk` analyser did not, see DESIGN.md) and,
under `morph.*`, as the terms of the Kiwi morphological analyser (`search.analysis`), made
in Python so every engine indexes the same. With `HANARO_SEARCH_NORI` a `nori` subfield is
added where the cluster has `analysis-nori`."""

from __future__ import annotations

from typing import Any

from search.audiences import AUDIENCE_NAMES, CONTROLLED_FIELDS
from search.documents import DOCUMENT_FORMAT

__all__ = ["TEXT_FIELDS", "index_body"]

# The resource's own text fields: analysed as bigrams, syllables, words and English (as the
# need terms are too) and highlighted.
TEXT_FIELDS = ("name", "description", "eligibilityNotes")


def index_body(vocabulary: str, *, nori: bool = False) -> dict[str, Any]:
    """Settings and mapping; `_meta` names the document format and the `vocabulary`
    (`Vocabulary.fingerprint`) the documents are written with, so that a start can tell an
    index written another way (`search.index.ensure_index`)."""

    def text_field() -> dict[str, Any]:
        fields: dict[str, Any] = {
            "en": {"type": "text", "analyzer": "english"},
            # Whole words (어절) score exact-word matches above bigram overlaps.
            "word": {"type": "text", "analyzer": "standard"},
            # Syllables, queried only for one-syllable words (빚, 집, 약) that have no bigram.
            "uni": {"type": "text", "analyzer": "hanaro_unigram"},
        }
        if nori:
            fields["nori"] = {"type": "text", "analyzer": "nori"}
        return {"type": "text", "analyzer": "hanaro_bigram", "fields": fields}

    properties: dict[str, Any] = {name: text_field() for name in (*TEXT_FIELDS, "needTerms")}
    # The same texts as analysed terms (`search.analysis`), split on the spaces between them.
    properties["morph"] = {
        "type": "object",
        "properties": {
            name: {"type": "text", "analyzer": "hanaro_terms"}
            for name in (*TEXT_FIELDS, "needTerms")
        },
    }
    properties.update(
        {
            "id": {"type": "keyword"},
            "nameSort": {"type": "keyword"},
            # Suggestions (search/suggestions.py): plain keywords made by `name_keys`.
            "nameKey": {"type": "keyword"},
            "nameStarts": {"type": "keyword"},
            "nameLength": {"type": "integer"},
            "kind": {"type": "keyword"},
            "status": {"type": "keyword"},
            "providerId": {"type": "keyword"},
            "providerSector": {"type": "keyword"},
            "providerKind": {"type": "keyword"},
            "needs": {"type": "keyword"},
            "needsWithAncestors": {"type": "keyword"},
            "primaryNeeds": {"type": "keyword"},
            "needCount": {"type": "integer"},
            "regions": {"type": "keyword"},
            "regionsWithAncestors": {"type": "keyword"},
            "minAge": {"type": "integer"},
            "maxAge": {"type": "integer"},
            "maxIncomePercent": {"type": "integer"},
            "householdTypes": {"type": "keyword"},
            "disabilityRequired": {"type": "boolean"},
            "capacityAvailable": {"type": "integer"},
            "location": {"type": "geo_point"},
            # Who may see the listing and each controlled field, as principal tokens (see
            # `principals`), and which kinds of viewer that audience leaves out as such (see
            # `withheld_from`): the search excludes the few documents withheld from a viewer
            # instead of filtering for the many it may see.
            "seeListing": {"type": "keyword"},
            "see": {
                "type": "object",
                "properties": {name: {"type": "keyword"} for name in CONTROLLED_FIELDS},
            },
            "withheldFrom": {
                "type": "object",
                "properties": {name: {"type": "keyword"} for name in AUDIENCE_NAMES},
            },
            "version": {"type": "long"},
            "updatedAt": {"type": "keyword"},
        }
    )
    return {
        "settings": {
            "analysis": {
                "tokenizer": {
                    name: {
                        "type": "ngram",
                        "min_gram": size,
                        "max_gram": size,
                        "token_chars": ["letter", "digit"],
                    }
                    for name, size in (("hanaro_bigram", 2), ("hanaro_unigram", 1))
                },
                "analyzer": {
                    name: {"type": "custom", "tokenizer": tokenizer, "filter": ["lowercase"]}
                    for name, tokenizer in (
                        ("hanaro_bigram", "hanaro_bigram"),
                        ("hanaro_unigram", "hanaro_unigram"),
                        ("hanaro_terms", "whitespace"),
                    )
                },
            }
        },
        "mappings": {
            "_meta": {"documentFormat": DOCUMENT_FORMAT, "vocabulary": vocabulary},
            "properties": properties,
        },
    }
