"""``make bench`` figures for surveys: the results page of a survey with 20,000
responses (built with bulk_create), its render time and its query count next to the
same page with 100 responses."""

from __future__ import annotations

import random
import time
from collections.abc import Iterable
from datetime import timedelta

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

RESPONSES = 20_000


def _survey(network, template, n: int, rng: random.Random):  # noqa: ANN001, ANN202
    from surveys.models import Answer, Deployment, Question, Response

    now = timezone.now()
    deployment = Deployment.objects.create(
        template=template, network=network, opens_at=now - timedelta(days=1), closes_at=now + timedelta(days=30)
    )
    deployment.networks.set([network])
    ethnicities = ["Kinh", "Tày", "Thái", "Mường", "Ê Đê"]
    categories = ["department", "business", "deputy", "union", "academic", "youth"]
    Response.objects.bulk_create(
        [
            Response(
                deployment=deployment,
                respondent_key=f"bench:{i}",
                status=Response.Status.SUBMITTED,
                province_id=network.province_id,
                network=network,
                category=rng.choice(categories),
                ethnicity=rng.choice(ethnicities),
                submitted_at=now,
            )
            for i in range(n)
        ],
        batch_size=2000,
    )
    questions = list(template.questions.prefetch_related("options"))
    rows: list[Answer] = []
    for response_id in Response.objects.filter(deployment=deployment).values_list("pk", flat=True):
        for question in questions:
            options = list(question.options.all())
            if question.kind == Question.Kind.SINGLE:
                rows.append(Answer(response_id=response_id, question=question, option=rng.choice(options)))
            elif question.kind == Question.Kind.MULTIPLE:
                for option in rng.sample(options, k=min(2, len(options))):
                    rows.append(Answer(response_id=response_id, question=question, option=option))
            elif question.kind in Question.NUMERIC_KINDS:
                rows.append(Answer(response_id=response_id, question=question, number=rng.randint(1, 5)))
            elif rng.random() < 0.2:
                rows.append(Answer(response_id=response_id, question=question, text=f"Ý kiến {response_id}"))
        if len(rows) > 20_000:
            Answer.objects.bulk_create(rows, batch_size=5000)
            rows = []
    Answer.objects.bulk_create(rows, batch_size=5000)
    if connection.vendor == "postgresql":
        # Autovacuum analyses a table after a large insert; do it now so the planner
        # does not judge a 200,000-row table by the statistics of an empty one.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE surveys_response, surveys_answer")
    return deployment


def _render(client: Client, deployment) -> tuple[float, int, int]:  # noqa: ANN001
    url = reverse("surveys:results", args=[deployment.pk])
    client.get(url)  # warm up (templates, session)
    with CaptureQueriesContext(connection) as queries:
        start = time.perf_counter()
        response = client.get(url)
        elapsed = time.perf_counter() - start
    assert response.status_code == 200
    return elapsed, len(queries), response.status_code


def bench_survey_results() -> Iterable[tuple[str, float | int, str]]:
    from networks.models import Network, Province
    from portal.models import Role, User
    from surveys.models import SurveyTemplate
    from surveys.shipped import load_shipped_templates

    load_shipped_templates()
    rng = random.Random(5)
    province = Province.objects.order_by("code").first()
    network = Network.objects.create(province=province, name="Mạng lưới đo hiệu năng")
    template = SurveyTemplate.objects.get(family="needs-survey")
    user = User.objects.create_user("bench-central@example.org", role=Role.CENTRAL_STAFF)
    client = Client()
    client.force_login(user)
    small = _survey(network, template, 100, rng)
    start = time.perf_counter()
    big = _survey(network, template, RESPONSES, rng)
    build = time.perf_counter() - start
    _t_small, q_small, _ = _render(client, small)
    elapsed, q_big, _ = _render(client, big)
    yield "survey_results_build_20000", build, "s"
    yield f"survey_results_{RESPONSES}", elapsed, "s"
    yield "survey_results_queries_100", q_small, "queries"
    yield f"survey_results_queries_{RESPONSES}", q_big, "queries"


