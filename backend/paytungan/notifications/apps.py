from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "paytungan.notifications"
    label = "notifications"
