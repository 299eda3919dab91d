"""The activity log: written by services inside the transaction that made the change."""

from __future__ import annotations

from typing import Any

from paytungan.accounts.models import User
from paytungan.groups.models import Activity, Group, Member


def activity_record(
    *,
    group: Group | int,
    actor: User | None,
    actor_member: Member | None,
    verb: str,
    target_type: str,
    target_id: int | None,
    summary: str,
    changes: dict[str, Any] | None = None,
) -> Activity:
    group_id = group if isinstance(group, int) else group.pk
    return Activity.objects.create(
        group_id=group_id,
        actor=actor,
        actor_member=actor_member,
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