def bench_offline_bundle() -> Iterable[tuple[str, object, str]]:
    """What a phone downloads to fill the needs survey offline: the page's blank copy
    in both languages, its styles and scripts, the service worker and the manifest,
    as the server sends them (uncompressed: an upper bound of what goes over the wire)."""
    import re

    from members.models import Membership, Person
    from networks.models import Network, Province
    from portal.models import User
    from portal.roles import Role
    from surveys.models import Deployment, SurveyTemplate

    province = Province.objects.order_by("code").first()
    network = Network.objects.create(province=province, name="Mạng lưới đo gói ngoại tuyến")
    user = User.objects.create_user("bench-offline@example.org", role=Role.MEMBER)
    person = Person.objects.create(full_name="Người đo hiệu năng", user=user, province=province)
    Membership.objects.create(network=network, person=person, status=Membership.Status.MEMBER)
    now = timezone.now()
    deployment = Deployment.objects.create(
        template=SurveyTemplate.objects.get(family="needs-survey"),
        network=network,
        opens_at=now - timedelta(days=1),
        closes_at=now + timedelta(days=30),
    )
    deployment.networks.set([network])
    client = Client()
    client.force_login(user)
    link = reverse("surveys:fill", args=[deployment.token])
    total = 0
    assets: set[str] = set()
    for lang in ("vi", "en"):
        page = client.get(link, {"shell": "1", "lang": lang})
        total += len(page.content)
        html = page.content.decode()
        assets |= set(re.findall(r'(?:href|src)="(/static/[^"]+\.(?:css|js))"', html))
    for url in sorted(assets) + ["/sw.js", reverse("surveys_manifest")]:
        response = client.get(url)
        total += len(b"".join(response.streaming_content) if response.streaming else response.content)
    yield "offline_bundle_bytes", total, "bytes"


def bench_survey_invitations_queue() -> Iterable[tuple[str, float, str]]:
    """The web request that deploys a survey to a network of 1,000 members: it queues
    their 1,000 personal invitations (sent later, when the survey opens). Median of 5."""
    import statistics

    from members.models import Membership, Person
    from networks.models import Network, Province
    from portal.models import User
    from portal.roles import Role
    from surveys.models import SurveyInvitation, SurveyTemplate

    province = Province.objects.order_by("code").first()
    network = Network.objects.create(province=province, name="Mạng lưới đo lời mời")
    people = Person.objects.bulk_create(
        [Person(province=province, full_name=f"Thành viên {i}", email=f"tv{i}@bench.invalid") for i in range(1000)]
    )
    Membership.objects.bulk_create(
        [Membership(network=network, person=p, status=Membership.Status.MEMBER) for p in people]
    )
    template = SurveyTemplate.objects.filter(family="needs-survey").first() or SurveyTemplate.objects.first()
    user = User.objects.create_user("bench-invite@example.org", role=Role.PROVINCIAL_STAFF, province=province)
    client = Client()
    client.force_login(user)
    opens = timezone.localtime() + timedelta(days=2)
    data = {
        "template": template.pk,
        "network": network.pk,
        "opens_at": opens.strftime("%d/%m/%Y %H:%M"),
        "closes_at": (opens + timedelta(days=14)).strftime("%d/%m/%Y %H:%M"),
        "link_mode": "identified",
        "reminder_days": "2",
    }
    client.get(reverse("surveys:new"))  # warm up (templates, session)
    timings = []
    statements: list[str] = []

    def count(execute, sql, params, many, context):  # noqa: ANN001, ANN202
        statements.append(sql)
        return execute(sql, params, many, context)

    for _ in range(5):
        statements.clear()
        with connection.execute_wrapper(count):
            start = time.perf_counter()
            response = client.post(reverse("surveys:new"), data)
            timings.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 302, response.status_code
    assert SurveyInvitation.objects.count() == 5000
    yield "survey_invitations_queue_1000", round(statistics.median(timings), 1), "ms"
    yield "survey_invitations_queue_1000_queries", len(statements), "queries"


BENCHMARKS = [bench_survey_results, bench_offline_bundle, bench_survey_invitations_queue]
