"""Personal survey links: every invited person — member or guest — opens her own
questionnaire without logging in; the draft is kept (also by the autosave request); once
submitted it is read-only. Bad links show a clear Vietnamese page and store nothing."""

from __future__ import annotations

import json
import time
from datetime import timedelta

import pytest
from django.core import signing
from django.urls import reverse
from django.utils import timezone

from surveys import services
from surveys.models import Response, SurveyInvitation
from tests.factories import MembershipFactory, PersonFactory
from tests.surveys.factories import deploy, opt, q

pytestmark = pytest.mark.django_db


@pytest.fixture
def member(network_a):
    return MembershipFactory(network=network_a, person__full_name="Đỗ Thị Riêng").person


@pytest.fixture
def invitation(deployment_a, member):
    services.deployment_queue_invitations(deployment=deployment_a)
    return SurveyInvitation.objects.get(deployment=deployment_a, person=member)


def _answers(template, **extra):
    return {
        f"q{q(template, 'single').pk}_opt": opt(template, "single", "right"),
        f"q{q(template, 'scale').pk}": "4",
        f"q{q(template, 'long').pk}": "Câu trả lời riêng của chị Riêng",
        **extra,
    }


def test_the_personal_link_opens_her_form_without_login_and_keeps_the_draft(client, invitation, template):
    path = services.personal_link_path(invitation)
    page = client.get(path)
    html = page.content.decode()
    assert page.status_code == 200 and "Đỗ Thị Riêng" in html and 'id="survey-form"' in html
    saved = client.post(path, _answers(template) | {"save": ""})
    assert saved.status_code == 302
    draft = Response.objects.get(deployment=invitation.deployment)
    assert draft.status == "draft" and draft.person == invitation.person
    assert "Câu trả lời riêng của chị Riêng" in client.get(path).content.decode()


def test_autosave_stores_the_draft_and_answers_in_json(client, invitation, template):
    path = services.personal_link_path(invitation)
    result = client.post(path, _answers(template), HTTP_X_AUTOSAVE="1")
    assert result.status_code == 200
    body = json.loads(result.content)
    assert body["ok"] and body["answered"] == 3 and body["total"] == template.questions.count()
    assert Response.objects.get().status == "draft"


def test_autosave_with_an_invalid_answer_stores_nothing(client, invitation, template):
    path = services.personal_link_path(invitation)
    result = client.post(path, _answers(template, **{f"q{q(template, 'scale').pk}": "9"}), HTTP_X_AUTOSAVE="1")
    assert result.status_code == 400 and not json.loads(result.content)["ok"]
    assert Response.objects.count() == 0


def test_once_submitted_the_link_shows_her_answers_read_only(client, invitation, template):
    path = services.personal_link_path(invitation)
    assert client.post(path, _answers(template) | {"submit": ""}).status_code == 302
    page = client.get(path).content.decode()
    assert 'id="submitted-note"' in page and "<fieldset disabled" in page and 'id="submit-survey"' not in page
    again = client.post(path, _answers(template, **{f"q{q(template, 'long').pk}": "Đổi ý"}) | {"submit": ""})
    assert again.status_code == 200
    assert not Response.objects.get().answers.filter(text="Đổi ý").exists()


def _assert_clear_page_and_nothing_stored(client, path, template, status):
    page = client.get(path)
    assert page.status_code == status and 'id="link-invalid"' in page.content.decode()
    assert 'lang="vi"' in page.content.decode()
    posted = client.post(path, _answers(template) | {"submit": ""})
    assert posted.status_code == status
    assert Response.objects.count() == 0


def test_a_tampered_link_shows_a_clear_page_and_stores_nothing(client, invitation, template):
    path = services.personal_link_path(invitation)
    _assert_clear_page_and_nothing_stored(client, path[:-3] + "xx/", template, 404)
    assert "không hợp lệ" in client.get(path[:-3] + "xx/").content.decode()


def test_an_expired_link_shows_a_clear_page_and_stores_nothing(client, invitation, template):
    class PastSigner(signing.TimestampSigner):
        def timestamp(self):
            return signing.b62_encode(int(time.time() - services.PERSONAL_LINK_MAX_AGE.total_seconds() - 60))

    signed = PastSigner(salt=services.PERSONAL_LINK_SALT).sign(invitation.token)
    path = reverse("surveys:personal", args=[invitation.deployment.token, signed])
    _assert_clear_page_and_nothing_stored(client, path, template, 404)
    assert "hết hạn" in client.get(path).content.decode()


def test_a_link_of_another_survey_shows_a_clear_page_and_stores_nothing(
    client, invitation, template, network_a, staff_a
):
    other = deploy(template, network=network_a, user=staff_a)
    signed = services.personal_link_path(invitation).rstrip("/").rsplit("/", 1)[1]
    path = reverse("surveys:personal", args=[other.token, signed])
    _assert_clear_page_and_nothing_stored(client, path, template, 404)
    assert "khảo sát khác" in client.get(path).content.decode()


def test_a_closed_survey_shows_a_clear_page_and_stores_nothing(client, invitation, template):
    deployment = invitation.deployment
    deployment.closes_at = timezone.now() - timedelta(minutes=1)
    deployment.save()
    path = services.personal_link_path(invitation)
    page = client.get(path)
    assert page.status_code == 410 and "đã đóng" in page.content.decode()
    assert client.post(path, _answers(template) | {"submit": ""}).status_code == 410
    assert client.post(path, _answers(template), HTTP_X_AUTOSAVE="1").status_code == 410
    assert Response.objects.count() == 0


def test_a_guest_link_never_reveals_another_persons_data(client, invitation, template, training_event):
    # The member answered; a guest of the same survey opens her own link.
    client.post(services.personal_link_path(invitation), _answers(template) | {"submit": ""})
    guest = PersonFactory(province=invitation.person.province, full_name="Khách Mời Hạnh", email="")
    guest_invitation = SurveyInvitation.objects.create(deployment=invitation.deployment, person=guest, is_guest=True)
    page = client.get(services.personal_link_path(guest_invitation)).content.decode()
    assert "Khách Mời Hạnh" in page
    assert "Đỗ Thị Riêng" not in page and "Câu trả lời riêng của chị Riêng" not in page
    assert 'id="submitted-note"' not in page  # her own, empty questionnaire
    # Her answers go to her own response, never to the member's.
    client.post(services.personal_link_path(guest_invitation), _answers(template) | {"submit": ""})
    assert set(Response.objects.values_list("person__full_name", flat=True)) == {"Đỗ Thị Riêng", "Khách Mời Hạnh"}


@pytest.fixture
def training_event(network_a):
    from tests.factories import EventFactory

    return EventFactory(networks=[network_a])
