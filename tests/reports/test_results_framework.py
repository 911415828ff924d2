"""Agreements and their results framework: computed and hand-entered actuals per province,
status against targets, the results page and who may see or change what."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from networks.indicators import IndicatorSource as S
from networks.models import DonorAgreement, Indicator, IndicatorTarget, Result, ResultLevel
from networks.services import indicator_actual_record
from reports.indicators import results_framework
from reports.services import report_request
from tests.factories import EventFactory, NetworkFactory
from tests.reports.factories import period_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def agreement(network_a, network_b):
    agreement = DonorAgreement.objects.create(
        donor="UNDP", number="TEST-1", title_vi="Thỏa thuận thử", starts_on=date(2026, 1, 1), ends_on=date(2026, 12, 31)
    )
    agreement.networks.set([network_a, network_b])
    outcome = Result.objects.create(agreement=agreement, level=ResultLevel.OUTCOME, code="1", statement_vi="Kết quả")
    output = Result.objects.create(
        agreement=agreement, level=ResultLevel.OUTPUT, parent=outcome, code="1.1", statement_vi="Đầu ra"
    )
    trainings = Indicator.objects.create(
        result=output, code="a", name_vi="Số lớp", unit_vi="lớp", source=S.TRAININGS_HELD, target=4
    )
    for network in (network_a, network_b):
        IndicatorTarget.objects.create(indicator=trainings, province=network.province, target=2)
    Indicator.objects.create(result=output, code="b", name_vi="Kiến nghị", unit_vi="kiến nghị", target=1)
    for day in (3, 10):
        EventFactory(
            networks=[network_a],
            status="held",
            kind="training",
            starts_at=datetime(2026, 3, day, 1, tzinfo=UTC),
            ends_at=datetime(2026, 3, day, 9, tzinfo=UTC),
        )
    EventFactory(networks=[network_b], status="planned", kind="training", starts_at=datetime(2026, 12, 20, tzinfo=UTC))
    return agreement


def _indicator(outcomes, code):  # noqa: ANN001, ANN202
    return next(i for o in outcomes for out in o["outputs"] for i in out["indicators"] if i["code"] == code)


def test_computed_actuals_per_province_and_status(agreement, network_a, network_b):
    rows = results_framework(agreement, period_of([network_a, network_b]))
    trainings = _indicator(rows, "a")
    assert trainings["actual"] == 2 and trainings["status"] == "on_track"
    by_province = {r["province"]: (r["target"], r["actual"], r["status"]) for r in trainings["provinces"]}
    assert by_province[network_a.province.name] == (2, 2, "achieved")
    assert by_province[network_b.province.name] == (2, 0, "behind")  # the planned training does not count


def test_hand_entered_actual_needs_evidence_and_stays_in_scope(agreement, staff_a, staff_b, network_a):
    manual = Indicator.objects.get(code="b")
    evidence = SimpleUploadedFile("bien-ban.pdf", b"%PDF-1.4 demo")
    with pytest.raises(ValidationError):
        indicator_actual_record(
            user=staff_a, indicator=manual, province=network_a.province, as_of=date(2026, 6, 1), value=1, evidence=None
        )
    with pytest.raises(PermissionDenied):
        indicator_actual_record(
            user=staff_b,
            indicator=manual,
            province=network_a.province,
            as_of=date(2026, 6, 1),
            value=1,
            evidence=evidence,
        )
    with pytest.raises(ValidationError):
        indicator_actual_record(
            user=staff_a,
            indicator=Indicator.objects.get(code="a"),
            province=network_a.province,
            as_of=date(2026, 6, 1),
            value=1,
            evidence=evidence,
        )
    indicator_actual_record(
        user=staff_a, indicator=manual, province=network_a.province, as_of=date(2026, 6, 1), value=1, evidence=evidence
    )
    rows = results_framework(agreement, period_of([network_a]))
    assert _indicator(rows, "b")["actual"] == 1 and _indicator(rows, "b")["evidence"]


def test_results_page_for_central_donor_and_provincial_staff(
    client_for, agreement, central_staff, donor_viewer, staff_a, network_a, network_b
):
    url = reverse("reports:results")
    page = client_for(central_staff).get(url).text
    assert "Số lớp" in page and network_b.province.name in page
    assert client_for(donor_viewer).get(url).status_code == 200
    own = client_for(staff_a).get(url).text
    assert network_a.province.name in own and f"— {network_b.province.name}" not in own


def test_members_cannot_see_the_results_page(client_for, member_a, agreement):
    assert client_for(member_a).get(reverse("reports:results")).status_code == 404


def test_a_report_on_an_agreement_must_stay_within_its_networks(agreement, central_staff, network_a):
    other = NetworkFactory()
    with pytest.raises(ValidationError):
        report_request(
            user=central_staff,
            kind="donor",
            networks=[network_a, other],
            period_start=date(2026, 1, 1),
            period_end=date(2026, 12, 31),
            language="en",
            agreement=agreement,
        )


def test_an_output_needs_an_outcome_of_the_same_agreement(agreement):
    orphan = Result(agreement=agreement, level=ResultLevel.OUTPUT, code="9", statement_vi="x")
    with pytest.raises(ValidationError):
        orphan.full_clean()
