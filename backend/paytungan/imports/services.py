"""Import a parsed export into a group: one transaction, through imports.adapter.

`import_preview` reads (nothing saved); `import_run` writes. The write takes the group lock
first (groups.locks), refuses a file already imported into the group (by SHA-256, 409), maps
every person in the file to an existing member or a new guest, creates the bills and payments
in the file's order of dates (computed by the bills' own code, written in bulk), then checks
that each member's balance moved by exactly what the file says and records the import. Any
error rolls the whole import back.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError
from django.db.models.functions import Lower
from django.utils.translation import gettext as _

from paytungan.accounts.models import User
from paytungan.bills.inputs import BillData
from paytungan.common.errors import Conflict, Invalid
from paytungan.groups.activity import activity_record
from paytungan.groups.locks import lock_group, write_transaction
from paytungan.groups.models import Group, Member
from paytungan.imports import adapter
from paytungan.imports.core import ImportFileError, ParsedImport, SourceBill, SourcePayment
from paytungan.imports.models import ImportRecord
from paytungan.imports.parsers import parse_file
from paytungan.money import to_decimal_string
from paytungan.splitting import MemberValueInput, PayerInput


def digest_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def file_error(exc: ImportFileError) -> Invalid:
    details: dict[str, Any] = {}
    if exc.row is not None:
        details["row"] = exc.row
    if exc.column is not None:
        details["column"] = exc.column
    error = Invalid(exc.message, fields={"file": [exc.message]}, code="import_invalid")
    error.details.update(details)
    return error


def parse_for_group(*, group: Group, fmt: str, data: bytes) -> ParsedImport:
    """Parse and check the file against the group (422 naming the row when it can't be)."""
    try:
        parsed = parse_file(fmt=fmt, data=data, default_currency=group.currency)
    except ImportFileError as exc:
        raise file_error(exc) from None
    if parsed.currency is not None and parsed.currency != group.currency:
        raise Invalid(
            _(
                "The file is in {currency} but this group uses {group_currency}: import it "
                "into a group in {currency}."
            ).format(currency=parsed.currency, group_currency=group.currency),
            code="currency_mismatch",
            fields={
                "file": [
                    _("The file is in {currency}, the group in {group_currency}.").format(
                        currency=parsed.currency, group_currency=group.currency
                    )
                ]
            },
        )
    return parsed


def used_keys(parsed: ParsedImport) -> list[str]:
    """The people the bills and payments name, in the file's member order."""
    used: set[str] = set()
    for bill in parsed.bills:
        used.update(bill.payers, bill.shares)
    for payment in parsed.payments:
        used.update((payment.from_key, payment.to_key))
    return [m.key for m in parsed.members if m.key in used]


def suggestions(*, group: Group, parsed: ParsedImport) -> dict[str, int | None]:
    """Existing active members whose name matches a person in the file (case-insensitive)."""
    by_name = {
        lname: pk
        for pk, lname in Member.objects.filter(group=group, is_active=True)
        .annotate(lname=Lower("name"))
        .values_list("pk", "lname")
    }
    return {m.key: by_name.get(m.name.lower()) for m in parsed.members}


def import_preview(*, me: Member, fmt: str, data: bytes) -> dict[str, Any]:
    group = me.group
    parsed = parse_for_group(group=group, fmt=fmt, data=data)
    digest = digest_of(data)
    currency = group.currency
    used = set(used_keys(parsed))
    balances = parsed.balances()
    paid: dict[str, int] = dict.fromkeys(balances, 0)
    owed: dict[str, int] = dict.fromkeys(balances, 0)
    for bill in parsed.bills:
        for k, v in bill.payers.items():
            paid[k] += v
        for k, v in bill.shares.items():
            owed[k] += v
    suggested = suggestions(group=group, parsed=parsed)

    def money(minor: int) -> str:
        return to_decimal_string(minor, currency)

    return {
        "format": parsed.format,
        "currency": currency,
        "digest": digest,
        "already_imported": ImportRecord.objects.filter(group=group, digest=digest).exists(),
        "members": [
            {
                "key": m.key,
                "name": m.name,
                "used": m.key in used,
                "paid": money(paid[m.key]),
                "owed": money(owed[m.key]),
                "balance": money(balances[m.key]),
                "suggested_member_id": suggested[m.key],
            }
            for m in parsed.members
        ],
        "bills": [
            {
                "row": b.row,
                "date": b.date,
                "title": b.title,
                "category": b.category,
                "total": money(b.total),
                "payers": [{"key": k, "amount": money(v)} for k, v in b.payers.items()],
                "shares": [{"key": k, "amount": money(v)} for k, v in b.shares.items()],
            }
            for b in parsed.bills
        ],
        "payments": [
            {
                "row": p.row,
                "date": p.date,
                "from_key": p.from_key,
                "to_key": p.to_key,
                "amount": money(p.amount),
            }
            for p in parsed.payments
        ],
    }


@dataclass
class ImportResult:
    record: ImportRecord
    member_ids: dict[str, int]  # file key -> member id
    created_guests: list[Member]


def _resolve_mapping(
    *, me: Member, parsed: ParsedImport, mapping: dict[str, int | None]
) -> tuple[dict[str, int], list[Member], dict[int, Member]]:
    group_id = me.group_id
    keys = used_keys(parsed)
    names = {m.key: m.name for m in parsed.members}
    unknown = sorted(set(mapping) - set(names))
    if unknown:
        raise Invalid(
            _("The mapping names people who are not in the file."),
            fields={f"mapping.{k}": [_("Not a person in the file.")] for k in unknown},
        )
    # A person the mapping leaves out goes to the active member with their name, if exactly one
    # person has that name; else (or mapped to null) they are added as a new guest.
    suggested = suggestions(group=me.group, parsed=parsed)
    counts: dict[int, int] = {}
    for k in keys:
        guess = suggested[k]
        if guess is not None:
            counts[guess] = counts.get(guess, 0) + 1
    mapping = dict(mapping)
    for k in keys:
        if k not in mapping:
            mid = suggested[k]
            taken = mid is not None and (counts[mid] > 1 or mid in mapping.values())
            mapping[k] = None if taken else mid
    wanted = {mid for k in keys if (mid := mapping.get(k)) is not None}
    existing = {
        m.pk: m for m in Member.objects.filter(group_id=group_id, pk__in=wanted, is_active=True)
    }
    fields: dict[str, list[str]] = {}
    seen: dict[int, str] = {}
    for k in keys:
        mid = mapping.get(k)
        if mid is None:
            continue
        if mid not in existing:
            fields[f"mapping.{k}"] = [
                _("Member {member_id} is not an active member of this group.").format(member_id=mid)
            ]
        elif mid in seen:
            fields[f"mapping.{k}"] = [
                _("{name} is already mapped to this member; map each person once.").format(
                    name=names[seen[mid]]
                )
            ]
        else:
            seen[mid] = k
    if fields:
        raise Invalid(_("The member mapping is invalid."), fields=fields)
    ids: dict[str, int] = {}
    guests: list[Member] = []
    for k in keys:
        mid = mapping.get(k)
        if mid is not None:
            ids[k] = mid
            continue
        try:
            guest = adapter.add_guest(me=me, name=names[k])
        except Invalid as exc:
            message = exc.message
            raise Invalid(
                _("Can't add {name} as a new guest: {reason} Map them to a member instead.").format(
                    name=names[k], reason=message
                ),
                fields={f"mapping.{k}": [message]},
                code=exc.code,
            ) from None
        guests.append(guest)
        existing[guest.pk] = guest
        ids[k] = guest.pk
    return ids, guests, existing


@write_transaction
def import_run(
    *, me: Member, user: User, fmt: str, data: bytes, mapping: dict[str, int | None]
) -> ImportResult:
    group = lock_group(group_id=me.group_id)
    me.group = group
    digest = digest_of(data)
    if ImportRecord.objects.filter(group=group, digest=digest).exists():
        raise Conflict(
            _("This file was already imported into this group."), code="already_imported"
        )
    parsed = parse_for_group(group=group, fmt=fmt, data=data)
    ids, guests, __ = _resolve_mapping(me=me, parsed=parsed, mapping=mapping)
    touched = sorted(set(ids.values()))
    before = {
        pk: paid - owed
        for pk, paid, owed in Member.objects.filter(pk__in=touched).values_list(
            "pk", "paid", "owed"
        )
    }

    currency = group.currency
    bill_rows = [(b.row, _bill_in(b, ids, currency)) for b in sorted(parsed.bills, key=_when)]
    payment_rows = [
        adapter.SettledPayment(
            row=p.row,
            from_member_id=ids[p.from_key],
            to_member_id=ids[p.to_key],
            amount=p.amount,
            note=p.note,
        )
        for p in sorted(parsed.payments, key=_when)
    ]
    deltas = [
        adapter.persist_computed_bills(me=me, user=user, group=group, bills=bill_rows),
        adapter.persist_settled_payments(me=me, group=group, payments=payment_rows),
    ]
    adapter.apply_balances(group=group, deltas=deltas, active=set(ids.values()))
    bills, payments = len(bill_rows), len(payment_rows)

    expected: dict[int, int] = {}
    for key, balance in parsed.balances().items():
        if key in ids:
            expected[ids[key]] = expected.get(ids[key], 0) + balance
    after = Member.objects.filter(pk__in=touched).values_list("pk", "paid", "owed")
    for pk, paid, owed in after:
        moved = paid - owed - before[pk]
        if moved != expected.get(pk, 0):  # pragma: no cover - a bug, never the file's fault
            raise RuntimeError(f"import moved member {pk} by {moved}, not {expected.get(pk)}")

    try:
        record = ImportRecord.objects.create(
            group=group, digest=digest, format=fmt, bills=bills, payments=payments, created_by=user
        )
    except IntegrityError:  # pragma: no cover - the group lock orders importers
        raise Conflict(
            _("This file was already imported into this group."), code="already_imported"
        ) from None
    activity_record(
        by=me,
        verb="import.completed",
        target_type="group",
        target_id=group.pk,
        summary=(
            f"{me.name} imported {bills} bills and {payments} payments from {fmt}"
            + (f", adding {len(guests)} guests" if guests else "")
        ),
        changes={"format": fmt, "digest": digest, "bills": bills, "payments": payments},
    )
    return ImportResult(record=record, member_ids=ids, created_guests=guests)


def _when(event: SourceBill | SourcePayment) -> tuple[Any, int]:
    return (event.date, event.row)


def _bill_in(bill: SourceBill, ids: dict[str, int], currency: str) -> BillData:
    """The bill as the bill services take it. The parser guarantees the title (cleaned, at most
    200 characters), a real date, a known category and no NUL; every amount and member is still
    checked by the bill computation (draft_bill), as for any bill."""
    return BillData(
        title=bill.title,
        date=bill.date,
        category=bill.category,  # one of core.CATEGORIES
        notes=bill.notes[:2000],
        payers=tuple(
            PayerInput(ids[k], to_decimal_string(v, currency)) for k, v in bill.payers.items()
        ),
        mode="exact",
        members=tuple(
            MemberValueInput(ids[k], to_decimal_string(v, currency)) for k, v in bill.shares.items()
        ),
        total=to_decimal_string(bill.total, currency),
    )
