"""An event carries its funding: a donor agreement, or another source named."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from events import services
from events.models import Event
from networks.models import DonorAgreement

pytestmark = pytest.mark.django_db


@pytest.fixture
def agreement(network_a):
    agreement = DonorAgreement.objects.create(
        donor="UNDP", number="UNDP-01", title_vi="Thỏa thuận", starts_on=date(2026, 1, 1), ends_on=date(2026, 12, 31)
    )
    agreement.networks.set([network_a])
    return agreement


def _create(staff, network, **extra):  # noqa: ANN001, ANN003, ANN202
    return services.event_create(
        by=staff,
        networks=[network],
        title="Tập huấn",
        kind=Event.Kind.TRAINING,
        starts_at=datetime(2026, 5, 2, 1, tzinfo=UTC),
        ends_at=datetime(2026, 5, 2, 9, tzinfo=UTC),
        duration_days=Decimal("1"),
        venue="Hội trường",
        **extra,
    )


def test_an_event_is_funded_by_an_agreement_or_another_named_source(staff_a, network_a, agreement):
    assert _create(staff_a, network_a, agreement=agreement).agreement == agreement
    assert _create(staff_a, network_a, other_funding="Ngân sách tỉnh").other_funding == "Ngân sách tỉnh"
    with pytest.raises(ValidationError):
        _create(staff_a, network_a, agreement=agreement, other_funding="Ngân sách tỉnh")
    assert Event.objects.count() == 2


def test_the_event_form_offers_only_agreements_the_user_may_see(client_for, staff_a, staff_b, agreement):
    assert "UNDP-01" in client_for(staff_a).get(reverse("events:create")).text
    assert "UNDP-01" not in client_for(staff_b).get(reverse("events:create")).text


def test_the_edit_form_offers_only_agreements_she_sees(client_for, staff_a, network_a, network_b):
    """The edit form, like the create form, lists only the agreements of her networks."""
    own = DonorAgreement.objects.create(
        donor="UNDP", number="UNDP-A", title_vi="Của tỉnh A", starts_on=date(2026, 1, 1), ends_on=date(2026, 12, 31)
    )
    own.networks.set([network_a])
    other = DonorAgreement.objects.create(
        donor="UNDP", number="UNDP-B", title_vi="Của tỉnh B", starts_on=date(2026, 1, 1), ends_on=date(2026, 12, 31)
    )
    other.networks.set([network_b])
    event = _create(staff_a, network_a)
    form = client_for(staff_a).get(reverse("events:edit", args=[event.pk])).context["form"]
    assert list(form.fields["agreement"].queryset) == [own]
