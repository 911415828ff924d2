from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from portal.admin_scoping import ScopedAdminMixin
from portal.models import User


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
