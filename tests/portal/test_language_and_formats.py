"""Vietnamese unless the person chose English, whatever the browser sends; one way to
write dates (23/11/2026) and numbers (3,5) per language, in every form and the admin."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import formats, translation

from events.forms import EventForm, MediaCoverageForm
from members.forms import BulkActionForm
from networks.models import Network
from reports.forms import ReportRequestForm
from surveys.forms import DeploymentForm

ENGLISH_BROWSER = {"accept-language": "en-US,en;q=0.9"}


@pytest.mark.django_db
def test_an_english_browser_without_a_preference_gets_vietnamese(reference_data):
    page = Client(headers=ENGLISH_BROWSER).get(reverse("account_login")).content.decode()
    assert 'lang="vi"' in page
    assert "Đăng nhập" in page


@pytest.mark.django_db
def test_the_stored_preference_wins_over_the_default(client_for, staff_a):
    staff_a.language = "en"
    staff_a.save()
    page = client_for(staff_a).get("/").content.decode()
    assert 'lang="en"' in page


@pytest.mark.django_db
def test_the_switcher_stores_the_choice_on_the_account(client_for, staff_a):
    client_for(staff_a).post(reverse("set_language"), {"language": "en", "next": "/"})
    staff_a.refresh_from_db()
    assert staff_a.language == "en"
    # A new session (another device, cookie gone) still gets her choice.
    other = Client(headers={"accept-language": "vi"})
    other.force_login(staff_a)
    assert 'lang="en"' in other.get("/").content.decode()


@pytest.mark.django_db
def test_a_visitor_who_chose_english_keeps_it_without_an_account(reference_data):
    client = Client()
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert 'lang="en"' in client.get(reverse("account_login")).content.decode()


@pytest.mark.parametrize(
    ("language", "date", "number"),
    [("vi", "23/11/2026", "3,5"), ("en", "23/11/2026", "3.5")],
)
def test_one_date_and_number_format_per_language(language, date, number):
    with translation.override(language):
        day = dt.date(2026, 11, 23)
        assert formats.date_format(day) == date
        assert formats.date_format(day, "SHORT_DATE_FORMAT") == date
        assert formats.localize(day) == date
        assert formats.number_format(3.5, 1) == number
        assert formats.get_format("DATE_INPUT_FORMATS")[0] == "%d/%m/%Y"


DATE_FIELDS = [
    (MediaCoverageForm, "published_on"),
    (BulkActionForm, "joined_on"),
    (ReportRequestForm, "period_start"),
]
DATETIME_FIELDS = [(EventForm, "starts_at"), (EventForm, "ends_at"), (DeploymentForm, "opens_at")]


@pytest.mark.parametrize("language", ["vi", "en"])
@pytest.mark.parametrize(("form", "field"), DATE_FIELDS, ids=[f"{f.__name__}.{n}" for f, n in DATE_FIELDS])
def test_portal_date_fields_accept_day_first(language, form, field):
    with translation.override(language):
        assert form.base_fields[field].clean("23/11/2026") == dt.date(2026, 11, 23)
        # The box shows the same format back, not the browser's.
        assert form.base_fields[field].widget.format_value(dt.date(2026, 11, 23)) == "23/11/2026"
        assert 'type="date"' not in form.base_fields[field].widget.render("x", None)


@pytest.mark.parametrize(("form", "field"), DATETIME_FIELDS, ids=[f"{f.__name__}.{n}" for f, n in DATETIME_FIELDS])
def test_portal_datetime_fields_accept_day_first(form, field):
    with translation.override("vi"):
        value = form.base_fields[field].clean("23/11/2026 08:30")
        assert (value.day, value.month, value.year, value.hour, value.minute) == (23, 11, 2026, 8, 30)


@pytest.mark.django_db
def test_the_admin_accepts_23_11_2026_and_shows_it_back(client_for, central_staff, province_a):
    client = client_for(central_staff)
    response = client.post(
        reverse("admin:networks_network_add"),
        {
            "province": province_a.pk,
            "name": "Mạng lưới ngày tháng",
            "kind": "network",
            "status": "planned",
            "launch_date": "23/11/2026",
            "decision_date": "01/02/2026",
        },
        headers=ENGLISH_BROWSER,
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    network = Network.objects.get(name="Mạng lưới ngày tháng")
    assert network.launch_date == dt.date(2026, 11, 23)
    assert network.decision_date == dt.date(2026, 2, 1)
    change = client.get(reverse("admin:networks_network_change", args=[network.pk])).content.decode()
    assert 'value="23/11/2026"' in change


@pytest.mark.django_db
def test_the_admin_calendar_writes_day_first(client_for, central_staff):
    catalogue = client_for(central_staff).get(reverse("admin:jsi18n"), headers=ENGLISH_BROWSER).content.decode()
    assert re.search(r'"DATE_INPUT_FORMATS": \[\s*"%d/%m/%Y"', catalogue)


@pytest.mark.django_db
def test_admin_errors_read_in_vietnamese_in_an_english_browser(client_for, central_staff, province_a):
    page = (
        client_for(central_staff)
        .post(
            reverse("admin:networks_network_add"),
            {"province": province_a.pk, "launch_date": "11/23/2026"},
            headers=ENGLISH_BROWSER,
        )
        .content.decode()
    )
    assert "Please correct" not in page and "This field is required" not in page and "Enter a valid date" not in page
    assert "Vui lòng sửa" in page or "Hãy sửa" in page or "sửa lỗi" in page.lower()
