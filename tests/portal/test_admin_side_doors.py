"""The admin's side doors found in issue 9, each tried as staff of another province:
simple_history's revert form, admin import, the delete page of a shared workshop and a
raw-id box that labelled other provinces' invitations with names."""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.urls import NoReverseMatch, reverse

from events.models import Attendance, Event, Invitation
from members.models import Person
from networks.models import Network
from tests.events.factories import AttendanceFactory, InvitationFactory
from tests.factories import EventFactory, MembershipFactory, NetworkFactory, PersonFactory, province

pytestmark = pytest.mark.django_db


def _history_form_url(obj) -> str:
    opts = obj._meta
    version = obj.history.order_by("history_id").first()
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_simple_history", args=[obj.pk, version.history_id])


@pytest.fixture
def person_a(province_a):
    return PersonFactory(province=province_a, full_name="Nguyễn Thị Bí Mật", phone="+84912345678")


# --- simple_history's history form ------------------------------------------------------


def test_history_form_of_another_province_is_404(person_a, staff_a, staff_b, client_for):
    url = _history_form_url(person_a)
    own = client_for(staff_a).get(url)
    assert own.status_code == 200 and "Nguyễn Thị Bí Mật" in own.content.decode(), "positive control"
    response = client_for(staff_b).get(url)
    assert response.status_code == 404
    assert "Nguyễn Thị Bí Mật" not in response.content.decode()


def test_history_form_post_from_another_province_changes_nothing(person_a, province_b, staff_b, client_for):
    before = Person.objects.filter(pk=person_a.pk).values().get()
    history_rows = person_a.history.count()
    data = {"full_name": "Nguyễn Thị Bí Mật", "province": province_b.pk, "category": person_a.category}
    response = client_for(staff_b).post(_history_form_url(person_a), data)
    assert response.status_code == 404
    assert Person.objects.filter(pk=person_a.pk).values().get() == before
    assert person_a.history.count() == history_rows


def test_history_form_post_cannot_move_another_provinces_network(network_a, province_b, staff_b, client_for):
    response = client_for(staff_b).post(
        _history_form_url(network_a), {"name": network_a.name, "province": province_b.pk, "kind": network_a.kind}
    )
    assert response.status_code == 404
    assert Network.objects.get(pk=network_a.pk).province_id == network_a.province_id


def test_history_form_with_a_version_of_another_row_is_404(person_a, staff_a, staff_b, client_for, province_b):
    """Her own row's URL with the version id of another province's row."""
    mine = PersonFactory(province=province_b, full_name="Người Tỉnh B")
    other_version = person_a.history.first().history_id
    url = reverse("admin:members_person_simple_history", args=[mine.pk, other_version])
    response = client_for(staff_b).get(url)
    assert response.status_code == 404
    assert "Nguyễn Thị Bí Mật" not in response.content.decode()


def test_history_list_still_works_for_her_own_rows(person_a, staff_a, client_for):
    response = client_for(staff_a).get(reverse("admin:members_person_history", args=[person_a.pk]))
    assert response.status_code == 200


def test_history_form_with_a_huge_version_id_is_404(person_a, staff_a, client_for):
    url = reverse("admin:members_person_simple_history", args=[person_a.pk, "9" * 30])
    assert client_for(staff_a).get(url).status_code == 404


# --- admin import -----------------------------------------------------------------------

SCOPED_IMPORT_MODELS = ["networks.network", "events.event", "events.speaker", "members.person"]


@pytest.mark.parametrize("label", SCOPED_IMPORT_MODELS)
def test_admin_import_is_gone_for_scoped_models(label, staff_a, client_for):
    app, model = label.split(".")
    with pytest.raises(NoReverseMatch):
        reverse(f"admin:{app}_{model}_import")
    with pytest.raises(NoReverseMatch):
        reverse(f"admin:{app}_{model}_process_import")
    response = client_for(staff_a).get(f"/admin/{app}/{model}/import/", follow=True)
    assert response.status_code == 404


