"""Pending payment reminders: to the receiver, once per payment, after it waited a day."""

from __future__ import annotations

import datetime

from django.core import mail

from paytungan.notifications.jobs import send_reminders
from paytungan.notifications.models import Delivery, DeliveryStatus, NotificationPreferences
from paytungan.notifications.tests.conftest import NOW, html_part, pending_payment
from paytungan.payments.models import PaymentStatus

HOUR = datetime.timedelta(hours=1)


def test_a_payment_pending_for_a_day_reminds_its_receiver_once(trip, ayu, budi):
    group, m = trip
    payment = pending_payment(group, frm=m[budi], to=m[ayu], amount=150000, at=NOW - 25 * HOUR)

    counts = send_reminders(now=NOW)

    assert counts["pending_payment.sent"] == 1
    (message,) = mail.outbox
    assert message.to == ["ayu@example.com"]
    # Ayu's profile is Indonesian (the default): Indonesian text, rupiah without decimals.
    assert message.subject == "Budi menunggu konfirmasi pembayaran Rp150.000"
    assert "Budi mencatat pembayaran Rp150.000 kepada Anda di grup Bali pada 1 Des 2026" in (
        message.body
    )
    assert f"https://paytungan.example/groups/{group.pk}" in message.body
    delivery = Delivery.objects.get()
    assert delivery.key == f"pending_payment:{payment.pk}"
    assert delivery.status == DeliveryStatus.SENT

    assert send_reminders(now=NOW + 2 * HOUR).get("pending_payment.sent", 0) == 0
    assert send_reminders(now=NOW + 50 * HOUR).get("pending_payment.sent", 0) == 0
    assert len(mail.outbox) == 1


def test_no_reminder_before_the_payment_waited_a_day(trip, ayu, budi):
    group, m = trip
    pending_payment(group, frm=m[budi], to=m[ayu], amount=1000, at=NOW - 23 * HOUR)
    send_reminders(now=NOW)
    assert mail.outbox == []
    send_reminders(now=NOW + 2 * HOUR)
    assert len(mail.outbox) == 1


def test_decided_payments_guests_and_opted_out_receivers_get_nothing(trip, ayu, budi):
    group, m = trip
    old = NOW - 48 * HOUR
    confirmed = pending_payment(group, frm=m[budi], to=m[ayu], amount=1000, at=old)
    confirmed.status = PaymentStatus.CONFIRMED
    confirmed.save()
    pending_payment(group, frm=m[ayu], to=m["Dodi"], amount=1000, at=old)  # a guest: no email
    pending_payment(group, frm=m[ayu], to=m[budi], amount=2000, at=old)
    NotificationPreferences.objects.create(user=budi, pending_payments=False)

    send_reminders(now=NOW)

    assert mail.outbox == []
    assert not Delivery.objects.exists()


def test_english_receiver_gets_english_text_and_amounts(trip, ayu, budi):
    group, m = trip
    pending_payment(group, frm=m[ayu], to=m[budi], amount=1234567, at=NOW - 30 * HOUR)
    send_reminders(now=NOW)
    (message,) = mail.outbox
    assert message.subject == "Ayu is waiting for you to confirm a payment of IDR 1,234,567"
    assert "Ayu recorded a payment of IDR 1,234,567 to you in Bali on 1 Dec 2026" in message.body


def test_every_email_has_text_html_and_one_click_unsubscribe_headers(trip, ayu, budi):
    group, m = trip
    pending_payment(group, frm=m[budi], to=m[ayu], amount=150000, at=NOW - 25 * HOUR)
    send_reminders(now=NOW)
    (message,) = mail.outbox
    html = html_part(message)
    assert "Rp150.000" in html
    assert '<html lang="id">' in html
    header = message.extra_headers["List-Unsubscribe"]
    assert header.startswith("<https://paytungan.example/api/notifications/unsubscribe?token=")
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert "https://paytungan.example/unsubscribe?token=" in message.body
    assert "https://paytungan.example/unsubscribe?token=" in html


def test_names_are_escaped_in_the_html(trip, ayu, budi):
    group, m = trip
    m[budi].name = "<b>Budi</b>"
    m[budi].save()
    pending_payment(group, frm=m[budi], to=m[ayu], amount=1000, at=NOW - 25 * HOUR)
    send_reminders(now=NOW)
    (message,) = mail.outbox
    html = html_part(message)
    assert "<b>Budi</b>" not in html
    assert "&lt;b&gt;Budi&lt;/b&gt;" in html
    assert "<b>Budi</b> mencatat" in message.body  # plain text stays plain


def test_the_batch_bounds_one_run_and_the_next_run_continues(trip, ayu, budi, settings):
    group, m = trip
    for i in range(3):
        pending_payment(group, frm=m[budi], to=m[ayu], amount=1000 + i, at=NOW - 25 * HOUR)
    settings.NOTIFICATION_BATCH = 2
    send_reminders(now=NOW)
    assert len(mail.outbox) == 2
    send_reminders(now=NOW + HOUR)
    assert len(mail.outbox) == 3


def test_the_management_command_runs_the_job(trip, ayu, budi):
    from io import StringIO

    import pytest
    from django.core.management import CommandError, call_command

    group, m = trip
    pending_payment(group, frm=m[budi], to=m[ayu], amount=1000, at=NOW - 25 * HOUR)
    out = StringIO()
    call_command("send_reminders", now=NOW.isoformat(), stdout=out)
    assert "pending_payment.sent: 1" in out.getvalue()
    with pytest.raises(CommandError, match="offset"):
        call_command("send_reminders", now="2026-12-02T10:00:00")
