"""Reading the outbox's state for operators (deliver_alerts, alerts_test)."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils import timezone

from paytungan.alerts.config import webhook_for
from paytungan.alerts.models import Alert, WebhookState


@dataclass(frozen=True)
class OutboxStatus:
    pending: int = 0
    held: int = 0  # waiting for a fold window or a retry
    on_dead_webhooks: int = 0
    unrouted: int = 0  # no webhook configured for them
    dead_webhooks: list[str] = field(default_factory=list)  # route names ("default")


def outbox_status() -> OutboxStatus:
    now = timezone.now()
    dead = {
        state.fingerprint: state.route or "default"
        for state in WebhookState.objects.filter(dead_since__isnull=False)
    }
    pending = held = on_dead = unrouted = 0
    dead_in_use: set[str] = set()
    for route, due in Alert.objects.values_list("route", "next_attempt_at"):
        pending += 1
        held += due > now
        hook = webhook_for(route)
        if hook is None:
            unrouted += 1
        elif hook.fingerprint in dead:
            on_dead += 1
            dead_in_use.add(dead[hook.fingerprint])
    return OutboxStatus(pending, held, on_dead, unrouted, sorted(dead_in_use))
