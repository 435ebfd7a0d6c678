"""XHHT settings. Everything that differs between machines comes from the environment.

DATABASE_URL   sqlite:///path (default: ./var/xhht.sqlite3) or postgres://user@host:5432/name
SECRET_KEY     required when DEBUG is off; the demo key is refused outside DEBUG
ALLOWED_HOSTS  comma-separated (default: localhost,127.0.0.1)
DEBUG          1/true to enable (default: off)
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BASE_DIR.parent.parent
VAR_DIR = Path(os.environ.get("XHHT_VAR_DIR", PROJECT_DIR / "var"))


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


DEMO_SECRET_KEY = "xhht-demo-secret-key-do-not-use-in-production-0000000000000000"
DEBUG = env_bool("DEBUG", False)
TESTING = env_bool("XHHT_TESTING", False)
SECRET_KEY = os.environ.get("SECRET_KEY") or DEMO_SECRET_KEY
# Production mode (DEBUG off) never runs on the demo key or a short one, whatever XHHT_TESTING says:
# the test and benchmark runners set a random key of their own (conftest.py, bench/common.py).
if not DEBUG and (SECRET_KEY == DEMO_SECRET_KEY or len(SECRET_KEY) < 50 or len(set(SECRET_KEY)) < 5):
    raise ImproperlyConfigured(
        "XHHT từ chối khởi động ở chế độ vận hành: SECRET_KEY là khoá demo hoặc quá ngắn (cần ít nhất "
        "50 ký tự ngẫu nhiên, ví dụ: python -c 'import secrets; print(secrets.token_urlsafe(50))') "
        "(refusing to start in production mode with the demo SECRET_KEY or one shorter than 50 characters; "
        "set SECRET_KEY or DEBUG=1)."
    )

ALLOWED_HOSTS = [
    h.strip() for h in os.environ.get("ALLOWED_HOSTS", "localhost,127.0.0.1").split(",") if h.strip()
]
if TESTING:
    ALLOWED_HOSTS += ["testserver"]
CSRF_TRUSTED_ORIGINS = [o.strip() for o in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "axes",
    "ninja",  # serves the API docs page's Swagger UI from its own static files, not a CDN
    "django_tasks",
    "django_tasks_db",
    "xhht.core",
    "xhht.geo",
    "xhht.accounts",
    "xhht.registry",
    "xhht.imports",
    "xhht.criteria",
    "xhht.recognition",
    "xhht.plans",
    "xhht.analytics",
    "xhht.reports",
    "xhht.web",
    "xhht.portal",
    "xhht.api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "xhht.core.middleware.NulByteMiddleware",
    "xhht.accounts.middleware.RequestContextMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "xhht.urls"
WSGI_APPLICATION = "xhht.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "xhht.web.context_processors.shell",
            ],
        },
    }
]

VAR_DIR.mkdir(parents=True, exist_ok=True)
(VAR_DIR / "static").mkdir(exist_ok=True)
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'xhht.sqlite3'}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 30,
        "transaction_mode": "IMMEDIATE",
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
            "PRAGMA cache_size=-200000; PRAGMA temp_store=MEMORY; PRAGMA mmap_size=1073741824;"
        ),
    }
    DATABASES["default"]["TEST"] = (
        {"NAME": str(VAR_DIR / "test.sqlite3")} if env_bool("XHHT_TEST_FILEDB") else {}
    )

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
if TESTING:
    # Tests create many users; Argon2 stays the production hasher (checked by a test on settings).
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher", *PASSWORD_HASHERS]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    # A citizen whose sign-up awaits verification logs in with the CCCD they typed (portal/backends.py).
    "xhht.portal.backends.PendingCitizenBackend",
]
# Login throttling, two layers:
# - django-axes locks a username for 15 minutes after 5 failures, from whatever address they come;
# - the `limits` library (accounts/throttle.py) refuses an address that failed 30 logins in 15 minutes
#   across usernames (password spraying), and bounds sign-up, verification codes and resets.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked.html"
AXES_VERBOSE = False
AXES_CLIENT_IP_CALLABLE = "xhht.accounts.middleware.client_ip"
# axes.W006 asks for the address among axes' lockout parameters: the address is limited across
# usernames by accounts/throttle.py instead (a lock per username+address would not slow spraying).
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
# How many reverse proxies in front of XHHT append to X-Forwarded-For (0: trust REMOTE_ADDR only).
XHHT_TRUSTED_PROXY_COUNT = int(os.environ.get("XHHT_TRUSTED_PROXY_COUNT", "0"))
# Where the throttles keep their counters: memory:// for one process; redis://host:6379/1 for several.
XHHT_THROTTLE_STORAGE = os.environ.get("XHHT_THROTTLE_STORAGE", "memory://")
XHHT_THROTTLES = {
    "login_ip": os.environ.get("XHHT_THROTTLE_LOGIN_IP", "30/15 minutes"),
    "signup_ip": os.environ.get("XHHT_THROTTLE_SIGNUP_IP", "10/hour"),
    "code_send_cccd": os.environ.get("XHHT_THROTTLE_CODE_SEND", "3/day"),
    "code_check_account": os.environ.get("XHHT_THROTTLE_CODE_CHECK", "10/hour"),
    "code_check_ip": os.environ.get("XHHT_THROTTLE_CODE_CHECK_IP", "30/hour"),
    "reset_ip": os.environ.get("XHHT_THROTTLE_RESET_IP", "10/hour"),
}
# Text messages to citizens (verification codes, notices): a class with send(to=, text=).
# The console in the demo; a province plugs its SMS gateway here. Tests keep an outbox.
XHHT_SMS_BACKEND = os.environ.get(
    "XHHT_SMS_BACKEND", "xhht.portal.sms.OutboxSender" if TESTING else "xhht.portal.sms.ConsoleSender"
)
XHHT_CODE_MINUTES = 15

LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "web:home"
LOGOUT_REDIRECT_URL = "accounts:login"

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = 8 * 3600
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
CSRF_COOKIE_SAMESITE = "Lax"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if not DEBUG and not TESTING:
    SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)
    CSRF_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Tiếng Việt")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "Asia/Ho_Chi_Minh"
FORMAT_MODULE_PATH = ["xhht.formats"]
# Off on purpose: with it on, every {{ year }} renders "2.025" and ids in form values "1.234".
# Counts shown to people use {{ n|intcomma }} (humanize), which groups as 1.234 in Vietnamese.
USE_THOUSAND_SEPARATOR = False

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if (DEBUG or TESTING)
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = DEBUG or TESTING

TASKS = {
    "default": {
        # ImmediateBackend runs a task inside the request (demo, tests); in production set
        # TASKS_BACKEND=django_tasks_db.backend.DatabaseBackend and run `xhht db_worker`.
        "BACKEND": os.environ.get("TASKS_BACKEND", "django_tasks.backends.immediate.ImmediateBackend"),
    }
}

DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
    "loggers": {"axes": {"level": "ERROR" if TESTING else "WARNING"}},
}

# The date the two-tier local government took effect (NQ 202/2025/QH15).
REFORM_DATE = "2025-07-01"
