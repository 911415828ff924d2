import pytest

from portal.demo import load_demo
from portal.models import User
from surveys.demo import load_surveys_demo
from surveys.models import Deployment, Response
from surveys.selectors import prepost_analysis

pytestmark = pytest.mark.django_db


def test_the_survey_demo_loads_once_and_has_a_training_to_analyse(reference_data):
    load_demo()
    created = load_surveys_demo()
    assert created == Response.objects.count() > 0
    assert load_surveys_demo() == 0
    event = Deployment.objects.get(phase="pre").event
    central = User.objects.get(email="trunguong@demo.vn")
    knowledge = prepost_analysis(event=event, user=central)["measures"][0]
    assert knowledge.pairs > 5 and knowledge.p_value is not None
