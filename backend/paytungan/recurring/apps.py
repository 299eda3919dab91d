from django.apps import AppConfig


class RecurringConfig(AppConfig):
    name = "paytungan.recurring"
    label = "recurring"
