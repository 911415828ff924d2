from events.models import Attendance, Event, Invitation, MediaCoverage, Speaker, Topic
from tests.events.factories import (
    AttendanceFactory,
    InvitationFactory,
    MediaCoverageFactory,
    SpeakerFactory,
    TopicFactory,
)
from tests.factories import EventFactory
from tests.scoping import Maker

MAKERS = {
    Event: Maker(
        make=lambda ctx: EventFactory(title="Tập huấn riêng tỉnh A", networks=[ctx.network_a]),
        search=lambda obj: obj.title,
    ),
    # Central staff manage the topic list; provincial staff get 403 on its admin.
    Topic: Maker(make=lambda ctx: TopicFactory(name="Chủ đề thử nghiệm"), search=lambda obj: obj.name),
    Speaker: Maker(
        make=lambda ctx: SpeakerFactory(full_name="Giảng Viên Tỉnh A", province=ctx.province_a),
        search=lambda obj: obj.full_name,
    ),
    Invitation: Maker(
        make=lambda ctx: InvitationFactory(
            event__networks=[ctx.network_a], person__province=ctx.province_a, person__full_name="Khách Mời Tỉnh A"
        ),
        search=lambda obj: obj.person.full_name,
    ),
    Attendance: Maker(
        make=lambda ctx: AttendanceFactory(
            event__networks=[ctx.network_a], person__province=ctx.province_a, person__full_name="Người Dự Tỉnh A"
        ),
        search=lambda obj: obj.person.full_name,
    ),
    MediaCoverage: Maker(
        make=lambda ctx: MediaCoverageFactory(event__networks=[ctx.network_a], title="Bản tin tỉnh A"),
        search=lambda obj: obj.title,
    ),
}
