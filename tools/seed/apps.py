from django.apps import AppConfig


class SeedConfig(AppConfig):
    name = "tools.seed"
    label = "seed"
    verbose_name = "Seed data (demo, bench, capacity): not deployed"
