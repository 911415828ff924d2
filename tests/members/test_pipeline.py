"""The membership pipeline: explicit states, who acted and when, bulk steps, illegal steps."""

from __future__ import annotations

import pytest
from django.core import mail
from django.urls import reverse

from members import services
from members.models import Membership, MembershipStep
from tests.factories import MembershipFactory
from tests.members.conftest import link_for

S = Membership.Status
pytestmark = pytest.mark.django_db


def test_it_takes_a_candidate_to_member_recording_each_step(candidate_a, staff_a, django_capture_on_commit_callbacks):
    services.membership_approve(memberships=[candidate_a], actor=staff_a, reference="Công văn 12/UBND")
    with django_capture_on_commit_callbacks(execute=True):
        [sent] = services.membership_invite(memberships=[candidate_a], actor=staff_a, link_for=link_for)
    assert sent.emailed and len(mail.outbox) == 1 and sent.url in mail.outbox[0].body
    invitation = services.invitation_from_link(sent.url.rstrip("/").rsplit("/", 1)[1])
    services.application_submit(
        invitation=invitation,
        data={"full_name": "Nguyễn Thị Hoa", "phone": "84912345678", "year_of_birth": 1980, "ethnicity": "Tày"},
    )
    services.membership_admit(memberships=[candidate_a], actor=staff_a, decision_number="QĐ 45/QĐ-HLHPN")
    candidate_a.refresh_from_db()
    assert candidate_a.status == S.MEMBER and candidate_a.joined_on and candidate_a.decision_number == "QĐ 45/QĐ-HLHPN"
    steps = list(MembershipStep.objects.filter(membership=candidate_a).values_list("to_status", "acted_by"))
    assert steps == [
        (S.CANDIDATE, staff_a.pk),
        (S.APPROVED, staff_a.pk),
        (S.INVITED, staff_a.pk),
        (S.APPLIED, None),  # she acted herself, through her link
        (S.MEMBER, staff_a.pk),
    ]
    consent = candidate_a.person.consents.get()
    assert consent.text_version == services.CONSENT_VERSION and consent.source == "online"


def test_an_illegal_step_raises_and_changes_nothing(candidate_a, staff_a):
    with pytest.raises(services.PipelineError):
        services.membership_admit(memberships=[candidate_a], actor=staff_a, decision_number="QĐ 1")
    candidate_a.refresh_from_db()
    assert candidate_a.status == S.CANDIDATE and candidate_a.steps.count() == 1


def test_bulk_approval_is_all_or_nothing(network_a, staff_a, candidate_a):
    member = MembershipFactory(network=network_a, status=S.MEMBER)
    with pytest.raises(services.PipelineError):
        services.membership_approve(memberships=[candidate_a, member], actor=staff_a, reference="CV 1")
    candidate_a.refresh_from_db()
    assert candidate_a.status == S.CANDIDATE


def test_pipeline_page_counts_stages_and_bulk_approves(client_for, staff_a, network_a, candidate_a):
    others = [MembershipFactory(network=network_a, status=S.CANDIDATE) for _ in range(2)]
    MembershipFactory(network=network_a, status=S.MEMBER)
    client = client_for(staff_a)
    page = client.get(reverse("members:pipeline"))
    counts = {code: n for code, _label, n in page.context["counts"]}
    assert counts[S.CANDIDATE] == 3 and counts[S.MEMBER] == 1
    response = client.post(
        reverse("members:pipeline"),
        {"action": "approve", "memberships": [candidate_a.pk, others[0].pk], "reference": "Ý kiến Thường trực Tỉnh ủy"},
    )
    assert response.status_code == 302
    assert set(Membership.objects.filter(status=S.APPROVED).values_list("pk", flat=True)) == {
        candidate_a.pk,
        others[0].pk,
    }


