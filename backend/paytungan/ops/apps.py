from django.apps import AppConfig


class OpsConfig(AppConfig):
    name = "paytungan.ops"
    label = "ops"
