from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from simple_history.admin import SimpleHistoryAdmin

from portal.admin_scoping import ScopedAdminMixin
from reports.models import LessonsLearned, ReportRequest


@admin.register(LessonsLearned)
class LessonsLearnedAdmin(ScopedAdminMixin, SimpleHistoryAdmin):
    list_display = ["network", "period_start", "period_end", "author", "updated_at"]
    list_filter = ["network__province"]
    search_fields = ["network__name", "achievements", "lessons"]
    autocomplete_fields = ["network"]
    list_select_related = ["network", "author"]
    readonly_fields = ["author"]

    def save_model(self, request: HttpRequest, obj: LessonsLearned, form: Any, change: bool) -> None:
        obj.author = request.user
        super().save_model(request, obj, form, change)


@admin.register(ReportRequest)
class ReportRequestAdmin(ScopedAdminMixin, SimpleHistoryAdmin):
    """Read-only: reports are requested and generated through the reports pages."""

    list_display = ["pk", "kind", "status", "period_start", "period_end", "language", "requested_by", "requested_at"]
    list_filter = ["kind", "status", "language"]
    search_fields = ["donor_agreement", "requested_by__email"]
    list_select_related = ["requested_by", "province"]
    exclude = ["pdf", "xlsx"]

    def get_queryset(self, request: HttpRequest) -> Any:
        return super().get_queryset(request).defer("pdf", "xlsx")

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return [f.name for f in self.model._meta.fields if f.name not in self.exclude] + ["networks"]

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return False
