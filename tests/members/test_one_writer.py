"""People are written in one place (members.services): guests, walk-ins, the admin and
forms all get NFC text, E.164 phones, lower-case e-mails, search text and duplicate
matching; the database holds one record per phone and e-mail per province; staff merge
two records of one person."""

from __future__ import annotations

import unicodedata

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from events import services as event_services
from events.models import Attendance
from events.models import Invitation as EventInvitation
from members import services
from members.models import Consent, Membership, Person
from surveys.models import Response
from surveys.services import AnswerInput, response_save
from tests.factories import EventFactory, MembershipFactory, NetworkFactory, PersonFactory
from tests.surveys.factories import deploy, full_template, q

pytestmark = pytest.mark.django_db

NFD_NAME = unicodedata.normalize("NFD", "Đinh Thị Khách")


def test_a_guest_is_written_by_the_one_writer(staff_a, network_a):
    event = EventFactory(networks=[network_a])
    invitation = event_services.invitation_invite_guest(
        event=event,
        by=staff_a,
        province=network_a.province,
        full_name=NFD_NAME,
        email="KHACH@Example.ORG",
        phone="0912 000 111",
    )
    guest = invitation.person
    assert guest.full_name == unicodedata.normalize("NFC", NFD_NAME)
    assert guest.email == "khach@example.org" and str(guest.phone) == "+84912000111"
    assert "dinh thi khach" in guest.search_text and "0912000111" in guest.search_text
    assert guest.history.first().history_user == staff_a


def test_a_guest_already_on_file_is_reused_not_added_twice(staff_a, network_a):
    known = PersonFactory(province=network_a.province, full_name="Khách Cũ", phone="+84912000222", organisation="")
    event = EventFactory(networks=[network_a])
    invitation = event_services.invitation_invite_guest(
        event=event, by=staff_a, province=network_a.province, full_name="Khách", phone="0912000222", organisation="Xã A"
    )
    assert invitation.person == known and Person.objects.count() == 1
    known.refresh_from_db()
    assert known.full_name == "Khách Cũ", "a known person's name is not overwritten"
    assert known.organisation == "Xã A", "her empty fields are filled in"


def test_a_walk_in_is_written_by_the_one_writer_and_matched(staff_a, network_a):
    known = PersonFactory(province=network_a.province, email="walkin@example.org")
    event = EventFactory(networks=[network_a])
    attendance = event_services.attendance_add_walk_in(
        event=event, by=staff_a, province=network_a.province, full_name=NFD_NAME, email=" WALKIN@example.org "
    )
    assert attendance.person == known and Person.objects.count() == 1
    other = event_services.attendance_add_walk_in(
        event=event, by=staff_a, province=network_a.province, full_name=NFD_NAME, phone="+84 912 000 333"
    )
    assert (
        other.person.full_name == unicodedata.normalize("NFC", NFD_NAME) and str(other.person.phone) == "+84912000333"
    )


def test_a_phone_of_one_person_and_an_email_of_another_is_refused_naming_both(province_a):
    PersonFactory(province=province_a, full_name="Chủ Số", phone="+84912000444", email="")
    PersonFactory(province=province_a, full_name="Chủ Thư", email="thu@example.org")
    with pytest.raises(ValidationError) as exc:
        services.person_match_or_create(
            province_id=province_a.pk,
            data={"full_name": "X", "phone": "0912000444", "email": "thu@example.org"},
            basis=services.LawfulBasis.official_list(source="Danh sách thử", by=None),
        )
    assert "Chủ Số" in exc.value.messages[0] and "Chủ Thư" in exc.value.messages[0]


def test_creating_a_second_record_with_a_known_phone_is_a_clear_error(province_a):
    first = services.person_create(
        province_id=province_a.pk,
        data={"full_name": "Một", "phone": "0912000555"},
        basis=services.LawfulBasis.official_list(source="Danh sách thử", by=None),
    )
    with pytest.raises(ValidationError) as exc:
        services.person_create(
            province_id=province_a.pk,
            data={"full_name": "Hai", "phone": "+84912000555"},
            basis=services.LawfulBasis.official_list(source="Danh sách thử", by=None),
        )
    assert first.full_name in str(exc.value.message_dict["phone"])


def test_the_database_holds_one_person_per_phone_and_email_per_province(province_a, province_b):
    PersonFactory(province=province_a, phone="+84912000666", email="one@example.org")
    with pytest.raises(IntegrityError), transaction.atomic():
        PersonFactory(province=province_a, phone="+84912000666", email="")
    with pytest.raises(IntegrityError), transaction.atomic():
        PersonFactory(province=province_a, phone="", email="ONE@example.org")
    # Anonymised records and other provinces are outside the constraint.
    PersonFactory(province=province_b, phone="+84912000666", email="one@example.org")
    PersonFactory(province=province_a, phone="+84912000666", email="one@example.org", anonymised_at=timezone.now())


