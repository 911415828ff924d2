"""Fictitious survey data for the demo: a needs survey per network and, for the first
network, a training with pre/post surveys. Call after ``portal.demo.load_demo``."""

from __future__ import annotations

import random
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from events.models import Event
from members.models import Membership, Person
from networks.models import Network
from surveys.models import Deployment, Question, SurveyTemplate
from surveys.services import AnswerInput, response_save
from surveys.shipped import load_shipped_templates


def _random_answers(template: SurveyTemplate, rng: random.Random, *, level: int = 0) -> dict[int, AnswerInput]:
    """Valid answers to every question; ``level`` (0–2) raises knowledge and confidence."""
    answers: dict[int, AnswerInput] = {}
    for question in template.questions.prefetch_related("options"):
        options = list(question.options.all())
        if question.is_knowledge:
            right = rng.random() < 0.35 + 0.25 * level
            pick = next(o for o in options if o.is_correct == right)
            answers[question.pk] = AnswerInput(options=[str(pick.pk)])
        elif question.kind == Question.Kind.SINGLE:
            answers[question.pk] = AnswerInput(options=[str(rng.choice(options).pk)])
        elif question.kind == Question.Kind.MULTIPLE:
            picks = rng.sample(options, k=rng.randint(1, min(3, len(options))))
            answers[question.pk] = AnswerInput(options=[str(o.pk) for o in picks])
        elif question.kind == Question.Kind.SCALE:
            low = min(question.scale_max, question.scale_min + level)
            answers[question.pk] = AnswerInput(value=str(rng.randint(low, question.scale_max)))
        elif question.kind == Question.Kind.NUMBER:
            answers[question.pk] = AnswerInput(value=str(rng.randint(1, 25)))
        elif rng.random() < 0.3:
            answers[question.pk] = AnswerInput(value=rng.choice(["Học hỏi kinh nghiệm", "Kết nối", "Chia sẻ"]))
    return answers


def _members(network: Network) -> list[Person]:
    return list(
        Person.objects.filter(memberships__network=network, memberships__status=Membership.Status.MEMBER, user=None)
    )


@transaction.atomic
def load_surveys_demo(seed: int = 2022) -> int:
    """Create the demo deployments and responses once; returns how many responses."""
    load_shipped_templates()
    if Deployment.objects.exists():
        return 0
    rng = random.Random(seed)
    now = timezone.now()
    needs = SurveyTemplate.objects.get(family="needs-survey")
    training = SurveyTemplate.objects.get(family="training-pre-post")
    created = 0
    networks = list(Network.objects.order_by("pk"))
    for network in networks:
        deployment = Deployment.objects.create(
            template=needs, network=network, opens_at=now - timedelta(days=20), closes_at=now + timedelta(days=30)
        )
        deployment.networks.set([network])
        for person in _members(network):
            response_save(deployment=deployment, person=person, answers=_random_answers(needs, rng), submit=True)
            created += 1
    if networks:
        network = networks[0]
        event = Event.objects.create(
            title="Tập huấn: Giới và lãnh đạo trong hội nhập quốc tế (demo)",
            kind=Event.Kind.TRAINING,
            starts_at=now - timedelta(days=10),
            ends_at=now - timedelta(days=10) + timedelta(hours=8),
            status=Event.Status.HELD,
        )
        event.networks.set([network])
        pre, post = (
            Deployment.objects.create(
                template=training,
                event=event,
                phase=phase,
                opens_at=now - timedelta(days=12),
                closes_at=now + timedelta(days=5),
            )
            for phase in (Deployment.Phase.PRE, Deployment.Phase.POST)
        )
        for deployment in (pre, post):
            deployment.networks.set([network])
        for person in _members(network):
            response_save(deployment=pre, person=person, answers=_random_answers(training, rng), submit=True)
            response_save(deployment=post, person=person, answers=_random_answers(training, rng, level=1), submit=True)
            created += 2
    return created
