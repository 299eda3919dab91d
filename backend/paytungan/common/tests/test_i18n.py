"""API messages in the caller's language (decision 0018): which language, and complete catalogues.

The language of an answer is the authenticated user's profile locale, else the app's language
cookie (the one the frontend writes), else Accept-Language, else Indonesian.
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext, override_settings
from django.utils import translation

import paytungan
from paytungan.common.i18n import LOCALES, MAKEMESSAGES_OPTIONS, localize
from paytungan.common.testing import ApiClient, make_user
from paytungan.groups.testing import make_group
from paytungan.money.text import Text

SOURCE = Path(paytungan.__file__).parent
WRONG_LOGIN = {"email": "nobody@example.com", "password": "not-the-password-1"}
ID_WRONG_LOGIN = "Email atau kata sandi salah."
EN_WRONG_LOGIN = "Email or password is incorrect."


# --- which language ---------------------------------------------------------------------------
def _client(*, accept_language: str | None, cookie: str | None = None) -> ApiClient:
    client = ApiClient(accept_language=accept_language)
    if cookie is not None:
        client.client.cookies[settings.LANGUAGE_COOKIE_NAME] = cookie
    return client


def _login_error(client: ApiClient) -> tuple[str, str]:
    response = client.post("/api/auth/login", WRONG_LOGIN)
    assert response.status == 401, response
    assert response.json["error"]["code"] == "invalid_credentials"
    return response.json["error"]["message"], response.headers["Content-Language"]


def test_the_django_cookie_is_the_frontends(db: None) -> None:
    # frontend/src/lib/i18n.ts LOCALE_COOKIE: the one cookie both read.
    frontend = (SOURCE.parents[1] / "frontend/src/lib/i18n.ts").read_text()
    assert f'LOCALE_COOKIE = "{settings.LANGUAGE_COOKIE_NAME}"' in frontend


def test_without_any_hint_the_api_speaks_indonesian(db: None) -> None:
    assert _login_error(_client(accept_language=None)) == (ID_WRONG_LOGIN, "id")


@pytest.mark.parametrize(
    ("accept_language", "expected"),
    [("en-US,en;q=0.9", (EN_WRONG_LOGIN, "en")), ("id-ID,id;q=0.9", (ID_WRONG_LOGIN, "id"))],
)
def test_anonymous_callers_get_their_browsers_language(
    db: None, accept_language: str, expected: tuple[str, str]
) -> None:
    assert _login_error(_client(accept_language=accept_language)) == expected


@pytest.mark.parametrize(
    ("cookie", "accept_language", "expected"),
    [
        ("id", "en-US,en;q=0.9", (ID_WRONG_LOGIN, "id")),
        ("en", "id-ID,id;q=0.9", (EN_WRONG_LOGIN, "en")),
    ],
)
def test_the_apps_language_cookie_beats_accept_language(
    db: None, cookie: str, accept_language: str, expected: tuple[str, str]
) -> None:
    assert _login_error(_client(accept_language=accept_language, cookie=cookie)) == expected


def test_an_unknown_cookie_value_falls_back_to_accept_language(db: None) -> None:
    assert _login_error(_client(accept_language="en", cookie="fr")) == (EN_WRONG_LOGIN, "en")


@pytest.mark.parametrize(
    ("locale", "cookie", "expected"),
    [("id", "en", ("Isi nama grup.", "id")), ("en", "id", ("Enter a group name.", "en"))],
)
def test_the_profile_locale_beats_the_cookie_and_the_browser(
    db: None, locale: str, cookie: str, expected: tuple[str, str]
) -> None:
    user = make_user(locale=locale)
    client = _client(accept_language=f"{cookie},{cookie};q=0.9", cookie=cookie).login(user)
    response = client.post("/api/groups", {"name": "  ", "currency": "IDR"})
    assert response.status == 422, response
    fields = response.json["error"]["details"]["fields"]
    assert (fields["name"][0], response.headers["Content-Language"]) == expected


def test_a_bearer_token_caller_gets_their_profile_locale(db: None) -> None:
    from paytungan.accounts.tokens import token_create

    user = make_user(locale="id")
    _, secret = token_create(user=user, name="cli")
    client = ApiClient(accept_language="en").with_token(secret)
    response = client.post("/api/groups", {"name": "  ", "currency": "IDR"})
    assert response.json["error"]["details"]["fields"]["name"] == ["Isi nama grup."]


def test_the_profile_locale_costs_no_query(db: None) -> None:
    """The caller row is loaded by auth (accounts.tokens.load_caller); its locale is there."""
    counts = {}
    for locale in ("id", "en"):
        user = make_user(locale=locale)
        group, _ = make_group(owner=user)
        client = _client(accept_language="en", cookie="en").login(user)
        client.get(f"/api/groups/{group.pk}")  # warm: session, CSRF
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(f"/api/groups/{group.pk}/members")
        assert response.status == 200
        assert response.headers["Content-Language"] == locale
        counts[locale] = len(ctx.captured_queries)
    assert counts["id"] == counts["en"]


def test_core_messages_are_translated_with_their_labels(db: None) -> None:
    """The pure core raises English Text; the API answers in the caller's language."""
    user = make_user(locale="id")
    group, m = make_group(owner=user, guests=("Budi",))
    body = {
        "title": "Makan",
        "payers": [{"member_id": m[user].pk, "amount": "1000000000000"}],
        "split": {"mode": "equal", "members": [{"member_id": m[user].pk}]},
        "total": "1000000000000",
    }
    response = ApiClient().login(user).post(f"/api/groups/{group.pk}/bills", body)
    assert response.status == 422, response
    fields = response.json["error"]["details"]["fields"]
    assert fields["payers.0.amount"] == [
        'Jumlah "1000000000000" terlalu besar: maksimalnya 999999999999 IDR.'
    ]
    assert fields["total"] == ['Total "1000000000000" terlalu besar: maksimalnya 999999999999 IDR.']


