"""Accent-insensitive search, phone normalisation, and the profile rules."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from members import services
from members.models import ETHNIC_GROUPS
from members.phones import normalise_phone
from members.selectors import person_search
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("raw", ["0912 345 678", "+84 912 345 678", "84912345678", "0912.345.678"])
def test_phone_numbers_are_stored_as_e164(raw):
    assert normalise_phone(raw) == "+84912345678"


def test_a_bad_phone_is_refused_in_vietnamese():
    with pytest.raises(ValidationError, match="không phải là số điện thoại hợp lệ"):
        normalise_phone("0912")


def test_the_official_list_has_54_groups():
    assert len(set(ETHNIC_GROUPS)) == 54 and {"Kinh", "Tày", "Thái", "Mường", "Khmer", "Ê Đê", "Xơ Đăng"} <= set(
        ETHNIC_GROUPS
    )


@pytest.mark.parametrize(
    "query", ["nguyen thi hoa", "NGUYỄN THỊ HOA", "hoa", "0912 345", "+84912345678", "HOA@EXAMPLE", "so tai chinh"]
)
def test_search_ignores_accents_and_case(query, staff_a, candidate_a):
    PersonFactory(province=candidate_a.network.province, full_name="Trần Văn Khác", organisation="Công ty")
    assert list(person_search(user=staff_a, query=query)) == [candidate_a.person]


def test_search_handles_d_with_stroke(staff_a, province_a):
    person = services.person_create(
        province_id=province_a.pk,
        data={"full_name": "Đặng Thị Đào"},
        basis=services.LawfulBasis.official_list(source="Danh sách thử", by=None),
    )
    assert list(person_search(user=staff_a, query="dang thi dao")) == [person]


def test_search_never_crosses_provinces(staff_b, candidate_a):
    assert list(person_search(user=staff_b, query="nguyen thi hoa")) == []


def test_member_list_page_searches(client_for, staff_a, candidate_a):
    page = client_for(staff_a).get(reverse("members:list"), {"q": "nguyen thi hoa"})
    assert list(page.context["people"]) == [candidate_a.person]


def test_other_province_gets_404_on_person_pages(client_for, staff_b, candidate_a):
    client = client_for(staff_b)
    for name in ("members:person", "members:person_edit"):
        assert client.get(reverse(name, args=[candidate_a.person.pk])).status_code == 404
    assert client.post(reverse("members:person_anonymise", args=[candidate_a.person.pk])).status_code == 404
    candidate_a.person.refresh_from_db()
    assert candidate_a.person.full_name == "Nguyễn Thị Hoa"


def test_staff_edit_keeps_search_text_current(client_for, staff_a, candidate_a):
    person = candidate_a.person
    data = {"full_name": "Lò Thị Mai", "phone": "0987 654 321", "ethnicity": "Thái", "sensitive_consent": "on"}
    assert client_for(staff_a).post(reverse("members:person_edit", args=[person.pk]), data).status_code == 302
    person.refresh_from_db()
    assert "lo thi mai" in person.search_text and str(person.phone) == "+84987654321"


def test_a_commune_of_another_province_is_refused(staff_a, province_a, province_b):
    commune_b = province_b.communes.first()
    with pytest.raises(ValidationError):
        services.person_create(
            province_id=province_a.pk,
            data={"full_name": "X", "commune": commune_b},
            basis=services.LawfulBasis.official_list(source="Danh sách thử", by=None),
        )
