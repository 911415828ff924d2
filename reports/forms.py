from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from networks.indicators import IndicatorSource
from networks.models import DonorAgreement, Indicator, Network, Province
from portal.access import may
from portal.text import CleanTextFormMixin
from portal.widgets import DateInput
from reports.models import LessonsLearned, ReportRequest


class _PeriodMixin:
    def clean(self) -> dict[str, Any]:
        data = super().clean()  # type: ignore[misc]
        start, end = data.get("period_start"), data.get("period_end")
        if start and end and end < start:
            raise forms.ValidationError(_("The period must end on or after its start."))
        return data


class ReportRequestForm(CleanTextFormMixin, _PeriodMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=ReportRequest.Kind.choices)
    networks = forms.ModelMultipleChoiceField(
        label=_("Networks"), queryset=Network.objects.none(), widget=forms.CheckboxSelectMultiple
    )
    period_start = forms.DateField(label=_("Period start"), widget=DateInput())
    period_end = forms.DateField(label=_("Period end"), widget=DateInput())
    agreement = forms.ModelChoiceField(
        label=_("Donor agreement"),
        queryset=DonorAgreement.objects.none(),
        required=False,
        help_text=_("Its cover, targets and results framework go into the report."),
    )
    language = forms.ChoiceField(label=_("Language"), choices=ReportRequest.Language.choices)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["networks"].queryset = Network.objects.visible_to(user).select_related("province")
        self.fields["agreement"].queryset = DonorAgreement.objects.visible_to(user)
        if not may(user, "request_donor_report"):
            self.fields["kind"].choices = [(ReportRequest.Kind.PROVINCIAL, ReportRequest.Kind.PROVINCIAL.label)]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("kind") == ReportRequest.Kind.PROVINCIAL and len(data.get("networks") or []) != 1:
            raise forms.ValidationError(_("A provincial activity report covers exactly one network."))
        return data


class LessonsForm(CleanTextFormMixin, _PeriodMixin, forms.ModelForm):
    class Meta:
        model = LessonsLearned
        fields = [
            "network",
            "period_start",
            "period_end",
            "achievements",
            "difficulties",
            "lessons",
            "next_steps",
            "achievements_en",
            "difficulties_en",
            "lessons_en",
            "next_steps_en",
        ]
        widgets = {
            "period_start": DateInput(),
            "period_end": DateInput(),
        }

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["network"].queryset = Network.objects.visible_to(user).select_related("province")
        self.fields["network"].required = not may(user, "write_overall_lessons")


class QuarterOpenForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2020, max_value=2100)
    quarter = forms.TypedChoiceField(label=_("Quarter"), coerce=int, choices=[(q, f"Q{q}") for q in (1, 2, 3, 4)])
    due_on = forms.DateField(
        label=_("Due on"), required=False, widget=DateInput(), help_text=_("Empty: 15 days after the quarter ends.")
    )


class QuarterSubmitForm(forms.Form):
    narrative = forms.CharField(
        label=_("Narrative of the quarter"),
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_(
            "What was done, difficulties, lessons and next steps. The provincial PDF is generated on submitting."
        ),
    )


class QuarterReviewForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"), choices=[("accept", _("Accept")), ("return", _("Return with comments"))]
    )
    comment = forms.CharField(label=_("Comments"), widget=forms.Textarea(attrs={"rows": 4}), required=False)


class ResultsPeriodForm(forms.Form):
    agreement = forms.ModelChoiceField(label=_("Donor agreement"), queryset=DonorAgreement.objects.none())
    period_start = forms.DateField(label=_("Period start"), widget=DateInput(), required=False)
    period_end = forms.DateField(label=_("Period end"), widget=DateInput(), required=False)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["agreement"].queryset = DonorAgreement.objects.visible_to(user)


class IndicatorActualForm(forms.Form):
    indicator = forms.ModelChoiceField(label=_("Indicator"), queryset=Indicator.objects.none())
    province = forms.ModelChoiceField(
        label=_("Province"), queryset=Province.objects.none(), required=False, help_text=_("Empty: the overall value.")
    )
    as_of = forms.DateField(label=_("As of"), widget=DateInput())
    value = forms.DecimalField(label=_("Value"), max_digits=12, decimal_places=2)
    evidence = forms.FileField(label=_("Evidence file"))
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, user: Any, agreement: DonorAgreement, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["indicator"].queryset = Indicator.objects.visible_to(user).filter(
            result__agreement=agreement, source=IndicatorSource.MANUAL
        )
        self.fields["province"].queryset = (
            Province.objects.visible_to(user).filter(networks__agreements=agreement).distinct()
        )
        # Only those who report nationally record an actual for the whole project.
        self.fields["province"].required = not may(user, "record_indicator_actual", None)
