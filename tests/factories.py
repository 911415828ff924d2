"""factory_boy factories shared by every test package."""

from __future__ import annotations

from datetime import timedelta

import factory
from django.utils import timezone

from events.models import Event
from members.models import Category, Membership, Person
from networks.models import Network, Province
from portal.models import Role, User

PASSWORD = "Test-password-2026"  # noqa: S105


def province(codename: str) -> Province:
    return Province.objects.get(codename=codename)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.org")
    full_name = factory.Sequence(lambda n: f"Người dùng {n}")
    role = Role.MEMBER
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)
    is_staff = factory.LazyAttribute(lambda o: o.role in (Role.CENTRAL_STAFF, Role.PROVINCIAL_STAFF))

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):  # noqa: N805
        if create:
            obj.save()


class NetworkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Network

    province = factory.LazyFunction(lambda: province("hung_yen"))
    name = factory.Sequence(lambda n: f"Mạng lưới thử nghiệm {n}")
    status = Network.Status.ACTIVE


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    province = factory.LazyFunction(lambda: province("hung_yen"))
    full_name = factory.Sequence(lambda n: f"Nguyễn Thị Thử {n}")
    year_of_birth = 1985
    ethnicity = "Kinh"
    email = factory.Sequence(lambda n: f"person{n}@example.org")
    organisation = "Sở Thử nghiệm"
    category = Category.DEPARTMENT_LEADER


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    network = factory.SubFactory(NetworkFactory)
    person = factory.SubFactory(PersonFactory, province=factory.SelfAttribute("..network.province"))
    status = Membership.Status.MEMBER


class EventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Event
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Lớp tập huấn {n}")
    kind = Event.Kind.TRAINING
    starts_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=7))
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + timedelta(hours=8))

    @factory.post_generation
    def networks(obj, create, extracted, **kwargs):  # noqa: N805
        if create and extracted:
            obj.networks.set(extracted)
