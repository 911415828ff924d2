from portal.models import User
from tests.factories import UserFactory
from tests.scoping import Maker

MAKERS = {
    User: Maker(
        make=lambda ctx: UserFactory(email="hidden.user@example.org", role="provincial", province=ctx.province_a),
        search=lambda obj: obj.email,
    ),
}
