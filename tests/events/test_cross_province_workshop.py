"""The evaluation workshop spans three provinces: staff of each see it, her own
province's attendees by name, and only totals for the others."""

from __future__ import annotations

import pytest
from django.urls import reverse

from events import services
from events.selectors import event_attendance_by_province, event_attendance_figures
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def attended_workshop(workshop, network_a, network_b, network_c, staff_a, staff_b, staff_c):
    """Each province invites her members; A has 2 present, B 1, C 3 plus a walk-in guest."""
    names = {
        network_a: ["Hưng Yên Một", "Hưng Yên Hai", "Hưng Yên Vắng"],
        network_b: ["Nghệ An Một", "Nghệ An Vắng"],
        network_c: ["Quảng Ngãi Một", "Quảng Ngãi Hai", "Quảng Ngãi Ba"],
    }
    people = {}
    for network, full_names in names.items():
        for name in full_names:
            people[name] = MembershipFactory(network=network, person__full_name=name).person
    for staff in (staff_a, staff_b, staff_c):
        services.invitation_invite_members(event=workshop, by=staff)
    for name in ["Hưng Yên Một", "Hưng Yên Hai", "Nghệ An Một", "Quảng Ngãi Một", "Quảng Ngãi Hai", "Quảng Ngãi Ba"]:
        staff = {network_a.province_id: staff_a, network_b.province_id: staff_b}.get(people[name].province_id, staff_c)
        services.attendance_check_in(event=workshop, person=people[name], by=staff)
    services.attendance_add_walk_in(
        event=workshop, by=staff_c, province=network_c.province, full_name="Khách Quảng Ngãi"
    )
    return workshop


def test_each_province_invites_only_her_own_members(attended_workshop):
    by_province = {row.province: row for row in event_attendance_by_province(attended_workshop)}
    assert by_province["Hưng Yên"].invited == 3
    assert by_province["Nghệ An"].invited == 2
    assert by_province["Quảng Ngãi"].invited == 3


@pytest.mark.parametrize(
    ("persona", "own", "others"),
    [
        ("staff_a", ["Hưng Yên Một", "Hưng Yên Hai", "Hưng Yên Vắng"], ["Nghệ An Một", "Quảng Ngãi Ba"]),
        ("staff_b", ["Nghệ An Một", "Nghệ An Vắng"], ["Hưng Yên Một", "Quảng Ngãi Ba", "Khách Quảng Ngãi"]),
        (
            "staff_c",
            ["Quảng Ngãi Một", "Quảng Ngãi Hai", "Quảng Ngãi Ba", "Khách Quảng Ngãi"],
            ["Hưng Yên Vắng", "Nghệ An Một"],
        ),
    ],
)
def test_staff_see_own_attendees_by_name_and_totals_for_the_others(
    attended_workshop, client_for, request, persona, own, others
):
    user = request.getfixturevalue(persona)
    response = client_for(user).get(reverse("events:detail", args=[attended_workshop.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    for name in own:
        assert name in page
    for name in others:
        assert name not in page
    assert not set(_names_in(response)) - set(own)
    # Totals for every province and for the whole event.
    rows = {row.province: (row.invited, row.attended) for row in response.context["by_province"]}
    assert rows == {"Hưng Yên": (3, 2), "Nghệ An": (2, 1), "Quảng Ngãi": (3, 4)}
    figures = response.context["figures"]
    assert (figures.invited, figures.attended, figures.walk_ins) == (8, 7, 1)


def _names_in(response):
    """The people listed by name on the event page (invitations and walk-ins)."""
    return [i.person.full_name for i in response.context["invitations"]] + [
        a.person.full_name for a in response.context["walk_ins"]
    ]


def test_figures_of_the_workshop_count_members_guests_and_half_days(attended_workshop):
    figures = event_attendance_figures(attended_workshop)
    assert figures.attended_members == 6
    assert figures.attended_guests == 1
    assert figures.invited_attended == 6
    assert figures.expected == 8
    assert figures.attendance_rate == pytest.approx(6 / 8)
    assert figures.participant_days == 7 * attended_workshop.duration_days == 3.5


def test_check_in_page_lists_only_own_province(attended_workshop, client_for, staff_b):
    response = client_for(staff_b).get(reverse("events:checkin", args=[attended_workshop.pk]))
    names = {i.person.full_name for i in response.context["invitations"]}
    assert names == {"Nghệ An Một", "Nghệ An Vắng"}
    assert "Hưng Yên Một" not in response.content.decode()


def test_staff_cannot_check_in_another_provinces_attendee(attended_workshop, client_for, staff_b):
    from members.models import Person

    person = Person.objects.get(full_name="Hưng Yên Vắng")
    response = client_for(staff_b).post(
        reverse("events:checkin_person", args=[attended_workshop.pk]), {"person": person.pk}
    )
    assert response.status_code == 404
    assert not person.event_attendances.exists()


def test_staff_cannot_add_a_walk_in_to_another_province(attended_workshop, staff_b, network_a):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        services.attendance_add_walk_in(
            event=attended_workshop, by=staff_b, province=network_a.province, full_name="Khách lạ"
        )


def test_sign_in_sheet_lists_only_own_province(attended_workshop, client_for, staff_a):
    from io import BytesIO

    from pypdf import PdfReader

    response = client_for(staff_a).get(reverse("events:signin_sheet", args=[attended_workshop.pk]))
    assert response["Content-Type"] == "application/pdf"
    text = " ".join(" ".join(page.extract_text() for page in PdfReader(BytesIO(response.content)).pages).split())
    assert "Hưng Yên Vắng" in text
    assert "Nghệ An Một" not in text
    assert "Quảng Ngãi Ba" not in text
