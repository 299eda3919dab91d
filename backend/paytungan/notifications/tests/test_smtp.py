"""One reminder end to end through a real SMTP server on loopback (aiosmtpd), with Django's SMTP
backend configured as in production: the settings, multipart/alternative, the RFC 8058 headers,
UTF-8 subjects, and an outage recorded as a failure for the next run."""

from __future__ import annotations

import datetime
import email
import email.policy
import socket
import threading
from collections.abc import Iterator
from email.message import EmailMessage
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from django.test import override_settings

from paytungan.notifications.jobs import send_reminders
from paytungan.notifications.models import Delivery, DeliveryStatus
from paytungan.notifications.tests.conftest import NOW, pending_payment

PORTS = range(26100, 26200)  # this worktree's port range (HELPERS.md)


class Inbox:
    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
        self.envelopes: list[tuple[str, list[str]]] = []
        self._received = threading.Event()

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.envelopes.append((envelope.mail_from, list(envelope.rcpt_tos)))
        message = email.message_from_bytes(envelope.original_content, policy=email.policy.default)
        assert isinstance(message, EmailMessage)
        self.messages.append(message)
        self._received.set()
        return "250 Message accepted for delivery"

    def wait(self, timeout: float = 10) -> EmailMessage:
        assert self._received.wait(timeout), "no email arrived"
        return self.messages[-1]


def _free_port() -> int:
    for port in PORTS:
        with socket.socket() as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError("no free port in 26100-26199")


def _smtp(port: int) -> Any:
    return override_settings(
        EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT=port,
        EMAIL_USE_TLS=False,
        EMAIL_USE_SSL=False,
        EMAIL_HOST_USER="",
        EMAIL_HOST_PASSWORD="",
        EMAIL_TIMEOUT=5,
    )


@pytest.fixture
def smtp_inbox() -> Iterator[Inbox]:
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=_free_port())
    controller.start()
    try:
        with _smtp(controller.port):
            yield inbox
    finally:
        controller.stop()


def test_a_reminder_goes_through_smtp_with_both_parts_and_unsubscribe_headers(
    trip, ayu, budi, smtp_inbox
):
    group, m = trip
    m[budi].name = "Budi Śantoso"
    m[budi].save()
    pending_payment(
        group, frm=m[budi], to=m[ayu], amount=150000, at=NOW - datetime.timedelta(hours=25)
    )

    assert send_reminders(now=NOW)["pending_payment.sent"] == 1

    message = smtp_inbox.wait()
    assert smtp_inbox.envelopes == [("no-reply@paytungan.example", ["ayu@example.com"])]
    assert message["Subject"].strip() == "Budi Śantoso menunggu konfirmasi pembayaran Rp150.000"
    assert message["From"] == "Paytungan <no-reply@paytungan.example>"
    assert message.get_content_type() == "multipart/alternative"
    text = message.get_body(("plain",))
    html = message.get_body(("html",))
    assert text is not None
    assert html is not None
    assert "Rp150.000" in text.get_content()
    assert "Rp150.000" in html.get_content()
    unsubscribe = str(message["List-Unsubscribe"]).strip()  # long: folded onto its own line
    assert unsubscribe.startswith("<https://paytungan.example/api/notifications/unsubscribe?")
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert message["Auto-Submitted"] == "auto-generated"
    assert Delivery.objects.get().status == DeliveryStatus.SENT


def test_an_unreachable_smtp_server_is_a_recorded_failure(trip, ayu, budi):
    group, m = trip
    pending_payment(
        group, frm=m[budi], to=m[ayu], amount=1000, at=NOW - datetime.timedelta(hours=25)
    )
    # A port bound and held but never listening: connections are refused, and no SMTP stand-in
    # of a test running alongside (another xdist worker) can start on it meanwhile.
    with socket.socket() as unreachable:
        unreachable.bind(("127.0.0.1", 0))
        with _smtp(unreachable.getsockname()[1]):
            counts = send_reminders(now=NOW)
    assert counts["pending_payment.failed"] == 1
    delivery = Delivery.objects.get()
    assert delivery.status == DeliveryStatus.FAILED
    assert "Connection refused" in delivery.last_error or "Errno" in delivery.last_error
