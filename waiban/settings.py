"""Django settings for Waiban. Everything that differs between machines comes from the environment."""

from pathlib import Path

import dj_database_url

from waiban.env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("WAIBAN_VAR_DIR", str(BASE_DIR / "var")))
VAR_DIR.mkdir(parents=True, exist_ok=True)  # the SQLite file and uploads live here

DEBUG = env_bool("DJANGO_DEBUG", False)
# The development key lets `make run` and the tests start with no set-up; `manage.py check
# --deploy` fails while it is in use (waiban.core.checks), so production must set its own.
DEV_SECRET_KEY = "dev-only-insecure-key-do-not-deploy"
SECRET_KEY = env_str("DJANGO_SECRET_KEY", DEV_SECRET_KEY)

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver"])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_countries",
    "bootstrap",
    "waiban.core",
    "waiban.accounts",
    "waiban.people",
    "waiban.visits",
    "waiban.watchlists",
    "waiban.rules",
    "waiban.portal",
    "waiban.documents",
    "waiban.plans",
    "waiban.passports",
    "waiban.notices",
    "waiban.demo",
    "django_tasks",
    "django_tasks_db",
    "waiban.outbox",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "waiban.core.middleware.RejectNulMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "waiban.core.middleware.RequestContextMiddleware",
]

ROOT_URLCONF = "waiban.urls"
WSGI_APPLICATION = "waiban.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "waiban" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "waiban.core.context_processors.calendar_warning",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'waiban.sqlite3'}"),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 0),
    )
}
if DATABASES["default"]["ENGINE"].endswith("postgresql") and env_bool("WAIBAN_DB_POOL", False):
    # A psycopg pool per worker process (Django 5.1+): connections are reused across requests
    # instead of opened per request. CONN_MAX_AGE must stay 0 with a pool.
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
        "min_size": env_int("WAIBAN_DB_POOL_MIN", 2),
        "max_size": env_int("WAIBAN_DB_POOL_MAX", 4),
        "timeout": env_int("WAIBAN_DB_POOL_TIMEOUT", 10),
    }
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # The web server and the worker write to one file (make run). A transaction takes the write
    # lock when it begins (IMMEDIATE) and waits up to 20 s for it: two transactions that both
    # read and then write would otherwise fail at once ("database is locked") instead of
    # waiting. In WAL mode readers do not wait for the writer.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "timeout": 20,
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )


# One cache, for reference data only (the authority tree, the holiday table, time limits, rule
# versions: waiban.core.reference); case data and pages are never cached. Each process keeps its
# own unless WAIBAN_CACHE_URL names one that several share: a Redis database
# (redis://127.0.0.1:6379/0) in production, or a folder (file:///path) for the web server and
# the worker of one machine (``make run``). A shared cache forgets a change for every process.
CACHE_URL = env_str("WAIBAN_CACHE_URL", "")
if CACHE_URL.startswith("redis"):
    _default_cache = {"BACKEND": "django.core.cache.backends.redis.RedisCache"}
elif CACHE_URL.startswith("file://"):
    _default_cache = {"BACKEND": "django.core.cache.backends.filebased.FileBasedCache"}
    CACHE_URL = CACHE_URL.removeprefix("file://")
elif CACHE_URL:
    raise ValueError(f"WAIBAN_CACHE_URL must be redis://… or file://…, not {CACHE_URL!r}")
else:
    _default_cache = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
CACHES = {"default": {**_default_cache, "LOCATION": CACHE_URL, "KEY_PREFIX": "waiban"}}
# Sessions stay in the database; with Redis they are read through it (one query less per page).
# Not with a cache per process: a log-out in one would not reach the others.
SESSION_ENGINE = (
    "django.contrib.sessions.backends.cached_db"
    if CACHE_URL.startswith("redis")
    else "django.contrib.sessions.backends.db"
)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = ["waiban.accounts.permissions.RoleBackend"]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "waiban" / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
# collectstatic writes here for production (WAIBAN_STATIC_MANIFEST=1); unset otherwise so that
# WhiteNoise does not look for a folder that was never built.
STATIC_ROOT = BASE_DIR / "staticfiles" if env_bool("WAIBAN_STATIC_MANIFEST", False) else None
STORAGES = {
    # Uploaded materials live outside the web root and are only served through permission checks.
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(VAR_DIR / "uploads"), "base_url": None},
    },
    # Production runs collectstatic and sets WAIBAN_STATIC_MANIFEST=1 for hashed, compressed
    # files; without it, WhiteNoise serves the apps' static folders directly.
    "staticfiles": {
        "BACKEND": "waiban.core.storage.ManifestStaticFilesStorage"
        if env_bool("WAIBAN_STATIC_MANIFEST", False)
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = not env_bool("WAIBAN_STATIC_MANIFEST", False)
MEDIA_ROOT = VAR_DIR / "uploads"
UPLOAD_MAX_BYTES = env_int("WAIBAN_UPLOAD_MAX_BYTES", 10 * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = UPLOAD_MAX_BYTES + 1024 * 1024

# Field-level encryption of personal data (Fernet keys, comma separated; the first encrypts,
# all decrypt, so keys can be rotated) and the key of the blind index used for exact look-ups.
FIELD_ENCRYPTION_KEYS = env_list("WAIBAN_FIELD_KEYS", [])
BLIND_INDEX_KEY = env_str("WAIBAN_BLIND_INDEX_KEY", "")

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES", False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
X_FRAME_OPTIONS = "DENY"

COUNTRIES_FIRST = []

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("WAIBAN_LOG_LEVEL", "INFO")},
    # The worker says each task it starts and ends at INFO: too chatty beside runserver.
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "django_tasks": {"level": "WARNING"},
    },
}

# Working-day limits of each stage (DESIGN.md §2); per-authority overrides live in the database.
STAGE_LIMIT_WORKING_DAYS = {"pre_review": 1, "under_review": 3, "pending_approval": 2}

# Signed documents (waiban.documents): encrypted private keys live in their own folder (mount a
# secret volume in production); the passphrase defaults to one derived from the secret key.
DOCUMENT_KEYS_DIR = Path(env_str("WAIBAN_KEYS_DIR", str(VAR_DIR / "keys")))
DOCUMENT_KEY_PASSPHRASE = env_str("WAIBAN_SIGNING_KEY_PASSPHRASE", "")
DOCUMENT_AUTO_KEYS = env_bool("WAIBAN_DOCUMENT_AUTO_KEYS", True)
DOCUMENT_SIGNER_DAYS = env_int("WAIBAN_SIGNER_KEY_DAYS", 90)
DOCUMENT_EXPIRY_MARGIN_DAYS = env_int("WAIBAN_DOCUMENT_EXPIRY_MARGIN_DAYS", 30)
DOCUMENT_VERIFY_MAX_UPLOAD = env_int("WAIBAN_VERIFY_MAX_UPLOAD_BYTES", 5 * 1024 * 1024)
DOCUMENT_ISSUER_NAME = env_str("WAIBAN_DOCUMENT_ISSUER", "Waiban")

# Background work (waiban.outbox): side effects are outbox rows delivered by `manage.py worker`
# through django-tasks' database backend; the queue is the database, so any number of workers
# can run beside the app servers. The tests run each delivery at once instead (waiban.conftest).
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
