"""The alert stored when an authenticated webhook body cannot be turned into alerts by our code.

Sentry never retries a webhook: a 500 from the relay loses the alert. So when parsing or storing
a body that passed its signature (or token) check raises something unexpected (a bug of ours,
not a malformed body: that is a 400), the relay stores this instead: "Unreadable webhook", the
error's class and the start of the body, so a human still learns that something fired and can
read what. Repeats of one bug on one resource fold like any firing alert.
"""

from __future__ import annotations

from paytungan.alerts.normalized import NormalizedAlert, safe_text
from paytungan.ops.scrub import scrub_text

KIND = "relay.unreadable"
BODY_SHOWN = 1500  # characters of the body in the message; Discord's description allows 4096

# Backticks in the body would end the code block it is shown in; U+02CB looks the same.
_FENCE_SAFE = str.maketrans({"`": "\u02cb"})


def unreadable(*, body: bytes, error: BaseException, resource: str, source: str) -> NormalizedAlert:
    error_class = type(error).__name__
    text = body.decode("utf-8", "replace")
    shown = text[:BODY_SHOWN]
    # Scrubbed as the Sentry events are (secrets, e-mail addresses, account numbers), then made
    # printable (no NUL or control characters) and kept inside its code block. Mentions never
    # ping: every message is sent with allowed_mentions empty (embeds.message).
    shown = safe_text(scrub_text(shown)).translate(_FENCE_SAFE)
    size = f"{len(body)} bytes" + (f" (first {BODY_SHOWN} shown)" if len(text) > BODY_SHOWN else "")
    return NormalizedAlert(
        source=source,
        kind=KIND,
        project="",
        issue_key=f"relay:unreadable:{resource}:{error_class}",
        foldable=True,
        title=f"Unreadable webhook ({resource})",
        level="error",
        description=f"```json\n{shown}\n```",
        culprit="paytungan.alerts.views",
        details=[("Error", error_class), ("Resource", resource), ("Body", size)],
    )
