import pytest

from networks.models import Commune, LegacyProvince, Network, Province
from networks.reference import LEGACY_TO_CURRENT, load_reference_data

pytestmark = pytest.mark.django_db


def test_the_34_provinces_and_3321_communes_are_loaded(reference_data):
    assert Province.objects.count() == 34
    assert Commune.objects.count() == 3321


def test_63_former_provinces_map_to_current_ones(reference_data):
    assert LegacyProvince.objects.count() == 63 == len(LEGACY_TO_CURRENT)
    mapping = dict(LegacyProvince.objects.values_list("name", "province__codename"))
    assert mapping["Thái Bình"] == "hung_yen"
    assert mapping["Kon Tum"] == "quang_ngai"
    assert mapping["Nghệ An"] == "nghe_an"
    # every current province absorbed at least one former one
    assert set(mapping.values()) == set(Province.objects.values_list("codename", flat=True))


def test_loading_twice_changes_nothing(reference_data):
    load_reference_data()
    assert Province.objects.count() == 34
    assert LegacyProvince.objects.count() == 63


def test_a_network_keeps_its_historical_province_name(reference_data):
    kon_tum = LegacyProvince.objects.get(name="Kon Tum")
    network = Network.objects.create(province=kon_tum.province, legacy_province=kon_tum, name="CLB Kon Tum")
    assert network.historical_province_name == "Kon Tum"
    assert network.province.codename == "quang_ngai"


def test_reference_data_is_readable_but_not_editable_in_the_admin(client, staff_a):
    client.force_login(staff_a)
    assert client.get("/admin/networks/commune/").status_code == 200
    commune = Commune.objects.filter(province=staff_a.province).first()
    assert client.post(f"/admin/networks/commune/{commune.pk}/delete/", {"post": "yes"}).status_code == 403
    assert Commune.objects.filter(pk=commune.pk).exists()
