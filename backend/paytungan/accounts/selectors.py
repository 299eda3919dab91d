"""Account reads."""

from __future__ import annotations

from typing import Any

from paytungan.accounts.models import User
from paytungan.accounts.tokens import token_list


def me_payload(*, user: User) -> dict[str, Any]:
    return {
        "id": user.pk,
        "email": user.email,
        "name": user.name,
        "username": user.username,
        "default_currency": user.default_currency,
        "locale": user.locale,
        "payout": {
            "method": user.payout_method,
            "account_name": user.payout_account_name,
            "account_number": user.payout_account_number,
            "share_with_groups": user.payout_share_with_groups,
        },
    }


def user_export(*, user: User) -> dict[str, Any]:
    """Everything we hold about the user. Apps that store more add their part in
    `paytungan.accounts.exporters` (groups, bills and payments register there)."""
    from paytungan.accounts.exporters import collect

    data: dict[str, Any] = {
        "format": "paytungan.me.v1",
        "profile": {**me_payload(user=user), "date_joined": user.date_joined.isoformat()},
        "tokens": [
            {
                "id": t.pk,
                "name": t.name,
                "prefix": t.prefix,
                "created_at": t.created_at.isoformat(),
                "last_used_at": t.last_used_at.isoformat() if t.last_used_at else None,
            }
            for t in token_list(user=user)
        ],
    }
    data.update(collect(user=user))
    return data
