from __future__ import annotations

import io
from typing import Any

from django.core.management import call_command

from paytungan.accounts.models import User
from paytungan.bills.models import Bill
from paytungan.groups.models import Group, Member
from paytungan.payments.models import Payment
from paytungan.payments.testing import balance_oracle
from tools.seed.management.commands.demo_data import DEMO_EMAIL, DEMO_PASSWORD


def _load() -> str:
    out = io.StringIO()
    call_command("demo_data", stdout=out)
    return out.getvalue()


def test_demo_data_gives_the_demo_user_two_lively_groups(db: None, api: Any) -> None:
    _load()
    demo = User.objects.get(email=DEMO_EMAIL)
    assert demo.check_password(DEMO_PASSWORD)
    groups = Group.objects.filter(members__user=demo).order_by("pk")
    assert [g.name for g in groups] == ["Bali trip", "Kos Menteng"]
    bali, kos = groups
    assert kos.simplify_debts is False  # the pairwise view, for variety
    assert Member.objects.filter(group=bali, user__isnull=True).count() == 1
    assert Member.objects.filter(group=bali).count() == 4
    modes = set(Bill.objects.values_list("split_mode", flat=True))
    assert modes >= {"itemized", "equal", "shares", "percent", "exact"}
    assert Bill.objects.filter(currency="USD").exists()
    assert Bill.objects.filter(split__charges__service_percent="5").exists()
    assert set(Payment.objects.values_list("status", flat=True)) == {"pending", "confirmed"}
    # Something waits for Dewi to confirm.
    assert Payment.objects.filter(to_member__user=demo, status="pending").exists()
    for group in groups:
        balances = {m.pk: m.balance for m in Member.objects.filter(group=group)}
        assert sum(balances.values()) == 0
        assert balances == balance_oracle(group_id=group.pk)
        assert any(balances.values())


def test_demo_data_can_be_loaded_again_without_duplicating_anything(db: None) -> None:
    _load()
    counts = (Group.objects.count(), Bill.objects.count(), Payment.objects.count())
    output = _load()
    assert "demo groups exist" in output
    assert (Group.objects.count(), Bill.objects.count(), Payment.objects.count()) == counts
    assert User.objects.filter(email=DEMO_EMAIL).count() == 1


def test_the_demo_user_sees_balances_settle_up_and_pending_payments(
    db: None, make_client: Any
) -> None:
    _load()
    client = make_client(User.objects.get(email=DEMO_EMAIL))
    payouts = []
    for group in Group.objects.all():
        assert client.get(f"/api/groups/{group.pk}/balances").status == 200
        transfers = client.get(f"/api/groups/{group.pk}/settle").json["items"]
        assert transfers
        payouts += [t["payout"] for t in transfers if t["payout"]]
    assert payouts  # some receivers share where to send the money
    incoming = client.get("/api/me/payments").json["items"]
    assert {p["group_name"] for p in incoming} == {"Bali trip", "Kos Menteng"}
