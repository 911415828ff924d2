"""Representation figures, and constant query counts for the list, pipeline, dashboard and
network pages with 10 and 500 members."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from members.models import Membership, Person
from members.selectors import representation_for
from networks.models import BoardSeat, BoardTerm, Network
from tests.factories import MembershipFactory, PersonFactory

pytestmark = pytest.mark.django_db


def _members(network, n):
    communes = list(network.province.communes.all()[:5])
    people = Person.objects.bulk_create(
        [
            Person(
                province=network.province,
                full_name=f"Thành Viên {i}",
                ethnicity=("Kinh", "Tày", "Mường")[i % 3],
                year_of_birth=1960 + i % 40,
                category=("department", "business")[i % 2],
                commune=communes[i % 5],
                is_young_potential_leader=i % 4 == 0,
                search_text=f"thanh vien {i}",
            )
            for i in range(n)
        ]
    )
    Membership.objects.bulk_create(
        [Membership(network=network, person=p, status=Membership.Status.MEMBER) for p in people]
    )


def test_representation_counts(network_a):
    _members(network_a, 20)
    MembershipFactory(network=network_a, status=Membership.Status.CANDIDATE)  # not a member: not counted
    figures = representation_for(Network.objects.filter(pk=network_a.pk))
    assert figures["total"] == 20
    assert figures["kinh"] == 7 and figures["ethnic_minority"] == 13
    assert dict(figures["by_ethnicity"]) == {"Kinh": 7, "Tày": 7, "Mường": 6}
    assert {c: n for c, _l, n in figures["by_category"]}["business"] == 10
    assert figures["young_potential_leaders"] == 5 and figures["communes_covered"] == 5
    assert sum(n for _l, n in figures["by_age_band"]) == 20


def test_dashboard_is_scoped(client_for, staff_b, network_a):
    _members(network_a, 3)
    client = client_for(staff_b)
    assert client.get(reverse("members:dashboard"), {"network": network_a.pk}).status_code == 404
    assert client.get(reverse("members:dashboard")).context["figures"]["total"] == 0


def _count(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("url_name", ["members:list", "members:pipeline", "members:dashboard", "networks:detail"])
def test_query_count_is_constant_with_10_and_500_members(url_name, client_for, staff_a, network_a):
    term = BoardTerm.objects.create(network=network_a, starts_on=datetime.date(2026, 1, 1))
    client = client_for(staff_a)
    url = reverse(url_name, args=[network_a.pk]) if url_name == "networks:detail" else reverse(url_name)
    _members(network_a, 10)
    for p in Person.objects.all()[:3]:
        BoardSeat.objects.create(term=term, person=p, role="member")
    few = _count(client, url)
    _members(network_a, 490)
    many = _count(client, url)
    assert few == many, (few, many)


def test_network_page_shows_decision_board_plans_and_members(client_for, staff_a, network_a):
    network_a.decision_number = "QĐ 123/QĐ-HLHPN"
    network_a.save()
    member = MembershipFactory(network=network_a, person__full_name="Chủ Nhiệm A")
    term = BoardTerm.objects.create(network=network_a, starts_on=datetime.date(2026, 1, 1), how_elected="Lễ ra mắt")
    BoardSeat.objects.create(term=term, person=member.person, role="chair", tasks="Điều hành chung")
    body = client_for(staff_a).get(reverse("networks:detail", args=[network_a.pk])).content.decode()
    assert "QĐ 123/QĐ-HLHPN" in body and "Điều hành chung" in body and "Chủ Nhiệm A" in body


def test_donor_viewer_sees_no_names_on_the_network_page(client_for, donor_viewer, network_a):
    MembershipFactory(network=network_a, person__full_name="Tên Riêng Tư")
    body = client_for(donor_viewer).get(reverse("networks:detail", args=[network_a.pk])).content.decode()
    assert "Tên Riêng Tư" not in body


def test_board_seat_requires_network_membership(network_a):
    from django.core.exceptions import ValidationError

    term = BoardTerm.objects.create(network=network_a, starts_on=datetime.date(2026, 1, 1))
    outsider = PersonFactory(province=network_a.province)
    with pytest.raises(ValidationError):
        BoardSeat(term=term, person=outsider, role="chair").full_clean()


def test_admin_board_term_needs_exactly_one_chair(client_for, staff_a, network_a):
    m1 = MembershipFactory(network=network_a)
    m2 = MembershipFactory(network=network_a)
    url = reverse("admin:networks_boardterm_add")
    data = {
        "network": network_a.pk,
        "starts_on": "2026-01-01",
        "how_elected": "Lễ ra mắt",
        "seats-TOTAL_FORMS": "2",
        "seats-INITIAL_FORMS": "0",
        "seats-MIN_NUM_FORMS": "0",
        "seats-MAX_NUM_FORMS": "1000",
        "seats-0-person": m1.person.pk,
        "seats-0-role": "vice_chair",
        "seats-1-person": m2.person.pk,
        "seats-1-role": "member",
    }
    client = client_for(staff_a)
    response = client.post(url, data)
    assert response.status_code == 200 and not BoardTerm.objects.exists()
    data["seats-0-role"] = "chair"
    outsider = PersonFactory(province=network_a.province)
    data["seats-1-person"] = outsider.pk
    assert client.post(url, data).status_code == 200 and not BoardTerm.objects.exists()  # not a member
    data["seats-1-person"] = m2.person.pk
    assert client.post(url, data).status_code == 302
    assert BoardTerm.objects.get().seats.filter(role="chair").count() == 1


def test_central_staff_compare_provinces(client_for, central_staff, network_a, network_b):
    _members(network_a, 4)
    _members(network_b, 2)
    client = client_for(central_staff)
    assert client.get(reverse("members:dashboard")).context["figures"]["total"] == 6
    by_province = client.get(reverse("members:dashboard"), {"province": network_b.province_id})
    assert by_province.context["figures"]["total"] == 2


def test_staff_b_cannot_pick_province_a(client_for, staff_b, network_a, network_b):
    response = client_for(staff_b).get(reverse("members:dashboard"), {"province": network_a.province_id})
    assert response.status_code == 404


def test_representation_counts_two_people_with_the_same_name_and_attributes_twice(network_a, network_b):
    commune = network_a.province.communes.first()
    twins = Person.objects.bulk_create(
        [
            Person(
                province=network_a.province,
                full_name="Nguyễn Thị Hoa",
                ethnicity="Kinh",
                year_of_birth=1980,
                category="department",
                commune=commune,
                search_text="nguyen thi hoa",
            )
            for _ in range(2)
        ]
    )
    Membership.objects.bulk_create(
        [Membership(network=network_a, person=p, status=Membership.Status.MEMBER) for p in twins]
    )
    # One of them is also a member of a second network: still counted once.
    Membership.objects.create(network=network_b, person=twins[0], status=Membership.Status.MEMBER)
    figures = representation_for(Network.objects.filter(pk__in=[network_a.pk, network_b.pk]))
    assert figures["total"] == 2  # (the breakdowns of so small a group are withheld)
