"""The baseline of `make bench`'s throughput run: Django itself, one JsonResponse view, no
database, no middleware. Served by the same gunicorn command as the API
(gunicorn bare_django:application --chdir scripts/bench). Not part of the deployed package."""

from __future__ import annotations

import django
from django.conf import settings
from django.core.wsgi import get_wsgi_application
from django.http import HttpRequest, JsonResponse
from django.urls import path

settings.configure(
    DEBUG=False,
    SECRET_KEY="bench-only-" + "x" * 50,  # a benchmark: nothing to keep secret
    ALLOWED_HOSTS=["127.0.0.1", "localhost"],
    ROOT_URLCONF=__name__,
    MIDDLEWARE=[],
    INSTALLED_APPS=[],
    USE_TZ=True,
)


def groups(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"items": [{"id": 1, "name": "Trip", "currency": "IDR"}]})


urlpatterns = [path("api/groups", groups)]

django.setup()
application = get_wsgi_application()
