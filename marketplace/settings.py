"""Settings for Markedsplassen, read from the environment only (12-factor).

Without any variables the project runs embedded (SQLite, a broker transport on the file system,
console e-mail, local media). Production is what you get with DEBUG=false and SECRET_KEY,
ALLOWED_HOSTS, DATABASE_URL and REDIS_URL set; README.md lists every variable.
"""

import json
import os
import secrets
import sys
from datetime import timedelta
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("VAR_DIR", BASE_DIR / "var"))


def env(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value not in (None, "") else default


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in env(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)
TESTING = env_bool("TESTING", False) or "pytest" in sys.modules

SECRET_KEY = env("SECRET_KEY")
SECRET_KEY_MISSING = not SECRET_KEY and not (DEBUG or TESTING)
if not SECRET_KEY:
    if DEBUG or TESTING:
        SECRET_KEY = "insecure-embedded-key-only-for-local-runs-" + str(BASE_DIR)
    else:
        # Management commands (migrate, makemigrations, check) need no stable key and get a throw-away one;
        # the web application refuses to start (wsgi.py) and `check --deploy` fails (marketplace.checks).
        SECRET_KEY = secrets.token_urlsafe(64)

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]" if DEBUG or TESTING else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
SITE_URL = env("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sites",
    "django.contrib.humanize",
    "django.contrib.postgres",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "rules.apps.AutodiscoverRulesConfig",
    "django_htmx",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.openid_connect",
    # The arenas, in the order of the process; an app imports only the apps before it.
    "marketplace",
    "innovation",
    "verification",
    "store",
    "experience",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "marketplace.request_memo.RequestMemoMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "marketplace.middleware.LanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "marketplace.middleware.ActingOrganisationMiddleware",
    "marketplace.middleware.RequireTwoFactorForPlatformAdminsMiddleware",
    "marketplace.middleware.DomainErrorMiddleware",
]

ROOT_URLCONF = "marketplace.urls"
WSGI_APPLICATION = "marketplace.wsgi.application"
SITE_ID = 1

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
                "marketplace.context_processors.marketplace",
            ],
            "builtins": ["marketplace.templatetags.dates"],
        },
    },
]

# Database: SQLite embedded, PostgreSQL (psycopg 3) from DATABASE_URL.
DATABASE_URL = env("DATABASE_URL")
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=env_int("DB_CONN_MAX_AGE", 60))}
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
        # psycopg prepares a statement from its fifth run on a connection; only the hot reads of
        # marketplace.compiled bind on the server, so only they are prepared. Behind a pooler in transaction
        # mode, set DB_PREPARE_THRESHOLD=off.
        _prepare = env("DB_PREPARE_THRESHOLD", "5")
        DATABASES["default"].setdefault("OPTIONS", {})["prepare_threshold"] = (
            None if _prepare.lower() in {"off", "none", ""} else int(_prepare)
        )
else:
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": env("SQLITE_PATH") or VAR_DIR / "db.sqlite3",
            "OPTIONS": {"timeout": 20, "transaction_mode": "IMMEDIATE"},
            # A file, not memory, so that a real Celery worker in the tests sees the test data.
            "TEST": {"NAME": str(VAR_DIR / "test-db.sqlite3")},
        }
    }
IS_POSTGRES = DATABASES["default"]["ENGINE"].endswith("postgresql")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
FORMS_URLFIELD_ASSUME_HTTPS = True

# Cache: Redis when configured (rate limits must be shared by every process), a file cache otherwise.
REDIS_URL = env("REDIS_URL")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "marketplace.cache.RedisCache", "LOCATION": REDIS_URL}}
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(VAR_DIR / "cache"),
        }
    }

AUTH_USER_MODEL = "marketplace.User"
AUTHENTICATION_BACKENDS = [
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "marketplace:start"

# django-allauth: e-mail login, mandatory verification, rate limits on the shared cache.
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "http" if DEBUG else "https"
ACCOUNT_ADAPTER = "marketplace.adapters.AccountAdapter"
ACCOUNT_SIGNUP_FORM_CLASS = "marketplace.forms.SignupForm"
ACCOUNT_RATE_LIMITS = {
    "login_failed": "10/m/ip,5/5m/key",
    "signup": "20/m/ip",
    "confirm_email": "1/3m/key",
    "reset_password": "20/m/ip,5/m/key",
}
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Markedsplassen] "
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Markedsplassen"
if DEBUG:
    # Embedded demo only (`make run`): lets the demo platform administrators pass the second factor.
    MFA_TOTP_INSECURE_BYPASS_CODE = env("DEMO_TOTP_CODE", "000000")
