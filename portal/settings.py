"""One settings module for every environment: production differs only by environment variables.

The defaults are safe for development (DEBUG on, SQLite, console e-mail); a production
deployment sets DJANGO_DEBUG=0, DJANGO_SECRET_KEY, DJANGO_ALLOWED_HOSTS and DATABASE_URL.
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DJANGO_DEBUG", True)
DEVELOPMENT_SECRET_KEY = "django-insecure-development-only-key-not-for-production"
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", DEVELOPMENT_SECRET_KEY if DEBUG else "")
if not DEBUG and (
    len(SECRET_KEY) < 50 or len(set(SECRET_KEY)) < 5 or SECRET_KEY.startswith("django-insecure")
):
    raise ImproperlyConfigured(
        "DJANGO_SECRET_KEY must be set to a random value of at least 50 characters when "
        "DJANGO_DEBUG is off, e.g. python -c 'import secrets; print(secrets.token_urlsafe(60))'."
    )

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_filters",
    "axes",
    "django_tasks_db",
    "projects",
    "donors",
    "ingest",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Pages compressed for clients that accept gzip (static files come compressed from
    # WhiteNoise above, untouched here): Django's middleware at level 1, padded against
    # BREACH as Django pads them; CSRF tokens are masked per response.
    "projects.compression.PageGZipMiddleware",
    "projects.request_checks.RejectNulCharactersMiddleware",
    "projects.middleware.DatabaseUnavailableMiddleware",
    "projects.middleware.PageCacheMiddleware",
    "projects.replica.ReplicaReadsMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into its lockout response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "portal.templating.DjangoTemplates",
        "NAME": "django",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.csp",
                "projects.shortlist.context",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=int(os.environ.get("DJANGO_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
# A PostgreSQL streaming replica for what donors read (projects.replica): GET and HEAD of the
# donor pages and the API. Writes, the admin and the interest form stay on the primary; when the
# replica cannot be reached, pages read from the primary.
REPLICA_URL = os.environ.get("DATABASE_REPLICA_URL", "")
if REPLICA_URL:
    DATABASES["replica"] = dj_database_url.parse(
        REPLICA_URL,
        conn_max_age=int(os.environ.get("DJANGO_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
    DATABASES["replica"].setdefault("OPTIONS", {}).setdefault("connect_timeout", 2)
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
    DATABASE_ROUTERS = ["projects.replica.ReplicaRouter"]
# Behind PgBouncer in transaction pooling mode, cursors cannot outlive a transaction, and a
# statement prepared on one session is not there on the next (projects.prepared): preparing is
# off by default there (server-side cursors off, or a connection per request, as README's
# "Deploying" sets for PgBouncer), and where each request opens its own session anyway.
DISABLE_SERVER_SIDE_CURSORS = env_bool("DJANGO_DISABLE_SERVER_SIDE_CURSORS", False)
for database in DATABASES.values():
    database["DISABLE_SERVER_SIDE_CURSORS"] = DISABLE_SERVER_SIDE_CURSORS
PREPARED_STATEMENTS = env_bool(
    "DJANGO_PREPARED_STATEMENTS",
    not DISABLE_SERVER_SIDE_CURSORS and DATABASES["default"]["CONN_MAX_AGE"] != 0,
)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Redis when CACHE_URL (or REDIS_URL) is set, shared by every instance; otherwise each process's
# own memory (development). Sessions, rate limits and login attempts are in the database either
# way. DJANGO_PAGE_CACHE_SECONDS > 0 caches anonymous donor-facing pages (projects.middleware).
CACHE_URL = os.environ.get("CACHE_URL") or os.environ.get("REDIS_URL", "")
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": CACHE_URL,
        "KEY_PREFIX": "portal",
        "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
    }
    if CACHE_URL
    else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
}
PAGE_CACHE_SECONDS = int(os.environ.get("DJANGO_PAGE_CACHE_SECONDS", "0"))
# The list's facet counts and totals per filter combination, under the data version (so a
# change shows at once); 0 turns the facet cache off.
FACET_CACHE_SECONDS = int(os.environ.get("DJANGO_FACET_CACHE_SECONDS", "86400"))
# The overview's figures (totals, map, chart, largest gaps) rendered once per data version and
# language (projects/overview.py); 0 renders them on every request.
OVERVIEW_CACHE_SECONDS = int(os.environ.get("DJANGO_OVERVIEW_CACHE_SECONDS", "86400"))
PROJECT_CACHE_SECONDS = int(os.environ.get("DJANGO_PROJECT_CACHE_SECONDS", "86400"))

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Admin login brute force: after 5 failures from one address, whatever usernames it tries, that
# address is locked out for 1 hour (and so is each username+address pair that failed 5 times).
# Attempts are kept in the database, so the limit holds across every server instance.
AXES_FAILURE_LIMIT = int(os.environ.get("DJANGO_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = 1
AXES_LOCKOUT_PARAMETERS = ["ip_address", ["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# How many reverse proxies (load balancer, …) stand before the portal and add X-Forwarded-For.
PROXY_COUNT = int(os.environ.get("DJANGO_PROXY_COUNT", "0"))
AXES_CLIENT_IP_CALLABLE = "donors.interest.client_address"
AXES_USERNAME_CALLABLE = "donors.interest.login_name"

# The only login is the admin's: after it, or when `next=` points elsewhere, go to its index.
LOGIN_REDIRECT_URL = "admin:index"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en"
# English, French and Spanish: donor pages at /, /fr/ and /es/; catalogues in locale/.
LANGUAGES = [("en", "English"), ("fr", "Français"), ("es", "Español")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Vienna"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("DJANGO_STATIC_ROOT", BASE_DIR / "staticfiles"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

# No inline scripts or styles anywhere: everything comes from our own static files.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", not DEBUG)
SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_HSTS_SECONDS", "0" if DEBUG else "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# Load balancers probe over plain HTTP inside the network.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

EMAIL_BACKEND_NAME = os.environ.get(
    "DJANGO_EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
SMTP_OPTIONS = {
    "host": os.environ.get("DJANGO_EMAIL_HOST", "localhost"),
    "port": int(os.environ.get("DJANGO_EMAIL_PORT", "25")),
    "username": os.environ.get("DJANGO_EMAIL_USER", ""),
    "password": os.environ.get("DJANGO_EMAIL_PASSWORD", ""),
    "use_tls": env_bool("DJANGO_EMAIL_USE_TLS", False),
    "timeout": 10,
}
MAILERS = {
    "default": {
        "BACKEND": EMAIL_BACKEND_NAME,
        "OPTIONS": SMTP_OPTIONS if EMAIL_BACKEND_NAME.endswith("smtp.EmailBackend") else {},
    }
}
DEFAULT_FROM_EMAIL = os.environ.get("DJANGO_DEFAULT_FROM_EMAIL", "partnerships@unodc.org")
PORTAL_BASE_URL = os.environ.get("DJANGO_PORTAL_URL", "http://127.0.0.1:8000")
# UNODC's IATI organisation identifier: the OECD DAC channel code 41128 under the XM-DAC agency.
IATI_ORGANISATION_ID = os.environ.get("DJANGO_IATI_ORGANISATION_ID", "XM-DAC-41128")
IATI_ORGANISATION_NAME = "United Nations Office on Drugs and Crime"
CO_FINANCING_EMAIL = os.environ.get("DJANGO_CO_FINANCING_EMAIL", "cps@unodc.org")
INTEREST_RATE_LIMIT = int(os.environ.get("DJANGO_INTEREST_RATE_LIMIT", "5"))
INTEREST_RATE_WINDOW_SECONDS = 3600
# Confirmation pages an hour from one address (their addresses carry a random token anyway).
CONFIRMATION_RATE_LIMIT = int(os.environ.get("DJANGO_CONFIRMATION_RATE_LIMIT", "60"))

INGEST_UPLOAD_MAX_BYTES = int(os.environ.get("DJANGO_INGEST_UPLOAD_MAX_BYTES", 20 * 1024 * 1024))
INGEST_UPLOAD_MAX_PAGES = int(os.environ.get("DJANGO_INGEST_UPLOAD_MAX_PAGES", "300"))
DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024

# Slow or fallible work (e-mail, ingest) runs on a task worker, never in a request: Django's task
# framework with the database-backed backend of django-tasks-db, in every environment. Tasks are
# rows in the database, so any web instance can enqueue and any worker can run them:
# `manage.py db_worker --queue-name '*'` (`make run` and `make serve` start one; `make worker`).
TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend",
        "QUEUES": ["default", "ingest"],
    }
}
# Interest e-mail that fails for a passing reason (server down or slow) is tried again after
# these many seconds; a refused address fails at once. The last delay ends the retries.
INTEREST_MAIL_RETRY_DELAYS = [
    int(seconds) for seconds in env_list("DJANGO_MAIL_RETRY_DELAYS", "60,300,1800,7200")
]
# The ingest parses an uploaded file in a child process with these limits, so a file too complex
# to read (e.g. a page that expands to millions of drawing operators) is refused, not obeyed.
INGEST_PARSE_CPU_SECONDS = int(os.environ.get("DJANGO_INGEST_PARSE_CPU_SECONDS", "120"))
INGEST_PARSE_MEMORY_BYTES = int(
    os.environ.get("DJANGO_INGEST_PARSE_MEMORY_BYTES", str(1024 * 1024 * 1024))
)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "WARNING")},
}
