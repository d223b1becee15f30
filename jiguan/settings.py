"""Settings, read from the environment.

Defaults suit one office on one machine: SQLite in var/, DEBUG off, plain HTTP on the intranet.
Production sets DATABASE_URL, SECRET_KEY, ALLOWED_HOSTS and JIGUAN_HTTPS (README, "Deploying").
"""

import base64
import os
import secrets
from pathlib import Path

import dj_database_url
import xstatic.pkg.bootstrap
from csp.constants import NONE, SELF, UNSAFE_INLINE

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("JIGUAN_VAR_DIR", BASE_DIR / "var"))


def env(name, default=""):
    return os.environ.get(name, default)


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default=""):
    return [item.strip() for item in env(name, default).split(",") if item.strip()]


def _private_dir(path):
    """var/ holds the database, the keys, uploads and pending imports: its owner's alone."""
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    try:
        path.chmod(0o700)
    except OSError:  # not ours to change: `manage.py check --deploy` warns (jiguan.checks)
        pass


def _local_key(name, make):
    """A key kept in var/ so that a single-office install needs no configuration.

    Written once, atomically (several gunicorn workers start at the same moment, and two data keys
    made by two of them would leave rows only one of them can read)."""
    _private_dir(VAR_DIR)
    path = VAR_DIR / name
    if not path.exists():
        draft = VAR_DIR / f".{name}.{os.getpid()}"
        draft.write_text(make() + "\n")
        draft.chmod(0o600)
        try:
            os.link(draft, path)  # fails if another process wrote the key first: theirs wins
        except FileExistsError:
            pass
        finally:
            draft.unlink()
    return path.read_text().strip()


def _new_data_key():
    return base64.urlsafe_b64encode(secrets.token_bytes(32)).decode("ascii")  # a Fernet key


def _private_file(path):
    """Create the SQLite file readable by its owner only (its journals take the same mode)."""
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o600))
    try:
        path.chmod(0o600)
    except OSError:
        pass


_private_dir(VAR_DIR)
DEBUG = env_bool("DJANGO_DEBUG", False)
SECRET_KEY = env("SECRET_KEY") or _local_key("secret_key", lambda: secrets.token_urlsafe(50))
# Keys encrypting ID and phone numbers at rest (jiguan.crypto): the first encrypts, all decrypt.
# Keep a copy apart from the backups: without it a backup cannot be read (README, "The data key").
DATA_KEYS = env_list("JIGUAN_DATA_KEY") or _local_key("data_key", _new_data_key).split()
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_tables2",
    "django_filters",
    "csp",
    "django_tasks",
    "django_tasks_db",
    "jiguan",
    "organizations",
    "members",
    "activities",
    "reports",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "jiguan.middleware.NoStoreMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "jiguan.middleware.IdleSessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "jiguan.middleware.FirstPasswordMiddleware",
]

ROOT_URLCONF = "reports.root_urls"
WSGI_APPLICATION = "jiguan.wsgi.application"

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
                "reports.navigation.navigation",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'jiguan.sqlite3'}",
        conn_max_age=int(env("DB_CONN_MAX_AGE", "60")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    if str(DATABASES["default"]["NAME"]) not in ("", ":memory:"):
        _private_file(Path(DATABASES["default"]["NAME"]))
    # Writers wait for each other instead of failing at once; one office rarely has two. In WAL mode
    # readers never wait for a writer (nor a writer for readers): pages stay quick while someone saves.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # No JIT compilation: the county's larger report queries cross PostgreSQL's JIT cost thresholds by
    # their row estimates and spent more compiling than running (one: 272 ms of JIT for 160 ms of work;
    # all metrics of the 1x bench county 1.5-2.6 s -> 0.85-0.97 s). 16 MB of memory for each sort or
    # hash, not the default 4: PostgreSQL estimates the groups of a grouping by several columns as
    # the product of each one's distinct values (the members' counts by six dimensions: 58,000 at
    # ten times the bench county, for 1,000), and with 4 MB it sorted the county's members on disk
    # to group them (460 ms) instead of hashing them (210 ms). Options given in the URL are kept
    # (and win: given last).
    _options = DATABASES["default"].setdefault("OPTIONS", {})
    _options["options"] = " ".join(filter(None, ["-c jit=off -c work_mem=16MB", _options.get("options", "")]))

# Computed numbers (reports.computed) are cached, keyed by the records' version (jiguan.data_version).
# The embedded default is a table in the database (created by migrate); production may point
# JIGUAN_CACHE_URL at Redis (redis://127.0.0.1:6379/1; README, "Deploying").
CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": env("JIGUAN_CACHE_URL")}
        if env("JIGUAN_CACHE_URL")
        else {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "jiguan_cache",
            "OPTIONS": {"MAX_ENTRIES": 20000},
        }
    )
}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "jiguan.User"
# Django's sign-in, reading the account's organization with the account (organizations.scoping).
AUTHENTICATION_BACKENDS = ["organizations.accounts.backends.AccountBackend"]

