"""Settings for the Road Map Tracker, driven by environment variables.

Development defaults are safe for a laptop: DEBUG on, SQLite in the project folder.
With DEBUG off the process refuses to start without a real secret key.
"""

import os
import secrets
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name, default=False):
    """Read a yes/no environment variable ("1", "true", "yes", "on" mean yes)."""
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default=""):
    """Read a comma-separated environment variable as a list of non-empty items."""
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def env_int(name, default):
    """Read a whole-number environment variable; a value that is not a number stops start-up."""
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}.") from None


DEBUG = env_bool("DJANGO_DEBUG", default=False)

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY is not set. Set it to a long random value "
            '(python -c "import secrets; print(secrets.token_urlsafe(50))"), '
            "or set DJANGO_DEBUG=1 for local development."
        )
    # Development only: a random key made once per checkout and kept out of git,
    # so that sessions survive runserver's reloads and no key is ever committed.
    _dev_key_file = BASE_DIR / ".dev-secret-key"
    if not _dev_key_file.exists():
        _dev_key_file.write_text(secrets.token_urlsafe(50))
    SECRET_KEY = _dev_key_file.read_text().strip()

if not DEBUG and SECRET_KEY.startswith("CHANGE-ME"):
    raise ImproperlyConfigured("DJANGO_SECRET_KEY is still the placeholder of deploy/roadmap.env.example.")

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.syndication",
    "django_filters",
    "django_tables2",
    "django_htmx",
    "simple_history",
    "axes",
    "csp",
    "rest_framework",
    "api.apps.TokensConfig",  # django-rest-knox, named "API tokens" in the admin
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "versioning",
    "freshness",
    "translations",
    "articles",
    "tasks",
    "editions",
    "api",  # after knox: it replaces knox's token admin
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Before any view reads the query string: pages echo it back, and HTML forbids control characters.
    "roadmap.middleware.DropControlCharactersMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "roadmap.middleware.FirstVisitLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "roadmap.middleware.RoadmapLoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Records who made each change in the history (after authentication).
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks: turns a locked-out login into the lockout response.
    "axes.middleware.AxesMiddleware",
]

# The apps whose every write bumps the road map's change stamp (freshness.receivers): add a new
# app's label here and its models' saves, deletes and many-to-many changes are counted.
ROADMAP_STAMPED_APPS = ["articles", "tasks", "editions"]

ROOT_URLCONF = "roadmap.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "roadmap.context_processors.languages",
            ],
        },
    },
]

WSGI_APPLICATION = "roadmap.wsgi.application"

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=env_int("DJANGO_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Write-ahead logging: a reader (a Word download streaming its rows to a slow client) never
    # blocks a writer, and a writer never blocks the readers. PostgreSQL works that way anyway.
    DATABASES["default"].setdefault("OPTIONS", {})["init_command"] = "PRAGMA journal_mode=WAL;"

# Pages, counts and exports are cached under the change stamp (freshness), so an entry is never
# stale. One process: local memory. Several app servers: REDIS_URL, a Redis they all share.
REDIS_URL = os.environ.get("REDIS_URL", "").strip()
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": os.environ.get("ROADMAP_CACHE_PREFIX", "roadmap"),
            # A Redis that stops answering must cost a page little: short timeouts (redis-py retries nothing by default)
            # (freshness.cache then leaves it alone for a few seconds and serves uncached).
            "OPTIONS": {"socket_connect_timeout": 0.25, "socket_timeout": 0.5},
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "OPTIONS": {"MAX_ENTRIES": 500},
        }
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    # First: refuses to authenticate a locked-out user before the password is checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en"


# The Commission's languages. English is the original of the road map's texts and has the
# unprefixed URLs; the names are Django's (translated by its catalogues), the switcher shows
# each language in itself.
def gettext_noop(text):
    """Mark a language's name for Django's catalogues without importing the translation machinery here."""
    return text


