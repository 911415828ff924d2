"""The member's questionnaire page (short link), the thank-you page and paper entry."""

from __future__ import annotations

import pytest
from django.urls import reverse

from surveys.models import Answer, Response
from tests.factories import MembershipFactory, UserFactory
from tests.surveys.factories import deploy, opt, q, response_count

pytestmark = pytest.mark.django_db


def _post(template, **overrides):
    data = {
        f"q{q(template, 'single').pk}_opt": opt(template, "single", "right"),
        f"q{q(template, 'multi').pk}_opt": [opt(template, "multi", "a"), opt(template, "multi", "b")],
        f"q{q(template, 'multi').pk}_other": "Kỹ năng số",
        f"q{q(template, 'scale').pk}": "5",
        f"q{q(template, 'long').pk}": "Mong được học thêm",
    }
    data.update(overrides)
    return data


def test_a_member_submits_and_sees_the_thank_you_page(deployment_a, template, member_a, client_for):
    client = client_for(member_a)
    url = reverse("surveys:fill", args=[deployment_a.token])
    page = client.get(url)
    assert page.status_code == 200 and 'lang="vi"' in page.content.decode()
    response = client.post(url, _post(template) | {"submit": ""})
    assert response.status_code == 302 and response["Location"] == reverse("surveys:thanks", args=[deployment_a.token])
    stored = Response.objects.get(deployment=deployment_a)
    assert stored.status == "submitted" and stored.person == member_a.person
    assert client.get(response["Location"]).status_code == 200


def test_save_later_keeps_a_draft_that_the_page_shows_again(deployment_a, template, member_a, client_for):
    client = client_for(member_a)
    url = reverse("surveys:fill", args=[deployment_a.token])
    scale = f"q{q(template, 'scale').pk}"
    client.post(url, {scale: "2", f"q{q(template, 'long').pk}": "Đang nghĩ", "save": ""})
    assert Response.objects.get(deployment=deployment_a).status == "draft"
    html = client.get(url).content.decode()
    assert f'name="{scale}" value="2" checked' in html and "Đang nghĩ" in html


def test_invalid_input_keeps_what_she_typed_with_a_vietnamese_message(deployment_a, template, member_a, client_for):
    client = client_for(member_a)
    url = reverse("surveys:fill", args=[deployment_a.token])
    number = f"q{q(template, 'number').pk}"
    page = client.post(url, _post(template, **{number: "99"}) | {"submit": ""})
    assert page.status_code == 400
    html = page.content.decode()
    assert "Nhập một số không lớn hơn 60." in html or "không lớn hơn 60" in html
    assert 'value="99"' in html and "Mong được học thêm" in html and "Kỹ năng số" in html
    assert response_count(deployment_a) == 0 and Answer.objects.count() == 0


def test_a_second_submission_changes_nothing(deployment_a, template, member_a, client_for):
    client = client_for(member_a)
    url = reverse("surveys:fill", args=[deployment_a.token])
    client.post(url, _post(template) | {"submit": ""})
    before = list(Answer.objects.values_list("pk", flat=True))
    again = client.post(url, _post(template, **{f"q{q(template, 'scale').pk}": "1"}) | {"submit": ""})
    assert again.status_code == 302 and again["Location"].endswith("/thanks/")
    assert list(Answer.objects.values_list("pk", flat=True)) == before


def test_a_closed_survey_says_so_and_stores_nothing(template, network_a, member_a, client_for):
    closed = deploy(template, network=network_a, open_=False)
    client = client_for(member_a)
    response = client.post(reverse("surveys:fill", args=[closed.token]), _post(template) | {"submit": ""})
    assert response.status_code == 410 and "đã đóng" in response.content.decode()
    assert response_count(closed) == 0


def test_a_question_id_of_another_survey_is_rejected_on_the_page(deployment_a, template, member_a, client_for):
    from tests.surveys.factories import full_template

    other = full_template()
    url = reverse("surveys:fill", args=[deployment_a.token])
    page = client_for(member_a).post(url, _post(template, **{f"q{q(other, 'scale').pk}": "3"}) | {"submit": ""})
    assert page.status_code == 400 and "không thuộc khảo sát này" in page.content.decode()
    assert response_count(deployment_a) == 0


