from networks.models import Commune, LegacyProvince, Network, Province
from tests.scoping import Maker

MAKERS = {
    Network: Maker(make=lambda ctx: ctx.network_a, search=lambda obj: obj.name),
    Province: Maker(make=lambda ctx: ctx.province_a, search=lambda obj: obj.name),
}
# Communes and former provinces are public reference data: every logged-in user
# may read them, so they are checked separately (tests/networks/test_reference.py).
PUBLIC_REFERENCE = [Commune, LegacyProvince]
