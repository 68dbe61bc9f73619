"""Settings for the campaign correspondence tracker, read from the environment.

With no environment set it runs locally on SQLite with DEBUG on. Production differs only
through the variables documented in README.md.
"""

import hashlib
import os
import tempfile
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from tracker.mail import email_settings

BASE_DIR = Path(__file__).resolve().parent.parent

TRUE_WORDS = ("1", "true", "yes", "on")
FALSE_WORDS = ("0", "false", "no", "off")
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")


def env_value(name):
    """Return an environment variable stripped of spaces, or None if it is unset or empty."""
    value = os.environ.get(name, "").strip()
    return value or None


def env_bool(name, default):
    """Return an environment variable read as a yes/no flag; refuse any other word."""
    value = env_value(name)
    if value is None:
        return default
    if value.lower() in TRUE_WORDS:
        return True
    if value.lower() in FALSE_WORDS:
        return False
    # A typo such as "flase" must not silently turn a flag off (or on).
    raise ImproperlyConfigured(
        f"{name} must be one of {', '.join(TRUE_WORDS)} (on) or {', '.join(FALSE_WORDS)} (off), "
        f"not {value!r}. See README.md."
    )


def env_int(name, default, minimum=0):
    """Return an environment variable read as a whole number no smaller than minimum."""
    value = env_value(name)
    if value is None:
        return default
    try:
        number = int(value)
    except ValueError:
        number = None
    if number is None or number < minimum:
        raise ImproperlyConfigured(
            f"{name} must be a whole number of at least {minimum}, not {value!r}. See README.md."
        )
    return number


def env_list(name):
    """Return an environment variable read as a comma-separated list."""
    return [item.strip() for item in os.environ.get(name, "").split(",") if item.strip()]


def weak_secret_key(key):
    """Return whether a secret key fails Django's own test of strength (check --deploy W009)."""
    return len(key) < 50 or len(set(key)) < 5 or key.startswith("django-insecure")


# --- Core ---------------------------------------------------------------------------------

DEBUG = env_bool("DJANGO_DEBUG", True)

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS")

if DEBUG:
    # A throwaway key for local development only; production must set its own.
    SECRET_KEY = SECRET_KEY or "django-insecure-local-development-only"
    ALLOWED_HOSTS = ALLOWED_HOSTS or ["127.0.0.1", "localhost", "[::1]", "testserver"]
else:
    missing = [
        name
        for name, value in (
            ("DJANGO_SECRET_KEY", SECRET_KEY),
            ("DJANGO_ALLOWED_HOSTS", ALLOWED_HOSTS),
        )
        if not value
    ]
    if missing:
        raise ImproperlyConfigured(
            "DJANGO_DEBUG is off, so these environment variables must be set: "
            + ", ".join(missing)
            + ". See 'Configuration' in README.md."
        )
    if weak_secret_key(SECRET_KEY):
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY is too weak for production: it needs at least 50 characters, at "
            "least 5 of them different, and must not start with 'django-insecure'. Make one with "
            'python -c "import secrets; print(secrets.token_urlsafe(50))".'
        )

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
    "django.contrib.sitemaps",
    "django_filters",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "axes",
    "simple_history",
    "django_tasks",
    "django_tasks_db",
    "campaigns",
    "workspace",
    "following",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Outside the page cache, so that pages served from it carry the current policy too.
    "campaigns.middleware.ContentSecurityPolicyMiddleware",
    "campaigns.middleware.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Outside the session, CSRF and auth middleware: a page is stored with the cookies and headers
    # they add (and not at all if they set a cookie), and a stored page is served without them.
    "campaigns.cache.PageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Records which user made each change kept in the history.
    "simple_history.middleware.HistoryRequestMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "tracker.urls"
WSGI_APPLICATION = "tracker.wsgi.application"

# The site's pages are Jinja2 templates (templates/jinja2): with Django's engine a request page of
# 15 letters took 14.2 ms of CPU where 10.8, /stats/ 19.7 where 8.6 (best of 40, at 100,000
# requests). The admin, forms and e-mails keep Django's engine (templates/).
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "DIRS": [BASE_DIR / "templates" / "jinja2"],
        "APP_DIRS": False,
        "OPTIONS": {"environment": "tracker.jinja2.environment"},
    },
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

# --- Database -----------------------------------------------------------------------------