def test_a_member_of_another_network_gets_404(deployment_a, network_b, client_for):
    outsider = UserFactory(role="member")
    MembershipFactory(network=network_b, person__user=outsider)
    assert client_for(outsider).get(reverse("surveys:fill", args=[deployment_a.token])).status_code == 404


def test_visitors_not_signed_in_are_asked_for_their_phone_with_a_log_in_link(deployment_a, client):
    # The group link (identified mode, the default) no longer stops at the login page.
    response = client.get(reverse("surveys:fill", args=[deployment_a.token]))
    html = response.content.decode()
    assert response.status_code == 200 and 'name="phone"' in html and "/accounts/login/" in html


def test_staff_enter_a_paper_questionnaire(deployment_a, template, staff_a, member_a, client_for):
    client = client_for(staff_a)
    url = reverse("surveys:paper", args=[deployment_a.pk])
    assert member_a.person.full_name in client.get(url).content.decode()
    response = client.post(url, _post(template) | {"person": member_a.person.pk, "submit": ""})
    assert response.status_code == 302
    stored = Response.objects.get(deployment=deployment_a)
    assert stored.source == "paper" and stored.entered_by == staff_a and stored.status == "submitted"


def test_paper_entry_rejects_a_person_of_another_province(deployment_a, template, staff_a, network_b, client_for):
    stranger = MembershipFactory(network=network_b).person
    page = client_for(staff_a).post(
        reverse("surveys:paper", args=[deployment_a.pk]), _post(template) | {"person": stranger.pk}
    )
    assert page.status_code == 400 and response_count(deployment_a) == 0


def test_a_member_sees_her_open_surveys(deployment_a, member_a, client_for):
    page = client_for(member_a).get(reverse("surveys:list"))
    assert page.status_code == 200
    assert deployment_a.token in page.content.decode()


def test_a_survey_not_open_yet_says_when_it_opens(template, network_a, member_a, client_for):
    from datetime import timedelta

    from django.utils import timezone

    later = deploy(template, network=network_a)
    later.opens_at = timezone.now() + timedelta(days=2)
    later.save()
    page = client_for(member_a).post(reverse("surveys:fill", args=[later.token]), _post(template) | {"submit": ""})
    assert page.status_code == 403 and "Khảo sát này mở từ" in page.content.decode()
    assert response_count(later) == 0


def test_the_questionnaire_is_in_english_when_she_chooses_english(shipped_templates, network_a, member_a, client_for):
    from surveys.models import SurveyTemplate

    needs = deploy(SurveyTemplate.objects.get(family="needs-survey"), network=network_a)
    client = client_for(member_a)
    vietnamese = client.get(reverse("surveys:fill", args=[needs.token])).content.decode()
    assert "Những khó khăn chị gặp phải" in vietnamese
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    english = client.get(reverse("surveys:fill", args=[needs.token])).content.decode()
    assert "What obstacles do you face" in english and "Save and continue later" in english


def test_staff_enter_an_anonymous_paper_questionnaire(template, network_a, staff_a, client_for):
    anonymous = deploy(template, network=network_a, anonymous=True)
    response = client_for(staff_a).post(reverse("surveys:paper", args=[anonymous.pk]), _post(template) | {"submit": ""})
    assert response.status_code == 302
    stored = Response.objects.get(deployment=anonymous)
    assert stored.person is None and stored.province == network_a.province and stored.source == "paper"


def test_a_named_survey_needs_the_person_on_paper(deployment_a, template, staff_a, client_for):
    page = client_for(staff_a).post(reverse("surveys:paper", args=[deployment_a.pk]), _post(template) | {"submit": ""})
    assert page.status_code == 400 and "Hãy chọn người điền phiếu này." in page.content.decode()
    assert response_count(deployment_a) == 0
