from members.models import Membership, Person
from tests.factories import MembershipFactory, PersonFactory
from tests.scoping import Maker

MAKERS = {
    Person: Maker(
        make=lambda ctx: PersonFactory(province=ctx.province_a, full_name="Bí Mật Tỉnh A"),
        search=lambda obj: obj.full_name,
    ),
    Membership: Maker(
        make=lambda ctx: MembershipFactory(network=ctx.network_a, person__full_name="Hội Viên Tỉnh A"),
        search=lambda obj: obj.person.full_name,
    ),
}
