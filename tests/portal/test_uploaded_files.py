"""Uploaded documents (founding decision, charter, plan): PDF or image by content, kept
outside the public media folder, served as attachments to whoever may see the record."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django import forms
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from PIL import Image

from networks.models import ActivityPlan, Network
from portal.files import document_fields, sniff

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
HTML = b"<!doctype html><html><body><script>alert(document.cookie)</script></body></html>"
SVG = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'


def _png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "red").save(buffer, "PNG")
    return buffer.getvalue()


@pytest.fixture(autouse=True)
def _private_root(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    settings.MEDIA_ROOT = tmp_path / "public"


class DecisionForm(forms.ModelForm):
    class Meta:
        model = Network
        fields = ["decision_file", "charter_file"]


def _form(network, name, content, field="decision_file"):
    return DecisionForm(data={}, files={field: SimpleUploadedFile(name, content)}, instance=network)


def test_every_document_field_is_private():
    fields = {(m._meta.label, f) for m, f in document_fields()}
    assert fields == {
        ("networks.Network", "decision_file"),
        ("networks.Network", "charter_file"),
        ("networks.ActivityPlan", "file"),
    }


@pytest.mark.parametrize(("name", "content"), [("quyet-dinh.pdf", HTML), ("quyet-dinh.svg", SVG), ("x.png", SVG)])
def test_html_and_svg_are_refused_with_a_vietnamese_message(network_a, name, content):
    with translation.override("vi"):
        form = _form(network_a, name, content)
        assert not form.is_valid()
        message = " ".join(form.errors["decision_file"])
    assert "Chỉ nhận tệp PDF và ảnh" in message
    assert not Network.objects.get(pk=network_a.pk).decision_file


@pytest.mark.parametrize(
    ("name", "content", "kind"), [("a.pdf", PDF, "application/pdf"), ("scan.PNG", None, "image/png")]
)
def test_pdf_and_images_are_accepted_and_stored_privately(network_a, settings, name, content, kind):
    form = _form(network_a, name, content or _png())
    assert form.is_valid(), form.errors
    network = form.save()
    stored = Path(settings.PRIVATE_MEDIA_ROOT) / network.decision_file.name
    assert stored.is_file()
    assert not (Path(settings.MEDIA_ROOT) / network.decision_file.name).exists()
    assert network.decision_file.url.startswith("/files/")
    with network.decision_file.open("rb") as handle:
        assert sniff(handle) == kind


def test_a_pdf_name_does_not_make_a_pdf(network_a):
    assert not _form(network_a, "charter.pdf", b"PK\x03\x04 not a pdf", field="charter_file").is_valid()


@pytest.fixture
def stored_decision(network_a):
    network_a.decision_file.save("qd.pdf", ContentFile(PDF))
    return network_a


def test_her_own_province_downloads_it_as_an_attachment(stored_decision, staff_a, client_for):
    response = client_for(staff_a).get(stored_decision.decision_file.url)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content) == PDF


@pytest.mark.parametrize("persona", ["staff_b", "donor_viewer"])
def test_other_province_and_donor_get_404(stored_decision, persona, request, client_for):
    user = request.getfixturevalue(persona)
    assert client_for(user).get(stored_decision.decision_file.url).status_code == 404


def test_anonymous_is_sent_to_login(stored_decision, client):
    response = client.get(stored_decision.decision_file.url)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_a_name_nobody_holds_is_404(staff_a, client_for, settings):
    target = Path(settings.PRIVATE_MEDIA_ROOT) / "networks/decisions/orphan.pdf"
    target.parent.mkdir(parents=True)
    target.write_bytes(PDF)
    assert client_for(staff_a).get("/files/networks/decisions/orphan.pdf").status_code == 404
    assert client_for(staff_a).get("/files/../../etc/passwd").status_code == 404


def test_a_stored_html_file_still_goes_out_as_a_harmless_download(network_a, staff_a, client_for):
    """A file stored before the check: never inline, never typed as HTML."""
    network_a.charter_file.save("old.html", ContentFile(HTML))
    response = client_for(staff_a).get(network_a.charter_file.url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"


def test_nothing_is_served_from_public_media(stored_decision, staff_a, client_for):
    assert client_for(staff_a).get(f"/media/{stored_decision.decision_file.name}").status_code == 404


def test_plan_file_and_network_page_link(network_a, staff_a, client_for):
    plan = ActivityPlan.objects.create(network=network_a, year=2026)
    plan.file.save("plan.png", ContentFile(_png()))
    page = client_for(staff_a).get(reverse("networks:detail", args=[network_a.pk])).content.decode()
    assert plan.file.url in page
    assert client_for(staff_a).get(plan.file.url).status_code == 200


def test_admin_upload_of_html_is_refused(network_a, central_staff, client_for):
    client = client_for(central_staff)
    url = reverse("admin:networks_network_change", args=[network_a.pk])
    form = client.get(url).context["adminform"].form
    data = {name: value for name, value in form.initial.items() if value is not None and name in form.fields}
    data = {k: (v.pk if hasattr(v, "pk") else v) for k, v in data.items() if k not in ("decision_file", "charter_file")}
    data["decision_file"] = SimpleUploadedFile("qd.pdf", HTML, "application/pdf")
    with translation.override("vi"):
        response = client.post(url, data, HTTP_ACCEPT_LANGUAGE="vi")
    assert response.status_code == 200
    assert "Chỉ nhận tệp PDF và ảnh" in response.content.decode()
    assert not Network.objects.get(pk=network_a.pk).decision_file
