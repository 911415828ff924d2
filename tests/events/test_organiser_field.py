"""The event form's organising province (``Event.organiser``) of a shared event: central
staff choose any of the event's networks' provinces (or none: the Central Union alone);
provincial staff only their own, which is the default; a wrong choice is a clear
Vietnamese error and nothing is saved."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from events import services
from events.models import Event
from tests.factories import EventFactory, NetworkFactory, province

pytestmark = pytest.mark.django_db

NOT_AMONG = "Tỉnh chủ trì phải là một trong các tỉnh có mạng lưới tham gia sự kiện."


def _post(networks, **extra):  # noqa: ANN001, ANN202
    return {
        "title": "Hội thảo liên tỉnh",
        "kind": "workshop",
        "networks": [n.pk for n in networks],
        "starts_at": "2026-12-01T08:00",
        "ends_at": "2026-12-01T12:00",
        "duration_days": "0.5",
        "mode": "in_person",
        "venue": "Hà Nội",
        "status": "planned",
        **extra,
    }


def _edit_post(event, **extra):  # noqa: ANN001, ANN202
    data = _post([], **extra)
    del data["networks"]
    return data


def test_central_staff_choose_the_organiser_among_the_events_provinces(
    client_for, central_staff, network_a, network_b, province_b
):
    client = client_for(central_staff)
    page = client.get(reverse("events:create")).content.decode()
    assert 'name="organiser"' in page and "Chỉ Trung ương Hội" in page
    response = client.post(reverse("events:create"), _post([network_a, network_b], organiser=province_b.pk))
    assert response.status_code == 302
    assert Event.objects.get().organiser == province_b


def test_central_staff_may_leave_it_to_the_central_union(client_for, central_staff, network_a, network_b):
    response = client_for(central_staff).post(reverse("events:create"), _post([network_a, network_b]))
    assert response.status_code == 302
    assert Event.objects.get().organiser is None


def test_an_organiser_outside_the_events_provinces_is_a_clear_error(client_for, central_staff, network_a, network_b):
    outsider = NetworkFactory(province=province("quang_ngai"), name="Câu lạc bộ tỉnh C").province
    response = client_for(central_staff).post(
        reverse("events:create"), _post([network_a, network_b], organiser=outsider.pk)
    )
    assert response.status_code == 200
    assert NOT_AMONG in response.content.decode()
    assert not Event.objects.exists()


def test_provincial_staff_are_offered_only_their_own_province_by_default(
    client_for, staff_a, network_a, province_a, province_b, network_b
):
    client = client_for(staff_a)
    form = client.get(reverse("events:create")).context["form"]
    assert list(form.fields["organiser"].queryset) == [province_a]
    assert form.initial["organiser"] == province_a.pk
    response = client.post(reverse("events:create"), _post([network_a], organiser=province_b.pk))
    assert response.status_code == 200 and not Event.objects.exists()
    assert client.post(reverse("events:create"), _post([network_a])).status_code == 302
    assert Event.objects.get().organiser == province_a


def test_provincial_staff_cannot_hand_a_shared_event_to_another_province(
    client_for, staff_a, central_staff, network_a, network_b, province_a, province_b
):
    event = EventFactory(title="Hội thảo hai tỉnh", networks=[network_a, network_b])
    Event.objects.filter(pk=event.pk).update(organiser=province_a)
    url = reverse("events:edit", args=[event.pk])
    response = client_for(staff_a).post(url, _edit_post(event, organiser=province_b.pk))
    assert response.status_code == 200
    assert Event.objects.get(pk=event.pk).organiser == province_a
    # Central staff may: any of the event's provinces.
    response = client_for(central_staff).post(url, _edit_post(event, organiser=province_b.pk))
    assert response.status_code == 302
    assert Event.objects.get(pk=event.pk).organiser == province_b


def test_the_service_refuses_a_province_she_may_not_name(
    client_for, staff_a, network_a, province_b, board_member_a, province_a
):
    with pytest.raises(ValidationError) as refused:
        services.event_create(
            by=staff_a,
            networks=[network_a],
            title="Tập huấn",
            kind="training",
            starts_at=timezone.now(),
            ends_at=timezone.now(),
            duration_days=1,
            organiser=province_b,
        )
    assert "organiser" in refused.value.error_dict
    event = services.event_create(
        by=board_member_a,
        networks=[network_a],
        title="Sinh hoạt",
        kind="training",
        starts_at=timezone.now(),
        ends_at=timezone.now(),
        duration_days=1,
        venue="Nhà văn hoá",
    )
    assert event.organiser == province_a, "a board member's event is organised by her province"
    form = client_for(board_member_a).get(reverse("events:create")).context["form"]
    assert "organiser" not in form.fields, "a board member does not choose"
