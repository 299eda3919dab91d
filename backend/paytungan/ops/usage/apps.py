from django.apps import AppConfig


class UsageConfig(AppConfig):
    name = "paytungan.ops.usage"
    label = "usage"
    verbose_name = "Usage analytics"
