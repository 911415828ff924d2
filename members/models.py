"""People (members, candidates, guests) and their membership of networks."""

from __future__ import annotations

import unicodedata
import uuid

from django.conf import settings
from django.db import models
from django.db.models import F
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from phonenumber_field.modelfields import PhoneNumberField
from simple_history.models import HistoricalRecords

from portal.access import Scope, ScopedQuerySet
from portal.collation import VI_COLLATION, people_order, people_order_keys


class Category(models.TextChoices):
    """A member's primary category (DESIGN.md §3.1)."""

    DEPARTMENT_LEADER = "department", _("Leader of a provincial department or agency")
    BUSINESSWOMAN = "business", _("Businesswoman / Women Entrepreneurs' Association")
    DEPUTY = "deputy", _("National Assembly or People's Council deputy")
    UNION_OFFICIAL = "union", _("Women's Union official")
    ACADEMIC = "academic", _("Lecturer or leader of a university or college")
    YOUTH = "youth", _("Youth Union or Students' Association leader")
    OTHER = "other", _("Other")


# The 54 ethnic groups of Viet Nam (official list, General Statistics Office). Stored by
# their official Vietnamese name, which is also how they are shown in both languages.
ETHNIC_GROUPS: tuple[str, ...] = (
    "Kinh",
    "Tày",
    "Thái",
    "Mường",
    "Khmer",
    "Hoa",
    "Nùng",
    "Mông",
    "Dao",
    "Gia Rai",
    "Ê Đê",
    "Ba Na",
    "Xơ Đăng",
    "Sán Chay",
    "Cơ Ho",
    "Chăm",
    "Sán Dìu",
    "Hrê",
    "Ra Glai",
    "Mnông",
    "Thổ",
    "Xtiêng",
    "Khơ Mú",
    "Bru - Vân Kiều",
    "Cơ Tu",
    "Giáy",
    "Tà Ôi",
    "Mạ",
    "Giẻ Triêng",
    "Co",
    "Chơ Ro",
    "Xinh Mun",
    "Hà Nhì",
    "Chu Ru",
    "Lào",
    "Kháng",
    "La Chí",
    "Phù Lá",
    "La Hủ",
    "La Ha",
    "Pà Thẻn",
    "Chứt",
    "Lự",
    "Lô Lô",
    "Mảng",
    "Cờ Lao",
    "Bố Y",
    "Cống",
    "Ngái",
    "Si La",
    "Pu Péo",
    "Rơ Măm",
    "Brâu",
    "Ơ Đu",
)
ETHNICITY_CHOICES = [(name, name) for name in ETHNIC_GROUPS]
MAJORITY_ETHNICITY = "Kinh"


def search_key(*parts: str | None) -> str:
    """Lower-case text without Vietnamese diacritics (đ -> d), for accent-insensitive search
    that behaves the same on SQLite and PostgreSQL: "Nguyễn Thị Hoa" -> "nguyen thi hoa"."""
    text = " ".join(p for p in parts if p)
    text = text.replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFD", text)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(stripped.lower().split())


class Basis(models.TextChoices):
    """The lawful basis of a person record (Law 91/2025/QH15): her consent, or an
    official list someone provided. Records written before the basis was recorded say so."""

    CONSENT = "consent", _("Her consent")
    OFFICIAL_LIST = "official_list", _("Official list")
    UNKNOWN = "unknown", _("Recorded before 11/2026 — source unknown")


