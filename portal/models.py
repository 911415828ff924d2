"""Accounts and roles. A user logs in by e-mail; her role decides what she may see."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from portal.access import Scope, ScopedQuerySet
from portal.collation import VI_COLLATION
from portal.roles import STAFF_ROLES, Role

__all__ = ["STAFF_ROLES", "Role", "User"]


class UserManager(BaseUserManager.from_queryset(ScopedQuerySet)):  # type: ignore[misc]
    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra: object) -> User:
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra: object) -> User:
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra: object) -> User:
        extra.update(is_staff=True, is_superuser=True)
        extra.setdefault("role", Role.CENTRAL_STAFF)
        return self._create_user(email, password, **extra)


class User(AbstractUser):
    """A person who logs in. ``role`` with ``province`` or ``network`` fixes her scope."""

    username = None
    email = models.EmailField(_("e-mail address"), unique=True)
    full_name = models.CharField(_("full name"), max_length=200, blank=True, db_collation=VI_COLLATION)
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.MEMBER)
    province = models.ForeignKey(
        "networks.Province",
        verbose_name=_("province"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Required for provincial staff."),
    )
    network = models.ForeignKey(
        "networks.Network",
        verbose_name=_("network"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Required for board members."),
    )
    language = models.CharField(
        _("language"),
        max_length=8,
        choices=settings.LANGUAGES,
        blank=True,
        help_text=_("Empty: Vietnamese, the portal's default."),
    )
    history = HistoricalRecords()

    # Provincial staff see her province's accounts, central staff all.
    scope = Scope(province="province", network="network", member="pk")

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []
    objects = UserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.full_name or self.email

    @property
    def is_central(self) -> bool:
        """True for central staff and superusers: they see every province."""
        return self.is_superuser or self.role == Role.CENTRAL_STAFF

    @property
    def is_portal_staff(self) -> bool:
        """True for central and provincial staff, who manage records."""
        return self.is_superuser or self.role in STAFF_ROLES

    @property
    def scope_province_id(self) -> int | None:
        """The province this user is limited to, or None when she is not limited to one."""
        if self.role == Role.PROVINCIAL_STAFF:
            return self.province_id
        if self.role == Role.BOARD_MEMBER and self.network_id:
            return self.network.province_id
        return None

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        super().clean()
        if self.role == Role.PROVINCIAL_STAFF and not self.province_id:
            raise ValidationError({"province": _("Provincial staff must be tied to a province.")})
        if self.role == Role.BOARD_MEMBER and not self.network_id:
            raise ValidationError({"network": _("A board member must be tied to a network.")})
