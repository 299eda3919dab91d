"""Parsing and resolving the relay's Discord configuration.

The parsers run at start-up (settings.py, through env_parsed, so an error names the variable);
the resolvers read django.conf.settings at call time so tests can override them.

Discord webhook URLs are secrets (anyone holding one can post to the channel): they are never
logged nor stored. The outbox stores a route key, and webhook health is keyed by a fingerprint
of the URL, so replacing a dead URL revives delivery by itself.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from ipaddress import ip_address
from urllib.parse import urlsplit

from django.conf import settings

DEFAULT_ROUTE = ""  # rows routed to DISCORD_WEBHOOK_URL
_ROUTE_KEY = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$")


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ip_address(host).is_loopback
    except ValueError:
        return False


def parse_webhook_url(raw: str) -> str:
    """An https URL (plain http only to a loopback stand-in, as in tests and local runs)."""
    url = raw.strip()
    parts = urlsplit(url)
    if not parts.hostname or not parts.path or parts.path == "/":
        raise ValueError("must be a webhook URL like https://discord.com/api/webhooks/<id>/<token>")
    if parts.scheme != "https" and not (parts.scheme == "http" and _is_loopback(parts.hostname)):
        raise ValueError("must use https")
    return url


def parse_webhook_routes(raw: str) -> dict[str, str]:
    """`project-a=https://...,project-b=https://...` -> {"project-a": "https://...", ...}.

    Keys are Sentry project slugs (or a GCP project id, or "uptime" for every uptime alert)."""
    routes: dict[str, str] = {}
    for part in (p.strip() for p in raw.split(",")):
        if not part:
            continue
        key, sep, url = part.partition("=")
        key = key.strip()
        if not sep or not _ROUTE_KEY.match(key):
            raise ValueError(f"expected project-slug=https://... pairs, got {part[:40]!r}")
        if key in routes:
            raise ValueError(f"route {key!r} is given twice")
        try:
            routes[key] = parse_webhook_url(url)
        except ValueError as exc:
            raise ValueError(f"route {key!r}: {exc}") from None
    return routes


def fingerprint(url: str) -> str:
    return hashlib.sha256(url.encode()).hexdigest()[:16]


@dataclass(frozen=True)
class Webhook:
    route: str  # the route key ("" for the default webhook)
    url: str
    fingerprint: str


def route_for(*, project: str, source: str) -> str:
    """The route key stored with an alert: its project's route, else its source's, else default."""
    routes: dict[str, str] = settings.DISCORD_WEBHOOK_ROUTES
    for key in (project, source):
        if key and key in routes:
            return key
    return DEFAULT_ROUTE


def webhook_for(route: str) -> Webhook | None:
    """The webhook a stored route key delivers to now. A key no longer configured falls back to
    the default, so editing the routes never strands alerts; None when nothing is configured."""
    routes: dict[str, str] = settings.DISCORD_WEBHOOK_ROUTES
    if route and route in routes:
        return Webhook(route, routes[route], fingerprint(routes[route]))
    default: str = settings.DISCORD_WEBHOOK_URL
    if default:
        return Webhook(DEFAULT_ROUTE, default, fingerprint(default))
    return None
