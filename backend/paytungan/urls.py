from django.contrib import admin
from django.urls import include, path

from paytungan.api import api
from paytungan.ops.metrics.view import metrics

urlpatterns = [
    path("api/", api.urls),
    path("admin/", admin.site.urls),
    path("metrics", metrics, name="metrics"),  # Prometheus (ops/metrics/view.py)
    # The alert relay; also served alone by the relay service (relay_urls.py).
    path("", include("paytungan.alerts.urls")),
]
