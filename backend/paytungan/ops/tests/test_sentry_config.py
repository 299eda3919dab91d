import logging
import re
from typing import Any

import pytest

from paytungan.common.errors import NotFound
from paytungan.env import ConfigError
from paytungan.ops import sentry
from paytungan.ops.context import request_id_var, user_id_var
from paytungan.ops.reporting import report_unexpected


@pytest.fixture
def clean_env(monkeypatch):
    for name in (
        "SENTRY_DSN",
        "SENTRY_ENVIRONMENT",
        "SENTRY_RELEASE",
        "SENTRY_TRACES_SAMPLE_RATE",
        "GIT_COMMIT",
        "SOURCE_VERSION",
        "COMMIT_SHA",
        "VERCEL_GIT_COMMIT_SHA",
        "K_REVISION",
    ):
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


def options_on(*, debug: bool) -> dict[str, Any]:
    options = sentry.sentry_options(debug=debug)
    assert options is not None
    return options


def test_off_without_a_dsn(clean_env):
    assert sentry.sentry_options(debug=False) is None


def test_options_from_the_environment(clean_env):
    clean_env.setenv("SENTRY_DSN", "https://public@o1.ingest.sentry.io/2")
    clean_env.setenv("SENTRY_ENVIRONMENT", "staging")
    clean_env.setenv("SENTRY_RELEASE", "v1.2.3")
    clean_env.setenv("SENTRY_TRACES_SAMPLE_RATE", "0.25")
    options = options_on(debug=False)
    assert options["environment"] == "staging"
    assert options["release"] == "v1.2.3"
    assert options["traces_sample_rate"] == 0.25
    assert options["send_default_pii"] is False


def test_defaults_tracing_off_and_environment_by_debug(clean_env):
    clean_env.setenv("SENTRY_DSN", "https://public@o1.ingest.sentry.io/2")
    assert options_on(debug=False)["traces_sample_rate"] == 0.0
    assert options_on(debug=False)["environment"] == "production"
    assert options_on(debug=True)["environment"] == "development"


@pytest.mark.parametrize("rate", ["1.5", "-0.1", "often", "nan"])
def test_bad_sample_rate_is_a_config_error(clean_env, rate):
    clean_env.setenv("SENTRY_TRACES_SAMPLE_RATE", rate)
    with pytest.raises(ConfigError, match="SENTRY_TRACES_SAMPLE_RATE"):
        sentry.sentry_options(debug=False)


def test_bad_dsn_is_a_config_error(clean_env):
    clean_env.setenv("SENTRY_DSN", "not a dsn")
    with pytest.raises(ConfigError, match="SENTRY_DSN"):
        sentry.sentry_options(debug=False)


def test_release_is_the_commit_from_the_build_or_git(clean_env):
    clean_env.setenv("GIT_COMMIT", "abc1234")
    assert sentry.detect_release() == "abc1234"
    clean_env.delenv("GIT_COMMIT")
    release = sentry.detect_release()
    assert re.fullmatch(r"[0-9a-f]{40}", release) or release == "unknown"


def test_release_falls_back_to_the_revision_then_unknown(clean_env, monkeypatch):
    monkeypatch.setattr(sentry.shutil, "which", lambda name: None)
    assert sentry.detect_release() == "unknown"
    clean_env.setenv("K_REVISION", "paytungan-api-00042-abc")
    assert sentry.detect_release() == "paytungan-api-00042-abc"


def test_before_send_drops_handled_api_errors():
    assert sentry.before_send({}, {"exc_info": (NotFound, NotFound("x"), None)}) is None


def test_before_send_tags_the_request_id_and_keeps_only_an_opaque_user_id():
    rid, uid = request_id_var.set("req-42"), user_id_var.set(7)
    try:
        event = sentry.before_send(
            {"user": {"email": "a@b.co", "id": "7"}, "tags": {}}, {"exc_info": None}
        )
    finally:
        request_id_var.reset(rid)
        user_id_var.reset(uid)
    assert event is not None
    assert event["tags"]["request_id"] == "req-42"
    assert event["user"] == {"id": "7"}


def test_before_send_drops_the_log_twin_of_a_reported_error():
    record = logging.LogRecord("paytungan.errors", logging.ERROR, "", 0, "x", None, None)
    record.reported_to_sentry = True
    assert sentry.before_send({}, {"log_record": record}) is None


def test_report_unexpected_logs_context_but_not_secrets(caplog):
    with caplog.at_level(logging.ERROR, logger="paytungan.errors"):
        event_id = report_unexpected(
            ConnectionError("down"), what="provider failed", group_id=7, api_token="x-secret"
        )
    assert event_id is None  # Sentry is off in tests
    [record] = caplog.records
    assert record.group_id == 7
    assert not hasattr(record, "api_token")
    assert record.reported_to_sentry is False
