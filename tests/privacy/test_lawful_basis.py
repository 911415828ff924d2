"""Every person record has a lawful basis, written by the one writer of people for every
way she enters; her ethnic group is kept only with explicit consent; she can withdraw
her consent (herself or through staff): the ethnic group is cleared, figures count her
as "not stated", and she is no longer invited, surveyed or messaged."""

from __future__ import annotations

import io
from datetime import date

import openpyxl
import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from events import services as event_services
from events.models import Invitation as EventInvitation
from members import services
from members.models import Basis, Consent, ConsentWithdrawal, Person
from members.selectors import representation_for
from networks.models import Network
from networks.services import announcement_send
from surveys.models import Response, SurveyInvitation
from surveys.services import deployment_queue_invitations, response_save
from tests.factories import EventFactory, MembershipFactory
from tests.surveys.factories import deploy, full_template, required_answers

pytestmark = pytest.mark.django_db


def test_a_guest_is_recorded_with_the_events_guest_list_as_basis(staff_a, network_a):
    event = EventFactory(networks=[network_a], title="Tập huấn kỹ năng")
    invitation = event_services.invitation_invite_guest(
        event=event, by=staff_a, province=network_a.province, full_name="Khách Mời", phone="0912000901"
    )
    guest = invitation.person
    assert guest.basis == Basis.OFFICIAL_LIST
    assert "Tập huấn kỹ năng" in guest.basis_source
    assert guest.basis_provided_by == staff_a and guest.basis_recorded_at is not None
    assert guest.history.first().basis == Basis.OFFICIAL_LIST, "the basis is in her record's history"


def test_a_walk_in_is_recorded_with_her_consent_given_at_the_event(staff_a, network_a):
    event = EventFactory(networks=[network_a], title="Hội thảo truyền cảm hứng")
    attendance = event_services.attendance_add_walk_in(
        event=event, by=staff_a, province=network_a.province, full_name="Khách Vãng Lai", email="vl@example.org"
    )
    person = attendance.person
    assert person.basis == Basis.CONSENT and "Hội thảo truyền cảm hứng" in person.basis_source
    consent = Consent.objects.get(person=person)
    assert consent.source == Consent.Source.EVENT and consent.recorded_by == staff_a
    assert consent.text_version == services.CONSENT_VERSION and consent.given_at is not None
    assert not consent.covers_sensitive and person.ethnicity == ""


def test_an_import_records_the_official_list_and_who_provided_it(staff_a, province_a):
    import tablib

    dataset = tablib.Dataset(headers=["Họ và tên", "Điện thoại", "Dân tộc"])
    dataset.append(["Lê Thị Danh Sách", "0912000902", "Tày"])
    plan = services.member_import(
        content=dataset.export("xlsx"), file_name="danh_sach_so_noi_vu.xlsx", province_id=province_a.pk, actor=staff_a
    )
    assert not plan.errors, plan.errors
    person = Person.objects.get(full_name="Lê Thị Danh Sách")
    assert person.basis == Basis.OFFICIAL_LIST
    assert "danh_sach_so_noi_vu.xlsx" in person.basis_source and person.basis_provided_by == staff_a
    assert person.ethnicity == "", "an official list is no consent to sensitive data"


def test_a_staff_proposal_records_the_candidate_list(client_for, staff_a, network_a):
    response = client_for(staff_a).post(
        reverse("members:propose"), {"network": network_a.pk, "full_name": "Phạm Thị Đề Cử", "phone": "0912000903"}
    )
    assert response.status_code == 302
    person = Person.objects.get(full_name="Phạm Thị Đề Cử")
    assert person.basis == Basis.OFFICIAL_LIST and network_a.name in person.basis_source
    assert person.basis_provided_by == staff_a


def test_an_online_application_records_consent_and_the_ethnic_group_only_with_the_second_box(staff_a, network_a):
    person = services.person_create(
        province_id=network_a.province_id,
        data={"full_name": "Nguyễn Thị Hoa", "email": "hoa@example.org"},
        basis=services.LawfulBasis.official_list(source="Danh sách ứng viên", by=staff_a),
    )
    candidate_a = services.membership_propose(network=network_a, person=person, actor=staff_a)
    services.membership_approve(memberships=[candidate_a], actor=staff_a, reference="CV 1")
    invitation = services.membership_invite(memberships=[candidate_a], actor=staff_a, link_for=str)[0].invitation
    data = {"full_name": "Nguyễn Thị Hoa", "ethnicity": "Tày", "year_of_birth": 1988}
    services.application_submit(invitation=invitation, data=data)
    person = Person.objects.get(pk=candidate_a.person_id)
    assert person.basis == Basis.CONSENT and person.ethnicity == "", "no explicit consent: not kept"
    assert Consent.objects.get(person=person).source == Consent.Source.ONLINE

    services.person_update(
        person=person,
        data={"ethnicity": "Tày"},
        basis=services.LawfulBasis.consent(channel=Consent.Source.PROFILE, sensitive=True),
    )
    person.refresh_from_db()
    assert person.ethnicity == "Tày" and person.sensitive_consent_at is not None
    assert Consent.objects.filter(person=person, covers_sensitive=True).count() == 1