# An empty DATABASE_URL counts as unset, so `DATABASE_URL= make test` still uses SQLite.
DATABASE_URL = os.environ.get("DATABASE_URL", "").strip() or f"sqlite:///{BASE_DIR / 'db.sqlite3'}"
DATABASES = {
    "default": dj_database_url.parse(
        DATABASE_URL,
        conn_max_age=env_int("DJANGO_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Guards, so that one bad query or an unreachable server cannot hold a worker: give up connecting
# after DATABASE_CONNECT_TIMEOUT seconds, and have PostgreSQL cancel any statement that runs longer
# than DATABASE_STATEMENT_TIMEOUT_MS (0 for none). Commands that legitimately run long (migrate,
# refresh_requests, seed_bench) are run with DATABASE_STATEMENT_TIMEOUT_MS=0; see README.md.
DATABASE_CONNECT_TIMEOUT = env_int("DATABASE_CONNECT_TIMEOUT", 5)
DATABASE_STATEMENT_TIMEOUT_MS = env_int("DATABASE_STATEMENT_TIMEOUT_MS", 5000)
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # The planner turns JIT compilation on for queries it estimates to be expensive, and the
    # compiling can take longer than the short queries this site runs, so it is off. So is
    # Memoize: its cache is sized for every row the planner foresees, not the few a LIMIT
    # reads, and setting it up took 1.5 ms of a 0.05 ms query (the home page's activity); the
    # statistics, exports and refresh ran as fast without it. Options given in DATABASE_URL
    # come last and so win.
    server_options = (
        f"-c statement_timeout={DATABASE_STATEMENT_TIMEOUT_MS} -c jit=off -c enable_memoize=off"
    )
    database_options = DATABASES["default"].setdefault("OPTIONS", {})
    database_options.setdefault("connect_timeout", DATABASE_CONNECT_TIMEOUT)
    database_options["options"] = f"{server_options} {database_options.get('options', '')}".strip()
    # Parameters sent apart from the SQL, so that pages can keep their queries' plans
    # (campaigns/prepared.py); psycopg prepares nothing unless asked.
    database_options.setdefault("server_side_binding", True)
    # Django's backend, with bulk writes batched to the parameters a query may bind.
    DATABASES["default"]["ENGINE"] = "tracker.postgresql"

# --- Cache --------------------------------------------------------------------------------

# Public pages are cached whole for anonymous visitors and dropped as soon as any campaign data
# changes (campaigns/cache.py). The data version that drops them lives in the cache, so the cache
# must be one that every worker process shares: Redis when DJANGO_CACHE_URL names one, otherwise
# files in the temporary folder, which need no set-up.
CACHE_URL = os.environ.get("DJANGO_CACHE_URL", "").strip()
if CACHE_URL.startswith(("redis://", "rediss://")):
    default_cache = {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": CACHE_URL,
        # If Redis stops answering, pages are rendered uncached rather than waiting on it.
        "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
    }
elif CACHE_URL:
    raise ImproperlyConfigured(
        "DJANGO_CACHE_URL must start with redis:// or rediss://, or be unset. "
        "See 'Configuration' in README.md."
    )
else:
    default_cache = {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": Path(tempfile.gettempdir()) / "campaign-tracker-cache",
        "OPTIONS": {"MAX_ENTRIES": 2000},
    }
# Pages and data version belong to one database, even where two sites or databases share a cache.
default_cache["KEY_PREFIX"] = hashlib.sha256(DATABASE_URL.encode()).hexdigest()[:12]
CACHES = {"default": default_cache}

# Seconds a public page is kept at most; 0 turns the page cache off. Off by default while
# developing, so that template edits show at once.
PAGE_CACHE_SECONDS = env_int("DJANGO_PAGE_CACHE_SECONDS", 0 if DEBUG else 300)
# Seconds that figures counted over every public request (counts by status, statistics) are
# kept for the same data version and day; 0 counts them on every view.
FIGURES_CACHE_SECONDS = env_int("DJANGO_FIGURES_CACHE_SECONDS", 3600)

# --- Auth ---------------------------------------------------------------------------------

AUTHENTICATION_BACKENDS = [
    # django-axes refuses a login from a locked-out username and address before any other
    # backend checks the password.
    "campaigns.login_throttle.LoginThrottleBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Admin login throttling (django-axes): after DJANGO_LOGIN_FAILURE_LIMIT wrong passwords in a row
# for one username from one address, that pair is refused for DJANGO_LOGIN_LOCKOUT_MINUTES.
# Failures are kept in the database, so every worker sees them and they survive a restart.
AXES_FAILURE_LIMIT = env_int("DJANGO_LOGIN_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("DJANGO_LOGIN_LOCKOUT_MINUTES", 15, minimum=1))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "campaigns.login_throttle.lockout_response"
# Its start-up banner would be printed by every management command and worker.
AXES_VERBOSE = False
# Behind DJANGO_TRUSTED_PROXY_COUNT reverse proxies, a client's address is the one they add to
# X-Forwarded-For; without it every login would seem to come from the proxy, and a lockout
# would then refuse the username to everyone.
TRUSTED_PROXY_COUNT = env_int("DJANGO_TRUSTED_PROXY_COUNT", 0)
AXES_CLIENT_IP_CALLABLE = "campaigns.login_throttle.client_address"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# --- Language, dates and time ---------------------------------------------------------------

# SQLite ignores the covering columns that PostgreSQL's indexes of public requests carry (see
# EMBARGO in campaigns/models.py); the indexes still work there, without them.
SILENCED_SYSTEM_CHECKS = ["models.W040"]

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
# The site is written in British English and has no translations. With translation on, every
# label (a letter's kind, a status) is looked up through a chain of a dozen catalogues, which
# was a fifth of a request page's time. Dates and numbers still follow LANGUAGE_CODE's formats.
USE_I18N = False
USE_TZ = True
FORMAT_MODULE_PATH = ["tracker.formats"]

# --- Static files and uploads ----------------------------------------------------------------

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("DJANGO_STATIC_ROOT", BASE_DIR / "staticfiles"))
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

# Uploaded attachments are served only through a view that checks the request is public,
# so MEDIA_URL is never routed.
MEDIA_ROOT = Path(os.environ.get("DJANGO_MEDIA_ROOT", BASE_DIR / "media"))
MEDIA_URL = "/media-not-served/"
ATTACHMENT_MAX_BYTES = env_int("ATTACHMENT_MAX_BYTES", 20 * 1024 * 1024, minimum=1)

# --- Security (production) -----------------------------------------------------------------

# The HTTPS proxy in front says which scheme the visitor used; it must set this header itself.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# Secure cookies need HTTPS; turn them off only to try production mode over plain HTTP.
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES", not DEBUG)
# Off unless asked for: once a browser has seen HSTS it refuses plain HTTP for that long.
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", False)
SECURE_HSTS_SECONDS = env_int("DJANGO_SECURE_HSTS_SECONDS", 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("DJANGO_SECURE_HSTS_PRELOAD", True)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Content-Security-Policy (django-csp): this site's own files only, no inline scripts or styles,
# never framed. campaigns/middleware.py makes the only exceptions: the embed page may be framed
# anywhere, and the API docs show the data: images in their stylesheet.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

# --- JSON API -------------------------------------------------------------------------------

REST_FRAMEWORK = {
    # Public and read-only: no logins, so no sessions or CSRF to worry about.
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "UNAUTHENTICATED_USER": None,
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 20,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Campaign correspondence tracker API",
    "DESCRIPTION": "Read-only public data: requests with their status and timeline, "
    "coalitions and organisations.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "ENUM_NAME_OVERRIDES": {
        "OrganisationKindEnum": "campaigns.choices.OrganisationKind",
        "LetterKindEnum": "campaigns.choices.LetterKind",
        "EventKindEnum": "campaigns.choices.EventKind",
        "RequestStatusEnum": "campaigns.choices.RequestStatus",
        "DatePrecisionEnum": "campaigns.choices.DatePrecision",
        "CommitmentStatusEnum": "campaigns.choices.CommitmentStatus",
        "DeadlineChangeKindEnum": "campaigns.choices.DeadlineChangeKind",
        "EscalationStageEnum": "campaigns.choices.EscalationStage",
    },
}

# --- Mail and tasks ----------------------------------------------------------------------------

# Mail goes out over SMTP as EMAIL_URL says; without it, a laptop prints messages to the console
# and a server hands them to the mail server on localhost:25, as Django does.
EMAIL_URL = env_value("EMAIL_URL") or ("console://" if DEBUG else "smtp://localhost:25")
globals().update(email_settings(EMAIL_URL))
DEFAULT_FROM_EMAIL = env_value("DEFAULT_FROM_EMAIL") or "tracker@localhost"
# The site's address as readers reach it, for the links in e-mails (sent outside any request).
SITE_URL = (env_value("SITE_URL") or "http://127.0.0.1:8000").rstrip("/")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Mail is sent by tasks. A laptop runs them at once, in the request; production queues them in
# the database for `manage.py db_worker` (docker compose runs it as the worker service).
TASKS_BACKENDS = {
    "immediate": "django_tasks.backends.immediate.ImmediateBackend",
    "database": "django_tasks_db.DatabaseBackend",
}
TASKS_BACKEND = env_value("DJANGO_TASKS_BACKEND") or ("immediate" if DEBUG else "database")
if TASKS_BACKEND not in TASKS_BACKENDS:
    raise ImproperlyConfigured("DJANGO_TASKS_BACKEND must be immediate or database.")
TASKS = {"default": {"BACKEND": TASKS_BACKENDS[TASKS_BACKEND]}}

# --- The tracker ---------------------------------------------------------------------------

REQUESTS_PER_PAGE = 20
PARTIES_PER_PAGE = 50  # coalitions and organisations
# Coalition and organisation pages show their latest requests and link to the full list.
LATEST_REQUESTS_ON_PARTY_PAGES = 10
# Recipients with fewer public requests are shown on /stats/ but not ranked.
STATS_MIN_REQUESTS_TO_RANK = env_int("STATS_MIN_REQUESTS_TO_RANK", 3)

LOG_LEVEL = (env_value("DJANGO_LOG_LEVEL") or "INFO").upper()
if LOG_LEVEL not in LOG_LEVELS:
    raise ImproperlyConfigured(
        f"DJANGO_LOG_LEVEL must be one of {', '.join(LOG_LEVELS)}, not {LOG_LEVEL!r}. "
        "See README.md."
    )
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
}
