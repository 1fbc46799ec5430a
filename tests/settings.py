"""Test settings: the project's settings with test-only speed-ups, still configured by environment.

DATABASE_URL and REDIS_URL are used when set (CI sets both), so the suite runs on what production runs.
"""

import os

os.environ.setdefault("TESTING", "true")
os.environ.setdefault("SECRET_KEY", "test-secret-key-not-used-anywhere-else-0123456789abcdef")

from marketplace.settings import *  # noqa: E402,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CELERY_TASK_ALWAYS_EAGER = True
CELERY_TASK_EAGER_PROPAGATES = True
# Each test starts with an empty cache (rate limits included); the Redis cache is tested on its own.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
MEDIA_ROOT = VAR_DIR / "test-media"  # noqa: F405
SECURE_SSL_REDIRECT = False
ALLOWED_HOSTS = ["*"]
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "http"  # the live server of browser tests speaks plain HTTP
DATABASES["default"]["CONN_MAX_AGE"] = 0  # noqa: F405  (live-server threads must not keep connections open)
