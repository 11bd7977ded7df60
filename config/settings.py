"""Jumelage settings, read from the environment; SQLite and debug mode when nothing is set.

Production (DEBUG=false) refuses to start on an unsafe default: see `_refuse_unsafe_production`.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEV_SECRET_KEY = "insecure-development-key-do-not-use-in-production"

DEBUG = env_bool("DEBUG", True)
SECRET_KEY = os.environ.get("SECRET_KEY", DEV_SECRET_KEY)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "django.contrib.syndication",
    "django_countries",
    "django_htmx",
    "axes",
    "csp",
    # Background tasks (see TASKS below): the API, its database queue, its Redis queue.
    "django_tasks",
    "django_tasks_db",
    "django_rq",
    "django_tasks_rq",
    "jumelage.core",
    "jumelage.accounts",
    "jumelage.audit",
    "jumelage.tenancy",
    "jumelage.register",
    "jumelage.partners",
    "jumelage.agreements",
    "jumelage.projects",
    "jumelage.actors",
    "jumelage.visits",
    "jumelage.networks",
    "jumelage.content",
    "jumelage.demo",
    "jumelage.reporting",
    "jumelage.public",
    "jumelage.api",
    "jumelage.workspace",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Static files, straight from the WSGI process, before any other work (whitenoise's rule).
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Compresses the answers that hold no secret (jumelage.core.middleware: BREACH).
    "jumelage.core.middleware.SafeGZipMiddleware",
    # Near the top, so that every answer gets them, the lockout page's included.
    "csp.middleware.CSPMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Turns a sign-in refused by axes into the lockout page (after the views, as axes asks).
    "axes.middleware.AxesMiddleware",
    # Last, so that it sees the views' exceptions first: an id too large for the database is a
    # 404, not a server error.
    "jumelage.core.middleware.OversizedIdMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'var' / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    # SQLite lets one connection write at a time. A writer waits for the lock up to
    # SQLITE_BUSY_TIMEOUT seconds instead of failing at once with "database is locked". And
    # every transaction takes the write lock as it begins (BEGIN IMMEDIATE, Django 5.1+): a
    # transaction that has already read when it comes to write is not allowed to wait for
    # the lock (SQLite answers "busy" at once, to avoid a deadlock:
    # https://www.sqlite.org/c3ref/busy_handler.html), and every save reads first (its
    # version), so without it a save during a long import failed at once, whatever the timeout.
    try:
        _sqlite_timeout = float(os.environ.get("SQLITE_BUSY_TIMEOUT") or "20")
    except ValueError:
        raise ImproperlyConfigured(
            "SQLITE_BUSY_TIMEOUT must be a number of seconds, for example 20."
        ) from None
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"timeout": _sqlite_timeout, "transaction_mode": "IMMEDIATE"}
    )
    DATABASES["default"]["CONN_MAX_AGE"] = 0

# A cache shared by every server process: public pages are cached and expired on each write
# (jumelage.core.cache). Redis when REDIS_URL is set, else files under var/cache; both are
# Django's backends without a cost per read (jumelage/core/cache_backends.py).
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "jumelage.core.cache_backends.Redis",
            "LOCATION": REDIS_URL,
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "jumelage.core.cache_backends.Files",
            "LOCATION": os.environ.get("CACHE_DIR", str(BASE_DIR / "var" / "cache")),
        }
    }

# Each process also keeps a copy of the members' public pages it served last, checked against
# the shared cache's generations on every hit (jumelage/public/pages.py): at most this many
# megabytes per process; 0 keeps none.
PUBLIC_PAGES_IN_MEMORY = int(float(os.environ.get("PUBLIC_PAGES_IN_MEMORY_MB", "32")) * 2**20)

# Background tasks (Django's tasks API, the django-tasks backport): spreadsheet jobs, IATI
# imports, e-mails. TASKS_BACKEND chooses the queue:
# - "database" (the default): rows of the database, run by `manage.py worker` (django-tasks-db's
#   db_worker); needs nothing more, on SQLite or PostgreSQL;
# - "rq": a Redis list (RQ), run by `manage.py worker` (django-rq's rqworker), for several hosts;
#   needs REDIS_URL (or TASKS_REDIS_URL for a Redis of its own);
# - "immediate": no queue, each task runs at once in the process that asks (tests, a shell).
TASKS_BACKEND = os.environ.get("TASKS_BACKEND", "database").strip().lower() or "database"
TASKS_REDIS_URL = os.environ.get("TASKS_REDIS_URL", "") or REDIS_URL
# A running job whose worker has given no sign of life (a heartbeat, every 5 seconds) for this
# many seconds was abandoned (its worker died on another host, or hangs): it is run again
# (jumelage.core.tasks). On the worker's own host a dead process is noticed at once.
TASKS_STALE_AFTER = float(os.environ.get("TASKS_STALE_AFTER", "60"))
# The longest a task may run before the RQ worker stops it (RQ's default is 3 minutes, too
# short for a national IATI file). The database worker has no such limit.
TASKS_TIMEOUT = int(os.environ.get("TASKS_TIMEOUT", str(4 * 3600)))
_TASK_BACKENDS = {
    "database": "django_tasks_db.DatabaseBackend",
    "rq": "django_tasks_rq.RQBackend",
    "immediate": "django_tasks.backends.immediate.ImmediateBackend",
}
if TASKS_BACKEND not in _TASK_BACKENDS:
    raise ImproperlyConfigured(
        f"TASKS_BACKEND must be one of {', '.join(_TASK_BACKENDS)}, not {TASKS_BACKEND!r}."
    )
if TASKS_BACKEND == "rq" and not TASKS_REDIS_URL:
    raise ImproperlyConfigured(
        "TASKS_BACKEND=rq needs a Redis server: set REDIS_URL (or TASKS_REDIS_URL), for example "
        "redis://127.0.0.1:6379/0."
    )
TASKS = {"default": {"BACKEND": _TASK_BACKENDS[TASKS_BACKEND], "QUEUES": ["default"]}}
# django-rq's queue (read only with TASKS_BACKEND=rq).
RQ_QUEUES = {
    "default": {
        "URL": TASKS_REDIS_URL or "redis://127.0.0.1:6379/0",
        "DEFAULT_TIMEOUT": TASKS_TIMEOUT,
    }
}
# Tasks are handed to the queue once the transaction that asked for them commits, so that the
# worker finds the rows they read. The tests set it to False (and TASKS to "immediate"): their
# transactions never commit, and the tasks run at once.
TASKS_ENQUEUE_ON_COMMIT = True

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "admin:login"
# Where a member of an authority lands after signing in without asking for a page: the
# workspace. Instance superusers keep the back office (accounts.views.login).
LOGIN_REDIRECT_URL = "workspace:start"

# Behind a reverse proxy that appends the client's address to X-Forwarded-For (nginx's
# $proxy_add_x_forwarded_for): the sign-in lockout and the reset limits count by that address.
BEHIND_PROXY = env_bool("BEHIND_PROXY", False)

# Sign-in throttling (django-axes): after SIGN_IN_FAILURE_LIMIT failed sign-ins for one user
# name, or from one address, signing in is refused, even with the right password, until
# SIGN_IN_COOLOFF_MINUTES have passed without a new attempt. 60 keeps a guessing attacker to a
# few thousand tries a day while a mistyping user is never stopped (NIST SP 800-63B, 5.2.2: at
# most 100 consecutive failures); the lockout also makes it easy to lock someone out, hence
# the cool-off rather than a permanent lock. Operators unlock with `manage.py axes_reset_username`.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = int(os.environ.get("SIGN_IN_FAILURE_LIMIT", "60"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("SIGN_IN_COOLOFF_MINUTES", "30")))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_CLIENT_IP_CALLABLE = "jumelage.accounts.throttling.client_ip"
AXES_LOCKOUT_CALLABLE = "jumelage.accounts.views.locked_out"
# A success does not wipe the failures: it would also wipe those of its address, so one valid
# account would let an attacker guess the others' passwords without limit.
AXES_RESET_ON_SUCCESS = False
# Only failed attempts are kept (they expire with the cool-off), not a log of every sign-in's
# address and browser (GDPR art. 5(1)(c), data minimisation); no admin page for them either:
# they belong to no authority. Operators use axes' commands.
AXES_DISABLE_ACCESS_LOG = True
AXES_ENABLE_ADMIN = False

# Content-Security-Policy (django-csp) on every answer: scripts, styles, images and requests
# from this site only, nothing inline (the templates use static files; no nonce, as public
# pages are cached whole), no plugin, forms posted here only, no <base href>. No page may be
# framed ('none', like X-Frame-Options: DENY) but the embeddable blocks, which a city's site
# frames: they allow EMBED_FRAME_ANCESTORS, "*" (any site) unless the operator lists sites
# ("https://www.ville.fr,https://ville.fr"). See docs/operators.md.
EMBED_FRAME_ANCESTORS = env_list("EMBED_FRAME_ANCESTORS", "*")
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [NONE],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF],
        "connect-src": [SELF],  # htmx's progress requests
        "form-action": [SELF],
        "base-uri": [NONE],
        "frame-ancestors": [NONE],
    }
}
# Permissions-Policy (django-permissions-policy): no page, nor any frame in it, may use these.
# Only features browsers know: an unknown one is reported as an error in every page's console.
PERMISSIONS_POLICY: dict[str, list[str]] = {
    feature: []
    for feature in (
        "accelerometer",
        "autoplay",
        "browsing-topics",
        "camera",
        "display-capture",
        "encrypted-media",
        "geolocation",
        "gyroscope",
        "hid",
        "idle-detection",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "publickey-credentials-get",
        "screen-wake-lock",
        "serial",
        "usb",
        "xr-spatial-tracking",
    )
}

# Password reset requests (django-ratelimit, in the shared cache), "count/period" with a period
# of s, m, h or d: per e-mail address asked about (known or not, so the limit tells nothing),
# and per client address.
PASSWORD_RESET_RATE_PER_EMAIL = os.environ.get("PASSWORD_RESET_RATE_PER_EMAIL", "5/h")
PASSWORD_RESET_RATE_PER_CLIENT = os.environ.get("PASSWORD_RESET_RATE_PER_CLIENT", "20/h")

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# French first, English too.
LANGUAGE_CODE = os.environ.get("LANGUAGE_CODE", "fr")
LANGUAGES = [("fr", _("French")), ("en", _("English"))]
# Languages that content fields (titles, descriptions) can carry, beyond the interface's:
# partners read them in their own language (Serbian, Haitian Creole, German...).
CONTENT_LANGUAGES = [
    ("fr", _("French")),
    ("en", _("English")),
    ("de", _("German")),
    ("es", _("Spanish")),
    ("he", _("Hebrew")),
    ("ht", _("Haitian Creole")),
    ("sr", _("Serbian")),
    ("it", _("Italian")),
    ("pt", _("Portuguese")),
    ("ar", _("Arabic")),
    ("zh", _("Chinese")),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = os.environ.get("TIME_ZONE", "Europe/Paris")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "var" / "media"))

# Spreadsheet imports: largest file, most rows; uploads and exports are kept outside MEDIA_ROOT.
SPREADSHEET_IMPORT_MAX_BYTES = int(
    os.environ.get("SPREADSHEET_IMPORT_MAX_BYTES", str(10 * 1024 * 1024))
)
SPREADSHEET_IMPORT_MAX_ROWS = int(os.environ.get("SPREADSHEET_IMPORT_MAX_ROWS", "10000"))
SPREADSHEET_WORK_DIR = Path(
    os.environ.get("SPREADSHEET_WORK_DIR", BASE_DIR / "var" / "spreadsheets")
)

# Where files live. Every process that needs a file reads it through these storages, never from
# its own disk: on several hosts, point MEDIA_ROOT and SPREADSHEET_WORK_DIR at a shared volume
# (NFS...), or replace "default" and "jobs" with an S3-compatible storage in a settings module
# of your own (docs/operators.md, "Several hosts").
# - "default": uploaded documents, served only through the documents view;
# - "jobs": the files of background jobs (uploaded spreadsheets and IATI files, exports), kept
#   7 days, downloaded by their owner only;
# - "staticfiles": in production, whitenoise's manifest storage: hashed names (cached for a
#   year) and gzip/brotli copies made by collectstatic. In debug mode, the plain storage, so
#   that nothing needs collectstatic.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},  # MEDIA_ROOT
    "jobs": {"BACKEND": "jumelage.core.storage.JobFileStorage"},  # SPREADSHEET_WORK_DIR
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

# whitenoise: in debug mode (and the tests) it serves the apps' static files as they are, read
# anew on each request; in production the collected files of STATIC_ROOT, read once at start.
WHITENOISE_USE_FINDERS = DEBUG
WHITENOISE_AUTOREFRESH = DEBUG

# Money: totals are converted into this currency at the value date.
REPORTING_CURRENCY = os.environ.get("REPORTING_CURRENCY", "EUR")

# Above this amount a subsidy needs a convention (circular of 24 May 2018).
SUBSIDY_CONVENTION_THRESHOLD = os.environ.get("SUBSIDY_CONVENTION_THRESHOLD", "23000")

# The yearly ODA declaration (e-APD, CGCT L1115-6): the days the Ministry's window opens and
# closes, as "MM-DD"; it sets them anew each year.
ODA_DECLARATION_WINDOW = tuple(env_list("ODA_DECLARATION_WINDOW", "04-15,05-31"))

# Largest uploaded document; set the web server's upload limit to match.
DOCUMENT_MAX_BYTES = int(os.environ.get("DOCUMENT_MAX_BYTES", str(20 * 1024 * 1024)))

# Demo accounts' password (`manage.py load_demo`).
DEMO_PASSWORD = os.environ.get("JUMELAGE_DEMO_PASSWORD", "demo")

# E-mail: the password-reset links. In debug mode the messages are printed on the console.
EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = 10
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "jumelage@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
PASSWORD_RESET_TIMEOUT = 60 * 60 * 24  # a reset link is valid for one day
# The site's address, for links made outside a request (`manage.py invite_authority`).
SITE_URL = os.environ.get("SITE_URL", "http://localhost:8000")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

if not DEBUG:
    SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", True)
    CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", True)
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
    # Joining the browsers' HSTS preload list binds the whole domain for years: the operator
    # opts in with SECURE_HSTS_PRELOAD=true, so its absence is not a warning here.
    SILENCED_SYSTEM_CHECKS = ["security.W021"]
    SECURE_CONTENT_TYPE_NOSNIFF = True
    # The load balancer's health check may come over plain HTTP to the server's own address.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    if BEHIND_PROXY:
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")


def _refuse_unsafe_production() -> None:
    """Stop a production start (DEBUG off) on a default that is only safe on a laptop."""
    if DEBUG:
        return
    problems = []
    if SECRET_KEY == DEV_SECRET_KEY or len(SECRET_KEY) < 50:
        problems.append("SECRET_KEY must be set to a random value of at least 50 characters")
    if not ALLOWED_HOSTS:
        problems.append("ALLOWED_HOSTS must list the site's host names")
    if DEMO_PASSWORD == "demo" and env_bool("JUMELAGE_DEMO", False):
        problems.append("JUMELAGE_DEMO_PASSWORD must be changed before loading the demo")
    if problems:
        raise ImproperlyConfigured(
            "Refusing to start in production mode (DEBUG=false): " + "; ".join(problems) + "."
        )


_refuse_unsafe_production()
