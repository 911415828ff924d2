"""Forms of the networks staff pages. Dates are typed day first (23/11/2026)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from members.models import Membership, Person
from networks.models import BoardSeat, Network, Task
from portal.text import CleanTextFormMixin
from portal.widgets import DateInput


def date_field(label: Any, required: bool = True, **kwargs: Any) -> forms.DateField:
    """A day-first date box (the language's formats from ``portal/formats``)."""
    return forms.DateField(label=label, required=required, widget=DateInput(), **kwargs)


def network_members(network: Network) -> Any:
    """People who are members of ``network`` now: the only ones who may hold a seat or a task."""
    return (
        Person.objects.filter(memberships__network=network, memberships__status=Membership.Status.MEMBER)
        .distinct()
        .order_by("full_name")
    )


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Person) -> str:
        return f"{obj.full_name} — {obj.organisation}" if obj.organisation else obj.full_name


class BoardTermForm(CleanTextFormMixin, forms.Form):
    starts_on = date_field(_("Starts on"))
    how_elected = forms.CharField(label=_("How elected"), max_length=255, required=False)
    how_elected_en = forms.CharField(
        label=_("How elected (English)"),
        max_length=255,
        required=False,
        help_text=_("For the English donor report; left empty, the report marks it as not translated."),
    )


class SeatForm(CleanTextFormMixin, forms.Form):
    person = PersonChoiceField(label=_("Member"), queryset=Person.objects.none(), required=False)
    role = forms.ChoiceField(label=_("Role"), choices=BoardSeat.Role.choices, initial=BoardSeat.Role.MEMBER)
    tasks = forms.CharField(label=_("Assigned tasks"), max_length=2000, required=False)
    tasks_en = forms.CharField(label=_("Assigned tasks (English)"), max_length=2000, required=False)

    def __init__(self, *args: Any, network: Network, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = network_members(network)


class BaseSeatFormSet(forms.BaseFormSet):
    def clean(self) -> None:
        if any(self.errors):
            return
        people = [f.cleaned_data["person"] for f in self.forms if f.cleaned_data.get("person")]
        if len({p.pk for p in people}) != len(people):
            raise forms.ValidationError(_("A person holds one seat only."))
        chairs = [f for f in self.forms if f.cleaned_data.get("person") and f.cleaned_data["role"] == "chair"]
        if len(chairs) != 1:
            raise forms.ValidationError(_("A board term has exactly one chair."))


SeatFormSet = forms.formset_factory(SeatForm, formset=BaseSeatFormSet, extra=8, max_num=30)


class FoundingForm(CleanTextFormMixin, forms.ModelForm):
    launch_date = date_field(_("Launch date"), required=False)
    decision_date = date_field(_("Founding decision date"), required=False)
    charter_adopted_on = date_field(_("Charter adopted on"), required=False)

    class Meta:
        model = Network
        fields = [
            "status",
            "launch_date",
            "decision_number",
            "decision_date",
            "decision_signer",
            "decision_state",
            "decision_file",
            "charter_state",
            "charter_adopted_on",
            "charter_file",
            "union_chair",
            "requires_event_approval",
        ]

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        network = self.instance
        self.fields["union_chair"] = PersonChoiceField(
            label=_("Chair of the provincial Women's Union"),
            queryset=Person.objects.visible_to(user).filter(province_id=network.province_id).order_by("full_name"),
            required=False,
            help_text=_("The handbook asks that she be the network's chair or vice-chair."),
        )

    def _post_clean(self) -> None:
        # The service validates and saves; skip the ModelForm's own instance update.
        pass


class ActivityPlanForm(CleanTextFormMixin, forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    file = forms.FileField(label=_("File"), required=False)


class PlannedActivityForm(CleanTextFormMixin, forms.Form):
    title = forms.CharField(label=_("Activity"), max_length=255)
    title_en = forms.CharField(
        label=_("Activity (English)"),
        max_length=255,
        required=False,
        help_text=_("For the English donor report; left empty, the report marks it as not translated."),
    )
    target = forms.CharField(label=_("Target"), max_length=255, required=False)
    planned_for = forms.CharField(label=_("When"), max_length=100, required=False)
    need = forms.CharField(
        label=_("Need it answers"),
        max_length=255,
        required=False,
        widget=forms.TextInput(attrs={"list": "top-need-options"}),
    )


class TaskForm(CleanTextFormMixin, forms.Form):
    title = forms.CharField(label=_("Task"), max_length=255)
    assignee = PersonChoiceField(label=_("Assigned to"), queryset=Person.objects.none())
    deadline = date_field(_("Deadline"))
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, network: Network, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = network_members(network)


class TaskEditForm(TaskForm):
    status = forms.ChoiceField(label=_("Status"), choices=Task.Status.choices)


class TaskStatusForm(CleanTextFormMixin, forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=Task.Status.choices)


class AnnouncementForm(CleanTextFormMixin, forms.Form):
    CHANNELS = [("email", _("E-mail")), ("sms", _("SMS")), ("zalo", _("Zalo text to paste in the group"))]
    subject = forms.CharField(label=_("Subject"), max_length=200)
    message = forms.CharField(label=_("Message"), widget=forms.Textarea(attrs={"rows": 5}), max_length=2000)
    event = forms.ModelChoiceField(label=_("About the event"), queryset=None, required=False)
    channels = forms.MultipleChoiceField(
        label=_("Send by"), choices=CHANNELS, widget=forms.CheckboxSelectMultiple, initial=["email", "zalo"]
    )

    def __init__(self, *args: Any, events: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["event"].queryset = events
