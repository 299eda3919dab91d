"""The language of API messages (docs/decisions/0018-api-messages-gettext.md).

Which language: LocaleMiddleware picks it for every request from the app's language cookie
(settings.LANGUAGE_COOKIE_NAME, the cookie the frontend writes) else Accept-Language; once a
request is authenticated, accounts.auth switches to the user's profile locale (the user row is
already loaded by then, so this costs no query).

What gets translated: messages written in Django code are marked with gettext and translated
when raised, in the request's language. Messages of the pure core are `Text`s (English, with
their template and parameters, paytungan.money.text): `localize` translates them where the API
answers (common.errors.error_body), with the same catalogues.
"""

from __future__ import annotations

from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext

from paytungan.money.text import Text


def localize(value: Any) -> Any:
    """`value` with every Text (and lazy translation) in it translated to the active language;
    lists, tuples and dicts are walked, anything else is returned as it is."""
    if isinstance(value, Text):
        template = gettext(value.template)
        if not value.params:
            return template
        return template.format(**{name: localize(v) for name, v in value.params.items()})
    if isinstance(value, Promise):
        return str(value)
    if isinstance(value, list | tuple):
        return [localize(v) for v in value]
    if isinstance(value, dict):
        return {k: localize(v) for k, v in value.items()}
    return value


# `makemessages` as `make messages` runs it (from backend/paytungan) and as the catalogue test
# runs it on a copy of the code: tests, test helpers and operators' commands are not extracted.
LOCALES = ("id", "en")
MAKEMESSAGES_OPTIONS: dict[str, Any] = {
    "locale": list(LOCALES),
    "no_obsolete": True,
    "add_location": "file",
    "ignore_patterns": ["tests", "testing.py", "management", "conftest.py"],
}


def makemessages_args() -> str:
    """The same options on a command line (for the Makefile)."""
    o = MAKEMESSAGES_OPTIONS
    args = [f"-l {locale}" for locale in o["locale"]] + ["--no-obsolete"]
    args += [f"--add-location {o['add_location']}"] + [f"-i {p}" for p in o["ignore_patterns"]]
    return " ".join(args)