def test_the_form_refuses_an_ethnic_group_without_the_explicit_consent(client_for, member_a):
    client = client_for(member_a)
    response = client.post(reverse("members:me_edit"), {"full_name": "Trần Thị Thành Viên", "ethnicity": "Thái"})
    assert response.status_code == 200 and "ethnicity" in response.context["form"].errors
    response = client.post(
        reverse("members:me_edit"),
        {"full_name": "Trần Thị Thành Viên", "ethnicity": "Thái", "sensitive_consent": "on"},
    )
    assert response.status_code == 302
    person = Person.objects.get(user=member_a)
    assert person.ethnicity == "Thái"
    assert Consent.objects.get(person=person).source == Consent.Source.PROFILE


@pytest.fixture
def consenting(network_a, staff_a):
    """Five Thái members with explicit consent (one with a login), and five Kinh."""
    people = []
    for i in range(5):
        person = services.person_create(
            province_id=network_a.province_id,
            data={"full_name": f"Lò Thị Đồng Ý {i}", "ethnicity": "Thái", "email": f"dy{i}@example.org"},
            basis=services.LawfulBasis.consent(channel=Consent.Source.PAPER, by=staff_a, sensitive=True),
            actor=staff_a,
        )
        MembershipFactory(network=network_a, person=person)
        people.append(person)
    for _i in range(5):
        MembershipFactory(network=network_a, person__ethnicity="Kinh")
    return people


def _withdraw_through_her_profile(client, reason=""):
    page = client.get(reverse("members:me_withdraw"))
    assert page.status_code == 200, "a confirmation page, no one-tap effect"
    return client.post(reverse("members:me_withdraw"), {"confirm": "on", "reason": reason})


def test_withdrawal_clears_her_ethnic_group_and_figures_count_her_as_not_stated(
    consenting, network_a, staff_a, client_for, member_a
):
    her = consenting[0]
    Person.objects.filter(user=member_a).update(user=None)
    her.user = member_a
    her.save()
    before = representation_for(Network.objects.filter(pk=network_a.pk))
    assert dict(before["by_ethnicity"])["Thái"] == 5

    client = client_for(member_a)
    assert client.get(reverse("members:me_withdraw")).status_code == 200
    her.refresh_from_db()
    assert her.ethnicity == "Thái" and not her.consent_withdrawn_at, "a GET changes nothing"
    assert client.post(reverse("members:me_withdraw"), {}).status_code == 200, "not without confirming"
    her.refresh_from_db()
    assert not her.consent_withdrawn_at
    assert _withdraw_through_her_profile(client, reason="Tôi không muốn nữa").status_code == 302

    her.refresh_from_db()
    assert her.ethnicity == "" and her.sensitive_consent_at is None and her.consent_withdrawn_at is not None
    withdrawal = ConsentWithdrawal.objects.get(person=her)
    assert withdrawal.channel == "self" and withdrawal.reason == "Tôi không muốn nữa"
    assert her.history.first().history_change_reason == "consent withdrawn"
    assert not her.history.exclude(ethnicity="").exists(), "no past version keeps her ethnic group"
    after = representation_for(Network.objects.filter(pk=network_a.pk))
    assert dict(after["by_ethnicity"])["Thái"] == "<5", "four Thái left: a group under 5 shows as <5"
    total_before = before["total"]
    assert after["total"] == total_before
    # The raw count of members without a stated ethnic group went up by one.
    assert after["ethnicity_known"] == before["ethnicity_known"] - 1


def test_staff_record_a_withdrawal_for_their_province_only(consenting, client_for, staff_a, staff_b):
    her = consenting[1]
    url = reverse("members:person_consent_withdraw", args=[her.pk])
    assert client_for(staff_b).post(url, {"confirm": "1"}).status_code == 404
    assert client_for(staff_a).get(url).status_code == 405, "a GET never changes anything"
    client_for(staff_a).post(url, {"reason": "gọi điện"})
    her.refresh_from_db()
    assert not her.consent_withdrawn_at, "not without confirming"
    assert client_for(staff_a).post(url, {"confirm": "1", "reason": "gọi điện"}).status_code == 302
    her.refresh_from_db()
    assert her.consent_withdrawn_at and her.ethnicity == ""
    assert ConsentWithdrawal.objects.get(person=her).recorded_by == staff_a


