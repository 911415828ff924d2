"""Issue 15: the invitation letter is an official Vietnamese letter — issuing body,
national heading and motto, number, place and date, title, signature block — and prints a
short link (SITE_URL/a/<code>, under 40 characters) that leads to the personal form."""

from __future__ import annotations

import io
import re

import pytest
from django.urls import reverse
from pypdf import PdfReader

from members import services
from members.models import Invitation

pytestmark = pytest.mark.django_db


@pytest.fixture
def invited(candidate_a, staff_a):
    services.membership_approve(memberships=[candidate_a], actor=staff_a, reference="CV 5")
    [sent] = services.membership_invite(
        memberships=[candidate_a], actor=staff_a, link_for=lambda s: reverse("members:apply", args=[s])
    )
    return sent.invitation


def _letter_text(client, membership) -> str:
    response = client.get(reverse("members:invitation_letter", args=[membership.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)


def test_the_letter_has_the_official_layout(client_for, staff_a, candidate_a, invited, settings):
    settings.SITE_URL = "https://lanhdaonu.vn"
    text = _letter_text(client_for(staff_a), candidate_a)
    flat = re.sub(r"\s+", " ", text)
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in flat
    assert "Độc lập - Tự do - Hạnh phúc" in flat
    assert "HỘI LHPN TỈNH HƯNG YÊN" in flat and "BAN THƯỜNG VỤ" in flat
    assert f"Số: {invited.pk}/GM-HLHPN" in flat
    assert re.search(r"Hưng Yên, ngày \d\d tháng \d\d năm \d{4}", flat)
    assert "THƯ MỜI" in flat and "Kính gửi: Bà Nguyễn Thị Hoa" in flat
    assert "TM. BAN THƯỜNG VỤ" in flat and "CHỦ TỊCH" in flat and "Nơi nhận:" in flat


def test_the_letter_prints_a_short_link_that_leads_to_the_form(
    client, client_for, staff_a, candidate_a, invited, settings
):
    settings.SITE_URL = "https://lanhdaonu.vn"
    text = _letter_text(client_for(staff_a), candidate_a)
    invited.refresh_from_db()
    short = f"https://lanhdaonu.vn/a/{invited.short_code}"
    assert short in text.replace("\n", "")
    assert len(short) < 40
    assert "/members/apply/" not in text.replace("\n", "")

    client.logout()
    # Typed from paper: any case, no trailing slash needed.
    response = client.get(f"/a/{invited.short_code.upper()}")
    assert response.status_code == 302
    assert response["Location"].startswith("/members/apply/")
    assert client.get(response["Location"]).status_code == 200


def test_an_unknown_or_malformed_short_code_is_a_404(client, invited):
    assert client.get("/a/zzzzzzzz").status_code == 404
    assert client.get("/a/0O1l!").status_code == 404


def test_short_codes_use_only_unambiguous_characters(invited):
    code = Invitation.objects.get(pk=invited.pk).short_code
    assert len(code) == services.SHORT_CODE_LENGTH
    assert set(code) <= set(services.SHORT_CODE_ALPHABET)
    assert not set(code) & set("0o1li")


def test_the_letters_of_a_network_are_official_letters_too(client_for, staff_a, candidate_a, invited):
    response = client_for(staff_a).get(reverse("members:invitation_letters"))
    text = PdfReader(io.BytesIO(response.content)).pages[0].extract_text()
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in re.sub(r"\s+", " ", text)
