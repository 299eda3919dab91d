"""Password reset end to end through a real SMTP server (aiosmtpd on 127.0.0.1), with Django's
SMTP email backend as in production."""

from __future__ import annotations

import email
import re
import socket
import threading
from collections.abc import Iterator
from email.message import Message
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from aiosmtpd.controller import Controller
from django.test import override_settings

from paytungan.accounts.models import User
from paytungan.common.testing import DEFAULT_PASSWORD, assert_error_shape, make_user

NEW_PASSWORD = "nasi-goreng-kampung-42"


class Inbox:
    """An aiosmtpd handler keeping every message it receives."""

    def __init__(self) -> None:
        self.messages: list[Message] = []
        self.envelope_recipients: list[list[str]] = []
        self._received = threading.Event()

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.envelope_recipients.append(list(envelope.rcpt_tos))
        self.messages.append(email.message_from_bytes(envelope.original_content))
        self._received.set()
        return "250 Message accepted for delivery"

    def wait(self, timeout: float = 10) -> Message:
        assert self._received.wait(timeout), "no email arrived"
        return self.messages[-1]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def smtp_inbox() -> Iterator[Inbox]:
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=_free_port())
    controller.start()
    try:
        with override_settings(
            EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
            EMAIL_HOST="127.0.0.1",
            EMAIL_PORT=controller.port,
            EMAIL_USE_TLS=False,
            EMAIL_USE_SSL=False,
            EMAIL_HOST_USER="",
            EMAIL_HOST_PASSWORD="",
            EMAIL_TIMEOUT=10,
            FRONTEND_URL="https://paytungan.example",
        ):
            yield inbox
    finally:
        controller.stop()


def _body(message: Message) -> str:
    part = message.get_payload(decode=True) if not message.is_multipart() else None
    if part is None:
        first = message.get_payload(0)
        assert isinstance(first, Message)
        part = first.get_payload(decode=True)
    assert isinstance(part, bytes)
    return part.decode(message.get_content_charset() or "utf-8")


def _token_from(message: Message) -> str:
    links = re.findall(r"https://paytungan\.example/reset-password\?\S+", _body(message))
    assert len(links) == 1, _body(message)
    return parse_qs(urlsplit(links[0]).query)["token"][0]


def test_password_reset_end_to_end_through_smtp(make_client, smtp_inbox):
    user = make_user(email="ayu@example.com", name="Ayu", locale="en")
    api = make_client()

    response = api.post("/api/auth/password-reset", {"email": " AYU@Example.com "})
    assert response.status == 202
    assert response.json == {"ok": True}

    message = smtp_inbox.wait()
    assert smtp_inbox.envelope_recipients == [["ayu@example.com"]]
    assert message["To"] == "ayu@example.com"
    assert "no-reply" in message["From"]
    assert "password" in message["Subject"].lower()
    token = _token_from(message)

    confirm = api.post(
        "/api/auth/password-reset/confirm", {"token": token, "password": NEW_PASSWORD}
    )
    assert confirm.status == 200
    assert confirm.json == {"ok": True}

    old = api.post("/api/auth/login", {"email": user.email, "password": DEFAULT_PASSWORD})
    assert old.status == 401
    new = api.post("/api/auth/login", {"email": user.email, "password": NEW_PASSWORD})
    assert new.status == 200
    assert api.get("/api/me").json["email"] == "ayu@example.com"

    # The link works once: the password it was made for has changed.
    again = api.post(
        "/api/auth/password-reset/confirm", {"token": token, "password": "another-one-entirely-9"}
    )
    error = assert_error_shape(again, 422, "invalid_token")
    assert "token" in error["details"]["fields"]


def test_reset_email_is_in_indonesian_by_default(make_client, smtp_inbox):
    make_user(email="budi@example.com", name="Budi", locale="id")
    make_client().post("/api/auth/password-reset", {"email": "budi@example.com"})
    message = smtp_inbox.wait()
    assert "kata sandi" in message["Subject"].lower()
    assert "Halo Budi" in _body(message)


def test_unknown_email_gets_the_same_202_and_no_mail(make_client, smtp_inbox):
    response = make_client().post("/api/auth/password-reset", {"email": "nobody@example.com"})
    assert response.status == 202
    assert response.json == {"ok": True}
    assert smtp_inbox.messages == []


def test_a_deactivated_account_gets_no_mail(make_client, smtp_inbox):
    make_user(email="gone@example.com", is_active=False)
    response = make_client().post("/api/auth/password-reset", {"email": "gone@example.com"})
    assert response.status == 202
    assert smtp_inbox.messages == []


@pytest.mark.parametrize(
    "token",
    [
        "",
        "garbage",
        "MQ.not-a-real-token",
        "!!!.abc",
        "OTk5OTk5OTk.abc-def",  # a user id that does not exist
        "x" * 300,
    ],
)
def test_bad_reset_tokens_are_422(make_client, user, token):
    response = make_client().post(
        "/api/auth/password-reset/confirm", {"token": token, "password": NEW_PASSWORD}
    )
    error = assert_error_shape(response, 422, "invalid_token")
    assert "token" in error["details"]["fields"]
    user.refresh_from_db()
    assert user.check_password(DEFAULT_PASSWORD)


def test_a_weak_new_password_is_422_and_the_token_stays_usable(make_client, smtp_inbox):
    make_user(email="sari@example.com")
    api = make_client()
    api.post("/api/auth/password-reset", {"email": "sari@example.com"})
    token = _token_from(smtp_inbox.wait())
    weak = api.post("/api/auth/password-reset/confirm", {"token": token, "password": "12345"})
    assert "password" in assert_error_shape(weak, 422)["details"]["fields"]
    ok = api.post("/api/auth/password-reset/confirm", {"token": token, "password": NEW_PASSWORD})
    assert ok.status == 200


def test_reset_signs_out_existing_sessions(make_client, smtp_inbox):
    user = make_user(email="dewi@example.com")
    logged_in = make_client(user)
    assert logged_in.get("/api/me").status == 200
    api = make_client()
    api.post("/api/auth/password-reset", {"email": "dewi@example.com"})
    token = _token_from(smtp_inbox.wait())
    api.post("/api/auth/password-reset/confirm", {"token": token, "password": NEW_PASSWORD})
    assert logged_in.get("/api/me").status == 401


def test_an_smtp_outage_still_answers_202_and_logs_the_failure(make_client, caplog):
    make_user(email="eko@example.com")
    with override_settings(
        EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT=_free_port(),  # nothing listens here
        EMAIL_TIMEOUT=2,
    ):
        response = make_client().post("/api/auth/password-reset", {"email": "eko@example.com"})
    assert response.status == 202
    failures = [r for r in caplog.records if "could not be sent" in r.getMessage()]
    assert failures
    assert failures[0].levelname == "ERROR"
    assert User.objects.filter(email="eko@example.com").exists()
