from django.apps import AppConfig


class PaymentsConfig(AppConfig):
    name = "paytungan.payments"
    label = "payments"
