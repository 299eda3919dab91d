import base64

import pytest

from paytungan.alerts import verify
from paytungan.alerts.tests.payloads import sign

BODY = b'{"action": "triggered"}'


def test_signature_is_hmac_sha256_of_the_raw_body():
    verify.check_sentry_signature(BODY, sign(BODY, "s1"), ["s1"])
    verify.check_sentry_signature(BODY, sign(BODY, "s1").upper(), ["s1"])
    verify.check_sentry_signature(BODY, sign(BODY, "s2"), ["s1", "s2"])


@pytest.mark.parametrize(
    "signature", [None, "", "abc", sign(BODY, "other"), sign(BODY + b" ", "s1")]
)
def test_wrong_signatures_are_rejected(signature):
    with pytest.raises(verify.Rejected) as raised:
        verify.check_sentry_signature(BODY, signature, ["s1"])
    assert raised.value.status == 401


@pytest.mark.parametrize("value", ["1000", "1300", "1000.5", " 1000 "])
def test_fresh_timestamps_pass(value):
    verify.check_timestamp(value, now=1000.0, max_age=300)


@pytest.mark.parametrize("value", [None, "", "soon", "nan", "inf", "699", "1301"])
def test_stale_future_or_missing_timestamps_fail(value):
    with pytest.raises(verify.Rejected):
        verify.check_timestamp(value, now=1000.0, max_age=300)


def test_token_compare():
    assert verify.token_matches("abc", "abc")
    assert not verify.token_matches("abd", "abc")
    assert not verify.token_matches(None, "abc")
    assert not verify.token_matches("", "")


def test_token_from_query_or_basic_auth():
    basic = "Basic " + base64.b64encode(b"user:tok").decode()
    assert verify.token_from_request("q", basic) == "q"
    assert verify.token_from_request(None, basic) == "tok"
    assert verify.token_from_request(None, "Basic !!!") is None
    assert verify.token_from_request(None, "Bearer tok") is None
