"""Settings shared by every environment; everything site-specific comes from the environment."""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return raw.strip().lower() in {"1", "true", "yes", "on"}


# Where the SQLite database, uploaded files and signing keys live by default.
DATA_DIR = Path(env("ZHIFA_DATA_DIR", str(BASE_DIR / "var"))).resolve()

SECRET_KEY = env("DJANGO_SECRET_KEY")
DEBUG = False
ALLOWED_HOSTS = [h for h in env("ZHIFA_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "django_tasks_db",
    "crontask",
    "core",
    "org",
    "catalog",
    "cases",
    "review",
    "records",
    "documents",
    "publicity",
    "complaints",
    "service",
    "reminders",
    "followups",
    "guidance",
    "mediation",
    "supervision",
    "training",
    "legal",
    "exchange",
    "api",
    "ninja",  # Swagger UI served from its bundled static files (no CDN)
    "demo",
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
    "org.mfa.MFARequiredMiddleware",  # unverified sessions reach only login/verify/enrol/logout
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "core.middleware.RequestSizeLimitMiddleware",
    "api.middleware.QueryNulMiddleware",
    "axes.middleware.AxesMiddleware",
    "org.middleware.PermissionDenialLedgerMiddleware",
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
                "django.template.context_processors.csp",
            ],
        },
    },
]


def database_from_env() -> dict[str, object]:
    url = env("DATABASE_URL") or f"sqlite:///{DATA_DIR / 'zhifa.sqlite3'}"
    db: dict[str, object] = dict(dj_database_url.parse(url, conn_max_age=60))
    if db["ENGINE"] == "django.db.backends.sqlite3":
        Path(str(db["NAME"])).parent.mkdir(parents=True, exist_ok=True)
        # IMMEDIATE transactions serialise writers up front, so the ledger head and the
        # number sequences are never read by two writers at once (no upgrade deadlock).
        db["OPTIONS"] = {
            "transaction_mode": "IMMEDIATE",
            "timeout": 30,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
        db["CONN_MAX_AGE"] = 0
    return db


DATABASES = {"default": database_from_env()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "org.User"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "org.backends.ModelBackend",  # ModelBackend, permissions in one query
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "core.passwords.CharacterClassValidator"},
]

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True
LOCALE_PATHS = [BASE_DIR / "locale"]

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = DATA_DIR / "media"
MEDIA_URL = "/media/"

# Content-addressed store (core.files). Local disk by default; S3 in production (prod.py).
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
    "evidence": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(DATA_DIR / "store")},
    },
}

LOGIN_URL = "org:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "org:login"

# Sessions and cookies.
SESSION_ENGINE = "org.sessions"  # database sessions, read by a compiled query
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = 8 * 3600
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF, CSP.NONCE],
    "img-src": [CSP.SELF, "data:"],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
    "base-uri": [CSP.SELF],
}

# Request size: Django's own limits plus core.middleware.RequestSizeLimitMiddleware.
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 2000
ZHIFA_MAX_REQUEST_BYTES = int(env("ZHIFA_MAX_REQUEST_BYTES", str(20 * 1024 * 1024)))

# django-axes: lock the username+IP pair after repeated failures.
AXES_FAILURE_LIMIT = int(env("ZHIFA_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = 0.5  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "core.views.auth.lockout_response"
AXES_VERBOSE = False

# TOTP for everyone (production default) or only the three administrators.
ZHIFA_MFA_FOR_ALL = env_bool("ZHIFA_MFA_FOR_ALL", False)
OTP_TOTP_ISSUER = "zhifa"

# Ledger: hash algorithm for new entries ("sha256" or "sm3") and signature algorithm.
ZHIFA_HASH_ALGORITHM = env("ZHIFA_HASH_ALGORITHM", "sha256")
ZHIFA_SIGNATURE_ALGORITHM = env("ZHIFA_SIGNATURE_ALGORITHM", "ed25519")
ZHIFA_KEY_DIR = Path(env("ZHIFA_KEY_DIR", str(DATA_DIR / "keys")))

# Public address of this platform (e.g. https://zhifa.example.gov.cn), put before the verification
# path in the QR code of every issued document; empty: the path alone (relative address).
ZHIFA_PUBLIC_BASE_URL = env("ZHIFA_PUBLIC_BASE_URL", "")

# Background jobs: django.tasks with the database backend (run by `zhifa db_worker`).
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# Mail (alerts). Real SMTP; the demo points at a local port.
def mailers(port_default: str = "25") -> dict[str, dict[str, object]]:
    return {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": env("ZHIFA_EMAIL_HOST", "127.0.0.1"),
                "port": int(env("ZHIFA_EMAIL_PORT", port_default)),
                "username": env("ZHIFA_EMAIL_USER") or None,
                "password": env("ZHIFA_EMAIL_PASSWORD") or None,
                "use_tls": env_bool("ZHIFA_EMAIL_TLS", False),
                "timeout": 10,
            },
        }
    }


MAILERS = mailers()
DEFAULT_FROM_EMAIL = env("ZHIFA_EMAIL_FROM", "zhifa@localhost")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("ZHIFA_LOG_LEVEL", "WARNING")},
}

# How core reaches the org app without importing it (see core/scoping.py).
ZHIFA_VISIBLE_AGENCIES = "org.selectors.visible_agency_ids"
ZHIFA_ALERT_RECIPIENTS = "org.selectors.alert_recipients"
ZHIFA_AGENCY_LABEL = "org.selectors.agency_label"
ZHIFA_ACTOR_AGENCY = "org.selectors.actor_agency_id"
# The home page asks org for the user's own certificates expiring soon: (*, user, within_days).
ZHIFA_HOME_CERTIFICATES = "org.selectors.certificates_expiring_for_user"
# Panels a domain app adds to the home page: callables (request) -> rendered HTML ("" to add nothing).
ZHIFA_HOME_PANELS = ["cases.views.home_todo_panel", "supervision.views.home_targets_panel"]

# The covering indexes of cases (INCLUDE columns, migration cases/0012) serve PostgreSQL; SQLite
# builds them without the extra columns, which is all the embedded default needs.
SILENCED_SYSTEM_CHECKS = ["models.W040"]
