"""Issue 11 (3): an anonymous response cannot be traced from any admin page, export or
report; its key is an HMAC with SURVEY_KEY, not SECRET_KEY."""

from __future__ import annotations

import hashlib
import hmac
import io

import pytest
from django.conf import settings
from django.urls import reverse
from openpyxl import load_workbook

from surveys.models import Response
from tests.factories import PersonFactory
from tests.surveys.factories import deploy
from tests.surveys.test_results import answer

pytestmark = pytest.mark.django_db


@pytest.fixture
def anonymous_response(template, network_a, staff_a):
    deployment = deploy(template, network=network_a, user=staff_a, anonymous=True)
    for _i in range(5):
        answer(deployment, PersonFactory(province=network_a.province, ethnicity="Kinh"))
    her = PersonFactory(province=network_a.province, full_name="Lò Thị Riêng", ethnicity="Tày", year_of_birth=1971)
    answer(deployment, her, text="Ý kiến riêng")
    return Response.objects.get(deployment=deployment, ethnicity="Tày"), her


def test_respondent_key_is_an_hmac_with_the_survey_key(anonymous_response, settings):
    response, her = anonymous_response
    message = f"{response.deployment_id}:{her.pk}".encode()
    expected = hmac.new(settings.SURVEY_KEY.encode(), message, hashlib.sha256).hexdigest()[:40]
    assert response.respondent_key == f"anon:{expected}"
    with_secret = hmac.new(settings.SECRET_KEY.encode(), message, hashlib.sha256).hexdigest()[:40]
    assert with_secret not in response.respondent_key
    assert response.person_id is None


def test_admin_response_page_shows_no_profile_fields(anonymous_response, central_staff, client_for):
    response, her = anonymous_response
    client = client_for(central_staff)
    page = client.get(reverse("admin:surveys_response_change", args=[response.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Tày" not in html and her.full_name not in html and "respondent_key" not in html
    assert response.respondent_key not in html
    listing = client.get(reverse("admin:surveys_response_changelist")).content.decode()
    assert "Tày" not in listing and her.full_name not in listing
    assert client.get(reverse("admin:surveys_response_history", args=[response.pk])).status_code == 404


def test_survey_export_of_an_anonymous_survey_has_no_profile_columns(anonymous_response, staff_a, client_for):
    response, her = anonymous_response
    got = client_for(staff_a).get(reverse("surveys:export", args=[response.deployment_id]))
    rows = list(load_workbook(io.BytesIO(got.content)).active.iter_rows(values_only=True))
    cells = {str(c) for row in rows for c in row if c is not None}
    assert "Tày" not in cells and her.full_name not in cells and str(her.year_of_birth) not in cells
    assert "Ethnicity" not in rows[0] and "Dân tộc" not in rows[0]
    assert str(response.pk) not in {str(row[0]) for row in rows[1:]}
    assert len(rows) == 7


def test_her_profile_pages_do_not_list_her_anonymous_response(anonymous_response, staff_a, client_for):
    response, her = anonymous_response
    html = client_for(staff_a).get(reverse("members:person", args=[her.pk])).content.decode()
    assert "Ý kiến riêng" not in html
    assert reverse("admin:surveys_response_change", args=[response.pk]) not in html


def test_survey_key_differs_from_secret_key_in_tests():
    assert settings.SURVEY_KEY and settings.SURVEY_KEY != settings.SECRET_KEY
