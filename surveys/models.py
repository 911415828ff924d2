"""Survey templates (designed centrally, versioned), their deployments to networks and
events, and the responses members give.

Text shown to respondents is stored in Vietnamese and English (``*_vi`` / ``*_en``);
:func:`localised` picks the one for the active language, falling back to Vietnamese.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import get_language, gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from members.models import Category
from portal.access import Scope, ScopedQuerySet

MIN_GROUP_SIZE = 5  # filtered aggregates over fewer respondents are hidden


def localised(obj: object, field: str) -> str:
    """``obj.<field>_en`` when English is active and filled, else ``obj.<field>_vi``."""
    if (get_language() or "vi").startswith("en"):
        english = getattr(obj, f"{field}_en", "")
        if english:
            return english
    return getattr(obj, f"{field}_vi", "")


class SurveyTemplate(models.Model):
    """A questionnaire designed by central staff. ``family`` groups the versions of one
    questionnaire; a version with responses is locked and edits go to a new version."""

    class Kind(models.TextChoices):
        NEEDS = "needs", _("Needs survey")
        TRAINING = "training", _("Pre/post training survey")
        EVALUATION = "evaluation", _("Evaluation survey")
        FREE = "free", _("Other survey")

    family = models.SlugField(_("questionnaire code"), max_length=60)
    version = models.PositiveSmallIntegerField(pgettext_lazy("survey template", "version"), default=1)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.FREE)
    title_vi = models.CharField(_("title (Vietnamese)"), max_length=255)
    title_en = models.CharField(_("title (English)"), max_length=255, blank=True)
    intro_vi = models.TextField(_("introduction (Vietnamese)"), blank=True)
    intro_en = models.TextField(_("introduction (English)"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    history = HistoricalRecords()

    # Templates hold no personal data: every logged-in user may read them; only
    # central staff change them (the admin is central-only).
    scope = Scope(public=True, donor=True)
    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["family", "-version"]
        verbose_name = _("survey template")
        verbose_name_plural = _("survey templates")
        constraints = [models.UniqueConstraint(fields=["family", "version"], name="unique_template_version")]

    def __str__(self) -> str:
        return f"{localised(self, 'title')} (v{self.version})"

    @property
    def title(self) -> str:
        return localised(self, "title")

    @property
    def intro(self) -> str:
        return localised(self, "intro")

    def is_locked(self) -> bool:
        """True once any deployment of this version has a response: its questions may
        no longer change in place."""
        return Response.objects.filter(deployment__template=self).exists()


class Section(models.Model):
    template = models.ForeignKey(
        SurveyTemplate, on_delete=models.CASCADE, related_name="sections", verbose_name=_("template")
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    title_vi = models.CharField(_("title (Vietnamese)"), max_length=255)
    title_en = models.CharField(_("title (English)"), max_length=255, blank=True)
    history = HistoricalRecords()

    scope = Scope(public=True, donor=True)
    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["template", "order", "pk"]
        verbose_name = _("section")
        verbose_name_plural = _("sections")

    def __str__(self) -> str:
        return localised(self, "title")

    @property
    def title(self) -> str:
        return localised(self, "title")


class Question(models.Model):
    class Kind(models.TextChoices):
        SINGLE = "single", _("Single choice")
        MULTIPLE = "multiple", _("Multiple choice")
        SCALE = "scale", _("Scale")
        NUMBER = "number", _("Number")
        SHORT_TEXT = "short_text", _("Short text")
        LONG_TEXT = "long_text", _("Long text")

    CHOICE_KINDS = frozenset({Kind.SINGLE, Kind.MULTIPLE})
    NUMERIC_KINDS = frozenset({Kind.SCALE, Kind.NUMBER})
    TEXT_KINDS = frozenset({Kind.SHORT_TEXT, Kind.LONG_TEXT})

    template = models.ForeignKey(
        SurveyTemplate, on_delete=models.CASCADE, related_name="questions", verbose_name=_("template")
    )
    section = models.ForeignKey(
        Section, on_delete=models.CASCADE, null=True, blank=True, related_name="questions", verbose_name=_("section")
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    code = models.SlugField(
        _("code"), max_length=60, help_text=_("Stable across versions; pre and post answers are paired by it.")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    text_vi = models.TextField(_("question (Vietnamese)"))
    text_en = models.TextField(_("question (English)"), blank=True)
    help_vi = models.CharField(_("help text (Vietnamese)"), max_length=500, blank=True)
    help_en = models.CharField(_("help text (English)"), max_length=500, blank=True)
    required = models.BooleanField(_("required"), default=False)
    allow_other = models.BooleanField(_("offer “other, please specify”"), default=False)
    is_knowledge = models.BooleanField(_("knowledge question (scored)"), default=False)
    is_confidence = models.BooleanField(
        _("self-confidence item"), default=False, help_text=_("Compared before and after a training.")
    )
    is_top_need = models.BooleanField(
        _("shows in the network's top needs"),
        default=False,
        help_text=_("Its most chosen options appear on the annual plan and the event form."),
    )
    scale_min = models.SmallIntegerField(_("scale minimum"), default=1)
    scale_max = models.SmallIntegerField(_("scale maximum"), default=5)
    scale_min_label_vi = models.CharField(_("label of the minimum (Vietnamese)"), max_length=100, blank=True)
    scale_min_label_en = models.CharField(_("label of the minimum (English)"), max_length=100, blank=True)
    scale_max_label_vi = models.CharField(_("label of the maximum (Vietnamese)"), max_length=100, blank=True)
    scale_max_label_en = models.CharField(_("label of the maximum (English)"), max_length=100, blank=True)
    number_min = models.IntegerField(_("smallest number allowed"), null=True, blank=True)
    number_max = models.IntegerField(_("largest number allowed"), null=True, blank=True)
    show_if_option = models.ForeignKey(
        "Option",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("show only when this option was chosen"),
    )
    history = HistoricalRecords()

    scope = Scope(public=True, donor=True)
    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["template", "order", "pk"]
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        constraints = [models.UniqueConstraint(fields=["template", "code"], name="unique_question_code")]

    def __str__(self) -> str:
        return f"{self.code}: {localised(self, 'text')[:60]}"

    @property
    def text(self) -> str:
        return localised(self, "text")

    @property
    def help(self) -> str:
        return localised(self, "help")

    @property
    def scale_points(self) -> range:
        return range(self.scale_min, self.scale_max + 1)

    @property
    def scale_min_label(self) -> str:
        return localised(self, "scale_min_label")

    @property
    def scale_max_label(self) -> str:
        return localised(self, "scale_max_label")

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        if self.kind == self.Kind.SCALE and self.scale_min >= self.scale_max:
            raise ValidationError({"scale_max": _("The maximum must be above the minimum.")})
        if self.show_if_option_id and self.show_if_option.question.template_id != self.template_id:
            raise ValidationError({"show_if_option": _("The condition must refer to a question of this template.")})


class Option(models.Model):
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="options", verbose_name=_("question"))
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    code = models.SlugField(_("code"), max_length=60)
    text_vi = models.CharField(_("option (Vietnamese)"), max_length=300)
    text_en = models.CharField(_("option (English)"), max_length=300, blank=True)
    is_correct = models.BooleanField(_("correct answer"), default=False)
    history = HistoricalRecords()

    scope = Scope(public=True, donor=True)
    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["question", "order", "pk"]
        verbose_name = _("option")
        verbose_name_plural = _("options")

    def __str__(self) -> str:
        return localised(self, "text")

    @property
    def text(self) -> str:
        return localised(self, "text")


def _new_token() -> str:
    return secrets.token_urlsafe(6)


class Deployment(models.Model):
    """A template sent to a network (needs, evaluation) or to an event (before or after
    a training), open between two dates. ``networks`` holds the networks it reaches
    (the network, or the event's networks) and decides who may see it."""

    class Phase(models.TextChoices):
        NONE = "", _("—")
        PRE = "pre", _("Before the training")
        POST = "post", _("After the training")

    template = models.ForeignKey(
        SurveyTemplate, on_delete=models.PROTECT, related_name="deployments", verbose_name=_("template")
    )
    network = models.ForeignKey(
        "networks.Network",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="survey_deployments",
        verbose_name=_("network"),
    )
    event = models.ForeignKey(
        "events.Event",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="survey_deployments",
        verbose_name=_("event"),
    )
    phase = models.CharField(_("phase"), max_length=10, choices=Phase.choices, blank=True, default="")
    networks = models.ManyToManyField(
        "networks.Network", related_name="reached_by_surveys", verbose_name=_("networks reached"), blank=True
    )
    opens_at = models.DateTimeField(_("opens at"))
    closes_at = models.DateTimeField(_("closes at"))
    is_anonymous = models.BooleanField(_("anonymous"), default=False)

    class LinkMode(models.TextChoices):
        IDENTIFIED = "identified", _("Identified: she types her phone number and a code sent to it")
        ANONYMOUS = "anonymous", _("Anonymous: anyone with the link, one response per browser")

    link_mode = models.CharField(
        _("group link (Zalo)"),
        max_length=12,
        choices=LinkMode.choices,
        default=LinkMode.IDENTIFIED,
        help_text=_("How the short link shared in a group works for someone who is not signed in."),
    )
    reminder_days = models.PositiveSmallIntegerField(
        _("reminder, days before closing"),
        default=2,
        help_text=_("Those who have not answered get a reminder this many days before the survey closes (0: none)."),
    )
    token = models.CharField(_("short link code"), max_length=20, unique=True, default=_new_token, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    invitations_sent_at = models.DateTimeField(_("invitations sent at"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    history = HistoricalRecords(m2m_fields=[networks])

    scope = Scope(
        province="networks__province",
        network="networks",
        member="networks__memberships__person__user",
        multi=True,
    )
    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-opens_at"]
        verbose_name = _("survey deployment")
        verbose_name_plural = _("survey deployments")

    def __str__(self) -> str:
        target = self.event or self.network
        return f"{self.template.title} — {target}"

    def is_open(self, at: object = None) -> bool:
        """True between ``opens_at`` and ``closes_at``."""
        now = at or timezone.now()
        return self.opens_at <= now < self.closes_at

    @property
    def display_title(self) -> str:
        """What she sees in subjects, titles and lists: the training and the phase
        ("Phiếu trước tập huấn — <training>"), or the survey and its network."""
        if self.event_id and self.phase == self.Phase.PRE:
            return gettext("Pre-training questionnaire — %(event)s") % {"event": self.event.title}
        if self.event_id and self.phase == self.Phase.POST:
            return gettext("Post-training questionnaire — %(event)s") % {"event": self.event.title}
        if self.event_id:
            return f"{self.template.title} — {self.event.title}"
        if self.network_id:
            return f"{self.template.title} — {self.network.name}"
        return self.template.title


def _invitation_token() -> str:
    return secrets.token_urlsafe(16)


class SurveyInvitation(models.Model):
    """One person invited to one deployment — a member of a reached network, or a guest
    of the surveyed event. Her personal link (a signed form of ``token``) opens her
    questionnaire without logging in. The message goes out when the deployment opens
    (``sent_at``), a reminder before it closes (``reminded_at``); a failed attempt is
    kept in ``last_error`` and tried again."""

    deployment = models.ForeignKey(
        Deployment, on_delete=models.CASCADE, related_name="invitations", verbose_name=_("survey")
    )
    person = models.ForeignKey(
        "members.Person", on_delete=models.CASCADE, related_name="survey_invitations", verbose_name=_("person")
    )
    is_guest = models.BooleanField(_("guest"), default=False)
    token = models.CharField(max_length=40, unique=True, default=_invitation_token, editable=False)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    sent_at = models.DateTimeField(_("invitation sent at"), null=True, blank=True)
    sent_by = models.CharField(_("sent by"), max_length=10, blank=True)
    reminded_at = models.DateTimeField(_("reminder sent at"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    sms = models.ForeignKey(
        "portal.OutgoingSMS", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", editable=False
    )

    scope = Scope(province="person__province", member="person__user")
    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["deployment", "pk"]
        verbose_name = _("survey invitation")
        verbose_name_plural = _("survey invitations")
        constraints = [models.UniqueConstraint(fields=["deployment", "person"], name="one_invitation_per_person")]
        indexes = [models.Index(fields=["deployment", "sent_at"])]

    def __str__(self) -> str:
        return f"{self.person} — {self.deployment}"


class Response(models.Model):
    """One person's answers to one deployment. ``respondent_key`` enforces one response
    per person even when the survey is anonymous (then ``person`` is empty and the key
    is a keyed hash). Province, network, category and ethnicity are copied at the start
    so aggregates can be grouped in the database and survive a person's anonymisation."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("In progress")
        SUBMITTED = "submitted", _("Submitted")

    class Source(models.TextChoices):
        ONLINE = "online", _("Online")
        PAPER = "paper", _("Paper questionnaire entered by staff")

    deployment = models.ForeignKey(
        Deployment, on_delete=models.CASCADE, related_name="responses", verbose_name=_("survey")
    )
    person = models.ForeignKey(
        "members.Person",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="survey_responses",
        verbose_name=_("person"),
    )
    respondent_key = models.CharField(_("respondent key"), max_length=80, editable=False)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.DRAFT)
    source = models.CharField(_("source"), max_length=12, choices=Source.choices, default=Source.ONLINE)
    province = models.ForeignKey(
        "networks.Province", on_delete=models.PROTECT, related_name="+", verbose_name=_("province")
    )
    network = models.ForeignKey(
        "networks.Network",
        verbose_name=_("network"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    category = models.CharField(_("category"), max_length=20, choices=Category.choices, blank=True)
    ethnicity = models.CharField(_("ethnicity"), max_length=50, blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("entered by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    started_at = models.DateTimeField(_("started at"), default=timezone.now)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    # Made on the phone when a questionnaire is sent from the offline queue: the same
    # response sent twice (a retry after a lost answer) is stored once.
    client_id = models.UUIDField(_("id made on the device"), null=True, blank=True, unique=True, editable=False)
    history = HistoricalRecords()

    scope = Scope(province="province", network="network", member="person__user")
    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-started_at"]
        verbose_name = _("survey response")
        verbose_name_plural = _("survey responses")
        constraints = [models.UniqueConstraint(fields=["deployment", "respondent_key"], name="one_response_per_person")]
        indexes = [models.Index(fields=["deployment", "status"])]

    def __str__(self) -> str:
        return f"#{self.pk} — {self.deployment}"


class Answer(models.Model):
    """One answer: an option (one row per chosen option), a number, or text. The
    "other, please specify" text sits on a row with no option."""

    response = models.ForeignKey(Response, verbose_name=_("response"), on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, verbose_name=_("question"), on_delete=models.PROTECT, related_name="answers")
    option = models.ForeignKey(
        Option, verbose_name=_("option"), on_delete=models.PROTECT, null=True, blank=True, related_name="answers"
    )
    number = models.DecimalField(_("number"), max_digits=12, decimal_places=2, null=True, blank=True)
    text = models.TextField(_("text"), blank=True)

    scope = Scope(province="response__province", network="response__network", member="response__person__user")
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        indexes = [models.Index(fields=["question", "option"])]

    def __str__(self) -> str:
        return f"{self.question.code}"


class SpeakerRating(models.Model):
    """A respondent's 1–5 rating of one trainer or guest speaker of the surveyed event,
    given with her post-event questionnaire."""

    response = models.ForeignKey(
        Response, on_delete=models.CASCADE, related_name="speaker_ratings", verbose_name=_("response")
    )
    speaker = models.ForeignKey(
        "events.Speaker", on_delete=models.CASCADE, related_name="ratings", verbose_name=_("trainer or speaker")
    )
    score = models.PositiveSmallIntegerField(_("rating"), validators=[MinValueValidator(1), MaxValueValidator(5)])

    scope = Scope(province="response__province", network="response__network", member="response__person__user")
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("trainer rating")
        verbose_name_plural = _("trainer ratings")
        constraints = [
            models.UniqueConstraint(fields=["response", "speaker"], name="one_rating_per_speaker_per_response"),
            models.CheckConstraint(condition=models.Q(score__gte=1, score__lte=5), name="speaker_rating_1_to_5"),
        ]

    def __str__(self) -> str:
        return f"{self.speaker} — {self.score}"


# --- maintained result aggregates -----------------------------------------------------------


class ResultGroup(models.Model):
    """The submitted responses of one deployment that share province, network, category
    and ethnicity — the dimensions the results can be filtered and scoped by. Its cells
    hold the per-question and per-option totals of those responses, so results for any
    filter are sums over a few groups instead of a scan of every answer.

    Maintained by ``surveys.aggregates`` when a response is submitted or withdrawn (and
    rebuilt from the answers by a task when asked); never edited by hand."""

    deployment = models.ForeignKey(Deployment, on_delete=models.CASCADE, related_name="result_groups")
    province = models.ForeignKey("networks.Province", on_delete=models.CASCADE, related_name="+")
    network = models.ForeignKey("networks.Network", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    category = models.CharField(max_length=20, blank=True)
    ethnicity = models.CharField(max_length=50, blank=True)
    responses = models.PositiveIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    # The same reach as the responses it sums (no personal data, but a province's figures).
    scope = Scope(province="province", network="network")
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("result group")
        verbose_name_plural = _("result groups")
        indexes = [models.Index(fields=["deployment", "province", "network"], name="result_group_dims_idx")]

    def __str__(self) -> str:
        return f"{self.deployment_id}/{self.province_id}/{self.network_id}/{self.category}/{self.ethnicity}"


class ResultCell(models.Model):
    """Totals of one question (``option`` empty) or one option within a :class:`ResultGroup`.

    A question row holds the respondents who answered it, the "other" answers, and the
    sum, count, minimum and maximum of numeric answers; an option row holds how many
    respondents chose that option."""

    group = models.ForeignKey(ResultGroup, on_delete=models.CASCADE, related_name="cells")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="+")
    option = models.ForeignKey(Option, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    count = models.PositiveIntegerField(default=0)
    other = models.PositiveIntegerField(default=0)
    number_sum = models.DecimalField(max_digits=16, decimal_places=2, null=True, blank=True)
    number_count = models.PositiveIntegerField(default=0)
    number_min = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    number_max = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)

    scope = Scope(province="group__province", network="group__network")
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("result cell")
        verbose_name_plural = _("result cells")
        indexes = [models.Index(fields=["group", "question"], name="result_cell_group_idx")]

    def __str__(self) -> str:
        return f"{self.group_id}/{self.question_id}/{self.option_id}"
