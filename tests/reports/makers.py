from reports.models import LessonsLearned, ReportRequest
from tests.reports.factories import LessonsLearnedFactory, make_report
from tests.scoping import Maker

MAKERS = {
    LessonsLearned: Maker(
        make=lambda ctx: LessonsLearnedFactory(network=ctx.network_a, achievements="Thành tựu bí mật tỉnh A"),
        search=lambda obj: "Thành tựu bí mật",
    ),
    ReportRequest: Maker(
        make=lambda ctx: make_report([ctx.network_a], donor_agreement="Thỏa thuận bí mật A"),
        search=lambda obj: obj.donor_agreement,
    ),
}
