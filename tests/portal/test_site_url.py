"""Every link that leaves the portal (e-mails, SMS, letters, QR codes, share links) is
built from SITE_URL, never from the request's host; the Sites domain follows it; and
"example.com" appears nowhere in the repository outside the tests."""

from __future__ import annotations

import io
import re
import subprocess
from pathlib import Path

import pytest
from django.contrib.sites.models import Site
from django.core import mail
from django.urls import reverse
from pypdf import PdfReader

from members import services as member_services
from portal.links import absolute_url, sync_site_domain
from tests.factories import EventFactory, MembershipFactory, PersonFactory

pytestmark = pytest.mark.django_db
SITE = "https://mangluoi.hoilhpn.test"
URL = re.compile(r"(?:https?://|www\.)[^\s\"'<>)]+")
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def _site_url(settings):
    settings.SITE_URL = SITE


def links_in(text: str) -> list[str]:
    return URL.findall(text)


def assert_all_links_on_site(text: str) -> list[str]:
    links = links_in(text)
    assert links, "expected at least one link"
    wrong = [link for link in links if not link.startswith(SITE + "/")]
    assert not wrong, f"links not on SITE_URL: {wrong}"
    return links


def all_outbox_text() -> str:
    parts = []
    for message in mail.outbox:
        parts.append(message.subject)
        parts.append(message.body)
        for alternative, _mime in getattr(message, "alternatives", []):
            parts.append(alternative)
    return "\n".join(parts)


def test_absolute_url_uses_site_url_not_the_request_host():
    assert absolute_url("home") == SITE + "/"
    assert absolute_url("events:rsvp", "abc") == SITE + "/events/rsvp/abc/"


def test_the_sites_domain_follows_site_url():
    sync_site_domain()
    assert Site.objects.get_current().domain == "mangluoi.hoilhpn.test"
    assert "example.com" not in Site.objects.get_current().name


def test_every_link_in_outgoing_emails_starts_with_site_url(
    client_for, staff_a, network_a, django_capture_on_commit_callbacks
):
    # Membership invitation (pipeline bulk action), from a request on another host.
    person = PersonFactory(province=network_a.province, email="ung.vien@example.org")
    membership = member_services.membership_propose(network=network_a, person=person, actor=staff_a)
    member_services.membership_approve(memberships=[membership], actor=staff_a, reference="CV 1")
    client = client_for(staff_a)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("members:pipeline"), {"action": "invite", "memberships": [membership.pk]}, HTTP_HOST="testserver"
        )
    assert response.status_code == 302
    # Event invitations.
    MembershipFactory(network=network_a, person__email="thanh.vien@example.org")
    event = EventFactory(networks=[network_a])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("events:invite_members", args=[event.pk]))
    # Password reset (allauth).
    client.logout()
    client.post(reverse("account_reset_password"), {"email": staff_a.email})
    subjects = " ".join(m.subject for m in mail.outbox)
    assert len(mail.outbox) >= 3, subjects
    assert "example.com" not in all_outbox_text()
    assert_all_links_on_site(all_outbox_text())


def test_links_in_the_printed_invitation_letter_start_with_site_url(client_for, staff_a, network_a):
    person = PersonFactory(province=network_a.province, email="")
    membership = member_services.membership_propose(network=network_a, person=person, actor=staff_a)
    member_services.membership_approve(memberships=[membership], actor=staff_a, reference="CV 1")
    member_services.membership_invite(memberships=[membership], actor=staff_a, link_for=lambda s: s)
    pdf = client_for(staff_a).get(reverse("members:invitation_letter", args=[membership.pk]))
    assert pdf.status_code == 200
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages)
    # A long link may wrap in the PDF's text layer: join the lines before matching.
    assert_all_links_on_site(text.replace("\n", ""))


def test_share_links_and_qr_pages_use_site_url(client_for, staff_a, network_a):
    event = EventFactory(networks=[network_a])
    page = client_for(staff_a).get(reverse("events:venue_qr", args=[event.pk])).content.decode()
    assert f"{SITE}/events/here/{event.checkin_token}/" in page


def test_no_example_com_anywhere_in_the_repository_outside_tests():
    files = subprocess.run(
        ["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.splitlines()
    offenders = []
    for name in files:
        if name.startswith("tests/") or name.endswith((".mo", ".png", ".jpg", ".ico", ".woff2", ".pdf", ".xlsx")):
            continue
        path = ROOT / name
        if not path.is_file():
            continue
        if "example.com" in path.read_text(encoding="utf-8", errors="ignore"):
            offenders.append(name)
    assert offenders == []


def test_links_in_welcome_survey_messages_and_sms_start_with_site_url(
    network_a, staff_a, django_capture_on_commit_callbacks
):
    from datetime import timedelta

    from django.utils import timezone

    from members.models import Membership
    from portal import sms
    from surveys import services as survey_services
    from tests.surveys.factories import full_template

    by_mail = MembershipFactory(network=network_a, status=Membership.Status.APPLIED, person__email="a@example.org")
    by_sms = MembershipFactory(
        network=network_a, status=Membership.Status.APPLIED, person__email="", person__phone="+84912000111"
    )
    with django_capture_on_commit_callbacks(execute=True):
        member_services.membership_admit(memberships=[by_mail, by_sms], actor=staff_a, decision_number="QĐ 1")
        now = timezone.now()
        survey_services.deployment_create(
            user=staff_a,
            template=full_template(),
            network=network_a,
            opens_at=now - timedelta(hours=1),
            closes_at=now + timedelta(days=1),
        )
        survey_services.survey_messages_send_due(now=now + timedelta(hours=23))  # and the reminders
    assert len(mail.outbox) >= 3 and len(sms.outbox) >= 3
    assert_all_links_on_site(all_outbox_text())
    assert_all_links_on_site("\n".join(message.text for message in sms.outbox))
