from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core import mail
from django.test import override_settings

from paytungan.accounts.models import User
from paytungan.common.testing import make_user
from paytungan.groups.testing import make_group
from paytungan.payments.models import Payment, PaymentStatus

# Wednesday 2 December 2026, 10:00 in Jakarta.
NOW = datetime.datetime(2026, 12, 2, 3, 0, tzinfo=datetime.UTC)


@pytest.fixture(autouse=True)
def _mail_settings() -> Any:
    with override_settings(
        EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
        FRONTEND_URL="https://paytungan.example",
        DEFAULT_FROM_EMAIL="Paytungan <no-reply@paytungan.example>",
        PENDING_PAYMENT_REMINDER_HOURS=24,
        BALANCE_REMINDER_DAYS=7,
        NOTIFICATION_MAX_ATTEMPTS=3,
        NOTIFICATION_BATCH=500,
    ):
        mail.outbox = []
        yield


@pytest.fixture
def ayu(db: None) -> User:
    return make_user(name="Ayu", email="ayu@example.com", locale="id")


@pytest.fixture
def budi(db: None) -> User:
    return make_user(name="Budi", email="budi@example.com", locale="en")


@pytest.fixture
def trip(ayu: User, budi: User) -> Any:
    return make_group(owner=ayu, users=(budi,), guests=("Dodi",), name="Bali")


def html_part(message: mail.EmailMessage) -> str:
    """The HTML alternative of an email the job sent (it sends exactly one)."""
    assert isinstance(message, mail.EmailMultiAlternatives)
    ((html, mimetype),) = message.alternatives
    assert mimetype == "text/html"
    assert isinstance(html, str)
    return html


def pending_payment(
    group: Any, *, frm: Any, to: Any, amount: int, at: datetime.datetime
) -> Payment:
    return Payment.objects.create(
        group=group,
        from_member=frm,
        to_member=to,
        amount=amount,
        currency=group.currency,
        status=PaymentStatus.PENDING,
        created_at=at,
    )
