import datetime

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
