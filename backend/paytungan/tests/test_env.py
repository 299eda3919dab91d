"""The environment readers behind settings.py."""

from __future__ import annotations

import pytest

from paytungan.env import (
    ConfigError,
    env_bool,
    env_int,
    env_list,
    env_parsed,
    env_required,
    env_str,
)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("1", True), ("true", True), (" YES ", True), ("on", True), ("0", False), ("off", False)],
)
def test_env_bool_reads_the_usual_spellings(monkeypatch, raw, expected):
    monkeypatch.setenv("FLAG", raw)
    assert env_bool("FLAG", not expected) is expected


def test_env_bool_empty_is_false_and_unset_is_the_default(monkeypatch):
    monkeypatch.delenv("FLAG", raising=False)
    assert env_bool("FLAG", True) is True
    monkeypatch.setenv("FLAG", "")
    assert env_bool("FLAG", True) is False


def test_env_bool_rejects_anything_else_naming_the_variable(monkeypatch):
    monkeypatch.setenv("FLAG", "maybe")
    with pytest.raises(ConfigError, match=r"^FLAG: .*'maybe'") as exc:
        env_bool("FLAG", False)
    assert exc.value.name == "FLAG"


def test_env_int_default_minimum_and_errors(monkeypatch):
    monkeypatch.delenv("N", raising=False)
    assert env_int("N", 5) == 5
    monkeypatch.setenv("N", "")
    assert env_int("N", 5) == 5
    monkeypatch.setenv("N", " 42 ")
    assert env_int("N", 5, minimum=1) == 42
    monkeypatch.setenv("N", "0")
    with pytest.raises(ConfigError, match=r"^N: must be at least 1, got 0$"):
        env_int("N", 5, minimum=1)
    monkeypatch.setenv("N", "4.5")
    with pytest.raises(ConfigError, match=r"^N: must be an integer"):
        env_int("N", 5)


def test_env_list_splits_on_commas_and_drops_blanks(monkeypatch):
    monkeypatch.delenv("L", raising=False)
    assert env_list("L", ["d"]) == ["d"]
    monkeypatch.setenv("L", " a, b ,,c ")
    assert env_list("L") == ["a", "b", "c"]
    monkeypatch.setenv("L", "")
    assert env_list("L", ["d"]) == []


def test_env_str_strips_and_env_required_refuses_blank(monkeypatch):
    monkeypatch.setenv("S", "  value ")
    assert env_str("S") == "value"
    monkeypatch.setenv("S", "   ")
    with pytest.raises(ConfigError, match=r"^S: is required when testing$"):
        env_required("S", "when testing")


def test_env_parsed_wraps_parse_errors(monkeypatch):
    monkeypatch.setenv("P", "x")
    with pytest.raises(ConfigError, match=r"^P: "):
        env_parsed("P", 1.0, float)
    monkeypatch.setenv("P", "2.5")
    assert env_parsed("P", 1.0, float) == 2.5
    monkeypatch.delenv("P")
    assert env_parsed("P", 1.0, float) == 1.0
