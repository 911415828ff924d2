"""Reference data: the 34 current provinces, their 3,321 communes/wards (from the
``vietnam-provinces`` package) and the 63 pre-2025 provinces mapped to the current
ones under National Assembly Resolution 202/2025/QH15."""

from __future__ import annotations

import json

from django.apps.registry import Apps
from django.utils.text import slugify

# Former province (63, before 1 July 2025) -> code name of the current province (34).
LEGACY_TO_CURRENT: dict[str, str] = {
    # unchanged
    "Hà Nội": "ha_noi",
    "Cao Bằng": "cao_bang",
    "Điện Biên": "dien_bien",
    "Lai Châu": "lai_chau",
    "Sơn La": "son_la",
    "Lạng Sơn": "lang_son",
    "Quảng Ninh": "quang_ninh",
    "Thanh Hóa": "thanh_hoa",
    "Nghệ An": "nghe_an",
    "Hà Tĩnh": "ha_tinh",
    "Thừa Thiên Huế": "hue",
    # merged
    "Tuyên Quang": "tuyen_quang",
    "Hà Giang": "tuyen_quang",
    "Lào Cai": "lao_cai",
    "Yên Bái": "lao_cai",
    "Thái Nguyên": "thai_nguyen",
    "Bắc Kạn": "thai_nguyen",
    "Phú Thọ": "phu_tho",
    "Vĩnh Phúc": "phu_tho",
    "Hòa Bình": "phu_tho",
    "Bắc Ninh": "bac_ninh",
    "Bắc Giang": "bac_ninh",
    "Hưng Yên": "hung_yen",
    "Thái Bình": "hung_yen",
    "Hải Phòng": "hai_phong",
    "Hải Dương": "hai_phong",
    "Ninh Bình": "ninh_binh",
    "Hà Nam": "ninh_binh",
    "Nam Định": "ninh_binh",
    "Quảng Trị": "quang_tri",
    "Quảng Bình": "quang_tri",
    "Đà Nẵng": "da_nang",
    "Quảng Nam": "da_nang",
    "Quảng Ngãi": "quang_ngai",
    "Kon Tum": "quang_ngai",
    "Gia Lai": "gia_lai",
    "Bình Định": "gia_lai",
    "Khánh Hòa": "khanh_hoa",
    "Ninh Thuận": "khanh_hoa",
    "Lâm Đồng": "lam_dong",
    "Đắk Nông": "lam_dong",
    "Bình Thuận": "lam_dong",
    "Đắk Lắk": "dak_lak",
    "Phú Yên": "dak_lak",
    "Hồ Chí Minh": "ho_chi_minh",
    "Bình Dương": "ho_chi_minh",
    "Bà Rịa - Vũng Tàu": "ho_chi_minh",
    "Đồng Nai": "dong_nai",
    "Bình Phước": "dong_nai",
    "Tây Ninh": "tay_ninh",
    "Long An": "tay_ninh",
    "Cần Thơ": "can_tho",
    "Sóc Trăng": "can_tho",
    "Hậu Giang": "can_tho",
    "Vĩnh Long": "vinh_long",
    "Bến Tre": "vinh_long",
    "Trà Vinh": "vinh_long",
    "Đồng Tháp": "dong_thap",
    "Tiền Giang": "dong_thap",
    "Cà Mau": "ca_mau",
    "Bạc Liêu": "ca_mau",
    "An Giang": "an_giang",
    "Kiên Giang": "an_giang",
}


def load_reference_data(apps: Apps | None = None) -> None:
    """Create or update provinces, communes and legacy provinces. Idempotent.

    ``apps`` is the migration state's registry when called from a migration.
    """
    from vietnam_provinces import NESTED_DIVISIONS_JSON_PATH

    if apps is None:
        from django.apps import apps as global_apps

        apps = global_apps
    Province = apps.get_model("networks", "Province")
    Commune = apps.get_model("networks", "Commune")
    LegacyProvince = apps.get_model("networks", "LegacyProvince")

    data = json.loads(NESTED_DIVISIONS_JSON_PATH.read_text(encoding="utf-8"))
    if (
        Province.objects.count() == len(data)
        and Commune.objects.count() == sum(len(p["wards"]) for p in data)
        and LegacyProvince.objects.count() == len(LEGACY_TO_CURRENT)
    ):
        return
    provinces = [
        Province(code=p["code"], name=p["name"], codename=p["codename"], division_type=p["division_type"]) for p in data
    ]
    Province.objects.bulk_create(
        provinces, update_conflicts=True, unique_fields=["code"], update_fields=["name", "codename", "division_type"]
    )
    communes = [
        Commune(
            code=w["code"],
            name=w["name"],
            codename=w["codename"],
            division_type=w["division_type"],
            province_id=p["code"],
        )
        for p in data
        for w in p["wards"]
    ]
    Commune.objects.bulk_create(
        communes,
        batch_size=1000,
        update_conflicts=True,
        unique_fields=["code"],
        update_fields=["name", "codename", "division_type", "province"],
    )
    by_codename = {p["codename"]: p["code"] for p in data}
    legacy = [
        LegacyProvince(name=name, slug=slugify(name.replace("Đ", "D").replace("đ", "d")), province_id=by_codename[cn])
        for name, cn in LEGACY_TO_CURRENT.items()
    ]
    LegacyProvince.objects.bulk_create(
        legacy, update_conflicts=True, unique_fields=["name"], update_fields=["slug", "province"]
    )
