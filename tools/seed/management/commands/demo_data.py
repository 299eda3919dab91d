"""Demo data for `make run`: the demo account with two lively groups. Idempotent.

Everything goes through the services (bills.services, payments.services), exactly as the API
would, so balances, debts and the activity log are what real use would produce.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand
from django.db import transaction

from paytungan.accounts.models import User
from paytungan.bills import services as bill_services
from paytungan.bills.inputs import BillData
from paytungan.groups.models import Group, Member
from paytungan.money import to_decimal_string
from paytungan.payments import services as payment_services
from paytungan.splitting import BillInput, ChargesInput, ItemInput, itemized_total

DEMO_EMAIL = "demo@paytungan.id"
DEMO_PASSWORD = "demo-password-123"  # noqa: S105 - the published demo login of `make run`

# Friends of the demo user. They have no usable password: the demo is seen through Dewi's eyes.
# Sari and Bayu share their payout details, so settle-up shows where to send the money.
FRIENDS: dict[str, dict[str, Any]] = {
    "raka": {"email": "raka@demo.paytungan.id", "name": "Raka"},
    "sari": {
        "email": "sari@demo.paytungan.id",
        "name": "Sari",
        "payout_method": "bank",
        "payout_account_name": "Sari Wulandari (BCA)",
        "payout_account_number": "0987654321",
        "payout_share_with_groups": True,
    },
    "bayu": {
        "email": "bayu@demo.paytungan.id",
        "name": "Bayu",
        "payout_method": "ewallet",
        "payout_account_name": "Bayu Pratama (GoPay)",
        "payout_account_number": "081234567890",
        "payout_share_with_groups": True,
    },
    "intan": {"email": "intan@demo.paytungan.id", "name": "Intan"},
}


def _itemized_total(items: list[dict[str, Any]], charges: dict[str, str], currency: str) -> str:
    """What the core computes for these items and charges, so the payer can be given exactly
    that amount."""
    bill = BillInput(
        currency,
        "itemized",
        (),
        items=tuple(
            ItemInput(i["name"], i["quantity"], i["unit_price"], tuple(i["member_ids"]))
            for i in items
        ),
        charges=ChargesInput(**charges),
    )
    return to_decimal_string(itemized_total(bill), currency)


class Demo:
    """Builds one group: members by short name, bills and payments by who does them."""

    def __init__(self, group: Group, members: dict[str, Member]) -> None:
        self.group = group
        self.m = members

    def bill(self, by: str, body: dict[str, Any]) -> None:
        member = self.m[by]
        assert member.user is not None
        bill_services.bill_create(me=member, user=member.user, data=BillData.from_json(body))

    def itemized(
        self,
        *,
        by: str,
        title: str,
        date: dt.date,
        items: list[tuple[str, int, str, list[str]]],
        charges: dict[str, str],
        category: str = "food",
        payer: str | None = None,
    ) -> None:
        rows = [
            {
                "name": name,
                "quantity": qty,
                "unit_price": price,
                "member_ids": [self.m[w].pk for w in who],
            }
            for name, qty, price, who in items
        ]
        total = _itemized_total(rows, charges, self.group.currency)
        self.bill(
            by,
            {
                "title": title,
                "date": date,
                "category": category,
                "payers": [{"member_id": self.m[payer or by].pk, "amount": total}],
                "split": {"mode": "itemized", "items": rows, "charges": charges},
            },
        )

    def pay(self, *, by: str, frm: str, to: str, amount: str, note: str = "") -> None:
        payment_services.payment_record(
            me=self.m[by],
            from_member_id=self.m[frm].pk,
            to_member_id=self.m[to].pk,
            amount=amount,
            currency=self.group.currency,
            note=note,
        )


def _group(
    name: str, *, creator: User, users: dict[str, User], guests: tuple[str, ...], simplify: bool
) -> Demo:
    group = Group.objects.create(
        name=name, currency="IDR", simplify_debts=simplify, created_by=creator
    )
    members: dict[str, Member] = {}
    for key, user in users.items():
        members[key] = Member.objects.create(group=group, user=user, name=user.name)
        members[key].group = group
    for guest in guests:
        members[guest.lower()] = Member.objects.create(group=group, name=guest)
    return Demo(group, members)


def _bali(dewi: User, friends: dict[str, User]) -> None:
    demo = _group(
        "Bali trip",
        creator=dewi,
        users={"dewi": dewi, "raka": friends["raka"], "sari": friends["sari"]},
        guests=("Putu",),
        simplify=True,
    )
    everyone = ["dewi", "raka", "sari", "putu"]
    demo.itemized(
        by="dewi",
        title="Makan malam di Jimbaran",
        date=dt.date(2026, 10, 3),
        items=[
            ("Ikan bakar", 1, "185000", everyone),
            ("Udang bakar", 1, "150000", ["raka", "sari"]),
            ("Cumi goreng", 1, "95000", ["dewi", "putu"]),
            ("Kelapa muda", 4, "25000", everyone),
            ("Nasi putih", 4, "8000", everyone),
        ],
        charges={"service_percent": "5", "tax_percent": "10"},
    )
    demo.bill(
        "raka",
        {
            "title": "Sewa mobil 3 hari",
            "date": dt.date(2026, 10, 3),
            "category": "transport",
            "payers": [{"member_id": demo.m["raka"].pk, "amount": "1500000"}],
            "split": {"mode": "equal", "members": [{"member_id": demo.m[w].pk} for w in everyone]},
            "total": "1500000",
        },
    )
    demo.bill(
        "sari",
        {
            "title": "Surf lessons, Kuta",
            "date": dt.date(2026, 10, 4),
            "category": "entertainment",
            "currency": "USD",
            "exchange_rate": "16250",
            "payers": [{"member_id": demo.m["sari"].pk, "amount": "135.00"}],
            "split": {
                "mode": "equal",
                "members": [{"member_id": demo.m[w].pk} for w in ("dewi", "raka", "sari")],
            },
            "total": "135.00",
        },
    )
    demo.itemized(
        by="sari",
        title="Babi guling Ibu Oka",
        date=dt.date(2026, 10, 5),
        items=[
            ("Babi guling spesial", 3, "65000", ["dewi", "raka", "sari"]),
            ("Nasi campur ayam", 1, "55000", ["putu"]),
            ("Es jeruk", 4, "15000", everyone),
        ],
        charges={"discount_percent": "10", "tax_percent": "10"},
    )
    demo.bill(
        "dewi",
        {
            "title": "Villa Ubud (2 malam)",
            "date": dt.date(2026, 10, 5),
            "category": "lodging",
            "payers": [
                {"member_id": demo.m["dewi"].pk, "amount": "2000000"},
                {"member_id": demo.m["putu"].pk, "amount": "1200000"},
            ],
            "split": {
                "mode": "shares",
                "members": [
                    {"member_id": demo.m["dewi"].pk, "value": "2"},
                    {"member_id": demo.m["raka"].pk, "value": "2"},
                    {"member_id": demo.m["sari"].pk, "value": "1"},
                    {"member_id": demo.m["putu"].pk, "value": "1"},
                ],
            },
            "total": "3200000",
        },
    )
    # Raka says he paid Dewi: waiting for Dewi to confirm (her "incoming" list).
    demo.pay(by="raka", frm="raka", to="dewi", amount="250000", note="Transfer BCA")
    # Dewi recorded her own payment to Sari: waiting for Sari.
    demo.pay(by="dewi", frm="dewi", to="sari", amount="100000", note="Surf")
    # Putu (a guest) paid Dewi in cash: Dewi records it, so it is confirmed at once.
    demo.pay(by="dewi", frm="putu", to="dewi", amount="150000", note="Tunai")


def _kos(dewi: User, friends: dict[str, User]) -> None:
    demo = _group(
        "Kos Menteng",
        creator=dewi,
        users={"dewi": dewi, "bayu": friends["bayu"], "intan": friends["intan"]},
        guests=(),
        simplify=False,  # housemates keep track of who owes whom, pair by pair
    )
    housemates = ["dewi", "bayu", "intan"]
    demo.bill(
        "dewi",
        {
            "title": "Listrik November",
            "date": dt.date(2026, 11, 2),
            "category": "utilities",
            "payers": [{"member_id": demo.m["dewi"].pk, "amount": "452000"}],
            "split": {
                "mode": "equal",
                "members": [{"member_id": demo.m[w].pk} for w in housemates],
            },
            "total": "452000",
        },
    )
    demo.bill(
        "bayu",
        {
            "title": "Internet IndiHome",
            "date": dt.date(2026, 11, 5),
            "category": "utilities",
            "payers": [{"member_id": demo.m["bayu"].pk, "amount": "385000"}],
            "split": {
                "mode": "percent",
                "members": [
                    {"member_id": demo.m["dewi"].pk, "value": "40"},
                    {"member_id": demo.m["bayu"].pk, "value": "30"},
                    {"member_id": demo.m["intan"].pk, "value": "30"},
                ],
            },
            "total": "385000",
        },
    )
    demo.itemized(
        by="intan",
        title="Belanja bulanan",
        date=dt.date(2026, 11, 8),
        category="groceries",
        items=[
            ("Beras 5 kg", 1, "78000", housemates),
            ("Minyak goreng 2 L", 1, "38500", housemates),
            ("Telur 1 kg", 2, "29000", ["dewi", "intan"]),
            ("Kopi bubuk", 1, "45000", ["bayu"]),
            ("Sabun cuci piring", 1, "16500", housemates),
        ],
        charges={"tax_percent": "11"},
    )
    demo.bill(
        "bayu",
        {
            "title": "Galon & gas",
            "date": dt.date(2026, 11, 12),
            "category": "groceries",
            "payers": [{"member_id": demo.m["bayu"].pk, "amount": "95000"}],
            "split": {
                "mode": "exact",
                "members": [
                    {"member_id": demo.m["dewi"].pk, "value": "25000"},
                    {"member_id": demo.m["bayu"].pk, "value": "45000"},
                    {"member_id": demo.m["intan"].pk, "value": "25000"},
                ],
            },
            "total": "95000",
        },
    )
    demo.pay(by="dewi", frm="bayu", to="dewi", amount="100000", note="Listrik")
    demo.pay(by="intan", frm="intan", to="dewi", amount="150000", note="Listrik + galon")
    demo.pay(by="dewi", frm="dewi", to="bayu", amount="154000", note="Internet")


class Command(BaseCommand):
    help = "Load demo data for `make run` (safe to run again)."

    @transaction.atomic
    def handle(self, *args: Any, **options: Any) -> None:
        user, created = User.objects.get_or_create(
            email=DEMO_EMAIL, defaults={"name": "Dewi Demo", "username": "dewi"}
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
        self.stdout.write(f"demo user {DEMO_EMAIL} {'created' if created else 'exists'}")
        if Member.objects.filter(user=user).exists():
            self.stdout.write("demo groups exist")
            return
        friends: dict[str, User] = {}
        for key, fields in FRIENDS.items():
            defaults = {k: v for k, v in fields.items() if k != "email"}
            friend, made = User.objects.get_or_create(email=fields["email"], defaults=defaults)
            if made:
                friend.set_unusable_password()
                friend.save(update_fields=["password"])
            friends[key] = friend
        _bali(user, friends)
        _kos(user, friends)
        self.stdout.write("demo groups created: Bali trip, Kos Menteng")
