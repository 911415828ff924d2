"""Issue 10's main paths on a 390 px phone: a newly admitted member signs in from her
welcome message and, later, by a code; a guest of a training answers before and after
through her personal link and is paired; the Zalo group link works without login."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from events.models import Attendance
from members.models import Membership
from portal import sms
from surveys import services
from surveys.models import Deployment, Response, SurveyInvitation, SurveyTemplate
from tests.factories import EventFactory, MembershipFactory, PersonFactory
from tests.surveys.factories import deploy

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
# bypass_csp: Playwright evaluates strings, which the portal's CSP rightly blocks.
PHONE = {
    "viewport": {"width": 390, "height": 844},
    "is_mobile": True,
    "has_touch": True,
    "locale": "vi-VN",
    "bypass_csp": True,
}


def _phone(chromium, live_server):
    context = chromium.new_context(base_url=live_server.url, **PHONE)
    pg = context.new_page()
    pg.set_default_timeout(15000)
    return context, pg


def _link_in(text: str) -> str:
    return re.search(r"https?://\S+", text).group(0)


def test_admitted_member_signs_in_from_welcome_then_by_code_and_keeps_her_answers(
    chromium, live_server, settings, page, browser_login, shipped_templates, staff_a, network_a
):
    settings.SITE_URL = live_server.url
    deployment = deploy(SurveyTemplate.objects.get(family="needs-survey"), network=network_a, user=staff_a)
    candidate = MembershipFactory(
        network=network_a,
        status=Membership.Status.APPLIED,
        person__full_name="Nguyễn Thị Mới Vào",
        person__email="moi.vao@example.org",
    )
    # Staff admit her as they would: the membership pipeline page, its bulk "admit" action.
    browser_login(page, staff_a)
    page.goto(f"/members/pipeline/?status={Membership.Status.APPLIED}")
    page.get_by_label("Nguyễn Thị Mới Vào").check()
    page.select_option("#id_action", "admit")
    page.fill("#id_decision_number", "QĐ 21/2026")
    page.click("#bulk button[type=submit]")
    page.wait_for_selector(".msg")
    candidate.refresh_from_db()
    assert candidate.status == Membership.Status.MEMBER and candidate.decision_number == "QĐ 21/2026"
    services.deployment_queue_invitations(deployment=deployment)
    [welcome] = [m for m in mail.outbox if m.to == ["moi.vao@example.org"]]
    link = _link_in(welcome.body)
    assert link.startswith(live_server.url + "/members/welcome/")

    # A fresh phone browser opens the welcome link and fills half of the needs survey.
    first, pg = _phone(chromium, live_server)
    pg.goto(link)
    pg.click("#welcome-sign-in")
    pg.wait_for_selector("#my-surveys")
    pg.click(f"#my-surveys a[href='/surveys/s/{deployment.token}/']")
    # evaluate() does not wait for the navigation the click started: wait for the form.
    pg.wait_for_selector("#survey-form")
    assert pg.evaluate("document.documentElement.scrollWidth") <= 390
    pg.locator("#q-attended_training input[type=radio]").first.check()
    pg.locator("#q-trainings_attended input[type=checkbox]").first.check()
    pg.locator("#q-years_leading input").fill("9")
    pg.locator("#q-obstacles input[type=checkbox]").nth(1).check()
    assert "4/" in pg.locator("#progress").inner_text(), "the counter follows her answers"
    pg.wait_for_function("document.getElementById('autosave-status').textContent === 'Đã lưu'")
    first.close()  # she closes the browser without pressing any button
    draft = Response.objects.get(deployment=deployment)
    assert draft.status == "draft" and draft.person == candidate.person

    # Another day, a new browser: she signs in with a code sent by e-mail.
    second, pg = _phone(chromium, live_server)
    pg.goto("/accounts/login/")
    pg.click("#login-by-code")
    pg.fill("#id_email", "moi.vao@example.org")
    pg.click("#code-request-form button[type=submit]")
    pg.wait_for_selector("#code-confirm-form")
    code = re.search(r"^(\d{6})$", mail.outbox[-1].body, re.M).group(1)
    pg.fill("#id_code", code)
    pg.click("#code-confirm-form button[type=submit]")
    pg.wait_for_url(lambda url: "/accounts/login" not in url)
    pg.goto("/surveys/")
    pg.click(f"#my-surveys a[href='/surveys/s/{deployment.token}/']")
    assert pg.locator("#q-years_leading input").input_value() == "9", "her half-filled answers are there"
    assert pg.locator("#q-obstacles input[type=checkbox]").nth(1).is_checked()
    pg.locator("#q-confidence_now input[value='4']").check()
    pg.locator("#q-skills_wanted input[type=checkbox]").first.check()
    pg.locator("#q-support_wanted input[type=checkbox]").first.check()
    pg.click("#submit-survey")
    pg.wait_for_selector("#thanks")
    second.close()

    page.goto(f"/surveys/{deployment.pk}/")
    assert page.locator("#submitted-count").inner_text() == "1"
    assert "100%" in page.locator("#response-rates").inner_text()


def _answer_all(pg, scale_value: str) -> None:
    """Every required radio question: the first option, and ``scale_value`` on scales."""
    pg.evaluate(
        """(value) => {
        const groups = {};
        document.querySelectorAll('#survey-form input[type=radio]').forEach(i => {
          (groups[i.name] = groups[i.name] || []).push(i);
        });
        Object.values(groups).forEach(list => {
          const pick = list.find(i => i.value === value && i.closest('.scale')) || list[0];
          pick.checked = true;
          pick.dispatchEvent(new Event('change', {bubbles: true}));
        });
      }""",
        scale_value,
    )


def test_a_guest_checked_in_answers_before_and_after_and_is_paired(
    chromium, live_server, settings, page, browser_login, shipped_templates, staff_a, network_a
):
    settings.SITE_URL = live_server.url
    template = SurveyTemplate.objects.get(family="training-pre-post")
    event = EventFactory(title="Kỹ năng đàm phán", networks=[network_a])
    now = timezone.now()
    pre = Deployment.objects.create(
        template=template,
        event=event,
        phase="pre",
        opens_at=now - timedelta(hours=1),
        closes_at=now + timedelta(days=1),
    )
    pre.networks.set([network_a])
    post = Deployment.objects.create(
        template=template,
        event=event,
        phase="post",
        opens_at=now + timedelta(days=1),
        closes_at=now + timedelta(days=8),
    )
    post.networks.set([network_a])
    guest = PersonFactory(province=network_a.province, full_name="Khách Mời Lan", email="", phone="+84911222333")
    Attendance.objects.create(event=event, person=guest, is_member=False, checked_in_at=now)

    # Staff at the door: the guest's personal links, printed on a slip (and sent by SMS).
    browser_login(page, staff_a)
    page.goto(f"/events/{event.pk}/check-in/")
    page.click(f"#person-{guest.pk} a.survey-links")
    assert page.locator("#slip .slip-link").count() == 2
    slip_links = page.locator("#slip a.personal-link").all_inner_texts()
    assert all(link.startswith(live_server.url + "/surveys/s/") for link in slip_links)
    page.click("#send-sms")
    assert any(m.to == "+84911222333" for m in sms.outbox)
    pre_link, post_link = slip_links

    context, pg = _phone(chromium, live_server)
    pg.goto(pre_link)
    assert "Phiếu trước tập huấn — Kỹ năng đàm phán" in pg.locator("#survey-title").inner_text()
    assert "Khách Mời Lan" in pg.locator("#respondent").inner_text()
    _answer_all(pg, "2")
    pg.click("#submit-survey")
    pg.wait_for_selector("#submitted-note")

    # After the training the post questionnaire opens; the same slip's second link.
    Deployment.objects.filter(pk=post.pk).update(opens_at=timezone.now() - timedelta(minutes=1))
    pg.goto(post_link)
    assert "Phiếu sau tập huấn — Kỹ năng đàm phán" in pg.locator("#survey-title").inner_text()
    _answer_all(pg, "5")
    pg.click("#submit-survey")
    pg.wait_for_selector("#submitted-note")
    context.close()

    assert SurveyInvitation.objects.filter(person=guest, is_guest=True).count() == 2
    page.goto(f"/surveys/events/{event.pk}/prepost/")
    assert "1 " in page.locator("body").inner_text()
    pairs = page.locator("#prepost td.pairs").first.inner_text()
    assert pairs == "1", "the guest's before and after answers are paired"


def test_zalo_link_anonymous_and_identified(
    chromium, live_server, settings, page, browser_login, template, staff_a, network_a
):
    settings.SITE_URL = live_server.url
    anonymous = deploy(template, network=network_a, user=staff_a)
    Deployment.objects.filter(pk=anonymous.pk).update(link_mode="anonymous")
    identified = deploy(template, network=network_a, user=staff_a)
    member = MembershipFactory(
        network=network_a, person__full_name="Hoàng Thị Zalo", person__email="", person__phone="+84933444555"
    ).person
    services.deployment_queue_invitations(deployment=identified)

    context, pg = _phone(chromium, live_server)
    pg.goto(f"/surveys/s/{anonymous.token}/")
    assert pg.locator("meta[property='og:title']").get_attribute("content") == anonymous.display_title
    pg.locator("#q-single input[type=radio]").first.check()
    pg.locator("#q-scale input[value='3']").check()
    pg.click("#submit-survey")
    pg.wait_for_selector("#thanks")
    assert Response.objects.filter(deployment=anonymous, status="submitted", person=None).count() == 1

    pg.goto(f"/surveys/s/{identified.token}/")
    pg.fill("#id_phone", "0933 444 555")
    pg.click("#phone-form button[type=submit]")
    pg.wait_for_selector("#code-form")
    code = re.search(r"\d{6}", sms.outbox[-1].text).group(0)
    pg.fill("#id_code", code)
    pg.click("#code-form button[type=submit]")
    pg.wait_for_selector("#survey-form")
    assert "Hoàng Thị Zalo" in pg.locator("#respondent").inner_text()
    context.close()

    browser_login(page, staff_a)
    page.goto(f"/surveys/{anonymous.pk}/")
    assert page.locator("#submitted-count").inner_text() == "1"
    assert member.full_name
