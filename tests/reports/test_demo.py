import pytest

from portal.demo import load_demo
from reports.demo import load_reports_demo
from reports.models import LessonsLearned


@pytest.mark.django_db
def test_reports_demo_writes_lessons_for_the_three_networks_once(reference_data):
    load_demo(members_per_network=2)
    assert load_reports_demo() == 4
    assert load_reports_demo() == 4
    assert LessonsLearned.objects.filter(network__isnull=True).count() == 1
