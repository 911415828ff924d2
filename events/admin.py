from django.contrib import admin
from django.db import models
from import_export.admin import ExportMixin
from simple_history.admin import SimpleHistoryAdmin

from events.models import AgendaItem, Attendance, Event, Invitation, MediaCoverage, Speaker, Topic
from events.resources import (
    AttendanceResource,
    EventResource,
    InvitationResource,
    MediaCoverageResource,
    SpeakerResource,
)
from portal.admin_scoping import ScopedAdminMixin
from portal.widgets import LinkInput

# Links typed without a scheme are read as https.
HTTPS_URLS = {models.URLField: {"assume_scheme": "https", "widget": LinkInput}}


class AgendaItemInline(admin.TabularInline):
    model = AgendaItem
    extra = 0
    autocomplete_fields = ["speaker"]


class MediaCoverageInline(admin.TabularInline):
    model = MediaCoverage
    extra = 0
    formfield_overrides = HTTPS_URLS


@admin.register(Event)
class EventAdmin(ScopedAdminMixin, ExportMixin, SimpleHistoryAdmin):
    # Export only: an admin import wrote rows of any province (issue 9).
    resource_classes = [EventResource]
    # A shared event is changed by central staff or its organising province only.
    change_rule = delete_rule = "manage_event"
    formfield_overrides = HTTPS_URLS
    list_display = ["title", "kind", "starts_at", "ends_at", "duration_days", "mode", "status"]
    list_filter = ["kind", "status", "mode"]
    search_fields = ["title"]
    autocomplete_fields = ["networks", "speakers", "organiser"]
    filter_horizontal = ["topics"]
    date_hierarchy = "starts_at"
    inlines = [AgendaItemInline, MediaCoverageInline]


@admin.register(Topic)
class TopicAdmin(ScopedAdminMixin, SimpleHistoryAdmin):
    """The managed topic list: central staff keep it."""

    staff_only_central = True
    list_display = ["name", "name_en"]
    search_fields = ["name", "name_en"]


@admin.register(Speaker)
class SpeakerAdmin(ScopedAdminMixin, ExportMixin, SimpleHistoryAdmin):
    resource_classes = [SpeakerResource]
    list_display = ["full_name", "title", "kind", "organisation", "province"]
    list_filter = ["kind"]
    search_fields = ["full_name", "organisation"]


@admin.register(Invitation)
class InvitationAdmin(ScopedAdminMixin, ExportMixin, SimpleHistoryAdmin):
    resource_classes = [InvitationResource]
    list_display = ["person", "event", "is_member", "status", "responded_at"]
    list_filter = ["status", "is_member"]
    search_fields = ["person__full_name", "event__title"]
    autocomplete_fields = ["event", "person"]
    list_select_related = ["person", "event"]


@admin.register(Attendance)
class AttendanceAdmin(ScopedAdminMixin, ExportMixin, SimpleHistoryAdmin):
    resource_classes = [AttendanceResource]
    list_display = ["person", "event", "is_member", "method", "checked_in_at"]
    list_filter = ["method", "is_member"]
    search_fields = ["person__full_name", "event__title"]
    # A raw-id box labelled any invitation with its person's name: a scoped search instead.
    autocomplete_fields = ["event", "person", "invitation"]
    list_select_related = ["person", "event"]


@admin.register(MediaCoverage)
class MediaCoverageAdmin(ScopedAdminMixin, ExportMixin, SimpleHistoryAdmin):
    resource_classes = [MediaCoverageResource]
    formfield_overrides = HTTPS_URLS
    list_display = ["title", "outlet", "published_on", "event"]
    search_fields = ["title", "outlet", "event__title"]
    autocomplete_fields = ["event"]
    # News of a shared event belongs to whoever runs it.
    change_rule = delete_rule = "manage_event_item"
    target_rules = {"event": "manage_event"}
