"""The group link shared in Zalo: anonymous (one response per browser, rate-limited) or
identified (her phone, a code by SMS, then her personal form); Open Graph tags carry the
survey's title and never anything personal; four wrong codes lock the code."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from portal import sms
from surveys import public_views, services
from surveys.models import Response
from tests.factories import MembershipFactory
from tests.surveys.factories import deploy, opt, q

pytestmark = pytest.mark.django_db


@pytest.fixture
def anonymous_link(template, network_a, staff_a):
    deployment = deploy(template, network=network_a, user=staff_a)
    deployment.link_mode = "anonymous"
    deployment.save()
    return deployment


@pytest.fixture
def identified(deployment_a, network_a):
    person = MembershipFactory(
        network=network_a, person__full_name="Hà Thị Định Danh", person__phone="+84912345678", person__email=""
    ).person
    services.deployment_queue_invitations(deployment=deployment_a)
    return deployment_a, person


def _answers(template):
    return {
        f"q{q(template, 'single').pk}_opt": opt(template, "single", "right"),
        f"q{q(template, 'scale').pk}": "3",
        "submit": "",
    }


def test_anonymous_link_takes_one_response_per_browser_without_login(client, anonymous_link, template):
    url = reverse("surveys:fill", args=[anonymous_link.token])
    page = client.get(url)
    assert page.status_code == 200 and 'id="survey-form"' in page.content.decode()
    done = client.post(url, _answers(template))
    assert done.status_code == 302
    assert client.get(done["Location"]).status_code == 200
    response = Response.objects.get()
    assert response.status == "submitted" and response.person is None
    assert response.province_id == anonymous_link.network.province_id
    # The same browser sees its submitted answers, read-only; a second one is not taken.
    again = client.get(url).content.decode()
    assert 'id="submitted-note"' in again
    client.post(url, _answers(template))
    assert Response.objects.count() == 1


def test_anonymous_link_is_rate_limited_per_connection(client, anonymous_link, template, settings):
    url = reverse("surveys:fill", args=[anonymous_link.token])
    for _ in range(public_views.ANONYMOUS_NEW_PER_HOUR):
        client.cookies.clear()
        assert client.post(url, _answers(template)).status_code == 302
    client.cookies.clear()
    refused = client.post(url, _answers(template))
    assert refused.status_code == 429 and "thử lại sau một giờ" in refused.content.decode()
    assert Response.objects.count() == public_views.ANONYMOUS_NEW_PER_HOUR


def test_open_graph_tags_show_the_survey_title_and_nothing_personal(client, identified):
    deployment, person = identified
    html = client.get(reverse("surveys:fill", args=[deployment.token])).content.decode()
    tags = dict(re.findall(r'<meta property="og:(\w+)" content="([^"]*)"', html))
    assert tags["title"] == deployment.display_title
    assert tags["url"].endswith(f"/surveys/s/{deployment.token}/")
    assert person.full_name not in html and "0912" not in html and "+8491" not in html


def test_identified_link_phone_and_code_lead_to_her_form(client, identified, django_capture_on_commit_callbacks):
    deployment, person = identified
    url = reverse("surveys:fill", args=[deployment.token])
    with django_capture_on_commit_callbacks(execute=True):
        sent = client.post(url, {"phone": "0912 345 678"})
    assert sent.status_code == 302 and sent["Location"] == reverse("surveys:identify_code", args=[deployment.token])
    [text] = sms.outbox
    assert text.to == "+84912345678"
    code = re.search(r"\d{6}", text.text).group(0)
    opened = client.post(sent["Location"], {"code": code})
    assert opened.status_code == 302 and f"/p/{services.SurveyInvitation.objects.get().token}:" in opened["Location"]
    form = client.get(opened["Location"]).content.decode()
    assert "Hà Thị Định Danh" in form and 'id="survey-form"' in form


def test_an_unknown_number_gets_the_same_page_and_no_code(client, identified, django_capture_on_commit_callbacks):
    deployment, _person = identified
    with django_capture_on_commit_callbacks(execute=True):
        sent = client.post(reverse("surveys:fill", args=[deployment.token]), {"phone": "0987 654 321"})
    assert sent.status_code == 302 and sms.outbox == []
    assert client.post(sent["Location"], {"code": "123456"}).status_code == 400


def test_four_wrong_codes_lock_the_code(client, identified, django_capture_on_commit_callbacks):
    deployment, _person = identified
    with django_capture_on_commit_callbacks(execute=True):
        sent = client.post(reverse("surveys:fill", args=[deployment.token]), {"phone": "0912345678"})
    code = re.search(r"\d{6}", sms.outbox[0].text).group(0)
    wrong = "000000" if code != "000000" else "111111"
    for _attempt in range(4):
        page = client.post(sent["Location"], {"code": wrong})
        assert page.status_code == 400
    assert "bị khóa" in page.content.decode()
    late = client.post(sent["Location"], {"code": code})
    assert late.status_code == 400 and "bị khóa" in late.content.decode()
    assert Response.objects.count() == 0


def test_a_bad_phone_number_gets_a_clear_message(client, identified):
    deployment, _person = identified
    page = client.post(reverse("surveys:fill", args=[deployment.token]), {"phone": "abc"})
    assert page.status_code == 400 and "không phải là số điện thoại" in page.content.decode()
    assert sms.outbox == []
