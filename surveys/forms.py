"""Forms: deploying a template, results filters, and reading a filled questionnaire
from the POST data (the survey service does the checking)."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from events.models import Event
from networks.models import Network
from portal.models import User
from portal.text import CleanTextFormMixin
from portal.widgets import DateTimeInput
from surveys.models import Deployment, Response, SurveyTemplate
from surveys.services import AnswerInput

FIELD = re.compile(r"^q(?P<id>[^_]+)(?P<suffix>_opt|_other)?$")


def answers_from_post(data: QueryDict) -> dict[str, AnswerInput]:
    """Every ``q<id>`` (a scale point, number or text), ``q<id>_opt`` (chosen option
    ids) and ``q<id>_other`` ("other, please specify") field of the POST, keyed by the
    raw id: the survey service rejects ids that are not questions of the survey."""
    answers: dict[str, AnswerInput] = {}
    for key in data:
        match = FIELD.match(key)
        if not match:
            continue
        given = answers.setdefault(match["id"], AnswerInput())
        values = [v for v in data.getlist(key) if v.strip()]
        if match["suffix"] == "_opt":
            given.options = values
        elif match["suffix"] == "_other":
            given.other = " ".join(values)
        else:
            given.value = "\n".join(values)
    return answers


def answers_from_response(response: Response | None) -> dict[str, AnswerInput]:
    """The saved answers of a response, in the same shape, to fill the form again."""
    answers: dict[str, AnswerInput] = {}
    if response is None:
        return answers
    for answer in response.answers.all():
        given = answers.setdefault(str(answer.question_id), AnswerInput())
        if answer.option_id:
            given.options.append(str(answer.option_id))
        elif answer.number is not None:
            given.value = f"{answer.number.normalize():f}"
        elif answer.question.kind in ("single", "multiple"):
            given.other = answer.text
        else:
            given.value = answer.text
    return answers


class DeploymentForm(CleanTextFormMixin, forms.Form):
    template = forms.ModelChoiceField(label=_("Template"), queryset=SurveyTemplate.objects.none())
    network = forms.ModelChoiceField(label=_("Network"), queryset=Network.objects.none(), required=False)
    event = forms.ModelChoiceField(label=_("Event"), queryset=Event.objects.none(), required=False)
    phase = forms.ChoiceField(label=_("Phase"), choices=Deployment.Phase.choices, required=False)
    opens_at = forms.DateTimeField(label=_("Opens at"), widget=DateTimeInput())
    closes_at = forms.DateTimeField(label=_("Closes at"), widget=DateTimeInput())
    is_anonymous = forms.BooleanField(label=_("Anonymous (answers not linked to a person)"), required=False)
    link_mode = forms.ChoiceField(
        label=_("Group link (Zalo)"),
        choices=Deployment.LinkMode.choices,
        initial=Deployment.LinkMode.IDENTIFIED,
        required=False,
        help_text=_("How the short link shared in a group works for someone who is not signed in."),
    )
    reminder_days = forms.IntegerField(
        label=_("Reminder, days before closing"),
        min_value=0,
        max_value=60,
        initial=2,
        required=False,
        help_text=_("Those who have not answered get a reminder; 0 for none."),
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["template"].queryset = SurveyTemplate.objects.visible_to(user)
        self.fields["network"].queryset = Network.objects.visible_to(user).select_related("province")
        self.fields["event"].queryset = Event.objects.visible_to(user)


class ResultFilterForm(CleanTextFormMixin, forms.Form):
    province = forms.ChoiceField(label=_("Province"), required=False)
    network = forms.ChoiceField(label=_("Network"), required=False)
    category = forms.ChoiceField(label=_("Category"), required=False)
    ethnicity = forms.ChoiceField(label=_("Ethnicity"), required=False)

    def __init__(self, *args: Any, choices: dict[str, list[tuple[str, str]]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, options in choices.items():
            self.fields[name].choices = [("", _("All"))] + list(options)

    def filters(self) -> dict[str, Any]:
        if not self.is_valid():
            return {}
        cleaned = {k: v for k, v in self.cleaned_data.items() if v}
        for key in ("province", "network"):
            if key in cleaned:
                cleaned[key] = int(cleaned[key])
        return cleaned
