from portal.models import OutgoingSMS, User
from tests.factories import UserFactory
from tests.scoping import Maker

MAKERS = {
    User: Maker(
        make=lambda ctx: UserFactory(email="hidden.user@example.org", role="provincial", province=ctx.province_a),
        search=lambda obj: obj.email,
    ),
    OutgoingSMS: Maker(
        make=lambda ctx: OutgoingSMS.objects.create(
            to="+84900000123", body="Tin nhắn tỉnh A", purpose="survey", province=ctx.province_a
        ),
        search=lambda obj: obj.to,
    ),
}
