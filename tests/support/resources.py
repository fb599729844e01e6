"""Registering and updating test resources over GraphQL."""

from __future__ import annotations

from typing import Any

REGISTER = """mutation($input: RegisterResourceInput!) {
  registerResource(input: $input) {
    id name description kind status version createdAt updatedAt
    needs { code } servedRegions { code } provider { id name }
    eligibility { minAge maxAge maxIncomePercent householdTypes disabilityRequired notes }
    capacity { total available updatedAt } schedule
    contact { phone email person } address { text lat lon } internalNotes withheldFields
  }
}"""

UPDATE = """mutation($id: ID!, $v: Int!, $input: UpdateResourceInput!) {
  updateResource(id: $id, expectedVersion: $v, input: $input) {
    id name version needs { code } servedRegions { code } capacity { total available }
  }
}"""


def resource_input(**overrides: Any) -> dict[str, Any]:
    base = {
        "name": "독거어르신 도시락 배달",
        "description": "혼자 사시는 어르신께 주 3회 도시락을 배달합니다.",
        "kind": "SERVICE",
        "needs": ["DAILY_LIVING_MEALS"],
        "regions": ["5011025000"],
        "eligibility": {"minAge": 65, "householdTypes": ["SINGLE_ELDERLY"], "maxIncomePercent": 50},
        "capacity": {"total": 30, "available": 4},
        "schedule": "매주 월·수·금 11:00-13:00",
        "contact": {"phone": "064-796-1234", "email": "meal@example.or.kr", "person": "김민지"},
        "address": {"text": "제주시 한림읍 한림로 123", "lat": 33.41, "lon": 126.26},
        "internalNotes": "예산 12월 소진 예정",
    }
    return {**base, **overrides}


async def register(api, token: str, **overrides: Any) -> dict[str, Any]:
    data = await api.ok(REGISTER, {"input": resource_input(**overrides)}, token)
    return data["registerResource"]
