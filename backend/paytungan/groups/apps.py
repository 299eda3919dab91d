from django.apps import AppConfig


class GroupsConfig(AppConfig):
    name = "paytungan.groups"
    label = "groups"
