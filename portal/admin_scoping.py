"""Admin pieces that route every admin entry point through ``visible_to`` (what she may
see) and ``portal.rules`` (what she may do): the admin has no rules of its own."""

from __future__ import annotations

from typing import Any

from django.contrib.admin.utils import NestedObjects, unquote
from django.core.exceptions import FieldDoesNotExist, PermissionDenied
from django.db import models, router
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from portal.access import parse_id
from portal.rules import may


def _scoped(model: type[models.Model], request: HttpRequest) -> models.QuerySet | None:
    manager = model._default_manager
    if hasattr(manager, "visible_to"):
        return manager.visible_to(request.user)
    return None


class ScopedAdminMixin:
    """Mix into every ModelAdmin: changelist, search, autocomplete, exports, foreign-key
    choices and change/delete/history pages all see only the user's scope; an object
    outside it is a 404. Central and provincial staff may manage; nobody else."""

    staff_only_central = False
    # The rules (keys of ``portal.rules.RULES``) this admin asks about one object.
    view_rule = "view_record"
    change_rule = "change_record"
    delete_rule = "delete_record"
    # Foreign keys whose chosen row she must be allowed to act on, e.g. a news item or a
    # survey may only be attached to an event she runs: {"event": "manage_event"}.
    target_rules: dict[str, str] = {}

    def get_queryset(self, request: HttpRequest) -> models.QuerySet:
        return super().get_queryset(request).visible_to(request.user)  # type: ignore[misc]

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if "queryset" not in kwargs:
            qs = _scoped(db_field.related_model, request)
            if qs is not None:
                kwargs["queryset"] = qs
        return super().formfield_for_foreignkey(db_field, request, **kwargs)  # type: ignore[misc]

    def formfield_for_manytomany(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if "queryset" not in kwargs:
            qs = _scoped(db_field.related_model, request)
            if qs is not None:
                kwargs["queryset"] = qs
        return super().formfield_for_manytomany(db_field, request, **kwargs)  # type: ignore[misc]

    def get_object(self, request: HttpRequest, object_id: str, from_field: str | None = None) -> Any:
        integer_key = from_field is None and self.model._meta.pk.get_internal_type() in _INTEGER_KEYS
        if integer_key and parse_id(object_id) is None:
            raise Http404  # "abc" or a 30-digit id is no row of ours (not a 500)
        obj = super().get_object(request, object_id, from_field)  # type: ignore[misc]
        if obj is None:
            raise Http404
        return obj

    def get_form(self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any) -> Any:
        form = super().get_form(request, obj, change, **kwargs)  # type: ignore[misc]
        if not self.target_rules:
            return form
        rules, user = self.target_rules, request.user

        class TargetCheckedForm(form):  # type: ignore[misc, valid-type]
            def clean(self) -> dict[str, Any]:
                data = super().clean()
                for field, rule in rules.items():
                    target = data.get(field)
                    if target is not None and not may(user, rule, target):
                        self.add_error(
                            field if field in self.fields else None,
                            _("Only the Central Union or the province that runs %(target)s may do this.")
                            % {"target": target},
                        )
                return data

        return TargetCheckedForm

    def get_changeform_initial_data(self, request: HttpRequest) -> dict[str, Any]:
        """``?invitation=<id>`` pre-fills the add form: only well-formed ids are kept (a
        30-digit one crashed the widget's query); the field's scoped queryset does the rest."""
        initial = super().get_changeform_initial_data(request)  # type: ignore[misc]
        for name, value in list(initial.items()):
            try:
                field = self.model._meta.get_field(name)
            except FieldDoesNotExist:
                continue
            if not field.is_relation or field.related_model is None:
                continue
            if field.related_model._meta.pk.get_internal_type() not in _INTEGER_KEYS:
                continue
            if field.many_to_many:
                initial[name] = [v for v in value if parse_id(v) is not None]
            elif parse_id(value) is None:
                del initial[name]
        return initial

    def history_view(self, request: HttpRequest, object_id: str, extra_context: Any = None) -> HttpResponse:
        # simple_history falls back to the history table for rows it cannot find,
        # which would show another province's changes: check the scope first.
        self.get_object(request, unquote(object_id))
        return super().history_view(request, object_id, extra_context)  # type: ignore[misc]

    def history_form_view(
        self, request: HttpRequest, object_id: str, version_id: str, extra_context: Any = None
    ) -> HttpResponse:
        """simple_history's "revert" form reads the historical row straight from the
        history table and saves it on POST: it is only shown for a row she sees now, and
        reverting is changing that row (the change rule)."""
        obj = self.get_object(request, unquote(object_id))
        if parse_id(version_id) is None:
            raise Http404
        if not self.has_view_permission(request, obj):
            raise PermissionDenied
        if request.method == "POST" and not self.has_change_permission(request, obj):
            raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)  # type: ignore[misc]

    def get_deleted_objects(self, objs: Any, request: HttpRequest) -> tuple:
        """Refuse (as a missing permission) a delete that would cascade into rows she may
        not see, e.g. a shared workshop with other provinces' invitations; their names are
        not listed either."""
        to_delete, model_count, perms_needed, protected = super().get_deleted_objects(objs, request)  # type: ignore[misc]
        hidden = hidden_cascade(objs, request.user)
        if hidden:
            return [], {}, set(perms_needed) | hidden, protected
        return to_delete, model_count, perms_needed, protected

    def _may_manage(self, request: HttpRequest) -> bool:
        user = request.user
        if not (user.is_authenticated and user.is_active):
            return False
        if self.staff_only_central:
            return may(user, "manage_reference")
        return may(user, "use_staff_pages")

    def _may(self, request: HttpRequest, rule: str, obj: Any) -> bool:
        if not self._may_manage(request):
            return False
        return obj is None or may(request.user, rule, obj)

    def has_module_permission(self, request: HttpRequest) -> bool:
        return self._may_manage(request)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._may(request, self.view_rule, obj)

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return self._may_manage(request)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._may(request, self.change_rule, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._may(request, self.delete_rule, obj)


_INTEGER_KEYS = {"AutoField", "BigAutoField", "SmallAutoField", "IntegerField", "BigIntegerField"}


def hidden_cascade(objs: Any, user: Any) -> set[str]:
    """The names (plural) of the kinds of rows a delete of ``objs`` would take with it
    that ``user`` may not see. Link tables and history tables have no scope of their own."""
    objs = list(objs)
    if not objs:
        return set()
    collector = NestedObjects(using=router.db_for_write(type(objs[0])))
    collector.collect(objs)
    hidden: set[str] = set()
    for model, instances in collector.data.items():
        manager = model._default_manager
        if not hasattr(manager, "visible_to"):
            continue
        pks = {obj.pk for obj in instances}
        seen = set(manager.visible_to(user).filter(pk__in=pks).values_list("pk", flat=True))
        if pks - seen:
            hidden.add(str(model._meta.verbose_name_plural))
    return hidden


class ReferenceAdminMixin(ScopedAdminMixin):
    """Reference data (provinces, communes): readable by staff, changed by nobody."""

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
