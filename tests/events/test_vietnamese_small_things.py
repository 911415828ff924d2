"""Issue 15, the small things: labelled figures on phones, no RSVP once an event is over,
media links accepted without a scheme, capitalised labels, plurals through ngettext."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation

from events import services
from events.forms import MediaCoverageForm, PersonForm
from events.models import Invitation, MediaCoverage
from tests.factories import EventFactory

pytestmark = pytest.mark.django_db


def test_event_list_figures_carry_their_labels_for_phones(client_for, staff_a, training_a):
    page = client_for(staff_a).get(reverse("events:list")).content.decode()
    assert 'data-label="Đã mời"' in page and 'data-label="Tham dự"' in page


def test_no_rsvp_buttons_for_a_past_event(
    client, client_for, staff_a, member_a, past_training_a, training_a, network_a
):
    past = services.invitation_invite_guest(
        event=past_training_a, by=staff_a, province=network_a.province, full_name="Khách Đã Qua"
    )
    page = client.get(reverse("events:rsvp", args=[past.token])).content.decode()
    assert 'value="accept"' not in page and 'id="rsvp-closed"' in page
    upcoming = services.invitation_invite_guest(
        event=training_a, by=staff_a, province=network_a.province, full_name="Khách Sắp Tới"
    )
    assert 'value="accept"' in client.get(reverse("events:rsvp", args=[upcoming.token])).content.decode()

    services.invitation_invite_members(event=past_training_a, by=staff_a)
    mine = client_for(member_a)
    assert Invitation.objects.filter(person__user=member_a, event=past_training_a).exists()
    assert 'value="accept"' not in mine.get(reverse("events:detail", args=[past_training_a.pk])).content.decode()
    assert 'value="accept"' not in mine.get(reverse("events:mine")).content.decode()


def test_a_media_link_without_scheme_is_accepted(client_for, staff_a, training_a):
    client_for(staff_a).post(
        reverse("events:add_media", args=[training_a.pk]),
        {
            "media-outlet": "Báo Hưng Yên",
            "media-published_on": "23/11/2026",
            "media-title": "Ra mắt mạng lưới",
            "media-url": "baohungyen.vn/tin/123",
        },
    )
    media = MediaCoverage.objects.get()
    assert media.url == "https://baohungyen.vn/tin/123"
    assert 'type="url"' not in str(MediaCoverageForm().fields["url"].widget.render("url", ""))


def test_form_labels_are_capitalised_as_vietnamese_forms_write_them(training_a, staff_a):
    with translation.override("vi"):
        form = PersonForm(event=training_a, user=staff_a)
        assert str(form.fields["full_name"].label) == "Họ và tên"
        assert all(str(f.label)[0].isupper() for f in form.fields.values())


@pytest.mark.parametrize(
    ("days", "vi", "en"), [(Decimal("1"), "(1 ngày)", "(1 day)"), (Decimal("2"), "(2 ngày)", "(2 days)")]
)
def test_event_duration_is_pluralised(client_for, staff_a, network_a, days, vi, en):
    event = EventFactory(networks=[network_a], duration_days=days)
    client = client_for(staff_a)
    assert vi in client.get(reverse("events:detail", args=[event.pk])).content.decode()
    staff_a.language = "en"
    staff_a.save()
    assert en in client.get(reverse("events:detail", args=[event.pk])).content.decode()


@pytest.mark.parametrize(("guests", "en"), [(1, "(1 member, 1 guest)"), (2, "(1 member, 2 guests)")])
def test_attendance_figures_count_members_and_guests_through_ngettext(
    client_for, staff_a, member_a, training_a, network_a, guests, en
):
    services.invitation_invite_members(event=training_a, by=staff_a)
    services.attendance_check_in(event=training_a, person=member_a.person, by=staff_a)
    for i in range(guests):
        guest = services.invitation_invite_guest(
            event=training_a, by=staff_a, province=network_a.province, full_name=f"Khách Mời {i}"
        )
        services.attendance_check_in(event=training_a, person=guest.person, by=staff_a)
    client = client_for(staff_a)
    page = client.get(reverse("events:detail", args=[training_a.pk])).content.decode()
    assert f"(1 thành viên, {guests} khách mời)" in page
    staff_a.language = "en"
    staff_a.save()
    assert en in client.get(reverse("events:detail", args=[training_a.pk])).content.decode()