SOCIALACCOUNT_ONLY = False
SOCIALACCOUNT_EMAIL_AUTHENTICATION = False
SOCIALACCOUNT_EMAIL_VERIFICATION = "mandatory"
SOCIALACCOUNT_ADAPTER = "marketplace.adapters.SocialAccountAdapter"


def _oidc_providers() -> dict:
    """OpenID Connect providers (ID-porten, HelseID, Feide) from OIDC_PROVIDERS, a JSON list of
    {"provider_id", "name", "client_id", "secret", "server_url"}; no code change needed."""
    raw = env("OIDC_PROVIDERS")
    if not raw:
        return {}
    try:
        apps = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise ImproperlyConfigured(f"OIDC_PROVIDERS is not valid JSON: {exc}") from exc
    return {
        "openid_connect": {
            "OAUTH_PKCE_ENABLED": True,
            "APPS": [
                {
                    "provider_id": app["provider_id"],
                    "name": app.get("name", app["provider_id"]),
                    "client_id": app["client_id"],
                    "secret": app.get("secret", ""),
                    "settings": {"server_url": app["server_url"], "token_auth_method": app.get("token_auth_method", "client_secret_post")},
                }
                for app in apps
            ],
        }
    }


SOCIALACCOUNT_PROVIDERS = _oidc_providers()

# Language: Norwegian bokmål by default, English available.
LANGUAGE_CODE = "nb"
LANGUAGES = [("nb", _("Norwegian bokmål")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "marketplace" / "locale"]
LANGUAGE_COOKIE_NAME = "markedsplassen_language"
LANGUAGE_COOKIE_SECURE = not DEBUG and not TESTING
LANGUAGE_COOKIE_SAMESITE = "Lax"
TIME_ZONE = "Europe/Oslo"
USE_I18N = True
USE_TZ = True

# Static and media files: whitenoise for static; local media or S3-compatible storage.
STATIC_URL = "/static/"
STATIC_ROOT = Path(env("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = Path(env("MEDIA_ROOT", str(BASE_DIR / "media")))
MEDIA_URL = "/media/"  # never served directly: documents go through a permission-checking view
AWS_STORAGE_BUCKET_NAME = env("S3_BUCKET")
if AWS_STORAGE_BUCKET_NAME:
    _media_storage = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": AWS_STORAGE_BUCKET_NAME,
            "endpoint_url": env("S3_ENDPOINT_URL") or None,
            "region_name": env("S3_REGION") or None,
            "access_key": env("S3_ACCESS_KEY_ID") or None,
            "secret_key": env("S3_SECRET_ACCESS_KEY") or None,
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }
else:
    _media_storage = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
STORAGES = {
    "default": _media_storage,
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG or TESTING
        else "marketplace.storage.StaticFilesStorage"
    },
}

# Documents: size limit and content-sniffed types.
DOCUMENT_MAX_BYTES = env_int("DOCUMENT_MAX_BYTES", 20 * 1024 * 1024)
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# E-mail: console when embedded, SMTP when EMAIL_HOST is set.
EMAIL_HOST = env("EMAIL_HOST")
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_PORT = env_int("EMAIL_PORT", 587)
    EMAIL_HOST_USER = env("EMAIL_HOST_USER")
    EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "Markedsplassen <noreply@markedsplassen.example>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Celery: Redis in production, the file-system transport (no server) embedded.
if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
    CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
else:
    _broker_dir = VAR_DIR / "broker"
    for _sub in ("out", "processed", "control"):
        (_broker_dir / _sub).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_URL = "filesystem://"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_broker_dir / "out"),
        "data_folder_out": str(_broker_dir / "out"),
        "processed_folder": str(_broker_dir / "processed"),
        "control_folder": str(_broker_dir / "control"),
        "store_processed": False,
    }
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", False)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_BEAT_SCHEDULE = {
    "terms-announce-effective": {
        "task": "marketplace.tasks.terms_announce_effective_task",
        "schedule": crontab(minute=5),
    },
    "invitations-expire": {
        "task": "marketplace.tasks.invitations_expire_task",
        "schedule": crontab(minute=15, hour=2),
    },
    # QUA-4: hourly, so that a qualification expires within the hour its date comes; idempotent.
    "qualifications-expire-and-remind": {
        "task": "verification.tasks.qualifications_expire_and_remind_task",
        "schedule": crontab(minute=20),
    },
    # VER-3: end verification runs whose worker died (stale heartbeat) as error; resend lost queued runs.
    "verification-runs-reap": {
        "task": "verification.tasks.runs_reap_task",
        "schedule": timedelta(minutes=2),
    },
    # VER-6: daily pass; it queues runs only for listings last verified REVERIFY_INTERVAL_DAYS ago or more.
    "store-adoptions-activate-due": {
        "task": "store.tasks.adoptions_activate_due_task",
        "schedule": timedelta(hours=1),
    },
    # Repairs store entries a failed refresh left behind (they follow verification on every change).
    "store-entries-sync": {
        "task": "store.tasks.store_entries_sync_task",
        "schedule": timedelta(hours=6),
    },
    # PRO-6: agreements whose period has ended are closed.
    "procurements-close-expired": {
        "task": "store.tasks.procurements_close_expired_task",
        "schedule": timedelta(days=1),
    },
    "verification-listings-reverify": {
        "task": "verification.tasks.listings_reverify_task",
        "schedule": crontab(minute=40, hour=3),
    },
}

