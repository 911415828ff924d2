import pytest

from members.models import Membership
from networks.demo import load_networks_demo
from networks.models import Task

pytestmark = pytest.mark.django_db


def test_networks_demo_adds_work_for_every_home_page_and_is_idempotent(reference_data, settings):
    import io

    from django.core.management import call_command

    settings.SITE_URL = "http://127.0.0.1:8765"
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    assert "Log in at http://127.0.0.1:8765/accounts/login/" in out.getvalue(), "the address make run serves"
    assert Task.objects.count() == 6
    assert Membership.objects.filter(status="applied").count() == 3
    assert load_networks_demo() == 0
    assert Task.objects.count() == 6
