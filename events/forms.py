"""Forms parse input only; the services validate and change."""

from __future__ import annotations

from django import forms
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from phonenumber_field.formfields import PhoneNumberField

from events.models import AgendaItem, Event, MediaCoverage, Speaker, Topic
from networks.models import Network, PlannedActivity, Province
from portal.rules import may
from portal.text import CleanTextFormMixin
from portal.widgets import DateInput, DateTimeInput, LinkInput


class EventForm(CleanTextFormMixin, forms.ModelForm):
    online_link = forms.URLField(
        label=capfirst(_("online link")), required=False, assume_scheme="https", widget=LinkInput()
    )

    class Meta:
        model = Event
        fields = [
            "title",
            "title_en",
            "kind",
            "networks",
            "organiser",
            "starts_at",
            "ends_at",
            "duration_days",
            "mode",
            "venue",
            "online_link",
            "topics",
            "capacity",
            "description",
            "status",
            "planned_activities",
            "certificate_min_days",
            "agreement",
            "other_funding",
        ]
        widgets = {
            "starts_at": DateTimeInput(),
            "ends_at": DateTimeInput(),
            "networks": forms.CheckboxSelectMultiple,
            "topics": forms.CheckboxSelectMultiple,
            "planned_activities": forms.CheckboxSelectMultiple,
            "description": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: object, user, **kwargs: object) -> None:  # noqa: ANN001
        super().__init__(*args, **kwargs)
        self.fields["networks"].queryset = Network.objects.visible_to(user).select_related("province")
        self.fields["topics"].queryset = Topic.objects.visible_to(user)
        if "agreement" in self.fields:
            from networks.models import DonorAgreement

            self.fields["agreement"].queryset = DonorAgreement.objects.visible_to(user)
        _limit_planned_activities(self, user)
        _organiser_field(self, user, Province.objects.filter(networks__in=self.fields["networks"].queryset))

    def _event_province_ids(self) -> set[int] | None:
        networks = self.cleaned_data.get("networks")
        return None if networks is None else {n.province_id for n in networks}

    def clean(self) -> dict:
        cleaned = super().clean()
        organiser = cleaned.get("organiser")
        provinces = self._event_province_ids()
        if organiser is not None and provinces is not None and organiser.pk not in provinces:
            self.add_error(
                "organiser", _("The organising province must be one of the provinces of the event's networks.")
            )
        return cleaned


def _organiser_field(form: forms.ModelForm, user, provinces) -> None:  # noqa: ANN001
    """The organising province of a (shared) event, among ``provinces`` (those of the
    event's networks), as the ``choose_event_organiser`` rule allows: central staff any of
    them or none (the Central Union alone), provincial staff only their own, by default.
    A board member does not choose: her event is organised by her province."""
    allowed = [p for p in provinces.distinct().order_by("name") if may(user, "choose_event_organiser", p)]
    if not allowed:
        del form.fields["organiser"]
        return
    field = form.fields["organiser"]
    field.queryset = Province.objects.filter(pk__in=[p.pk for p in allowed]).order_by("name")
    # Left out of a POST, the service organises it as her province (or, for central
    # staff, the Central Union alone).
    field.required = False
    if may(user, "choose_event_organiser", None):
        field.empty_label = _("The Central Union alone")
    else:
        field.empty_label = None
        if not form.instance.organiser_id:
            form.initial["organiser"] = allowed[0].pk


class PlannedActivityChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: PlannedActivity) -> str:
        return f"{obj.plan.network.name} {obj.plan.year}: {obj.title}" + (f" ({obj.need})" if obj.need else "")


def _limit_planned_activities(form: forms.ModelForm, user) -> None:  # noqa: ANN001
    """The annual-plan activities the user may link: those of the networks she sees."""
    field = form.fields["planned_activities"]
    form.fields["planned_activities"] = PlannedActivityChoice(
        queryset=PlannedActivity.objects.visible_to(user).select_related("plan__network").order_by("-plan__year", "pk"),
        required=False,
        label=field.label,
        help_text=field.help_text,
        widget=forms.CheckboxSelectMultiple,
    )


