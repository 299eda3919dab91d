from django.apps import AppConfig


class ReceiptsConfig(AppConfig):
    name = "paytungan.receipts"
    label = "receipts"
