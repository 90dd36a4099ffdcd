"""Chorus settings, from environment variables only. Every variable is in docs/configuration.md.

The embedded default needs nothing: SQLite (WAL) and the Huey queue in ``var/``, a secret key
generated once and kept there. Set DATABASE_URL and REDIS_URL to scale out.
"""

from __future__ import annotations

import ipaddress
import os
import secrets
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent
VAR_DIR = Path(os.environ.get("CHORUS_VAR_DIR", BASE_DIR.parent / "var")).resolve()
VAR_DIR.mkdir(parents=True, exist_ok=True)


def env_flag(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_flag("CHORUS_DEBUG")
DATABASE_URL = os.environ.get("DATABASE_URL", "")
REDIS_URL = os.environ.get("REDIS_URL", "")
EMBEDDED = not DATABASE_URL


def _secret_key() -> str:
    """From the environment; on the embedded default, generated once and kept in var/."""
    if key := os.environ.get("CHORUS_SECRET_KEY"):
        return key
    if not EMBEDDED and not DEBUG:
        raise RuntimeError("CHORUS_SECRET_KEY must be set when DATABASE_URL is set.")
    path = VAR_DIR / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = _secret_key()
# Keys that encrypt channel credentials at rest, newest first (rotation: prepend a new one).
CHORUS_SECRET_KEYS = env_list("CHORUS_SECRET_KEYS")

ALLOWED_HOSTS = env_list("CHORUS_ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CHORUS_CSRF_TRUSTED_ORIGINS")
CHORUS_BASE_URL = os.environ.get("CHORUS_BASE_URL", "http://127.0.0.1:8000").strip().rstrip("/")


def served_over_https(base_url: str) -> bool:
    return urlsplit(base_url.strip()).scheme.lower() == "https"


# Served over https: every cookie Chorus sets is Secure (a session cookie that also travels over
# plain http can be read on the way), and the proxy's X-Forwarded-Proto is trusted.
SERVED_OVER_HTTPS = served_over_https(CHORUS_BASE_URL)
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = LANGUAGE_COOKIE_SECURE = SERVED_OVER_HTTPS
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if SERVED_OVER_HTTPS else None

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_htmx",
    "huey.contrib.djhuey",
    "ninja",  # its Swagger UI assets and templates: /api/v1/docs works offline, no CDN
    "chorus.core",
    "chorus.accounts",
    "chorus.workspaces",
    "chorus.people",
    "chorus.channels",
    "chorus.publishing",
    "chorus.inbox",
    "chorus.listening",
    "chorus.engagement",
    "chorus.analytics",
    "chorus.today",
    "chorus.api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # One reading of the write stamp per request; writes announced before the answer leaves.
    "chorus.core.writes.RequestStampMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "chorus.accounts.middleware.UserLanguageMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "chorus.accounts.middleware.KeptAuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "chorus.workspaces.middleware.CurrentWorkspaceMiddleware",
]

ROOT_URLCONF = "chorus.urls"
WSGI_APPLICATION = "chorus.wsgi.application"
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        # A network's package keeps its own templates (chorus/channels/networks/<key>/templates).
        "DIRS": [BASE_DIR / "templates", *sorted(BASE_DIR.glob("channels/networks/*/templates"))],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.tz",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "chorus.workspaces.context.workspace_context",
                "chorus.workspaces.context.unread_notifications",
                "chorus.publishing.context.publishing_paused",
                # Last: while a page is made to be kept, its CSRF token is a placeholder.
                "chorus.workspaces.kept.csrf_placeholder",
            ]
        },
    }
]


def _database() -> dict[str, Any]:
    if DATABASE_URL:
        return dict(dj_database_url.parse(DATABASE_URL, conn_max_age=60, conn_health_checks=True))
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": os.environ.get("CHORUS_SQLITE_PATH", str(VAR_DIR / "chorus.sqlite3")),
        # Kept open across requests: opening one (and its PRAGMAs) cost ~1 ms of CPU and ~4 ms
        # of waiting on every page. Each web thread keeps its own.
        "CONN_MAX_AGE": 600,
        # WAL lets the worker write while the web server reads; IMMEDIATE avoids lock upgrades
        # that fail with "database is locked" under concurrent writers.
        "OPTIONS": {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": (
                "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=20000;"
            ),
        },
    }


