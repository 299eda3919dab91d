from django.apps import AppConfig


class BillsConfig(AppConfig):
    name = "paytungan.bills"
    label = "bills"
