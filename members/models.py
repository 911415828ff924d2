"""People (members, candidates, guests) and their membership of networks."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from phonenumber_field.modelfields import PhoneNumberField
from simple_history.models import HistoricalRecords

from portal.access import Scope, ScopedQuerySet


class Category(models.TextChoices):
    """A member's primary category (DESIGN.md §3.1)."""

    DEPARTMENT_LEADER = "department", _("Leader of a provincial department or agency")
    BUSINESSWOMAN = "business", _("Businesswoman / Women Entrepreneurs' Association")
    DEPUTY = "deputy", _("National Assembly or People's Council deputy")
    UNION_OFFICIAL = "union", _("Women's Union official")
    ACADEMIC = "academic", _("Lecturer or leader of a university or college")
    YOUTH = "youth", _("Youth Union or Students' Association leader")
    OTHER = "other", _("Other")


class Person(models.Model):
    """Anyone the portal keeps a record of: candidate, member or event guest.

    ``province`` is the province whose Union keeps the record; it decides who may see it.
    """

    province = models.ForeignKey(
        "networks.Province", on_delete=models.PROTECT, related_name="people", verbose_name=_("province")
    )
    full_name = models.CharField(_("full name"), max_length=200)
    year_of_birth = models.PositiveSmallIntegerField(_("year of birth"), null=True, blank=True)
    ethnicity = models.CharField(_("ethnicity"), max_length=50, blank=True)
    phone = PhoneNumberField(_("phone"), blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    organisation = models.CharField(_("organisation"), max_length=255, blank=True)
    position = models.CharField(_("position"), max_length=255, blank=True)
    category = models.CharField(_("primary category"), max_length=20, choices=Category.choices, blank=True)
    commune = models.ForeignKey(
        "networks.Commune",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="people",
        verbose_name=_("commune/ward"),
    )
    is_young_potential_leader = models.BooleanField(_("young potential leader"), default=False)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="person",
        verbose_name=_("login"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    history = HistoricalRecords()

    scope = Scope(province="province", network="memberships__network", member="user", multi=True)
    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["full_name"]
        verbose_name = _("person")
        verbose_name_plural = _("people")

    def __str__(self) -> str:
        return self.full_name


class Membership(models.Model):
    """A person's place in one network's membership pipeline."""

    class Status(models.TextChoices):
        CANDIDATE = "candidate", _("Candidate")
        APPROVED = "approved", _("Approved by provincial leadership")
        INVITED = "invited", _("Invited")
        APPLIED = "applied", _("Applied")
        MEMBER = "member", _("Member")
        DECLINED = "declined", _("Declined")
        REJECTED = "rejected", _("Rejected")
        LEFT = "left", _("Left")
        REMOVED = "removed", _("Removed")

    network = models.ForeignKey(
        "networks.Network", on_delete=models.CASCADE, related_name="memberships", verbose_name=_("network")
    )
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("person"))
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.CANDIDATE)
    joined_on = models.DateField(_("member since"), null=True, blank=True)
    history = HistoricalRecords()

    scope = Scope(province="network__province", network="network", member="person__user")
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [models.UniqueConstraint(fields=["network", "person"], name="unique_membership_per_network")]

    def __str__(self) -> str:
        return f"{self.person} — {self.network}"
