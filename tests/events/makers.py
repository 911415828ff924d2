from events.models import Event
from tests.factories import EventFactory
from tests.scoping import Maker

MAKERS = {
    Event: Maker(
        make=lambda ctx: EventFactory(title="Tập huấn riêng tỉnh A", networks=[ctx.network_a]),
        search=lambda obj: obj.title,
    ),
}
