"""Settings for the Women Leaders' Network Portal, read from the environment.

Defaults let ``make run`` work with nothing set: SQLite, Celery tasks in-process,
e-mail to the console. ``DEBUG=False`` switches on production hardening and then
requires a real ``SECRET_KEY`` and ``ALLOWED_HOSTS``.
"""

from __future__ import annotations

import os
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured
from import_export.formats.base_formats import CSV, XLSX

from portal.env import database_config, env_bool, env_int, env_list, env_str, known_example_values

BASE_DIR = Path(__file__).resolve().parent.parent
PORTAL_VERSION = "0.1.0"

DEBUG = env_bool("DEBUG", True)

_DEV_SECRET = "dev-only-insecure-secret-key-change-me"
SECRET_KEY = env_str("SECRET_KEY", _DEV_SECRET if DEBUG else "")
# The keyed hash behind anonymous survey responses has its own secret, so that whoever
# knows SECRET_KEY (sessions, signed links) still cannot link a response to a person.
_DEV_SURVEY_KEY = "dev-only-insecure-survey-key-change-me"
SURVEY_KEY = env_str("SURVEY_KEY", _DEV_SURVEY_KEY if DEBUG else "")
if not DEBUG:
    _known = known_example_values(BASE_DIR / ".env.example") | {_DEV_SECRET, _DEV_SURVEY_KEY}
    for _name, _value in (("SECRET_KEY", SECRET_KEY), ("SURVEY_KEY", SURVEY_KEY)):
        if not _value or _value in _known or len(_value) < 50:
            raise ImproperlyConfigured(
                f"With DEBUG=False, set {_name} to your own random string of 50+ characters "
                "(not the example from .env.example)."
            )
    if SURVEY_KEY == SECRET_KEY:
        raise ImproperlyConfigured("SURVEY_KEY must differ from SECRET_KEY.")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver"] if DEBUG else [])
if not DEBUG and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("With DEBUG=False, set ALLOWED_HOSTS (comma-separated host names).")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

# The address people reach the portal at: every link in an e-mail, SMS, letter, QR code
# or share link is built from it (portal.links), and the Sites domain follows it.
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000" if DEBUG else "").rstrip("/")
if not SITE_URL.startswith(("http://", "https://")) or "/" in SITE_URL.split("://", 1)[1]:
    raise ImproperlyConfigured(
        "Set SITE_URL to the portal's address, e.g. https://mangluoi.hoilhpn.org.vn (no path)"
        + (" — it is required when DEBUG=False." if not DEBUG else ".")
    )
SITE_NAME = env_str("SITE_NAME", "Mạng lưới Lãnh đạo nữ")

INSTALLED_APPS = [
    # The portal's apps first: their Vietnamese catalogues (and templates) take
    # precedence over Django's and the libraries' where the same English string is
    # translated differently (Django's "To" is "Sang", simple_history's "History" is
    # "Bản ghi nhớ"). LOCALE_PATHS come before all of them.
    "portal",
    "networks",
    "members",
    "events",
    "surveys",
    "reports",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sites",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    "import_export",
    "simple_history",
    "phonenumber_field",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "portal.security.StaffSessionLimitMiddleware",
    "portal.security.SecurityHeadersMiddleware",
    # Vietnamese unless the person chose English; the browser's language is ignored.
    "portal.i18n.PreferredLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
]

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"
ASGI_APPLICATION = "portal.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "portal.context_processors.portal",
            ],
        },
    },
]