# REST API.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "marketplace.api.authentication.SessionAuthentication",
        "marketplace.api.authentication.TokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticatedOrReadOnly"],
    "DEFAULT_PAGINATION_CLASS": "marketplace.api.pagination.PageNumberPagination",
    "PAGE_SIZE": 25,
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "marketplace.api.exceptions.exception_handler",
    "DEFAULT_THROTTLE_RATES": {"anon": "120/minute", "user": "600/minute"},
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Markedsplassen API",
    "DESCRIPTION": "REST API of Markedsplassen, the marketplace of Felles kommunal journal (FKJ). "
    "Act for an organisation with the X-Organisation header (its id); defaults to your first membership.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {},
    # Served from our own static files (drf-spectacular-sidecar): no CDN, and the CSP stays strict.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
}

# Security headers and Content-Security-Policy (django-csp) on every page.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG and not TESTING)
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", not DEBUG and not TESTING)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG or TESTING else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
if env_bool("BEHIND_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "form-action": ["'self'"] + env_list("CSP_FORM_ACTION"),
        "frame-ancestors": ["'none'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}

# Markedsplassen's own settings.
INVITATION_VALID_DAYS = env_int("INVITATION_VALID_DAYS", 14)
QUALIFICATION_VALID_MONTHS = env_int("QUALIFICATION_VALID_MONTHS", 12)
REVERIFY_INTERVAL_DAYS = env_int("REVERIFY_INTERVAL_DAYS", 7)
# Verification runs (VER-3): a worker's claim lasts this long without a heartbeat; the reaper ends runs
# silent for longer than the stale time as error, and re-sends queued runs whose message may be lost.
VERIFICATION_RUN_LEASE_SECONDS = env_int("VERIFICATION_RUN_LEASE_SECONDS", 90)
VERIFICATION_RUN_STALE_MINUTES = env_int("VERIFICATION_RUN_STALE_MINUTES", 15)
VERIFICATION_RUN_REQUEUE_MINUTES = env_int("VERIFICATION_RUN_REQUEUE_MINUTES", 3)
# Hosts a vendor sandbox may live on although they resolve to private addresses (VER-4).
SANDBOX_ALLOWED_HOSTS = env_list("SANDBOX_ALLOWED_HOSTS")
OUTBOUND_TIMEOUT_SECONDS = float(env("OUTBOUND_TIMEOUT_SECONDS", "10"))
OUTBOUND_MAX_BYTES = env_int("OUTBOUND_MAX_BYTES", 2 * 1024 * 1024)
OUTBOUND_MAX_REDIRECTS = env_int("OUTBOUND_MAX_REDIRECTS", 3)
OPERATOR_CONTACT_EMAIL = env("OPERATOR_CONTACT_EMAIL", "markedsplassen@ks.example")
SESSION_IDLE_TIMEOUT = timedelta(hours=env_int("SESSION_HOURS", 8))
SESSION_COOKIE_AGE = int(SESSION_IDLE_TIMEOUT.total_seconds())

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}
