"""Django settings for Waiban. Everything that differs between machines comes from the environment."""

import datetime as dt
from pathlib import Path

import dj_database_url

from waiban.core.countries import COUNTRY_OVERRIDES
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
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
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
    "waiban.reports",
    "waiban.visas",
    "waiban.notices",
    "waiban.hall",
    "waiban.demo",
    "django_tasks",
    "django_tasks_db",
    "waiban.outbox",
    "waiban.changes",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "waiban.core.middleware.RejectNulMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "waiban.core.middleware.RequestContextMiddleware",
    "waiban.accounts.sessions.SessionLimitsMiddleware",
    # Last, as django-axes asks: it turns a locked account's log-in into the lock-out page.
    "axes.middleware.AxesMiddleware",
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
AUTHENTICATION_BACKENDS = [
    # First: refuses a locked user name before the password is even checked.
    "axes.backends.AxesStandaloneBackend",
    "waiban.accounts.permissions.RoleBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# The office's password policy: length, three of four kinds of characters, not like the user
# name, not a common password, not all digits.
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": env_int("WAIBAN_PASSWORD_MIN_LENGTH", 10)},
    },
    {
        "NAME": "waiban.accounts.passwords.CharacterClassesValidator",
        "OPTIONS": {"min_classes": env_int("WAIBAN_PASSWORD_MIN_CLASSES", 3)},
    },
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Log-in throttling (waiban.accounts.login): django-axes locks a user name after
# AXES_FAILURE_LIMIT wrong passwords for AXES_COOLOFF_TIME; an address is refused after
# LOGIN_ADDRESS_FAILURE_LIMIT failures within LOGIN_ADDRESS_WINDOW seconds.
AXES_FAILURE_LIMIT = env_int("WAIBAN_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = dt.timedelta(minutes=env_int("WAIBAN_LOGIN_LOCK_MINUTES", 30))
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "waiban.accounts.login.lockout_response"
AXES_CLIENT_IP_CALLABLE = "waiban.core.ratelimit.client_address"
AXES_VERBOSE = False
# axes.W006 asks to lock by address too; that would lock a whole office behind one NAT address
# after one person's typos. The address has its own, higher limit instead (LoginForm).
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
LOGIN_ADDRESS_FAILURE_LIMIT = env_int("WAIBAN_LOGIN_ADDRESS_FAILURE_LIMIT", 30)
LOGIN_ADDRESS_WINDOW = env_int("WAIBAN_LOGIN_ADDRESS_WINDOW", 900)

# The second factor (waiban.accounts.second_factor): these roles must enrol a TOTP app; any
# office role may, and whoever has one is asked for a code at every log-in.
OTP_REQUIRED_ROLES = set(
    env_list("WAIBAN_OTP_REQUIRED_ROLES", ["sys_admin", "security_admin", "audit_admin"])
)
OTP_TOTP_ISSUER = env_str("WAIBAN_OTP_ISSUER", "Waiban")

# Sessions end after SESSION_IDLE_SECONDS without a request, and in any case after
# SESSION_ABSOLUTE_SECONDS (waiban.accounts.sessions); the cookie dies with the browser.
SESSION_IDLE_SECONDS = env_int("WAIBAN_SESSION_IDLE_MINUTES", 30) * 60
SESSION_ABSOLUTE_SECONDS = env_int("WAIBAN_SESSION_MAX_HOURS", 12) * 3600
SESSION_COOKIE_AGE = SESSION_ABSOLUTE_SECONDS
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

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
# Decompression bombs (waiban.core.uploads): judged from headers before anything is decoded.
UPLOAD_MAX_IMAGE_PIXELS = env_int("WAIBAN_UPLOAD_MAX_IMAGE_PIXELS", 40_000_000)
SPREADSHEET_MAX_UNPACKED_BYTES = env_int("WAIBAN_SPREADSHEET_MAX_UNPACKED_BYTES", 100 * 1048576)
SPREADSHEET_MAX_ROWS = env_int("WAIBAN_SPREADSHEET_MAX_ROWS", 200_000)  # a province's control list
SPREADSHEET_MAX_COLUMNS = env_int("WAIBAN_SPREADSHEET_MAX_COLUMNS", 100)

# Field-level encryption of personal data (Fernet keys, comma separated; the first encrypts,
# all decrypt, so keys can be rotated) and the key of the blind index used for exact look-ups.
FIELD_ENCRYPTION_KEYS = env_list("WAIBAN_FIELD_KEYS", [])
BLIND_INDEX_KEY = env_str("WAIBAN_BLIND_INDEX_KEY", "")

# Behind a reverse proxy, how many trusted proxies append to X-Forwarded-For (0: none, the
# client's address is REMOTE_ADDR). Rate limits and the audit trail use the address so found.
WAIBAN_PROXY_COUNT = env_int("WAIBAN_PROXY_COUNT", 0)
# Public pages, per client address and window (waiban.core.ratelimit).
RATE_LIMIT_WINDOW_SECONDS = env_int("WAIBAN_RATE_LIMIT_WINDOW", 600)
PROGRESS_QUERY_LIMIT = env_int("WAIBAN_PROGRESS_QUERY_LIMIT", 30)
VERIFY_LIMIT = env_int("WAIBAN_VERIFY_LIMIT", 60)
# The key from which each case's progress query code and receipt link are derived; empty: one
# derived from the secret key. Changing it invalidates every receipt's code.
PROGRESS_QUERY_KEY = env_str("WAIBAN_PROGRESS_KEY", "")

# The key of the audit trail's hash chain (waiban.core.audit_chain): kept outside the database,
# so that a row edited there cannot be re-sealed. Empty: one derived from the secret key.
AUDIT_CHAIN_KEY = env_str("WAIBAN_AUDIT_KEY", "")

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES", False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
# HTTPS in production (README, "Production settings"): all off by default so that `make run`
# and the tests work over plain HTTP.
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", False)
SECURE_HSTS_SECONDS = env_int("DJANGO_SECURE_HSTS_SECONDS", 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS", False)
SECURE_HSTS_PRELOAD = env_bool("DJANGO_SECURE_HSTS_PRELOAD", False)
# Behind a proxy that terminates TLS: it must set this header (X-Forwarded-Proto: https).
if env_bool("DJANGO_SECURE_PROXY_SSL_HEADER", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", [])
X_FRAME_OPTIONS = "DENY"

COUNTRIES_FIRST = []
# Our corrections of django-countries' Chinese names (尼泊尔, 中国香港 …), in every place a
# country is named.
COUNTRIES_OVERRIDE = COUNTRY_OVERRIDES

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
        "axes": {"level": "WARNING"},
    },
}

# Working-day limits of each stage (DESIGN.md §2); per-authority overrides live in the database.
STAGE_LIMIT_WORKING_DAYS = {"pre_review": 1, "under_review": 3, "pending_approval": 2}
# The time the one-time correction notice gives the unit to correct (printed on the notice).
CORRECTION_WORKING_DAYS = env_int("WAIBAN_CORRECTION_WORKING_DAYS", 10)

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

# Notices by e-mail and SMS (waiban.notices). With DJANGO_DEBUG (``make run``) both go to files:
# the e-mails to var/mail/, the SMS to var/sms/ (numbers masked). In production: SMTP from the
# EMAIL_* variables, and an SMS gateway over HTTP (waiban.notices.sms says what it is sent).
EMAIL_BACKEND = env_str(
    "WAIBAN_EMAIL_BACKEND",
    "django.core.mail.backends.filebased.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_FILE_PATH = VAR_DIR / "mail"
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 20)
DEFAULT_FROM_EMAIL = env_str("WAIBAN_MAIL_FROM", "waiban@localhost")
WAIBAN_SMS = {
    "backend": env_str("WAIBAN_SMS_BACKEND", "file" if DEBUG else "none"),
    "url": env_str("WAIBAN_SMS_URL", ""),
    "body": env_str("WAIBAN_SMS_BODY", ""),
    "token": env_str("WAIBAN_SMS_TOKEN", ""),
    "timeout": env_int("WAIBAN_SMS_TIMEOUT", 10),
    "folder": VAR_DIR / "sms",
}
# The site's address in e-mails (links to the case); empty: paths only.
WAIBAN_SITE_URL = env_str("WAIBAN_SITE_URL", "http://127.0.0.1:8000" if DEBUG else "")

# 好差评: the working days the office has to rectify and answer a bad review (5 to 15 locally).
HALL_RECTIFICATION_WORKING_DAYS = env_int("HALL_RECTIFICATION_WORKING_DAYS", 5)
# 办件公告: whether the public list of decided cases names the applying unit.
HALL_ANNOUNCE_UNIT_NAMES = env_bool("HALL_ANNOUNCE_UNIT_NAMES", True)

# The TOTP secrets are never shown in the admin site (django-otp's config and QR pages answer 403).
OTP_ADMIN_HIDE_SENSITIVE_DATA = True