def test_no_registered_admin_offers_import():
    for model, model_admin in admin.site._registry.items():
        assert not hasattr(model_admin, "import_action"), f"{model._meta.label} still has an admin import"


def test_admin_import_post_writes_nothing(network_a, staff_b, client_for):
    before = Network.objects.count()
    csv = f"id,name,province\n{network_a.pk},Đã bị ghi đè,{staff_b.province_id}\n".encode()
    from django.core.files.uploadedfile import SimpleUploadedFile

    client_for(staff_b).post(
        "/admin/networks/network/import/",
        {"import_file": SimpleUploadedFile("n.csv", csv, "text/csv"), "format": "0"},
        follow=True,
    )
    assert Network.objects.count() == before
    assert Network.objects.get(pk=network_a.pk).name == network_a.name


# --- delete page of a shared workshop ---------------------------------------------------


@pytest.fixture
def shared_workshop(network_a, network_b, province_a):
    network_c = NetworkFactory(province=province("quang_ngai"), name="Câu lạc bộ tỉnh C")
    event = EventFactory(title="Hội thảo ba tỉnh", networks=[network_a, network_b, network_c])
    event.organiser = province_a
    event.save()
    for network, name in [(network_a, "Người Tỉnh A"), (network_b, "Người Tỉnh B"), (network_c, "Người Tỉnh C")]:
        person = MembershipFactory(network=network, person__full_name=name).person
        invitation = InvitationFactory(event=event, person=person, is_member=True)
        AttendanceFactory(event=event, person=person, invitation=invitation, is_member=True)
    return event


def test_delete_page_of_shared_workshop_lists_no_other_province_names(shared_workshop, staff_a, client_for):
    response = client_for(staff_a).get(reverse("admin:events_event_delete", args=[shared_workshop.pk]))
    page = response.content.decode()
    assert "Người Tỉnh B" not in page and "Người Tỉnh C" not in page


def test_delete_of_shared_workshop_is_refused_and_deletes_nothing(shared_workshop, staff_a, staff_b, client_for):
    url = reverse("admin:events_event_delete", args=[shared_workshop.pk])
    for staff in (staff_a, staff_b):
        response = client_for(staff).post(url, {"post": "yes"})
        assert response.status_code in (403, 404)
    assert Event.objects.filter(pk=shared_workshop.pk).exists()
    assert Invitation.objects.filter(event=shared_workshop).count() == 3
    assert Attendance.objects.filter(event=shared_workshop).count() == 3


def test_delete_selected_action_on_shared_workshop_is_refused(shared_workshop, staff_a, client_for):
    response = client_for(staff_a).post(
        reverse("admin:events_event_changelist"),
        {"action": "delete_selected", "_selected_action": [shared_workshop.pk], "post": "yes"},
    )
    assert response.status_code in (302, 403)
    assert Event.objects.filter(pk=shared_workshop.pk).exists()
    assert Invitation.objects.filter(event=shared_workshop).count() == 3


def test_central_staff_may_delete_the_shared_workshop(shared_workshop, central_staff, client_for):
    """Positive control: she sees every row the delete takes with it."""
    url = reverse("admin:events_event_delete", args=[shared_workshop.pk])
    page = client_for(central_staff).get(url).content.decode()
    assert "Người Tỉnh B" in page
    assert client_for(central_staff).post(url, {"post": "yes"}).status_code == 302
    assert not Event.objects.filter(pk=shared_workshop.pk).exists()


def test_own_event_delete_still_works(network_a, staff_a, client_for):
    event = EventFactory(title="Tập huấn riêng", networks=[network_a])
    InvitationFactory(event=event, person=MembershipFactory(network=network_a).person)
    url = reverse("admin:events_event_delete", args=[event.pk])
    assert client_for(staff_a).post(url, {"post": "yes"}).status_code == 302
    assert not Event.objects.filter(pk=event.pk).exists()


# --- raw-id label leak ------------------------------------------------------------------


