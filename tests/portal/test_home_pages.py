"""Each role's home page lists what to do next, each item a link, in a fixed number of
queries whatever the number of pending items."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from events import services as event_services
from members.models import Membership
from networks.models import Task
from tests.factories import EventFactory, MembershipFactory, PersonFactory

pytestmark = pytest.mark.django_db


def _section(response, key):
    return next(s for s in response.context["sections"] if s.key == key)


def test_staff_home_lists_pending_work_of_her_province_only(client_for, staff_a, network_a, network_b):
    applicant = MembershipFactory(network=network_a, status="applied", person__full_name="Ứng Viên Đã Nộp").person
    MembershipFactory(network=network_b, status="applied", person__full_name="Người Tỉnh B")
    PersonFactory(province=network_a.province, full_name="Xin Xóa Dữ Liệu", removal_requested_at=timezone.now())
    EventFactory(networks=[network_a], title="Tập huấn tuần này", starts_at=timezone.now() + datetime.timedelta(days=2))
    task_person = MembershipFactory(network=network_a).person
    Task.objects.create(network=network_a, title="Đặt hội trường", assignee=task_person, deadline=timezone.localdate())
    response = client_for(staff_a).get("/")
    page = response.content.decode()
    applications = _section(response, "applications")
    assert applications.count == 1 and applications.items[0].label == applicant.full_name
    membership = Membership.objects.get(person=applicant)
    assert reverse("members:membership", args=[membership.pk]) in page
    assert "Người Tỉnh B" not in page
    assert _section(response, "removals").count == 1 and "Xin Xóa Dữ Liệu" in page
    assert _section(response, "events_week").count == 1 and "Tập huấn tuần này" in page
    assert _section(response, "tasks").count == 1 and "Đặt hội trường" in page


def test_an_action_clears_the_item(client_for, staff_a, network_a):
    membership = MembershipFactory(network=network_a, status="applied")
    client = client_for(staff_a)
    assert _section(client.get("/"), "applications").count == 1
    from members import services

    services.membership_admit(memberships=[membership], actor=staff_a, decision_number="01/QĐ")
    assert _section(client.get("/"), "applications").count == 0


def test_member_home_lists_upcoming_events_and_her_tasks(client_for, member_a, network_a, staff_a):
    event = EventFactory(networks=[network_a], title="Hội thảo sắp tới")
    event_services.invitation_invite_members(event=event, by=staff_a)
    Task.objects.create(
        network=network_a, title="Viết tin bài", assignee=member_a.person, deadline=timezone.localdate()
    )
    response = client_for(member_a).get("/")
    page = response.content.decode()
    assert _section(response, "events").count == 1
    assert reverse("events:detail", args=[event.pk]) in page
    task = Task.objects.get()
    assert reverse("networks:task", args=[task.pk]) in page
    # She opens her task and marks it done; it leaves her list.
    client = client_for(member_a)
    assert client.get(reverse("networks:task", args=[task.pk])).status_code == 200
    client.post(reverse("networks:task", args=[task.pk]), {"status": "done"})
    task.refresh_from_db()
    assert task.status == "done"
    assert _section(client.get("/"), "my_tasks").count == 0


def test_board_home_lists_her_network(client_for, board_member_a, network_a, network_b):
    MembershipFactory(network=network_a, status="applied")
    MembershipFactory(network=network_b, status="applied")
    EventFactory(
        networks=[network_b], title="Sự kiện mạng lưới B", starts_at=timezone.now() + datetime.timedelta(days=1)
    )
    response = client_for(board_member_a).get("/")
    assert _section(response, "applications").count == 1
    assert _section(response, "events_week").count == 0
    assert "Sự kiện mạng lưới B" not in response.content.decode()


def test_donor_home_shows_counts_only_with_small_cells_hidden(client_for, donor_viewer, network_a, network_b):
    for _ in range(6):
        MembershipFactory(network=network_a)
    MembershipFactory(network=network_b, person__full_name="Chỉ Một Người")
    response = client_for(donor_viewer).get("/")
    rows = {r.province: r for r in response.context["dashboard"]}
    assert rows[network_a.province.name].members == 6
    assert rows[network_b.province.name].members == "<5"
    page = response.content.decode()
    assert "Chỉ Một Người" not in page and "&lt;5" in page


def _pending(network, n):
    for i in range(n):
        person = MembershipFactory(network=network, status="applied").person
        person.removal_requested_at = timezone.now()
        person.save()
        EventFactory(
            networks=[network], starts_at=timezone.now() + datetime.timedelta(hours=i + 1), awaiting_approval=True
        )
        Task.objects.create(network=network, title=f"Việc {i}", assignee=person, deadline=timezone.localdate())


def test_staff_home_queries_do_not_grow_with_pending_items(client_for, staff_a, network_a):
    client = client_for(staff_a)
    _pending(network_a, 2)
    client.get("/")
    with CaptureQueriesContext(connection) as few:
        client.get("/")
    _pending(network_a, 15)
    with CaptureQueriesContext(connection) as many:
        client.get("/")
    assert len(many) == len(few)