def test_approval_without_a_reference_changes_nothing(client_for, staff_a, candidate_a):
    response = client_for(staff_a).post(
        reverse("members:pipeline"), {"action": "approve", "memberships": [candidate_a.pk], "reference": ""}
    )
    assert response.status_code == 200
    candidate_a.refresh_from_db()
    assert candidate_a.status == S.CANDIDATE


def test_staff_of_other_province_cannot_move_province_a_memberships(client_for, staff_b, candidate_a):
    response = client_for(staff_b).post(
        reverse("members:pipeline"), {"action": "approve", "memberships": [candidate_a.pk], "reference": "CV"}
    )
    assert response.status_code == 200  # the id is not a valid choice for her
    candidate_a.refresh_from_db()
    assert candidate_a.status == S.CANDIDATE
    page = client_for(staff_b).get(reverse("members:pipeline"))
    assert candidate_a.person.full_name not in page.content.decode()
    assert all(n == 0 for _c, _l, n in page.context["counts"])
    assert client_for(staff_b).get(reverse("members:membership", args=[candidate_a.pk])).status_code == 404
    assert client_for(staff_b).get(reverse("members:invitation_letter", args=[candidate_a.pk])).status_code == 404
    assert client_for(staff_b).get(reverse("members:paper_application", args=[candidate_a.pk])).status_code == 404


@pytest.mark.parametrize("persona", ["member_a", "donor_viewer", "board_member_a"])
def test_non_staff_get_404_on_staff_pages(persona, request, client_for, candidate_a):
    client = client_for(request.getfixturevalue(persona))
    for url in [
        reverse("members:list"),
        reverse("members:pipeline"),
        reverse("members:propose"),
        reverse("members:import"),
        reverse("members:dashboard"),
        reverse("members:export", args=["csv"]),
        reverse("members:membership", args=[candidate_a.pk]),
        reverse("members:person", args=[candidate_a.person.pk]),
    ]:
        assert client.get(url).status_code == 404, url


def test_anonymous_is_sent_to_login(client):
    response = client.get(reverse("members:pipeline"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_propose_creates_a_candidate_with_normalised_phone(client_for, staff_a, network_a):
    response = client_for(staff_a).post(
        reverse("members:propose"),
        {"network": network_a.pk, "full_name": "Phạm Thị Lan", "phone": "+84 912 000 111", "ethnicity": "Mường"},
    )
    assert response.status_code == 302
    membership = Membership.objects.get(person__full_name="Phạm Thị Lan")
    assert membership.status == S.CANDIDATE and str(membership.person.phone) == "+84912000111"


def test_propose_refuses_a_network_of_another_province(client_for, staff_b, network_a):
    response = client_for(staff_b).post(reverse("members:propose"), {"network": network_a.pk, "full_name": "X"})
    assert response.status_code == 200 and "network" in response.context["form"].errors
    assert not Membership.objects.filter(person__full_name="X").exists()


def test_status_change_records_declined(client_for, staff_a, candidate_a):
    client_for(staff_a).post(
        reverse("members:membership", args=[candidate_a.pk]), {"to_status": "declined", "note": "bận"}
    )
    candidate_a.refresh_from_db()
    assert candidate_a.status == S.DECLINED and candidate_a.steps.last().note == "bận"


def test_a_person_on_file_is_proposed_for_a_network(client_for, staff_a, staff_b, network_a):
    from tests.factories import PersonFactory

    person = PersonFactory(province=network_a.province, full_name="Đã Có Hồ Sơ")
    assert (
        client_for(staff_b)
        .post(reverse("members:person_propose", args=[person.pk]), {"network": network_a.pk})
        .status_code
        == 404
    )
    assert not Membership.objects.filter(person=person).exists()
    response = client_for(staff_a).post(reverse("members:person_propose", args=[person.pk]), {"network": network_a.pk})
    assert response.status_code == 302
    assert Membership.objects.get(person=person).status == S.CANDIDATE
    again = client_for(staff_a).post(reverse("members:person_propose", args=[person.pk]), {"network": network_a.pk})
    assert again.status_code == 302 and Membership.objects.filter(person=person).count() == 1
