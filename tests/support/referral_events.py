"""The referralEvents subscription over graphql-transport-ws."""

from __future__ import annotations

from websockets.typing import Subprotocol

PROTOCOL = [Subprotocol("graphql-transport-ws")]

SUBSCRIBE = """subscription { referralEvents { kind status
  referral { id status version fromInstitution { id } toInstitution { id } } } }"""
