from django.apps import AppConfig


class AlertsConfig(AppConfig):
    name = "paytungan.alerts"
    label = "alerts"
    verbose_name = "Alert relay (Sentry and uptime -> Discord)"

    def ready(self) -> None:
        from paytungan.alerts import outbox
        from paytungan.alerts.kick import kick_delivery
        from paytungan.alerts.metrics import OutboxCollector
        from paytungan.ops.metrics.view import register_collector

        register_collector(OutboxCollector)
        outbox.on_stored(kick_delivery)
