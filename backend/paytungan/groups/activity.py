"""The activity log: written by services inside the transaction that made the change."""

from __future__ import annotations

from typing import Any

from paytungan.groups.models import Activity, Member


def activity_record(
    *,
    by: Member,
    verb: str,
    target_type: str,
    target_id: int | None,
    summary: str,
    changes: dict[str, Any] | None = None,
) -> Activity:
    """Record what `by` (the caller's membership) did in its group."""
    row = activity_row(
        by=by,
        verb=verb,
        target_type=target_type,
        target_id=target_id,
        summary=summary,
        changes=changes,
    )
    row.save(force_insert=True)
    return row


def activity_row(
    *,
    by: Member,
    verb: str,
    target_type: str,
    target_id: int | None,
    summary: str,
    changes: dict[str, Any] | None = None,
) -> Activity:
    """The activity row, not saved: for a write that inserts it together with its other rows
    (common.sql)."""
    return Activity(
        group_id=by.group_id,
        # The acting member's user now; actor_member keeps the name if the account is deleted.
        actor_id=by.user_id,
        actor_member=by,
        verb=verb,
        target_type=target_type,
        target_id=target_id,
        summary=summary[:300],
        changes=changes or {},
    )


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, Any]:
    """{"field": {"from": old, "to": new}} for the fields that changed."""
    return {
        key: {"from": before.get(key), "to": after.get(key)}
        for key in sorted(set(before) | set(after))
        if before.get(key) != after.get(key)
    }