def test_attendance_add_page_does_not_label_another_provinces_invitation(network_a, network_b, staff_a, client_for):
    other = InvitationFactory(
        event=EventFactory(networks=[network_b]),
        person=PersonFactory(province=network_b.province, full_name="Khách Mời Bí Mật Tỉnh B"),
    )
    response = client_for(staff_a).get(reverse("admin:events_attendance_add"), {"invitation": other.pk})
    assert response.status_code == 200
    assert "Khách Mời Bí Mật Tỉnh B" not in response.content.decode()


def test_attendance_add_page_labels_her_own_invitation(network_a, staff_a, client_for):
    """Positive control: the scoped autocomplete shows her own pre-selected invitation."""
    mine = InvitationFactory(
        event=EventFactory(networks=[network_a]),
        person=PersonFactory(province=network_a.province, full_name="Khách Mời Tỉnh A"),
    )
    response = client_for(staff_a).get(reverse("admin:events_attendance_add"), {"invitation": mine.pk})
    assert "Khách Mời Tỉnh A" in response.content.decode()


def test_no_admin_uses_raw_id_widgets():
    for model, model_admin in admin.site._registry.items():
        assert not model_admin.raw_id_fields, f"{model._meta.label}: use a scoped autocomplete"
        for inline in model_admin.inlines:
            assert not inline.raw_id_fields, f"{inline.__name__}: use a scoped autocomplete"


@pytest.mark.parametrize("value", ["9" * 30, "abc", "-1", "²"])
def test_huge_or_odd_ids_in_admin_query_strings_are_not_500(value, staff_a, client_for):
    response = client_for(staff_a).get(reverse("admin:events_attendance_add"), {"invitation": value})
    assert response.status_code in (200, 404)


# --- the admin's own way onto a shared event (news items, survey deployments) -------------


def _add_news(client, event):
    return client.post(
        reverse("admin:events_mediacoverage_add"),
        {
            "event": event.pk,
            "outlet": "Báo",
            "published_on": "05/01/2026",
            "title": "Tin hội thảo",
            "url": "https://example.org/tin",
        },
    )


def test_other_province_cannot_attach_news_to_a_shared_event_in_the_admin(
    shared_workshop, staff_a, staff_b, client_for
):
    from events.models import MediaCoverage

    response = _add_news(client_for(staff_b), shared_workshop)
    assert response.status_code == 200, "the form is shown again with the error"
    assert "Trung ương Hội" in response.content.decode()
    assert not MediaCoverage.objects.exists()
    assert _add_news(client_for(staff_a), shared_workshop).status_code == 302, "positive control: the organiser"
    assert MediaCoverage.objects.filter(event=shared_workshop).count() == 1


def test_other_province_cannot_change_a_shared_events_news_in_the_admin(shared_workshop, staff_b, client_for):
    from tests.events.factories import MediaCoverageFactory

    news = MediaCoverageFactory(event=shared_workshop, title="Tin gốc")
    url = reverse("admin:events_mediacoverage_change", args=[news.pk])
    client_for(staff_b).post(url, {"event": shared_workshop.pk, "title": "Đổi", "outlet": "X"})
    news.refresh_from_db()
    assert news.title == "Tin gốc"
    assert client_for(staff_b).post(reverse("admin:events_mediacoverage_delete", args=[news.pk]), {"post": "yes"})
    assert type(news).objects.filter(pk=news.pk).exists()


def test_other_province_cannot_deploy_a_survey_on_a_shared_event_in_the_admin(shared_workshop, staff_b, client_for):
    from surveys.models import Deployment
    from tests.surveys.factories import full_template

    template = full_template(kind="training", family="admin-prepost")
    response = client_for(staff_b).post(
        reverse("admin:surveys_deployment_add"),
        {
            "template": template.pk,
            "event": shared_workshop.pk,
            "phase": "pre",
            "opens_at_0": "01/01/2026",
            "opens_at_1": "08:00",
            "closes_at_0": "01/01/2030",
            "closes_at_1": "08:00",
        },
    )
    assert response.status_code in (200, 403)
    assert not Deployment.objects.exists()
