from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from paytungan.groups.models import Group


class ImportRecord(models.Model):
    """A file imported into a group, by its SHA-256: the same file is imported once per group
    (a second attempt is a 409), enforced by the unique constraint under the group lock."""

    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="+")
    digest = models.CharField(max_length=64)
    format = models.CharField(max_length=20)
    bills = models.PositiveIntegerField(default=0)
    payments = models.PositiveIntegerField(default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["group", "digest"], name="import_once_per_group"),
        ]

    def __str__(self) -> str:
        return f"{self.format} import into {self.group_id}"
