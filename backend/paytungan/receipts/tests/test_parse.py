"""The receipt parser on receipt text as OCR gives it back (Indonesian and English)."""

from __future__ import annotations

from decimal import Decimal

from paytungan.receipts.parse import Item, amount_to_minor, parse_receipt


def kinds(receipt):
    return [(line.kind, line.text) for line in receipt.lines]


WARUNG = """WARUNG MAKAN SEDERHANA
Jl. Sudirman No. 12, Jakarta
Telp 021-5551234
12/11/2026 19:30   Kasir: Budi
Nasi Goreng Spesial
2 x 35.000      70.000
Es Teh Manis  3 @ 8.000  24.000
1 Sate Ayam 45.000
Kerupuk @5.000 5.000
Subtotal        144.000
Diskon 10%      -14.400
Service 5%        6.480
PB1 10%          13.608
Total           149.688
Tunai           150.000
Kembali             312
Terima kasih""".splitlines()


def test_indonesian_warung_receipt_items_charges_and_total():
    receipt = parse_receipt(WARUNG, currency="IDR")
    assert receipt.items == [
        Item("Nasi Goreng Spesial", 2, 35000),
        Item("Es Teh Manis", 3, 8000),
        Item("Sate Ayam", 1, 45000),
        Item("Kerupuk", 1, 5000),
    ]
    assert receipt.discount_percent == Decimal(10)
    assert receipt.service_percent == Decimal(5)
    assert receipt.tax_percent == Decimal(10)
    assert receipt.subtotal == 144000
    assert receipt.total == 149688
    assert receipt.computed_total == 149688
    assert receipt.warnings == []


def test_each_line_says_how_it_was_taken():
    receipt = parse_receipt(WARUNG, currency="IDR")
    taken = dict((text, kind) for kind, text in kinds(receipt))
    assert taken["Nasi Goreng Spesial"] == "item"
    assert taken["2 x 35.000      70.000"] == "item"
    assert taken["Subtotal        144.000"] == "subtotal"
    assert taken["PB1 10%          13.608"] == "charge"
    assert taken["Total           149.688"] == "total"
    for ignored in ("Tunai           150.000", "Kembali             312", "Telp 021-5551234"):
        assert taken[ignored] == "ignored"
    assert taken["12/11/2026 19:30   Kasir: Budi"] == "ignored"
    assert taken["Jl. Sudirman No. 12, Jakarta"] == "ignored"


def test_english_receipt_with_decimals_table_layout_and_grand_total():
    text = """THE COFFEE HOUSE
123 Orchard Road
Latte            2   4.50   9.00
Croissant        1   3.20   3.20
Soup of the day      6.75
Subtotal            18.95
Service Charge 10%   1.90
GST 9%               1.88
Grand Total         22.73
Cash                30.00
Change               7.27""".splitlines()
    receipt = parse_receipt(text, currency="SGD")
    assert receipt.items == [
        Item("Latte", 2, 450),
        Item("Croissant", 1, 320),
        Item("Soup of the day", 1, 675),
    ]
    assert receipt.service_percent == Decimal(10)
    assert receipt.tax_percent == Decimal(9)
    assert receipt.total == 2273
    assert receipt.warnings == []


def test_rp_prefix_comma_thousands_and_trailing_dash():
    text = [
        "Ayam Bakar        Rp 45,000",
        "2x Jus Alpukat    Rp 50,000",
        "Pajak 10%         Rp 9,500",
        "TOTAL             Rp 104.500,-",
    ]
    receipt = parse_receipt(text, currency="IDR")
    assert receipt.items == [Item("Ayam Bakar", 1, 45000), Item("Jus Alpukat", 2, 25000)]
    assert receipt.tax_percent == Decimal(10)
    assert receipt.total == 104500
    assert receipt.warnings == []


def test_grand_total_wins_over_total_and_tax_without_percent_becomes_a_percent():
    text = [
        "Mie Ayam  2 x 20.000  40.000",
        "Total  40.000",
        "Pajak  4.000",
        "Grand Total  44.000",
    ]
    receipt = parse_receipt(text, currency="IDR")
    # "Total" then charges: the grand total is the one that counts.
    assert receipt.total == 44000
    assert receipt.tax_percent == Decimal(10)
    assert receipt.computed_total == 44000


def test_total_mismatch_is_reported_with_both_numbers():
    text = ["Bakso 25.000", "Es Jeruk 10.000", "Total 40.000"]
    receipt = parse_receipt(text, currency="IDR")
    assert [w.code for w in receipt.warnings] == ["total_mismatch"]
    assert (receipt.warnings[0].read, receipt.warnings[0].computed) == (40000, 35000)


def test_discount_amount_and_tip():
    text = [
        "Burger            12.00",
        "Fries  2 @ 3.50    7.00",
        "Discount          -2.00",
        "Tip                3.00",
        "Total             20.00",
    ]
    receipt = parse_receipt(text, currency="USD")
    assert receipt.items == [Item("Burger", 1, 1200), Item("Fries", 2, 350)]
    assert receipt.discount == 200
    assert receipt.tip == 300
    assert receipt.total == 2000
    assert receipt.warnings == []


def test_payment_and_count_lines_and_footer_are_ignored():
    text = [
        "Kopi Susu 18.000",
        "Total Item: 1",
        "Total 18.000",
        "Debit BCA 18.000",
        "No. Struk 000123",
        "Instagram @kopikita",
    ]
    receipt = parse_receipt(text, currency="IDR")
    assert receipt.items == [Item("Kopi Susu", 1, 18000)]
    assert [kind for kind, _ in kinds(receipt)] == [
        "item",
        "ignored",
        "total",
        "ignored",
        "ignored",
        "ignored",
    ]


def test_ocr_letter_o_for_zero_inside_numbers():
    receipt = parse_receipt(["Teh Botol 1O.OOO", "Total 10.0O0"], currency="IDR")
    assert receipt.items == [Item("Teh Botol", 1, 10000)]
    assert receipt.total == 10000


def test_amounts_in_minor_units():
    assert amount_to_minor("35.000", "IDR") == 35000
    assert amount_to_minor("1.250.000", "IDR") == 1250000
    assert amount_to_minor("1,250,000", "IDR") == 1250000
    assert amount_to_minor("35.000,00", "IDR") == 35000
    assert amount_to_minor("12.50", "USD") == 1250
    assert amount_to_minor("1,234.56", "USD") == 123456
    assert amount_to_minor("1.234,56", "EUR") == 123456
    assert amount_to_minor("7", "USD") == 700


def test_empty_text_has_no_items_and_says_so():
    receipt = parse_receipt(["", "   "], currency="IDR")
    assert receipt.items == []
    assert {w.code for w in receipt.warnings} == {"no_items", "total_not_found"}


def test_garbled_labels_and_a_percent_read_as_8():
    text = [
        "Mie Goreng  2 x 20.000  40.000",
        "Pajax 108       4.000",
        "TCTAL          44.000",
        "Tanai          50.000",
        "Kemba!          6.000",
    ]
    receipt = parse_receipt(text, currency="IDR")
    assert receipt.items == [Item("Mie Goreng", 2, 20000)]
    assert receipt.tax_percent == Decimal(10)
    assert receipt.total == 44000
    assert [line.kind for line in receipt.lines] == [
        "item",
        "charge",
        "total",
        "ignored",
        "ignored",
    ]


def test_item_names_close_to_a_label_are_still_items():
    receipt = parse_receipt(["Tahu 5.000", "Kentang 12.000", "Total 17.000"], currency="IDR")
    assert receipt.items == [Item("Tahu", 1, 5000), Item("Kentang", 1, 12000)]
