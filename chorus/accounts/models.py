from __future__ import annotations

from typing import Any, ClassVar

from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.utils.translation import gettext_lazy as _


class ChorusUserManager(UserManager["User"]):
    def create_user(  # type: ignore[override]
        self, email: str, password: str | None = None, **extra: Any
    ) -> User:
        email = self.normalize_email(email).lower()
        extra.setdefault("username", email)
        return super().create_user(email=email, password=password, **extra)


class User(AbstractUser):
    """A person who signs in. They sign in with their e-mail; ``username`` mirrors it."""

    email = models.EmailField(_("e-mail"), unique=True)
    full_name = models.CharField(_("name"), max_length=150, blank=True)
    language = models.CharField(
        _("language"),
        max_length=8,
        choices=settings.LANGUAGES,
        blank=True,
        help_text=_("Empty: follow the browser's language."),
    )

    objects: ClassVar[ChorusUserManager] = ChorusUserManager()

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = ["username"]

    def __str__(self) -> str:
        return self.full_name or self.email

    @property
    def first_name_for_greeting(self) -> str:
        return (self.full_name.split() or [self.email.split("@")[0]])[0]
