from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = _("Portal")

    def ready(self) -> None:
        # Registers the Vietnamese collation on SQLite connections (portal.collation).
        from portal import collation  # noqa: F401
