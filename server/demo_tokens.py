"""Dev tokens for the demo users (`hanaro demo` prints them, the web app's demo sign-in lists
them): signed here, where the signing secret is, so the demo package needs none."""

from __future__ import annotations

from demo.dataset import build_demo_dataset
from demo.users import DemoUser, demo_users
from server.auth import issue_token

__all__ = ["demo_tokens", "demo_user_tokens"]


def demo_user_tokens(secret: str, ttl_seconds: int = 7 * 86400) -> list[tuple[DemoUser, str]]:
    """Each demo user with a signed dev token for it."""
    return [
        (
            user,
            issue_token(
                secret,
                subject=user.subject,
                institution_id=user.institution_id,
                roles=list(user.roles),
                ttl_seconds=ttl_seconds,
            ),
        )
        for user in demo_users(build_demo_dataset())
    ]


def demo_tokens(secret: str, ttl_seconds: int = 7 * 86400) -> list[tuple[str, str]]:
    """(label, token) per demo user, in tour order."""
    return [(user.label, token) for user, token in demo_user_tokens(secret, ttl_seconds)]
