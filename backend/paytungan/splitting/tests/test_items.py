import pytest

from paytungan.splitting import BillInput, ItemInput, PayerInput, SplitError, compute_bill


def itemized(*items: ItemInput, currency: str = "IDR", paid: str = "10000") -> BillInput:
    return BillInput(currency=currency, mode="itemized", payers=(PayerInput(1, paid),), items=items)


def field_errors(bad: BillInput) -> dict[str, list[str]]:
    with pytest.raises(SplitError) as caught:
        compute_bill(bad)
    return caught.value.fields


def test_at_least_one_item() -> None:
    assert field_errors(itemized()) == {"split.items": ["Add at least one item."]}


@pytest.mark.parametrize("quantity", [0, -1, 10_001, True, "2"])
def test_quantity_is_a_whole_number_from_1_to_10000(quantity: object) -> None:
    # Quantities of the wrong type on purpose; the runtime check is tested.
    errors = field_errors(itemized(ItemInput("Kopi", quantity, "10000", (1,))))  # type: ignore[arg-type]
    assert errors == {
        "split.items.0.quantity": [
            f"Quantity must be a whole number from 1 to 10000, got {quantity!r}."
        ]
    }


def test_bad_unit_price_names_the_item() -> None:
    errors = field_errors(
        itemized(ItemInput("Kopi", 1, "10000", (1,)), ItemInput("Teh", 1, "5.000,00", (1,)))
    )
    assert list(errors) == ["split.items.1.unit_price"]
    assert errors["split.items.1.unit_price"][0].startswith(
        'Unit price "5.000,00" must not contain'
    )


def test_line_total_over_the_maximum_is_refused() -> None:
    errors = field_errors(itemized(ItemInput("Emas", 10_000, "999999999", (1,))))
    assert errors == {
        "split.items.0.unit_price": [
            "Quantity x unit price is 9999999990000 IDR, more than the maximum of 999999999999 IDR."
        ]
    }


def test_item_three_without_members_names_its_member_ids() -> None:
    items = [ItemInput(f"Item {n}", 1, "2500", (1,)) for n in range(3)]
    items.append(ItemInput("Nobody's", 1, "2500", ()))
    errors = field_errors(itemized(*items))
    assert errors == {"split.items.3.member_ids": ["Choose at least one person who had this item."]}


def test_a_member_ticked_twice_on_an_item_is_refused() -> None:
    errors = field_errors(itemized(ItemInput("Kopi", 1, "10000", (1, 2, 1))))
    assert errors == {"split.items.0.member_ids": ["Member 1 is ticked more than once."]}


def test_member_ids_must_be_integers() -> None:
    # A None member id on purpose; the runtime check is tested.
    errors = field_errors(itemized(ItemInput("Kopi", 1, "10000", (1, None))))  # type: ignore[arg-type]
    assert errors == {"split.items.0.member_ids": ["Member id must be an integer, got None."]}
