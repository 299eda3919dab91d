from __future__ import annotations

from django.db import models


class UsageDay(models.Model):
    """Traffic of one route ("GET /api/groups/{gid}/bills") on one day (the app's time zone).
    Rows are only ever incremented by upserts from store.write()."""

    day = models.DateField()
    route = models.CharField(max_length=200)
    requests = models.BigIntegerField(default=0)
    errors = models.BigIntegerField(default=0)  # responses with a 5xx status
    bytes_in = models.BigIntegerField(default=0)
    bytes_out = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = "usage per route and day"
        verbose_name_plural = "usage per route and day"
        constraints = [
            models.UniqueConstraint(fields=["day", "route"], name="usage_day_route"),
            models.CheckConstraint(
                condition=models.Q(
                    requests__gte=0, errors__gte=0, bytes_in__gte=0, bytes_out__gte=0
                ),
                name="usage_day_counts",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.route}: {self.requests}"


class UsageUser(models.Model):
    """One row per user active on a day: the exact distinct count is COUNT(*) per day.
    A plain id, not a foreign key: a user deleted before the flush must not fail the batch, and
    the daily count should survive the account."""

    day = models.DateField()
    user_id = models.BigIntegerField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["day", "user_id"], name="usage_user_day")]

    def __str__(self) -> str:
        return f"{self.day} user {self.user_id}"
