"""Balance reminders (opt-in, after N days, at most once per N days per group) and the weekly
digest (opt-in, once per ISO week, nothing when nothing happened)."""

from __future__ import annotations

import datetime

from django.core import mail

from paytungan.notifications.jobs import last_week, send_reminders
from paytungan.notifications.models import (
    Delivery,
    DeliveryStatus,
    NotificationPreferences,
    OwedSince,
)
from paytungan.notifications.tests.conftest import NOW, html_part, pending_payment
from paytungan.payments.tests.factories import add_bill

DAY = datetime.timedelta(days=1)


def _budi_owes_ayu(trip, ayu, budi, amount=90000):
    group, m = trip
    add_bill(group, paid={m[ayu]: amount}, shares={m[ayu]: 0, m[budi]: amount})
    return group, m


def test_a_debt_is_reminded_after_n_days_only_when_opted_in(trip, ayu, budi):
    group, m = _budi_owes_ayu(trip, ayu, budi)
    send_reminders(now=NOW)  # the job sees the debt for the first time
    assert OwedSince.objects.get(member=m[budi]).since == NOW
    send_reminders(now=NOW + 8 * DAY)
    assert mail.outbox == []  # not opted in

    NotificationPreferences.objects.create(user=budi, balance_reminders=True, balance_days=3)
    send_reminders(now=NOW + 2 * DAY + datetime.timedelta(hours=1))
    assert mail.outbox == [] or len(mail.outbox) == 0
    send_reminders(now=NOW + 3 * DAY)
    (message,) = mail.outbox
    assert message.to == ["budi@example.com"]
    assert message.subject == "You still owe Ayu IDR 90,000 in Bali"
    assert "You have owed IDR 90,000 in Bali for 3 days." in message.body
    assert "To settle up, pay:\n- Ayu: IDR 90,000\n" in message.body
    # Ayu (owed money) gets nothing; the guest has no email.
    assert Delivery.objects.get().group_id == group.pk


def test_the_reminder_names_each_creditor_and_what_to_pay_them(trip, ayu, budi):
    group, m = trip
    add_bill(group, paid={m[budi]: 60000}, shares={m[ayu]: 60000, m[budi]: 0})
    add_bill(group, paid={m["Dodi"]: 30000}, shares={m[ayu]: 30000, m["Dodi"]: 0})
    NotificationPreferences.objects.create(user=ayu, balance_reminders=True, balance_days=3)
    send_reminders(now=NOW)
    send_reminders(now=NOW + 3 * DAY)
    (message,) = mail.outbox
    assert message.to == ["ayu@example.com"]  # Ayu's profile is Indonesian
    assert message.subject == "Anda masih berutang Rp90.000 di Bali"
    assert "Sudah 3 hari Anda berutang Rp90.000 di grup Bali." in message.body
    assert "Untuk melunasi, bayar:\n- Budi: Rp60.000\n- Dodi: Rp30.000\n" in message.body
    html = html_part(message)
    assert "Budi: Rp60.000" in html
    assert "Dodi: Rp30.000" in html


def test_not_more_than_once_per_n_days_per_group(trip, ayu, budi):
    _budi_owes_ayu(trip, ayu, budi)
    NotificationPreferences.objects.create(user=budi, balance_reminders=True, balance_days=3)
    send_reminders(now=NOW)
    for hours in range(72, 24 * 9 + 1, 6):  # every 6 hours for six days
        send_reminders(now=NOW + datetime.timedelta(hours=hours))
    # days 3, 6 and 9
    assert len(mail.outbox) == 3
    assert sorted(Delivery.objects.values_list("key", flat=True))[0].endswith(":1")


def test_shortening_n_does_not_send_two_within_the_new_n(trip, ayu, budi):
    _budi_owes_ayu(trip, ayu, budi)
    prefs = NotificationPreferences.objects.create(
        user=budi, balance_reminders=True, balance_days=7
    )
    send_reminders(now=NOW)
    send_reminders(now=NOW + 7 * DAY)
    prefs.balance_days = 2
    prefs.save()
    send_reminders(now=NOW + 8 * DAY)  # k=4 under N=2, but the last one was a day ago
    assert len(mail.outbox) == 1
    send_reminders(now=NOW + 9 * DAY)
    assert len(mail.outbox) == 2


