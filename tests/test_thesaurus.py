"""The welfare thesaurus as data: validation that names the bad entry, expansion on analysed
terms, `hanaro thesaurus check`, and a server that will not start on an invalid file."""

from __future__ import annotations

import json

import pytest

from search.thesaurus import MAX_EXPANSIONS, Thesaurus, ThesaurusError
from tests.support.cli import engine_processes, free_port, run


def parse(*entries: object) -> Thesaurus:
    return Thesaurus.parse({"entries": list(entries)}, "test.json")


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        ({"words": [], "means": ["식사"]}, '"words" must be a non-empty list'),
        ({"words": ["끼니"]}, '"means" must be a non-empty list'),
        ({"words": ["끼니", 3], "means": ["식사"]}, "each must be a word"),
        ({"words": ["끼니"], "means": ["끼니"]}, "both in words and means"),
        ({"words": ["끼니"], "means": ["식사"], "weight": 2}, "unknown key(s) ['weight']"),
        ({"words": ["…!"], "means": ["식사"]}, "has no searchable term"),
        ({"words": ["끼니" * 30], "means": ["식사"]}, "longer than 40"),
        ("끼니", 'expected an object with "words" and "means"'),
    ],
)
def test_a_bad_entry_is_refused_with_its_number_and_what_to_fix(entry, message):
    with pytest.raises(ThesaurusError) as error:
        parse({"words": ["밥"], "means": ["식사"]}, entry)
    assert "test.json: entry 2" in str(error.value)
    assert message in str(error.value)


def test_words_match_on_analysed_terms_whatever_the_particles_and_spacing():
    thesaurus = parse(
        {"words": ["끼니", "전기 끊기다"], "means": ["식사", "에너지"]},
        {"words": ["can't pay"], "means": ["living costs"]},
    )
    found = thesaurus.expand("어르신이 끼니를 자주 거르세요")
    assert [(e.word, e.means) for e in found] == [("끼니", "식사"), ("끼니", "에너지")]
    # All terms of a word must be there: 전기 alone is not 전기 끊기다.
    assert thesaurus.expand("전기가 끊길 것 같아요")[0].word == "전기 끊기다"
    assert thesaurus.expand("전기 요금") == []
    assert [e.means for e in thesaurus.expand("I can't pay the bills")] == ["living costs"]
    # A meaning the query already says is not added again.
    assert [e.means for e in thesaurus.expand("끼니 식사")] == ["에너지"]


def test_one_query_adds_at_most_max_expansions():
    thesaurus = parse({"words": ["밥"], "means": [f"뜻{i}" for i in range(MAX_EXPANSIONS + 5)]})
    assert len(thesaurus.expand("밥")) == MAX_EXPANSIONS


def test_every_entry_that_fires_gives_a_meaning_before_any_gives_a_second():
    thesaurus = parse(
        {"words": ["월세"], "means": [f"주거{i}" for i in range(MAX_EXPANSIONS)]},
        {"words": ["한부모"], "means": ["양육", "아동양육비"]},
    )
    means = [e.means for e in thesaurus.expand("한부모 월세 도움")]
    assert means[:4] == ["주거0", "양육", "주거1", "아동양육비"]
    assert len(means) == MAX_EXPANSIONS


def test_the_bundled_thesaurus_is_valid_and_expands_everyday_words():
    thesaurus = Thesaurus.load()
    assert len(thesaurus.entries) >= 80
    assert "식사" in {e.means for e in thesaurus.expand("끼니를 거르세요")}
    assert "housing" in {e.means for e in thesaurus.expand("I can't pay rent")}


def test_the_bundled_thesaurus_reads_a_word_in_its_sense_not_everywhere_it_occurs():
    """Bare 어렵다 (hard) and 혼자 (alone) said money and loneliness wherever they occurred;
    the phrases about a living keep those meanings."""
    thesaurus = Thesaurus.load()

    def meanings(text: str) -> set[str]:
        return {e.means for e in thesaurus.expand(text)}

    bathing = meanings("혼자 씻기 어려운 어르신 목욕")
    assert {"신변처리", "방문요양"} <= bathing
    assert not bathing & {"생계비", "긴급지원", "고립", "독거"}
    assert "생계비" in meanings("형편이 어려워요")
    assert "고립" in meanings("혼자 사시는 할머니")
    assert "방과후돌봄" in meanings("학교 끝나고 아이 맡길 곳")
    assert "활동지원" in meanings("장애인 활동보조")
    assert "급식" in meanings("free meals for seniors")


def test_a_word_another_word_of_its_entry_covers_is_listed_not_refused():
    thesaurus = parse(
        {"words": ["끼니", "끼니를 거르다", "식사 거르다"], "means": ["식사"]},
        {"words": ["혼자 사는", "혼자 사시는"], "means": ["고립"]},
        {"words": ["빚"], "means": ["채무"]},
    )
    assert thesaurus.covered_words() == [
        "entry 1: '끼니를 거르다' is covered by '끼니'",
        "entry 2: '혼자 사시는' is covered by '혼자 사는'",
    ]
    assert [e.word for e in thesaurus.expand("끼니를 거르세요")] == ["끼니"]


def test_the_bundled_thesaurus_has_no_covered_word():
    assert Thesaurus.load().covered_words() == []


def test_check_command_names_the_bad_entry_and_shows_expansions(tmp_path):
    good = tmp_path / "good.json"
    entry = {"words": ["끼니", "끼니 거르다"], "means": ["식사"]}
    good.write_text(json.dumps({"entries": [entry]}))
    result = run("thesaurus", "check", str(good), "--query", "끼니를 거르세요")
    assert result.returncode == 0, result.stderr
    assert "1 entries, valid" in result.stdout
    assert "entry 1: '끼니 거르다' is covered by '끼니'" in result.stdout
    assert "끼니 → 식사" in result.stdout
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"entries": [{"words": ["끼니"], "means": []}]}))
    result = run("thesaurus", "check", str(bad))
    assert result.returncode == 2
    assert f"hanaro: {bad}: entry 1:" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_server_does_not_start_on_an_invalid_thesaurus(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text("{not json")
    result = run(
        "serve",
        "--data-dir",
        str(tmp_path),
        "--port",
        str(free_port()),
        env={"HANARO_SEARCH_THESAURUS": str(bad)},
    )
    assert result.returncode == 2
    assert "cannot read it as JSON" in result.stderr
    assert "Traceback" not in result.stderr
    assert not engine_processes(tmp_path)
