from typing import Any

from allauth.account.admin import EmailAddressAdmin
from allauth.account.models import EmailAddress
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from portal.admin_scoping import ScopedAdminMixin
from portal.models import OutgoingSMS, User


@admin.register(User)
class UserAdmin(ScopedAdminMixin, SimpleHistoryAdmin, DjangoUserAdmin):
    staff_only_central = True
    ordering = ["email"]
    list_display = ["email", "full_name", "role", "province", "network", "is_active"]
    list_filter = ["role", "province", "is_active"]
    search_fields = ["email", "full_name"]
    autocomplete_fields = ["province", "network"]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Person"), {"fields": ("full_name", "role", "province", "network", "language")}),
        (_("Permissions"), {"fields": ("is_active", "is_staff", "is_superuser")}),
        (_("Important dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": ("email", "full_name", "role", "province", "network", "password1", "password2"),
            },
        ),
    )


# allauth's e-mail admin (superusers only: staff hold no model permissions) gets a search box
# for the user instead of a raw-id box that labels any id with a name.
admin.site.unregister(EmailAddress)


@admin.register(EmailAddress)
class PortalEmailAddressAdmin(EmailAddressAdmin):
    raw_id_fields = ()

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "user":
            kwargs["queryset"] = User.objects.visible_to(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(OutgoingSMS)
class OutgoingSMSAdmin(ScopedAdminMixin, admin.ModelAdmin):
    """Text messages on their way out: a queued one with an error is waiting for a retry."""

    list_display = ["created_at", "to", "purpose", "status", "attempts", "last_error", "next_attempt_at", "sent_at"]
    list_filter = ["status", "purpose"]
    search_fields = ["to"]
    readonly_fields = [*list_display, "body", "province", "sensitive"]

    def has_add_permission(self, request: Any) -> bool:
        return False
