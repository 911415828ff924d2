from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    CENTRAL_STAFF = "central", _("Central Union staff")
    PROVINCIAL_STAFF = "provincial", _("Provincial Union staff")
    BOARD_MEMBER = "board", _("Board member")
    MEMBER = "member", _("Network member")
    DONOR_VIEWER = "donor", _("Donor viewer")


STAFF_ROLES = frozenset({Role.CENTRAL_STAFF, Role.PROVINCIAL_STAFF})