class Person(models.Model):
    """Anyone the portal keeps a record of: candidate, member or event guest.

    ``province`` is the province whose Union keeps the record; it decides who may see it.
    ``basis`` (with its source, who provided it and when) is the lawful basis of the
    record, written by ``members.services`` for every way a person enters. ``ethnicity``
    is sensitive data: stored only while ``sensitive_consent_at`` is set. After a
    withdrawal (``consent_withdrawn_at``) she is no longer invited, surveyed or messaged.
    """

    province = models.ForeignKey(
        "networks.Province", on_delete=models.PROTECT, related_name="people", verbose_name=_("province")
    )
    full_name = models.CharField(_("full name"), max_length=200, db_collation=VI_COLLATION)
    year_of_birth = models.PositiveSmallIntegerField(_("year of birth"), null=True, blank=True)
    ethnicity = models.CharField(_("ethnicity"), max_length=50, choices=ETHNICITY_CHOICES, blank=True)
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
    search_text = models.TextField(_("search text"), blank=True, editable=False, default="")
    basis = models.CharField(_("lawful basis"), max_length=20, choices=Basis.choices, default=Basis.UNKNOWN)
    basis_source = models.CharField(
        _("source of the record"),
        max_length=255,
        blank=True,
        help_text=_("Which list or which consent (application, event, import file…)."),
    )
    basis_provided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("provided or recorded by"),
    )
    basis_recorded_at = models.DateTimeField(_("basis recorded at"), null=True, blank=True)
    sensitive_consent_at = models.DateTimeField(
        _("explicit consent to sensitive data (ethnic group) at"), null=True, blank=True
    )
    consent_withdrawn_at = models.DateTimeField(_("consent withdrawn at"), null=True, blank=True)
    # An anonymised record keeps her age band as a counted category (no birth year).
    age_band = models.CharField(_("age band"), max_length=10, blank=True, editable=False)
    removal_requested_at = models.DateTimeField(_("removal requested at"), null=True, blank=True)
    removal_reason = models.TextField(_("reason given for removal"), blank=True)
    anonymised_at = models.DateTimeField(_("anonymised at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    history = HistoricalRecords()

    scope = Scope(province="province", network="memberships__network", member="user", multi=True)
    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = people_order()
        # Lists sort by given name, then family name (then pk for a stable page order):
        # the same expressions and collation as the ordering, so a page of the list is an
        # index scan — for central staff, and within her province for provincial staff.
        indexes = [
            models.Index(*people_order_keys(), F("id"), name="person_order_idx"),
            models.Index(F("province_id"), *people_order_keys(), F("id"), name="person_province_order_idx"),
        ]
        verbose_name = _("person")
        verbose_name_plural = _("people")
        # One record per person: among the people a province keeps (anonymised records
        # excepted), a phone and an e-mail belong to one person. Per province because
        # the province wall means one province's staff can neither see nor match another's
        # records; members.services gives the readable message, this is the guarantee.
        constraints = [
            models.UniqueConstraint(
                fields=["province", "phone"],
                condition=models.Q(anonymised_at__isnull=True) & ~models.Q(phone=""),
                name="unique_phone_per_province",
            ),
            models.UniqueConstraint(
                "province",
                Lower("email"),
                condition=models.Q(anonymised_at__isnull=True) & ~models.Q(email=""),
                name="unique_email_per_province",
            ),
        ]

    def __str__(self) -> str:
        return self.full_name

    def compute_search_text(self) -> str:
        """The accent-free text searched by name, phone, e-mail and organisation."""
        phone = str(self.phone) if self.phone else ""
        national = "0" + phone[3:] if phone.startswith("+84") else ""
        return search_key(self.full_name, phone, national, self.email, self.organisation)


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
    approval_reference = models.TextField(
        _("leadership approval (document or opinion)"),
        blank=True,
        help_text=_("The document number or the opinion of the provincial leadership."),
    )
    decision_number = models.CharField(_("admission decision number"), max_length=100, blank=True)
    status_changed_at = models.DateTimeField(_("status changed at"), null=True, blank=True)
    history = HistoricalRecords()

    scope = Scope(province="network__province", network="network", member="person__user")
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [models.UniqueConstraint(fields=["network", "person"], name="unique_membership_per_network")]

    def __str__(self) -> str:
        return f"{self.person} — {self.network}"


class MembershipStep(models.Model):
    """One step of the membership pipeline: which state, when and who acted."""

    membership = models.ForeignKey(
        Membership, on_delete=models.CASCADE, related_name="steps", verbose_name=_("membership")
    )
    from_status = models.CharField(_("from"), max_length=20, choices=Membership.Status.choices, blank=True)
    to_status = models.CharField(pgettext_lazy("status change", "to"), max_length=20, choices=Membership.Status.choices)
    acted_at = models.DateTimeField(_("when"))
    acted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("who acted"),
    )
    note = models.TextField(_("note"), blank=True)

    scope = Scope(
        province="membership__network__province", network="membership__network", member="membership__person__user"
    )
    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["acted_at", "pk"]
        verbose_name = _("pipeline step")
        verbose_name_plural = _("pipeline steps")

    def __str__(self) -> str:
        return f"{self.membership}: {self.from_status} → {self.to_status}"


class Invitation(models.Model):
    """A personal invitation to apply: the link carries a signed token, expires, and
    can be used once."""

    membership = models.ForeignKey(
        Membership, on_delete=models.CASCADE, related_name="invitations", verbose_name=_("membership")
    )
    token = models.CharField(_("token"), max_length=64, unique=True, editable=False)
    # The code of the short link printed on the letter (SITE_URL/a/<code>): short enough
    # to type from paper, unambiguous letters and digits only.
    short_code = models.CharField(
        _("short link code"), max_length=12, unique=True, null=True, blank=True, editable=False
    )
    created_at = models.DateTimeField(_("created at"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    expires_at = models.DateTimeField(_("expires at"))
    emailed_at = models.DateTimeField(_("e-mailed at"), null=True, blank=True)
    used_at = models.DateTimeField(_("used at"), null=True, blank=True)
    history = HistoricalRecords()

    scope = Scope(province="membership__network__province", network="membership__network")
    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")

    def __str__(self) -> str:
        return str(self.membership)


class Consent(models.Model):
    """Consent to the processing of personal data, with the exact text version agreed to."""

    class Source(models.TextChoices):
        ONLINE = "online", _("Online application")
        PAPER = "paper", _("Paper application typed in by staff")
        PROFILE = "profile", _("Member profile")
        EVENT = "event", _("Given in person at an event (recorded by staff)")
        RSVP = "rsvp", _("Answer to an event invitation")
        STAFF = "staff", _("Given to staff (recorded by staff)")

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="consents", verbose_name=_("person"))
    purpose = models.TextField(_("purpose"))
    text_version = models.CharField(_("text version"), max_length=20)
    given_at = models.DateTimeField(_("given at"))
    source = models.CharField(_("source"), max_length=20, choices=Source.choices)
    covers_sensitive = models.BooleanField(_("explicit consent to sensitive data (ethnic group)"), default=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    history = HistoricalRecords()

    scope = Scope(province="person__province", member="person__user")
    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-given_at"]
        verbose_name = _("consent")
        verbose_name_plural = _("consents")

    def __str__(self) -> str:
        return f"{self.person} — {self.text_version}"


class ConsentWithdrawal(models.Model):
    """She withdrew her consent (from her profile, or through staff): her sensitive data
    were cleared and processing stopped. Kept as the record of the event."""

    class Channel(models.TextChoices):
        SELF = "self", _("By herself, from her profile")
        STAFF = "staff", _("Through provincial staff")

    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="consent_withdrawals", verbose_name=_("person")
    )
    withdrawn_at = models.DateTimeField(_("withdrawn at"))
    channel = models.CharField(_("how"), max_length=10, choices=Channel.choices)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    reason = models.TextField(_("reason"), blank=True)
    history = HistoricalRecords()

    scope = Scope(province="person__province", member="person__user")
    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-withdrawn_at"]
        verbose_name = _("consent withdrawal")
        verbose_name_plural = _("consent withdrawals")

    def __str__(self) -> str:
        return f"{self.person} — {self.withdrawn_at:%Y-%m-%d}"


class ImportPreview(models.Model):
    """A checked member-list file waiting for its Import button. The file lies outside
    the public media folder; the preview expires (and its file is deleted) after
    ``members.services.IMPORT_PREVIEW_TTL``; the confirm button carries this id, so two
    previews open at once can never confirm each other."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    province = models.ForeignKey(
        "networks.Province", on_delete=models.CASCADE, related_name="+", verbose_name=_("province")
    )
    network = models.ForeignKey(
        "networks.Network", on_delete=models.CASCADE, null=True, blank=True, related_name="+", verbose_name=_("network")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("uploaded by")
    )
    file_name = models.CharField(_("file name"), max_length=255)
    stored_path = models.CharField(max_length=255, editable=False)
    summary = models.JSONField(default=dict, editable=False)
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires at"))
    confirmed_at = models.DateTimeField(_("imported at"), null=True, blank=True)

    scope = Scope(province="province", network="network")
    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("import preview")
        verbose_name_plural = _("import previews")

    def __str__(self) -> str:
        return f"{self.file_name} — {self.province}"
