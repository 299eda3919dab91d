from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from paytungan.groups.models import Group, Member


class Category(models.TextChoices):
    FOOD = "food"
    TRANSPORT = "transport"
    LODGING = "lodging"
    GROCERIES = "groceries"
    ENTERTAINMENT = "entertainment"
    UTILITIES = "utilities"
    SHOPPING = "shopping"
    OTHER = "other"


class SplitMode(models.TextChoices):
    EQUAL = "equal"
    EXACT = "exact"
    PERCENT = "percent"
    SHARES = "shares"
    ITEMIZED = "itemized"


class Bill(models.Model):
    """A bill as entered (`split` keeps the submitted split spec so it can be edited and shown
    again) and as computed (payers and shares rows, in the group currency's minor units).

    `total` is in the group currency; `original_total` in the bill's own `currency`, which differs
    only for a foreign-currency bill converted once at save with `exchange_rate`.
    """

    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="bills")
    title = models.CharField(max_length=200)
    date = models.DateField()
    category = models.CharField(max_length=20, choices=Category.choices, default=Category.OTHER)
    notes = models.TextField(blank=True, default="")
    currency = models.CharField(max_length=3)
    exchange_rate = models.DecimalField(max_digits=30, decimal_places=10, null=True, blank=True)
    original_total = models.BigIntegerField()
    total = models.BigIntegerField()
    split_mode = models.CharField(max_length=10, choices=SplitMode.choices)
    split = models.JSONField(default=dict)
    tie_key = models.CharField(max_length=64)
    version = models.PositiveIntegerField(default=1)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)
    deleted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(total__gt=0), name="bill_total_positive"),
            models.CheckConstraint(
                condition=Q(original_total__gt=0), name="bill_original_total_positive"
            ),
            models.CheckConstraint(
                condition=Q(exchange_rate__isnull=True) | Q(exchange_rate__gt=0),
                name="bill_exchange_rate_positive",
            ),
            models.CheckConstraint(
                condition=Q(category__in=Category.values), name="bill_category_known"
            ),
            models.CheckConstraint(
                condition=Q(split_mode__in=SplitMode.values), name="bill_split_mode_known"
            ),
        ]
        indexes = [
            # The bills page: newest first by (date, id), live bills only.
            models.Index(
                fields=["group", "-date", "-id"],
                condition=Q(deleted_at__isnull=True),
                name="bill_group_live_newest",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class BillPayer(models.Model):
    bill = models.ForeignKey(Bill, on_delete=models.CASCADE, related_name="payers")
    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="+")
    amount = models.BigIntegerField()
    original_amount = models.BigIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["bill", "member"], name="bill_payer_unique"),
            models.CheckConstraint(condition=Q(amount__gte=0), name="bill_payer_amount_gte_0"),
        ]
        indexes = [models.Index(fields=["member"])]

    def __str__(self) -> str:
        return f"{self.member_id} paid {self.amount}"


class BillShare(models.Model):
    bill = models.ForeignKey(Bill, on_delete=models.CASCADE, related_name="shares")
    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="+")
    amount = models.BigIntegerField()
    original_amount = models.BigIntegerField()
    # Itemized bills: {"items", "discount", "service", "tax", "tip", "total"} in bill currency.
    breakdown = models.JSONField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["bill", "member"], name="bill_share_unique"),
            models.CheckConstraint(condition=Q(amount__gte=0), name="bill_share_amount_gte_0"),
        ]
        indexes = [models.Index(fields=["member"])]

    def __str__(self) -> str:
        return f"{self.member_id} owes {self.amount}"


class BillDebt(models.Model):
    """Who owes whom for one bill (from the core's bill_debts): the source of the
    non-simplified, pairwise settle view as one SQL aggregate."""

    bill = models.ForeignKey(Bill, on_delete=models.CASCADE, related_name="debts")
    debtor = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="+")
    creditor = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="+")
    amount = models.BigIntegerField()

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="bill_debt_amount_positive"),
            models.CheckConstraint(
                condition=~Q(debtor=models.F("creditor")), name="bill_debt_distinct_members"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.debtor_id} -> {self.creditor_id}: {self.amount}"
