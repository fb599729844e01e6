"""The welfare thesaurus: everyday and situation words -> the words services are described
with ("끼니" -> "식사", "can't pay rent" -> "housing"), applied at query time on every engine.

Data, not code: `search/thesaurus.json` by default, or the file `HANARO_SEARCH_THESAURUS`
names, so an administrator edits it without a release; `hanaro thesaurus check FILE`
validates a file before it is deployed, and a server refuses to start on an invalid one (the
message names the entry). An entry fires when all the terms of one of its `words` occur in
the query (after the same analysis as the index: "전기가 끊길 것 같아요" holds "전기 끊기다"),
and each of its `means` is then searched as well, below the query's own words."""

from __future__ import annotations

import functools
import itertools
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from search.analysis import analyse

__all__ = [
    "DEFAULT_THESAURUS",
    "MAX_EXPANSIONS",
    "Expansion",
    "Thesaurus",
    "ThesaurusError",
    "english_words",
]

DEFAULT_THESAURUS = Path(__file__).resolve().parent / "thesaurus.json"
MAX_ENTRIES = 5_000
MAX_WORD_LENGTH = 40
# Expansions one query may add: each is a clause per text field, ~1.5-2 ms of engine time
# at 100,000 resources (docs/benchmarks.md); 6 taken in turns ranked the tuning half as 12 did.
MAX_EXPANSIONS = 6
_WORD = re.compile(r"[^\W_]+")
_HANGUL = re.compile(r"[\uac00-\ud7af]")


class ThesaurusError(ValueError):
    """An invalid thesaurus file; the message names the entry and what to fix."""


def english_words(text: str) -> tuple[str, ...]:
    """Lowercased Latin words with a plural `s` taken off: enough for the thesaurus to see
    "bills" in a query as "bill" (the engine's `english` analyser stems the rest)."""
    words = []
    for word in _WORD.findall(text.lower()):
        if _HANGUL.search(word) or not word.isascii():
            continue
        if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
            word = word[:-1]
        words.append(word)
    return tuple(words)


def _terms(text: str) -> frozenset[str]:
    return frozenset(analyse(text)) | frozenset(english_words(text))


@dataclass(frozen=True)
class Expansion:
    """`word` (as written in the thesaurus) was found in the query; `means` is searched too."""

    word: str
    means: str


@dataclass(frozen=True)
class _Entry:
    words: tuple[tuple[str, frozenset[str]], ...]  # as written, and its terms
    means: tuple[str, ...]


@dataclass(frozen=True)
class Thesaurus:
    entries: tuple[_Entry, ...] = ()
    source: str = "(empty)"

    @classmethod
    def load(cls, path: Path = DEFAULT_THESAURUS) -> Thesaurus:
        """The file's entries; a file read before, unchanged since, is not analysed again
        (its words go through Kiwi: ~60 ms at each start of a runtime, as tests make)."""
        try:
            stat = path.stat()
        except OSError as exc:
            raise ThesaurusError(f"{path}: cannot read it as JSON ({exc})") from exc
        return _load(path, stat.st_mtime_ns, stat.st_size)

    @classmethod
    def parse(cls, data: Any, source: str) -> Thesaurus:
        """Validates everything before anything is used: a bad entry is an error naming it."""
        if not isinstance(data, dict) or not isinstance(data.get("entries"), list):
            raise ThesaurusError(f'{source}: expected an object with an "entries" list')
        rows = data["entries"]
        if len(rows) > MAX_ENTRIES:
            raise ThesaurusError(f"{source}: {len(rows)} entries; at most {MAX_ENTRIES}")
        entries = [_entry(row, f"{source}: entry {i + 1}") for i, row in enumerate(rows)]
        return cls(tuple(entries), source)

    def expand(self, text: str) -> list[Expansion]:
        """What the query's words mean besides themselves, each meaning once (a meaning the
        query already says is not added), at most `MAX_EXPANSIONS`: every entry that fires
        gives its first meaning before any gives its second, so a query that fires several
        entries keeps a meaning of each ("rent help for a single mother": housing and
        parenting support), entries and meanings in file order."""
        query = _terms(text)
        seen: set[str] = set()
        fired: list[list[Expansion]] = []
        for entry in self.entries:
            word = next((w for w, terms in entry.words if terms <= query), None)
            if word is None:
                continue
            mine = []
            for meaning in entry.means:
                if meaning not in seen and not _terms(meaning) <= query:
                    seen.add(meaning)
                    mine.append(Expansion(word, meaning))
            fired.append(mine)
        turns = itertools.zip_longest(*fired)
        return [e for turn in turns for e in turn if e is not None][:MAX_EXPANSIONS]

    def covered_words(self) -> list[str]:
        """Words that can never decide whether their entry fires: another word of the same
        entry matches whenever they do (its terms are among theirs, as "끼니" is in "끼니
        거르다"). Not an error — the entry works — but dead weight an editor should drop;
        `hanaro thesaurus check` lists them."""
        found = []
        for i, entry in enumerate(self.entries):
            for word, terms in entry.words:
                cover = next(
                    (
                        other
                        for other, others in entry.words
                        if other != word and others <= terms and (others < terms or other < word)
                    ),
                    None,
                )
                if cover is not None:
                    found.append(f"entry {i + 1}: {word!r} is covered by {cover!r}")
        return found


@functools.lru_cache(maxsize=8)
def _load(path: Path, mtime_ns: int, size: int) -> Thesaurus:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ThesaurusError(f"{path}: cannot read it as JSON ({exc})") from exc
    return Thesaurus.parse(data, str(path))


def _strings(row: dict[str, Any], key: str, where: str) -> list[str]:
    values = row.get(key)
    if not isinstance(values, list) or not values:
        raise ThesaurusError(f'{where}: "{key}" must be a non-empty list of words')
    for value in values:
        if not isinstance(value, str) or not value.strip():
            raise ThesaurusError(f'{where}: "{key}" holds {value!r}; each must be a word')
        if len(value) > MAX_WORD_LENGTH:
            raise ThesaurusError(
                f'{where}: "{key}" word {value[:20]!r}… is longer than {MAX_WORD_LENGTH}'
            )
        if not _terms(value):
            raise ThesaurusError(
                f'{where}: "{key}" word {value!r} has no searchable term (only punctuation); '
                "write the content word"
            )
    return [v.strip() for v in values]


def _entry(row: Any, where: str) -> _Entry:
    if not isinstance(row, dict):
        raise ThesaurusError(f'{where}: expected an object with "words" and "means"')
    unknown = set(row) - {"words", "means", "note"}
    if unknown:
        raise ThesaurusError(f"{where}: unknown key(s) {sorted(unknown)}; use words, means, note")
    words = _strings(row, "words", where)
    means = _strings(row, "means", where)
    same = set(words) & set(means)
    if same:
        raise ThesaurusError(f"{where}: {sorted(same)} both in words and means")
    return _Entry(tuple((w, _terms(w)) for w in words), tuple(means))
