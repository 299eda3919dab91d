"""Messages the pure core shows to people, in English, translatable later.

The core has no Django, so it cannot translate; it must not decide the language either (a
message is raised deep in a computation, the request's language is known at the edge). A `Text`
is the English message as a plain `str` (tests and logs read it as is) that also keeps its
template and parameters, so the API translates it with Django's gettext when it answers
(paytungan.common.i18n.localize).

Modules import it as `_` (`from paytungan.money.text import Text as _`): `_` is a keyword
xgettext extracts, so `makemessages` finds every template of the core with the API's own.
Templates use `{name}` placeholders (python-brace-format); a parameter may itself be a Text
(a field label) and is translated too.
"""

from __future__ import annotations


class Text(str):
    template: str
    params: dict[str, object]

    def __new__(cls, template: str, /, **params: object) -> Text:
        self = super().__new__(cls, template.format(**params) if params else template)
        self.template = template
        self.params = params
        return self

    def __reduce__(self) -> tuple[object, ...]:  # picklable (xdist, caches) with its template
        return (_rebuild, (self.template, self.params))


def _rebuild(template: str, params: dict[str, object]) -> Text:
    return Text(template, **params)
