"""Reads: a user's preferences (with the defaults filled in) and what the job should send."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db.models import CharField, Count, Exists, F, Max, OuterRef, Q, Sum, Value
from django.db.models.functions import Cast, Concat

from paytungan.accounts.models import User
from paytungan.bills.models import Bill
from paytungan.groups.models import Member
from paytungan.ledger.settle import settle_transfers
from paytungan.notifications.messages import DigestGroup
from paytungan.notifications.models import (
    Delivery,
    Kind,
    NotificationPreferences,
    OwedSince,
)
from paytungan.payments.models import Payment, PaymentStatus

# Payments pending longer than this when first seen are not reminded about (the first run after
# the feature ships must not mail about every forgotten payment of the past).
PENDING_LOOKBACK = datetime.timedelta(days=30)
# How far back "the latest balance reminder for this user and group" is looked for: the longest
# N a user can choose (NotificationPreferences.balance_days, 1-90).
BALANCE_LOOKBACK = datetime.timedelta(days=90)


@dataclass(frozen=True)
class Preferences:
    pending_payments: bool
    balance_reminders: bool
    balance_days: int
    weekly_digest: bool


def preferences_of(row: NotificationPreferences | None) -> Preferences:
    if row is None:
        return Preferences(
            pending_payments=True,
            balance_reminders=False,
            balance_days=settings.BALANCE_REMINDER_DAYS,
            weekly_digest=False,
        )
    return Preferences(
        pending_payments=row.pending_payments,
        balance_reminders=row.balance_reminders,
        balance_days=row.balance_days or settings.BALANCE_REMINDER_DAYS,
        weekly_digest=row.weekly_digest,
    )


def preferences_get(*, user: User) -> Preferences:
    return preferences_of(NotificationPreferences.objects.filter(user=user).first())


def _already(prefix: str, ref: str) -> Exists:
    return Exists(
        Delivery.objects.filter(key=Concat(Value(prefix), Cast(OuterRef(ref), CharField())))
    )


def pending_payments_due(*, now: datetime.datetime, limit: int) -> list[Payment]:
    """Pending payments waiting for a registered receiver longer than the reminder delay, not
    yet reminded about, whose receiver did not turn these reminders off."""
    cutoff = now - datetime.timedelta(hours=settings.PENDING_PAYMENT_REMINDER_HOURS)
    return list(
        Payment.objects.filter(
            status=PaymentStatus.PENDING,
            created_at__lte=cutoff,
            created_at__gt=cutoff - PENDING_LOOKBACK,
            to_member__is_active=True,
            to_member__user__is_active=True,
        )
        .exclude(to_member__user__notification_preferences__pending_payments=False)
        .exclude(_already(f"{Kind.PENDING_PAYMENT}:", "pk"))
        .select_related("group", "from_member", "to_member__user")
        .order_by("created_at", "pk")[:limit]
    )


def debtors_tracked(*, now: datetime.datetime) -> list[OwedSince]:
    """Opted-in registered members who still owe their group, with since when."""
    return list(
        OwedSince.objects.filter(
            member__is_active=True,
            member__user__is_active=True,
            member__owed__gt=F("member__paid"),
            member__user__notification_preferences__balance_reminders=True,
        )
        .select_related("member__group", "member__user__notification_preferences")
        .order_by("since", "member_id")
    )


def last_balance_reminders(
    *, user_ids: set[int], since: datetime.datetime
) -> dict[tuple[int, int], datetime.datetime]:
    """(user, group) -> when the latest balance reminder was claimed, for those after `since`."""
    rows = (
        Delivery.objects.filter(kind=Kind.BALANCE, user_id__in=user_ids, created_at__gt=since)
        .values("user_id", "group_id")
        .annotate(last=Max("created_at"))
    )
    return {(r["user_id"], r["group_id"]): r["last"] for r in rows}


def creditors_of(*, member: Member) -> list[tuple[str, int]]:
    """Whom the member should pay and how much, in minor units: their transfers in the group's
    settle-up plan (the same the Settle page shows), largest first. Two queries at most."""
    group = member.group
    members = {m.pk: m for m in Member.objects.filter(group_id=group.pk)}
    balances = {pk: m.balance for pk, m in members.items()}
    transfers = settle_transfers(group=group, balances=balances)
    mine = [(members[t.to_id].name, t.amount) for t in transfers if t.from_id == member.pk]
    return sorted(mine, key=lambda pair: (-pair[1], pair[0]))


def digest_recipients(*, period: str, limit: int) -> list[User]:
    """Active users who want the digest and have no delivery row for this ISO week yet."""
    return list(
        User.objects.filter(is_active=True, notification_preferences__weekly_digest=True)
        .exclude(
            Exists(
                Delivery.objects.filter(
                    key=Concat(
                        Value(f"{Kind.DIGEST}:"),
                        Cast(OuterRef("pk"), CharField()),
                        Value(f":{period}"),
                    )
                )
            )
        )
        .order_by("pk")[:limit]
    )


def digest_groups(
    *, user: User, start: datetime.datetime, end: datetime.datetime
) -> list[DigestGroup]:
    """The user's groups with the week's new bills and payments and the user's balance: three
    queries whatever the number of groups, plus whom to pay (two at most) in each group where
    the user owes."""
    groups: dict[int, DigestGroup] = {}
    for member in (
        Member.objects.filter(user=user, is_active=True)
        .select_related("group")
        .order_by("group__name", "group_id")
    ):
        groups[member.group_id] = DigestGroup(
            group_id=member.group_id,
            name=member.group.name,
            currency=member.group.currency,
            balance=member.paid - member.owed,
            creditors=creditors_of(member=member) if member.owed > member.paid else [],
        )
    if not groups:
        return []
    window = Q(created_at__gte=start, created_at__lt=end)
    for row in (
        Bill.objects.filter(window, group_id__in=groups, deleted_at__isnull=True)
        .values("group_id")
        .annotate(count=Count("pk"), total=Sum("total"))
    ):
        groups[row["group_id"]].bill_count = row["count"]
        groups[row["group_id"]].bill_total = row["total"] or 0
    for paid in (
        Payment.objects.filter(window, group_id__in=groups)
        .exclude(status=PaymentStatus.REJECTED)
        .values("group_id")
        .annotate(count=Count("pk"))
    ):
        groups[paid["group_id"]].payment_count = paid["count"]
    return list(groups.values())
