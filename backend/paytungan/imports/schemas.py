from __future__ import annotations

import datetime as dt
from typing import Literal

from paytungan.common.schemas import OutSchema

FormatLiteral = Literal["splitwise", "ihatemoney", "spliit"]


class PreviewMemberOut(OutSchema):
    """A person in the file. `key` identifies them in the mapping (Splitwise: the column name,
    ihatemoney: the name, Spliit: the participant id). `used`: some bill or payment names them
    (only those are mapped or added). `suggested_member_id`: an active member of the group with
    the same name, the default mapping."""

    key: str
    name: str
    used: bool
    paid: str
    owed: str
    balance: str
    suggested_member_id: int | None


class PreviewLineOut(OutSchema):
    key: str
    amount: str


class PreviewBillOut(OutSchema):
    row: int
    date: dt.date
    title: str
    category: str
    total: str
    payers: list[PreviewLineOut]
    shares: list[PreviewLineOut]


class PreviewPaymentOut(OutSchema):
    row: int
    date: dt.date
    from_key: str
    to_key: str
    amount: str


class ImportPreviewOut(OutSchema):
    """What importing the file would create; nothing is saved. Amounts in the group's
    currency. `balance` per member is what the import adds to their balance."""

    format: FormatLiteral
    currency: str
    digest: str
    already_imported: bool
    members: list[PreviewMemberOut]
    bills: list[PreviewBillOut]
    payments: list[PreviewPaymentOut]


class ImportedMemberOut(OutSchema):
    key: str
    member_id: int
    created: bool  # a new guest added by this import


class ImportOut(OutSchema):
    id: int
    format: FormatLiteral
    digest: str
    bills: int
    payments: int
    members: list[ImportedMemberOut]
