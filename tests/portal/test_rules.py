"""The one table of actions (portal.rules): what each role may do, and the portal's
POSTs on a shared (three-province) event refused to a province that does not run it."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.template import Context, Template
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from events.models import AgendaItem, Event, MediaCoverage
from portal.rules import RULES, Predicate, may
from surveys.models import Deployment
from tests.factories import EventFactory, MembershipFactory, NetworkFactory, UserFactory, province
from tests.surveys.factories import full_template

pytestmark = pytest.mark.django_db


@pytest.fixture
def network_c(reference_data):
    return NetworkFactory(province=province("quang_ngai"), name="Câu lạc bộ tỉnh C")


@pytest.fixture
def workshop(network_a, network_b, network_c, province_a):
    """A workshop shared by three provinces, organised by province A."""
    event = EventFactory(title="Hội thảo ba tỉnh", networks=[network_a, network_b, network_c])
    event.organiser = province_a
    event.save()
    return event


@pytest.fixture
def training_a(network_a):
    return EventFactory(title="Tập huấn tỉnh A", networks=[network_a])


def test_every_rule_is_a_predicate_in_one_table():
    assert RULES, "the table exists"
    for name, rule in RULES.items():
        assert isinstance(rule, Predicate), name
    for name in ("manage_event", "manage_network", "see_names_here", "import_members", "anonymise_person"):
        assert name in RULES
    for name in ("write_overall_lessons", "request_report", "request_donor_report", "deploy_survey"):
        assert name in RULES


def test_an_unknown_action_is_an_error_not_a_yes(staff_a):
    with pytest.raises(KeyError):
        may(staff_a, "launch_rockets")


def test_anonymous_and_inactive_users_may_nothing(training_a, staff_a):
    from django.contrib.auth.models import AnonymousUser

    staff_a.is_active = False
    assert not may(staff_a, "manage_event", training_a)
    assert not may(AnonymousUser(), "manage_event", training_a)
    assert not may(None, "read_reports")


def test_shared_event_is_managed_by_central_and_the_organising_province_only(
    workshop, central_staff, staff_a, staff_b, board_member_a, donor_viewer
):
    assert may(central_staff, "manage_event", workshop)
    assert may(staff_a, "manage_event", workshop), "A organises it"
    assert not may(staff_b, "manage_event", workshop), "B takes part but does not run it"
    assert not may(board_member_a, "manage_event", workshop)
    assert not may(donor_viewer, "manage_event", workshop)
    # Every province still sees its own people and checks them in.
    assert may(staff_b, "see_event_people", workshop)
    assert may(staff_b, "check_in_at_event", workshop)
    workshop.organiser = None
    assert not may(staff_a, "manage_event", workshop), "without an organiser only the Central Union runs it"


def test_own_province_event_and_other_province_event(training_a, staff_a, staff_b):
    assert may(staff_a, "manage_event", training_a)
    assert not may(staff_b, "manage_event", training_a)
    assert not may(staff_b, "see_event_people", training_a)


def test_role_by_action_table(network_a, province_a, province_b, central_staff, staff_a, staff_b, donor_viewer):
    assert may(staff_a, "manage_network", network_a) and not may(staff_b, "manage_network", network_a)
    assert may(staff_a, "import_members", province_a) and not may(staff_a, "import_members", province_b)
    assert may(central_staff, "import_members", province_b)
    assert may(central_staff, "write_overall_lessons") and not may(staff_a, "write_overall_lessons")
    assert may(central_staff, "request_donor_report") and not may(staff_a, "request_donor_report")
    assert may(donor_viewer, "read_reports") and not may(donor_viewer, "see_names_here", network_a)
    assert may(staff_a, "see_names_here", network_a) and not may(staff_b, "see_names_here", network_a)
    person = MembershipFactory(network=network_a).person
    assert may(staff_a, "anonymise_person", person) and not may(staff_b, "anonymise_person", person)


def test_template_tag_answers_from_the_table(workshop, staff_a, staff_b):
    template = Template('{% load access %}{% may "manage_event" event as ok %}{{ ok|yesno:"yes,no" }}')
    request = RequestFactory().get("/")
    request.user = staff_a
    assert template.render(Context({"request": request, "event": workshop})) == "yes"
    request.user = staff_b
    assert template.render(Context({"request": request, "event": workshop})) == "no"


# --- the portal's POSTs on a shared event ------------------------------------------------


def test_other_province_cannot_add_to_a_shared_events_agenda(workshop, staff_a, staff_b, client_for):
    data = {"agenda-day": "1", "agenda-starts_at": "08:00", "agenda-title": "Khai mạc"}
    url = reverse("events:add_agenda_item", args=[workshop.pk])
    assert client_for(staff_b).post(url, data).status_code == 404
    assert not AgendaItem.objects.exists()
    assert client_for(staff_a).post(url, data).status_code == 302, "positive control: the organiser may"
    assert AgendaItem.objects.filter(event=workshop).count() == 1


def test_other_province_cannot_add_news_to_a_shared_event(workshop, staff_a, staff_b, client_for):
    data = {"media-outlet": "Báo", "media-title": "Tin", "media-url": "https://example.org/tin"}
    data["media-published_on"] = "2026-01-05"
    url = reverse("events:add_media", args=[workshop.pk])
    assert client_for(staff_b).post(url, data).status_code == 404
    assert not MediaCoverage.objects.exists()
    assert client_for(staff_a).post(url, data).status_code == 302
    assert MediaCoverage.objects.filter(event=workshop).count() == 1


def test_other_province_cannot_edit_a_shared_event(workshop, staff_b, client_for):
    assert client_for(staff_b).get(reverse("events:edit", args=[workshop.pk])).status_code == 404
    response = client_for(staff_b).post(reverse("events:edit", args=[workshop.pk]), {"title": "Đổi"})
    assert response.status_code == 404
    assert Event.objects.get(pk=workshop.pk).title == "Hội thảo ba tỉnh"


def test_other_province_cannot_deploy_a_survey_on_a_shared_event(
    workshop, network_a, network_b, staff_a, staff_b, client_for, django_capture_on_commit_callbacks
):
    MembershipFactory(network=network_a, person__email="a@example.org")
    MembershipFactory(network=network_b, person__email="b@example.org")
    template = full_template(kind="training", family="prepost-test")
    data = {
        "template": template.pk,
        "event": workshop.pk,
        "phase": "pre",
        "opens_at": (timezone.now() - timedelta(days=1)).strftime("%Y-%m-%dT%H:%M"),
        "closes_at": (timezone.now() + timedelta(days=30)).strftime("%Y-%m-%dT%H:%M"),
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(staff_b).post(reverse("surveys:new"), data)
    assert response.status_code == 404
    assert not Deployment.objects.exists()
    assert mail.outbox == [], "nobody of another province is e-mailed"
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(staff_a).post(reverse("surveys:new"), data)
    assert response.status_code == 302, "positive control: the organising province deploys it"
    assert Deployment.objects.count() == 1


def test_a_service_call_on_a_shared_event_is_refused_too(workshop, staff_b):
    from django.core.exceptions import PermissionDenied

    from surveys.services import deployment_create

    with pytest.raises(PermissionDenied):
        deployment_create(
            user=staff_b,
            template=full_template(kind="training", family="prepost-svc"),
            event=workshop,
            phase="pre",
            opens_at=timezone.now(),
            closes_at=timezone.now() + timedelta(days=3),
        )


def test_a_provincial_event_is_organised_by_her_province(network_a, staff_a, province_a):
    from events.services import event_create

    event = event_create(
        by=staff_a,
        networks=[network_a],
        title="Tập huấn",
        kind="training",
        starts_at=timezone.now() + timedelta(days=2),
        ends_at=timezone.now() + timedelta(days=2, hours=8),
        duration_days=1,
        venue="Hội trường",
    )
    assert event.organiser == province_a


def test_central_staff_name_the_organiser_of_a_shared_event(network_a, network_b, central_staff, province_a):
    from events.services import event_create

    staff = UserFactory(email="x@example.org", role="provincial", province=province_a)
    event = event_create(
        by=central_staff,
        networks=[network_a, network_b],
        title="Hội thảo",
        kind="workshop",
        starts_at=timezone.now() + timedelta(days=2),
        ends_at=timezone.now() + timedelta(days=2, hours=8),
        duration_days=1,
        venue="Hà Nội",
        organiser=province_a,
    )
    assert may(staff, "manage_event", event)
