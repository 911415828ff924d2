import pytest

from events.demo import load_events_demo
from events.models import Attendance, Event
from events.selectors import event_attendance_figures
from portal.demo import load_demo

pytestmark = pytest.mark.django_db


def test_events_demo_loads_once_with_figures(reference_data):
    load_demo(members_per_network=6)
    assert load_events_demo() == 13
    assert load_events_demo() == 0
    workshop = Event.objects.get(kind=Event.Kind.EVALUATION_WORKSHOP)
    assert workshop.networks.count() == 3
    assert Attendance.objects.filter(event=workshop).exists()
    held = Event.objects.filter(status=Event.Status.HELD, kind=Event.Kind.TRAINING).first()
    figures = event_attendance_figures(held)
    assert figures.invited == 3 + 2  # 6 people, 3 of them still candidates; 2 guests
    assert figures.attendance_rate is not None
