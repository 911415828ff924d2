"""Issue 13: bulk invitation letters are not rendered in the web request when there are
more than a page-full: a task renders them and the requester downloads the PDF."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from members import services
from reports.models import LetterBatch

pytestmark = pytest.mark.django_db


def _invite(staff, network, names):
    people = [
        services.person_create(
            province_id=network.province_id,
            data={"full_name": name, "organisation": "Sở Y tế"},
            basis=services.LawfulBasis.official_list(source="Danh sách ứng viên (thử)", by=staff),
        )
        for name in names
    ]
    memberships = [services.membership_propose(network=network, person=p, actor=staff) for p in people]
    services.membership_approve(memberships=memberships, actor=staff, reference="CV 7")
    services.membership_invite(
        memberships=memberships, actor=staff, link_for=lambda s: reverse("members:apply", args=[s])
    )


def test_more_letters_than_a_page_full_are_rendered_by_a_task(
    client_for, staff_a, staff_b, network_a, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr("reports.services.LETTERS_IN_REQUEST", 2)
    _invite(staff_a, network_a, ["Lê Thị Lan", "Trần Thị Mai", "Phạm Thị Hương"])
    client = client_for(staff_a)
    with django_capture_on_commit_callbacks(execute=False) as queued:
        response = client.get(reverse("members:invitation_letters"))
    batch = LetterBatch.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("reports:letters", args=[batch.pk])
    assert batch.status == "queued" and len(batch.memberships) == 3  # nothing rendered in the request
    page = client.get(response["Location"]).content.decode()
    assert 'data-status="queued"' in page and 'http-equiv="refresh"' in page
    for callback in queued:
        callback()  # the worker's turn (tasks run in-process in tests)
    batch.refresh_from_db()
    assert batch.status == "done" and batch.letters == 3
    page = client.get(response["Location"]).content.decode()
    assert reverse("reports:letters_download", args=[batch.pk]) in page
    pdf = client.get(reverse("reports:letters_download", args=[batch.pk]))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    pages = PdfReader(io.BytesIO(pdf.content)).pages
    assert len(pages) == 3 and "Trần Thị Mai" in "".join(p.extract_text() for p in pages)
    # The batch is its requester's alone.
    other = client_for(staff_b)
    assert other.get(response["Location"]).status_code == 404
    assert other.get(reverse("reports:letters_download", args=[batch.pk])).status_code == 404


def test_a_page_full_is_still_printed_at_once(client_for, staff_a, network_a, monkeypatch):
    monkeypatch.setattr("reports.services.LETTERS_IN_REQUEST", 2)
    _invite(staff_a, network_a, ["Lê Thị Lan", "Trần Thị Mai"])
    response = client_for(staff_a).get(reverse("members:invitation_letters"))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert len(PdfReader(io.BytesIO(response.content)).pages) == 2 and not LetterBatch.objects.exists()
