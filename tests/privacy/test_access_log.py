"""Issue 11 (4): the access log records who opened a person's page, exported a list with
personal columns or downloaded a report listing people; central staff search it, and it
is itself scoped."""

from __future__ import annotations

import pytest
from django.urls import reverse

from portal.models import AccessLog
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


def test_opening_a_person_page_is_logged(client_for, staff_a, province_a):
    person = PersonFactory(province=province_a)
    assert client_for(staff_a).get(reverse("members:person", args=[person.pk])).status_code == 200
    entry = AccessLog.objects.get()
    assert (entry.user, entry.action, entry.person, entry.province) == (
        staff_a,
        AccessLog.Action.VIEW_PERSON,
        person,
        province_a,
    )


def test_the_access_log_records_an_export(client_for, staff_a, province_a):
    PersonFactory.create_batch(3, province=province_a)
    assert client_for(staff_a).get(reverse("members:export", args=["csv"])).status_code == 200
    entry = AccessLog.objects.get(action=AccessLog.Action.EXPORT)
    assert entry.user == staff_a and entry.rows == 3 and entry.province == province_a
    assert entry.user_label == staff_a.email and "members.csv" in entry.what


def test_central_staff_search_the_log(client_for, staff_a, staff_b, central_staff, province_a, province_b):
    her = PersonFactory(province=province_a, full_name="Hoàng Thị Tìm")
    other = PersonFactory(province=province_b)
    client_for(staff_a).get(reverse("members:person", args=[her.pk]))
    client_for(staff_b).get(reverse("members:person", args=[other.pk]))
    client_for(staff_b).get(reverse("members:export", args=["csv"]))
    page = client_for(central_staff).get(reverse("access_log"), {"q": "Tìm"})
    assert [e.person for e in page.context["page"]] == [her]
    page = client_for(central_staff).get(reverse("access_log"), {"action": "export"})
    assert [e.user for e in page.context["page"]] == [staff_b]
    assert len(client_for(central_staff).get(reverse("access_log")).context["page"]) == 3


def test_the_log_is_itself_scoped(client_for, staff_a, staff_b, province_a, province_b, member_a, donor_viewer):
    her = PersonFactory(province=province_a, full_name="Hoàng Thị Riêng")
    client_for(staff_a).get(reverse("members:person", args=[her.pk]))
    page = client_for(staff_b).get(reverse("access_log"))
    assert list(page.context["page"]) == []
    assert "Hoàng Thị Riêng" not in page.content.decode()
    assert len(client_for(staff_a).get(reverse("access_log")).context["page"]) == 1
    assert client_for(member_a).get(reverse("access_log")).status_code == 404
    assert client_for(donor_viewer).get(reverse("access_log")).status_code == 404


def test_survey_export_with_names_is_logged(client_for, staff_a, network_a):
    from surveys.services import response_save
    from tests.surveys.factories import deploy, full_template, q

    template = full_template()
    deployment = deploy(template, network=network_a, user=staff_a)
    from surveys.services import AnswerInput

    response_save(
        deployment=deployment,
        person=PersonFactory(province=network_a.province),
        answers={q(template, "scale").pk: AnswerInput(value="3")},
        submit=False,
    )
    assert client_for(staff_a).get(reverse("surveys:export", args=[deployment.pk])).status_code == 200
    assert not AccessLog.objects.filter(action=AccessLog.Action.EXPORT).exists()  # no submitted rows, no names
