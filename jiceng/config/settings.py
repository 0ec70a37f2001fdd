"""Django settings for Jiceng.

Everything that differs between a laptop demo and a production county comes from the
environment (see README.md, "Configuration"). The embedded default is SQLite under
``var/``; production sets ``DATABASE_URL`` to PostgreSQL.
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

PACKAGE_DIR = Path(__file__).resolve().parent.parent
BASE_DIR = Path(os.environ.get("JICENG_HOME", PACKAGE_DIR.parent)).resolve()
VAR_DIR = Path(os.environ.get("JICENG_VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


DEBUG = env_bool("JICENG_DEBUG")
TESTING = env_bool("JICENG_TESTING")

SECRET_KEY = os.environ.get("JICENG_SECRET_KEY", "")
if not SECRET_KEY:
    if DEBUG or TESTING:
        SECRET_KEY = "insecure-development-key-do-not-use-in-production-" + "x" * 16
    else:
        raise ImproperlyConfigured("JICENG_SECRET_KEY must be set (or JICENG_DEBUG=1 for development).")

ALLOWED_HOSTS = [h.strip() for h in os.environ.get("JICENG_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h]
CSRF_TRUSTED_ORIGINS = [o.strip() for o in os.environ.get("JICENG_CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()]

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "django_tables2",
    "django_htmx",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "jiceng.core",
    "jiceng.core.policies",
    "jiceng.core.deadlines",
    "jiceng.core.workflow",
    "jiceng.core.alerts",
    "jiceng.core.scoring",
    "jiceng.core.checklists",
    "jiceng.core.publicpages",
    "jiceng.core.transfer",
    "jiceng.core.jobs",
    "jiceng.core.video",
    "jiceng.directory",
    "jiceng.accounts",
    "jiceng.party",
    "jiceng.party.members",
    "jiceng.party.life",
    "jiceng.party.points",
    "jiceng.party.dues",
    "jiceng.party.registries",
    "jiceng.safety",
    "jiceng.safety.hazards",
    "jiceng.safety.monitoring",
    "jiceng.safety.chemicals",
    "jiceng.safety.permits",
    "jiceng.safety.training",
    "jiceng.education",
    "jiceng.education.transfers",
    "jiceng.education.staff",
    "jiceng.education.allocation",
    "jiceng.education.groupwork",
    "jiceng.education.outreach",
    "jiceng.finance",
    "jiceng.finance.results",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "jiceng.core.middleware.RequestIdMiddleware",
    "jiceng.core.middleware.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "jiceng.core.middleware.DefaultLanguageMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "jiceng.config.urls"
WSGI_APPLICATION = "jiceng.config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "jiceng.core.context_processors.navigation",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------
DEFAULT_DATABASE_URL = f"sqlite:///{VAR_DIR / 'jiceng.sqlite3'}"
DATABASE_URL = os.environ.get("DATABASE_URL", DEFAULT_DATABASE_URL)
if TESTING and os.environ.get("JICENG_TEST_DATABASE_URL"):
    DATABASE_URL = os.environ["JICENG_TEST_DATABASE_URL"]
# Persistent connections: measured here (2 cores, gunicorn, one indexed query per request), kept
# connections serve 4.0-4.1x the requests/s of a connection opened per request
# (docs/benchmarks.md, docs/decisions/0003-persistent-connections.md).
CONN_MAX_AGE = int(os.environ.get("JICENG_CONN_MAX_AGE", "600"))
DATABASES = {
    "default": dj_database_url.parse(DATABASE_URL, conn_max_age=CONN_MAX_AGE, conn_health_checks=True),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the demo server read while a write is in progress; IMMEDIATE avoids
    # "database is locked" upgrades inside transactions.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = False
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Accounts -------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = ["jiceng.accounts.backends.ScopedRoleBackend"]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
if TESTING:
    # Argon2 is deliberately slow; the suite creates hundreds of users.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:dashboard"
LOGOUT_REDIRECT_URL = "accounts:login"
# Failed-login throttling: this many failures for one username (or one client address)
# within the window locks further attempts until the window has passed.
LOGIN_FAILURE_LIMIT = int(os.environ.get("JICENG_LOGIN_FAILURE_LIMIT", "5"))
LOGIN_FAILURE_WINDOW_SECONDS = int(os.environ.get("JICENG_LOGIN_FAILURE_WINDOW", "900"))

CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "jiceng",
    }
}
if os.environ.get("JICENG_REDIS_URL"):
    CACHES["default"] = {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": os.environ["JICENG_REDIS_URL"],
    }

# --- Background jobs (docs/engines/jobs.md) -------------------------------------------
JOBS = {
    "name": "jiceng",
    "backend": os.environ.get("JICENG_JOBS_BACKEND", "redis" if os.environ.get("JICENG_REDIS_URL") else "sqlite"),
    "url": os.environ.get("JICENG_REDIS_URL", "redis://127.0.0.1:6379/0"),
    "filename": str(VAR_DIR / "jobs.sqlite3"),
    # Tests run jobs inline; a test that exercises the real backend builds its own queue.
    "immediate": TESTING or env_bool("JICENG_JOBS_IMMEDIATE"),
}

# --- Public pages (QR codes) ----------------------------------------------------------
# The address printed in QR codes (the county's public host); empty = the host of the request.
PUBLIC_BASE_URL = os.environ.get("JICENG_PUBLIC_BASE_URL", "").rstrip("/")
PUBLIC_FEEDBACK = {
    "per_window": int(os.environ.get("JICENG_FEEDBACK_PER_WINDOW", "5")),
    "window_seconds": int(os.environ.get("JICENG_FEEDBACK_WINDOW", "3600")),
    "min_fill_seconds": 3,
    "form_max_age_seconds": 3600,
    "max_length": 1000,
}

# --- Internationalisation -------------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("Simplified Chinese")), ("en", _("English"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

# --- Static files ---------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("JICENG_STATIC_ROOT", VAR_DIR / "static"))
NODE_MODULES = Path(os.environ.get("JICENG_NODE_MODULES", BASE_DIR / "node_modules"))
STATICFILES_DIRS = [
    PACKAGE_DIR / "static",  # the site's own CSS/JS (jiceng/static/jiceng/…); no app owns it
    ("vendor/htmx", NODE_MODULES / "htmx.org" / "dist"),
    ("vendor/echarts", NODE_MODULES / "echarts" / "dist"),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = DEBUG or TESTING
MEDIA_ROOT = VAR_DIR / "media"
MEDIA_URL = "/media/"

# --- Security -------------------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# Behind TLS (the production default) cookies are secure and HSTS is sent; the loopback
# demo server runs plain HTTP and sets JICENG_INSECURE_HTTP=1.
if not (DEBUG or TESTING or env_bool("JICENG_INSECURE_HTTP")):
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env_bool("JICENG_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = int(os.environ.get("JICENG_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; frame-ancestors 'none'; form-action 'self'; "
    "base-uri 'self'; object-src 'none'"
)

# --- REST API -------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["jiceng.core.api.permissions.ScopedModelPermission"],
    "DEFAULT_FILTER_BACKENDS": ["jiceng.core.filters.ScopedFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "jiceng.core.api.pagination.StandardPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "jiceng.core.api.errors.exception_handler",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Jiceng API",
    "DESCRIPTION": "REST API of Jiceng (基层). Areas are addressed by their 12-digit division code.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # Choice sets that share a field name across models get their own component names.
    "ENUM_NAME_OVERRIDES": {
        "NoticePurposeEnum": "jiceng.party.members.models.NoticePurpose",
        "VotePurposeEnum": "jiceng.party.members.models.VotePurpose",
        "OrgLevelEnum": "jiceng.party.models.OrgLevel",
        "BrandLevelEnum": "jiceng.party.registries.models.BrandLevel",
        "AreaLevelEnum": "jiceng.directory.models.AreaLevel",
        "AccountableRoleEnum": "jiceng.safety.monitoring.models.AccountableRole",
        "PositionRoleEnum": "jiceng.party.models.PositionRole",
        "HazardSeverityEnum": "jiceng.safety.hazards.choices.HazardSeverity",
        "AlertSeverityEnum": "jiceng.core.alerts.models.Severity",
        "CallbackOutcomeEnum": "jiceng.education.outreach.choices.CallbackOutcome",
        "SchoolStageEnum": "jiceng.education.choices.SchoolStage",
        "EntryGradeEnum": "jiceng.education.allocation.choices.EntryGrade",
        "FindingKindEnum": "jiceng.finance.results.choices.FindingKind",
        "FindingStatusEnum": "jiceng.finance.results.choices.FindingStatus",
        "ChecklistItemStatusEnum": "jiceng.core.checklists.models.ItemStatus",
    },
}

DJANGO_TABLES2_TEMPLATE = "core/table.html"
DJANGO_TABLES2_PAGE_RANGE = 8

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("JICENG_LOG_LEVEL", "WARNING")},
}

SILENCED_SYSTEM_CHECKS: list[str] = []
