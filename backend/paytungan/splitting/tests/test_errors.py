import pytest

from paytungan.splitting import SplitError
from paytungan.splitting.errors import FieldErrors


def test_split_error_carries_fields_code_and_message() -> None:
    error = SplitError({"total": ["Total is empty."], "payers.0.amount": ["A.", "B."]})
    assert error.code == "invalid_split"
    assert error.fields == {"total": ["Total is empty."], "payers.0.amount": ["A.", "B."]}
    assert str(error) == "total: Total is empty.; payers.0.amount: A. B."


def test_field_errors_collect_and_raise_once() -> None:
    errors = FieldErrors()
    errors.raise_if_any()  # nothing yet
    errors.add("total", "One.")
    errors.add("total", "Two.")
    assert errors
    with pytest.raises(SplitError) as caught:
        errors.raise_if_any()
    assert caught.value.fields == {"total": ["One.", "Two."]}
