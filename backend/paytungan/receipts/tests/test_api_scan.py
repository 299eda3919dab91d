"""POST /api/groups/{gid}/receipts/scan: a rendered receipt in, a draft itemized bill out."""

from __future__ import annotations

import io
import random
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from PIL import Image
from tools.receipts.generate import Truth, clean_png, render

from paytungan.accounts.models import ThrottleCounter
from paytungan.common.testing import ApiClient, Response, assert_error_shape, make_user
from paytungan.groups.testing import make_group
from paytungan.receipts import scanner

LINES = [
    "WARUNG MAKAN SEDERHANA",
    "Jl. Sudirman No. 12, Jakarta",
    "Telp 021-5551234",
    "12/11/2026 19:30",
    "Nasi Goreng Spesial  2 x 35.000   70.000",
    "Es Teh Manis  3 @ 8.000          24.000",
    "Sate Ayam  1 x 45.000            45.000",
    "Subtotal                        139.000",
    "Service 5%                        6.950",
    "PB1 10%                          14.595",
    "Total                           160.545",
    "Tunai                           200.000",
    "Kembali                          39.455",
]


def receipt_image(lines: list[str] = LINES, *, fmt: str = "PNG", seed: int = 3) -> bytes:
    truth = Truth(currency="IDR", items=[], lines=lines)
    image = render(truth, random.Random(seed))
    if fmt == "PNG":
        return clean_png(image)
    out = io.BytesIO()
    image.save(out, fmt)
    return out.getvalue()


def scan(
    client: ApiClient, gid: int, data: bytes, *, field: str = "image", name: str = "r.png"
) -> Response:
    upload = SimpleUploadedFile(name, data, content_type="image/png")
    raw = client.client.post(
        f"/api/groups/{gid}/receipts/scan",
        data={field: upload},
        headers={"X-CSRFToken": client.csrf()},
    )
    return Response(raw)


@pytest.fixture
def group(user: Any) -> Any:
    group, _ = make_group(owner=user)
    return group


@pytest.fixture(autouse=True)
def _fresh_throttle(db: None) -> None:
    ThrottleCounter.objects.all().delete()


@pytest.fixture(autouse=True)
def _patient_ocr(settings: Any) -> None:
    # One scan is ~1 s of CPU, but on a saturated shared machine its wall time passes the
    # production timeout; the timeout itself has its own test below.
    settings.RECEIPT_OCR_TIMEOUT_SECONDS = 120


def test_scan_reads_items_charges_and_total_and_saves_nothing(
    user_client: ApiClient, group: Any
) -> None:
    response = scan(user_client, group.pk, receipt_image())
    assert response.status == 200, response
    body = response.json
    assert body["currency"] == "IDR"
    assert body["items"] == [
        {"name": "Nasi Goreng Spesial", "quantity": 2, "unit_price": "35000"},
        {"name": "Es Teh Manis", "quantity": 3, "unit_price": "8000"},
        {"name": "Sate Ayam", "quantity": 1, "unit_price": "45000"},
    ]
    assert body["charges"] == {
        "discount": "0",
        "discount_percent": "0",
        "service_percent": "5",
        "tax_percent": "10",
        "tip": "0",
    }
    assert (body["subtotal"], body["total"], body["computed_total"]) == (
        "139000",
        "160545",
        "160545",
    )
    assert body["warnings"] == []
    kinds = [line["kind"] for line in body["lines"]]
    assert kinds.count("item") == 3
    assert kinds.count("charge") == 2
    assert kinds.count("total") == 1
    assert kinds.count("subtotal") == 1
    assert "ignored" in kinds


def test_a_total_that_disagrees_with_the_items_is_a_warning(
    user_client: ApiClient, group: Any
) -> None:
    lines = ["Bakso Urat   25.000", "Es Jeruk   10.000", "Total   40.000"]
    body = scan(user_client, group.pk, receipt_image(lines)).json
    assert body["warnings"] == [
        {
            "code": "total_mismatch",
            "message": body["warnings"][0]["message"],
            "read": "40000",
            "computed": "35000",
        }
    ]
    assert body["total"] == "40000"


def test_exif_rotation_is_honoured(user_client: ApiClient, group: Any) -> None:
    upright = Image.open(io.BytesIO(receipt_image()))
    # Stored sideways with Orientation 6: a viewer (and the scanner) rotates it back.
    stored = upright.transpose(Image.Transpose.ROTATE_90)
    exif = Image.Exif()
    exif[0x0112] = 6
    out = io.BytesIO()
    stored.convert("RGB").save(out, "JPEG", quality=92, exif=exif.tobytes())
    body = scan(user_client, group.pk, out.getvalue(), name="r.jpg").json
    assert body["total"] == "160545"
    assert len(body["items"]) == 3


def test_webp_is_accepted(user_client: ApiClient, group: Any) -> None:
    response = scan(user_client, group.pk, receipt_image(fmt="WEBP"), name="r.webp")
    assert response.status == 200, response
    assert response.json["total"] == "160545"


def test_currency_defaults_to_the_group_and_can_be_chosen(user: Any, user_client: ApiClient):
    group, _ = make_group(owner=user, currency="USD")
    lines = ["Latte   2 x 4.50   9.00", "Total   9.00"]
    body = scan(user_client, group.pk, receipt_image(lines)).json
    assert body["currency"] == "USD"
    assert body["items"] == [{"name": "Latte", "quantity": 2, "unit_price": "4.50"}]


def test_not_an_image_is_415(user_client: ApiClient, group: Any) -> None:
    assert_error_shape(scan(user_client, group.pk, b"hello, not a picture"), 415, "not_an_image")


