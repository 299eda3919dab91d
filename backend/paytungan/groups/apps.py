from django.apps import AppConfig


class GroupsConfig(AppConfig):
    name = "paytungan.groups"
    label = "groups"

    def ready(self) -> None:
        from paytungan.accounts.exporters import register
        from paytungan.groups.exporters import export_memberships

        register("groups", export_memberships)