def test_after_withdrawal_she_is_not_invited_surveyed_or_messaged(consenting, network_a, staff_a):
    her = consenting[2]
    services.consent_withdraw(person=her, actor=staff_a, channel="staff")
    event = EventFactory(networks=[network_a])
    invited = {i.person_id for i in event_services.invitation_invite_members(event=event, by=staff_a)}
    assert invited and her.pk not in invited
    with pytest.raises(ValidationError):
        event_services.invitation_invite_person(event=event, by=staff_a, person=her)
    assert not EventInvitation.objects.filter(person=her).exists()

    deployment = deploy(full_template(), network=network_a, user=staff_a)
    deployment_queue_invitations(deployment=deployment)
    surveyed = set(SurveyInvitation.objects.filter(deployment=deployment).values_list("person_id", flat=True))
    assert surveyed and her.pk not in surveyed

    mail.outbox.clear()
    announcement_send(network=network_a, by=staff_a, subject="Họp", message="Họp tháng", channels=["email"])
    recipients = {address for message in mail.outbox for address in message.to}
    assert recipients and her.email not in recipients

    from networks.models import Task
    from networks.services import task_remind

    Task.objects.create(network=network_a, title="Chuẩn bị hội thảo", assignee=her, deadline=date.today())
    task = Task.objects.select_related("assignee").get(assignee=her)  # as the daily job reads it
    control = Task.objects.create(network=network_a, title="Viết tin", assignee=consenting[1], deadline=date.today())
    mail.outbox.clear()
    assert task_remind(task=task) is False and not mail.outbox
    assert task_remind(task=control) is True, "positive control: a member who did not withdraw is reminded"


def test_an_event_invitation_made_before_the_withdrawal_is_not_emailed(consenting, network_a, staff_a):
    her = consenting[0]
    event = EventFactory(networks=[network_a])
    invitation = event_services.invitation_invite_person(event=event, by=staff_a, person=her)
    services.consent_withdraw(person=her, actor=staff_a, channel="staff")
    mail.outbox.clear()
    assert event_services.invitation_send_emails(invitation_ids=[invitation.pk]) == 0
    assert not mail.outbox


def test_a_survey_invitation_queued_before_the_withdrawal_is_not_sent(consenting, network_a, staff_a):
    from surveys.services import invitation_send

    her = consenting[3]
    deployment = deploy(full_template(), network=network_a, user=staff_a)
    deployment_queue_invitations(deployment=deployment)
    invitation = SurveyInvitation.objects.get(deployment=deployment, person=her)
    services.consent_withdraw(person=her, actor=staff_a, channel="staff")
    mail.outbox.clear()
    invitation.refresh_from_db()
    assert invitation_send(invitation=invitation) == ""
    assert not mail.outbox


def test_her_survey_responses_lose_the_ethnic_group_too(consenting, network_a, staff_a):
    her = consenting[4]
    template = full_template()
    deployment = deploy(template, network=network_a, user=staff_a)
    response = response_save(
        deployment=deployment, person=her, answers=required_answers(template, long="Cần học"), submit=True
    )
    assert response.ethnicity == "Thái"
    services.consent_withdraw(person=her, actor=staff_a, channel="staff")
    response.refresh_from_db()
    assert Response.objects.get(pk=response.pk).ethnicity == ""
    assert not Response.history.filter(id=response.pk).exclude(ethnicity="").exists()


def test_the_migration_label_is_honest():
    assert "11/2026" in str(Basis.UNKNOWN.label) and Person().basis == Basis.UNKNOWN


def test_the_admin_shows_the_basis_read_only(client_for, central_staff, consenting):
    response = client_for(central_staff).get(reverse("admin:members_person_change", args=[consenting[0].pk]))
    assert response.status_code == 200
    assert 'name="basis"' not in response.content.decode(), "staff cannot rewrite the basis by hand"


def test_downloaded_excel_lists_the_withdrawal(client_for, member_a, staff_a):
    person = Person.objects.get(user=member_a)
    services.consent_withdraw(person=person, actor=staff_a, channel="staff", reason="qua điện thoại")
    # Withdrawn: she can still see and download her data.
    book = openpyxl.load_workbook(
        io.BytesIO(client_for(member_a).get(reverse("members:me_download", args=["xlsx"])).content)
    )
    rows = [[c.value for c in row] for row in book["Đồng ý xử lý dữ liệu"].iter_rows()]
    assert any(row[1] == "Rút lại sự đồng ý" for row in rows[1:]), rows
    assert timezone.now()
