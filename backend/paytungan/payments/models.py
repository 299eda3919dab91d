from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from paytungan.bills.models import Bill
from paytungan.groups.models import Group, Member


class PaymentStatus(models.TextChoices):
    PENDING = "pending"
    CONFIRMED = "confirmed"
    REJECTED = "rejected"


class Payment(models.Model):
    """Money handed from one member to another outside the app. Only confirmed payments move
    balances."""

    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="payments")
    from_member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="+")
    to_member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="+")
    amount = models.BigIntegerField()
    currency = models.CharField(max_length=3)
    bill = models.ForeignKey(
        Bill, on_delete=models.SET_NULL, null=True, blank=True, related_name="payments"
    )
    note = models.CharField(max_length=200, blank=True, default="")
    status = models.CharField(
        max_length=10, choices=PaymentStatus.choices, default=PaymentStatus.PENDING
    )
    # More than the payer owed the receiver when recorded: allowed (people round up), flagged.
    is_overpayment = models.BooleanField(default=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="payment_amount_positive"),
            models.CheckConstraint(
                condition=~Q(from_member=F("to_member")), name="payment_distinct_members"
            ),
            models.CheckConstraint(
                condition=Q(status__in=PaymentStatus.values), name="payment_status_known"
            ),
        ]
        indexes = [
            models.Index(fields=["group", "-created_at", "-id"]),
            models.Index(fields=["to_member", "status"]),
        ]

    def __str__(self) -> str:
        return f"{self.from_member_id} -> {self.to_member_id}: {self.amount} ({self.status})"