def test_a_settled_debt_stops_the_reminders_and_a_new_one_starts_over(trip, ayu, budi):
    group, m = _budi_owes_ayu(trip, ayu, budi)
    NotificationPreferences.objects.create(user=budi, balance_reminders=True, balance_days=1)
    send_reminders(now=NOW)
    add_bill(group, paid={m[budi]: 90000}, shares={m[ayu]: 90000, m[budi]: 0})  # square
    send_reminders(now=NOW + 2 * DAY)
    assert not OwedSince.objects.exists()
    assert mail.outbox == []
    add_bill(group, paid={m[ayu]: 5000}, shares={m[budi]: 5000})
    send_reminders(now=NOW + 3 * DAY)
    send_reminders(now=NOW + 4 * DAY)
    assert len(mail.outbox) == 1
    assert "IDR 5,000" in mail.outbox[0].subject


def test_last_week_is_the_previous_monday_to_sunday_in_jakarta():
    assert last_week(NOW) == (datetime.date(2026, 11, 23), datetime.date(2026, 11, 29), "2026-W48")
    # Sunday 23:30 in Jakarta is still in the week of Monday the 30th.
    sunday_night = datetime.datetime(2026, 12, 6, 16, 30, tzinfo=datetime.UTC)
    assert last_week(sunday_night)[2] == "2026-W48"
    monday = datetime.datetime(2026, 12, 6, 17, 0, tzinfo=datetime.UTC)
    assert last_week(monday)[2] == "2026-W49"


def test_the_weekly_digest_lists_the_groups_week_once(trip, ayu, budi):
    group, m = trip
    NotificationPreferences.objects.create(user=ayu, weekly_digest=True)
    in_week = datetime.datetime(2026, 11, 25, 5, 0, tzinfo=datetime.UTC)
    bill = add_bill(group, paid={m[ayu]: 300000}, shares={m[ayu]: 100000, m[budi]: 200000})
    bill.created_at = in_week
    bill.save()
    old = add_bill(group, paid={m[ayu]: 1000}, shares={m[budi]: 1000})
    old.created_at = in_week - 7 * DAY
    old.save()
    pending_payment(group, frm=m[budi], to=m[ayu], amount=5000, at=in_week)

    counts = send_reminders(now=NOW)

    assert counts["digest.sent"] == 1
    (message,) = [e for e in mail.outbox if "Ringkasan" in e.subject]
    assert message.subject == "Ringkasan mingguan Paytungan: 23 Nov 2026 - 29 Nov 2026"
    assert "Bali" in message.body
    assert "- 1 tagihan baru, total Rp300.000" in message.body
    assert "- 1 pembayaran" in message.body
    assert "- Grup berutang Rp201.000 kepada Anda" in message.body
    assert Delivery.objects.get(kind="digest").key == f"digest:{ayu.pk}:2026-W48"

    send_reminders(now=NOW + DAY)
    assert len([e for e in mail.outbox if "Ringkasan" in e.subject]) == 1


def test_the_digest_says_whom_you_owe(trip, ayu, budi):
    group, m = _budi_owes_ayu(trip, ayu, budi)
    add_bill(group, paid={m["Dodi"]: 10000}, shares={m[budi]: 10000, m["Dodi"]: 0})
    NotificationPreferences.objects.create(user=budi, weekly_digest=True)
    NotificationPreferences.objects.create(user=ayu, weekly_digest=True)
    send_reminders(now=NOW)
    by_user = {e.to[0]: e for e in mail.outbox}
    # Budi's profile is English; his two creditors are named with what each is owed.
    assert (
        "- You owe IDR 100,000 to Ayu (IDR 90,000), Dodi (IDR 10,000)"
        in by_user["budi@example.com"].body
    )
    assert "- Grup berutang Rp90.000 kepada Anda" in by_user["ayu@example.com"].body


def test_a_quiet_week_sends_no_digest_and_is_not_looked_at_again(trip, ayu, budi):
    NotificationPreferences.objects.create(user=budi, weekly_digest=True)
    send_reminders(now=NOW)
    assert mail.outbox == []
    assert Delivery.objects.get().status == DeliveryStatus.SKIPPED
    counts = send_reminders(now=NOW + DAY)
    assert not any(k.startswith("digest") for k in counts), counts
