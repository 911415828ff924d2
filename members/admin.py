from django.contrib import admin
from import_export.admin import ImportExportModelAdmin
from simple_history.admin import SimpleHistoryAdmin

from members.models import Membership, Person
from portal.admin_scoping import ScopedAdminMixin


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["network"]


@admin.register(Person)
class PersonAdmin(ScopedAdminMixin, ImportExportModelAdmin, SimpleHistoryAdmin):
    list_display = ["full_name", "organisation", "position", "category", "province", "phone", "email"]
    list_filter = ["category", "province", "is_young_potential_leader"]
    search_fields = ["full_name", "email", "organisation"]
    autocomplete_fields = ["province", "commune"]
    list_select_related = ["province"]
    inlines = [MembershipInline]


@admin.register(Membership)
class MembershipAdmin(ScopedAdminMixin, ImportExportModelAdmin, SimpleHistoryAdmin):
    list_display = ["person", "network", "status", "joined_on"]
    list_filter = ["status", "network"]
    search_fields = ["person__full_name", "network__name"]
    autocomplete_fields = ["person", "network"]
    list_select_related = ["person", "network"]
