from typing import Any

from django.contrib import admin
from django.utils.translation import gettext as _
from import_export.admin import ExportMixin
from simple_history.admin import SimpleHistoryAdmin

from members.forms import PersonAdminForm
from members.models import Consent, ConsentWithdrawal, Membership, MembershipStep, Person
from members.resources import MembershipResource, PersonResource
from members.services import PERSON_FIELDS, LawfulBasis, person_update
from portal.admin_scoping import ScopedAdminMixin


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["network"]
    fields = ["network", "status", "joined_on"]
    readonly_fields = ["status"]  # the pipeline moves through its services (steps, dates, who)


class RecordInline(ScopedAdminMixin, admin.TabularInline):
    """A record that is written by a service and never edited: shown, scoped, read-only."""

    extra = 0
    can_delete = False

    def get_readonly_fields(self, request: Any, obj: Any = None) -> Any:
        return self.fields

    def has_add_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: Any, obj: Any = None) -> bool:
        return False


class ConsentInline(RecordInline):
    model = Consent
    fields = ["given_at", "text_version", "source", "covers_sensitive", "recorded_by"]


class ConsentWithdrawalInline(RecordInline):
    model = ConsentWithdrawal
    fields = ["withdrawn_at", "channel", "recorded_by", "reason"]


class StepInline(RecordInline):
    model = MembershipStep
    fields = ["acted_at", "from_status", "to_status", "acted_by", "note"]


class ResourceUserMixin:
    """Give the export resource the user, so exports contain only what she may see."""

    def get_export_resource_kwargs(self, request: Any, **kwargs: Any) -> dict:
        return {**super().get_export_resource_kwargs(request, **kwargs), "user": request.user}  # type: ignore[misc]


@admin.register(Person)
class PersonAdmin(ScopedAdminMixin, ResourceUserMixin, ExportMixin, SimpleHistoryAdmin):
    # Export only: members are imported at /members/import/ (scoped, previewed, one writer).
    resource_classes = [PersonResource]
    list_display = ["full_name", "organisation", "position", "category", "province", "phone", "email"]
    list_filter = ["category", "province", "is_young_potential_leader"]
    search_fields = ["full_name", "search_text", "email", "organisation"]
    autocomplete_fields = ["province", "commune"]
    list_select_related = ["province"]
    readonly_fields = [
        "basis",
        "basis_source",
        "basis_provided_by",
        "basis_recorded_at",
        "sensitive_consent_at",
        "consent_withdrawn_at",
        "removal_requested_at",
        "removal_reason",
        "anonymised_at",
    ]
    inlines = [MembershipInline, ConsentInline, ConsentWithdrawalInline]

    form = PersonAdminForm

    def save_model(self, request: Any, obj: Person, form: Any, change: bool) -> None:
        # People are written by members.services only (NFC, E.164, lower-case e-mail,
        # search text, duplicate check), the admin included.
        data = {field: form.cleaned_data[field] for field in PERSON_FIELDS if field in form.cleaned_data}
        # A record added in the admin: its basis is staff's entry (the list they name there).
        basis = LawfulBasis.official_list(source=_("Entered by staff in the admin"), by=request.user)
        person_update(person=obj, data=data, actor=request.user, basis=None if change else basis)


@admin.register(Membership)
class MembershipAdmin(ScopedAdminMixin, ExportMixin, SimpleHistoryAdmin):
    # Export only: memberships change through the pipeline (steps, dates, who acted).
    resource_classes = [MembershipResource]
    list_display = ["person", "network", "status", "joined_on"]
    list_filter = ["status", "network"]
    search_fields = ["person__full_name", "network__name"]
    autocomplete_fields = ["person", "network"]
    list_select_related = ["person", "network"]
    readonly_fields = ["status", "status_changed_at"]
    inlines = [StepInline]