LANGUAGES = [
    ("en", gettext_noop("English")),
    ("fr", gettext_noop("French")),
    ("ru", gettext_noop("Russian")),
    ("zh-hans", gettext_noop("Simplified Chinese")),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Dates as the UN writes them in each language ("23 March 2016", "23 mars 2016", "23 марта 2016 г.").
FORMAT_MODULE_PATH = ["roadmap.formats"]
LANGUAGE_COOKIE_HTTPONLY = True
TIME_ZONE = os.environ.get("DJANGO_TIME_ZONE", "Asia/Bangkok")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = None  # show the "signed out" page

# Public pages require a signed-in user when this is on ("For participants only").
ROADMAP_REQUIRE_LOGIN = env_bool("ROADMAP_REQUIRE_LOGIN", default=False)

# Progress updates imported from a spreadsheet: the largest file and the most rows taken at once.
ROADMAP_IMPORT_MAX_BYTES = env_int("ROADMAP_IMPORT_MAX_BYTES", 5 * 1024 * 1024)
ROADMAP_IMPORT_MAX_ROWS = env_int("ROADMAP_IMPORT_MAX_ROWS", 5000)
# Clearance of an edition by someone other than who submitted it ("four eyes"); 0 lifts the rule.
ROADMAP_EDITION_FOUR_EYES = env_bool("ROADMAP_EDITION_FOUR_EYES", default=True)

DJANGO_TABLES2_TEMPLATE = "django_tables2/bootstrap5.html"

# Login throttling (django-axes): after this many failed sign-ins for one account from one
# address, that account is locked for that address for ROADMAP_LOGIN_LOCKOUT_HOURS.
AXES_FAILURE_LIMIT = env_int("ROADMAP_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(hours=env_int("ROADMAP_LOGIN_LOCKOUT_HOURS", 1))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "roadmap.security.client_ip"
AXES_LOCKOUT_CALLABLE = "roadmap.security.lockout_response"
AXES_VERBOSE = False  # no "AXES: BEGIN version ..." banner on every manage.py command

# History (django-simple-history): reverting an old version is allowed to whoever may change the record.
SIMPLE_HISTORY_REVERT_DISABLED = False

# Behind a reverse proxy that terminates TLS (nginx, Apache): trust its X-Forwarded-Proto and
# X-Forwarded-For headers. Only turn this on when the proxy sets them and clients cannot reach
# gunicorn directly, or anyone could claim to be on HTTPS or to come from any address.
ROADMAP_BEHIND_PROXY = env_bool("DJANGO_BEHIND_PROXY", default=False)
if ROADMAP_BEHIND_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Transport and cookies: secure by default in production, each switch overridable.
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", default=not DEBUG)
SECURE_HSTS_SECONDS = env_int("DJANGO_SECURE_HSTS_SECONDS", 0 if DEBUG else 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS", default=not DEBUG)
SECURE_HSTS_PRELOAD = env_bool("DJANGO_SECURE_HSTS_PRELOAD", default=not DEBUG)
SESSION_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES", default=not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = env_int("DJANGO_SESSION_COOKIE_AGE", 60 * 60 * 12)
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# Content Security Policy (django-csp 4): only this site's own files, no inline script or style.
# The Django admin of 5.2 needs no exception: its templates carry no inline <script> or style=.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        # Bootstrap draws its select arrows, check marks and menu icon as data: SVG images.
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}

# The read-only API (/api/v1/, the api app): Django REST framework, its schema by drf-spectacular.
# Anonymous clients are throttled per address (roadmap.security.client_ip) to this rate,
# "number/second|minute|hour|day"; empty for no limit. Signed-in users and tokens are not throttled.
ROADMAP_API_ANON_RATE = os.environ.get("ROADMAP_API_ANON_RATE", "120/minute").strip() or None
# What says the road map changed, for the API's ETag and Last-Modified: a callable's dotted path
# (see api.conditional.current_stamp). The road map's change stamp, the one the pages' ETags use.
ROADMAP_API_CHANGE_STAMP = "freshness.stamp.current"
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "knox.auth.TokenAuthentication",  # first: an anonymous request is answered 401 with WWW-Authenticate: Token
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["api.access.RoadmapReadAccess"],
    "DEFAULT_THROTTLE_CLASSES": ["api.access.AnonymousRateThrottle"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": [],  # read-only: no request body is ever read
    "DEFAULT_CONTENT_NEGOTIATION_CLASS": "api.negotiation.FormatNegotiation",
    "DEFAULT_PAGINATION_CLASS": "api.pagination.RoadmapPagination",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Road Map Tracker API",
    "DESCRIPTION": (
        "The road map for the Framework Agreement on Facilitation of Cross-border Paperless Trade in Asia "
        "and the Pacific, read-only: tasks, their progress updates, articles, working groups and meetings."
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["api.access.RoadmapReadAccess"],
    "SWAGGER_UI_DIST": "SIDECAR",  # Swagger UI from drf-spectacular-sidecar: served from here, no CDN
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {"StatusEnum": "tasks.models.Status"},
}
# API tokens (django-rest-knox): stored as SHA-512 digests, shown once when staff create them in the
# admin. No expiry unless the one creating the token sets one.
REST_KNOX = {"TOKEN_TTL": None, "AUTH_HEADER_PREFIX": "Token", "AUTO_REFRESH": False}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "INFO")},
}
