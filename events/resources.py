"""Import/export of event records (exports neutralise spreadsheet formulas)."""

from import_export import fields, resources

from events.models import Attendance, Event, Invitation, MediaCoverage, Speaker
from portal.spreadsheets import SafeExportMixin


class EventResource(SafeExportMixin, resources.ModelResource):
    class Meta:
        model = Event
        fields = ["id", "title", "kind", "starts_at", "ends_at", "duration_days", "mode", "venue", "status"]
        export_order = fields


class SpeakerResource(SafeExportMixin, resources.ModelResource):
    class Meta:
        model = Speaker
        fields = ["id", "kind", "title", "full_name", "organisation", "bio_vi", "bio_en", "email"]
        export_order = fields


class InvitationResource(SafeExportMixin, resources.ModelResource):
    event = fields.Field(attribute="event__title", column_name="event", readonly=True)
    person = fields.Field(attribute="person__full_name", column_name="person", readonly=True)

    class Meta:
        model = Invitation
        fields = ["id", "event", "person", "is_member", "status", "invited_at", "responded_at"]
        export_order = fields


class AttendanceResource(SafeExportMixin, resources.ModelResource):
    event = fields.Field(attribute="event__title", column_name="event", readonly=True)
    person = fields.Field(attribute="person__full_name", column_name="person", readonly=True)

    class Meta:
        model = Attendance
        fields = ["id", "event", "person", "is_member", "method", "checked_in_at"]
        export_order = fields


class MediaCoverageResource(SafeExportMixin, resources.ModelResource):
    event = fields.Field(attribute="event__title", column_name="event", readonly=True)

    class Meta:
        model = MediaCoverage
        fields = ["id", "event", "outlet", "published_on", "title", "url"]
        export_order = fields
