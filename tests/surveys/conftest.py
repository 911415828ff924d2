import pytest

from surveys.shipped import load_shipped_templates
from tests.factories import MembershipFactory, UserFactory
from tests.surveys.factories import deploy, full_template


@pytest.fixture
def shipped_templates(reference_data):
    """The shipped questionnaires (a transactional test flushes the migration's rows)."""
    load_shipped_templates()


@pytest.fixture
def template(db):
    return full_template()


@pytest.fixture
def deployment_a(template, network_a, staff_a):
    return deploy(template, network=network_a, user=staff_a)


@pytest.fixture
def make_member():
    """A member of ``network`` with a login: ``make_member(network, **person_fields)``."""

    def _make(network, **person):
        user = UserFactory(role="member")
        membership = MembershipFactory(
            network=network, person__user=user, **{f"person__{k}": v for k, v in person.items()}
        )
        return membership.person

    return _make
