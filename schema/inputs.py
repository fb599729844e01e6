"""Turn Strawberry input objects into the plain dicts resolvers take (camelCase keys, enum
values as strings, fields the client left out absent)."""

from __future__ import annotations

import dataclasses
from enum import Enum
from typing import Any

from strawberry import UNSET
from strawberry.utils.str_converters import to_camel_case

__all__ = ["input_to_dict"]


def _plain(value: Any) -> Any:
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, list):
        return [_plain(item) for item in value]
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return input_to_dict(value)
    return value


def input_to_dict(obj: Any) -> dict[str, Any]:
    return {
        to_camel_case(f.name): _plain(getattr(obj, f.name))
        for f in dataclasses.fields(obj)
        if getattr(obj, f.name) is not UNSET
    }
