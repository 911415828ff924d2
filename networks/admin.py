from django.contrib import admin
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet
from django.utils.translation import gettext_lazy as _
from import_export.admin import ExportMixin
from simple_history.admin import SimpleHistoryAdmin

from networks.models import (
    ActivityPlan,
    AgreementAmendment,
    BoardSeat,
    BoardTerm,
    BudgetLine,
    Commune,
    DonorAgreement,
    Indicator,
    IndicatorTarget,
    LegacyProvince,
    Network,
    PlannedActivity,
    Province,
    Result,
)
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
class NetworkAdmin(ScopedAdminMixin, ExportMixin, SimpleHistoryAdmin):
    # Export only: an admin import wrote rows of any province (issue 9).
    resource_classes = [NetworkResource]
    change_rule = delete_rule = "manage_network"
    list_display = ["name", "kind", "status", "province", "legacy_province", "launch_date"]
    list_filter = ["status", "kind", "province"]
    search_fields = ["name"]
    autocomplete_fields = ["province", "legacy_province"]
    list_select_related = ["province", "legacy_province"]
    # Founding documents' states, the Union's chair and event approval are kept on the
    # staff page (networks:founding), which validates them together.
    readonly_fields = [
        "decision_state",
        "charter_state",
        "charter_adopted_on",
        "union_chair",
        "requires_event_approval",
    ]


class BoardSeatFormSet(BaseInlineFormSet):
    def clean(self) -> None:
        super().clean()
        chairs = sum(
            1
            for form in self.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE") and form.cleaned_data.get("role") == "chair"
        )
        if chairs != 1:
            raise ValidationError(_("A board term has exactly one chair."))


class BoardSeatInline(ScopedAdminMixin, admin.TabularInline):
    model = BoardSeat
    formset = BoardSeatFormSet
    extra = 1
    autocomplete_fields = ["person"]


@admin.register(BoardTerm)
class BoardTermAdmin(ScopedAdminMixin, SimpleHistoryAdmin):
    list_display = ["network", "starts_on", "ends_on", "how_elected"]
    list_filter = ["network"]
    search_fields = ["network__name", "how_elected"]
    autocomplete_fields = ["network"]
    list_select_related = ["network"]
    inlines = [BoardSeatInline]


class PlannedActivityInline(ScopedAdminMixin, admin.TabularInline):
    model = PlannedActivity
    extra = 1


@admin.register(ActivityPlan)
class ActivityPlanAdmin(ScopedAdminMixin, SimpleHistoryAdmin):
    list_display = ["network", "year"]
    list_filter = ["year"]
    search_fields = ["network__name"]
    autocomplete_fields = ["network"]
    list_select_related = ["network"]
    inlines = [PlannedActivityInline]


# --- donor agreements and their results framework (issue 12) ------------------------------


class AgreementAmendmentInline(ScopedAdminMixin, admin.TabularInline):
    model = AgreementAmendment
    extra = 1


class BudgetLineInline(ScopedAdminMixin, admin.TabularInline):
    model = BudgetLine
    extra = 0


@admin.register(DonorAgreement)
class DonorAgreementAdmin(ScopedAdminMixin, SimpleHistoryAdmin):
    list_display = ["number", "donor", "title_vi", "starts_on", "ends_on"]
    search_fields = ["number", "donor", "title_vi", "title_en"]
    filter_horizontal = ["networks"]
    inlines = [AgreementAmendmentInline, BudgetLineInline]


@admin.register(Result)
class ResultAdmin(ScopedAdminMixin, SimpleHistoryAdmin):
    list_display = ["agreement", "level", "code", "statement_vi"]
    list_filter = ["level"]
    search_fields = ["code", "statement_vi", "statement_en", "agreement__number"]
    list_select_related = ["agreement"]


class IndicatorTargetInline(ScopedAdminMixin, admin.TabularInline):
    model = IndicatorTarget
    extra = 1


@admin.register(Indicator)
class IndicatorAdmin(ScopedAdminMixin, SimpleHistoryAdmin):
    list_display = ["code", "name_vi", "result", "unit_vi", "baseline", "target", "source"]
    list_filter = ["source"]
    search_fields = ["code", "name_vi", "name_en"]
    list_select_related = ["result__agreement"]
    inlines = [IndicatorTargetInline]
