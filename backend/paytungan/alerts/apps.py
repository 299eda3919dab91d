from django.apps import AppConfig


class AlertsConfig(AppConfig):
    name = "paytungan.alerts"
    label = "alerts"
    verbose_name = "Alert relay (Sentry and uptime -> Discord)"
