"""SettleError: balances or debts that cannot be settled as given."""


class SettleError(Exception):
    code = "invalid_balances"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message
