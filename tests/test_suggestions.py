"""`suggest` (suggestions as you type) on the real engines: order, word starts, English in any
case, a trailing initial consonant, bounds and bad input, and what the viewer may read —
private and inactive resources are never suggested, not even while the index lags the graph.
The property over every audience is in test_visibility.py."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from graph.engine import round_trips
from graph.institutions import upsert_institutions
from resolvers.institution_names import MAX_AGE_MS
from resolvers.suggestions import rank
from search.documents import name_keys
from tests.support.institutions import institution
from tests.support.resources import register
from tests.support.search import plain, settled
from vocabulary.suggestions import LabelIndex, match_position, parse_prefix

SUGGEST = """query($prefix: String!, $first: Int) {
  suggest(prefix: $prefix, first: $first) { kind id label labelEn } }"""
SET_STATUS = """mutation($id: ID!, $s: ResourceStatus!) {
  setResourceStatus(id: $id, status: $s) { status } }"""
SET_LISTING = """mutation($id: ID!, $v: Int!, $listing: Audience) {
  setResourceVisibility(resourceId: $id, expectedVersion: $v, listing: $listing) { version } }"""


@pytest.fixture
async def owner(api: Any) -> str:
    return api.token("ins_owner01", "REGISTRANT")


async def suggest(api: Any, prefix: str, token: str | None = None, first: int = 20) -> list:
    data = await api.ok(SUGGEST, {"prefix": prefix, "first": first}, token)
    return data["suggest"]


def shown(items: list[dict[str, Any]]) -> list[tuple[str, str]]:
    return [(item["kind"], item["label"]) for item in items]


async def add_institutions(api: Any, *rows: dict[str, Any]) -> None:
    await upsert_institutions(api.runtime.backends.graph, list(rows), "2026-01-01T00:00:00.000Z")


async def test_whole_labels_first_then_shorter_then_needs_institutions_resources(api, owner):
    await add_institutions(
        api,
        institution("ins_meal0001", "5011025000", name="식사나눔센터"),
        institution("ins_meal0002", "5011025000", name="식사 배달"),
    )
    meals = await register(api, owner, **plain(name="식사 배달"))
    for name in ("무료 식사", "식사 배달 서비스", "도시락배달"):
        await register(api, owner, **plain(name=name))
    await settled(api.runtime)
    found = await suggest(api, "식사")
    assert shown(found) == [
        ("NEED", "식사"),  # the need DAILY_LIVING_MEALS: whole label, 2 characters
        ("INSTITUTION", "식사 배달"),  # as long as the resource: institutions first
        ("RESOURCE", "식사 배달"),
        ("INSTITUTION", "식사나눔센터"),
        ("RESOURCE", "식사 배달 서비스"),
        ("RESOURCE", "무료 식사"),  # a later word: after every whole-label match
    ]
    assert found[0] == {"kind": "NEED", "id": "DAILY_LIVING_MEALS", "label": "식사",
                        "labelEn": "Meals"}  # fmt: skip
    assert found[1]["id"] == "ins_meal0002" and found[1]["labelEn"] is None
    assert found[2] == {"kind": "RESOURCE", "id": meals["id"], "label": "식사 배달",
                        "labelEn": None}  # fmt: skip
    # `first` cuts the same order.
    assert await suggest(api, "식사", first=3) == found[:3]
    assert await suggest(api, "  식사 ", first=1) == found[:1]  # trimmed


async def test_a_prefix_matches_the_start_of_any_word_only(api, owner):
    await add_institutions(api, institution("ins_word0001", "5011025000", name="어르신 반찬·배달"))
    for name in ("도시락 배달", "무료 도시락(배달)", "도시락배달", "배달의 민족"):
        await register(api, owner, **plain(name=name))
    await settled(api.runtime)
    found = shown(await suggest(api, "배달"))
    assert found == [
        ("RESOURCE", "배달의 민족"),
        ("RESOURCE", "도시락 배달"),
        ("INSTITUTION", "어르신 반찬·배달"),
        ("RESOURCE", "무료 도시락(배달)"),
    ]
    assert ("RESOURCE", "도시락배달") not in found  # inside a word: no match
    # Several words, as typed.
    assert shown(await suggest(api, "도시락  배")) == [("RESOURCE", "도시락 배달")]
    assert shown(await suggest(api, "시락")) == []


async def test_english_matches_in_any_case(api, owner):
    await add_institutions(
        api, {**institution("ins_engl0001", "5011025000", name="식사나눔센터"),
              "nameEn": "Meal Sharing Centre"},
    )  # fmt: skip
    await register(api, owner, **plain(name="Meal Delivery"))
    await settled(api.runtime)
    expected = [
        ("NEED", "식사"),  # its English label "Meals"
        ("RESOURCE", "Meal Delivery"),
        ("INSTITUTION", "식사나눔센터"),  # its English name, 19 characters
    ]
    for typed in ("meal", "MEAL", "mEaL"):
        assert shown(await suggest(api, typed)) == expected, typed
    found = await suggest(api, "DELIV")
    assert shown(found) == [("RESOURCE", "Meal Delivery")]
    sharing = await suggest(api, "sharing c")
    assert sharing == [{"kind": "INSTITUTION", "id": "ins_engl0001", "label": "식사나눔센터",
                        "labelEn": "Meal Sharing Centre"}]  # fmt: skip


async def test_a_trailing_initial_consonant_matches_the_syllables_it_begins(api, owner):
    await add_institutions(api, institution("ins_jamo0001", "5011025000", name="도시관리공단"))
    await register(api, owner, **plain(name="도시락 배달"))
    await register(api, owner, **plain(name="어르신 도시락"))
    await settled(api.runtime)
    assert shown(await suggest(api, "도시ㄹ")) == [
        ("RESOURCE", "도시락 배달"),
        ("RESOURCE", "어르신 도시락"),
    ]
    assert shown(await suggest(api, "도시ㄱ")) == [("INSTITUTION", "도시관리공단")]
    assert ("RESOURCE", "어르신 도시락") in shown(await suggest(api, "ㄷ"))


@pytest.mark.parametrize(
    ("variables", "field", "message"),
    [
        ({"prefix": "식사", "first": 0}, "first", "first must be between 1 and 20; got 0."),
        ({"prefix": "식사", "first": 21}, "first", "first must be between 1 and 20; got 21."),
        ({"prefix": "   "}, "prefix", "prefix must not be empty."),
        ({"prefix": "가" * 51}, "prefix", "prefix is 51 characters long; the limit is 50."),
    ],
)
async def test_bad_input_says_what_to_fix(api, variables, field, message):
    error = await api.error(SUGGEST, variables)
    assert error["extensions"] == {"code": "BAD_USER_INPUT", "field": field}
    assert error["message"] == message


async def test_fifty_characters_and_twenty_suggestions_are_allowed(api, owner):
    for n in range(22):
        await register(api, owner, **plain(name=f"도시락 {n:02d}"))
    await settled(api.runtime)
    assert len(await suggest(api, "도시락", first=20)) == 20
    assert len(await suggest(api, "도시락")) == 20
    assert await suggest(api, "가" * 50) == []


async def test_inactive_resources_are_never_suggested(api, owner):
    """Suspended at registration: the index excludes it. Suspended with the sync stopped:
    the index still says ACTIVE, and the graph re-check drops it."""
    await register(api, owner, **plain(name="도시락 휴업", status="SUSPENDED"))
    paused = await register(api, owner, **plain(name="도시락 중단"))
    await register(api, owner, **plain(name="도시락 운영"))
    await settled(api.runtime)
    assert shown(await suggest(api, "도시락")) == [
        ("RESOURCE", "도시락 운영"),
        ("RESOURCE", "도시락 중단"),
    ]
    await api.runtime.sync.stop()
    await api.ok(SET_STATUS, {"id": paused["id"], "s": "SUSPENDED"}, owner)
    services = api.runtime.services
    stale = await services.search.get(index=services.search_alias, id=paused["id"])
    assert stale["_source"]["status"] == "ACTIVE"  # the index has not seen the change
    for token in (None, owner):
        assert shown(await suggest(api, "도시락", token)) == [("RESOURCE", "도시락 운영")]


async def test_strangers_never_see_a_private_resources_name(api, owner):
    """Each audience's resource reaches exactly the viewers it admits; no other name is in
    the response at all."""
    await register(api, owner, **plain(name="도시락 공개"))
    audiences = ("AUTHENTICATED", "REGION", "PARTNERS", "OWNER")
    for audience in audiences:
        await register(
            api,
            owner,
            **plain(
                name=f"도시락 {audience.lower()}",
                regions=["50110"],  # the region office's 시; not the partner's
                visibility={"listing": audience, "partners": ["ins_partner01"]},
            ),
        )
    await settled(api.runtime)
    viewers = {
        "anonymous": (None, ["공개"]),
        "outsider": (api.token("ins_other001"), ["공개", "authenticated"]),
        "region": (api.token("ins_region01"), ["공개", "authenticated", "region"]),
        "partner": (api.token("ins_partner01"), ["공개", "authenticated", "region", "partners"]),
        "owner": (owner, ["공개", "authenticated", "region", "partners", "owner"]),
    }
    for name, (token, words) in viewers.items():
        body = await api(SUGGEST, {"prefix": "도시락", "first": 20}, token)
        found = sorted(item["label"] for item in body["data"]["suggest"])
        assert found == sorted(f"도시락 {word}" for word in words), name
        text = json.dumps(body, ensure_ascii=False)
        for hidden in {a.lower() for a in audiences} - set(words):
            assert hidden not in text, (name, hidden)


async def test_a_name_hidden_or_renamed_while_the_index_lags_is_not_suggested(api, owner):
    hidden = await register(api, owner, **plain(name="도시락 비공개 예정"))
    renamed = await register(api, owner, **plain(name="도시락 옛 이름"))
    await settled(api.runtime)
    await api.runtime.sync.stop()
    await api.ok(SET_LISTING, {"id": hidden["id"], "v": 1, "listing": "OWNER"}, owner)
    update = """mutation($id: ID!) { updateResource(id: $id, expectedVersion: 1,
        input: {name: "반찬 새 이름"}) { name } }"""
    await api.ok(update, {"id": renamed["id"]}, owner)
    for token in (None, api.token("ins_other001")):
        body = await api(SUGGEST, {"prefix": "도시락"}, token)
        assert body == {"data": {"suggest": []}}
    # The owner still gets the hidden one; the renamed one matches by its name in the graph.
    assert shown(await suggest(api, "도시락", owner)) == [("RESOURCE", "도시락 비공개 예정")]


async def test_one_graph_round_trip_once_the_names_are_held(api, owner):
    for n in range(25):
        await register(api, owner, **plain(name=f"도시락 {n:02d}"))
    await settled(api.runtime)
    token = api.token("ins_other001")
    await suggest(api, "도시락", token, first=1)  # the viewer's institution is cached
    trips = []
    for first in (1, 20):
        counter = round_trips()
        assert len(await suggest(api, "도시락", token, first=first)) == first
        trips.append(counter.count)
    assert trips == [1, 1], trips  # the re-check of names (institutions are in memory)


async def test_search_down_is_unavailable(api):
    from search.engine import make_search_client

    services = api.runtime.services
    live = services.search
    services.search = make_search_client("http://127.0.0.1:9")
    try:
        error = await api.error(SUGGEST, {"prefix": "도시락"})
        assert error["extensions"]["code"] == "UNAVAILABLE"
        assert "127.0.0.1" not in error["message"]
    finally:
        await services.search.close()
        services.search = live


LABELS = ["한림읍 행정복지센터", "(사)제주 나눔", "반찬·도시락", "Jeju Food-Bank", "제주시",
          "도시락  배달", "ÉCOLE Été"]  # fmt: skip
# What is typed: pieces of the labels, initial consonants, other case, spaces, punctuation.
TYPED = st.text(
    alphabet=st.sampled_from(sorted(set("".join(LABELS)) | set("ㄱㄷㅎJEFB () ·-x"))),
    min_size=1,
    max_size=6,
).filter(lambda text: text.strip())


async def test_graph_index_and_memory_apply_one_rule(api, owner):
    """The same labels as institution names (graph) and resource names (index) match the
    prefixes the rule itself matches (as needs in memory are matched), in the rule's order,
    for typed text hypothesis draws."""
    await add_institutions(
        api, *(institution(f"ins_rule{n:04d}", "5011025000", name=label)
               for n, label in enumerate(LABELS)),
    )  # fmt: skip
    for label in LABELS:
        await register(api, owner, **plain(name=label))
    await settled(api.runtime)
    drawn: list[str] = ["제주", "나눔", "도시락", "bank", "food-b", "행정", "ㅎ", "(사", "é"]

    @settings(max_examples=40, database=None, derandomize=True, deadline=None,
              suppress_health_check=list(HealthCheck))  # fmt: skip
    @given(typed=TYPED)
    def draw(typed: str) -> None:
        drawn.append(typed)

    draw()
    for typed in drawn:
        prefix = parse_prefix(typed)
        expected = {label for label in LABELS if match_position(label.lower(), prefix) is not None}
        found = await suggest(api, typed)
        for kind in ("INSTITUTION", "RESOURCE"):
            matched = {i["label"] for i in found if i["kind"] == kind and i["label"] in LABELS}
            # A full page may leave out some that match.
            assert matched <= expected if len(found) == 20 else matched == expected, (typed, kind)
        keys = [rank(i["kind"], i["id"], [i["label"], i["labelEn"]], prefix) for i in found]
        assert all(keys) and keys == sorted(keys), typed


# Institution names over which FalkorDB once crashed on "cent" (a `substring` read past the
# end of a Korean name, when a graph statement matched prefixes), and the rule's own labels.
CRASHED_ON = [("제주한마음병원", "Jeju Hanmaeum Hospital"),
              ("서홍동 지역아동센터 76", "Seohong-dong Community Child Center 76"),
              ("영천동 나눔센터 77", "Yeongcheon-dong Sharing Center 77"),
              ("대천동 노인복지관 78", "Daecheon-dong Senior Welfare Center 78")]  # fmt: skip


def test_the_label_index_answers_the_rule_in_its_order():
    """Every one-to-three character piece of these names at every position, and initial
    consonants, as a prefix of the in-memory index: the records the rule matches, in the
    order `rank` gives them."""
    records = [(f"ins_end{n:05d}", pair) for n, pair in enumerate(CRASHED_ON)]
    records += [(f"ins_rule{n:04d}", (label, None)) for n, label in enumerate(LABELS)]
    index = LabelIndex(records)
    labels = [label for _, pair in records for label in pair if label]
    pieces = {"cent", "ㄷ", "ㅈ", "도시ㄹ", "Jeju h"} | {
        label[k : k + size] for label in labels for k in range(len(label)) for size in (1, 2, 3)
    }
    for piece in sorted(p for p in pieces if p.strip()):
        prefix = parse_prefix(piece)
        ranked = sorted(
            (key, ident)
            for ident, pair in records
            if (key := rank("INSTITUTION", ident, list(pair), prefix)) is not None
        )
        assert index.best(prefix, 5) == [ident for _, ident in ranked[:5]], piece
    assert index.best(parse_prefix("없는말"), 5) == []


async def test_a_new_institution_is_suggested_once_the_names_are_stale(api):
    """Institution names are held in memory and read again when older than `MAX_AGE_MS` by
    the service's clock: a new institution is suggested from then on."""
    await add_institutions(api, institution("ins_fresh001", "5011025000", name="새벽나눔센터"))
    assert shown(await suggest(api, "새벽")) == [("INSTITUTION", "새벽나눔센터")]
    await add_institutions(api, institution("ins_fresh002", "5011025000", name="새벽밥집"))
    assert shown(await suggest(api, "새벽")) == [("INSTITUTION", "새벽나눔센터")]
    services = api.runtime.services
    later = services.clock() + MAX_AGE_MS
    services.clock = lambda: later
    assert shown(await suggest(api, "새벽")) == [
        ("INSTITUTION", "새벽밥집"),
        ("INSTITUTION", "새벽나눔센터"),
    ]


def test_the_rule_and_the_documents():
    prefix = parse_prefix(" 도시  ㄹ ")
    assert (prefix.head, prefix.low, prefix.high) == ("도시 ", "라", "마")
    assert parse_prefix("MEAL").text == "meal"
    assert match_position("무료 도시락(배달)", parse_prefix("배달")) == 7
    assert match_position("(사)제주", parse_prefix("(사")) == 0
    assert match_position("도시락배달", parse_prefix("배달")) is None
    assert match_position("도시락", parse_prefix("도시락")) == 0
    assert match_position("도시", parse_prefix("도시락")) is None
    assert name_keys("Meal (Hot) Delivery") == {
        "nameKey": "meal (hot) delivery",
        "nameStarts": ["meal (hot) delivery", "hot) delivery", "delivery"],
        "nameLength": 19,
    }
