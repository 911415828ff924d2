"""Forms of the portal's own pages: the access-log search and the breach register."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from networks.models import Province
from portal.models import AccessLog, Breach
from portal.text import CleanTextFormMixin
from portal.widgets import DateInput, DateTimeInput


class AccessLogSearchForm(CleanTextFormMixin, forms.Form):
    q = forms.CharField(label=_("Who or about whom"), required=False, max_length=200)
    action = forms.ChoiceField(label=_("Action"), required=False)
    since = forms.DateField(label=_("From"), required=False, widget=DateInput())
    until = forms.DateField(label=_("To"), required=False, widget=DateInput())

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["action"].choices = [("", _("All"))] + list(AccessLog.Action.choices)


class BreachForm(CleanTextFormMixin, forms.ModelForm):
    provinces = forms.ModelMultipleChoiceField(
        label=_("Provinces concerned"), queryset=Province.objects.order_by("name"), required=False
    )

    class Meta:
        model = Breach
        fields = [
            "title",
            "discovered_at",
            "occurred_at",
            "description",
            "data_categories",
            "people_affected",
            "provinces",
            "consequences",
            "measures",
            "contact",
        ]
        widgets = {
            "discovered_at": DateTimeInput(),
            "occurred_at": DateTimeInput(),
            "description": forms.Textarea(attrs={"rows": 4}),
            "data_categories": forms.Textarea(attrs={"rows": 2}),
            "consequences": forms.Textarea(attrs={"rows": 3}),
            "measures": forms.Textarea(attrs={"rows": 3}),
        }
