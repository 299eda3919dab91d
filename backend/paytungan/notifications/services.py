"""Writes: preferences (from the profile page) and unsubscribing (from an email link)."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from paytungan.accounts.models import User
from paytungan.common.errors import field_error
from paytungan.notifications.models import Kind, NotificationPreferences
from paytungan.notifications.selectors import Preferences, preferences_of
from paytungan.notifications.tokens import read_unsubscribe_token

KIND_FIELD = {
    Kind.PENDING_PAYMENT: "pending_payments",
    Kind.BALANCE: "balance_reminders",
    Kind.DIGEST: "weekly_digest",
}


@transaction.atomic
def preferences_update(*, user: User, data: dict[str, Any]) -> Preferences:
    """`data`: the fields the caller sent (pending_payments, balance_reminders, balance_days,
    weekly_digest). One upsert; the row keeps only what differs from nothing: no row, defaults."""
    row, _ = NotificationPreferences.objects.select_for_update().get_or_create(user=user)
    for name, value in data.items():
        setattr(row, name, value)
    row.save()
    return preferences_of(row)


def unsubscribe_target(*, token: str) -> tuple[User, str]:
    """The user and kind a token names, or a 422 on the token."""
    parsed = read_unsubscribe_token(token)
    user = None
    if parsed is not None:
        user = User.objects.filter(pk=parsed[0], is_active=True).first()
    if parsed is None or user is None:
        raise field_error(
            "token", _("This unsubscribe link is invalid or no longer valid."), code="invalid_token"
        )
    return user, parsed[1]


@transaction.atomic
def unsubscribe(*, token: str) -> tuple[User, str]:
    """Turns the token's kind of email off for its user. Idempotent: a second click is fine."""
    user, kind = unsubscribe_target(token=token)
    NotificationPreferences.objects.update_or_create(
        user=user, defaults={KIND_FIELD[Kind(kind)]: False}
    )
    return user, kind
