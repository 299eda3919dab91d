from __future__ import annotations

from typing import Any, ClassVar

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone


def normalize_email(email: str) -> str:
    """Emails are compared case-insensitively everywhere; we store them lower-cased."""
    return email.strip().lower()


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **extra: Any) -> User:
        user = self.model(email=normalize_email(email), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **extra: Any) -> User:
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self.create_user(email, password, **extra)

    def get_by_natural_key(self, username: str | None) -> User:
        return self.get(email=normalize_email(username or ""))


class Locale(models.TextChoices):
    ID = "id", "Bahasa Indonesia"
    EN = "en", "English"


class PayoutMethod(models.TextChoices):
    NONE = "", "None"
    BANK = "bank", "Bank transfer"
    EWALLET = "ewallet", "E-wallet"
    OTHER = "other", "Other"


class User(AbstractBaseUser, PermissionsMixin):
    email = models.EmailField(max_length=254, unique=True)
    name = models.CharField(max_length=100)
    # NULL, not "", for "no username": the unique constraint must allow many of them.
    username = models.CharField(max_length=30, null=True, blank=True)  # noqa: DJ001
    default_currency = models.CharField(max_length=3, default="IDR")
    locale = models.CharField(max_length=5, choices=Locale.choices, default=Locale.ID)
    payout_method = models.CharField(
        max_length=10, choices=PayoutMethod.choices, default=PayoutMethod.NONE, blank=True
    )
    payout_account_name = models.CharField(max_length=100, blank=True, default="")
    payout_account_number = models.CharField(max_length=64, blank=True, default="")
    payout_share_with_groups = models.BooleanField(default=False)
    is_staff = models.BooleanField(default=False)
    is_active = models.BooleanField(default=True)
    date_joined = models.DateTimeField(default=timezone.now)

    objects: ClassVar[UserManager] = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["name"]

    class Meta:
        constraints = [
            models.UniqueConstraint(Lower("username"), name="user_username_ci_unique"),
            # With `unique` on the column this makes emails unique case-insensitively.
            models.CheckConstraint(
                condition=models.Q(email=Lower("email")), name="user_email_lowercase"
            ),
            models.CheckConstraint(
                condition=models.Q(username__isnull=True)
                | models.Q(username__regex=r"^[a-z0-9_.]{3,30}$"),
                name="user_username_format",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} <{self.email}>"


class AccessToken(models.Model):
    """A personal access token. Only a SHA-256 of the secret is kept: the secret is random with
    256 bits of entropy, so a slow hash would add nothing but latency to every API call."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="access_tokens")
    name = models.CharField(max_length=100)
    prefix = models.CharField(max_length=12)
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["user", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"


class ThrottleCounter(models.Model):
    """Fixed-window counters shared by every app instance through the database."""

    key = models.CharField(max_length=200)
    window_start = models.BigIntegerField()
    count = models.IntegerField(default=0)
    expires_at = models.BigIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["key", "window_start"], name="throttle_key_window")
        ]
        indexes = [models.Index(fields=["expires_at"])]

    def __str__(self) -> str:
        return f"{self.key}@{self.window_start}={self.count}"
