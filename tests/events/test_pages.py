"""Event pages: who may open what, and the main staff and member paths."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from events import services
from events.models import Attendance, Event, Invitation, MediaCoverage
from tests.events.factories import SpeakerFactory, TopicFactory
from tests.factories import EventFactory

pytestmark = pytest.mark.django_db

STAFF_GET = ["events:checkin", "events:venue_qr", "events:signin_sheet"]
STAFF_POST = [
    "events:invite_members",
    "events:invite_guest",
    "events:add_agenda_item",
    "events:add_media",
    "events:checkin_person",
    "events:checkin_walk_in",
]


@pytest.mark.parametrize("name", STAFF_GET + STAFF_POST + ["events:detail"])
def test_staff_of_other_province_gets_404(name, client_for, staff_b, training_a, members_a):
    client = client_for(staff_b)
    url = reverse(name, args=[training_a.pk])
    response = client.post(url, {"person": members_a[0].pk}) if name in STAFF_POST else client.get(url)
    assert response.status_code == 404
    assert not Invitation.objects.exists()
    assert not Attendance.objects.exists()


# A board member runs her own network's events (issue 14): invitations, check-in and the
# sign-in sheet; the programme and news stay with staff.
BOARD_RUNS = ["events:checkin", "events:venue_qr", "events:signin_sheet", "events:invite_members"]


@pytest.mark.parametrize("name", STAFF_GET + STAFF_POST)
@pytest.mark.parametrize("persona", ["member_a", "board_member_a", "donor_viewer"])
def test_non_staff_get_404_on_staff_pages(name, persona, request, client_for, training_a):
    if persona == "board_member_a" and name in BOARD_RUNS + [
        "events:invite_guest",
        "events:checkin_person",
        "events:checkin_walk_in",
    ]:
        pytest.skip("a board member runs her own network's events: tests/networks/test_board_runs_network.py")
    client = client_for(request.getfixturevalue(persona))
    url = reverse(name, args=[training_a.pk])
    response = client.post(url) if name in STAFF_POST else client.get(url)
    assert response.status_code == 404


@pytest.mark.parametrize("name", ["events:list", "events:create", "events:mine"])
def test_anonymous_is_sent_to_login(name, client):
    response = client.get(reverse(name))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_members_cannot_create_events(client_for, member_a):
    assert client_for(member_a).get(reverse("events:create")).status_code == 404


def test_list_hides_other_province_events(client_for, staff_a, staff_b, training_a, network_b):
    EventFactory(title="Tập huấn Nghệ An", networks=[network_b])
    response = client_for(staff_b).get(reverse("events:list"))
    titles = [e.title for e in response.context["upcoming"] + response.context["past"]]
    assert titles == ["Tập huấn Nghệ An"]
    assert client_for(staff_b).get(reverse("events:list"), {"network": training_a.networks.get().pk}).status_code == 404


def test_list_per_network_splits_upcoming_and_past(client_for, staff_a, training_a, past_training_a, network_a):
    response = client_for(staff_a).get(reverse("events:list"), {"network": network_a.pk})
    assert [e.title for e in response.context["upcoming"]] == [training_a.title]
    assert [e.title for e in response.context["past"]] == [past_training_a.title]


def test_staff_create_event_with_topics(client_for, staff_a, network_a):
    topic = TopicFactory(name="Chuyển đổi số")
    response = client_for(staff_a).post(
        reverse("events:create"),
        {
            "title": "Tập huấn chuyển đổi số",
            "kind": "training",
            "networks": [network_a.pk],
            "starts_at": "2027-03-10T08:00",
            "ends_at": "2027-03-10T17:00",
            "duration_days": "1",
            "mode": "in_person",
            "venue": "Hội trường tỉnh",
            "topics": [topic.pk],
            "status": "planned",
        },
    )
    event = Event.objects.get()
    assert response.status_code == 302
    assert list(event.topics.all()) == [topic]
    assert list(event.networks.all()) == [network_a]


def test_staff_cannot_pick_another_provinces_network(client_for, staff_a, network_b):
    response = client_for(staff_a).post(
        reverse("events:create"),
        {
            "title": "X",
            "kind": "training",
            "networks": [network_b.pk],
            "starts_at": "2027-03-10T08:00",
            "ends_at": "2027-03-10T17:00",
            "duration_days": "1",
            "mode": "in_person",
            "venue": "V",
            "status": "planned",
        },
    )
    assert response.status_code == 200
    assert "networks" in response.context["form"].errors
    assert not Event.objects.exists()


def test_invite_members_and_guest_then_figures(client_for, staff_a, training_a, members_a, network_a):
    client = client_for(staff_a)
    client.post(reverse("events:invite_members", args=[training_a.pk]))
    client.post(
        reverse("events:invite_guest", args=[training_a.pk]),
        {
            "guest-full_name": "Đinh Thị Khách",
            "guest-organisation": "Hội LHPN xã",
            "guest-province": network_a.province_id,
        },
    )
    invitations = Invitation.objects.filter(event=training_a)
    assert invitations.filter(is_member=True).count() == 3
    guest = invitations.get(is_member=False)
    assert guest.person.full_name == "Đinh Thị Khách"
    assert guest.person.province == network_a.province
    # Inviting again adds nobody.
    client.post(reverse("events:invite_members", args=[training_a.pk]))
    assert invitations.count() == 4


def test_agenda_item_adds_its_speaker_to_event_speakers(client_for, staff_a, training_a):
    speaker = SpeakerFactory(full_name="Nguyễn Giảng Viên")  # shared roster
    client_for(staff_a).post(
        reverse("events:add_agenda_item", args=[training_a.pk]),
        {
            "agenda-day": "1",
            "agenda-starts_at": "08:30",
            "agenda-ends_at": "10:00",
            "agenda-title": "Giới và lãnh đạo",
            "agenda-speaker": speaker.pk,
        },
    )
    assert list(training_a.speakers.all()) == [speaker]
    page = client_for(staff_a).get(reverse("events:detail", args=[training_a.pk])).content.decode()
    assert "Giới và lãnh đạo" in page
    assert "Chuyên gia về giới và lãnh đạo." in page


def test_agenda_item_ending_before_it_starts_is_refused(client_for, staff_a, training_a):
    client_for(staff_a).post(
        reverse("events:add_agenda_item", args=[training_a.pk]),
        {"agenda-day": "1", "agenda-starts_at": "10:00", "agenda-ends_at": "08:00", "agenda-title": "Sai giờ"},
    )
    assert not training_a.agenda_items.exists()


def test_other_provinces_speaker_cannot_be_chosen(client_for, staff_a, training_a, province_b):
    speaker = SpeakerFactory(province=province_b)
    client_for(staff_a).post(
        reverse("events:add_agenda_item", args=[training_a.pk]),
        {"agenda-day": "1", "agenda-starts_at": "08:30", "agenda-title": "Phiên", "agenda-speaker": speaker.pk},
    )
    assert not training_a.agenda_items.exists()


def test_media_coverage_is_recorded_and_bad_link_refused(client_for, staff_a, training_a):
    client = client_for(staff_a)
    url = reverse("events:add_media", args=[training_a.pk])
    client.post(
        url,
        {
            "media-outlet": "Báo Hưng Yên",
            "media-published_on": "2027-03-11",
            "media-title": "Ra mắt mạng lưới",
            "media-url": "https://baohungyen.example/tin",
        },
    )
    client.post(
        url,
        {"media-outlet": "X", "media-published_on": "2027-03-11", "media-title": "Y", "media-url": "không phải link"},
    )
    assert list(MediaCoverage.objects.values_list("title", flat=True)) == ["Ra mắt mạng lưới"]


def test_member_accepts_from_her_account_and_sees_her_history(client_for, member_a, training_a, staff_a):
    services.invitation_invite_members(event=training_a, by=staff_a)
    invitation = Invitation.objects.get(person__user=member_a)
    client = client_for(member_a)
    detail = client.get(reverse("events:detail", args=[training_a.pk]))
    assert detail.context["my_invitation"] == invitation
    assert "invitations" not in detail.context  # no other names for members
    client.post(reverse("events:respond", args=[invitation.pk]), {"answer": "accept"})
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.ACCEPTED
    mine = client.get(reverse("events:mine"))
    assert [i.event for i in mine.context["history"].invitations] == [training_a]


def test_member_cannot_answer_someone_elses_invitation(client_for, member_a, training_a, members_a, staff_a):
    services.invitation_invite_members(event=training_a, by=staff_a)
    other = Invitation.objects.get(person=members_a[0])
    assert (
        client_for(member_a).post(reverse("events:respond", args=[other.pk]), {"answer": "decline"}).status_code == 404
    )
    other.refresh_from_db()
    assert other.status == Invitation.Status.INVITED


def test_personal_link_lets_a_guest_decline_without_logging_in(client, staff_a, training_a, network_a):
    invitation = services.invitation_invite_guest(
        event=training_a, by=staff_a, province=network_a.province, full_name="Khách Không Tài Khoản"
    )
    url = reverse("events:rsvp", args=[invitation.token])
    assert "Khách Không Tài Khoản" in client.get(url).content.decode()
    client.post(url, {"answer": "decline"})
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.DECLINED
    assert client.get(reverse("events:rsvp", args=["sai-ma"])).status_code == 404


def _starting_soon(event):
    """Self check-in opens a set time before the start: move the event into its window."""
    event.starts_at = timezone.now() + timedelta(minutes=30)
    event.ends_at = event.starts_at + timedelta(hours=8)
    event.save()
    return event


def test_member_checks_herself_in_with_the_venue_qr(client_for, member_a, training_a, staff_a):
    _starting_soon(training_a)
    services.invitation_invite_members(event=training_a, by=staff_a)
    qr_page = client_for(staff_a).get(reverse("events:venue_qr", args=[training_a.pk]))
    assert "<svg" in qr_page.content.decode()
    assert training_a.checkin_token in qr_page.context["url"]
    client = client_for(member_a)
    client.post(reverse("events:self_checkin", args=[training_a.checkin_token]))
    client.post(reverse("events:self_checkin", args=[training_a.checkin_token]))
    attendance = Attendance.objects.get(event=training_a)
    assert attendance.method == Attendance.Method.QR
    assert attendance.person.user == member_a


def test_qr_for_someone_not_invited_records_nothing(client_for, member_a, training_a):
    _starting_soon(training_a)
    response = client_for(member_a).post(reverse("events:self_checkin", args=[training_a.checkin_token]), follow=True)
    assert "chưa được mời" in response.content.decode()
    assert not Attendance.objects.exists()


def test_donor_sees_totals_but_no_names(client_for, donor_viewer, training_a, staff_a, members_a):
    services.invitation_invite_members(event=training_a, by=staff_a)
    response = client_for(donor_viewer).get(reverse("events:detail", args=[training_a.pk]))
    assert response.status_code == 200
    assert response.context["figures"].invited == 3
    assert members_a[0].full_name not in response.content.decode()


def test_staff_edit_their_event_and_bad_dates_change_nothing(client_for, staff_a, training_a):
    client = client_for(staff_a)
    url = reverse("events:edit", args=[training_a.pk])
    form = client.get(url).context["form"]
    data = {k: v for k, v in form.initial.items() if v is not None and k != "topics"}
    data.update(
        starts_at="2027-05-01T08:00", ends_at="2027-05-01T12:00", status="held", duration_days="0.5", venue="Hội trường"
    )
    assert client.post(url, data).status_code == 302
    training_a.refresh_from_db()
    assert (training_a.status, training_a.duration_days) == ("held", Decimal("0.5"))
    data.update(ends_at="2027-04-30T12:00", title="Đổi tên")
    response = client.post(url, data)
    assert "Sự kiện phải kết thúc sau khi bắt đầu." in response.content.decode()
    training_a.refresh_from_db()
    assert training_a.title != "Đổi tên"


def test_only_central_staff_edit_a_cross_province_workshop(client_for, staff_a, staff_b, central_staff, workshop):
    assert client_for(staff_a).get(reverse("events:edit", args=[workshop.pk])).status_code == 404
    assert client_for(central_staff).get(reverse("events:edit", args=[workshop.pk])).status_code == 200


@pytest.mark.parametrize("persona", ["staff_b", "member_a", "donor_viewer"])
def test_edit_page_is_404_for_others(persona, request, client_for, training_a):
    assert (
        client_for(request.getfixturevalue(persona)).get(reverse("events:edit", args=[training_a.pk])).status_code
        == 404
    )
