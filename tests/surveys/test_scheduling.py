"""Sending on time: invitations are queued when a survey is deployed and go out when it
opens; reminders go to those who have not answered before it closes; subjects name the
training and the phase. Celery beat runs the job; ``send_due_messages`` does it from cron."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from portal import sms
from portal.models import OutgoingSMS
from surveys import services
from surveys.models import Deployment, Response, SurveyInvitation
from tests.factories import EventFactory, MembershipFactory

pytestmark = pytest.mark.django_db


def _deploy_post(template, **extra):
    return {"template": template.pk, **extra}


@pytest.fixture
def training(network_a):
    return EventFactory(title="Lãnh đạo trong chuyển đổi số", networks=[network_a])


def _create(template, staff, *, opens_in, closes_in, **kwargs):
    now = timezone.now()
    return services.deployment_create(
        user=staff, template=template, opens_at=now + opens_in, closes_at=now + closes_in, **kwargs
    )


def test_invitations_wait_for_the_opening_and_name_the_training_and_phase(
    shipped_templates, staff_a, network_a, training, django_capture_on_commit_callbacks
):
    from surveys.models import SurveyTemplate

    MembershipFactory(network=network_a, person__email="hoa@example.org")
    MembershipFactory(network=network_a, person__email="", person__phone="+84912345678")
    template = SurveyTemplate.objects.get(family="training-pre-post")
    with django_capture_on_commit_callbacks(execute=True):
        deployment = _create(
            template, staff_a, opens_in=timedelta(days=2), closes_in=timedelta(days=9), event=training, phase="pre"
        )
    assert SurveyInvitation.objects.filter(deployment=deployment).count() == 2
    assert mail.outbox == [] and sms.outbox == [], "nothing goes out before the survey opens"
    assert services.survey_messages_send_due() == {"sent": 0, "reminded": 0}
    with django_capture_on_commit_callbacks(execute=True):
        result = services.survey_messages_send_due(now=deployment.opens_at + timedelta(minutes=1))
    assert result["sent"] == 2
    [message] = mail.outbox
    assert message.subject == "Khảo sát: Phiếu trước tập huấn — Lãnh đạo trong chuyển đổi số"
    invitation = SurveyInvitation.objects.get(person__email="hoa@example.org")
    # Her personal link (the signed token starts with her invitation's token).
    assert f"/surveys/s/{deployment.token}/p/{invitation.token}:" in message.body
    [text] = sms.outbox
    assert text.to == "+84912345678" and "Phiếu trước tập huấn — Lãnh đạo trong chuyển đổi số" in text.text
    # Idempotent: a second run sends nothing.
    assert services.survey_messages_send_due(now=deployment.opens_at + timedelta(minutes=6))["sent"] == 0


def test_reminders_go_only_to_those_who_have_not_answered(template, staff_a, network_a):
    answered = MembershipFactory(network=network_a, person__email="da.tra.loi@example.org").person
    MembershipFactory(network=network_a, person__email="chua.tra.loi@example.org")
    deployment = _create(
        template, staff_a, opens_in=-timedelta(days=5), closes_in=timedelta(days=3), network=network_a, reminder_days=2
    )
    services.survey_messages_send_due()
    assert len(mail.outbox) == 2
    Response.objects.create(
        deployment=deployment,
        person=answered,
        respondent_key=f"person:{answered.pk}",
        status="submitted",
        province_id=network_a.province_id,
    )
    mail.outbox.clear()
    assert services.survey_messages_send_due()["reminded"] == 0, "three days before closing: too early"
    later = deployment.closes_at - timedelta(days=1)
    assert services.survey_messages_send_due(now=later)["reminded"] == 1
    [reminder] = mail.outbox
    assert reminder.to == ["chua.tra.loi@example.org"] and reminder.subject.startswith("Nhắc nhở:")
    assert services.survey_messages_send_due(now=later)["reminded"] == 0


def test_the_cron_command_sends_what_is_due(template, staff_a, network_a, capsys):
    MembershipFactory(network=network_a, person__email="hoa@example.org")
    _create(template, staff_a, opens_in=-timedelta(hours=1), closes_in=timedelta(days=9), network=network_a)
    mail.outbox.clear()
    SurveyInvitation.objects.update(sent_at=None)
    call_command("send_due_messages")
    assert "invitations sent: 1" in capsys.readouterr().out
    assert len(mail.outbox) == 1


def test_deploying_queues_the_invitations_in_the_request(
    template, staff_a, network_a, client_for, django_capture_on_commit_callbacks
):
    for _ in range(3):
        MembershipFactory(network=network_a)
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(staff_a).post(
            reverse("surveys:new"),
            {
                "template": template.pk,
                "network": network_a.pk,
                "opens_at": (timezone.localtime() + timedelta(days=3)).strftime("%d/%m/%Y %H:%M"),
                "closes_at": (timezone.localtime() + timedelta(days=10)).strftime("%d/%m/%Y %H:%M"),
                "link_mode": "anonymous",
                "reminder_days": "1",
            },
        )
    assert response.status_code == 302, response.content.decode()[:3000]
    deployment = Deployment.objects.get()
    assert deployment.link_mode == "anonymous" and deployment.reminder_days == 1
    assert deployment.invitations.count() == 3 and mail.outbox == []


def test_an_sms_gateway_failure_leaves_the_message_queued_and_visible_to_staff(
    template, staff_a, network_a, client_for, settings, django_capture_on_commit_callbacks
):
    settings.SMS_BACKEND = "portal.sms.FailingBackend"
    MembershipFactory(network=network_a, person__email="", person__phone="+84912345678", person__full_name="Vi Thị SMS")
    with django_capture_on_commit_callbacks(execute=True):
        deployment = _create(
            template, staff_a, opens_in=-timedelta(hours=1), closes_in=timedelta(days=9), network=network_a
        )
    message = OutgoingSMS.objects.get()
    assert message.status == "queued" and message.attempts == 1 and "refused" in message.last_error
    assert message.next_attempt_at > timezone.now()
    page = client_for(staff_a).get(reverse("surveys:detail", args=[deployment.pk])).content.decode()
    assert "Vi Thị SMS" in page and "SMS đang chờ gửi lại" in page
    # The gateway is back: the retry job gets it through.
    settings.SMS_BACKEND = "portal.sms.MemoryBackend"
    OutgoingSMS.objects.update(next_attempt_at=timezone.now())
    assert sms.sms_retry_due() == 1
    message.refresh_from_db()
    assert message.status == "sent" and sms.outbox[0].to == "+84912345678"
