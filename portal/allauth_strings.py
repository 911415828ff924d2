"""Messages that allauth shows to our users but ships no Vietnamese for.

Marking them here puts them in our catalogue, whose translations take precedence
(LOCALE_PATHS) over allauth's own.
"""

from django.utils.translation import gettext_noop as _

ALLAUTH_MESSAGES = [
    _("The email address and/or password you specified are not correct."),
    _("Too many failed login attempts. Try again later."),
    _("This account is currently inactive."),
    _("Email"),
    _("Email address"),
    _("Password"),
    _("Remember Me"),
    _("Current Password"),
    _("New Password"),
    _("New Password (again)"),
    _("You must type the same password each time."),
    _("Please type your current password."),
    _("The password reset token was invalid."),
    _("A user is already registered with this email address."),
    _("This email address is already associated with this account."),
    _("You cannot add more than %d email addresses."),
]
