"""The survey builder (central staff) and the back office for deployments and responses.

A template version that already has responses is read-only here; the "new version"
action copies it so the edits go to the next version (stored answers keep their meaning).
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.http import HttpRequest, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from portal.admin_scoping import ScopedAdminMixin
from surveys.models import Deployment, Option, Question, Response, Section, SurveyTemplate
from surveys.services import template_new_version


class LockedWhenAnsweredMixin:
    """Inline and admin pieces become read-only once the template has responses."""

    def _template_of(self, obj: Any) -> SurveyTemplate | None:
        if isinstance(obj, SurveyTemplate):
            return obj
        return getattr(obj, "template", None)

    def _locked(self, obj: Any) -> bool:
        template = self._template_of(obj)
        return bool(template and template.pk and template.is_locked())

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return super().has_change_permission(request, obj) and not self._locked(obj)  # type: ignore[misc]

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return super().has_add_permission(request, obj) and not self._locked(obj)  # type: ignore[misc]

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return super().has_delete_permission(request, obj) and not self._locked(obj)  # type: ignore[misc]


class SectionInline(LockedWhenAnsweredMixin, admin.TabularInline):
    model = Section
    extra = 0


class QuestionInline(LockedWhenAnsweredMixin, admin.TabularInline):
    model = Question
    extra = 0
    fields = ["order", "section", "code", "kind", "text_vi", "text_en", "required", "is_knowledge", "is_confidence"]
    show_change_link = True

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "section":
            object_id = request.resolver_match.kwargs.get("object_id") if request.resolver_match else None
            kwargs["queryset"] = Section.objects.filter(template_id=object_id or 0)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.action(description=_("Create a new version to edit"))
def new_version(modeladmin: Any, request: HttpRequest, queryset: Any) -> HttpResponseRedirect | None:
    copy = None
    for template in queryset:
        copy = template_new_version(template=template)
        modeladmin.message_user(request, _("Created %(template)s.") % {"template": copy}, messages.SUCCESS)
    if copy is not None and queryset.count() == 1:
        return HttpResponseRedirect(reverse("admin:surveys_surveytemplate_change", args=[copy.pk]))
    return None


class LockedAdminMixin(ScopedAdminMixin, LockedWhenAnsweredMixin):
    """Scoped first (the portal's rule), then locked once the template has responses."""

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return ScopedAdminMixin.has_change_permission(self, request, obj) and not self._locked(obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return ScopedAdminMixin.has_delete_permission(self, request, obj) and not self._locked(obj)


@admin.register(SurveyTemplate)
class SurveyTemplateAdmin(LockedAdminMixin, SimpleHistoryAdmin):
    staff_only_central = True
    list_display = ["title_vi", "family", "version", "kind", "created_at"]
    list_filter = ["kind"]
    search_fields = ["title_vi", "title_en", "family"]
    inlines = [SectionInline, QuestionInline]
    actions = [new_version]


class OptionInline(admin.TabularInline):
    model = Option
    extra = 1
    fields = ["order", "code", "text_vi", "text_en", "is_correct"]

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return super().has_change_permission(request, obj) and not (obj and obj.template.is_locked())

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return super().has_add_permission(request, obj) and not (obj and obj.template.is_locked())

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return super().has_delete_permission(request, obj) and not (obj and obj.template.is_locked())


@admin.register(Question)
class QuestionAdmin(LockedAdminMixin, SimpleHistoryAdmin):
    staff_only_central = True
    list_display = ["code", "text_vi", "kind", "template", "required"]
    list_filter = ["kind", "template__family"]
    search_fields = ["code", "text_vi", "text_en"]
    list_select_related = ["template"]
    inlines = [OptionInline]

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        # A condition and a section come from the question's own template.
        object_id = request.resolver_match.kwargs.get("object_id") if request.resolver_match else None
        template_id = Question.objects.filter(pk=object_id).values("template_id") if object_id else None
        if db_field.name == "show_if_option":
            kwargs["queryset"] = (
                Option.objects.filter(question__template_id__in=template_id).select_related("question")
                if template_id is not None
                else Option.objects.none()
            )
        elif db_field.name == "section":
            kwargs["queryset"] = (
                Section.objects.filter(template_id__in=template_id)
                if template_id is not None
                else Section.objects.all()
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(Deployment)
class DeploymentAdmin(ScopedAdminMixin, SimpleHistoryAdmin):
    list_display = ["template", "network", "event", "phase", "opens_at", "closes_at", "is_anonymous"]
    list_filter = ["phase", "is_anonymous", "template__kind"]
    search_fields = ["template__title_vi", "network__name", "event__title"]
    list_select_related = ["template", "network", "event"]
    readonly_fields = ["token", "invitations_sent_at", "created_by"]
    autocomplete_fields = ["network", "event", "networks"]
    # A survey on a shared event is deployed by whoever runs the event (as in the portal).
    change_rule = delete_rule = "manage_deployment"
    target_rules = {"event": "manage_event", "network": "manage_network"}


@admin.register(Response)
class ResponseAdmin(ScopedAdminMixin, SimpleHistoryAdmin):
    """Read-only: responses change only through the survey pages (validation lives there)."""

    list_display = ["pk", "deployment", "respondent", "province", "status", "source"]
    list_filter = ["status", "source", "province"]
    search_fields = ["person__full_name", "deployment__template__title_vi"]  # anonymous: no person
    list_select_related = ["deployment__template", "deployment__network", "deployment__event", "person", "province"]

    # An anonymous response shows nothing that could lead back to her: no person, key,
    # profile copy (category, ethnicity), who typed it in, or times (issue 11).
    ANONYMOUS_FIELDS = ("deployment", "province", "network", "status", "source")

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def get_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        if obj is not None and obj.deployment.is_anonymous:
            return list(self.ANONYMOUS_FIELDS)
        return super().get_fields(request, obj)

    def history_view(self, request: HttpRequest, object_id: str, extra_context: Any = None) -> Any:
        from django.http import Http404

        if Response.objects.filter(pk=object_id, deployment__is_anonymous=True).exists():
            raise Http404
        return super().history_view(request, object_id, extra_context)

    def history_form_view(
        self, request: HttpRequest, object_id: str, version_id: str, extra_context: Any = None
    ) -> Any:
        from django.http import Http404

        if Response.objects.filter(pk=object_id, deployment__is_anonymous=True).exists():
            raise Http404
        return super().history_form_view(request, object_id, version_id, extra_context)

    @admin.display(description=_("person"))
    def respondent(self, obj: Response) -> str:
        return _("anonymous") if obj.deployment.is_anonymous else str(obj.person or "—")
