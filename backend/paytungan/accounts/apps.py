from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "paytungan.accounts"
    label = "accounts"
