"""Settings for usip_cms, read from environment variables.

Every variable has a development default, so a fresh checkout runs with no
configuration. Production sets DEBUG=0 and must then provide SECRET_KEY.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("VAR_DIR", BASE_DIR / "var"))


def env_bool(name, default):
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default):
    value = os.environ.get(name)
    if not value:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


def served_at(host, port):
    """The address of a server listening on host:port, as a browser here reaches it."""
    host = host or "127.0.0.1"
    # Listening on every interface: this machine is reached at its loopback.
    if host in {"0.0.0.0", "::"}:  # noqa: S104 -- an address read, nothing bound
        host = "127.0.0.1"
    if ":" in host:
        host = f"[{host}]"
    return f"http://{host}:{port or 8000}"


DEBUG = env_bool("DEBUG", True)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. With DEBUG off the site refuses to start "
            "without a secret key: set the SECRET_KEY environment variable "
            "to a long random string."
        )
    # Development only: a fixed key so sessions survive restarts.
    SECRET_KEY = "django-insecure-development-key-do-not-use-in-production"  # noqa: S105

ALLOWED_HOSTS = env_list(
    "ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]", "testserver"] if DEBUG else []
)
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "usip_cms.admin.CMSAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.humanize",
    "taggit",
    "django_prose_editor",
    # Sign-in: throttling (axes) and two-factor codes (django-otp).
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    # The JSON API's framework; listed so its docs use its own static files, no CDN.
    "ninja",
    "usip_cms",
    "publications",
    "articles",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Static files are answered here, before anything below runs.
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # The JSON API: any origin may read it; preflights answered before the
    # read-only rule below, CORS headers kept on 304s (publications/api.py).
    "publications.api.CorsMiddleware",
    # Both refuse a request before the CSRF check reads its body
    # (usip_cms/http.py): public pages take GET and HEAD only, and a request
    # over the size limits gets a 413 page that says them.
    "usip_cms.http.ReadOnlyPublicMiddleware",
    "usip_cms.http.RequestSizeMiddleware",
    # Public pages, feeds and sitemaps in Brotli or gzip (usip_cms/compression.py);
    # above the conditional GET, so a 304 is never compressed.
    "usip_cms.compression.CompressionMiddleware",
    # Above the page cache, so a cached page also answers If-None-Match with 304.
    "django.middleware.http.ConditionalGetMiddleware",
    # Above sessions and auth: a cached page is sent without touching the database.
    "usip_cms.caching.PageCacheMiddleware",
    # Below the page cache, so a page it stores keeps the front cache's marks.
    "usip_cms.frontcache.FrontCacheMiddleware",
    # Below both caches, so an old address's 301 is stored and marked like a page.
    "articles.redirects.RedirectMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # request.user.is_verified(): signed in with a second factor this session.
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    # Turns a sign-in refused for too many failures into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "usip_cms.urls"

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
                "django.template.context_processors.csp",
                "usip_cms.site.site",
            ],
        },
    },
]

WSGI_APPLICATION = "usip_cms.wsgi.application"

if not os.environ.get("DATABASE_URL"):
    # The default SQLite file lives in var/, which a fresh clone lacks.
    VAR_DIR.mkdir(parents=True, exist_ok=True)

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'db.sqlite3'}",
        # Production keeps each worker's connection open between requests;
        # runserver starts a thread per request, so it would only leak them.
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "0" if DEBUG else "600")),
        # A kept connection that the database dropped is replaced, not used.
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"].endswith("postgresql"):
    # A database that takes the connection and never answers (hung, paused,
    # its host gone) costs a worker this many seconds, then a 503, rather
    # than the whole request timeout: libpq's default is to wait for ever.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault(
        "connect_timeout", int(os.environ.get("DATABASE_CONNECT_TIMEOUT", 3))
    )
    # The planner's price of reading a row by index, against reading the
    # table in order. PostgreSQL's default (4) is for spinning disks; a
    # database in memory or on SSD is near 1. At 4 a search narrowed by a
    # topic and a region (articles.search) scans the whole articles table
    # rather than look up its few thousand matches: 40 ms against 12 at
    # 100,000 articles.
    # Added to any options DATABASE_URL gives. PgBouncer refuses startup
    # options unless told to ignore them: behind it, set the value on the
    # database instead (ALTER DATABASE … SET random_page_cost = 1.1).
    page_cost = float(os.environ.get("DATABASE_RANDOM_PAGE_COST", 1.1))
    options = DATABASES["default"]["OPTIONS"]
    options["options"] = f"{options.get('options', '')} -c random_page_cost={page_cost}".strip()

# One cache shared by every app server (REDIS_URL), or one per process.
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "usip_cms.caching.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "usip"),
            # A slow or unreachable Redis costs a request half a second at most;
            # the page is then served uncached (usip_cms.caching).
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Whole public pages cached for anonymous readers (usip_cms/caching.py).
# On by default only with the shared cache: a per-process cache would not see
# another worker's invalidations.
PAGE_CACHE = env_bool("PAGE_CACHE", bool(REDIS_URL))
# Parts of pages kept between pages (cards, filter menus, the article page's
# own parts: usip_cms/fragments.py), by the same rule: a worker that kept one
# in its own memory would not see another worker's invalidations.
FRAGMENT_CACHE = env_bool("FRAGMENT_CACHE", bool(REDIS_URL))
# The longest a cached page is kept; an entry also ends when the next
# scheduled article is due.
PAGE_CACHE_SECONDS = int(os.environ.get("PAGE_CACHE_SECONDS", 600))

# Varnish (deploy/varnish.vcl) or a CDN with surrogate keys in front of the app:
# the purge address of each, e.g. http://127.0.0.1:6081/ (usip_cms/frontcache.py).
FRONT_CACHE_URLS = env_list("FRONT_CACHE_URLS", [])
if any(not url.startswith(("http://", "https://")) for url in FRONT_CACHE_URLS):
    raise ImproperlyConfigured("FRONT_CACHE_URLS takes http:// or https:// addresses only.")

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-us"
# The languages the public templates' interface strings are translated into
# (locale/, `make messages`). No LocaleMiddleware: the public pages are in
# LANGUAGE_CODE, the article page in the article's own language
# (articles.views), and the admin in English whatever the browser asks for.
LANGUAGES = [
    ("en", "English"),
    ("fr", "Français"),
    ("ar", "العربية"),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = os.environ.get("TIME_ZONE", "America/New_York")
USE_I18N = True
# Datetimes Django formats itself name the zone (usip_cms/formats/en/formats.py).
FORMAT_MODULE_PATH = "usip_cms.formats"
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", VAR_DIR / "static"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Production serves hashed, compressed copies made by collectstatic, cached
    # forever by browsers; development and tests need no collectstatic.
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
if os.environ.get("AWS_STORAGE_BUCKET_NAME"):
    # Photos and renditions in S3 or an S3-compatible store (MinIO, R2, …),
    # through django-storages; every file operation goes through the storage.
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": os.environ["AWS_STORAGE_BUCKET_NAME"],
            "endpoint_url": os.environ.get("AWS_S3_ENDPOINT_URL") or None,
            "region_name": os.environ.get("AWS_S3_REGION_NAME") or None,
            "custom_domain": os.environ.get("AWS_S3_CUSTOM_DOMAIN") or None,
            # Photos are public: plain, cacheable URLs rather than signed ones.
            "querystring_auth": False,
            "file_overwrite": False,
            # Stored names change with the image (articles/images.py): keep a year.
            "object_parameters": {"CacheControl": "public, max-age=31536000, immutable"},
        },
    }

# Decided by the environment's DEBUG, not by the test runner (which turns
# DEBUG off): development and tests serve static files from the apps.
WHITENOISE_AUTOREFRESH = DEBUG
WHITENOISE_USE_FINDERS = DEBUG

MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
# The app serves uploaded photos itself unless a web server or object store
# in front does it (SERVE_MEDIA=0).
SERVE_MEDIA = env_bool("SERVE_MEDIA", not os.environ.get("AWS_STORAGE_BUCKET_NAME"))

# Uploads larger than this are refused by the photo form with a message.
PHOTO_MAX_BYTES = int(os.environ.get("PHOTO_MAX_BYTES", 15 * 1024 * 1024))
# Decoded images with more pixels than this are refused (decompression bombs).
PHOTO_MAX_PIXELS = int(os.environ.get("PHOTO_MAX_PIXELS", 40_000_000))

# Report PDFs (articles.pdfs): larger files, or more pages, are refused with a message.
PDF_MAX_BYTES = int(os.environ.get("PDF_MAX_BYTES", 100 * 1024 * 1024))
PDF_MAX_PAGES = int(os.environ.get("PDF_MAX_PAGES", 2000))

# How large a request may be, from the outside in (usip_cms/http.py):
# - REQUEST_MAX_BYTES: the whole request, files included, judged by its
#   Content-Length before anything is read. Room for the largest upload the
#   site takes (photos, and report PDFs of up to PDF_MAX_BYTES) plus the form
#   around it.
# - DATA_UPLOAD_MAX_MEMORY_SIZE: the form's fields without the files (Django
#   does not count file uploads here), held in memory while parsed.
# - ARTICLE_BODY_MAX_BYTES: an article's HTML, refused by the form with a
#   message that keeps the text, well below the two hard limits.
# A request over either hard limit gets a 413 page that names the limit.
MB = 1024 * 1024
REQUEST_MAX_BYTES = int(os.environ.get("REQUEST_MAX_BYTES", 110 * MB))
DATA_UPLOAD_MAX_MEMORY_SIZE = int(os.environ.get("FORM_MAX_BYTES", 10 * MB))
ARTICLE_BODY_MAX_BYTES = int(os.environ.get("ARTICLE_BODY_MAX_BYTES", 2 * MB))
# Uploads larger than this go to a temporary file rather than a worker's
# memory while the request is parsed (Django's default, kept deliberately).
FILE_UPLOAD_MAX_MEMORY_SIZE = int(2.5 * MB)
if max(PHOTO_MAX_BYTES, PDF_MAX_BYTES) + DATA_UPLOAD_MAX_MEMORY_SIZE > REQUEST_MAX_BYTES:
    raise ImproperlyConfigured(
        "REQUEST_MAX_BYTES is smaller than PHOTO_MAX_BYTES or PDF_MAX_BYTES plus "
        "FORM_MAX_BYTES: a file the upload forms accept would be refused before it arrives."
    )

SITE_NAME = os.environ.get("SITE_NAME", "United States Institute of Peace")
# Where the publisher is, as citations print it (Chicago: “Washington, DC: USIP”).
PUBLISHER_PLACE = os.environ.get("PUBLISHER_PLACE", "Washington, DC")
# Workflow emails (articles/notifications.py) through Django's email framework:
# printed to the console in development, sent by SMTP in production.
MAILERS = {
    "default": {
        "BACKEND": os.environ.get(
            "EMAIL_BACKEND",
            "django.core.mail.backends.console.EmailBackend"
            if DEBUG
            else "django.core.mail.backends.smtp.EmailBackend",
        ),
    }
}
if MAILERS["default"]["BACKEND"].endswith("smtp.EmailBackend"):
    MAILERS["default"]["OPTIONS"] = {
        "host": os.environ.get("EMAIL_HOST", "localhost"),
        "port": int(os.environ.get("EMAIL_PORT", 25)),
        "username": os.environ.get("EMAIL_HOST_USER", ""),
        "password": os.environ.get("EMAIL_HOST_PASSWORD", ""),
        "use_tls": env_bool("EMAIL_USE_TLS", False),
        "use_ssl": env_bool("EMAIL_USE_SSL", False),
        # A slow mail server delays the task that sends, never a save.
        "timeout": int(os.environ.get("EMAIL_TIMEOUT", 10)),
    }
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "USIP CMS <cms@localhost>")
# Django's tasks framework queues the emails once a change commits. The
# immediate backend runs them right after the commit, in the same process;
# TASKS_BACKEND names another (a queue with its own worker) to take them
# off the request altogether.
TASKS = {
    "default": {
        "BACKEND": os.environ.get(
            "TASKS_BACKEND", "django.tasks.backends.immediate.ImmediateBackend"
        )
    }
}

# How long an article moved to the trash can be restored (articles/trash.py).
TRASH_DAYS = int(os.environ.get("TRASH_DAYS", 30))

# Absolute URLs (canonical, feeds, sitemap, robots.txt, the printed admin
# address). A deployment names its public address; otherwise it is where the
# server listens: HOST and PORT, which `make run` and `make serve` pass on, so
# `make run PORT=8104` links to port 8104.
SITE_URL = (
    os.environ.get("SITE_URL") or served_at(os.environ.get("HOST"), os.environ.get("PORT"))
).rstrip("/")

# Taggit lower-cases nothing and keeps tag names as editors typed them.
TAGGIT_CASE_INSENSITIVE = True

SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
}
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
# No page of the site is meant to be framed, not even by the site itself.
X_FRAME_OPTIONS = "DENY"

if not DEBUG:
    SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", True)
    CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", True)
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", 60 * 60 * 24 * 365))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
    if not SECURE_HSTS_PRELOAD:
        # Preloading commits the whole domain and its subdomains to HTTPS in
        # browsers for months and is undone slowly; it is the domain owner's
        # decision (SECURE_HSTS_PRELOAD=1), not a default to nag about.
        SILENCED_SYSTEM_CHECKS = ["security.W021"]
    if env_bool("BEHIND_TLS_PROXY", False):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Sign-in. The admin is the only way in (django-axes and django-otp).
LOGIN_URL = "admin:login"
AUTHENTICATION_BACKENDS = [
    # First: refuses a locked-out account or address before any password check.
    "usip_cms.signin.ThrottledBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Throttling: LOGIN_FAILURE_LIMIT wrong passwords for one account from one
# address, or LOGIN_IP_FAILURE_LIMIT from one address whatever the accounts
# (someone trying many), lock that out for LOGIN_COOLOFF_MINUTES. An account
# alone is never locked, so no one can lock an editor out from elsewhere.
AXES_HANDLER = "usip_cms.signin.LoginAttempts"
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "ip_address"]
AXES_FAILURE_LIMIT = int(os.environ.get("LOGIN_FAILURE_LIMIT", 5))
LOGIN_IP_FAILURE_LIMIT = int(os.environ.get("LOGIN_IP_FAILURE_LIMIT", 20))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("LOGIN_COOLOFF_MINUTES", 15)))
# A right password clears that account's count from that address (only that:
# see LoginAttempts).
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "usip_cms.signin.locked_out"
# Behind the TLS proxy the client is the address the proxy saw, not the proxy.
BEHIND_TLS_PROXY = env_bool("BEHIND_TLS_PROXY", False)
AXES_CLIENT_IP_CALLABLE = "usip_cms.http.client_address"
# Two-factor sign-in: a TOTP app, with one-time recovery codes. With
# REQUIRE_2FA_FOR_PUBLISHERS (on in production) everyone who may publish must
# enrol before reaching the admin; anyone else may enrol.
REQUIRE_2FA_FOR_PUBLISHERS = env_bool("REQUIRE_2FA_FOR_PUBLISHERS", not DEBUG)
OTP_TOTP_ISSUER = SITE_NAME
# The admin's pages for devices never show a user's secret key or QR code.
OTP_ADMIN_HIDE_SENSITIVE_DATA = True
RECOVERY_CODE_COUNT = 10

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}
