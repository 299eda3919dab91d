"""Rendering one email (subject, plain text, HTML) from what the job selected. Pure apart from
the templates: the selection decides who and when, this decides what it says."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from urllib.parse import quote

from django.conf import settings
from django.template.loader import render_to_string

from paytungan.money.format import format_display
from paytungan.notifications.texts import format_date, language, text
from paytungan.notifications.tokens import unsubscribe_token


@dataclass(frozen=True)
class Recipient:
    user_id: int
    email: str
    name: str
    locale: str


@dataclass(frozen=True)
class Rendered:
    subject: str
    body_text: str
    body_html: str
    unsubscribe_url: str  # the one-click POST target (List-Unsubscribe)


@dataclass
class DigestGroup:
    group_id: int
    name: str
    currency: str
    bill_count: int = 0
    bill_total: int = 0
    payment_count: int = 0
    balance: int = 0
    # Whom the user pays, and how much, when they owe (the group's settle-up plan).
    creditors: list[tuple[str, int]] = field(default_factory=list)


@dataclass
class Section:
    title: str
    lines: list[str] = field(default_factory=list)


def unsubscribe_page_url(*, user_id: int, kind: str) -> str:
    token = quote(unsubscribe_token(user_id=user_id, kind=kind), safe="")
    return f"{settings.FRONTEND_URL}/unsubscribe?token={token}"


def one_click_url(*, user_id: int, kind: str) -> str:
    token = quote(unsubscribe_token(user_id=user_id, kind=kind), safe="")
    return f"{settings.FRONTEND_URL}/api/notifications/unsubscribe?token={token}"


def _render(
    *,
    to: Recipient,
    kind: str,
    subject: str,
    lines: list[str],
    sections: list[Section],
    action_label: str,
    action_url: str,
) -> Rendered:
    loc = to.locale
    context = {
        "lang": language(loc),
        "subject": subject,
        "greeting": text(loc, "greeting", name=to.name or to.email),
        "lines": lines,
        "sections": sections,
        "action_label": action_label,
        "action_url": action_url,
        "footer": text(loc, "footer"),
        "unsubscribe_label": text(loc, "unsubscribe"),
        "unsubscribe_url": unsubscribe_page_url(user_id=to.user_id, kind=kind),
    }
    return Rendered(
        subject=subject,
        body_text=render_to_string("notifications/email.txt", context).strip() + "\n",
        body_html=render_to_string("notifications/email.html", context),
        unsubscribe_url=one_click_url(user_id=to.user_id, kind=kind),
    )


def pending_payment(
    *,
    to: Recipient,
    payer: str,
    amount: int,
    currency: str,
    group_id: int,
    group: str,
    recorded_on: datetime.date,
) -> Rendered:
    loc = to.locale
    money = format_display(amount, currency, language(loc))
    return _render(
        to=to,
        kind="pending_payment",
        subject=text(loc, "pending.subject", payer=payer, amount=money),
        lines=[
            text(
                loc,
                "pending.line",
                payer=payer,
                amount=money,
                group=group,
                date=format_date(loc, recorded_on),
            ),
            text(loc, "pending.hint"),
        ],
        sections=[],
        action_label=text(loc, "pending.action"),
        action_url=f"{settings.FRONTEND_URL}/groups/{group_id}",
    )


def balance_owed(
    *,
    to: Recipient,
    amount: int,
    currency: str,
    group_id: int,
    group: str,
    days: int,
    creditors: list[tuple[str, int]],
) -> Rendered:
    """`creditors`: whom to pay and how much (minor units), from the group's settle-up plan."""
    loc = to.locale
    lang = language(loc)
    money = format_display(amount, currency, lang)
    if len(creditors) == 1:
        subject = text(
            loc, "balance.subject_one", amount=money, creditor=creditors[0][0], group=group
        )
    else:
        subject = text(loc, "balance.subject", amount=money, group=group)
    pay = Section(
        title=text(loc, "balance.pay"),
        lines=[
            text(
                loc, "balance.pay_line", creditor=name, amount=format_display(owed, currency, lang)
            )
            for name, owed in creditors
        ],
    )
    return _render(
        to=to,
        kind="balance",
        subject=subject,
        lines=[
            text(loc, "balance.line", amount=money, group=group, days=days),
            text(loc, "balance.hint"),
        ],
        sections=[pay] if creditors else [],
        action_label=text(loc, "balance.action"),
        action_url=f"{settings.FRONTEND_URL}/groups/{group_id}",
    )


def digest(
    *, to: Recipient, start: datetime.date, end: datetime.date, groups: list[DigestGroup]
) -> Rendered:
    """`end` is the last day of the week (inclusive)."""
    loc = to.locale
    lang = language(loc)
    period = {"start": format_date(loc, start), "end": format_date(loc, end)}
    sections = []
    for g in groups:
        section = Section(title=text(loc, "digest.group", group=g.name))
        if g.bill_count:
            section.lines.append(
                text(
                    loc,
                    "digest.bills",
                    count=g.bill_count,
                    amount=format_display(g.bill_total, g.currency, lang),
                )
            )
        if g.payment_count:
            section.lines.append(text(loc, "digest.payments", count=g.payment_count))
        if g.balance > 0:
            amount = format_display(g.balance, g.currency, lang)
            section.lines.append(text(loc, "digest.owed_to_you", amount=amount))
        elif g.balance < 0:
            amount = format_display(-g.balance, g.currency, lang)
            if not g.creditors:
                section.lines.append(text(loc, "digest.you_owe", amount=amount))
            else:
                to_whom = (
                    g.creditors[0][0]
                    if len(g.creditors) == 1
                    else ", ".join(
                        f"{name} ({format_display(owed, g.currency, lang)})"
                        for name, owed in g.creditors
                    )
                )
                section.lines.append(
                    text(loc, "digest.you_owe_to", amount=amount, creditors=to_whom)
                )
        else:
            section.lines.append(text(loc, "digest.settled"))
        sections.append(section)
    return _render(
        to=to,
        kind="digest",
        subject=text(loc, "digest.subject", **period),
        lines=[text(loc, "digest.intro", **period)],
        sections=sections,
        action_label=text(loc, "digest.action"),
        action_url=f"{settings.FRONTEND_URL}/",
    )
