from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "paytungan.notifications"
    label = "notifications"

    def ready(self) -> None:
        from paytungan.notifications import outbox
        from paytungan.ops import prune

        # The email delivery log past its "never twice" horizon (outbox.prune).
        prune.register("notification_deliveries", lambda now: outbox.prune(now=now))
