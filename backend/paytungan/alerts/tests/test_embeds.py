"""Every Discord limit holds whatever the alert contains, and truncation is visible."""

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from paytungan.alerts import embeds, limits
from paytungan.alerts.normalized import NormalizedAlert
from paytungan.alerts.tests.discord_stub import limit_violations

T0 = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)


def alert(**kw):
    base = {
        "source": "sentry",
        "kind": "event_alert.triggered",
        "project": "backend",
        "issue_key": "sentry:backend:1",
        "foldable": True,
        "title": "ZeroDivisionError: division by zero",
        "level": "error",
        "release": "3f2a9c1",
        "environment": "production",
        "request_id": "req-1",
        "url": "https://sentry.io/organizations/x/issues/1/",
    }
    return NormalizedAlert(**{**base, **kw})


def embed(a, count=1, span=0, plain=False):
    return embeds.build_embed(
        a, count=count, first_seen=T0, last_seen=T0 + timedelta(seconds=span), plain=plain
    )


def test_embed_has_what_an_on_call_person_needs():
    e = embed(
        alert(culprit="bills.services in bill_create", event_count="1523"), count=37, span=300
    )
    fields = {f["name"]: f["value"] for f in e["fields"]}
    assert e["title"] == "[backend] ZeroDivisionError: division by zero"
    assert e["url"] == "https://sentry.io/organizations/x/issues/1/"
    assert e["color"] == embeds.COLOURS["error"]
    assert fields["Environment"] == "production"
    assert fields["Release"] == "3f2a9c1"
    assert fields["Request ID"] == "`req-1`"
    assert fields["Events"] == "x37 in 5 min · 1523 in Sentry"
    assert fields["Culprit"] == "bills.services in bill_create"
    assert e["footer"]["text"] == "sentry · backend"


def test_huge_texts_are_truncated_with_a_marker():
    e = embed(
        alert(
            title="T" * 10_000,
            description="D" * 100_000,
            culprit="C" * 5_000,
            release="R" * 3_000,
            details=[(f"name {i} " + "N" * 300, "V" * 2_000) for i in range(40)],
        )
    )
    assert limit_violations({"embeds": [e]}) == []
    assert e["title"].endswith(limits.MARKER)
    assert limits.ulen(e["title"]) == limits.TITLE
    assert e["description"].endswith(limits.MARKER)
    assert len(e["fields"]) <= limits.FIELDS
    assert limits.embed_size(e) <= limits.EMBED_TOTAL


def test_emoji_are_counted_as_discord_counts_them_and_never_split():
    e = embed(alert(title="🔥" * 300))
    assert limits.ulen(e["title"]) <= limits.TITLE
    assert "\ud83d" not in e["title"]  # no half of a surrogate pair
    assert e["title"].encode("utf-16-le").decode("utf-16-le") == e["title"]


def test_a_non_http_link_is_dropped_rather_than_refused():
    assert "url" not in embed(alert(url=""))


def test_plain_fallback_is_minimal():
    e = embed(alert(description="D" * 500), count=3, span=90, plain=True)
    assert set(e) == {"title", "color", "timestamp", "url", "description"}
    assert e["description"] == "x3 in 2 min"


def test_pack_makes_at_most_ten_embeds_and_6000_characters_a_message():
    small = [(i, embed(alert(title=f"issue {i}"))) for i in range(25)]
    assert [len(keys) for keys, _ in embeds.pack(small)] == [10, 10, 5]
    big = [(i, embed(alert(title="T" * 300, description="D" * 5_000))) for i in range(5)]
    messages = embeds.pack(big)
    assert len(messages) == 5  # each embed is near 4400 characters: one a message
    for _keys, message_embeds in messages:
        assert limit_violations(embeds.message(message_embeds)) == []
    assert [k for keys, _ in messages for k in keys] == list(range(5))  # order kept


def test_message_never_pings_anyone_and_content_is_capped():
    body = embeds.message([embed(alert(title="@everyone look"))], content="x" * 5000)
    assert body["allowed_mentions"] == {"parse": []}
    assert limits.ulen(body["content"]) == limits.CONTENT


@pytest.mark.parametrize(
    ("seconds", "text"), [(0, "1 s"), (45, "45 s"), (300, "5 min"), (7200, "2 h")]
)
def test_span_text(seconds, text):
    assert embeds.span_text(seconds) == text


@given(
    title=st.text(max_size=600),
    description=st.text(max_size=9000),
    culprit=st.text(max_size=2000),
    details=st.lists(st.tuples(st.text(max_size=400), st.text(max_size=1500)), max_size=30),
    count=st.integers(min_value=1, max_value=10**6),
)
def test_any_alert_fits_every_limit(title, description, culprit, details, count):
    items = [
        (
            i,
            embed(
                alert(title=title, description=description, culprit=culprit, details=details),
                count=count,
            ),
        )
        for i in range(12)
    ]
    for _, message_embeds in embeds.pack(items):
        assert limit_violations(embeds.message(message_embeds)) == []
