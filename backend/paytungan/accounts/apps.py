from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "paytungan.accounts"
    label = "accounts"

    def ready(self) -> None:
        from django.db.models.signals import post_save

        from paytungan.accounts import throttle, tokens
        from paytungan.accounts.models import User
        from paytungan.ops import prune

        post_save.connect(
            tokens.revoke_on_password_change, sender=User, dispatch_uid="tokens-follow-password"
        )

        prune.register("throttle_counters", lambda now: throttle.prune())
