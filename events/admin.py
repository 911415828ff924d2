from django.contrib import admin
from import_export.admin import ImportExportModelAdmin
from simple_history.admin import SimpleHistoryAdmin

from events.models import Event
from portal.admin_scoping import ScopedAdminMixin


@admin.register(Event)
class EventAdmin(ScopedAdminMixin, ImportExportModelAdmin, SimpleHistoryAdmin):
    list_display = ["title", "kind", "starts_at", "ends_at", "status"]
    list_filter = ["kind", "status"]
    search_fields = ["title"]
    autocomplete_fields = ["networks"]
    date_hierarchy = "starts_at"
