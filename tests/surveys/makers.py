from surveys.models import Deployment, Question, Response, SurveyTemplate
from tests.scoping import Maker
from tests.surveys.factories import TemplateFactory, deploy, full_template


def _response(ctx):
    from tests.factories import MembershipFactory

    deployment = deploy(full_template(), network=ctx.network_a)
    person = MembershipFactory(network=ctx.network_a, person__full_name="Người Trả Lời Tỉnh A").person
    return Response.objects.create(
        deployment=deployment,
        person=person,
        respondent_key=f"person:{person.pk}",
        province=ctx.province_a,
        network=ctx.network_a,
    )


MAKERS = {
    # Templates and questions hold no personal data and are central-only in the admin.
    SurveyTemplate: Maker(make=lambda ctx: TemplateFactory(title_vi="Mẫu trung ương"), search=lambda o: o.title_vi),
    Question: Maker(make=lambda ctx: full_template().questions.first(), search=lambda o: o.code),
    Deployment: Maker(make=lambda ctx: deploy(full_template(), network=ctx.network_a), search=lambda o: o.network.name),
    Response: Maker(make=_response, search=lambda o: o.person.full_name),
}
