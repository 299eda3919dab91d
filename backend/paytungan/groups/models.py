from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone


class Group(models.Model):
    name = models.CharField(max_length=100)
    currency = models.CharField(max_length=3, default="IDR")
    simplify_debts = models.BooleanField(default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return self.name


class Member(models.Model):
    """A person in a group: a user, or a guest (user is NULL) known only by name.

    `paid` and `owed` are running totals in the group currency's minor units, updated in the same
    transaction as every bill and confirmed payment (rows locked in id order); the SQL aggregate
    over bills and payments is the test oracle. balance = paid - owed (positive: the group owes
    this member).
    """

    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="members")
    # SET_NULL: deleting an account turns its memberships into guests, keeping history whole.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="memberships",
    )
    name = models.CharField(max_length=100)
    is_active = models.BooleanField(default=True)
    paid = models.BigIntegerField(default=0)
    owed = models.BigIntegerField(default=0)
    joined_at = models.DateTimeField(default=timezone.now)
    left_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["group", "user"],
                condition=Q(user__isnull=False),
                name="member_one_per_user_per_group",
            ),
            models.CheckConstraint(condition=Q(paid__gte=0), name="member_paid_non_negative"),
            models.CheckConstraint(condition=Q(owed__gte=0), name="member_owed_non_negative"),
            models.CheckConstraint(
                condition=Q(is_active=True) | Q(paid=F("owed")),
                name="member_inactive_only_when_settled",
            ),
        ]
        indexes = [models.Index(fields=["user", "group"])]

    def __str__(self) -> str:
        return self.name

    @property
    def balance(self) -> int:
        return self.paid - self.owed


class Invite(models.Model):
    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="invites")
    code = models.CharField(max_length=64, unique=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"invite to {self.group_id}"


class Activity(models.Model):
    """Who did what, when, in a group. Written by the service that made the change, in the same
    transaction."""

    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="activity")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    actor_member = models.ForeignKey(Member, on_delete=models.SET_NULL, null=True, related_name="+")
    verb = models.CharField(max_length=40)  # e.g. bill.created, payment.confirmed
    target_type = models.CharField(max_length=20)
    target_id = models.BigIntegerField(null=True)
    summary = models.CharField(max_length=300)
    changes = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["group", "-id"])]

    def __str__(self) -> str:
        return f"{self.verb} {self.target_type}:{self.target_id}"


class PairDebt(models.Model):
    """What `debtor` owes `creditor` in a group, summed: the debts of its live bills plus its
    confirmed payments as reverse debts (a payment from A to B counts as B owing A). Kept in the
    same transaction as every bill and payment write (groups.pair_debts), so the pairwise settle
    reads one row per pair instead of every bill's debts; `ledger.settle.pairwise_debts` is the
    aggregate it must always equal (the test oracle). No CHECK on `amount`: PostgreSQL checks
    the proposed row of an INSERT ... ON CONFLICT before it finds the conflict, and a decrement
    is proposed as a negative row."""

    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="+")
    debtor = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="+")
    creditor = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="+")
    amount = models.BigIntegerField(default=0)

    class Meta:
        # Written by the payments app before the rows moved here with the pair debts (issue 14).
        db_table = "payments_pairdebt"
        constraints = [
            models.UniqueConstraint(
                fields=["group", "debtor", "creditor"], name="pair_debt_one_row_per_pair"
            ),
            models.CheckConstraint(
                condition=~Q(debtor=F("creditor")), name="pair_debt_distinct_members"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.debtor_id} owes {self.creditor_id}: {self.amount}"
