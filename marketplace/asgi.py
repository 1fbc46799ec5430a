import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "marketplace.settings")
application = get_asgi_application()

from django.conf import settings  # noqa: E402
from django.core.exceptions import ImproperlyConfigured  # noqa: E402

if settings.SECRET_KEY_MISSING:
    # Sessions, password resets and signed links would not survive a restart: refuse to serve.
    raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
