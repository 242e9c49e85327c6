"""Settings for the claims annotation tool, driven by environment variables.

Every variable is listed in README.md (Configuration); production ones in docs/deploy.md.
DEBUG is off unless DJANGO_DEBUG=1. Commands run in a checkout need nothing set; serving
requests with DEBUG off needs DJANGO_SECRET_KEY and DJANGO_ALLOWED_HOSTS (annotator.serving).
"""

import os
import warnings
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONCE, NONE, SELF

from annotator.environment import (
    checkout_secret_key,
    env_flag,
    env_int,
    env_list,
    env_proxies,
)

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_flag("DJANGO_DEBUG", False)
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "").strip() or checkout_secret_key(
    BASE_DIR / ".secret-key"
)
# Old keys still accepted for signatures while a new DJANGO_SECRET_KEY takes over (rotation).
SECRET_KEY_FALLBACKS = env_list("DJANGO_SECRET_KEY_FALLBACKS", [])
# Django's checks of the keys' strength (W009, W025) only warn; annotator.checks refuses weak
# keys as an error instead (naming the variable), and serving refuses them too.
SILENCED_SYSTEM_CHECKS = ["security.W009", "security.W025"]
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", [])

# HTTPS: DJANGO_HTTPS=1 turns on everything below; each can be set on its own.
HTTPS = env_flag("DJANGO_HTTPS", False)
SECURE_SSL_REDIRECT = env_flag("DJANGO_SSL_REDIRECT", HTTPS)
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = env_flag("DJANGO_SECURE_COOKIES", HTTPS)
SECURE_HSTS_SECONDS = env_int("DJANGO_HSTS_SECONDS", 365 * 24 * 3600 if HTTPS else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_flag("DJANGO_HSTS_INCLUDE_SUBDOMAINS", HTTPS)
# Preload is a promise made by submitting the domain to the browsers' list (hard to take
# back): only when asked for. Django's deploy check would warn about it (W021) every time.
SECURE_HSTS_PRELOAD = env_flag("DJANGO_HSTS_PRELOAD", False)
if not SECURE_HSTS_PRELOAD:
    SILENCED_SYSTEM_CHECKS.append("security.W021")
# Reverse proxies in front of the app servers: trust that many X-Forwarded-For hops (the
# client's address, for login throttling) and X-Forwarded-Proto (HTTPS seen by the proxy).
PROXY_COUNT = env_int("DJANGO_PROXY_COUNT", 0)
if PROXY_COUNT:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# The proxies' addresses or networks (comma-separated; gunicorn reads the same variable): from
# any other peer, X-Forwarded-* headers are dropped (annotator.proxies), whatever address
# the app server listens on. "*": every peer (only when nothing else can reach the servers).
FORWARDED_ALLOW_IPS = env_proxies("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "axes",
    "django_tasks",
    "django_tasks_db",
    "claims",
    "claims.jobs",
    "claims.learning",
    "annotator",
]

MIDDLEWARE = [
    # First: drops X-Forwarded-* from peers that are not the proxies, before anything reads them.
    "annotator.proxies.ForwardedHeadersMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: turns a locked-out login into its 429 page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "annotator.urls"
WSGI_APPLICATION = "annotator.wsgi.application"
ASGI_APPLICATION = "annotator.asgi.application"

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
            ],
        },
    },
]

# Connections are kept across requests (checked before reuse), not opened for each one;
# not under DEBUG, whose development server starts a thread per request.
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=env_int("DJANGO_CONN_MAX_AGE", 0 if DEBUG else 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" and env_flag(
    "DJANGO_DB_PREPARED", True
):
    # Statements go with their parameters apart, and a connection prepares a statement it has
    # run 5 times: PostgreSQL then parses and plans the hot path's statements once per kept
    # connection, not on every request (a third of its CPU per request, bench/load.py).
    # DJANGO_DB_PREPARED=0 behind a pooler in transaction mode, which cannot keep them.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"server_side_binding": True, "prepare_threshold": 5}
    )
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Take SQLite's write lock when a transaction begins, so concurrent saves wait their turn
    # (up to the timeout) instead of failing with "database is locked" mid-transaction.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("transaction_mode", "IMMEDIATE")
    DATABASES["default"]["OPTIONS"].setdefault("timeout", 20)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "annotator.throttle.LoginThrottleBackend",  # refuses paused logins first (django-axes)
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("DJANGO_STATIC_ROOT", BASE_DIR / "staticfiles"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "annotator.storage.HashedStaticFilesStorage"},
}
# WhiteNoise serves static files whatever DEBUG says: the collected, compressed copies once
# `collectstatic` has run (`make serve` runs it), else straight from the apps' folders.
WHITENOISE_USE_FINDERS = DEBUG or not STATIC_ROOT.is_dir()
if not STATIC_ROOT.is_dir():  # not collected: expected, the finders serve the files
    warnings.filterwarnings("ignore", "No directory at", UserWarning, "whitenoise.base")

DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("CLAIMS_MAX_REQUEST_BYTES", 10 * 1024 * 1024, minimum=1)

CLAIMS_SPACY_MODEL = os.environ.get("CLAIMS_SPACY_MODEL", "")  # parses for suggestions
CLAIMS_SEGMENTATION_MODEL = os.environ.get("CLAIMS_SEGMENTATION_MODEL", "")  # splits sentences

# Background jobs (claims.jobs): queued in the database, run by `manage.py db_worker`.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# API tokens stop working this many days after they were issued (0: never).
CLAIMS_TOKEN_MAX_AGE_DAYS = env_int("CLAIMS_TOKEN_MAX_AGE_DAYS", 0)
# The API schema and its docs page (/api/schema/, /api/docs/) without signing in: they
# describe this open-source API, no data; set 0 to show them to signed-in users only.
CLAIMS_API_DOCS_PUBLIC = env_flag("CLAIMS_API_DOCS_PUBLIC", True)

REST_FRAMEWORK = {
    # Token first, so a request without credentials gets 401 (with WWW-Authenticate), not 403.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "claims.api.tokens.ExpiringTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PARSER_CLASSES": ["claims.api.parsers.JSONParser"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PAGINATION_CLASS": "claims.api.pagination.Pagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "claims.api.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "claims.api.errors.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Claims annotation API",
    "DESCRIPTION": (
        "Label claims, speakers and stance in news sentences; export datasets. "
        "Authenticate with `Authorization: Token <token>` (POST /api/v1/auth/token/) or a "
        "session (with CSRF). Outsiders get 404 for everything in a project."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    # Swagger UI's files are served by this app (the docs page works without internet).
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "ENUM_NAME_OVERRIDES": {
        "AnnotationKindEnum": "claims.models.AnnotationKind",
        "AnnotationStatusEnum": "claims.models.AnnotationStatus",
        "SentenceKindEnum": "claims.models.SentenceKind",
        "SpeakerKindEnum": "claims.models.SpeakerKind",
        "ImportStatusEnum": [("imported", "imported"), ("duplicate", "duplicate")],
        "RoleEnum": "claims.models.Role",
        "SpanRoleEnum": [("source", "source"), ("cue", "cue"), ("content", "content")],
    },
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "claims.api.openapi.add_error_responses",
    ],
}

# Failed logins (pages, admin, token endpoint) are counted in the database, shared by every
# app server: after CLAIMS_LOGIN_FAILURE_LIMIT failures for one username, or from one address,
# further attempts get 429 for CLAIMS_LOGIN_COOLOFF_MINUTES. A success resets the count.
AXES_FAILURE_LIMIT = env_int("CLAIMS_LOGIN_FAILURE_LIMIT", 10, minimum=1)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("CLAIMS_LOGIN_COOLOFF_MINUTES", 15, minimum=1))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]  # each on its own
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_DISABLE_ACCESS_LOG = True  # successful logins are not recorded (the table would grow)
AXES_CLIENT_IP_CALLABLE = "annotator.throttle.client_address"  # behind DJANGO_PROXY_COUNT
AXES_USERNAME_CALLABLE = "annotator.throttle.attempted_username"  # any length is counted

# No inline script (one would need nonce="{{ request.csp_nonce }}"); inline styles are allowed.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, "'unsafe-inline'"],
        "img-src": [SELF, "data:"],
        "font-src": [SELF, "data:"],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

# Error reports (debug pages, e-mails to ADMINS) hide every credential, URLs' passwords too.
DEFAULT_EXCEPTION_REPORTER_FILTER = "annotator.reporting.CredentialsFilter"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "WARNING")},
}