def test_schema_errors_are_translated(db: None) -> None:
    user = make_user(locale="id")
    response = ApiClient().login(user).post("/api/groups", {"currency": "IDR"})
    assert response.status == 422
    assert response.json["error"]["message"] == "Ada isian yang tidak valid."
    assert response.json["error"]["details"]["fields"]["name"] == ["Kolom ini wajib diisi."]


def test_errors_django_answers_itself_are_translated(db: None) -> None:
    response = _client(accept_language="id").get("/api/no-such-endpoint")
    assert response.status == 404
    assert response.json["error"]["message"] == "Tidak ditemukan."


def test_localize_translates_nested_text_and_leaves_the_rest() -> None:
    label = Text("Unit price")
    message = Text("{label} {value} must not be negative.", label=label, value='"-5"')
    assert message == 'Unit price "-5" must not be negative.'  # English as a plain str
    with translation.override("id"):
        assert localize({"a": [message], "n": 3}) == {
            "a": ['Harga satuan "-5" tidak boleh negatif.'],
            "n": 3,
        }


# --- complete catalogues ----------------------------------------------------------------------
_FIELD = re.compile(r'^(msgid|msgstr|msgctxt|msgid_plural)\s+"(.*)"$')
_CONT = re.compile(r'^"(.*)"$')
_PLACEHOLDER = re.compile(r"\{(\w+)\}")


def _unescape(text: str) -> str:
    return re.sub(r"\\(.)", lambda m: {"n": "\n", "t": "\t"}.get(m[1], m[1]), text)


def read_po(path: Path) -> dict[str, dict[str, Any]]:
    """msgid -> {"msgstr", "fuzzy"} for the live entries of a .po file (no header, no #~)."""
    entries: dict[str, dict[str, Any]] = {}
    for block in path.read_text(encoding="utf-8").split("\n\n"):
        fields: dict[str, str] = {}
        fuzzy = False
        current = None
        for line in block.splitlines():
            if line.startswith("#,") and "fuzzy" in line:
                fuzzy = True
            elif line.startswith("#"):
                continue
            elif (match := _FIELD.match(line)) is not None:
                current = match[1]
                fields[current] = _unescape(match[2])
            elif (match := _CONT.match(line)) is not None and current is not None:
                fields[current] += _unescape(match[1])
        if fields.get("msgid"):
            entries[fields["msgid"]] = {"msgstr": fields.get("msgstr", ""), "fuzzy": fuzzy}
    return entries


def _po(root: Path, locale: str) -> Path:
    return root / "locale" / locale / "LC_MESSAGES" / "django.po"


@pytest.fixture(scope="module")
def extracted(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """makemessages (as `make messages` runs it) on a copy of the code and its catalogues: what
    the catalogues would become, without touching the committed ones."""
    copy = tmp_path_factory.mktemp("messages") / "paytungan"
    shutil.copytree(
        SOURCE, copy, ignore=shutil.ignore_patterns("tests", "__pycache__", "*.mo", "*.pyc")
    )
    previous = Path.cwd()
    try:
        os.chdir(copy)
        with override_settings(LOCALE_PATHS=[copy / "locale"]):
            call_command("makemessages", verbosity=0, **MAKEMESSAGES_OPTIONS)
    finally:
        os.chdir(previous)
    return copy


@pytest.mark.parametrize("locale", LOCALES)
def test_the_catalogue_has_exactly_the_messages_in_the_code(extracted: Path, locale: str) -> None:
    committed = read_po(_po(SOURCE, locale))
    fresh = read_po(_po(extracted, locale))
    missing = sorted(set(fresh) - set(committed))
    stale = sorted(set(committed) - set(fresh))
    assert not missing, f"new messages: run `make messages` and translate them: {missing}"
    assert not stale, f"messages no longer in the code: run `make messages`: {stale}"
    assert len(committed) > 200


def test_every_message_has_an_indonesian_translation(extracted: Path) -> None:
    fresh = read_po(_po(extracted, "id"))
    untranslated = sorted(k for k, v in fresh.items() if not v["msgstr"].strip())
    fuzzy = sorted(k for k, v in fresh.items() if v["fuzzy"])
    assert not untranslated, f"translate in locale/id/LC_MESSAGES/django.po: {untranslated}"
    assert not fuzzy, f"check and unmark these fuzzy translations: {fuzzy}"
    assert not any(v["fuzzy"] for v in read_po(_po(SOURCE, "id")).values())


def test_translations_keep_every_placeholder() -> None:
    for msgid, entry in read_po(_po(SOURCE, "id")).items():
        got = sorted(_PLACEHOLDER.findall(entry["msgstr"]))
        assert got == sorted(_PLACEHOLDER.findall(msgid)), (msgid, entry["msgstr"])


def test_english_is_the_source_language() -> None:
    # English msgstrs stay empty: gettext answers with the msgid, the text in the code.
    assert all(not v["msgstr"] for v in read_po(_po(SOURCE, "en")).values())
