"""Provinces (current and legacy), communes, and the provincial networks."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from portal.access import Scope, ScopedQuerySet


class Province(models.Model):
    """One of the 34 provinces in force since 1 July 2025 (code from vietnam-provinces)."""

    code = models.PositiveIntegerField(_("code"), primary_key=True)
    name = models.CharField(_("name"), max_length=100)
    codename = models.SlugField(_("code name"), max_length=100, unique=True)
    division_type = models.CharField(_("division type"), max_length=40)

    scope = Scope(
        province="pk", network="networks__pk", member="networks__memberships__person__user", donor=True, multi=True
    )
    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("province")
        verbose_name_plural = _("provinces")

    def __str__(self) -> str:
        return self.name


class Commune(models.Model):
    """A commune, ward or special zone (the level below the province since 2025)."""

    code = models.PositiveIntegerField(_("code"), primary_key=True)
    name = models.CharField(_("name"), max_length=100)
    codename = models.CharField(_("code name"), max_length=100)
    division_type = models.CharField(_("division type"), max_length=40)
    province = models.ForeignKey(
        Province, on_delete=models.CASCADE, related_name="communes", verbose_name=_("province")
    )

    scope = Scope(province="province", public=True)
    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["province__name", "name"]
        verbose_name = _("commune/ward")
        verbose_name_plural = _("communes/wards")

    def __str__(self) -> str:
        return self.name


class LegacyProvince(models.Model):
    """One of the 63 provinces before the 2025 merger, mapped to the current province
    that absorbed it (National Assembly Resolution 202/2025/QH15)."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    province = models.ForeignKey(
        Province, on_delete=models.PROTECT, related_name="legacy_provinces", verbose_name=_("current province")
    )

    scope = Scope(province="province", public=True)
    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("former province (before 2025)")
        verbose_name_plural = _("former provinces (before 2025)")

    def __str__(self) -> str:
        return self.name


class Network(models.Model):
    """A provincial women leaders' network (locally a network, club or group)."""

    class Kind(models.TextChoices):
        NETWORK = "network", _("Network")
        CLUB = "club", _("Club")
        GROUP = "group", _("Group")

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        AWAITING_APPROVAL = "awaiting_approval", _("Awaiting approval")
        LAUNCHED = "launched", _("Launched")
        ACTIVE = "active", _("Active")
        DORMANT = "dormant", _("Dormant")

    province = models.ForeignKey(
        Province, on_delete=models.PROTECT, related_name="networks", verbose_name=_("province")
    )
    legacy_province = models.ForeignKey(
        LegacyProvince,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="networks",
        verbose_name=_("historical province"),
        help_text=_("The province name the network was founded under, before the 2025 merger."),
    )
    name = models.CharField(_("name"), max_length=255)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.NETWORK)
    status = models.CharField(_("status"), max_length=30, choices=Status.choices, default=Status.PLANNED)
    launch_date = models.DateField(_("launch date"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    history = HistoricalRecords()

    scope = Scope(province="province", network="pk", member="memberships__person__user", donor=True, multi=True)
    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["province__name", "name"]
        verbose_name = _("network")
        verbose_name_plural = _("networks")

    def __str__(self) -> str:
        return self.name

    @property
    def historical_province_name(self) -> str:
        """The province name as it was when the network was founded (or the current one)."""
        return self.legacy_province.name if self.legacy_province_id else self.province.name
