"""URLs of the relay-only service: the webhooks, nothing of the API. The health probes
(/api/health/live, /api/health/ready) are answered by HealthCheckMiddleware before routing."""

from django.urls import include, path

urlpatterns = [path("", include("paytungan.alerts.urls"))]
