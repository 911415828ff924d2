from django.contrib import admin
from import_export.admin import ImportExportModelAdmin
from simple_history.admin import SimpleHistoryAdmin

from networks.models import Commune, LegacyProvince, Network, Province
from networks.resources import NetworkResource
from portal.admin_scoping import ReferenceAdminMixin, ScopedAdminMixin


@admin.register(Province)
class ProvinceAdmin(ReferenceAdminMixin, admin.ModelAdmin):
    list_display = ["code", "name", "division_type"]
    search_fields = ["name", "codename"]


@admin.register(Commune)
class CommuneAdmin(ReferenceAdminMixin, admin.ModelAdmin):
    list_display = ["code", "name", "division_type", "province"]
    list_filter = ["province"]
    search_fields = ["name", "codename"]
    list_select_related = ["province"]


@admin.register(LegacyProvince)
class LegacyProvinceAdmin(ReferenceAdminMixin, admin.ModelAdmin):
    list_display = ["name", "province"]
    search_fields = ["name"]
    list_select_related = ["province"]


@admin.register(Network)
class NetworkAdmin(ScopedAdminMixin, ImportExportModelAdmin, SimpleHistoryAdmin):
    resource_classes = [NetworkResource]
    list_display = ["name", "kind", "status", "province", "legacy_province", "launch_date"]
    list_filter = ["status", "kind", "province"]
    search_fields = ["name"]
    autocomplete_fields = ["province", "legacy_province"]
    list_select_related = ["province", "legacy_province"]