DATABASES = {"default": database_config(env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"))}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Redis, when given, is the Celery broker, the result store and the cache. Without it,
# CELERY_EMBEDDED=true (what `make run` sets) queues tasks in files under CELERY_DATA_DIR
# for a real worker beside the web server — no extra service; otherwise (tests, scripts)
# tasks run in-process.
REDIS_URL = env_str("REDIS_URL", "")
CELERY_EMBEDDED = env_bool("CELERY_EMBEDDED", False)
CELERY_DATA_DIR = Path(env_str("CELERY_DATA_DIR", str(BASE_DIR / "var" / "celery")))
_EMBEDDED_TRANSPORT: dict[str, object] = {}
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
    CELERY_BROKER_URL = REDIS_URL
    CELERY_RESULT_BACKEND = REDIS_URL
    CELERY_TASK_ALWAYS_EAGER = False
elif CELERY_EMBEDDED:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    for _folder in ("queue", "processed", "results", "control"):
        (CELERY_DATA_DIR / _folder).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_URL = "filesystem://"
    _EMBEDDED_TRANSPORT = {
        "data_folder_in": str(CELERY_DATA_DIR / "queue"),
        "data_folder_out": str(CELERY_DATA_DIR / "queue"),
        "processed_folder": str(CELERY_DATA_DIR / "processed"),
        "control_folder": str(CELERY_DATA_DIR / "control"),
        "store_processed": False,
    }
    CELERY_RESULT_BACKEND = f"file://{CELERY_DATA_DIR / 'results'}"
    CELERY_TASK_ALWAYS_EAGER = False
    # The file transport has no broadcast: no remote control, gossip or mingle.
    CELERY_WORKER_ENABLE_REMOTE_CONTROL = False
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    CELERY_BROKER_URL = "memory://"
    CELERY_RESULT_BACKEND = "cache+memory://"
    CELERY_TASK_ALWAYS_EAGER = True
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SOFT_TIME_LIMIT = env_int("CELERY_TASK_SOFT_TIME_LIMIT", 600)
CELERY_TASK_TIME_LIMIT = env_int("CELERY_TASK_TIME_LIMIT", 660)
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": env_int("CELERY_VISIBILITY_TIMEOUT", 900),
    **_EMBEDDED_TRANSPORT,
}
CELERY_TIMEZONE = "Asia/Ho_Chi_Minh"
# A report generated in this process (no worker: tests, `manage.py bench`) lays its parts
# out on this many forked processes at once, as the workers' chord does; 1 = one by one.
REPORTS_RENDER_PROCESSES = env_int("REPORTS_RENDER_PROCESSES", os.cpu_count() or 1)
# Periodic jobs; `make run` and the compose file run the scheduler inside the worker
# (`--beat`): reports whose worker died are re-queued (or failed with a reason); survey
# invitations go out when a survey opens, reminders before it closes, refused SMS are
# retried. Without Redis, cron runs `manage.py send_due_messages`.
CELERY_BEAT_SCHEDULE = {
    "requeue-stuck-reports": {"task": "reports.tasks.requeue_stuck_reports", "schedule": 300.0},
    "quarterly-report-reminders": {"task": "reports.tasks.send_quarter_reminders", "schedule": 24 * 60 * 60},
    "survey-messages": {"task": "surveys.tasks.send_due_survey_messages", "schedule": 300.0},
    "sms-retry": {"task": "portal.tasks.retry_sms", "schedule": 300.0},
    # Expired import previews and import files older than a day (members.services).
    "members-cleanup-import-previews": {"task": "members.tasks.cleanup_import_previews", "schedule": 3600.0},
    # People never admitted (candidates, guests) anonymised after RETENTION_MONTHS (issue 11).
    "members-anonymise-past-retention": {
        "task": "members.tasks.anonymise_past_retention",
        "schedule": 24 * 60 * 60,
    },
}
CELERY_BEAT_SCHEDULE_FILENAME = str(CELERY_DATA_DIR / "beat-schedule")

AUTH_USER_MODEL = "portal.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
SITE_ID = 1
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
# E-mail (or, for members, the phone on her person record) with a password, or without
# one: a code by e-mail or by SMS (portal.adapters, portal.sms).
ACCOUNT_LOGIN_METHODS = {"email", "phone"}
ACCOUNT_LOGIN_BY_CODE_ENABLED = True
ACCOUNT_LOGIN_BY_CODE_MAX_ATTEMPTS = 4  # the fourth wrong code ends the attempt
ACCOUNT_LOGIN_BY_CODE_TIMEOUT = 15 * 60
# Six digits, easy to type from an SMS on a phone keypad.
ACCOUNT_LOGIN_BY_CODE_FORMAT = {"numeric": True, "length": 6, "dashed": False}
ACCOUNT_PHONE_VERIFICATION_CODE_FORMAT = ACCOUNT_LOGIN_BY_CODE_FORMAT
ACCOUNT_PHONE_VERIFICATION_MAX_ATTEMPTS = ACCOUNT_LOGIN_BY_CODE_MAX_ATTEMPTS
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_UNKNOWN_ACCOUNTS = False  # no mail to addresses without an account
ACCOUNT_LOGOUT_ON_GET = False
# allauth's forms with the portal's text hygiene (control characters out, NFC).
ACCOUNT_FORMS = {
    form_id: f"portal.account_forms.{name}"
    for form_id, name in {
        "login": "LoginForm",
        "signup": "SignupForm",
        "add_email": "AddEmailForm",
        "change_email": "ChangeEmailForm",
        "change_password": "ChangePasswordForm",
        "set_password": "SetPasswordForm",
        "reset_password": "ResetPasswordForm",
        "reset_password_from_key": "ResetPasswordKeyForm",
        "user_token": "UserTokenForm",
        "reauthenticate": "ReauthenticateForm",
        "request_login_code": "RequestLoginCodeForm",
        "confirm_login_code": "ConfirmLoginCodeForm",
        "confirm_email_verification_code": "ConfirmEmailVerificationCodeForm",
        "confirm_password_reset_code": "ConfirmPasswordResetCodeForm",
        "verify_phone": "VerifyPhoneForm",
        "change_phone": "ChangePhoneForm",
    }.items()
}
# Sign-up is closed: accounts are created by staff (portal.adapters).
ACCOUNT_ADAPTER = "portal.adapters.PortalAccountAdapter"
# Five failed logins per address within 5 minutes, and 20 per IP per minute; the
# same counter guards the Django admin login (portal.ratelimit).
# Staff sessions end 8 hours after login and after 1 hour without a request
# (portal.security); members and donor viewers keep Django's default.
STAFF_SESSION_MAX_AGE = env_int("STAFF_SESSION_MAX_AGE", 8 * 3600)
STAFF_SESSION_IDLE = env_int("STAFF_SESSION_IDLE", 3600)
ACCOUNT_RATE_LIMITS = {"login_failed": "20/m/ip,5/300s/key"}

LANGUAGE_CODE = "vi"
# Each language by its own name in the switcher, whatever the page's language.
LANGUAGES = [("vi", "Tiếng Việt"), ("en", "English")]
# The project's catalogues, then Vietnamese for the admin's and the libraries' strings
# that they ship without (portal/thirdparty/locale, written by hand).
LOCALE_PATHS = [BASE_DIR / "locale", BASE_DIR / "portal" / "locale", BASE_DIR / "portal" / "thirdparty" / "locale"]
# One way to write dates and numbers per language, for input and output (portal/formats/).
FORMAT_MODULE_PATH = ["portal.formats"]
DATE_INPUT_FORMATS = ["%d/%m/%Y", "%d/%m/%y", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d"]
DATETIME_INPUT_FORMATS = ["%d/%m/%Y %H:%M", "%d/%m/%Y %H:%M:%S", "%d/%m/%Y", "%Y-%m-%d %H:%M", "%Y-%m-%d"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "media")))
# Checked member-list files waiting for their Import button: outside MEDIA_ROOT, never
# served, deleted when the preview is confirmed or expires (members.services).
IMPORT_FILES_ROOT = Path(env_str("IMPORT_FILES_ROOT", str(BASE_DIR / "private" / "imports")))
# Uploaded documents (founding decisions, charters, plans): never served as static files,
# only through the access-checked download view (portal.files).
PRIVATE_MEDIA_ROOT = Path(env_str("PRIVATE_MEDIA_ROOT", str(BASE_DIR / "private_media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Mạng lưới Lãnh đạo nữ <no-reply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Self check-in with the venue QR code opens this many minutes before an event starts
# (and closes when it ends).
SELF_CHECKIN_OPENS_MINUTES_BEFORE = env_int("SELF_CHECKIN_OPENS_MINUTES_BEFORE", 60)
# Candidates never admitted and guests are anonymised this many months after their last
# activity (members.services.retention_anonymise, daily).
RETENTION_MONTHS = env_int("RETENTION_MONTHS", 24)

# Text messages (portal.sms): "console" (the default) prints them, "locmem" keeps them in
# portal.sms.outbox (tests), "portal.sms.FileOutboxBackend" writes them to SMS_OUTBOX_DIR,
# "portal.sms.HttpGatewayBackend" posts them to SMS_GATEWAY_URL; any class with send().
SMS_BACKEND = env_str("SMS_BACKEND", "console")
SMS_OUTBOX_DIR = Path(env_str("SMS_OUTBOX_DIR", str(BASE_DIR / "sms-outbox")))
SMS_GATEWAY_URL = env_str("SMS_GATEWAY_URL", "")
SMS_GATEWAY_TOKEN = env_str("SMS_GATEWAY_TOKEN", "")

PHONENUMBER_DEFAULT_REGION = "VN"
PHONENUMBER_DB_FORMAT = "E164"

# Spreadsheet formula neutralisation is done by portal.spreadsheets for every
# trigger character; the library's own flag only covers "=".
IMPORT_EXPORT_ESCAPE_FORMULAE_ON_EXPORT = False
IMPORT_EXPORT_SKIP_ADMIN_LOG = False
IMPORT_EXPORT_FORMATS = [CSV, XLSX]

SIMPLE_HISTORY_REVERT_DISABLED = True

# Production hardening: on whenever DEBUG is off.
if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_CONTENT_TYPE_NOSNIFF = True
    SECURE_REFERRER_POLICY = "same-origin"
    X_FRAME_OPTIONS = "DENY"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    # WeasyPrint and fontTools log every layout step at INFO: thousands of lines per PDF.
    "loggers": {"weasyprint": {"level": "ERROR"}, "fontTools": {"level": "WARNING"}},
}
