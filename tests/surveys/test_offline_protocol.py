"""The server side of offline filling: queued responses answered in JSON, stored once
per id made on the phone, refused with a reason; the shell and the service worker."""

import uuid

import pytest
from django.urls import reverse

from surveys.models import Response
from tests.surveys.factories import deploy, opt, q

pytestmark = pytest.mark.django_db

OFFLINE = {"HTTP_X_SURVEY_OFFLINE": "1"}


def _complete(template) -> dict:
    return {
        f"q{q(template, 'single').pk}_opt": opt(template, "single", "right"),
        f"q{q(template, 'multi').pk}_opt": [opt(template, "multi", "a")],
        f"q{q(template, 'scale').pk}": "4",
        f"q{q(template, 'number').pk}": "7",
        f"q{q(template, 'long').pk}": "Gặp gỡ",
        "submit": "1",
    }


@pytest.fixture
def member_client(client_for, member_a):
    return client_for(member_a)


def test_a_queued_response_is_stored_once_whatever_the_number_of_sends(member_client, deployment_a, template):
    url = reverse("surveys:fill", args=[deployment_a.token])
    body = {**_complete(template), "client_id": str(uuid.uuid4())}
    first = member_client.post(url, body, **OFFLINE)
    again = member_client.post(url, body, **OFFLINE)
    assert first.status_code == 200 and first.json() == {
        "status": "stored",
        "next": reverse("surveys:thanks", args=[deployment_a.token]),
        "duplicate": False,
    }
    assert again.status_code == 200 and again.json()["duplicate"] is True
    response = Response.objects.get(deployment=deployment_a)
    assert str(response.client_id) == body["client_id"] and response.status == "submitted"


def test_a_second_queued_response_of_the_same_person_is_refused_with_a_reason(member_client, deployment_a, template):
    url = reverse("surveys:fill", args=[deployment_a.token])
    member_client.post(url, {**_complete(template), "client_id": str(uuid.uuid4())}, **OFFLINE)
    other = member_client.post(url, {**_complete(template), "client_id": str(uuid.uuid4())}, **OFFLINE)
    assert other.status_code == 409
    assert other.json()["status"] == "refused" and "đã trả lời khảo sát này" in other.json()["reason"]
    assert Response.objects.filter(deployment=deployment_a).count() == 1


def test_a_queued_response_to_a_closed_survey_is_refused_and_nothing_is_stored(
    client_for, member_a, template, network_a, staff_a
):
    closed = deploy(template, network=network_a, user=staff_a, open_=False)
    reply = client_for(member_a).post(
        reverse("surveys:fill", args=[closed.token]), {**_complete(template), "client_id": str(uuid.uuid4())}, **OFFLINE
    )
    assert reply.status_code == 410
    assert reply.json()["status"] == "refused" and "đã đóng" in reply.json()["reason"]
    assert not Response.objects.filter(deployment=closed).exists()


def test_an_invalid_queued_response_names_the_question_and_stores_nothing(member_client, deployment_a, template):
    body = {**_complete(template), "client_id": str(uuid.uuid4())}
    del body[f"q{q(template, 'scale').pk}"]
    reply = member_client.post(reverse("surveys:fill", args=[deployment_a.token]), body, **OFFLINE)
    assert reply.status_code == 400
    assert q(template, "scale").text in reply.json()["reason"]
    assert not Response.objects.filter(deployment=deployment_a).exists()


def test_a_queued_response_to_another_provinces_survey_is_refused_as_not_found(
    client_for, member_a, template, network_b
):
    other = deploy(template, network=network_b)
    reply = client_for(member_a).post(
        reverse("surveys:fill", args=[other.token]), {**_complete(template), "client_id": str(uuid.uuid4())}, **OFFLINE
    )
    assert reply.status_code == 404 and reply.json()["status"] == "refused"
    assert not Response.objects.exists()


def test_a_client_id_of_another_survey_is_not_taken_as_a_duplicate(member_client, deployment_a, template, network_a):
    second = deploy(template, network=network_a)
    shared = str(uuid.uuid4())
    member_client.post(
        reverse("surveys:fill", args=[deployment_a.token]), {**_complete(template), "client_id": shared}, **OFFLINE
    )
    reply = member_client.post(
        reverse("surveys:fill", args=[second.token]), {**_complete(template), "client_id": shared}, **OFFLINE
    )
    assert reply.status_code == 400 and reply.json()["status"] == "refused"
    assert not Response.objects.filter(deployment=second).exists()


def test_paper_entries_queued_on_a_tablet_are_stored_once_each(
    client_for, staff_a, deployment_a, template, make_member, network_a
):
    people = [make_member(network_a), make_member(network_a)]
    client = client_for(staff_a)
    url = reverse("surveys:paper", args=[deployment_a.pk])
    ids = [str(uuid.uuid4()) for _ in people]
    for person, client_id in zip(people, ids, strict=True):
        for _ in range(2):
            reply = client.post(url, {**_complete(template), "person": person.pk, "client_id": client_id}, **OFFLINE)
            assert reply.status_code == 200 and reply.json()["status"] == "stored"
    stored = Response.objects.filter(deployment=deployment_a)
    assert sorted(str(r.client_id) for r in stored) == sorted(ids)
    assert {r.person_id for r in stored} == {p.pk for p in people}


def test_the_shell_kept_on_the_phone_has_no_answers_and_no_name(member_client, member_a, deployment_a, template):
    url = reverse("surveys:fill", args=[deployment_a.token])
    body = _complete(template)
    del body["submit"]
    body[f"q{q(template, 'long').pk}"] = "Bí mật của chị"
    member_client.post(url, body)  # a draft with her text
    page = member_client.get(url).content.decode()
    assert "Bí mật của chị" in page and str(member_a) in page
    shell = member_client.get(url, {"shell": "1"}).content.decode()
    assert "Bí mật của chị" not in shell, "no answers in the cached copy"
    assert str(member_a) not in shell and "Trần Thị Thành Viên" not in shell, "no name in the cached copy"
    assert 'data-shell="1"' in shell


def test_both_languages_of_the_shell_are_available(member_client, deployment_a):
    url = reverse("surveys:fill", args=[deployment_a.token])
    english = member_client.get(url, {"shell": "1", "lang": "en"}).content.decode()
    vietnamese = member_client.get(url, {"shell": "1", "lang": "vi"}).content.decode()
    assert 'lang="en"' in english and "Submit" in english
    assert 'lang="vi"' in vietnamese and "Gửi" in vietnamese


def test_the_draft_key_differs_per_person_so_a_shared_phone_never_offers_her_draft_to_another(
    client_for, member_a, deployment_a, network_a, make_member
):
    url = reverse("surveys:fill", args=[deployment_a.token])
    first = client_for(member_a).get(url).content.decode()
    other = make_member(network_a)
    second = client_for(other.user).get(url).content.decode()

    def key(page):
        return page.split('data-offline-key="')[1].split('"')[0]

    assert key(first) != key(second)


def test_the_service_worker_and_manifest_are_served(client):
    worker = client.get("/sw.js")
    assert worker.status_code == 200
    assert worker["Content-Type"].startswith("application/javascript")
    assert worker["Service-Worker-Allowed"] == "/"
    assert "caches.open" in worker.content.decode()
    manifest = client.get(reverse("surveys_manifest")).json()
    assert manifest["display"] == "standalone" and {i["sizes"] for i in manifest["icons"]} == {"192x192", "512x512"}
