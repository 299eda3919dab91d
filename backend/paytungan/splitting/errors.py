"""SplitError: every problem with a bill, keyed by the dotted path of the offending JSON field."""

from collections.abc import Mapping


class SplitError(Exception):
    """Field errors for a bill body, e.g. {"payers.1.amount": ["Amount must not be negative."]}.

    Paths are relative to the bill JSON body ("total", "split.members.2.value"), so the API can
    return them as ``details.fields`` and a form can put each message next to its input.
    """

    code = "invalid_split"

    def __init__(self, fields: Mapping[str, list[str]]) -> None:
        self.fields: dict[str, list[str]] = {path: list(msgs) for path, msgs in fields.items()}
        self.message = "; ".join(f"{path}: {' '.join(msgs)}" for path, msgs in self.fields.items())
        super().__init__(self.message)


class FieldErrors:
    """Collects field errors so one response can report everything wrong with a bill."""

    def __init__(self) -> None:
        self._fields: dict[str, list[str]] = {}

    def add(self, path: str, message: str) -> None:
        self._fields.setdefault(path, []).append(message)

    def __bool__(self) -> bool:
        return bool(self._fields)

    def raise_if_any(self) -> None:
        if self._fields:
            raise SplitError(self._fields)
