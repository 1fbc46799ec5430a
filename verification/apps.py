from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VerificationConfig(AppConfig):
    name = "verification"
    verbose_name = _("Verifikasjon")

    def ready(self) -> None:
        from . import notifications, panels  # noqa: F401  (register notification kinds and start-page panels)