def test_a_gif_is_415(user_client: ApiClient, group: Any) -> None:
    out = io.BytesIO()
    Image.new("L", (20, 20), 255).save(out, "GIF")
    response = scan(user_client, group.pk, out.getvalue(), name="r.gif")
    assert_error_shape(response, 415, "unsupported_image_type")


def test_a_truncated_image_is_422(user_client: ApiClient, group: Any) -> None:
    data = receipt_image()
    response = scan(user_client, group.pk, data[: len(data) // 2])
    assert_error_shape(response, 422, "corrupt_image")


def test_a_pixel_bomb_is_refused_before_decoding(user_client: ApiClient, group: Any) -> None:
    out = io.BytesIO()
    Image.new("1", (9000, 9000), 1).save(out, "PNG")  # 81 Mpx in a few kB
    assert len(out.getvalue()) < 100_000
    response = scan(user_client, group.pk, out.getvalue())
    error = assert_error_shape(response, 422, "image_too_large")
    assert "9000 x 9000" in error["message"]


def test_a_file_over_10_mb_is_413(user_client: ApiClient, group: Any) -> None:
    data = receipt_image() + b"\0" * (10 * 1024 * 1024)
    error = assert_error_shape(scan(user_client, group.pk, data), 413, "payload_too_large")
    assert error["details"]["limit"] == 10 * 1024 * 1024


@override_settings(RECEIPT_MAX_BYTES=50_000)
def test_a_body_far_over_the_limit_is_refused_from_its_length(
    user_client: ApiClient, group: Any
) -> None:
    response = scan(user_client, group.pk, b"\0" * 200_000)
    assert_error_shape(response, 413, "payload_too_large")


def test_the_wrong_field_is_422_naming_image(user_client: ApiClient, group: Any) -> None:
    response = scan(user_client, group.pk, receipt_image(), field="file")
    error = assert_error_shape(response, 422, "invalid")
    assert "image" in error["details"]["fields"]


def test_an_unknown_currency_is_422(user_client: ApiClient, group: Any) -> None:
    upload = SimpleUploadedFile("r.png", b"x", content_type="image/png")
    raw = user_client.client.post(
        f"/api/groups/{group.pk}/receipts/scan?currency=XXX",
        data={"image": upload},
        headers={"X-CSRFToken": user_client.csrf()},
    )
    assert_error_shape(Response(raw), 422, "invalid")


def test_non_members_get_404_with_a_good_or_a_bad_upload(
    group: Any, outsider_client: ApiClient
) -> None:
    assert_error_shape(scan(outsider_client, group.pk, receipt_image()), 404, "group_not_found")
    response = scan(outsider_client, group.pk, b"junk", field="file")
    assert_error_shape(response, 404, "group_not_found")
    assert_error_shape(scan(outsider_client, 987654, b"junk"), 404, "group_not_found")


def test_anonymous_is_401(api: ApiClient, group: Any) -> None:
    assert_error_shape(scan(api, group.pk, b"junk"), 401)


@override_settings(RECEIPT_SCANS_PER_HOUR=2)
def test_scans_are_throttled_per_user(user_client: ApiClient, group: Any, make_client: Any) -> None:
    for _ in range(2):
        assert scan(user_client, group.pk, b"junk").status == 415
    response = scan(user_client, group.pk, b"junk")
    error = assert_error_shape(response, 429, "throttled")
    assert int(response.headers["Retry-After"]) >= 1
    assert error["details"]["retry_after"] >= 1
    # Another member of the same group has a budget of their own.
    other = make_user()
    group.members.create(user=other, name="Budi")
    assert scan(make_client(other), group.pk, b"junk").status == 415


def test_when_every_scanner_is_busy_it_is_503_with_retry_after(
    user_client: ApiClient, group: Any
) -> None:
    from django.conf import settings

    taken = 0
    while scanner._slots.acquire(blocking=False):
        taken += 1
    try:
        assert taken == settings.RECEIPT_SCAN_CONCURRENCY
        response = scan(user_client, group.pk, receipt_image())
        assert_error_shape(response, 503, "scanner_busy")
        assert response.headers["Retry-After"] == str(settings.RECEIPT_SCAN_RETRY_AFTER_SECONDS)
    finally:
        for _ in range(taken):
            scanner._slots.release()
    assert scan(user_client, group.pk, receipt_image()).status == 200


def test_ocr_past_its_timeout_is_killed_and_422(
    user_client: ApiClient, group: Any, settings: Any
) -> None:
    # A 1 s budget for a receipt enlarged past what tesseract reads in one second here.
    settings.RECEIPT_OCR_TIMEOUT_SECONDS = 1
    big = Image.open(io.BytesIO(receipt_image(LINES * 6))).resize((1400, 7000))
    out = io.BytesIO()
    big.save(out, "PNG")
    response = scan(user_client, group.pk, out.getvalue())
    assert_error_shape(response, 422, "image_unreadable")


def test_query_count_is_constant(user_client: ApiClient, group: Any, queries: Any) -> None:
    image = receipt_image()
    user_client.csrf()
    with queries() as counted:
        assert scan(user_client, group.pk, image).status == 200
    # session, caller with membership, scan rate limit (the API rate limit is counted in memory).
    assert counted.count == 3, "\n".join(q["sql"][:90] for q in counted.captured_queries)


def test_an_image_larger_than_the_json_body_limit_is_accepted(
    user_client: ApiClient, group: Any
) -> None:
    from django.conf import settings

    # Trailing bytes after the PNG's end are ignored by decoders: a 3 MB upload of the receipt.
    data = receipt_image() + b"\0" * (3 * 1024 * 1024)
    assert len(data) > settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    response = scan(user_client, group.pk, data)
    assert response.status == 200, response
    assert response.json["total"] == "160545"
