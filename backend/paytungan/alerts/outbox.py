"""Storing alerts in the outbox, folding repeats of one issue.

Folding, per issue key and only for `foldable` alerts (repeats of a firing alert):
- the first alert of a window is stored due now, so it reaches Discord within seconds, and opens
  a window of ALERT_FOLD_WINDOW_SECONDS;
- while the issue's latest row is still waiting (not yet sent, not being sent), a repeat only
  increments its count: one message "x37 in 5 min";
- a repeat after the first was sent, inside the window, starts a row held until the window ends,
  which then collects the rest: at most two messages per issue per window.
A state change (resolved, closed) is never folded, and releases a held row of its issue at once so
the summary and then the change go out, in that order.

Everything here is one short transaction; a webhook answers within its 1 s budget.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from paytungan.alerts.config import route_for
from paytungan.alerts.models import Alert, AlertIssue, HookReceipt
from paytungan.alerts.normalized import NormalizedAlert

logger = logging.getLogger("paytungan.alerts")

# Above this the webhook would miss Sentry's 1 s answer; the caller spools the alert instead
# (paytungan.alerts.spool) rather than hang on a locked row or a slow database.
STATEMENT_TIMEOUT_MS = 800


# What starts delivery once a receive that stored alerts has committed: alerts.kick's
# kick_delivery, set by AlertsConfig.ready (the kick's delivery loop ingests the spool into this
# outbox, so this module can't import it).
_after_store: Callable[[], None] | None = None


def on_stored(kick: Callable[[], None] | None) -> None:
    global _after_store
    _after_store = kick


@dataclass(frozen=True)
class Receipt:
    stored: int = 0
    folded: int = 0
    duplicate: bool = False


def receive(
    alerts: list[NormalizedAlert], *, body_digest: str | None = None, kick: bool | None = None
) -> Receipt:
    """Store `alerts` (a webhook body's worth) and start delivering them once committed."""
    now = timezone.now()
    stored = folded = 0
    alerts = [alert.cleaned() for alert in alerts]
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(f"SET LOCAL statement_timeout = {STATEMENT_TIMEOUT_MS}")
        if body_digest is not None and not _first_receipt(body_digest, now):
            return Receipt(duplicate=True)
        for alert in alerts:
            if _store(alert, now):
                folded += 1
            else:
                stored += 1
        deliver = settings.ALERT_DELIVER_ON_RECEIVE if kick is None else kick
        if alerts and deliver and _after_store is not None:
            transaction.on_commit(_after_store)
    return Receipt(stored=stored, folded=folded)


def _first_receipt(digest: str, now: datetime) -> bool:
    try:
        with transaction.atomic():
            HookReceipt.objects.create(digest=digest, received_at=now)
    except IntegrityError:
        logger.warning("webhook body received twice; stored once", extra={"digest": digest[:16]})
        return False
    return True


def _store(alert: NormalizedAlert, now: datetime) -> bool:
    """Stores one alert; True when it was folded into a waiting row."""
    # Locking the issue's row makes alerts of one issue take ids (and so delivery order) in the
    # order they arrive, even when two instances receive them at the same moment.
    issue, _ = AlertIssue.objects.select_for_update().get_or_create(key=alert.issue_key)
    window = timedelta(seconds=settings.ALERT_FOLD_WINDOW_SECONDS)
    due = now
    if alert.foldable and window:
        if _fold_into_latest(alert, now):
            return True
        if issue.fold_until is not None and issue.fold_until > now:
            due = issue.fold_until  # a summary row, held until the window ends
        else:
            issue.fold_until = now + window
            issue.save(update_fields=["fold_until"])
    elif not alert.foldable:
        _release_held(alert.issue_key, now)
    Alert.objects.create(
        source=alert.source,
        kind=alert.kind,
        route=route_for(project=alert.project, source=alert.source),
        issue_key=alert.issue_key,
        foldable=alert.foldable,
        payload=alert.to_json(),
        first_seen=now,
        last_seen=now,
        next_attempt_at=due,
    )
    return False


def _fold_into_latest(alert: NormalizedAlert, now: datetime) -> bool:
    latest_id = (
        Alert.objects.filter(issue_key=alert.issue_key)
        .order_by("-id")
        .values_list("id", flat=True)
        .first()
    )
    if latest_id is None:
        return False
    # SKIP LOCKED: a row a worker is sending right now cannot take more count (its message is
    # already on the wire), and waiting for it would blow the 1 s budget.
    # claim_token: a row claimed by a worker is on its way (or was, if that worker died),
    # so a repeat must not change what it says.
    row = (
        Alert.objects.select_for_update(skip_locked=True)
        .filter(id=latest_id, kind=alert.kind, foldable=True, claim_token="")
        .first()
    )
    if row is None:
        return False
    row.count += 1
    row.last_seen = now
    row.payload = alert.to_json()  # the latest event's details (release, request id)
    row.save(update_fields=["count", "last_seen", "payload"])
    return True


def _release_held(issue_key: str, now: datetime) -> None:
    held = list(
        Alert.objects.select_for_update(skip_locked=True)
        .filter(issue_key=issue_key, next_attempt_at__gt=now, attempts=0)
        .values_list("id", flat=True)
    )
    if held:
        Alert.objects.filter(id__in=held).update(next_attempt_at=now)
