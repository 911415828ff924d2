"""A board member runs her own network, and only it: events, invitations, check-in,
sign-in sheet, announcements and tasks; another network's pages are 404, GET or POST."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail
from django.urls import reverse

from events.models import Attendance, Event, Invitation
from networks.models import Announcement, Network, Task
from networks.services import tasks_send_due_reminders
from portal import sms
from tests.factories import EventFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def members(network_a):
    return [
        # One phone per person in a province (a database constraint since issue 9).
        MembershipFactory(network=network_a, person__full_name=n, person__phone=f"+8491234567{i}").person
        for i, n in enumerate(("Lê Thị Hoa", "Phạm Thu Hà"))
    ]


@pytest.fixture
def board_b(network_b):
    return UserFactory(email="board-b@example.org", role="board", network=network_b)


def _event_data(network, **extra):
    return {
        "title": "Họp Ban Chủ nhiệm quý 4",
        "kind": "other",
        "networks": [network.pk],
        "starts_at": "2026-12-05T08:00",
        "ends_at": "2026-12-05T11:00",
        "duration_days": "0.5",
        "mode": "in_person",
        "venue": "Trụ sở Hội",
        "status": "planned",
        **extra,
    }


def test_board_member_creates_invites_checks_in_and_prints(client_for, board_member_a, network_a, members):
    client = client_for(board_member_a)
    response = client.post(reverse("events:create"), _event_data(network_a))
    event = Event.objects.get()
    assert response.url == reverse("events:detail", args=[event.pk])
    assert not event.awaiting_approval and event.created_by == board_member_a
    client.post(reverse("events:invite_members", args=[event.pk]))
    assert Invitation.objects.filter(event=event).count() == 2
    client.post(reverse("events:checkin_person", args=[event.pk]), {"person": members[0].pk})
    assert Attendance.objects.filter(event=event, person=members[0]).exists()
    sheet = client.get(reverse("events:signin_sheet", args=[event.pk]))
    assert sheet.status_code == 200 and sheet["Content-Type"] == "application/pdf"


def test_board_member_cannot_create_an_event_for_another_network(client_for, board_member_a, network_b):
    response = client_for(board_member_a).post(reverse("events:create"), _event_data(network_b))
    assert response.status_code == 200
    assert not Event.objects.exists()


def test_staff_may_require_approval_of_board_events(client_for, board_member_a, staff_a, network_a, members):
    Network.objects.filter(pk=network_a.pk).update(requires_event_approval=True)
    client = client_for(board_member_a)
    client.post(reverse("events:create"), _event_data(network_a))
    event = Event.objects.get()
    assert event.awaiting_approval
    client.post(reverse("events:invite_members", args=[event.pk]))
    assert not Invitation.objects.exists()
    # Board members do not approve their own events.
    assert client.post(reverse("events:approve", args=[event.pk])).status_code == 404
    client_for(staff_a).post(reverse("events:approve", args=[event.pk]))
    event.refresh_from_db()
    assert not event.awaiting_approval
    client_for(board_member_a).post(reverse("events:invite_members", args=[event.pk]))
    assert Invitation.objects.count() == 2


def test_board_member_assigns_a_task_with_a_deadline_and_it_is_reminded(client_for, board_member_a, network_a, members):
    client = client_for(board_member_a)
    response = client.post(
        reverse("networks:tasks", args=[network_a.pk]),
        {"title": "Chuẩn bị hội trường", "assignee": members[0].pk, "deadline": "05/12/2026"},
    )
    assert response.status_code == 302
    task = Task.objects.get()
    assert task.deadline == datetime.date(2026, 12, 5) and task.status == "open"
    client.post(reverse("networks:task", args=[task.pk]), {"remind": "1"})
    assert len(mail.outbox) == 1 and "Chuẩn bị hội trường" in mail.outbox[0].body
    client.post(
        reverse("networks:task", args=[task.pk]),
        {"title": task.title, "assignee": members[0].pk, "deadline": "05/12/2026", "status": "done"},
    )
    task.refresh_from_db()
    assert task.status == "done"


def test_tasks_go_to_members_only(client_for, board_member_a, network_a, network_b):
    outsider = MembershipFactory(network=network_b).person
    client_for(board_member_a).post(
        reverse("networks:tasks", args=[network_a.pk]),
        {"title": "Việc", "assignee": outsider.pk, "deadline": "05/12/2026"},
    )
    assert not Task.objects.exists()


def test_due_tasks_are_reminded_once_a_day(network_a, members, board_member_a):
    from django.utils import timezone

    Task.objects.create(network=network_a, title="Gửi báo cáo", assignee=members[0], deadline=timezone.localdate())
    Task.objects.create(
        network=network_a, title="Việc xa", assignee=members[1], deadline=timezone.localdate() + datetime.timedelta(30)
    )
    assert tasks_send_due_reminders() == 1
    assert tasks_send_due_reminders() == 0
    assert len(mail.outbox) == 1


def test_board_member_announces_by_email_sms_and_zalo(client_for, board_member_a, network_a, members, settings):
    settings.SMS_BACKEND = "locmem"
    sms.outbox.clear()
    event = EventFactory(networks=[network_a], title="Tọa đàm tháng 12")
    response = client_for(board_member_a).post(
        reverse("networks:announce", args=[network_a.pk]),
        {
            "subject": "Tọa đàm tháng 12",
            "message": "Mời các chị tham dự.",
            "event": event.pk,
            "channels": ["email", "sms", "zalo"],
        },
        follow=True,
    )
    announcement = Announcement.objects.get()
    assert announcement.emails_sent == 2 and len(mail.outbox) == 2
    assert len(sms.outbox) == 2
    link = f"{settings.SITE_URL}{reverse('events:detail', args=[event.pk])}"
    assert link in announcement.zalo_text and "Mời các chị tham dự." in announcement.zalo_text
    assert announcement.zalo_text in response.content.decode().replace("&#x27;", "'")


@pytest.mark.parametrize(
    "name,method",
    [
        ("networks:tasks", "get"),
        ("networks:tasks", "post"),
        ("networks:announce", "get"),
        ("networks:announce", "post"),
    ],
)
def test_other_networks_pages_are_404_for_a_board_member(name, method, client_for, board_member_a, network_b):
    client = client_for(board_member_a)
    response = getattr(client, method)(reverse(name, args=[network_b.pk]), {"title": "x", "subject": "x"})
    assert response.status_code == 404
    assert not Task.objects.exists() and not Announcement.objects.exists()


def test_other_networks_event_is_404_for_a_board_member_get_and_post(client_for, board_member_a, network_b):
    event = EventFactory(networks=[network_b])
    client = client_for(board_member_a)
    for name in ("events:detail", "events:checkin", "events:signin_sheet", "events:venue_qr"):
        assert client.get(reverse(name, args=[event.pk])).status_code == 404
    for name in ("events:invite_members", "events:invite_guest", "events:checkin_person", "events:checkin_walk_in"):
        assert client.post(reverse(name, args=[event.pk]), {"person": "1"}).status_code == 404
    assert not Invitation.objects.exists() and not Attendance.objects.exists()


def test_other_networks_task_is_404(client_for, board_member_a, board_b, network_b):
    person = MembershipFactory(network=network_b).person
    task = Task.objects.create(network=network_b, title="Việc B", assignee=person, deadline=datetime.date(2026, 12, 1))
    assert client_for(board_member_a).get(reverse("networks:task", args=[task.pk])).status_code == 404
    assert client_for(board_member_a).post(reverse("networks:task", args=[task.pk]), {"remind": "1"}).status_code == 404
    assert client_for(board_b).get(reverse("networks:task", args=[task.pk])).status_code == 200


def test_members_and_donors_cannot_run_a_network(client_for, member_a, donor_viewer, network_a):
    for user in (member_a, donor_viewer):
        assert client_for(user).get(reverse("networks:tasks", args=[network_a.pk])).status_code == 404
        assert client_for(user).get(reverse("networks:announce", args=[network_a.pk])).status_code == 404
        assert client_for(user).get(reverse("events:create")).status_code == 404


def test_reminder_command_runs_the_task(network_a, members, capsys):
    from django.core.management import call_command
    from django.utils import timezone

    Task.objects.create(network=network_a, title="Nộp ảnh", assignee=members[0], deadline=timezone.localdate())
    call_command("send_task_reminders", "--link", "https://portal.example.org/")
    assert "1 reminders sent" in capsys.readouterr().out
    assert "https://portal.example.org/" in mail.outbox[0].body
