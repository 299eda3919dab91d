from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "paytungan.accounts"
    label = "accounts"

    def ready(self) -> None:
        from paytungan.accounts import throttle
        from paytungan.ops import prune

        prune.register("throttle_counters", lambda now: throttle.prune())
