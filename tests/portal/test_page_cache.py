"""List pages drawn once per version of their tables (raised by database triggers),
scope, language and query string, then served from the cache: a repeat view costs a few
queries, every write shows on the next view, and nobody gets another scope's page."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from events.models import Attendance, Invitation
from members.services import LawfulBasis, person_create
from portal import caching
from tests.factories import EventFactory, MembershipFactory, PersonFactory

pytestmark = pytest.mark.django_db


def _view(client, name, **params):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse(name), params)
    assert response.status_code == 200
    page = response.content.decode()
    return page[page.index("<main") : page.index("</main>")], len(queries)


def test_member_list_repeat_view_is_cheap_and_a_new_person_shows(network_a, staff_a, client_for):
    MembershipFactory(network=network_a, person__full_name="Lò Thị Hiền")
    client = client_for(staff_a)
    first, first_queries = _view(client, "members:list")
    again, again_queries = _view(client, "members:list")
    assert again == first and "Lò Thị Hiền" in first
    assert again_queries < first_queries
    person_create(
        province_id=network_a.province_id,
        data={"full_name": "Vàng Thị Mỷ"},
        basis=LawfulBasis.official_list(source="Danh sách thử", by=staff_a),
        actor=staff_a,
    )
    after, _ = _view(client, "members:list")
    assert "Vàng Thị Mỷ" in after


def test_member_search_pages_are_kept_per_query_and_scope(network_a, network_b, staff_a, staff_b, client_for):
    for network, name in ((network_a, "Hà Thị Trang"), (network_b, "Hà Thị Trâm")):
        person_create(
            province_id=network.province_id,
            data={"full_name": name},
            basis=LawfulBasis.official_list(source="Danh sách thử"),
        )
    found_a, _ = _view(client_for(staff_a), "members:list", q="ha thi")
    found_b, _ = _view(client_for(staff_b), "members:list", q="ha thi")
    assert "Hà Thị Trang" in found_a and "Hà Thị Trâm" not in found_a
    assert "Hà Thị Trâm" in found_b and "Hà Thị Trang" not in found_b
    assert "Hà Thị Trâm" not in _view(client_for(staff_a), "members:list", q="tram")[0]


def test_an_unknown_parameter_is_served_but_not_kept(network_a, staff_a, client_for):
    MembershipFactory(network=network_a)
    client = client_for(staff_a)
    _view(client, "members:list", utm="x")
    _first, first_queries = _view(client, "members:list", utm="y")
    _again, again_queries = _view(client, "members:list", utm="y")
    assert again_queries == first_queries  # rendered each time


def test_event_list_and_attendance_follow_invitations_and_check_ins(network_a, staff_a, client_for):
    event = EventFactory(
        title="Tập huấn kỹ năng số",
        networks=[network_a],
        starts_at=timezone.now() - timedelta(days=2),
        ends_at=timezone.now() - timedelta(days=1),
    )
    person = PersonFactory(province=network_a.province, full_name="Sầm Thị Lan")
    client = client_for(staff_a)
    listed, _ = _view(client, "events:list")
    assert "Tập huấn kỹ năng số" in listed
    before, _ = _view(client, "events:attendance_by_member")
    assert "Sầm Thị Lan" not in before
    invitation = Invitation.objects.create(
        event=event, person=person, is_member=False, status=Invitation.Status.ACCEPTED
    )
    Attendance.objects.create(
        event=event, person=person, invitation=invitation, is_member=False, checked_in_at=event.starts_at
    )
    after, _ = _view(client, "events:attendance_by_member")
    assert "Sầm Thị Lan" in after and "100" in after.split("Sầm Thị Lan", 1)[1][:400]


def test_pages_that_say_what_is_past_are_drawn_again_each_minute(network_a, staff_a, client_for, monkeypatch):
    EventFactory(networks=[network_a])
    client = client_for(staff_a)
    _view(client, "events:list")
    _cached, cached_queries = _view(client, "events:list")
    clock = caching.time.time() + 60
    monkeypatch.setattr(caching.time, "time", lambda: clock)
    _drawn, drawn_queries = _view(client, "events:list")
    assert drawn_queries > cached_queries


def test_survey_list_counts_follow_responses(network_a, staff_a, client_for):
    from tests.surveys.factories import deploy, full_template
    from tests.surveys.test_results import fill

    deployment = deploy(full_template(), network=network_a, user=staff_a)
    client = client_for(staff_a)
    before, _ = _view(client, "surveys:list")
    fill(deployment, network_a, 3)
    after, _ = _view(client, "surveys:list")
    assert before != after


def _get(client, url):
    response = client.get(url)
    assert response.status_code == 200
    page = response.content.decode()
    return page[page.index("<main") : page.index("</main>")]


def test_network_page_follows_any_write_and_is_kept_per_user(network_a, staff_a, staff_b, central_staff, client_for):
    from networks.models import Network

    url = reverse("networks:detail", args=[network_a.pk])
    first = _get(client_for(staff_a), url)
    assert network_a.name in first
    Network.objects.filter(pk=network_a.pk).update(name="Mạng lưới Nữ lãnh đạo mới")
    assert "Mạng lưới Nữ lãnh đạo mới" in _get(client_for(staff_a), url)
    central = _get(client_for(central_staff), url)
    assert "Mạng lưới Nữ lãnh đạo mới" in central
    assert client_for(staff_b).get(url).status_code == 404  # the wall stands before the cache


def test_prepost_page_follows_new_surveys(network_a, staff_a, client_for):
    from surveys.models import Deployment
    from tests.surveys.factories import deploy, full_template

    event = EventFactory(networks=[network_a])
    url = reverse("surveys:prepost", args=[event.pk])
    client = client_for(staff_a)
    assert 'class="msg warning"' in _get(client, url)
    template = full_template()
    deploy(template, network=network_a, user=staff_a, event=event, phase=Deployment.Phase.PRE)
    deploy(template, network=network_a, user=staff_a, event=event, phase=Deployment.Phase.POST)
    assert 'class="msg warning"' not in _get(client, url)


def test_pipeline_rows_are_shared_but_each_form_has_its_own_token(network_a, staff_a, province_a, client_for):
    import re

    from members.models import Membership
    from tests.factories import UserFactory

    candidate = MembershipFactory(
        network=network_a, status=Membership.Status.CANDIDATE, person__full_name="Lường Thị Xuân"
    )
    colleague = UserFactory(email="colleague@example.org", role="provincial", province=province_a)
    url = reverse("members:pipeline")
    pages = [client_for(user).get(url).content.decode() for user in (staff_a, colleague)]
    tokens = [re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1) for page in pages]
    assert all("Lường Thị Xuân" in page for page in pages) and tokens[0] != tokens[1]
    client = client_for(staff_a)
    client.post(url, {"action": "approve", "memberships": [candidate.pk], "reference": "CV 12/2026"})
    candidate.refresh_from_db()
    assert candidate.status == Membership.Status.APPROVED
    row = client.get(url).content.decode().split("Lường Thị Xuân", 1)[1].split("</tr>", 1)[0]
    with translation.override("vi"):
        approved, candidate_label = str(Membership.Status.APPROVED.label), str(Membership.Status.CANDIDATE.label)
    assert approved in row and candidate_label not in row