# Django's rules with Chinese messages (jiguan.passwords).
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "jiguan.passwords.UserAttributeSimilarityValidator"},
    {"NAME": "jiguan.passwords.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "jiguan.passwords.CommonPasswordValidator"},
    {"NAME": "jiguan.passwords.NumericPasswordValidator"},
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Sessions end after this much inactivity: each request pushes the expiry forward.
SESSION_COOKIE_AGE = int(env("SESSION_IDLE_MINUTES", "30")) * 60
# Idle sign-out: jiguan.middleware.IdleSessionMiddleware saves the session (moving its expiry) at
# most once a minute instead of on every request.
SESSION_SAVE_EVERY_REQUEST = False
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

# Repeated failed sign-ins lock the account name for a while; many from one address lock the address.
LOGIN_MAX_FAILURES = int(env("LOGIN_MAX_FAILURES", "5"))
LOGIN_LOCK_MINUTES = int(env("LOGIN_LOCK_MINUTES", "15"))
LOGIN_ADDRESS_MAX_FAILURES = int(env("LOGIN_ADDRESS_MAX_FAILURES", "20"))

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(env("STATIC_ROOT", str(VAR_DIR / "static")))
STATICFILES_DIRS = [("bootstrap", xstatic.pkg.bootstrap.BASE_DIR)]
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # whitenoise expects it even before collectstatic
MEDIA_URL = "media/"
MEDIA_ROOT = Path(env("MEDIA_ROOT", str(VAR_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
# Serve static files straight from the installed packages as well, so a plain `runserver` and
# the test server need no collectstatic; production runs collectstatic (README).
WHITENOISE_USE_FINDERS = True

DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# Uploads (attachments, scanned sheets) are served through views that check permissions, never by a
# web server reading MEDIA_ROOT: they are the owner's alone on disk.
FILE_UPLOAD_PERMISSIONS = 0o600
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o700

# HTTPS: on for a deployment behind TLS; off for the plain-HTTP single-office default.
HTTPS = env_bool("JIGUAN_HTTPS", False)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_SSL_REDIRECT = HTTPS
SECURE_HSTS_SECONDS = 60 * 60 * 24 * 365 if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS
BEHIND_PROXY = env_bool("JIGUAN_BEHIND_PROXY")  # the proxy's X-Forwarded-For names the client (jiguan.web)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if BEHIND_PROXY else None
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Content-Security-Policy (django-csp) on every response: scripts only from our own static files, no
# inline script and no inline event handler (behaviours are declared in the markup and attached by
# jiguan/static/jiguan/site.js), nothing from another site (the app needs no internet). Inline
# styles stay allowed: the charts are SVG written by pygal with their own <style>, and Django's
# escaping already keeps typed text out of style attributes and elements.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF, UNSAFE_INLINE],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

DJANGO_TABLES2_TEMPLATE = "django_tables2/bootstrap5-responsive.html"
DJANGO_TABLES2_TABLE_ATTRS = {"class": "table table-sm table-hover align-middle"}
DJANGO_TABLES2_PAGE_RANGE = 7

# Rules of the domain kept as named settings (DOMAIN.md): the regulations were revised in 2026.
TERM_YEARS = {
    "PARTY_COMMITTEE": 5,
    "GENERAL_BRANCH": 3,
    "BRANCH": 3,
}
TERM_REMINDER_MONTHS = 6
MEMBER_DEVELOPMENT_RULES = {
    "MIN_APPLICANT_AGE": 18,
    "TALK_WITHIN_DAYS": 31,
    "MIN_ACTIVIST_DAYS": 365,
    "ACTIVIST_ASSESSMENT_MONTHS": 6,
    "MIN_TRAINING_DAYS": 3,
    "MIN_TRAINING_HOURS": 24,
    "APPROVAL_WITHIN_DAYS": 92,
    "PROBATION_DAYS": 365,
    "EXTENSION_MIN_MONTHS": 6,
    "EXTENSION_MAX_MONTHS": 12,
}
MEDAL_YEARS = 50
# Background jobs (jiguan.jobs) through Django's tasks framework: the database backend by default,
# embedded (no server to run; `manage.py db_worker` runs the jobs, `make run` starts one). The tests
# run jobs at once (tests/conftest.py). Redis or another queue is a deployment choice (README).
# After a write, the background worker makes the county's report numbers again (reports.warming).
JIGUAN_WARM_REPORTS = env_bool("JIGUAN_WARM_REPORTS", True)
TASKS = {
    "default": {
        "BACKEND": env("JIGUAN_TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
    }
}
# Party dues (DOMAIN.md "Party dues", 中组发〔2008〕3号): brackets (up to and including, rate), the
# last open; the fixed monthly amount of students, laid-off members and members on relief; the
# rounding of the monthly due (half up; peers use 0.1); a month paid above CONFIRM_OVER_TIMES_DUE
# times its due asks for confirmation; UNPAID_WARNING_MONTHS in a row unpaid raise the warning.
PARTY_DUES = {
    "IN_SERVICE_RATES": [("3000", "0.005"), ("5000", "0.01"), ("10000", "0.015"), (None, "0.02")],
    "RETIRED_RATES": [("5000", "0.005"), (None, "0.01")],
    "FIXED_MONTHLY": "0.20",
    "ROUNDING": "0.01",
    "CONFIRM_OVER_TIMES_DUE": 10,
    "UNPAID_WARNING_MONTHS": 6,
    # The arrears list looks at the complete months of this window (the 12 before this month).
    "ARREARS_WINDOW_MONTHS": 12,
}
ATTACHMENT_MAX_BYTES = int(env("ATTACHMENT_MAX_MB", "10")) * 1024 * 1024
ATTACHMENT_ALLOWED_TYPES = {
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".png": "image/png",
    ".pdf": "application/pdf",
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "mask_personal": {"()": "jiguan.masking.MaskPersonalDataFilter"},
        # A refused or missing page (403, 404) is the client's doing: one line, no traceback.
        "one_line_client_errors": {"()": "jiguan.log_filters.OneLineClientErrorFilter"},
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["one_line_client_errors", "mask_personal"]},
    },
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "WARNING")},
}
CSRF_FAILURE_VIEW = "jiguan.views.csrf_failure"
