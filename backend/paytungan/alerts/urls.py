from django.urls import path

from paytungan.alerts import views

urlpatterns = [
    path("hooks/sentry", views.sentry_hook, name="hooks-sentry"),
    path("hooks/uptime", views.uptime_hook, name="hooks-uptime"),
]