def test_an_admin_save_goes_through_the_one_writer(client_for, central_staff, province_a):
    client = client_for(central_staff)
    response = client.post(
        reverse("admin:members_person_add"),
        {
            "province": province_a.pk,
            "full_name": NFD_NAME,
            "email": "ADMIN@Example.org",
            "phone": "0912 000 777",
            "memberships-TOTAL_FORMS": 0,
            "memberships-INITIAL_FORMS": 0,
            "consents-TOTAL_FORMS": 0,
            "consents-INITIAL_FORMS": 0,
            "consent_withdrawals-TOTAL_FORMS": 0,
            "consent_withdrawals-INITIAL_FORMS": 0,
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    person = Person.objects.get()
    assert person.full_name == unicodedata.normalize("NFC", NFD_NAME) and person.email == "admin@example.org"
    assert "dinh thi khach" in person.search_text
    assert person.basis == "official_list" and person.basis_provided_by == central_staff, "the admin records a basis"


def test_the_admin_refuses_a_duplicate_phone_with_a_message(client_for, central_staff, province_a):
    PersonFactory(province=province_a, full_name="Đã Có", phone="+84912000888")
    response = client_for(central_staff).post(
        reverse("admin:members_person_add"),
        {
            "province": province_a.pk,
            "full_name": "Mới",
            "phone": "0912000888",
            "memberships-TOTAL_FORMS": 0,
            "memberships-INITIAL_FORMS": 0,
            "consents-TOTAL_FORMS": 0,
            "consents-INITIAL_FORMS": 0,
            "consent_withdrawals-TOTAL_FORMS": 0,
            "consent_withdrawals-INITIAL_FORMS": 0,
        },
    )
    assert response.status_code == 200 and "Đã Có" in response.content.decode()
    assert Person.objects.count() == 1


def test_merging_moves_memberships_invitations_attendance_and_responses(staff_a, network_a, province_a):
    keep = PersonFactory(province=province_a, full_name="Nguyễn Thị Hoa", phone="+84912001001", email="")
    dup = PersonFactory(province=province_a, full_name="Nguyen Thi Hoa", phone="", email="hoa2@example.org")
    other_network = NetworkFactory(province=province_a)
    MembershipFactory(network=network_a, person=keep)
    MembershipFactory(network=network_a, person=dup)  # the same network twice: steps join
    moved_membership = MembershipFactory(network=other_network, person=dup)
    Consent.objects.create(person=dup, purpose="p", text_version="1", given_at=timezone.now(), source="paper")
    event = EventFactory(networks=[network_a])
    invitation = event_services.invitation_invite_person(event=event, by=staff_a, person=dup)
    event_services.attendance_check_in(event=event, person=dup, by=staff_a)
    template = full_template()
    deployment = deploy(template, network=network_a, user=staff_a)
    response = response_save(
        deployment=deployment, person=dup, answers={q(template, "scale").pk: AnswerInput(value="2")}, submit=False
    )

    merged = services.person_merge(keep=keep, duplicate=dup, actor=staff_a)

    assert not Person.objects.filter(pk=dup.pk).exists() and merged.email == "hoa2@example.org"
    assert Membership.objects.filter(person=keep).count() == 2
    assert Membership.objects.get(pk=moved_membership.pk).person == keep
    assert Consent.objects.get().person == keep
    assert EventInvitation.objects.get(pk=invitation.pk).person == keep
    assert Attendance.objects.get(event=event).person == keep
    moved = Response.objects.get(pk=response.pk)
    assert moved.person == keep and moved.respondent_key == f"person:{keep.pk}"
    # History kept: the duplicate's versions stay, and the kept record says what happened.
    assert Person.history.filter(id=dup.pk).count() >= 2
    assert f"#{dup.pk}" in keep.history.first().history_change_reason
    assert "hoa2@example.org" in merged.search_text


def test_staff_merge_two_records_from_the_merge_page(client_for, staff_a, province_a):
    keep = PersonFactory(province=province_a, full_name="Giữ Lại", phone="+84912001002")
    dup = PersonFactory(province=province_a, full_name="Bản Trùng", email="trung@example.org")
    client = client_for(staff_a)
    page = client.get(reverse("members:person_merge", args=[keep.pk]), {"other": dup.pk})
    assert page.status_code == 200 and "Bản Trùng" in page.content.decode()
    response = client.post(reverse("members:person_merge", args=[keep.pk]), {"other": dup.pk})
    assert response.status_code == 302
    assert list(Person.objects.values_list("pk", flat=True)) == [keep.pk]


def test_staff_of_another_province_cannot_merge(client_for, staff_b, province_a):
    keep = PersonFactory(province=province_a)
    dup = PersonFactory(province=province_a)
    client = client_for(staff_b)
    assert client.get(reverse("members:person_merge", args=[keep.pk])).status_code == 404
    assert client.post(reverse("members:person_merge", args=[keep.pk]), {"other": dup.pk}).status_code == 404
    assert Person.objects.count() == 2
