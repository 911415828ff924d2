import datetime
import itertools

from networks.models import ActivityPlan, BoardTerm, Commune, LegacyProvince, Network, Province
from tests.scoping import Maker

MAKERS = {
    Network: Maker(make=lambda ctx: ctx.network_a, search=lambda obj: obj.name),
    Province: Maker(make=lambda ctx: ctx.province_a, search=lambda obj: obj.name),
    BoardTerm: Maker(
        make=lambda ctx: BoardTerm.objects.create(
            network=ctx.network_a, starts_on=datetime.date(2026, 1, 10), how_elected="Bầu tại lễ ra mắt tỉnh A"
        ),
        search=lambda obj: obj.how_elected,
    ),
    ActivityPlan: Maker(
        make=lambda ctx: ActivityPlan.objects.create(network=ctx.network_a, year=2026),
        search=lambda obj: obj.network.name,
    ),
}
# Communes and former provinces are public reference data: every logged-in user
# may read them, so they are checked separately (tests/networks/test_reference.py).
PUBLIC_REFERENCE = [Commune, LegacyProvince]


_AGREEMENT_NUMBERS = itertools.count(1)


def _agreement(ctx):  # noqa: ANN001, ANN202
    from networks.models import DonorAgreement

    agreement = DonorAgreement.objects.create(
        donor="UNDP",
        number=f"HĐ-TỈNH-A-{next(_AGREEMENT_NUMBERS):03d}",
        title_vi="Thỏa thuận của tỉnh A",
        starts_on=datetime.date(2026, 1, 1),
        ends_on=datetime.date(2026, 12, 31),
    )
    agreement.networks.set([ctx.network_a])
    return agreement


def _result(ctx):  # noqa: ANN001, ANN202
    from networks.models import Result

    return Result.objects.create(agreement=_agreement(ctx), level="outcome", code="1", statement_vi="Kết quả tỉnh A")


def _indicator(ctx):  # noqa: ANN001, ANN202
    from networks.models import Indicator

    return Indicator.objects.create(result=_result(ctx), code="1.a", name_vi="Chỉ số tỉnh A", unit_vi="lớp", target=2)


def _register_agreements() -> None:
    from networks.models import DonorAgreement, Indicator, Result

    MAKERS[DonorAgreement] = Maker(make=_agreement, search=lambda obj: obj.number)
    MAKERS[Result] = Maker(make=_result, search=lambda obj: obj.statement_vi)
    MAKERS[Indicator] = Maker(make=_indicator, search=lambda obj: obj.name_vi)


_register_agreements()
