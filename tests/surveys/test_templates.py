"""Templates: the shipped questionnaires, versioning once answered, the admin builder."""

from __future__ import annotations

import pytest
from django.urls import reverse

from surveys.models import Option, Question, SurveyTemplate
from surveys.services import AnswerInput, question_update, response_save, template_new_version
from surveys.shipped import load_shipped_templates
from tests.factories import PersonFactory
from tests.surveys.factories import full_template, opt, q

pytestmark = pytest.mark.django_db


def test_the_shipped_templates_are_there_in_both_languages(shipped_templates):
    needs = SurveyTemplate.objects.get(family="needs-survey")
    assert needs.kind == "needs" and needs.sections.count() == 4
    codes = set(needs.questions.values_list("code", flat=True))
    # The handbook's seven themes (DESIGN.md §3.6).
    assert {
        "trainings_attended",
        "obstacles",
        "qualities",
        "skills_wanted",
        "support_wanted",
        "network_expectations",
        "contribution",
    } <= codes
    training = SurveyTemplate.objects.get(family="training-pre-post")
    assert training.questions.filter(is_knowledge=True).count() == 5
    assert training.questions.filter(is_confidence=True, kind="scale").count() == 5
    for question in training.questions.filter(is_knowledge=True):
        assert question.options.filter(is_correct=True).count() == 1
    assert SurveyTemplate.objects.filter(family="pilot-evaluation", kind="evaluation").exists()
    assert not Question.objects.filter(text_en="").exists()
    assert load_shipped_templates() == 0, "the loader is idempotent"


def test_an_edit_to_an_unanswered_template_changes_it_in_place(deployment_a, template):
    scale = q(template, "scale")
    changed = question_update(question=scale, scale_max=7)
    assert changed.pk == scale.pk and changed.scale_max == 7
    assert SurveyTemplate.objects.filter(family=template.family).count() == 1


def test_an_edit_to_an_answered_template_goes_to_a_new_version(deployment_a, template, network_a):
    person = PersonFactory(province=network_a.province)
    response_save(
        deployment=deployment_a,
        person=person,
        answers={
            q(template, "single").pk: AnswerInput(options=[opt(template, "single", "right")]),
            q(template, "scale").pk: AnswerInput(value="5"),
        },
        submit=True,
    )
    scale = q(template, "scale")
    changed = question_update(question=scale, scale_max=10)
    scale.refresh_from_db()
    assert scale.scale_max == 5, "the answered version keeps its meaning"
    assert changed.template.family == template.family and changed.template.version == 2
    assert changed.scale_max == 10
    # The copy carries every question, option and the condition, re-pointed to itself.
    followup = q(changed.template, "followup")
    assert followup.show_if_option.question.template == changed.template
    assert changed.template.questions.count() == template.questions.count()


def test_a_new_version_copies_an_unanswered_template(template):
    copy = template_new_version(template=template)
    assert copy.version == 2 and copy.sections.count() == 1
    assert [o.code for o in q(copy, "multi").options.all()] == ["a", "b", "c"]


def test_the_builder_is_central_only(template, central_staff, staff_a, client_for):
    url = reverse("admin:surveys_surveytemplate_change", args=[template.pk])
    assert client_for(central_staff).get(url).status_code == 200
    assert client_for(staff_a).get(url).status_code == 403


def test_an_answered_template_is_read_only_in_the_admin(deployment_a, template, network_a, central_staff, client_for):
    response_save(
        deployment=deployment_a,
        person=PersonFactory(province=network_a.province),
        answers={q(template, "scale").pk: AnswerInput(value="3")},
        submit=False,
    )
    client = client_for(central_staff)
    url = reverse("admin:surveys_surveytemplate_change", args=[template.pk])
    before = template.title_vi
    client.post(url, {"title_vi": "Đổi", "family": template.family, "version": 1, "kind": "needs"})
    template.refresh_from_db()
    assert template.title_vi == before
    changelist = reverse("admin:surveys_surveytemplate_changelist")
    response = client.post(changelist, {"action": "new_version", "_selected_action": [template.pk]})
    assert response.status_code == 302
    assert SurveyTemplate.objects.filter(family=template.family, version=2).exists()


def test_the_question_builder_offers_conditions_from_the_same_template_only(template, central_staff, client_for):
    other = full_template()
    page = client_for(central_staff).get(reverse("admin:surveys_question_change", args=[q(template, "followup").pk]))
    choices = {o.pk for o in page.context["adminform"].form.fields["show_if_option"].queryset}
    assert choices == set(Option.objects.filter(question__template=template).values_list("pk", flat=True))
    assert not choices & set(Option.objects.filter(question__template=other).values_list("pk", flat=True))


def test_a_condition_on_another_templates_option_is_invalid(template):
    from django.core.exceptions import ValidationError

    other = full_template()
    with pytest.raises(ValidationError):
        question_update(question=q(template, "short"), show_if_option=q(other, "single").options.first())
    assert q(template, "short").show_if_option is None
