"""What the emails say, in the user's profile locale (Indonesian first). Plain Python, like
the password-reset email in accounts/services.py: the catalogue is small and typed."""

from __future__ import annotations

import datetime
from typing import Final

TEXTS: Final[dict[str, dict[str, str]]] = {
    "id": {
        "greeting": "Halo {name},",
        "pending.subject": "{payer} menunggu konfirmasi pembayaran {amount}",
        "pending.line": (
            "{payer} mencatat pembayaran {amount} kepada Anda di grup {group} pada {date}. "
            "Pembayaran ini belum Anda konfirmasi."
        ),
        "pending.hint": "Konfirmasi jika uangnya sudah Anda terima, atau tolak jika belum.",
        "pending.action": "Lihat pembayaran",
        "balance.subject": "Anda masih berutang {amount} di {group}",
        "balance.subject_one": "Anda masih berutang {amount} kepada {creditor} di {group}",
        "balance.line": "Sudah {days} hari Anda berutang {amount} di grup {group}.",
        "balance.pay": "Untuk melunasi, bayar:",
        "balance.pay_line": "{creditor}: {amount}",
        "balance.hint": "Lunasi lewat halaman Lunasi di grup, lalu catat pembayarannya.",
        "balance.action": "Buka grup",
        "digest.subject": "Ringkasan mingguan Paytungan: {start} - {end}",
        "digest.intro": "Ini yang terjadi di grup Anda pada {start} - {end}.",
        "digest.group": "{group}",
        "digest.bills": "{count} tagihan baru, total {amount}",
        "digest.payments": "{count} pembayaran",
        "digest.owed_to_you": "Grup berutang {amount} kepada Anda",
        "digest.you_owe": "Anda berutang {amount}",
        "digest.you_owe_to": "Anda berutang {amount} kepada {creditors}",
        "digest.settled": "Saldo Anda lunas",
        "digest.action": "Buka Paytungan",
        "footer": "Anda menerima email ini karena pengaturan notifikasi di profil Paytungan Anda.",
        "unsubscribe": "Berhenti menerima email jenis ini",
        "kind.pending_payment": "pengingat pembayaran yang menunggu konfirmasi",
        "kind.balance": "pengingat utang",
        "kind.digest": "ringkasan mingguan",
    },
    "en": {
        "greeting": "Hi {name},",
        "pending.subject": "{payer} is waiting for you to confirm a payment of {amount}",
        "pending.line": (
            "{payer} recorded a payment of {amount} to you in {group} on {date}. "
            "You have not confirmed it yet."
        ),
        "pending.hint": "Confirm it if you received the money, or reject it if you didn't.",
        "pending.action": "See the payment",
        "balance.subject": "You still owe {amount} in {group}",
        "balance.subject_one": "You still owe {creditor} {amount} in {group}",
        "balance.line": "You have owed {amount} in {group} for {days} days.",
        "balance.pay": "To settle up, pay:",
        "balance.pay_line": "{creditor}: {amount}",
        "balance.hint": "Settle up from the group's Settle page, then record the payment.",
        "balance.action": "Open the group",
        "digest.subject": "Your weekly Paytungan digest: {start} - {end}",
        "digest.intro": "Here is what happened in your groups from {start} to {end}.",
        "digest.group": "{group}",
        "digest.bills": "{count} new bills, {amount} in all",
        "digest.payments": "{count} payments",
        "digest.owed_to_you": "The group owes you {amount}",
        "digest.you_owe": "You owe {amount}",
        "digest.you_owe_to": "You owe {amount} to {creditors}",
        "digest.settled": "You are settled up",
        "digest.action": "Open Paytungan",
        "footer": "You get this email because of the notification settings in your profile.",
        "unsubscribe": "Stop emails like this",
        "kind.pending_payment": "reminders of payments waiting for your confirmation",
        "kind.balance": "reminders of what you owe",
        "kind.digest": "the weekly digest",
    },
}


def language(locale: str | None) -> str:
    code = (locale or "id").replace("_", "-").split("-")[0].lower()
    return code if code in TEXTS else "id"


def text(locale: str | None, key: str, **values: object) -> str:
    return TEXTS[language(locale)][key].format(**values)


_MONTHS = {
    "id": ["Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des"],
    "en": ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"],
}


def format_date(locale: str | None, day: datetime.date) -> str:
    """ "5 Des 2026" / "5 Dec 2026": unambiguous in both languages."""
    return f"{day.day} {_MONTHS[language(locale)][day.month - 1]} {day.year}"
