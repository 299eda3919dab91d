"""POST /api/groups/{gid}/imports/preview and /imports: an export in, bills and payments out."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from paytungan.accounts.models import ThrottleCounter, User
from paytungan.bills.models import Bill
from paytungan.common.testing import ApiClient, Response, assert_error_shape, make_user
from paytungan.groups.models import Activity, Group, Member
from paytungan.groups.testing import make_group
from paytungan.imports.models import ImportRecord
from paytungan.imports.tests.test_ihatemoney import EXPORT as IHATEMONEY_EXPORT
from paytungan.payments.models import Payment, PaymentStatus

SMALL = (
    b"Date,Description,Category,Cost,Currency,Ayu,Budi,Citra\n\n"
    b"2026-11-01,Dinner,Dining out,90.00,USD,60.00,-30.00,-30.00\n"
    b"2026-11-02,Budi paid Ayu,Payment,30.00,USD,-30.00,30.00,0.00\n"
    b"2026-11-03,Taxi,Taxi,10.00,USD,-3.33,6.67,-3.34\n\n"
    b"2026-11-30,Total balance, , ,USD,26.67,6.67,-33.34\n"
)


def post(
    client: ApiClient, path: str, data: bytes, *, fmt: str = "splitwise", **fields: Any
) -> Response:
    form: dict[str, Any] = {"file": SimpleUploadedFile("export", data), "format": fmt}
    form.update(fields)
    raw = client.client.post(path, data=form, headers={"X-CSRFToken": client.csrf()})
    return Response(raw)


def preview(client: ApiClient, gid: int, data: bytes, **kw: Any) -> Response:
    return post(client, f"/api/groups/{gid}/imports/preview", data, **kw)


def run(client: ApiClient, gid: int, data: bytes, mapping: Any = None, **kw: Any) -> Response:
    fields = {} if mapping is None else {"mapping": json.dumps(mapping)}
    return post(client, f"/api/groups/{gid}/imports", data, **fields, **kw)


@pytest.fixture(autouse=True)
def _fresh_throttle(db: None) -> None:
    ThrottleCounter.objects.all().delete()


@pytest.fixture
def usd(user: User) -> tuple[Group, dict[Any, Member]]:
    budi = make_user(name="Budi")
    return make_group(owner=user, currency="USD", users=(budi,))


def balances(group: Group) -> dict[str, int]:
    return {m.name: m.balance for m in Member.objects.filter(group=group)}


def test_preview_lists_people_bills_and_payments_and_saves_nothing(
    user_client: ApiClient, usd: Any
) -> None:
    group, m = usd
    response = preview(user_client, group.pk, SMALL)
    assert response.status == 200, response
    body = response.json
    assert (body["format"], body["currency"], body["already_imported"]) == (
        "splitwise",
        "USD",
        False,
    )
    people = {p["key"]: p for p in body["members"]}
    assert (
        people["Budi"]["suggested_member_id"] == m[next(k for k in m if k != group.created_by)].pk
    )
    assert people["Citra"]["suggested_member_id"] is None
    assert [p["balance"] for p in body["members"]] == ["26.67", "6.67", "-33.34"]
    assert [b["title"] for b in body["bills"]] == ["Dinner", "Taxi"]
    assert body["bills"][0]["payers"] == [{"key": "Ayu", "amount": "90.00"}]
    assert body["payments"] == [
        {"row": 4, "date": "2026-11-02", "from_key": "Budi", "to_key": "Ayu", "amount": "30.00"}
    ]
    assert Bill.objects.count() == Payment.objects.count() == ImportRecord.objects.count() == 0


def test_import_creates_everything_and_balances_equal_the_files_totals(
    user: User, user_client: ApiClient, usd: Any
) -> None:
    group, m = usd
    me = m[user]
    budi = next(v for k, v in m.items() if k != user)
    response = run(user_client, group.pk, SMALL, {"Ayu": me.pk, "Budi": budi.pk, "Citra": None})
    assert response.status == 201, response
    body = response.json
    assert (body["bills"], body["payments"]) == (2, 1)
    citra = Member.objects.get(group=group, name="Citra")
    assert citra.user_id is None
    assert {x["key"]: (x["member_id"], x["created"]) for x in body["members"]} == {
        "Ayu": (me.pk, False),
        "Budi": (budi.pk, False),
        "Citra": (citra.pk, True),
    }
    assert {me.pk: 2667, budi.pk: 667, citra.pk: -3334} == {
        x.pk: x.balance for x in Member.objects.filter(group=group)
    }
    # The payment between two registered members counts at once: it was settled in Splitwise.
    (payment,) = Payment.objects.filter(group=group)
    assert payment.status == PaymentStatus.CONFIRMED
    assert (payment.from_member_id, payment.to_member_id, payment.amount) == (budi.pk, me.pk, 3000)
    assert Activity.objects.filter(group=group, verb="import.completed").count() == 1
    # The balances endpoint agrees with the running totals.
    listed = user_client.get(f"/api/groups/{group.pk}/balances").json["items"]
    assert {i["member_id"]: i["balance"] for i in listed} == {
        me.pk: "26.67",
        budi.pk: "6.67",
        citra.pk: "-33.34",
    }


def test_the_same_file_again_is_refused_and_changes_nothing(
    user_client: ApiClient, usd: Any
) -> None:
    group, _ = usd
    assert run(user_client, group.pk, SMALL, {"Budi": None}).status == 422  # name taken
    assert run(user_client, group.pk, SMALL).status == 201
    before = balances(group)
    again = run(user_client, group.pk, SMALL)
    assert_error_shape(again, 409, "already_imported")
    assert balances(group) == before
    assert Bill.objects.filter(group=group).count() == 2
    assert preview(user_client, group.pk, SMALL).json["already_imported"] is True


def test_people_left_out_of_the_mapping_go_to_the_member_with_their_name_or_a_new_guest(
    user: User, user_client: ApiClient, usd: Any
) -> None:
    group, m = usd
    response = run(user_client, group.pk, SMALL)
    assert response.status == 201, response
    mapped = {x["key"]: x for x in response.json["members"]}
    assert mapped["Ayu"]["member_id"] == m[user].pk  # the user fixture is called Ayu
    assert mapped["Budi"]["created"] is False
    assert mapped["Citra"]["created"] is True
    assert balances(group) == {"Ayu": 2667, "Budi": 667, "Citra": -3334}


@pytest.mark.parametrize(
    ("data", "row", "words"),
    [
        (SMALL.replace(b"6.67,-33.34", b"6.67,-33.30"), 7, "doesn't match"),
        (SMALL.replace(b"-30.00,-30.00", b"-30.00,-20.00"), 3, "add up to zero"),
        (SMALL.replace(b"2026-11-03", b"tomorrow"), 5, "not a date"),
    ],
)
def test_a_malformed_file_is_a_422_naming_the_row(
    user_client: ApiClient, usd: Any, data: bytes, row: int | None, words: str
) -> None:
    group, _ = usd
    for response in (preview(user_client, group.pk, data), run(user_client, group.pk, data)):
        error = assert_error_shape(response, 422, "import_invalid")
        assert error["details"]["row"] == row
        assert error["message"].startswith(f"Row {row}:")
        assert words in error["message"]
    assert Bill.objects.count() == 0


@pytest.mark.parametrize(
    ("locale", "message"),
    [
        ("id", "Baris 5: Tanggal 'tomorrow' bukan tanggal seperti 2026-11-20."),
        ("en", "Row 5: Date 'tomorrow' is not a date like 2026-11-20."),
    ],
)
def test_a_row_error_is_in_the_callers_language(
    user: User, user_client: ApiClient, usd: Any, locale: str, message: str
) -> None:
    user.locale = locale
    user.save()
    group, _ = usd
    response = preview(user_client, group.pk, SMALL.replace(b"2026-11-03", b"tomorrow"))
    error = assert_error_shape(response, 422, "import_invalid")
    assert error["message"] == message
    assert error["details"]["fields"] == {"file": [message]}
    assert error["details"]["row"] == 5


def test_a_file_in_another_currency_is_refused(user: User, user_client: ApiClient) -> None:
    group, _ = make_group(owner=user, currency="IDR")
    assert_error_shape(preview(user_client, group.pk, SMALL), 422, "currency_mismatch")


def test_bad_mappings_are_422s_and_import_nothing(
    user: User, user_client: ApiClient, usd: Any
) -> None:
    group, m = usd
    _, om = make_group(owner=make_user(name="Eko"))
    me = m[user]
    cases = [
        ({"Ayu": me.pk, "Budi": me.pk}, "mapping.Budi"),
        ({"Ayu": next(iter(om.values())).pk}, "mapping.Ayu"),
        ({"Zed": me.pk}, "mapping.Zed"),
    ]
    for mapping, path in cases:
        error = assert_error_shape(run(user_client, group.pk, SMALL, mapping), 422)
        assert path in error["details"]["fields"], error
    raw = post(user_client, f"/api/groups/{group.pk}/imports", SMALL, mapping="[1]")
    assert "mapping" in assert_error_shape(raw, 422)["details"]["fields"]
    assert Bill.objects.count() == Member.objects.filter(group=group).count() - 2 == 0


def test_non_members_get_404_even_with_a_bad_file(outsider_client: ApiClient, usd: Any) -> None:
    group, _ = usd
    assert_error_shape(preview(outsider_client, group.pk, b"junk"), 404)
    assert_error_shape(run(outsider_client, group.pk, SMALL), 404)
    assert_error_shape(preview(outsider_client, 999_999, SMALL), 404)
    raw = outsider_client.client.post(
        f"/api/groups/{group.pk}/imports", data={}, headers={"X-CSRFToken": outsider_client.csrf()}
    )
    assert_error_shape(Response(raw), 404)


def test_missing_file_or_unknown_format_is_422(user_client: ApiClient, usd: Any) -> None:
    group, _ = usd
    assert_error_shape(preview(user_client, group.pk, SMALL, fmt="excel"), 422)
    raw = user_client.client.post(
        f"/api/groups/{group.pk}/imports/preview",
        data={"format": "splitwise"},
        headers={"X-CSRFToken": user_client.csrf()},
    )
    assert_error_shape(Response(raw), 422)


def test_a_file_over_the_limit_is_413(user_client: ApiClient, usd: Any, settings: Any) -> None:
    group, _ = usd
    settings.IMPORT_MAX_BYTES = 1024
    error = assert_error_shape(preview(user_client, group.pk, SMALL + b" " * 2000), 413)
    assert error["details"]["limit"] == 1024


def test_imports_are_rate_limited_per_user(user_client: ApiClient, usd: Any, settings: Any) -> None:
    group, _ = usd
    settings.IMPORTS_PER_HOUR = 2
    assert preview(user_client, group.pk, SMALL).status == 200
    assert preview(user_client, group.pk, SMALL).status == 200
    response = preview(user_client, group.pk, SMALL)
    assert_error_shape(response, 429)
    assert int(response.headers["Retry-After"]) > 0


def test_ihatemoney_and_spliit_exports_import_with_their_balances(
    user: User, user_client: ApiClient
) -> None:
    group, m = make_group(owner=user, currency="EUR")
    hate = IHATEMONEY_EXPORT[:2]  # a reimbursement and an expense
    response = run(user_client, group.pk, json.dumps(hate).encode(), fmt="ihatemoney")
    assert response.status == 201, response
    assert {k: v for k, v in balances(group).items() if k != m[user].name} == {
        "tata": -10000 + 1333,
        "fred": 20000 - 1333,
        "zorglub": -10000,
    }
    spliit = {
        "id": "g",
        "name": "Trip",
        "currencyCode": "EUR",
        "participants": [{"id": "p1", "name": "tata"}, {"id": "p2", "name": "Nina"}],
        "expenses": [
            {
                "id": "e1",
                "expenseDate": "2026-11-01T00:00:00.000Z",
                "title": "Pizza",
                "amount": 1001,
                "paidById": "p2",
                "splitMode": "EVENLY",
                "paidFor": [
                    {"participantId": "p1", "shares": 1},
                    {"participantId": "p2", "shares": 1},
                ],
            }
        ],
    }
    tata = Member.objects.get(group=group, name="tata")
    response = run(
        user_client, group.pk, json.dumps(spliit).encode(), {"p1": tata.pk}, fmt="spliit"
    )
    assert response.status == 201, response
    after = balances(group)
    assert after["tata"] - (-10000 + 1333) + after["Nina"] == 0
    assert after["Nina"] in (500, 501)


def test_the_bill_bodies_built_for_the_import_are_valid_api_bodies() -> None:
    from paytungan.bills.schemas import BillIn
    from paytungan.imports import splitwise
    from paytungan.imports.services import _bill_in

    parsed = splitwise.parse(SMALL)
    ids = {"Ayu": 1, "Budi": 2, "Citra": 3}
    for bill in parsed.bills:
        data = _bill_in(bill, ids, "USD")
        body = {
            "title": data.title,
            "date": data.date.isoformat() if data.date else None,
            "currency": data.currency,
            "exchange_rate": data.exchange_rate,
            "category": data.category,
            "notes": data.notes,
            "payers": [{"member_id": p.member_id, "amount": p.amount} for p in data.payers],
            "split": data.split_json(),
            "total": data.total,
        }
        assert BillIn.model_validate(body).to_data() == data


def test_an_export_larger_than_the_json_limit_is_accepted_up_to_its_own(
    user_client: ApiClient, usd: Any, settings: Any
) -> None:
    group, _ = usd
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024  # the JSON body limit
    big = SMALL + b"\n" * 5000  # blank lines: still the same export
    assert preview(user_client, group.pk, big).status == 200
    settings.IMPORT_MAX_BYTES = 2048
    # Far over: refused from Content-Length by the middleware, before anything reads it.
    error = assert_error_shape(preview(user_client, group.pk, big * 30), 413, "payload_too_large")
    assert error["details"]["limit"] == 2048 + 64 * 1024