DATABASES = {"default": _database()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:signin"
LOGIN_REDIRECT_URL = "today"
LOGOUT_REDIRECT_URL = "accounts:signin"

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("fr", _("French"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
FORMAT_MODULE_PATH = ["chorus.formats"]  # our English date formats (day before month)
USE_TZ = True
TIME_ZONE = "UTC"

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
STATICFILES_DIRS = [BASE_DIR / "static"]
WHITENOISE_USE_FINDERS = True  # the embedded default serves static files without collectstatic
# Media are never served from MEDIA_URL: a view checks the workspace first (publishing.media).
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("CHORUS_MEDIA_ROOT", VAR_DIR / "media"))
# Changing it revokes every calendar subscription link at once (a leaked link, a departure).
CHORUS_CALENDAR_FEED_SALT = os.environ.get("CHORUS_CALENDAR_FEED_SALT", "")
CHORUS_MEDIA_MAX_BYTES = int(os.environ.get("CHORUS_MEDIA_MAX_BYTES", str(50 * 1024 * 1024)))
CHORUS_S3_BUCKET = os.environ.get("CHORUS_S3_BUCKET", "")


def _media_storage() -> dict[str, Any]:
    """Local files by default; an S3-compatible bucket (AWS, MinIO, Garage…) when scaled out."""
    if not CHORUS_S3_BUCKET:
        return {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    return {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": CHORUS_S3_BUCKET,
            "endpoint_url": os.environ.get("CHORUS_S3_ENDPOINT_URL") or None,
            "access_key": os.environ.get("CHORUS_S3_ACCESS_KEY_ID") or None,
            "secret_key": os.environ.get("CHORUS_S3_SECRET_ACCESS_KEY") or None,
            "region_name": os.environ.get("CHORUS_S3_REGION") or None,
            "default_acl": "private",  # files are private: Chorus streams them to members only
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }


STORAGES = {
    "default": _media_storage(),
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# E-mail: printed on the console unless an SMTP server is configured.
EMAIL_HOST = os.environ.get("CHORUS_EMAIL_HOST", "")
EMAIL_PORT = int(os.environ.get("CHORUS_EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("CHORUS_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("CHORUS_EMAIL_PASSWORD", "")
EMAIL_USE_TLS = env_flag("CHORUS_EMAIL_TLS")
DEFAULT_FROM_EMAIL = os.environ.get("CHORUS_EMAIL_FROM", "Chorus <chorus@localhost>")
EMAIL_BACKEND = (
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend"
)

# Background work: Huey on SQLite by default, on Redis when REDIS_URL is set.
_CONSUMER = {
    "workers": int(os.environ.get("CHORUS_WORKER_THREADS", "4" if REDIS_URL else "2")),
    "worker_type": "thread",  # the work is waiting on networks: threads, not processes
    # An idle worker looks at the queue again after 0.1 s, then 15 % later each time, at most
    # this often: a post handed over must not wait long for a sleeping worker.
    "initial_delay": 0.1,
    "backoff": 1.15,
    "max_delay": float(os.environ.get("CHORUS_WORKER_POLL_MAX_SECONDS", "1.0")),
}
if REDIS_URL:
    HUEY = {
        "huey_class": "huey.RedisHuey",
        "name": "chorus",
        "url": REDIS_URL,
        "immediate": False,
        "consumer": _CONSUMER,
    }
else:
    HUEY = {
        "huey_class": "huey.SqliteHuey",
        "name": "chorus",
        "filename": str(VAR_DIR / "queue.sqlite3"),
        "immediate": False,
        "consumer": _CONSUMER,
    }
CHORUS_WORKER_STALE_SECONDS = 90  # /healthz reports the worker down after this long silent
# A `chorus worker` beats twice a second; silent this long, the others hand back what it held.
CHORUS_WORKER_SILENT_SECONDS = float(os.environ.get("CHORUS_WORKER_SILENT_SECONDS", "2"))

# Publishing (chorus/publishing/dispatcher.py, sweeper.py): see docs/configuration.md.
CHORUS_PUBLISH_PER_CHANNEL = int(os.environ.get("CHORUS_PUBLISH_PER_CHANNEL", "2"))
CHORUS_PUBLISH_LEASE_SECONDS = int(os.environ.get("CHORUS_PUBLISH_LEASE_SECONDS", "120"))
CHORUS_PUBLISH_TIMEOUT_SECONDS = (
    float(os.environ.get("CHORUS_PUBLISH_TIMEOUT_SECONDS", "0")) or None
)
CHORUS_PUBLISH_BATCH_SIZE = int(os.environ.get("CHORUS_PUBLISH_BATCH_SIZE", "10"))
CHORUS_PUBLISH_WINDOW_SECONDS = float(os.environ.get("CHORUS_PUBLISH_WINDOW_SECONDS", "1.0"))
CHORUS_PUBLISH_LEAD_SECONDS = float(os.environ.get("CHORUS_PUBLISH_LEAD_SECONDS", "2.0"))

# Outgoing HTTP to anything but loopback is refused when this is on (tests turn it on).
CHORUS_BLOCK_EXTERNAL_HTTP = env_flag("CHORUS_BLOCK_EXTERNAL_HTTP")

# drand relays the verifiable draw fetches its rounds from (the League of Entropy's and mirrors).
CHORUS_DRAND_URLS = env_list(
    "CHORUS_DRAND_URLS",
    "https://api.drand.sh,https://api2.drand.sh,https://api3.drand.sh,https://drand.cloudflare.com",
)


def _private_networks() -> list[str]:
    """Chorus refuses to call private addresses (someone who may connect a channel could otherwise
    probe the operator's network); a homeserver on the LAN is normal, so the operator lists it."""
    listed = env_list("CHORUS_ALLOW_PRIVATE_NETWORKS")
    for item in listed:
        try:
            ipaddress.ip_network(item, strict=False)
        except ValueError:
            raise ImproperlyConfigured(
                f"CHORUS_ALLOW_PRIVATE_NETWORKS: {item!r} is neither an address nor a network, "
                "e.g. 192.168.1.20 or 10.0.0.0/8"
            ) from None
    return listed


CHORUS_ALLOW_PRIVATE_NETWORKS = _private_networks()

# Sign-in rate limit: failed attempts per account, and per client address, within the window.
CHORUS_SIGNIN_MAX_ATTEMPTS = int(os.environ.get("CHORUS_SIGNIN_MAX_ATTEMPTS", "5"))
CHORUS_SIGNIN_MAX_ATTEMPTS_PER_ADDRESS = int(
    os.environ.get("CHORUS_SIGNIN_MAX_ATTEMPTS_PER_ADDRESS", "30")
)
CHORUS_SIGNIN_WINDOW_SECONDS = int(os.environ.get("CHORUS_SIGNIN_WINDOW_SECONDS", "900"))

CACHES = (
    {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
    if REDIS_URL
    else {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "chorus_cache",
        }
    }
)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # Log lines go through redaction: an exception may quote a URL with a token in it.
    "formatters": {"redacted": {"()": "chorus.core.redact.RedactingFormatter"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "redacted"}},
    "root": {"handlers": ["console"], "level": os.environ.get("CHORUS_LOG_LEVEL", "INFO")},
    "loggers": {
        "httpx": {"level": "WARNING"},
        "huey": {"level": "INFO"},
        "weasyprint": {"level": "WARNING"},
    },
}

SESSION_COOKIE_HTTPONLY = True
# Database sessions, each read once per write stamp in a process (chorus/accounts/sessions.py).
SESSION_ENGINE = "chorus.accounts.sessions"
X_FRAME_OPTIONS = "DENY"
CSRF_FAILURE_VIEW = "chorus.core.error_pages.csrf_failure"
# Open pages (inbox list, counters, a post being published) ask for changes this often.
# Busy pages (inbox, Today, calendar) are kept per process while nothing is written
# (chorus/workspaces/kept.py); 0 makes every page afresh (to compare, or to rule it out).
CHORUS_KEEP_PAGES = os.environ.get("CHORUS_KEEP_PAGES", "1") != "0"
CHORUS_LIVE_UPDATE_SECONDS = int(os.environ.get("CHORUS_LIVE_UPDATE_SECONDS", "20"))
# Our pages run no inline script and no inline style: all of it is in static files, so a comment
# or a name from a network that slipped past escaping still cannot run. Form actions are not
# restricted: connecting a channel redirects a form to the network's own sign-in page.
CONTENT_SECURITY_POLICY = {
    # django-ninja's API explorer loads Swagger UI from a CDN with an inline script.
    "EXCLUDE_URL_PREFIXES": ["/api/v1/docs"],
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}
SECURE_CONTENT_TYPE_NOSNIFF = True

# Listening sources that need the operator's own keys; each is offered only when configured.
# Reddit closed self-service API access in November 2025: an approved OAuth client is needed.
CHORUS_REDDIT_CLIENT_ID = os.environ.get("CHORUS_REDDIT_CLIENT_ID", "")
CHORUS_REDDIT_CLIENT_SECRET = os.environ.get("CHORUS_REDDIT_CLIENT_SECRET", "")
CHORUS_REDDIT_USER_AGENT = os.environ.get("CHORUS_REDDIT_USER_AGENT", "")
CHORUS_YOUTUBE_API_KEY = os.environ.get("CHORUS_YOUTUBE_API_KEY", "")
# Units a YouTube source may spend per day (the API's default project quota is 10,000).
CHORUS_YOUTUBE_DAILY_UNITS = int(os.environ.get("CHORUS_YOUTUBE_DAILY_UNITS", "10000"))

# Meta (Facebook Pages, Instagram, Threads): each operator brings their own Meta app
# (docs/networks/facebook.md walks through creating it). The networks are offered only when set.
CHORUS_META_APP_ID = os.environ.get("CHORUS_META_APP_ID", "")
CHORUS_META_APP_SECRET = os.environ.get("CHORUS_META_APP_SECRET", "")
# The token Meta echoes in the webhook verification GET (any long random string you choose).
CHORUS_META_WEBHOOK_VERIFY_TOKEN = os.environ.get("CHORUS_META_WEBHOOK_VERIFY_TOKEN", "")
CHORUS_META_GRAPH_URL = os.environ.get("CHORUS_META_GRAPH_URL", "https://graph.facebook.com")
CHORUS_META_GRAPH_VERSION = os.environ.get("CHORUS_META_GRAPH_VERSION", "v24.0")
# Where Facebook Login sends the person to approve Chorus (its ``/<version>/dialog/oauth``).
CHORUS_META_LOGIN_URL = os.environ.get("CHORUS_META_LOGIN_URL", "https://www.facebook.com")
# Threads has its own app id and secret (a "Threads use case" of the same Meta app).
CHORUS_THREADS_APP_ID = os.environ.get("CHORUS_THREADS_APP_ID", "")
CHORUS_THREADS_APP_SECRET = os.environ.get("CHORUS_THREADS_APP_SECRET", "")
CHORUS_THREADS_GRAPH_URL = os.environ.get("CHORUS_THREADS_GRAPH_URL", "https://graph.threads.net")
# Where a person approves Chorus on Threads (a loopback server plays it in tests).
CHORUS_THREADS_AUTHORIZE_URL = os.environ.get(
    "CHORUS_THREADS_AUTHORIZE_URL", "https://threads.net/oauth/authorize"
)
