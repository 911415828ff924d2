from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from networks.models import Network
from portal.access import may
from portal.widgets import DateInput
from reports.models import LessonsLearned, ReportRequest


class _PeriodMixin:
    def clean(self) -> dict[str, Any]:
        data = super().clean()  # type: ignore[misc]
        start, end = data.get("period_start"), data.get("period_end")
        if start and end and end < start:
            raise forms.ValidationError(_("The period must end on or after its start."))
        return data


class ReportRequestForm(_PeriodMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=ReportRequest.Kind.choices)
    networks = forms.ModelMultipleChoiceField(
        label=_("Networks"), queryset=Network.objects.none(), widget=forms.CheckboxSelectMultiple
    )
    period_start = forms.DateField(label=_("Period start"), widget=DateInput())
    period_end = forms.DateField(label=_("Period end"), widget=DateInput())
    donor_agreement = forms.CharField(label=_("Donor agreement"), max_length=255, required=False)
    language = forms.ChoiceField(label=_("Language"), choices=ReportRequest.Language.choices)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["networks"].queryset = Network.objects.visible_to(user).select_related("province")
        if not may(user, "request_donor_report"):
            self.fields["kind"].choices = [(ReportRequest.Kind.PROVINCIAL, ReportRequest.Kind.PROVINCIAL.label)]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("kind") == ReportRequest.Kind.PROVINCIAL and len(data.get("networks") or []) != 1:
            raise forms.ValidationError(_("A provincial activity report covers exactly one network."))
        return data


class LessonsForm(_PeriodMixin, forms.ModelForm):
    class Meta:
        model = LessonsLearned
        fields = ["network", "period_start", "period_end", "achievements", "difficulties", "lessons", "next_steps"]
        widgets = {
            "period_start": DateInput(),
            "period_end": DateInput(),
        }

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["network"].queryset = Network.objects.visible_to(user).select_related("province")
        self.fields["network"].required = not may(user, "write_overall_lessons")
