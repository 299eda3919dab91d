from django.apps import AppConfig


class GroupsConfig(AppConfig):
    name = "paytungan.groups"
    label = "groups"

    def ready(self) -> None:
        from paytungan.accounts.exporters import register
        from paytungan.accounts.tokens import register_scope
        from paytungan.groups.access import MembershipScope
        from paytungan.groups.exporters import export_memberships
        from paytungan.groups.invites import prune_expired_invites
        from paytungan.ops import prune

        register("groups", export_memberships)
        # The caller's query also loads their membership of the group in the URL (0009).
        register_scope(MembershipScope())
        prune.register("invites", prune_expired_invites)
