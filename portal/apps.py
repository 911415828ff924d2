from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = _("Portal")

    def ready(self) -> None:
        # Registers the Vietnamese collation on SQLite connections (portal.collation).
        from portal import lookups

        lookups.register()

        from django.contrib.auth.signals import user_logged_in

        from portal import collation  # noqa: F401
        from portal.security import start_session_clock

        user_logged_in.connect(start_session_clock, dispatch_uid="portal.start_session_clock")

        from portal.links import sync_site_domain

        # After the sites app created its default row: the domain follows SITE_URL.
        post_migrate.connect(sync_site_domain, dispatch_uid="portal.sync_site_domain")
