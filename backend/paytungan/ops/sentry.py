"""Sentry set-up: on when SENTRY_DSN is set, validated at start-up like every other setting.

What reaches Sentry: unexpected errors (Django's handler, the API's 500 handler, and
`report_unexpected` for failures inside handled paths), tagged with the request id of the log
line so an alert leads to the logs. What does not: the API's handled 4xx errors (ApiError), the
request log lines (the exception itself is the event), and secrets or personal data (see
ops/scrub.py; send_default_pii stays off).
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import sentry_sdk
from sentry_sdk.integrations.django import DjangoIntegration
from sentry_sdk.integrations.logging import ignore_logger
from sentry_sdk.utils import BadDsn, Dsn

from paytungan.env import ConfigError, env_parsed, env_str
from paytungan.ops.context import request_id_var, user_id_var
from paytungan.ops.scrub import scrub_breadcrumb, scrub_event

_REPO_DIR = Path(__file__).resolve().parents[3]
# Set by the build (GIT_COMMIT, SOURCE_VERSION, ...) or by the platform (K_REVISION on Cloud
# Run names the revision, not the commit, so it is the last resort before git itself).
_COMMIT_VARS = ("GIT_COMMIT", "SOURCE_VERSION", "COMMIT_SHA", "VERCEL_GIT_COMMIT_SHA")


def _sample_rate(raw: str) -> float:
    rate = float(raw)
    if not 0.0 <= rate <= 1.0:
        raise ValueError(f"must be a number from 0 to 1, got {raw!r}")
    return rate


def detect_release() -> str:
    for name in _COMMIT_VARS:
        value = env_str(name)
        if value:
            return value
    git = shutil.which("git")
    if git and (_REPO_DIR / ".git").exists():
        try:
            out = subprocess.run(  # noqa: S603 - fixed arguments, no shell
                [git, "rev-parse", "HEAD"],
                cwd=_REPO_DIR,
                capture_output=True,
                text=True,
                timeout=2,
                check=True,
            )
            if out.stdout.strip():
                return out.stdout.strip()
        except (OSError, subprocess.SubprocessError):
            pass
    return env_str("K_REVISION") or "unknown"


def sentry_options(*, debug: bool) -> dict[str, Any] | None:
    """The options for sentry_sdk.init, or None when Sentry is off. Raises ConfigError."""
    traces_sample_rate = env_parsed("SENTRY_TRACES_SAMPLE_RATE", 0.0, _sample_rate)
    dsn = env_str("SENTRY_DSN") or ""
    if not dsn:
        return None
    try:
        Dsn(dsn)
    except BadDsn as exc:
        raise ConfigError("SENTRY_DSN", f"is not a valid DSN ({exc})") from None
    return {
        "dsn": dsn,
        "environment": env_str("SENTRY_ENVIRONMENT") or ("development" if debug else "production"),
        "release": env_str("SENTRY_RELEASE") or detect_release(),
        "traces_sample_rate": traces_sample_rate,
        "send_default_pii": False,
        "integrations": [DjangoIntegration(transaction_style="url")],
        "before_send": before_send,
        "before_send_transaction": before_send,
        "before_breadcrumb": before_breadcrumb,
        "server_name": os.environ.get("K_SERVICE") or None,
    }


def init_sentry(*, debug: bool) -> bool:
    options = sentry_options(debug=debug)
    if options is None:
        return False
    sentry_sdk.init(**options)
    # One line per request is logged at ERROR for a 500: the exception is already the event.
    ignore_logger("paytungan.request")
    return True


def _is_handled(hint: dict[str, Any]) -> bool:
    from paytungan.common.errors import ApiError

    exc_info = hint.get("exc_info")
    if exc_info and isinstance(exc_info[1], ApiError):
        return True  # a 4xx the code chose to answer: not an error of ours
    record = hint.get("log_record")
    # report_unexpected() captured the exception with its context and then logged it; the
    # logging integration would send the same error a second time without that context.
    return bool(record is not None and getattr(record, "reported_to_sentry", False))


def before_send(event: dict[str, Any], hint: dict[str, Any]) -> dict[str, Any] | None:
    if _is_handled(hint):
        return None
    tags = event.setdefault("tags", {})
    request_id = request_id_var.get()
    if request_id and isinstance(tags, dict):
        tags.setdefault("request_id", request_id)
    user_id = user_id_var.get()
    event["user"] = {"id": str(user_id)} if user_id is not None else {}
    return scrub_event(event)


def before_breadcrumb(crumb: dict[str, Any], hint: dict[str, Any]) -> dict[str, Any] | None:
    return scrub_breadcrumb(crumb)
