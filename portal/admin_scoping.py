"""Admin pieces that route every admin entry point through ``visible_to``."""

from __future__ import annotations

from typing import Any

from django.contrib.admin.utils import unquote
from django.db import models
from django.http import Http404, HttpRequest, HttpResponse


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
        obj = super().get_object(request, object_id, from_field)  # type: ignore[misc]
        if obj is None:
            raise Http404
        return obj

    def history_view(self, request: HttpRequest, object_id: str, extra_context: Any = None) -> HttpResponse:
        # simple_history falls back to the history table for rows it cannot find,
        # which would show another province's changes: check the scope first.
        self.get_object(request, unquote(object_id))
        return super().history_view(request, object_id, extra_context)  # type: ignore[misc]

    def _may_manage(self, request: HttpRequest) -> bool:
        user = request.user
        if not (user.is_authenticated and user.is_active):
            return False
        if self.staff_only_central:
            return user.is_central
        return user.is_portal_staff

    def has_module_permission(self, request: HttpRequest) -> bool:
        return self._may_manage(request)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._may_manage(request)

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return self._may_manage(request)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._may_manage(request)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._may_manage(request)


class ReferenceAdminMixin(ScopedAdminMixin):
    """Reference data (provinces, communes): readable by staff, changed by nobody."""

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
