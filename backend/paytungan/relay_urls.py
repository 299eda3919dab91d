"""URLs of the relay-only service: the webhooks, nothing of the API. The health probes
(/api/health/live, /api/health/ready) are answered by HealthCheckMiddleware before routing."""

from django.urls import include, path

urlpatterns = [path("", include("paytungan.alerts.urls"))]

# DEBUG off: an uncaught exception answers JSON in the error shape, not Django's HTML page.
handler500 = "paytungan.alerts.errors.server_error"
