"""Survey test data: a small template with one question of each kind, deployments
and submitted responses built with the real service or, for volume, bulk_create."""

from __future__ import annotations

from datetime import timedelta

import factory
from django.utils import timezone

from surveys.models import Deployment, Option, Question, Response, Section, SurveyTemplate


class TemplateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SurveyTemplate

    family = factory.Sequence(lambda n: f"test-survey-{n}")
    kind = SurveyTemplate.Kind.NEEDS
    title_vi = factory.Sequence(lambda n: f"Khảo sát thử {n}")
    title_en = factory.Sequence(lambda n: f"Test survey {n}")


def question(template, code, kind, *, options=(), order=0, **extra) -> Question:
    q = Question.objects.create(
        template=template,
        section=extra.pop("section", None),
        code=code,
        kind=kind,
        order=order,
        text_vi=f"Câu hỏi {code}",
        text_en=f"Question {code}",
        **extra,
    )
    for index, spec in enumerate(options):
        o_code, correct = (spec, False) if isinstance(spec, str) else spec
        Option.objects.create(question=q, order=index, code=o_code, text_vi=f"Lựa chọn {o_code}", is_correct=correct)
    return q


def full_template(**kwargs) -> SurveyTemplate:
    """One question of every kind: single (scored, a correct option), multiple with
    "other", a conditional follow-up, scale 1–5, number 0–60, short and long text."""
    template = TemplateFactory(**kwargs)
    section = Section.objects.create(template=template, order=0, title_vi="Phần 1", title_en="Part 1")
    single = question(
        template,
        "single",
        Question.Kind.SINGLE,
        options=[("right", True), "wrong"],
        order=1,
        required=True,
        is_knowledge=True,
        section=section,
    )
    question(
        template,
        "multi",
        Question.Kind.MULTIPLE,
        options=["a", "b", "c"],
        order=2,
        allow_other=True,
        is_top_need=True,
        section=section,
    )
    question(
        template,
        "followup",
        Question.Kind.SHORT_TEXT,
        order=3,
        required=True,
        show_if_option=single.options.get(code="wrong"),
        section=section,
    )
    question(template, "scale", Question.Kind.SCALE, order=4, required=True, is_confidence=True, section=section)
    question(template, "number", Question.Kind.NUMBER, order=5, number_min=0, number_max=60, section=section)
    question(template, "short", Question.Kind.SHORT_TEXT, order=6, section=section)
    question(template, "long", Question.Kind.LONG_TEXT, order=7, section=section)
    return template


def deploy(template, *, network=None, event=None, phase="", open_=True, anonymous=False, user=None) -> Deployment:
    now = timezone.now()
    deployment = Deployment.objects.create(
        template=template,
        network=network,
        event=event,
        phase=phase,
        opens_at=now - timedelta(days=1),
        closes_at=now + timedelta(days=7) if open_ else now - timedelta(hours=1),
        is_anonymous=anonymous,
        created_by=user,
    )
    deployment.networks.set([network] if network else list(event.networks.all()))
    return deployment


def q(template, code) -> Question:
    return template.questions.get(code=code)


def opt(template, code, option) -> str:
    return str(q(template, code).options.get(code=option).pk)


def response_count(deployment) -> int:
    return Response.objects.filter(deployment=deployment).count()


def required_answers(template, **answers) -> dict:
    """The required answers of :func:`full_template` (single "right", scale 4), plus
    ``answers`` given by question code: a string for a text/number/scale answer."""
    from surveys.services import AnswerInput

    single = q(template, "single")
    given = {
        single.pk: AnswerInput(options=[str(single.options.get(code="right").pk)]),
        q(template, "scale").pk: AnswerInput(value="4"),
    }
    for code, value in answers.items():
        given[q(template, code).pk] = AnswerInput(value=value)
    return given
