"""Filling offline in a real browser: the page opens again with no connection, answers
wait on the device, and are stored exactly once when the connection returns."""

from datetime import timedelta

import pytest
from django.utils import timezone

from surveys.models import Deployment, Response, SurveyInvitation, SurveyTemplate
from surveys.services import personal_link_path
from tests.surveys.factories import deploy

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _ready_for_offline(pg):
    """The service worker controls the page, and the page says its shell and assets are cached."""
    pg.wait_for_function("navigator.serviceWorker && navigator.serviceWorker.controller !== null", timeout=45000)
    pg.wait_for_function("document.getElementById('survey-form').dataset.offlineReady === '1'", timeout=45000)
    assert pg.locator("#offline-ready").is_visible()


def _answer_needs_survey(pg, *, years: str, contribution: str) -> None:
    pg.locator("#q-attended_training input[type=radio]").first.check()
    pg.locator("#q-trainings_attended input[type=checkbox]").first.check()
    pg.locator("#q-years_leading input").fill(years)
    pg.locator("#q-obstacles input[type=checkbox]").nth(1).check()
    pg.locator("#q-confidence_now input[value='4']").check()
    pg.locator("#q-skills_wanted input[type=checkbox]").nth(3).check()
    pg.locator("#q-support_wanted input[type=checkbox]").first.check()
    pg.locator("#q-contribution textarea").fill(contribution)


SENT = "document.getElementById('offline-status').textContent.includes('đã được nhận')"


def test_member_fills_offline_from_her_personal_link_and_the_response_is_stored_once_when_back_online(
    phone_page, shipped_templates, member_a, staff_a, network_a
):
    deployment = deploy(SurveyTemplate.objects.get(family="needs-survey"), network=network_a, user=staff_a)
    invitation, _ = SurveyInvitation.objects.get_or_create(deployment=deployment, person=member_a.person)
    link = personal_link_path(invitation)
    pg = phone_page  # not signed in: the personal link opens her questionnaire
    pg.goto(link)
    _ready_for_offline(pg)

    pg.context.set_offline(True)
    pg.reload()
    assert pg.locator("#q-years_leading input").is_visible(), "the questionnaire opens with no connection"
    assert "Trần Thị Thành Viên" not in pg.content(), "the copy kept on the phone carries no name"
    _answer_needs_survey(pg, years="12", contribution="Kết nối doanh nghiệp nữ vùng cao")
    pg.click("#submit-survey")
    status = pg.locator("#offline-status")
    status.wait_for()
    assert "lưu trên điện thoại này" in status.inner_text()
    assert not Response.objects.filter(deployment=deployment).exists()

    pg.context.set_offline(False)
    pg.evaluate("window.dispatchEvent(new Event('online'))")
    # Wait on the page (not by polling the database, which SQLite's live server may hold locked).
    pg.wait_for_function(SENT, timeout=45000)
    response = Response.objects.get(deployment=deployment)
    assert response.client_id is not None
    texts = dict(response.answers.filter(text__gt="").values_list("question__code", "text"))
    assert texts["contribution"] == "Kết nối doanh nghiệp nữ vùng cao"
    assert response.answers.get(question__code="years_leading").number == 12

    # Sending the same queued response again (a retry after a lost reply) changes nothing.
    replay = pg.evaluate(
        """async ([url, id]) => {
            const token = document.cookie.match(/csrftoken=([^;]+)/)[1];
            const r = await fetch(url, {method: 'POST', credentials: 'same-origin', headers: {
                'Content-Type': 'application/x-www-form-urlencoded', 'X-CSRFToken': token,
                'X-Survey-Offline': '1'}, body: 'submit=1&client_id=' + id});
            return [r.status, await r.json()];
        }""",
        [link, str(response.client_id)],
    )
    assert replay[0] == 200 and replay[1]["duplicate"] is True
    assert Response.objects.filter(deployment=deployment).count() == 1
    assert response.answers.count() == Response.objects.get().answers.count()


def test_two_participants_on_one_tablet_offline_give_two_responses(
    page, browser_login, shipped_templates, staff_a, network_a, make_member
):
    first = make_member(network_a, full_name="Lò Thị Một")
    second = make_member(network_a, full_name="Hà Thị Hai")
    deployment = deploy(SurveyTemplate.objects.get(family="needs-survey"), network=network_a, user=staff_a)
    browser_login(page, staff_a)
    page.goto(f"/surveys/{deployment.pk}/paper/")
    _ready_for_offline(page)

    page.context.set_offline(True)
    page.reload()
    entries = [(first, "3", "Chia sẻ kinh nghiệm"), (second, "9", "Kết nối thị trường")]
    for number, (person, years, text) in enumerate(entries, start=1):
        page.select_option("#id_person", str(person.pk))
        _answer_needs_survey(page, years=years, contribution=text)
        page.click("#submit-survey")
        # The form is cleared for the next participant and the queue counts this entry.
        page.wait_for_function(
            "document.getElementById('id_person').value === '' && document.getElementById('offline-waiting')"
            f" && document.getElementById('offline-waiting').textContent.trim().endsWith(': {number}')",
            timeout=45000,
        )
    assert not Response.objects.filter(deployment=deployment).exists()

    page.context.set_offline(False)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    page.wait_for_function(SENT + " && !document.getElementById('offline-waiting')", timeout=45000)
    assert Response.objects.filter(deployment=deployment).count() == 2
    by_person = {r.person_id: r for r in Response.objects.filter(deployment=deployment)}
    assert by_person[first.pk].answers.get(question__code="contribution").text == "Chia sẻ kinh nghiệm"
    assert by_person[second.pk].answers.get(question__code="contribution").text == "Kết nối thị trường"
    assert by_person[second.pk].source == Response.Source.PAPER


def test_a_response_queued_before_the_survey_closed_is_refused_with_its_reason_and_kept(
    phone_page, browser_login, shipped_templates, member_a, staff_a, network_a
):
    deployment = deploy(SurveyTemplate.objects.get(family="needs-survey"), network=network_a, user=staff_a)
    pg = phone_page
    browser_login(pg, member_a)
    pg.goto(f"/surveys/s/{deployment.token}/")
    _ready_for_offline(pg)
    pg.context.set_offline(True)
    _answer_needs_survey(pg, years="5", contribution="Câu trả lời chưa kịp gửi")
    pg.click("#submit-survey")
    pg.locator("#offline-status").wait_for()

    Deployment.objects.filter(pk=deployment.pk).update(closes_at=timezone.now() - timedelta(minutes=1))
    pg.context.set_offline(False)
    pg.evaluate("window.dispatchEvent(new Event('online'))")
    refusal = pg.locator("#offline-queue .refused")
    refusal.wait_for()
    assert "đã đóng" in refusal.locator(".msg.error").inner_text()
    assert "Câu trả lời chưa kịp gửi" in refusal.locator("textarea").input_value(), "her text is kept to copy"
    assert not Response.objects.filter(deployment=deployment).exists()
