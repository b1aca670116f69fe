"""MotCua settings: one file, every knob read from the environment with a safe default."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import dj_database_url

from motcua.core.env import env_bool, env_int, env_list, env_str, persistent_secret_key

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("MOTCUA_VAR_DIR", str(BASE_DIR / "var")))

DEBUG = env_bool("DEBUG", False)
# Without SECRET_KEY, a random key is made once per installation and kept in VAR_DIR (mode 0600),
# so a fresh clone is secure without set-up; several web nodes must share one SECRET_KEY.
SECRET_KEY = env_str("SECRET_KEY", "") or persistent_secret_key(VAR_DIR / "secret_key")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_tasks",
    "django_tasks_db",
    "ninja",  # serves the API docs (Swagger UI) from local static files, not a CDN
    "motcua.core",
    "motcua.org",
    "motcua.workdays",
    "motcua.catalog",
    "motcua.dossiers",
    "motcua.notify",
    "motcua.signing",
    "motcua.feedback",
    "motcua.reports",
    "motcua.payments",
    "motcua.portal",
    "motcua.api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "motcua.core.middleware.RequestSizeMiddleware",  # before anything reads the body (CSRF reads forms)
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "motcua.core.middleware.ReferenceCheckMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "motcua.urls"
WSGI_APPLICATION = "motcua.wsgi.application"
ASGI_APPLICATION = "motcua.asgi.application"

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
                "motcua.org.context.staff",
            ],
        },
    },
]

# SQLite is the embedded default; PostgreSQL is selected by DATABASE_URL.
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'motcua.sqlite3'}"),
        conn_max_age=env_int("DB_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Django's backend, with `%s` parameters turned into `?` once per statement text (motcua/core/backends).
    # Tests keep SQLite's in-memory database, named so, because pytest-django recognises SQLite by the
    # engine's name when it gives each xdist worker its own database (an in-memory one needs no suffix).
    DATABASES["default"]["ENGINE"] = "motcua.core.backends.sqlite3"
    DATABASES["default"]["TEST"] = {"NAME": ":memory:"}
    # WAL and a busy timeout let the web process and task workers share the file.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
elif env_bool("DB_PREPARED_STATEMENTS", True):
    # PostgreSQL keeps the plan of a hot-path statement after its fifth run on a connection (psycopg's
    # default; Django turns it off for poolers). Off (DB_PREPARED_STATEMENTS=0) behind a pooler in
    # transaction mode older than PgBouncer 1.21.
    DATABASES["default"].setdefault("OPTIONS", {})["prepare_threshold"] = 5

# A read replica (PostgreSQL streaming replication) for reports and public look-ups: motcua/core/replicas.py.
if env_str("DATABASE_REPLICA_URL", ""):
    DATABASES["replica"] = dj_database_url.parse(
        env_str("DATABASE_REPLICA_URL", ""),
        conn_max_age=env_int("DB_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
    # Tests read the primary's test database through it instead of creating one of its own.
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
    DATABASE_ROUTERS = ["motcua.core.replicas.ReplicaRouter"]

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/"

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "core.User"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", "Tiếng Việt"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(VAR_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
# Serve straight from the repo in development; `collectstatic` in production.
WHITENOISE_USE_FINDERS = DEBUG
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(VAR_DIR / "media")))
MEDIA_URL = "media/"

# E-mail: printed to the console while developing; SMTP in production (EMAIL_HOST etc.).
_MAIL = "django.core.mail.backends."
EMAIL_BACKEND = env_str("EMAIL_BACKEND", _MAIL + ("console.EmailBackend" if DEBUG else "smtp.EmailBackend"))
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "MotCua <no-reply@motcua.local>")

# The look-up rate limits must be shared by every worker: with several workers use the database cache
# (CACHE_BACKEND=django.core.cache.backends.db.DatabaseCache, then `manage.py createcachetable`).
CACHES = {
    "default": {
        "BACKEND": env_str("CACHE_BACKEND", "django.core.cache.backends.locmem.LocMemCache"),
        "LOCATION": env_str("CACHE_LOCATION", "motcua"),
    }
}
# Proxies (exact addresses of our nginx) whose X-Forwarded-For the public look-up believes.
TRUSTED_PROXIES = env_list("TRUSTED_PROXIES", [])
# Behind a proxy that ends TLS (deploy/nginx/motcua.conf): believe its X-Forwarded-Proto, so links Django
# builds are https. Only when the proxy sets that header on every request, or a client could claim https.
if env_bool("TLS_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

TASKS = {
    "default": {
        "BACKEND": env_str("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default", "notify"],
    }
}

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", not DEBUG)
CSRF_COOKIE_SECURE = env_bool("SECURE_COOKIES", not DEBUG)
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    # fpdf2's font subsetting logs dozens of INFO lines per PDF.
    "loggers": {"fontTools": {"level": "WARNING"}},
}

# Province-wide defaults; a province's own values live in the database (workdays.OfficeCalendar).
MOTCUA: dict[str, Any] = {
    "PROVINCE_CODE": env_str("MOTCUA_PROVINCE_CODE", ""),
    # Dossier codes: "2025" = Circular 03/2025 art. 13(3) (from 25/01/2026); "2018" = Circular 01/2018.
    "DOSSIER_CODE_LAYOUT": env_str("MOTCUA_DOSSIER_CODE_LAYOUT", "2025"),
    # AA in the 2025 layout: two digits identifying the owner of the information system.
    "SYSTEM_OWNER_ID": env_str("MOTCUA_SYSTEM_OWNER_ID", "01"),
    # Where citizens reach the public look-up; printed as the receipt's QR code.
    "PUBLIC_URL": env_str("MOTCUA_PUBLIC_URL", "http://127.0.0.1:8000"),
    "MAX_UPLOAD_MB": env_int("MOTCUA_MAX_UPLOAD_MB", 20),
    # A whole request (several files): ten files at the limit by default. Set the reverse proxy's body
    # limit (nginx client_max_body_size) to the same value.
    "MAX_REQUEST_MB": env_int("MOTCUA_MAX_REQUEST_MB", 10 * env_int("MOTCUA_MAX_UPLOAD_MB", 20)),
    # Public actions that cost real work or could guess a secret, per client IP and window.
    "SIGNATURE_CHECKS_PER_IP": env_int("MOTCUA_SIGNATURE_CHECKS_PER_IP", 30),  # per 10 minutes
    # Long-term signatures (docs/signing.md), off unless set: an RFC 3161 timestamp authority for every
    # signature MotCua makes (B-T), and revocation checks off, soft or hard (validation info embedded, B-LT).
    "SIGNING_TSA_URL": env_str("MOTCUA_SIGNING_TSA_URL", ""),
    "SIGNING_TSA_USER": env_str("MOTCUA_SIGNING_TSA_USER", ""),
    "SIGNING_TSA_PASSWORD": env_str("MOTCUA_SIGNING_TSA_PASSWORD", ""),
    "SIGNING_TSA_TIMEOUT": env_int("MOTCUA_SIGNING_TSA_TIMEOUT", 10),  # seconds
    "SIGNING_REVOCATION": env_str("MOTCUA_SIGNING_REVOCATION", "off"),
    "SIGNING_REVOCATION_TIMEOUT": env_int("MOTCUA_SIGNING_REVOCATION_TIMEOUT", 10),  # seconds per CRL/OCSP
    # Days before a timestamp authority's certificate expires when `signing_renew_archive` renews (B-LTA).
    "SIGNING_ARCHIVE_RENEW_DAYS": env_int("MOTCUA_SIGNING_ARCHIVE_RENEW_DAYS", 90),
    # Days before a seal or personal certificate expires when `signing_watch_certificates` warns, each once.
    "SIGNING_EXPIRY_WARN_DAYS": env_str("MOTCUA_SIGNING_EXPIRY_WARN_DAYS", "30,7,1"),
    # Keys held in a PKCS#11 token or HSM (docs/signing.md): the module (.so) every such certificate signs
    # through, and the tokens' user PIN; MOTCUA_SIGNING_PKCS11_PIN_<TOKEN LABEL> overrides it per token.
    "SIGNING_PKCS11_MODULE": env_str("MOTCUA_SIGNING_PKCS11_MODULE", ""),
    "SIGNING_PKCS11_PIN": env_str("MOTCUA_SIGNING_PKCS11_PIN", ""),
    "FEEDBACK_PER_IP_PER_HOUR": env_int("MOTCUA_FEEDBACK_PER_IP_PER_HOUR", 10),
    # A province's own rating scale, criteria and satisfaction formulas (motcua/feedback/data format).
    "SATISFACTION_FILE": env_str("MOTCUA_SATISFACTION_FILE", ""),
    # Fees and payments (docs/payments.md): the gateway is off, demo (DEBUG only) or http.
    "PAYMENT_GATEWAY": env_str(
        "MOTCUA_PAYMENT_GATEWAY",
        "demo" if DEBUG else ("http" if env_str("MOTCUA_PAYMENT_GATEWAY_URL", "") else "off"),
    ),
    "PAYMENT_GATEWAY_URL": env_str("MOTCUA_PAYMENT_GATEWAY_URL", ""),
    "PAYMENT_GATEWAY_KEY": env_str("MOTCUA_PAYMENT_GATEWAY_KEY", ""),
    "PAYMENT_MERCHANT": env_str("MOTCUA_PAYMENT_MERCHANT", "MOTCUA"),
    "PAYMENT_ORDER_MINUTES": env_int("MOTCUA_PAYMENT_ORDER_MINUTES", 15),
    "PAYMENT_NOTICE_MAX_AGE": env_int("MOTCUA_PAYMENT_NOTICE_MAX_AGE", 600),  # seconds
    "PAYMENT_PARTIAL": env_bool("MOTCUA_PAYMENT_PARTIAL", False),
    "PAYMENT_BEFORE_RESULT": env_bool("MOTCUA_PAYMENT_BEFORE_RESULT", True),
    "PAYMENT_REFUND": env_str("MOTCUA_PAYMENT_REFUND", "before_work"),
    # Server to server: the gateway's status query and refunds ("" turns each off), how long to wait.
    "PAYMENT_GATEWAY_QUERY_URL": env_str("MOTCUA_PAYMENT_GATEWAY_QUERY_URL", ""),
    "PAYMENT_GATEWAY_REFUND_URL": env_str("MOTCUA_PAYMENT_GATEWAY_REFUND_URL", ""),
    "PAYMENT_GATEWAY_TIMEOUT": env_int("MOTCUA_PAYMENT_GATEWAY_TIMEOUT", 10),  # seconds
    "PAYMENT_RECONCILE_MINUTES": env_int("MOTCUA_PAYMENT_RECONCILE_MINUTES", 15),
    "PAYMENT_QUERY_SECONDS": env_int("MOTCUA_PAYMENT_QUERY_SECONDS", 30),
    "PAYMENT_REFUND_ATTEMPTS": env_int("MOTCUA_PAYMENT_REFUND_ATTEMPTS", 5),  # then the desk looks at it
    # E-receipts (biên lai điện tử): the form number and the symbol, {yy} = the year's last two digits.
    "RECEIPT_FORM": env_str("MOTCUA_RECEIPT_FORM", "01BLP0-001"),
    "RECEIPT_SYMBOL": env_str("MOTCUA_RECEIPT_SYMBOL", "BL-{yy}E"),
}
if MOTCUA["DOSSIER_CODE_LAYOUT"] not in {"2018", "2025"}:
    raise RuntimeError("MOTCUA_DOSSIER_CODE_LAYOUT must be 2018 or 2025")
if not (len(MOTCUA["SYSTEM_OWNER_ID"]) == 2 and MOTCUA["SYSTEM_OWNER_ID"].isdigit()):
    raise RuntimeError("MOTCUA_SYSTEM_OWNER_ID must be two digits")
if MOTCUA["SIGNING_REVOCATION"] not in {"off", "soft", "hard"}:
    raise RuntimeError("MOTCUA_SIGNING_REVOCATION must be off, soft or hard")
if not all(d.strip().isdigit() and int(d) > 0 for d in MOTCUA["SIGNING_EXPIRY_WARN_DAYS"].split(",")):
    raise RuntimeError("MOTCUA_SIGNING_EXPIRY_WARN_DAYS must be a comma list of working days, e.g. 30,7,1")
if MOTCUA["PAYMENT_GATEWAY"] not in {"off", "demo", "http"}:
    raise RuntimeError("MOTCUA_PAYMENT_GATEWAY must be off, demo or http")
if MOTCUA["PAYMENT_GATEWAY"] == "demo" and not DEBUG:
    raise RuntimeError("The demo payment gateway takes no real money: it needs DEBUG on")
if MOTCUA["PAYMENT_GATEWAY"] == "http" and not (
    MOTCUA["PAYMENT_GATEWAY_URL"] and MOTCUA["PAYMENT_GATEWAY_KEY"]
):
    raise RuntimeError(
        "The http payment gateway needs MOTCUA_PAYMENT_GATEWAY_URL and MOTCUA_PAYMENT_GATEWAY_KEY"
    )
if MOTCUA["MAX_REQUEST_MB"] < MOTCUA["MAX_UPLOAD_MB"]:
    raise RuntimeError("MOTCUA_MAX_REQUEST_MB must be at least MOTCUA_MAX_UPLOAD_MB")
# Uploads are never held whole in memory: a request up to FILE_UPLOAD_MAX_MEMORY_SIZE (Django's 2.5 MB,
# compared with the whole request's length) stays in memory, a larger one is spooled to a temporary file
# in FILE_UPLOAD_TEMP_DIR by 64 KB chunks. Our handler first keeps no more of a file than the limit plus
# one byte, so an oversized file is refused by name without filling the disk. DATA_UPLOAD_MAX_MEMORY_SIZE
# bounds a body without its files (the API's JSON with base64 files); RequestSizeMiddleware bounds the
# whole request (MAX_REQUEST_MB).
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
FILE_UPLOAD_HANDLERS = [
    "motcua.core.uploadhandlers.SizeLimitUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]
DATA_UPLOAD_MAX_MEMORY_SIZE = (MOTCUA["MAX_UPLOAD_MB"] + 1) * 1024 * 1024