class SpeakerForm(CleanTextFormMixin, forms.ModelForm):
    """A trainer or speaker on the roster. Provincial staff keep their province's roster;
    central staff also keep the shared one (no province)."""

    class Meta:
        model = Speaker
        fields = ["kind", "title", "full_name", "organisation", "email", "bio_vi", "bio_en", "province"]
        widgets = {"bio_vi": forms.Textarea(attrs={"rows": 4}), "bio_en": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args: object, user, **kwargs: object) -> None:  # noqa: ANN001
        super().__init__(*args, **kwargs)
        if may(user, "keep_shared_roster"):
            self.fields["province"].queryset = Province.objects.all()
        else:
            del self.fields["province"]


class PersonForm(CleanTextFormMixin, forms.Form):
    """A named guest or a walk-in: a person who is not (necessarily) a member."""

    full_name = forms.CharField(label=capfirst(_("full name")), max_length=200)
    organisation = forms.CharField(label=capfirst(_("organisation")), max_length=255, required=False)
    position = forms.CharField(label=capfirst(_("position")), max_length=255, required=False)
    phone = PhoneNumberField(label=capfirst(_("phone")), required=False, region="VN")
    email = forms.EmailField(label=capfirst(_("e-mail")), required=False)
    province = forms.ModelChoiceField(label=capfirst(_("province")), queryset=Province.objects.none(), empty_label=None)

    def __init__(self, *args: object, event: Event, user, **kwargs: object) -> None:  # noqa: ANN001
        super().__init__(*args, **kwargs)
        allowed = [
            p.pk
            for p in Province.objects.filter(networks__events=event).distinct()
            if may(user, "add_people_of_province", p)
        ]
        provinces = Province.objects.filter(pk__in=allowed)
        self.fields["province"].queryset = provinces
        if provinces.count() == 1:
            self.fields["province"].widget = forms.HiddenInput()
            self.fields["province"].initial = provinces.first()


class AgendaItemForm(CleanTextFormMixin, forms.ModelForm):
    class Meta:
        model = AgendaItem
        fields = ["day", "starts_at", "ends_at", "title", "speaker"]
        widgets = {
            "starts_at": forms.TimeInput(attrs={"type": "time"}),
            "ends_at": forms.TimeInput(attrs={"type": "time"}),
        }

    def __init__(self, *args: object, user, **kwargs: object) -> None:  # noqa: ANN001
        super().__init__(*args, **kwargs)
        self.fields["speaker"].queryset = Speaker.objects.visible_to(user)


class MediaCoverageForm(CleanTextFormMixin, forms.ModelForm):
    url = forms.URLField(label=capfirst(_("link")), max_length=500, assume_scheme="https", widget=LinkInput())

    class Meta:
        model = MediaCoverage
        fields = ["outlet", "published_on", "title", "url"]
        widgets = {"published_on": DateInput()}


class EventEditForm(EventForm):
    """The same fields without the networks, which stay as created."""

    class Meta(EventForm.Meta):
        fields = [f for f in EventForm.Meta.fields if f != "networks"]

    def __init__(self, *args: object, user, **kwargs: object) -> None:  # noqa: ANN001
        forms.ModelForm.__init__(self, *args, **kwargs)
        self.fields["topics"].queryset = Topic.objects.visible_to(user)
        if "agreement" in self.fields:
            from networks.models import DonorAgreement

            self.fields["agreement"].queryset = DonorAgreement.objects.visible_to(user)
        _limit_planned_activities(self, user)
        _organiser_field(self, user, Province.objects.filter(networks__events=self.instance))

    def _event_province_ids(self) -> set[int] | None:
        return set(self.instance.networks.values_list("province_id", flat=True))
