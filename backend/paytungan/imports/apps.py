from django.apps import AppConfig


class ImportsConfig(AppConfig):
    name = "paytungan.imports"
    label = "imports"
