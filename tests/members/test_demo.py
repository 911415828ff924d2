import pytest

from members.demo import load_members_demo
from members.models import Membership, Person
from networks.models import BoardSeat
from portal.demo import load_demo

pytestmark = pytest.mark.django_db


def test_demo_loads_twice_with_boards_plans_and_pipeline(reference_data):
    load_demo()
    load_members_demo()
    load_members_demo()
    assert not Person.objects.filter(search_text="").exists()
    assert BoardSeat.objects.filter(role="chair").count() == 3
    assert Membership.objects.filter(status="invited").count() == 3
