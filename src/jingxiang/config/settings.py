"""Settings for 镜享 Jingxiang, all driven by the environment.

Profiles: ``JINGXIANG_ENV=development`` (default: SQLite under var/, demo secret, DEBUG on),
``test`` (used by pytest) and ``production`` (secret and hosts required, HTTPS hardening on).
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.utils.translation import gettext_lazy as _

from jingxiang.config.environment import (
    ConfigurationError,
    env_bool,
    env_int,
    env_list,
    env_str,
    secret_key_from,
)

SOURCE_DIR = Path(__file__).resolve().parent.parent
BASE_DIR = Path(env_str("JINGXIANG_HOME", str(SOURCE_DIR.parent.parent)))
VAR_DIR = Path(env_str("JINGXIANG_VAR", str(BASE_DIR / "var")))

# pytest exports PYTEST_VERSION before Django loads, so a bare `pytest` gets the test profile too.
ENVIRONMENT = env_str("JINGXIANG_ENV", "test" if os.environ.get("PYTEST_VERSION") else "development")
if ENVIRONMENT not in {"development", "test", "production"}:
    raise ConfigurationError("JINGXIANG_ENV must be development, test or production")
PRODUCTION = ENVIRONMENT == "production"

DEBUG = env_bool("DEBUG", default=ENVIRONMENT == "development")
if PRODUCTION:
    SECRET_KEY = env_str("SECRET_KEY")
else:
    SECRET_KEY = env_str("SECRET_KEY", "") or secret_key_from(VAR_DIR / "secret_key")

ALLOWED_HOSTS = env_list(
    "ALLOWED_HOSTS", [] if PRODUCTION else ["127.0.0.1", "localhost", "testserver", "[::1]"]
)
if PRODUCTION and not ALLOWED_HOSTS:
    raise ConfigurationError("ALLOWED_HOSTS must be set in production")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "axes",
    "auditlog",
    "rest_framework",
    "drf_spectacular",
    "django_filters",
    "django_tasks",
    "django_tasks_db",
    "jingxiang.accounts",
    "jingxiang.core",
    "jingxiang.jobs",
    "jingxiang.organisations",
    "jingxiang.talents",
    "jingxiang.matchindex",
    "jingxiang.demands",
    "jingxiang.sharing",
    "jingxiang.events",
    "jingxiang.academy",
    "jingxiang.lab",
    "jingxiang.alliance",
    "jingxiang.insights",
    "jingxiang.services",
    "jingxiang.parks",
    "jingxiang.wagenorms",
    "jingxiang.recruitment",
    "jingxiang.fund",
    "jingxiang.taxfree",
    "jingxiang.calendars",
    "jingxiang.fairs",
    "jingxiang.conversations",
    "jingxiang.reviewing",
    "jingxiang.competition",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "jingxiang.core.middleware.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "jingxiang.core.middleware.RejectNulBytesMiddleware",
    "jingxiang.core.links.CurrentRequestMiddleware",
    "jingxiang.core.middleware.FriendlyErrorPagesMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "jingxiang.accounts.middleware.PrivacyConsentMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "auditlog.middleware.AuditlogMiddleware",
    "axes.middleware.AxesMiddleware",
]

if PRODUCTION:
    # Static files are served from the installed packages by the app itself: no CDN, no extra server.
    MIDDLEWARE.insert(1, "whitenoise.middleware.WhiteNoiseMiddleware")

ROOT_URLCONF = "jingxiang.config.urls"
WSGI_APPLICATION = "jingxiang.config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [SOURCE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "jingxiang.core.context_processors.platform",
            ],
        },
    },
]

# Django's widget templates, with selects and inputs written in Python (their options were the largest
# cost of the list pages' filter forms; core.renderers).
FORM_RENDERER = "jingxiang.core.renderers.FastFormRenderer"

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'jingxiang.sqlite3'}"),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 0),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the background worker write while the web process reads.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "jingxiang.accounts.backends.MobileOrUsernameBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
if ENVIRONMENT == "test":
    # Argon2 is deliberately slow; tests create hundreds of users.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# The side menu asks each app whether a person sees its entries; some answers need a query (store staff,
# park managers, lab staff…). The answers are kept this long per person and set of memberships, so a
# page does not pay those queries on every request. Only the menu waits: every page still checks access
# itself. Tests turn it off (a test changes a person's roles and looks at the next page at once).
NAV_CACHE_SECONDS = env_int("NAV_CACHE_SECONDS", 0 if ENVIRONMENT == "test" else 60)
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "accounts:login"

# Lockout after repeated failures (django-axes), per username+IP so one attacker cannot lock everyone.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_USERNAME_FORM_FIELD = "username"
AXES_USERNAME_CALLABLE = "jingxiang.accounts.backends.lockout_key"
# One-time codes (talent login invitations, forgotten passwords, registration by mobile). The sender is a
# class with `channels` and `send` (jingxiang.accounts.senders); development prints codes on the console,
# tests keep them in an outbox, production e-mails them until an SMS provider's class is configured.
JINGXIANG_OTP_SENDER = env_str(
    "JINGXIANG_OTP_SENDER",
    {
        "development": "jingxiang.accounts.senders.ConsoleSender",
        "test": "jingxiang.accounts.senders.OutboxSender",
        "production": "jingxiang.accounts.senders.EmailSender",
    }[ENVIRONMENT],
)
JINGXIANG_OTP_TTL_SECONDS = env_int("JINGXIANG_OTP_TTL_SECONDS", 600)
JINGXIANG_OTP_MAX_ATTEMPTS = env_int("JINGXIANG_OTP_MAX_ATTEMPTS", 5)
JINGXIANG_OTP_RESEND_SECONDS = env_int("JINGXIANG_OTP_RESEND_SECONDS", 60)
JINGXIANG_OTP_PER_DESTINATION_PER_HOUR = env_int("JINGXIANG_OTP_PER_DESTINATION_PER_HOUR", 5)
JINGXIANG_OTP_PER_IP_PER_HOUR = env_int("JINGXIANG_OTP_PER_IP_PER_HOUR", 20)
JINGXIANG_LOGIN_INVITATION_DAYS = env_int("JINGXIANG_LOGIN_INVITATION_DAYS", 7)
# Behind a reverse proxy the client address is in X-Forwarded-For; count only the proxies we run.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)
if TRUSTED_PROXY_COUNT:
    AXES_IPWARE_PROXY_COUNT = TRUSTED_PROXY_COUNT
    AXES_IPWARE_META_PRECEDENCE_ORDER = ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"]

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [SOURCE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True
FORMAT_MODULE_PATH = ["jingxiang.formats"]

STATIC_URL = "/static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(VAR_DIR / "static")))
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(VAR_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": env_str("MEDIA_STORAGE", "django.core.files.storage.FileSystemStorage")},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
# A new privacy-policy version is agreed to at the next login (accounts.middleware); off in the test
# settings so other apps' tests need not agree first — the accounts tests turn it on.
PRIVACY_CONSENT_AT_LOGIN = env_bool("JINGXIANG_PRIVACY_CONSENT_AT_LOGIN", ENVIRONMENT != "test")
DATA_UPLOAD_MAX_MEMORY_SIZE = 10_485_760
IMPORT_MAX_BYTES = env_int("IMPORT_MAX_BYTES", 5 * 1024 * 1024)
IMPORT_MAX_ROWS = env_int("IMPORT_MAX_ROWS", 10_000)

EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if not PRODUCTION
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "镜享平台 <noreply@jingxiang.local>")

# Background work: a database-backed queue that works on SQLite and PostgreSQL, run by
# `manage.py db_worker`. Tests run tasks immediately.
TASKS = {
    "default": {
        "BACKEND": env_str(
            "TASKS_BACKEND",
            "django_tasks.backends.immediate.ImmediateBackend"
            if ENVIRONMENT == "test"
            else "django_tasks_db.DatabaseBackend",
        ),
    }
}
# A running job whose heartbeat (every progress report) is older than this is taken as lost with its
# worker: re-queued if its handler is retryable and attempts remain, failed with a reason otherwise.
# Handlers report progress more often than this (the scheduler's longest silent solve is 300 s).
JOB_HEARTBEAT_TIMEOUT = env_int("JOB_HEARTBEAT_TIMEOUT", 600)
# How often the worker's maintenance task sweeps lost jobs and retries due e-mails while work is pending.
JOB_SWEEP_INTERVAL = env_int("JOB_SWEEP_INTERVAL", 60)
# E-mail outbox: attempts before a message is failed for good, first retry delay (doubling, at most an
# hour), and how long a claimed message may stay "sending" before another sender takes it over.
OUTBOX_MAX_ATTEMPTS = env_int("OUTBOX_MAX_ATTEMPTS", 5)
OUTBOX_RETRY_SECONDS = env_int("OUTBOX_RETRY_SECONDS", 60)
OUTBOX_CLAIM_TIMEOUT = env_int("OUTBOX_CLAIM_TIMEOUT", 600)

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "rest_framework.authentication.BasicAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_FILTER_BACKENDS": ["jingxiang.core.filters.FilterBackend"],
}
SPECTACULAR_SETTINGS = {
    "TITLE": "镜享 Jingxiang API",
    "DESCRIPTION": "Integration API of the Duqiao eyewear cluster service platform.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
}

AUDITLOG_INCLUDE_ALL_MODELS = False
AUDITLOG_MASK_CALLABLE = "jingxiang.core.audit.mask_personal_value"
AUDITLOG_DISABLE_REMOTE_ADDR = False

SITE_NAME = _("镜享 · 杜桥眼镜产业服务平台")
# Printed QR codes and e-mailed links point here, so production must say where the platform is reachable.
# Elsewhere leave it unset: links then use the address the request came to (core.links).
PUBLIC_BASE_URL = env_str("PUBLIC_BASE_URL") if PRODUCTION else env_str("PUBLIC_BASE_URL", "")

# Content-Security-Policy (django-csp) on every response: scripts, styles, images and fonts only from
# the platform itself, so injected markup can neither run script nor restyle a page. Pages therefore
# carry no inline <script>, no on*= handler and no style= attribute: behaviour lives in
# core/static/jingxiang/app.js (data-* attributes), looks in app.css, and htmx is told not to insert
# styles or eval (base.html). Django 5.2's admin needs no exemption: its templates load every script
# from files and carry no inline handlers or style attributes (checked by core/tests/test_csp.py).
# The one scoped exception, inline styles on the browsable API's HTML pages, is explained in
# core.middleware.ContentSecurityPolicyMiddleware.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if PRODUCTION:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31_536_000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
    SECURE_REDIRECT_EXEMPT = [r"^health/$"]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {"jieba": {"level": "WARNING"}, "axes": {"level": "WARNING"}},
}
