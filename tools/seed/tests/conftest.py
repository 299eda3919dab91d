"""The fixtures of backend/conftest.py (a conftest covers its own directory only), for the seed
data's tests: the API clients and the session-wide settings every API test runs with."""

from __future__ import annotations

from conftest import (  # backend/conftest.py, on the path
    _cheap_argon2,
    _no_caller_cache,
    _private_static_root,
    api,
    client_for,
    make_client,
    user,
    user_client,
)

__all__ = [
    "_cheap_argon2",
    "_no_caller_cache",
    "_private_static_root",
    "api",
    "client_for",
    "make_client",
    "user",
    "user_client",
]
