"""System checks of our own: production must be configured, not guessed."""

from django.conf import settings
from django.core.checks import Error, Tags, register


@register(Tags.security, deploy=True)
def secret_key_is_configured(app_configs, **kwargs):
    if getattr(settings, "SECRET_KEY_MISSING", False):
        return [Error("SECRET_KEY must be set when DEBUG is off.", hint="Set the SECRET_KEY environment variable.",
                      id="marketplace.E001")]
    return []
