"""Anonymisation: she is erased from the record, its history, her login and its history,
the admin log and her survey answers; every dashboard and donor-report figure stays equal;
she loses access to every page."""

from __future__ import annotations

import pytest
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from members import services
from members.models import Person
from members.selectors import representation_for
from networks.models import Network
from portal.models import User
from reports.services import report_generate
from surveys.models import Response
from surveys.services import AnswerInput, response_save
from tests.factories import EventFactory, MembershipFactory, UserFactory
from tests.reports.factories import make_report
from tests.surveys.factories import deploy, full_template, q

pytestmark = pytest.mark.django_db

SECRET_NAME = "Hà Thị Bí Mật"
SECRET_EMAIL = "bimat@example.org"


@pytest.fixture
def her(network_a, staff_a):
    """A member with a login, a phone, an old name in the history, and admin-log entries."""
    user = UserFactory(role="member", email=SECRET_EMAIL, full_name=SECRET_NAME)
    person = services.person_create(
        province_id=network_a.province_id,
        data={
            "full_name": "Hà Thị Bí",
            "phone": "0912 999 001",
            "email": SECRET_EMAIL,
            "year_of_birth": 1991,
            "ethnicity": "Ơ Đu",
            "organisation": "Sở Bí Mật",
            "category": "academic",
            "is_young_potential_leader": True,
        },
        basis=services.LawfulBasis.consent(channel="online", sensitive=True),
        actor=staff_a,
    )
    person.user = user
    person.save()
    services.person_update(person=person, data={"full_name": SECRET_NAME, "commune": _a_commune(network_a)})
    MembershipFactory(network=network_a, person=person)
    LogEntry.objects.create(
        user_id=staff_a.pk,
        content_type_id=ContentType.objects.get_for_model(Person).pk,
        object_id=str(person.pk),
        object_repr=SECRET_NAME,
        action_flag=CHANGE,
        change_message=f"Đổi tên thành {SECRET_NAME}",
    )
    return person


def _a_commune(network):
    return network.province.communes.order_by("code").first()


@pytest.fixture
def populated(network_a, network_b, her, staff_a):
    for year, ethnicity in ((1970, "Tày"), (1985, "Kinh"), (1995, "Thái"), (None, "")):
        MembershipFactory(network=network_a, person__year_of_birth=year, person__ethnicity=ethnicity)
    MembershipFactory(network=network_b, person__ethnicity="Mường")
    event = EventFactory(networks=[network_a])
    from events import services as event_services

    event_services.invitation_invite_person(event=event, by=staff_a, person=her)
    event_services.attendance_check_in(event=event, person=her, by=staff_a)
    template = full_template()
    needs = deploy(template, network=network_a, user=staff_a)
    response_save(
        deployment=needs,
        person=her,
        answers={q(template, "long").pk: AnswerInput(value=f"Tôi là {SECRET_NAME}, cần học thêm.")},
        submit=False,
    )
    return event, needs


def _raw_counts():
    """The counts behind every figure, before the small-group rule hides small cells."""
    from collections import Counter

    from django.utils import timezone

    from members.selectors import AGE_BANDS

    def band(born, kept_band):
        if not born:
            return kept_band or "unknown"
        age = timezone.localdate().year - born
        return next(label for label, low, high in AGE_BANDS if (low or 0) <= age <= (high or 200))

    rows = Person.objects.filter(memberships__status="member").values_list(
        "memberships__network_id",
        "category",
        "ethnicity",
        "commune_id",
        "is_young_potential_leader",
        "year_of_birth",
        "age_band",
    )
    return Counter((n, c, e, m, y, band(b, k)) for n, c, e, m, y, b, k in rows)


def _figures(user, networks):
    dashboard = representation_for(Network.objects.visible_to(user))
    reports = [
        report_generate(report_id=make_report(networks, kind=kind, language="en").pk).figures
        for kind in ("donor", "provincial")
    ]
    return dashboard, reports


def test_every_dashboard_and_donor_report_figure_is_equal_before_and_after(
    populated, her, central_staff, staff_a, network_a
):
    networks = [network_a]
    before = _figures(central_staff, networks), _figures(staff_a, networks)
    raw_before = _raw_counts()
    services.person_anonymise(person=her, actor=staff_a)
    after = _figures(central_staff, networks), _figures(staff_a, networks)
    assert _raw_counts() == raw_before
    for (b_dash, b_reports), (a_dash, a_reports) in zip(before, after, strict=True):
        assert b_dash == a_dash
        for b, a in zip(b_reports, a_reports, strict=True):
            assert {k: v for k, v in b.items() if b[k] != a.get(k)} == {}, {k: a[k] for k in b if b[k] != a.get(k)}
    # …and the dashboard page shows the same ethnic-group and age-band bars.
    assert before[0][0]["by_ethnicity"] == after[0][0]["by_ethnicity"]
    assert "Ơ Đu" in dict(after[0][0]["by_ethnicity"]) and before[0][0]["by_age_band"] == after[0][0]["by_age_band"]


def test_she_is_erased_from_every_history_and_the_admin_log(her, staff_a):
    user = her.user
    services.person_anonymise(person=her, actor=staff_a)
    her.refresh_from_db()
    assert her.full_name == "—" and not her.phone and not her.email and her.user is None
    for row in Person.history.filter(id=her.pk).values():
        text = " ".join(str(v) for v in row.values())
        assert SECRET_NAME not in text and "Hà Thị Bí" not in text and "+84912999001" not in text, row
        assert SECRET_EMAIL not in text and "Sở Bí Mật" not in text
    for row in User.history.filter(id=user.pk).values():
        text = " ".join(str(v) for v in row.values())
        assert SECRET_NAME not in text and SECRET_EMAIL not in text, row
    for entry in LogEntry.objects.all():
        assert SECRET_NAME not in entry.object_repr and SECRET_NAME not in entry.change_message
    user.refresh_from_db()
    assert not user.is_active and SECRET_EMAIL not in user.email and not user.has_usable_password()
    from allauth.account.models import EmailAddress

    assert not EmailAddress.objects.filter(email__iexact=SECRET_EMAIL).exists()


def test_her_survey_free_text_is_no_longer_linked_to_her(populated, her, staff_a):
    _event, needs = populated
    services.person_anonymise(person=her, actor=staff_a)
    response = Response.objects.get(deployment=needs)
    assert response.person is None and response.respondent_key.startswith("anonymised:")
    assert not Response.history.filter(id=response.pk, person_id=her.pk).exists()
    assert response.province_id == her.province_id  # still counted where it was


def test_a_removed_member_loses_access_to_network_event_and_survey_pages(populated, her, client, staff_a, network_a):
    event, needs = populated
    user = her.user
    client.force_login(user)
    pages = [
        reverse("networks:detail", args=[network_a.pk]),
        reverse("members:me"),
    ]
    assert client.get(pages[0]).status_code == 200, "positive control: a member sees her network"
    services.person_anonymise(person=her, actor=staff_a)
    for url in [*pages, reverse("events:detail", args=[event.pk]), reverse("surveys:list")]:
        response = client.get(url)
        assert response.status_code in (302, 404), url
        if response.status_code == 302:
            assert "login" in response["Location"]


def test_the_confirmation_says_what_is_kept(client_for, staff_a, her):
    response = client_for(staff_a).post(reverse("members:person_anonymise", args=[her.pk]), follow=True)
    text = response.content.decode()
    assert "dân tộc" in text and "nhóm tuổi" in text
    her.refresh_from_db()
    assert her.anonymised_at is not None
